"""Conversions between lsprotocol types and the engine's plain values."""

from __future__ import annotations

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


def diagnostic(finding: Finding) -> types.Diagnostic:
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
        related_information=related_information(finding.evidence) or None,
    )


def related_information(evidence: dict[str, Any]) -> list[types.DiagnosticRelatedInformation]:
    """Links to the places in the repository that show its convention: evidence examples
    `{file, line (1-based), text}` with files relative to `evidence["repository"]`."""
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
        links.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=(Path(root) / str(example["file"])).as_uri(),
                    range=types.Range(
                        start=types.Position(line=line, character=0),
                        end=types.Position(line=line, character=len(text)),
                    ),
                ),
                message=f"the convention: {text}" if text else "the convention",
            )
        )
    return links


def path_of(uri: str) -> str | None:
    """The resolved file path of a `file:` URI; None for other schemes (untitled, cells)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return str(resolved(path)) if path else None
