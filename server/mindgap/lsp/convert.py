"""Conversions between LSP's values (lsprotocol types, or the JSON itself) and the engine's."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from mindgap.findings import Finding, Spot
from mindgap.lsp.wire import diagnostic_data
from mindgap.syntax.positions import LineIndex, Pos
from mindgap.textfiles import resolved

SEVERITIES = {  # as sent: LSP's numbers
    "error": types.DiagnosticSeverity.Error.value,
    "warning": types.DiagnosticSeverity.Warning.value,
    "information": types.DiagnosticSeverity.Information.value,
    "hint": types.DiagnosticSeverity.Hint.value,
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


def diagnostic(finding: Finding, cell_uris: CellUris | None = None) -> dict[str, Any]:
    """The finding as an LSP Diagnostic, in the JSON sent: publishDiagnostics goes out as
    plain values (lsp/protocol.notify_plain), on every keystroke and paste."""
    start, end = finding.range.start, finding.range.end
    sent: dict[str, Any] = {
        "range": _range(start.line, start.character, end.line, end.character),
        "message": finding.message,
        "severity": SEVERITIES[finding.severity],
        "code": finding.code,
        "source": "mindgap",
        "data": diagnostic_data(finding.kind, finding.dimension, finding.evidence),
    }
    if links := related_information(finding.evidence, cell_uris):
        sent["relatedInformation"] = links
    return sent


# id(evidence) -> (the evidence, what else identifies the spot, its diagnostic but the range)
_SPOT_BODIES: dict[int, tuple[dict[str, Any], tuple, dict[str, Any]]] = {}
_MAX_SPOT_BODIES = 4096


def spot_diagnostic(
    spot: Spot, file: str, index: LineIndex, cell_uris: CellUris | None = None
) -> dict[str, Any]:
    """An analysed spot's diagnostic where it now is. All but the range (its data, its links)
    is built once per analysed spot and reused while the spot stays: typing publishes every
    region's findings on every keystroke, and a spot's moved copies share its evidence dict
    (kept here, so that its id is not reused). Links to notebook cells follow the open cells:
    those are built each time."""
    identity = (spot.kind, spot.dimension, spot.code, spot.severity, spot.message)
    cached = _SPOT_BODIES.get(id(spot.evidence))
    if cached is not None and cached[0] is spot.evidence and cached[1] == identity:
        start, end = index.position(spot.start), index.position(spot.end)
        return {"range": _range(start.line, start.character, end.line, end.character), **cached[2]}
    sent = diagnostic(spot.finding(file, index), cell_uris)
    if not _links_cells(spot.evidence):
        if len(_SPOT_BODIES) >= _MAX_SPOT_BODIES:
            _SPOT_BODIES.clear()
        body = {key: value for key, value in sent.items() if key != "range"}
        _SPOT_BODIES[id(spot.evidence)] = (spot.evidence, identity, body)
    return sent


def _links_cells(evidence: dict[str, Any]) -> bool:
    examples = evidence.get("examples")
    return isinstance(examples, list) and any(
        isinstance(example, dict) and "cell" in example for example in examples
    )


def _range(line: int, character: int, end_line: int, end_character: int) -> dict[str, Any]:
    return {
        "start": {"line": line, "character": character},
        "end": {"line": end_line, "character": end_character},
    }


def related_information(
    evidence: dict[str, Any], cell_uris: CellUris | None = None
) -> list[dict[str, Any]]:
    """Links (LSP DiagnosticRelatedInformation, as sent) to the places in the repository
    that show its convention: evidence examples `{file, line (1-based), text, cell
    (notebooks)}` with files relative to `evidence["repository"]`. An example in a
    notebook's cell links to that cell where the notebook is open (`cell_uris`); where it is
    not, to the top of the .ipynb file (its lines are JSON, not the cell's), the message
    naming the cell and the line."""
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
        path, uri = _file_and_uri(root, str(example["file"]))
        message = f"the convention: {text}" if text else "the convention"
        cell = example.get("cell")
        if isinstance(cell, int):
            open_cell = cell_uris(path, cell) if cell_uris is not None else None
            if open_cell is not None:
                uri = open_cell
            else:
                message = f"the convention, cell {cell} line {line + 1}: {text}".rstrip(": ")
                line, text = 0, ""
        location = {"uri": uri, "range": _range(line, 0, line, len(text))}
        links.append({"location": location, "message": message})
    return links


@lru_cache(maxsize=4096)
def _file_and_uri(root: str, file: str) -> tuple[str, str]:
    """An evidence file's path and URI (the same few files are linked on every publish)."""
    path = Path(root) / file
    return str(path), path.as_uri()


def path_of(uri: str) -> str | None:
    """The resolved file path of a `file:` URI; None for other schemes (untitled, cells)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return str(resolved(path)) if path else None
