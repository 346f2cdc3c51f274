"""Conversions between lsprotocol types and the engine's plain values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from mindgap.findings import Finding
from mindgap.lsp.wire import diagnostic_data
from mindgap.syntax.positions import Pos
from mindgap.textfiles import resolved

SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def pos(position: Any) -> Pos:
    """An LSP position from lsprotocol, a dict or a namedtuple (custom messages)."""
    if isinstance(position, dict):
        return Pos(int(position["line"]), int(position["character"]))
    return Pos(int(position.line), int(position.character))


def plain(value: Any) -> Any:
    """pygls hands custom notifications over as namedtuples: turn them into dicts and lists."""
    if hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


# (a notebook's path, a cell index) -> the URI of that cell in the editor, if it is open
CellUris = Callable[[str, int], str | None]


def diagnostic(finding: Finding, cell_uris: CellUris | None = None) -> types.Diagnostic:
    start, end = finding.range.start, finding.range.end
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=start.line, character=start.character),
            end=types.Position(line=end.line, character=end.character),
        ),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.code,
        source="mindgap",
        data=diagnostic_data(finding.kind, finding.dimension, finding.evidence),
        related_information=related_information(finding.evidence, cell_uris) or None,
    )


def related_information(
    evidence: dict[str, Any], cell_uris: CellUris | None = None
) -> list[types.DiagnosticRelatedInformation]:
    """Links to the places in the repository that show its convention: evidence examples
    `{file, line (1-based), text, cell (notebooks)}` with files relative to
    `evidence["repository"]`. An example in a notebook's cell links to that cell where the
    notebook is open (`cell_uris`); where it is not, to the top of the .ipynb file (its
    lines are JSON, not the cell's), the message naming the cell and the line."""
    root = evidence.get("repository")
    examples = evidence.get("examples")
    if not isinstance(root, str) or not isinstance(examples, list):
        return []
    links = []
    for example in examples:
        if not isinstance(example, dict) or "file" not in example or "line" not in example:
            continue
        line = max(int(example["line"]) - 1, 0)
        text = str(example.get("text", ""))
        path = Path(root) / str(example["file"])
        uri, message = path.as_uri(), f"the convention: {text}" if text else "the convention"
        cell = example.get("cell")
        if isinstance(cell, int):
            open_cell = cell_uris(str(path), cell) if cell_uris is not None else None
            if open_cell is not None:
                uri = open_cell
            else:
                message = f"the convention, cell {cell} line {line + 1}: {text}".rstrip(": ")
                line, text = 0, ""
        links.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=uri,
                    range=types.Range(
                        start=types.Position(line=line, character=0),
                        end=types.Position(line=line, character=len(text)),
                    ),
                ),
                message=message,
            )
        )
    return links


def path_of(uri: str) -> str | None:
    """The resolved file path of a `file:` URI; None for other schemes (untitled, cells)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return str(resolved(path)) if path else None
