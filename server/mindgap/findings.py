"""Findings: what mindgap tells a user, with its evidence, as the CLI and the server show it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from mindgap.provenance.regions import Region
from mindgap.syntax.positions import LineIndex

FindingKind = Literal["foreign-region", "unfamiliar", "convention", "dependency", "reinvention"]
Severity = Literal["error", "warning", "information", "hint"]


class Position(BaseModel):
    line: int
    character: int


class Range(BaseModel):
    start: Position
    end: Position


class Finding(BaseModel):
    file: str
    range: Range
    kind: FindingKind
    dimension: str | None = None
    code: str
    severity: Severity
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    # In a notebook: the 0-based index of the cell among its cells; `range` is then within
    # the cell. Left out of the JSON for other files.
    cell: int | None = None

    @model_serializer(mode="wrap")
    def _without_cell(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("cell") is None:
            data.pop("cell", None)
        return data


@dataclass(frozen=True)
class Spot:
    """A finding inside a region, located by text offsets."""

    start: int
    end: int
    kind: FindingKind
    code: str
    severity: Severity
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    dimension: str | None = None

    def shifted(self, delta: int) -> Spot:
        return replace(self, start=self.start + delta, end=self.end + delta) if delta else self

    def finding(self, file: str, index: LineIndex) -> Finding:
        """The finding at this spot's place in the current text."""
        start, end = index.position(self.start), index.position(self.end)
        return Finding(
            file=file,
            range=Range(
                start=Position(line=start.line, character=start.character),
                end=Position(line=end.line, character=end.character),
            ),
            kind=self.kind,
            dimension=self.dimension,
            code=self.code,
            severity=self.severity,
            message=self.message,
            evidence=self.evidence,
        )


class CheckReport(BaseModel):
    findings: list[Finding]


SOURCE_WORDS = {
    "inline-completion": "by inline-completion",
    "chat-edit": "by a chat edit",
    "agent-edit": "by an agent edit on disk",
    "paste": "by paste",
    "burst": "in one burst (origin unknown)",
    "git": "by an AI-assisted commit",
    "manual": "and marked foreign by you",
    "unknown": "from an unknown origin",
}


STATE_WORDS = {
    "pending": "not yet understood: quiz, explain or hand-write",
    "understood": "understood",
    "waived": "accepted without understanding (counted as debt)",
}


def describe_region(region: Region) -> str:
    lines = region.line_count
    origin = SOURCE_WORDS.get(region.source, f"by {region.source}")
    tool = f" ({region.tool})" if region.tool else ""
    noun = "line" if lines == 1 else "lines"
    state = STATE_WORDS.get(region.state, region.state)
    return f"{lines} {noun} inserted {origin}{tool} - {state}"


def region_range(index: LineIndex, region: Region) -> Range:
    start, end = index.position(region.start), index.position(region.end)
    return Range(
        start=Position(line=start.line, character=start.character),
        end=Position(line=end.line, character=end.character),
    )


def foreign_region_finding(
    file: str, index: LineIndex, region: Region, severity: Severity
) -> Finding:
    return Finding(
        file=file,
        range=region_range(index, region),
        kind="foreign-region",
        code="foreign-region",
        severity="hint" if region.state == "understood" else severity,
        message=describe_region(region),
        evidence={
            "region_id": region.id,
            "source": region.source,
            "tool": region.tool,
            "lines": region.line_count,
            "state": region.state,
            "fingerprint": region.fingerprint,
        },
    )
