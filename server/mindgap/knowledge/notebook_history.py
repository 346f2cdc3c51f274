"""A notebook in git history as code: what a developer wrote in notebooks counts in their
familiarity profile as what they wrote in scripts.

git's diff of a notebook is a diff of its JSON. nbformat (and every Jupyter and VS Code
writer) stores a cell's source as a list of lines, one JSON string per line of the file, so a
line git says was added maps to one line of one cell. The notebook becomes the virtual
document of its code cells (magics masked, see mindgap.notebooks), and git's added JSON lines
become the lines of that document they hold. A source stored as one string is one JSON line:
when it was added, the whole cell was.
"""

from __future__ import annotations

import json

from mindgap.notebooks import NotebookError, parse_notebook, virtual_document

NOTEBOOK_PATHSPEC = ":(icase)*.ipynb"


def notebook_as_code(
    data: bytes, added: list[tuple[int, int]], name: str
) -> tuple[bytes, list[tuple[int, int]]] | None:
    """(the notebook's code as one Python text, the 1-based (first, count) line runs of it
    that git's added lines hold), or None for a file that is no Python notebook."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        notebook = parse_notebook(text, name)
    except (UnicodeDecodeError, NotebookError):
        return None
    if notebook.language != "python":
        return None
    raw_cells = json.loads(text)["cells"]
    document = virtual_document(list(notebook.cells))
    json_lines = text.split("\n")
    added_json = {first + offset for first, count in added for offset in range(count)}
    code_lines: set[int] = set()  # 1-based lines of the virtual document
    position = 0  # where the search for the next source line goes on, in json_lines
    for part, cell_index in enumerate(document.cell_indexes):
        source = raw_cells[cell_index].get("source", "")
        pieces = source if isinstance(source, list) else [source]
        first_line = document.first_lines[part]
        line_in_cell = 0
        for piece in pieces:
            if not isinstance(piece, str):
                continue
            encoded = json.dumps(piece, ensure_ascii=False)
            found = _find(json_lines, encoded, position)
            if found is None:  # written another way (ASCII escapes): look again as ASCII
                found = _find(json_lines, json.dumps(piece), position)
            spans = max(piece.count("\n") + (0 if piece.endswith("\n") else 1), 1)
            if found is not None:
                position = found + 1
                if found + 1 in added_json:
                    code_lines.update(first_line + line_in_cell + k + 1 for k in range(spans))
            line_in_cell += piece.count("\n")
    return document.text.encode("utf-8"), _runs(sorted(code_lines))


def _find(lines: list[str], encoded: str, start: int) -> int | None:
    for number in range(start, len(lines)):
        stripped = lines[number].strip().removesuffix(",")
        if stripped == encoded or stripped.endswith(f": {encoded}"):  # also "source": "..."
            return number
    return None


def _runs(lines: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for line in lines:
        if runs and runs[-1][0] + runs[-1][1] == line:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((line, 1))
    return runs
