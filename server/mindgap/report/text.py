"""The report for a terminal (rich): at most 80 columns, readable without colour."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from mindgap.report.model import DebtPoint, DebtReport, FileDebt, StateLines, TeamReport

WIDTH = 80
TOP_FILES = 10
TOP_CONSTRUCTS = 10
SPARKS = "▁▂▃▄▅▆▇█"


def render_text(report: DebtReport | TeamReport, width: int = WIDTH) -> str:
    """The report as plain text (no colour codes), `width` columns at most."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    console.print(renderable(report))
    return buffer.getvalue()


def print_report(report: DebtReport | TeamReport) -> None:
    """To the terminal, in colour where it supports it, never wider than WIDTH."""
    console = Console(highlight=False)
    console.width = min(console.width, WIDTH)
    console.print(renderable(report))


def renderable(report: DebtReport | TeamReport) -> RenderableType:
    if isinstance(report, TeamReport):
        return _team(report)
    return _personal(report)


def short_path(path: str, width: int = 40) -> str:
    """Relative to the current folder where possible; long paths lose their start."""
    try:
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            path = relative
    except ValueError:  # another drive (Windows)
        pass
    return path if len(path) <= width else "…" + path[-(width - 1) :]


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _headline(lines: StateLines, who: str) -> Text:
    text = Text()
    text.append("Understanding debt", style="bold")
    text.append(f" - {who}\n")
    text.append(f"{lines.debt_lines}", style="bold red" if lines.debt_lines else "bold green")
    text.append(
        f" debt lines of {lines.foreign_lines} foreign lines"
        f" ({_share(lines.debt_lines, lines.foreign_lines)})"
    )
    text.append(f", weighted {lines.weighted_debt:g}\n")
    text.append(
        f"  understood {lines.understood_lines}  pending {lines.pending_lines}"
        f"  waived {lines.waived_lines}  in {lines.regions} regions"
    )
    return text


def sparkline(points: Sequence[DebtPoint], width: int = 60) -> str:
    values = [p.debt_lines for p in points][-width:]
    top = max(values, default=0)
    if not top:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, v * len(SPARKS) // (top + 1))] for v in values)


def _files_table(files: Sequence[FileDebt], title: str) -> Table:
    table = Table(title=title, title_justify="left", expand=False, box=None, padding=(0, 1))
    table.add_column("file", overflow="fold", max_width=42)
    for name in ("debt", "pending", "waived", "understood"):
        table.add_column(name, justify="right")
    for file in files[:TOP_FILES]:
        table.add_row(
            short_path(file.path),
            str(file.debt_lines),
            str(file.pending_lines),
            str(file.waived_lines),
            str(file.understood_lines),
        )
    if len(files) > TOP_FILES:
        table.caption = f"and {len(files) - TOP_FILES} more files"
    return table


def _personal(report: DebtReport) -> RenderableType:
    parts: list[RenderableType] = [_headline(report.current, report.developer)]
    accepted, gone, by = report.accepted, report.gone, report.understood_by
    parts.append(
        Text(
            f"Accepted: {accepted.this_week_lines} foreign lines this week"
            f" ({accepted.this_week_regions} regions), {accepted.all_lines} in all"
            f" ({accepted.all_regions} regions)\n"
            f"Understood by quiz {by.quiz_lines}, explanation {by.explanation_lines},"
            f" hand-write {by.hand_write_lines}"
            + (f", other {by.other_lines}" if by.other_lines else "")
            + f"\nNo longer foreign: {gone.deleted_lines} deleted, {gone.retyped_lines}"
            f" retyped, {gone.marked_mine_lines} marked yours"
        )
    )
    if report.series:
        first, last = report.series[0], report.series[-1]
        parts.append(
            Text(
                f"Debt over time ({first.date} to {last.date}):\n  {sparkline(report.series)}"
                f"  {first.debt_lines} -> {last.debt_lines}"
            )
        )
    if report.files:
        parts.append(_files_table(report.files, "Files with the most unexplained foreign code"))
    if report.leaning:
        table = Table(
            title="Constructs you lean on assistants for",
            title_justify="left",
            box=None,
            padding=(0, 1),
        )
        table.add_column("construct", overflow="fold", max_width=36)
        table.add_column("regions", justify="right")
        table.add_column("written by hand", overflow="fold")
        for construct in report.leaning[:TOP_CONSTRUCTS]:
            written = construct.last_hand_written
            table.add_row(
                construct.name,
                str(construct.regions),
                "never" if written is None else f"last {written} ({construct.hand_written_count}x)",
            )
        parts.append(table)
    elif not report.profile:
        parts.append(
            Text(
                "Run `mindgap profile` to see the constructs you lean on assistants for.",
                style="dim",
            )
        )
    quiz = report.quiz
    if quiz.regions_quizzed:
        lines = [
            f"Quizzes: {quiz.regions_passed} of {quiz.regions_quizzed} regions passed"
            f" ({_count(quiz.attempts, 'attempt')};"
            f" {quiz.right_answers} of {quiz.questions} answers right)",
            f"  first attempts: {quiz.first_attempt_passed} of {quiz.regions_quizzed} passed,"
            f" {quiz.first_attempt_right} of {quiz.first_attempt_questions} answers right",
        ]
        for region in quiz.regions[:6]:
            lines.append(
                f"  {region.path or region.region_id}: {_count(region.attempts, 'attempt')},"
                f" first {region.first_score}/{region.first_total}"
                + (", passed" if region.passed else ", not passed")
            )
        for label, tallies in (
            ("by question type", quiz.by_question_type),
            ("by construct", quiz.by_construct),
        ):
            if tallies:
                shown = ", ".join(f"{t.key} {t.passed}/{t.regions}" for t in tallies[:6])
                lines.append(f"  {label}: {shown}")
        parts.append(Text("\n".join(lines)))
    return Group(*_spaced(parts))


def _team(report: TeamReport) -> RenderableType:
    parts: list[RenderableType] = [_headline(report.team, f"team, {report.repository}")]
    table = Table(title="Per developer", title_justify="left", box=None, padding=(0, 1))
    table.add_column("developer", overflow="fold", max_width=36)
    for name in ("debt", "pending", "waived", "understood"):
        table.add_column(name, justify="right")
    for developer in report.developers:
        lines = developer.current
        table.add_row(
            developer.developer,
            str(lines.debt_lines),
            str(lines.pending_lines),
            str(lines.waived_lines),
            str(lines.understood_lines),
        )
    parts.append(table)
    if report.files:
        parts.append(_files_table(report.files, "Files with the most unexplained foreign code"))
    found = report.attestations
    parts.append(
        Text(
            f"From {found.attestations} attestations in {found.notes} notes:"
            f" {found.anchored} in place, {found.reanchored} found again after history was"
            f" rewritten, {found.gone} whose code is gone"
            + (f", {found.unreadable} unreadable lines skipped" if found.unreadable else ""),
            style="dim",
        )
    )
    return Group(*_spaced(parts))


def _spaced(parts: list[RenderableType]) -> list[RenderableType]:
    spaced: list[RenderableType] = []
    for part in parts:
        if spaced:
            spaced.append(Text(""))
        spaced.append(part)
    return spaced


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
