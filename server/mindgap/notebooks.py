"""Jupyter notebooks as code: cells, magics, and one virtual document per notebook.

A notebook (nbformat 4) is JSON: its code cells are Python, its markdown and raw cells are
not code at all, and its code cells may hold IPython magics (`%pip install x`, `!ls`,
`%%timeit`) that are not Python either. mindgap analyses code cells as one *virtual
document*: the code cells in order, each starting on a line of its own, magics masked as
comments of the same length, so that the earlier cells are context (imports, definitions)
and a position inside a cell maps to the virtual document by adding the cell's first line.

Cells are addressed by their 0-based index among all the notebook's cells (as `mindgap
check nb.ipynb#3:1-5` writes them) and, for persistence, by their nbformat 4.5 `id` when
the notebook has one.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from mindgap.textfiles import UnreadableFile, read_regular_file

NOTEBOOK_SUFFIX = ".ipynb"
# Outputs (plots as base64 images) make notebooks large; their code is small. Past this the
# file is refused as a whole: parsing the JSON alone would cost more than anything mindgap
# could say about its code.
MAX_NOTEBOOK_BYTES = 20_000_000
MAX_CELLS = 10_000

# Cell magics whose body is not Python: the whole cell is masked
_FOREIGN_CELL_MAGICS = frozenset(
    {
        "bash",
        "sh",
        "script",
        "html",
        "javascript",
        "js",
        "latex",
        "markdown",
        "svg",
        "perl",
        "ruby",
        "writefile",
        "file",
        "sql",
        "R",
        "system",
    }
)
# `%pip install a b==1 -q`, `!pip install a`, `%conda install a`
_INSTALL = re.compile(r"^\s*[%!]\s*(?:pip|pip3|conda|mamba|uv\s+pip)\s+install\s+(?P<args>.*)$")
_REQUIREMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


class NotebookError(ValueError):
    """The file is not a notebook mindgap can read; the message is one line."""


def is_notebook(path: str | Path) -> bool:
    return str(path).lower().endswith(NOTEBOOK_SUFFIX)


@dataclass(frozen=True)
class Cell:
    index: int  # among all the notebook's cells
    kind: str  # "code", "markdown" or "raw"
    source: str
    id: str | None = None  # nbformat >= 4.5

    @property
    def is_code(self) -> bool:
        return self.kind == "code"

    @property
    def code(self) -> str:
        """The cell as Python: magics masked (same length), other cells empty."""
        return mask_magics(self.source) if self.is_code else ""


@dataclass(frozen=True)
class Notebook:
    cells: tuple[Cell, ...]
    language: str = "python"
    minor: int = 4  # nbformat 4.minor

    def cell(self, index: int, name: str = "notebook") -> Cell:
        """The cell at that index; NotebookError (one line) if it is none or not code."""
        if not 0 <= index < len(self.cells):
            raise NotebookError(
                f"{name}: no cell {index} (cells are numbered from 0; it has {len(self.cells)})"
            )
        cell = self.cells[index]
        if not cell.is_code:
            raise NotebookError(f"{name}: cell {index} is a {cell.kind} cell, not code")
        return cell

    @property
    def code_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.is_code]


def mask_magics(source: str) -> str:
    """IPython syntax masked as comments of the same length (so offsets and columns stay):
    line magics and shell lines (`%time f()`, `!ls`, `x = !ls`), help (`f?`), and whole cells
    whose cell magic runs another language (`%%bash`)."""
    if not _IPYTHON_MARKS.search(source):  # most cells: plain Python, nothing to mask
        return source
    lines = source.splitlines(keepends=True)
    if not lines:
        return source
    first = lines[0].lstrip()
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if name in _FOREIGN_CELL_MAGICS:
            return "".join(_comment(line) for line in lines)
        return _comment(lines[0]) + "".join(_mask_line(line) for line in lines[1:])
    return "".join(_mask_line(line) for line in lines)


_IPYTHON_MARKS = re.compile(r"^[ \t]*[%!]|[=?][ \t]*[!%?]|\?[ \t]*$", re.MULTILINE)
_SHELL_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_, ]*=\s*[!%]")
_HELP = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_.]*\?\??\s*$")


def _mask_line(line: str) -> str:
    stripped = line.lstrip()
    if stripped[:1] in ("%", "!") or _SHELL_ASSIGNMENT.match(line) or _HELP.match(line):
        return _comment(line)
    return line


def _comment(line: str) -> str:
    """The line as a comment of the same length, its indentation kept."""
    body = line.rstrip("\r\n")
    if not body.strip():
        return line
    indent = len(body) - len(body.lstrip())
    return body[:indent] + "#" + body[indent + 1 :] + line[len(body) :]


def installed_packages(source: str) -> set[str]:
    """Distribution names that `%pip install` (and `!pip`, `%conda`) lines of a cell install,
    normalised (lower case, `-`): they count as declared for the notebook's imports."""
    names: set[str] = set()
    for line in source.splitlines():
        match = _INSTALL.match(line)
        if not match:
            continue
        for word in match["args"].split():
            if word.startswith("-") or "/" in word or word.startswith("."):
                continue
            name = _REQUIREMENT_NAME.match(word)
            if name:
                names.add(normalise_package(name.group()))
    return names


def normalise_package(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# -- reading -----------------------------------------------------------------------------------


def read_notebook(path: str | Path) -> Notebook:
    """The notebook at `path`; NotebookError with a one-line message for anything else."""
    try:
        data = read_regular_file(path, MAX_NOTEBOOK_BYTES)
    except UnreadableFile as error:
        raise NotebookError(str(error)) from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise NotebookError(f"{path}: not valid UTF-8 (byte {error.start})") from None
    return parse_notebook(text, str(path))


def parse_notebook(text: str, name: str = "notebook") -> Notebook:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise NotebookError(f"{name}: not a notebook: not valid JSON{where}") from None
    if not isinstance(data, dict) or "cells" not in data:
        raise NotebookError(f"{name}: not a notebook: no 'cells' in it")
    major = data.get("nbformat")
    if major != 4:
        raise NotebookError(
            f"{name}: nbformat {major!r} is not supported (nbformat 4 only; "
            "`jupyter nbconvert --to notebook` upgrades older ones)"
        )
    minor = data.get("nbformat_minor")
    cells_data = data["cells"]
    if not isinstance(cells_data, list):
        raise NotebookError(f"{name}: not a notebook: 'cells' is not a list")
    if len(cells_data) > MAX_CELLS:
        raise NotebookError(f"{name}: {len(cells_data):,} cells; the limit is {MAX_CELLS:,}")
    cells = []
    for index, raw in enumerate(cells_data):
        if not isinstance(raw, dict):
            raise NotebookError(f"{name}: cell {index} is not an object")
        kind = raw.get("cell_type")
        if kind not in ("code", "markdown", "raw"):
            raise NotebookError(f"{name}: cell {index} has an unknown cell_type {kind!r}")
        source = raw.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"{name}: cell {index}: 'source' is neither text nor lines")
        cell_id = raw.get("id")
        cells.append(
            Cell(index, kind, source, cell_id if isinstance(cell_id, str) and cell_id else None)
        )
    return Notebook(tuple(cells), _language(data), minor if isinstance(minor, int) else 0)


def _language(data: dict) -> str:
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return "python"
    for key, field_name in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(field_name), str):
            return value[field_name].lower()
    return "python"


# -- the virtual document ------------------------------------------------------------------


@dataclass
class VirtualDocument:
    """Code cells in order as one text; maps cell-relative places to it and back."""

    text: str
    cell_indexes: list[int] = field(default_factory=list)  # notebook index of each part
    starts: list[int] = field(default_factory=list)  # offset of each part in `text`
    first_lines: list[int] = field(default_factory=list)  # line of each part in `text`
    lengths: list[int] = field(default_factory=list)  # each part's own length
    _parts: dict[int, int] = field(default_factory=dict, repr=False)  # cell index -> part

    def part(self, cell_index: int) -> int:
        if len(self._parts) != len(self.cell_indexes):
            self._parts = {index: part for part, index in enumerate(self.cell_indexes)}
        try:
            return self._parts[cell_index]
        except KeyError:
            raise NotebookError(f"cell {cell_index} is not a code cell") from None

    def offset(self, cell_index: int, offset_in_cell: int) -> int:
        return self.starts[self.part(cell_index)] + offset_in_cell

    def cell_span(self, cell_index: int) -> tuple[int, int]:
        part = self.part(cell_index)
        return self.starts[part], self.starts[part] + self.lengths[part]

    def cell_at_line(self, line: int) -> tuple[int, int]:
        """(notebook cell index, line within the cell) of a 0-based line of the text."""
        part = max(bisect.bisect_right(self.first_lines, line) - 1, 0)
        return self.cell_indexes[part], line - self.first_lines[part]


def virtual_document(cells: list[Cell], through: int | None = None) -> VirtualDocument:
    """The code cells (up to and including the cell `through`, when given) as one text."""
    document = VirtualDocument("")
    parts: list[str] = []
    offset = line = 0
    for cell in cells:
        if not cell.is_code:
            continue
        code = cell.code
        document.cell_indexes.append(cell.index)
        document.starts.append(offset)
        document.first_lines.append(line)
        document.lengths.append(len(code))
        joined = code if code.endswith("\n") or not code else code + "\n"
        parts.append(joined)
        offset += len(joined)
        line += joined.count("\n")
        if through is not None and cell.index >= through:
            break
    document.text = "".join(parts)
    return document


def notebook_code(text: str, name: str = "notebook") -> str | None:
    """A notebook's code as mined text (the virtual document of all its code cells), or
    None if it is no Python notebook mindgap can read."""
    document = notebook_document(text, name)
    return document.text if document is not None else None


def notebook_document(text: str, name: str = "notebook") -> VirtualDocument | None:
    """The virtual document of a Python notebook's code cells (None: no such notebook)."""
    try:
        notebook = parse_notebook(text, name)
    except NotebookError:
        return None
    if notebook.language != "python":
        return None
    return virtual_document(list(notebook.cells))


def notebook_code_of(data: bytes, name: str, limit: int = MAX_NOTEBOOK_BYTES) -> str | None:
    """`notebook_code` of a notebook file's bytes (None: too large, not UTF-8, no notebook)."""
    document = notebook_document_of(data, name, limit)
    return document.text if document is not None else None


def notebook_document_of(
    data: bytes, name: str, limit: int = MAX_NOTEBOOK_BYTES
) -> VirtualDocument | None:
    """`notebook_document` of a notebook file's bytes: its mined text, and which cell each
    of its lines belongs to (None: too large, not UTF-8, no Python notebook)."""
    if len(data) > limit:
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    return notebook_document(text, name)


def notebook_from_bytes(data: bytes | None, name: str) -> Notebook | None:
    """A notebook from a file's bytes (a git blob), or None if it is no readable one."""
    if data is None or len(data) > MAX_NOTEBOOK_BYTES:
        return None
    try:
        return parse_notebook(data.decode("utf-8").removeprefix("\ufeff"), name)
    except (UnicodeDecodeError, NotebookError):
        return None


def shown_place(file: str, line: int, cell: int | None = None) -> str:
    """`file:line` of a place in mined code as a user finds it: `nb.ipynb#CELL:LINE` for a
    line of a notebook's cell (mining keeps the cell: conventions/mining.py)."""
    return f"{file}:{line}" if cell is None else f"{file}#{cell}:{line}"


# -- addresses -----------------------------------------------------------------------------

_ADDRESS = re.compile(r"(?P<file>.+?\.ipynb)#(?P<cell>[0-9]{1,6})", re.ASCII | re.IGNORECASE)


def split_cell_address(file: str) -> tuple[str, int | None]:
    """`nb.ipynb#3` -> ('nb.ipynb', 3); anything else -> (file, None)."""
    match = _ADDRESS.fullmatch(file)
    if match is None:
        return file, None
    return match["file"], int(match["cell"])


def cell_key(
    notebook_path: str,
    cell: Cell | None = None,
    *,
    cell_id: str | None = None,
    index: int | None = None,
) -> str:
    """Where a cell's regions are stored: the notebook's path and the cell's nbformat id,
    else its index (those regions are then re-anchored by content)."""
    the_id = cell_id if cell is None else cell.id
    the_index = index if cell is None else cell.index
    return f"{notebook_path}#{the_id}" if the_id else f"{notebook_path}#@{the_index}"
