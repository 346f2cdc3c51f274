"""The understanding debt report as data: the JSON schema of `mindgap report --format json`.

Every field is documented in docs/debt.md. JSON keys are camelCase (as the LSP payloads);
Python code uses the snake_case names. `schemaVersion` changes only when a field changes
meaning or goes away; new fields may appear at any time.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

SCHEMA_VERSION = 1


class ReportModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)

    def to_data(self) -> dict:
        return self.model_dump(by_alias=True, mode="json")


class StateLines(ReportModel):
    """Foreign lines (non-blank lines of code the developer did not type) by state."""

    foreign_lines: int = 0
    understood_lines: int = 0
    pending_lines: int = 0
    waived_lines: int = 0
    debt_lines: int = 0  # pending + waived: foreign code nobody has shown they understand
    weighted_debt: float = 0.0  # debt lines weighted by unfamiliar constructs (docs/debt.md)
    regions: int = 0


class Accepted(ReportModel):
    """Foreign code that arrived (`inserted` events), whatever became of it since."""

    this_week_lines: int = 0
    this_week_regions: int = 0
    all_lines: int = 0
    all_regions: int = 0


class Gone(ReportModel):
    """Foreign lines that left the debt without being understood: they are no longer foreign."""

    deleted_lines: int = 0
    retyped_lines: int = 0
    marked_mine_lines: int = 0


class UnderstoodBy(ReportModel):
    """How the understood lines (of code still present) were shown to be understood."""

    quiz_lines: int = 0
    explanation_lines: int = 0
    hand_write_lines: int = 0
    other_lines: int = 0  # understood in a way the ledger holds no event for (older data)


class DebtPoint(ReportModel):
    """The state at the end of one day (local time); today is the current state."""

    date: str  # YYYY-MM-DD
    foreign_lines: int
    understood_lines: int
    pending_lines: int
    waived_lines: int
    debt_lines: int


class FileDebt(ReportModel):
    path: str
    foreign_lines: int = 0
    understood_lines: int = 0
    pending_lines: int = 0
    waived_lines: int = 0
    debt_lines: int = 0
    weighted_debt: float = 0.0
    regions: int = 0


class LeanedConstruct(ReportModel):
    """A construct the developer accepts from assistants often but does not write by hand."""

    construct_key: str  # e.g. "python/list-comprehension"
    name: str
    regions: int  # foreign regions holding it
    occurrences: int
    hand_written: Literal["never", "no-longer"]
    hand_written_count: int  # times written by hand (history and editor typing)
    last_hand_written: str | None  # YYYY-MM-DD, or None when never


class QuizTally(ReportModel):
    key: str  # a question type, or a construct key
    regions: int  # regions quizzed where this applied
    passed: int  # ...of which a quiz was passed


class RegionQuiz(ReportModel):
    region_id: str
    path: str
    attempts: int
    first_score: int  # right answers in the first attempt (before any answer was shown)
    first_total: int
    first_passed: bool
    passed: bool  # in any attempt


class QuizResults(ReportModel):
    regions_quizzed: int = 0
    attempts: int = 0
    regions_passed: int = 0
    right_answers: int = 0  # in the counting attempt of each region (the last passing one)
    questions: int = 0
    first_attempt_passed: int = 0  # regions passed at the first attempt
    first_attempt_right: int = 0
    first_attempt_questions: int = 0
    regions: list[RegionQuiz] = Field(default_factory=list)  # per region, most attempts first
    by_question_type: list[QuizTally] = Field(default_factory=list)
    by_construct: list[QuizTally] = Field(default_factory=list)


class DebtReport(ReportModel):
    """`mindgap report --format json`: one developer's understanding debt."""

    schema_version: int = SCHEMA_VERSION
    kind: Literal["personal"] = "personal"
    developer: str
    generated_at: str  # ISO 8601, UTC
    profile: bool  # a familiarity profile was available (unfamiliar weighting, leaning)
    current: StateLines
    accepted: Accepted
    gone: Gone
    understood_by: UnderstoodBy
    series: list[DebtPoint]
    files: list[FileDebt]
    leaning: list[LeanedConstruct]
    quiz: QuizResults


class DeveloperDebt(ReportModel):
    developer: str
    current: StateLines
    files: list[FileDebt]
    last_shared: str | None  # ISO 8601: the newest attestation's time


class Attestations(ReportModel):
    """What the team report read from the notes, and how it found the code again."""

    notes: int = 0  # commits with a mindgap note
    attestations: int = 0  # after merging repeats (newest per developer, file and code)
    anchored: int = 0  # found in the code of the commit they are attached to, still present
    reanchored: int = 0  # their commit is gone (rebase, squash): found again by fingerprint
    gone: int = 0  # the code is no longer in HEAD: out of the debt
    unreadable: int = 0  # note lines that are not attestations (skipped)


class TeamReport(ReportModel):
    """`mindgap report --team --format json`: the team's debt from refs/notes/mindgap."""

    schema_version: int = SCHEMA_VERSION
    kind: Literal["team"] = "team"
    repository: str
    head: str | None
    generated_at: str
    team: StateLines  # code counted once: understood if any developer showed it
    developers: list[DeveloperDebt]
    files: list[FileDebt]  # per file, code counted once as in `team`
    attestations: Attestations


class DebtSummary(ReportModel):
    """The one-line status an editor shows (`mindgap/debt`, and `summary` of mindgap.report)."""

    foreign_lines: int
    understood_lines: int
    pending_lines: int
    waived_lines: int
    debt_lines: int
    text: str

    @classmethod
    def of(cls, lines: StateLines) -> DebtSummary:
        return cls(
            foreign_lines=lines.foreign_lines,
            understood_lines=lines.understood_lines,
            pending_lines=lines.pending_lines,
            waived_lines=lines.waived_lines,
            debt_lines=lines.debt_lines,
            text=summary_text(lines),
        )


def summary_text(lines: StateLines) -> str:
    if not lines.foreign_lines:
        return "mindgap: no foreign code"
    return (
        f"mindgap debt {lines.debt_lines} of {lines.foreign_lines} foreign lines"
        f" ({lines.pending_lines} pending, {lines.waived_lines} waived)"
    )
