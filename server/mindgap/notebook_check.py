"""`mindgap check` on a notebook: each code cell's foreign regions, analysed with the
notebook's earlier cells as context, findings placed within their cell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from mindgap.analysis import AnalysisContext, analyse
from mindgap.findings import Finding, Position, Range, Severity
from mindgap.notebooks import (
    Cell,
    Notebook,
    NotebookError,
    VirtualDocument,
    cell_key,
    installed_packages,
    normalise_package,
    read_notebook,
    virtual_document,
)
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.regions import Region, RegionSet
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex


def load_notebook(path: Path) -> Notebook:
    """The notebook, or a usage error's one line."""
    from mindgap.errors import UsageError

    try:
        notebook = read_notebook(path)
    except NotebookError as error:
        raise UsageError(str(error)) from None
    if notebook.language != "python":
        raise UsageError(f"{path}: a {notebook.language} notebook; mindgap reads Python ones")
    return notebook


def mined_lines(
    cells_inserted: dict[Path, dict[int, list[tuple[int, int]]]],
) -> dict[Path, list[tuple[int, int]]]:
    """Lines given as foreign in notebooks' cells, as lines of the code `learn` mines from
    each notebook (its code cells joined): they do not vote on the conventions."""
    found: dict[Path, list[tuple[int, int]]] = {}
    for path, cells in cells_inserted.items():
        try:
            document = virtual_document(list(read_notebook(path).cells))
        except NotebookError:
            continue  # said when the notebook is checked
        for index, ranges in cells.items():
            if index in document.cell_indexes:
                first = document.first_lines[document.part(index)]
                found.setdefault(path, []).extend((first + a, first + b) for a, b in ranges)
    return found


def cell_lines_region(cell: Cell, first: int, last: int, source: str) -> Region | None:
    """A region over 1-based inclusive lines of a cell (clamped to it); None if blank."""
    from mindgap.errors import UsageError

    index = LineIndex(cell.source)
    lines = index.line_count - (1 if cell.source.endswith("\n") else 0)
    if first > max(lines, 0):
        raise UsageError(f"line {first} is past the end of cell {cell.index} ({lines} lines)")
    start = index.starts[first - 1]
    end = index.starts[last] - 1 if last < index.line_count else len(cell.source)
    return RegionSet().add(Region(start, end, cell.source[start:end], source=source))


def stored_cell_regions(store: RegionStore | None, path: Path, cell: Cell) -> list[Region]:
    """What the server stored for the cell (by its id, else its index), re-anchored."""
    if store is None:
        return []
    found: list[Region] = []
    for stored in store.load(cell_key(str(path), cell)):
        found.extend(reanchor(stored, cell.source).regions)
    return found


def notebook_findings(
    path: Path,
    notebook: Notebook,
    inserted: dict[int, list[tuple[int, int]]],
    *,
    all_foreign: bool,
    store: RegionStore | None,
    severity: Severity,
    context: AnalysisContext,
) -> list[Finding]:
    """Every finding of the notebook's foreign regions, each with its cell and a range
    within that cell."""
    from mindgap.errors import UsageError

    for index in inserted:
        try:
            notebook.cell(index, str(path))
        except NotebookError as error:
            raise UsageError(f"--inserted {path}#{index}: {error}") from None
    findings: list[Finding] = []
    installed: set[str] = set()
    joined = virtual_document(list(notebook.cells))
    # the earlier cells and this one: grown cell by cell, so each parse reuses the last
    document = SyntaxDocument(path.as_uri(), "", language_named("python"))
    for cell in notebook.cells:
        if not cell.is_code:
            continue
        installed |= installed_packages(cell.source)
        part = joined.part(cell.index)
        start = joined.starts[part]
        following = joined.starts[part + 1] if part + 1 < len(joined.starts) else None
        document.replace(start, start, joined.text[start:following])  # the cell, appended
        regions = RegionSet()
        for region in stored_cell_regions(store, path, cell):
            regions.add(region)
        if all_foreign and cell.source.strip():
            whole = cell_lines_region(cell, 1, LineIndex(cell.source).line_count, "unknown")
            if whole is not None:
                regions.add(whole)
        for first, last in inserted.get(cell.index, []):
            try:
                lines = cell_lines_region(cell, first, last, "unknown")
            except UsageError as error:
                where = f"{path}#{cell.index}:{first}-{last}"
                raise UsageError(f"--inserted {where}: {error}") from None
            if lines is not None:
                regions.add(lines)
        if not len(list(regions)):
            continue
        findings.extend(
            _cell_findings(
                path, document, joined, start, list(regions), severity, context, installed
            )
        )
    return findings


def _cell_findings(
    path: Path,
    document: SyntaxDocument,
    joined: VirtualDocument,
    shift: int,
    regions: list[Region],
    severity: Severity,
    context: AnalysisContext,
    installed: set[str],
) -> list[Finding]:
    moved = [
        replace(region, start=region.start + shift, end=region.end + shift) for region in regions
    ]
    findings = []
    for finding in analyse(str(path), document, moved, severity, context):
        if finding.kind == "dependency" and _pip_installed(finding, installed):
            continue  # `%pip install x` in the notebook declares x for it
        findings.append(to_cell(finding, joined.cell_at_line))
    return findings


def _pip_installed(finding: Finding, installed: set[str]) -> bool:
    package = finding.evidence.get("package")
    return isinstance(package, str) and normalise_package(package) in installed


def to_cell(finding: Finding, cell_at_line: Callable[[int], tuple[int, int]]) -> Finding:
    """The finding with its range within its cell (and the cell's index)."""
    cell, start_line = cell_at_line(finding.range.start.line)
    _, end_line = cell_at_line(finding.range.end.line)
    if end_line < 0 or _ != cell:
        end_line = start_line
    return finding.model_copy(
        update={
            "cell": cell,
            "range": Range(
                start=Position(line=start_line, character=finding.range.start.character),
                end=Position(line=end_line, character=finding.range.end.character),
            ),
        }
    )


# -- the gate in a cell ----------------------------------------------------------------------


def quiz_document(path: Path, notebook: Notebook, cell: Cell) -> SyntaxDocument:
    """What a quiz about code in `cell` reads: the cell itself first (so that its lines are
    the prompts' lines), then the notebook's earlier code cells, whose imports, constants and
    functions the sandbox may take along; a name defined in neither (kernel state) keeps a
    function from running, and its questions come from the tree."""
    earlier = [c for c in notebook.cells if c.is_code and c.index < cell.index]
    parts = [cell.code if cell.code.endswith("\n") else cell.code + "\n"]
    parts += [c.code if c.code.endswith("\n") else c.code + "\n" for c in earlier]
    return SyntaxDocument(f"{path.as_uri()}#{cell.index}", "".join(parts), language_named("python"))


def load_cell_region(target: str) -> tuple[Path, SyntaxDocument, int, int] | None:
    """For `nb.ipynb#CELL:START-END`: the key the cell's regions are stored under (as a
    path), the quiz document and the region's [start, end); None for other targets."""
    from mindgap.errors import UsageError
    from mindgap.line_ranges import REGION, parse_inserted
    from mindgap.notebooks import split_cell_address

    spec, first, last = parse_inserted(target, REGION)
    file, index = split_cell_address(str(spec))
    if index is None:
        return None
    path = Path(file)
    notebook = load_notebook(path)
    try:
        cell = notebook.cell(index, str(path))
    except NotebookError as error:
        raise UsageError(str(error)) from None
    try:
        region = cell_lines_region(cell, first, last, "unknown")
    except UsageError as error:
        raise UsageError(f"{target}: {error}") from None
    if region is None:
        raise UsageError(f"{target}: the lines are blank")
    document = quiz_document(path, notebook, cell)
    return Path(cell_key(str(path), cell)), document, region.start, region.end
