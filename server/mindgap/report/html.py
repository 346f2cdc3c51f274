"""The report as ONE self-contained HTML page: inline CSS and inline SVG charts.

No scripts, fonts, images or links to anything outside the page: it opens in any browser
without a network (the browser test checks that it makes no request at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from mindgap.report.model import (
    DebtPoint,
    DebtReport,
    FileDebt,
    LeanedConstruct,
    StateLines,
    TeamReport,
)
from mindgap.report.text import short_path

COLOURS = {"understood": "#2e7d32", "pending": "#c62828", "waived": "#ef6c00"}
TOP = 10

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
       color: #1f2328; background: #f6f8fa; }
main { max-width: 960px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.who { color: #57606a; margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 16px;
        min-width: 130px; }
.card .n { font-size: 28px; font-weight: 600; } .card .l { color: #57606a; font-size: 13px; }
.debt .n { color: #c62828; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 16px;
          margin-top: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 12px system-ui, sans-serif; fill: #57606a; }
.legend span { display: inline-block; margin-right: 14px; font-size: 13px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.muted { color: #57606a; font-size: 13px; }
"""


def render_html(report: DebtReport | TeamReport) -> str:
    if isinstance(report, TeamReport):
        title = f"Team understanding debt - {report.repository}"
        body = _team_body(report)
        lines = report.team
    else:
        title = f"Understanding debt - {report.developer}"
        body = _personal_body(report)
        lines = report.current
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # forbids every fetch, so a page that slipped in a link could not phone home
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f'<body><main data-debt-lines="{lines.debt_lines}">{body}</main></body></html>\n'
    )


def _cards(lines: StateLines) -> str:
    cards = [
        ("debt", lines.debt_lines, "debt lines (pending + waived)"),
        ("", lines.foreign_lines, "foreign lines"),
        ("", lines.understood_lines, "understood"),
        ("", lines.pending_lines, "pending"),
        ("", lines.waived_lines, "waived"),
        ("", f"{lines.weighted_debt:g}", "weighted debt"),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card {cls}" id="{"debt-figure" if cls else ""}">'
            f'<div class="n">{value}</div><div class="l">{escape(label)}</div></div>'
            for cls, value, label in cards
        ).replace(' id=""', "")
        + "</div>"
    )


def _legend() -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><i style="background:{colour}"></i>{name}</span>'
            for name, colour in COLOURS.items()
        )
        + "</div>"
    )


def state_bar(lines: StateLines, width: int = 900) -> str:
    """One stacked bar: understood, pending, waived."""
    total = lines.foreign_lines or 1
    x = 0.0
    parts = []
    for name, value in (
        ("understood", lines.understood_lines),
        ("pending", lines.pending_lines),
        ("waived", lines.waived_lines),
    ):
        w = width * value / total
        if value:
            parts.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="28" fill="{COLOURS[name]}">'
                f"<title>{name}: {value} lines</title></rect>"
            )
        x += w
    if not lines.foreign_lines:
        parts.append(f'<rect x="0" y="0" width="{width}" height="28" fill="#eaeef2"/>')
    return (
        f'<svg class="chart" id="state-chart" viewBox="0 0 {width} 28" role="img"'
        f' aria-label="foreign lines by state">{"".join(parts)}</svg>{_legend()}'
    )


def debt_chart(points: Sequence[DebtPoint], width: int = 900, height: int = 220) -> str:
    """Debt lines per day (stacked pending and waived areas, the foreign total as a line)."""
    left, bottom, top = 44, 24, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    top_value = max([p.foreign_lines for p in points] + [1])
    count = max(len(points) - 1, 1)

    def xy(i: int, value: int) -> str:
        return f"{left + plot_w * i / count:.1f},{top + plot_h * (1 - value / top_value):.1f}"

    def area(values: list[int], base: list[int], colour: str, name: str) -> str:
        upper = [xy(i, b + v) for i, (v, b) in enumerate(zip(values, base, strict=True))]
        lower = [xy(i, b) for i, b in reversed(list(enumerate(base)))]
        return (
            f'<polygon points="{" ".join(upper + lower)}" fill="{colour}" fill-opacity="0.75">'
            f"<title>{name}</title></polygon>"
        )

    pending = [p.pending_lines for p in points]
    waived = [p.waived_lines for p in points]
    zero = [0] * len(points)
    foreign = " ".join(xy(i, p.foreign_lines) for i, p in enumerate(points))
    axis = (
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"'
        ' stroke="#8c959f"/>'
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{top_value}</text>'
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>'
    )
    if points:
        axis += (
            f'<text x="{left}" y="{height - 6}">{escape(points[0].date)}</text>'
            f'<text x="{left + plot_w}" y="{height - 6}" text-anchor="end">'
            f"{escape(points[-1].date)}</text>"
        )
    single = len(points) == 1  # one day: draw bars, an area needs two points
    if single:
        p = points[0]
        h_p = plot_h * p.pending_lines / top_value
        h_w = plot_h * p.waived_lines / top_value
        shapes = (
            f'<rect x="{left}" y="{top + plot_h - h_p:.1f}" width="40" height="{h_p:.1f}"'
            f' fill="{COLOURS["pending"]}"/><rect x="{left}" y="{top + plot_h - h_p - h_w:.1f}"'
            f' width="40" height="{h_w:.1f}" fill="{COLOURS["waived"]}"/>'
        )
    else:
        shapes = (
            area(pending, zero, COLOURS["pending"], "pending")
            + area(waived, pending, COLOURS["waived"], "waived")
            + f'<polyline points="{foreign}" fill="none" stroke="#57606a"'
            ' stroke-dasharray="4 3"><title>foreign lines</title></polyline>'
        )
    return (
        f'<svg class="chart" id="debt-over-time" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="debt over time">{axis}{shapes}</svg>'
        '<p class="muted">Pending (red) and waived (orange) lines per day; dashed: all foreign'
        " lines.</p>"
    )


def bar_chart(chart_id: str, rows: Sequence[tuple[str, int]], colour: str, width: int = 900) -> str:
    """Horizontal bars, one per labelled value."""
    if not rows:
        return ""
    label_w, bar_h, gap = 330, 18, 6
    top_value = max(value for _, value in rows) or 1
    height = len(rows) * (bar_h + gap)
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (bar_h + gap)
        w = (width - label_w - 50) * value / top_value
        bars.append(
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 13}">{value}</text>'
        )
    return (
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {width} {height}" role="img">'
        f"{''.join(bars)}</svg>"
    )


def _files_section(files: Sequence[FileDebt]) -> str:
    if not files:
        return ""
    rows = [(short_path(f.path, 48), f.debt_lines) for f in files[:TOP] if f.debt_lines]
    table = "".join(
        f"<tr><td>{escape(short_path(f.path, 70))}</td><td class=n>{f.debt_lines}</td>"
        f"<td class=n>{f.pending_lines}</td><td class=n>{f.waived_lines}</td>"
        f"<td class=n>{f.understood_lines}</td><td class=n>{f.weighted_debt:g}</td></tr>"
        for f in files[:50]
    )
    return (
        "<section><h2>Files with the most unexplained foreign code</h2>"
        + bar_chart("top-files", rows, COLOURS["pending"])
        + "<table><tr><th>file</th><th class=n>debt</th><th class=n>pending</th>"
        "<th class=n>waived</th><th class=n>understood</th><th class=n>weighted</th></tr>"
        + table
        + "</table></section>"
    )


def _leaning_section(leaning: Sequence[LeanedConstruct], profile: bool) -> str:
    if not leaning:
        why = (
            "None: every construct you accept often, you also write yourself."
            if profile
            else "Run <code>mindgap profile</code> to see the constructs you lean on assistants"
            " for."
        )
        return f"<section><h2>Constructs you lean on assistants for</h2><p>{why}</p></section>"
    rows = [(c.name, c.regions) for c in leaning[:TOP]]
    table = "".join(
        f"<tr><td>{escape(c.name)}</td><td>{escape(c.construct_key)}</td>"
        f"<td class=n>{c.regions}</td>"
        f"<td>{'never' if c.last_hand_written is None else escape(c.last_hand_written)}</td></tr>"
        for c in leaning[:50]
    )
    return (
        "<section><h2>Constructs you lean on assistants for</h2>"
        '<p class="muted">In foreign code you accepted often, never or no longer written by'
        " hand: the skills you are losing.</p>"
        + bar_chart("constructs", rows, "#6f42c1")
        + "<table><tr><th>construct</th><th>key</th><th class=n>regions</th>"
        "<th>last written by hand</th></tr>" + table + "</table></section>"
    )


def _personal_body(report: DebtReport) -> str:
    accepted, by, gone, quiz = report.accepted, report.understood_by, report.gone, report.quiz
    parts = [
        "<h1>Understanding debt</h1>",
        f'<p class="who">{escape(report.developer)} - {escape(report.generated_at)}</p>',
        _cards(report.current),
        "<section><h2>Foreign lines by state</h2>" + state_bar(report.current) + "</section>",
        "<section><h2>Debt over time</h2>" + debt_chart(report.series) + "</section>",
        "<section><h2>Accepted and understood</h2><table>"
        f"<tr><td>accepted this week</td><td class=n>{accepted.this_week_lines} lines"
        f" ({accepted.this_week_regions} regions)</td></tr>"
        f"<tr><td>accepted in all</td><td class=n>{accepted.all_lines} lines"
        f" ({accepted.all_regions} regions)</td></tr>"
        f"<tr><td>understood by quiz / explanation / hand-write</td><td class=n>"
        f"{by.quiz_lines} / {by.explanation_lines} / {by.hand_write_lines}</td></tr>"
        f"<tr><td>no longer foreign: deleted / retyped / marked yours</td><td class=n>"
        f"{gone.deleted_lines} / {gone.retyped_lines} / {gone.marked_mine_lines}</td></tr>"
        "</table></section>",
        _files_section(report.files),
        _leaning_section(report.leaning, report.profile),
    ]
    if quiz.regions_quizzed:
        rows = "".join(
            f"<tr><td>{escape(kind)}</td><td>{escape(t.key)}</td><td class=n>{t.passed} of"
            f" {t.regions}</td></tr>"
            for kind, tallies in (
                ("question type", quiz.by_question_type),
                ("construct", quiz.by_construct),
            )
            for t in tallies[:TOP]
        )
        parts.append(
            "<section><h2>Quiz results</h2>"
            f"<p>{quiz.regions_passed} of {quiz.regions_quizzed} regions passed, in"
            f" {quiz.attempts} attempts; {quiz.right_answers} of {quiz.questions} answers"
            f" right. First attempts: {quiz.first_attempt_passed} of {quiz.regions_quizzed}"
            f" passed, {quiz.first_attempt_right} of {quiz.first_attempt_questions} answers"
            " right.</p><table><tr><th>by</th><th></th><th class=n>regions passed</th></tr>"
            + rows
            + "</table></section>"
        )
    return "".join(parts)


def _team_body(report: TeamReport) -> str:
    found = report.attestations
    developers = "".join(
        f"<tr><td>{escape(d.developer)}</td><td class=n>{d.current.debt_lines}</td>"
        f"<td class=n>{d.current.pending_lines}</td><td class=n>{d.current.waived_lines}</td>"
        f"<td class=n>{d.current.understood_lines}</td></tr>"
        for d in report.developers
    )
    return "".join(
        [
            "<h1>Team understanding debt</h1>",
            f'<p class="who">{escape(report.repository)} at {escape(report.head or "-")} -'
            f" {escape(report.generated_at)}</p>",
            _cards(report.team),
            "<section><h2>Foreign lines by state</h2>" + state_bar(report.team) + "</section>",
            "<section><h2>Per developer</h2>"
            + bar_chart(
                "developers",
                [(d.developer, d.current.debt_lines) for d in report.developers[:TOP]],
                COLOURS["pending"],
            )
            + "<table><tr><th>developer</th><th class=n>debt</th><th class=n>pending</th>"
            "<th class=n>waived</th><th class=n>understood</th></tr>"
            + developers
            + "</table></section>",
            _files_section(report.files),
            f'<p class="muted">From {found.attestations} attestations in {found.notes} notes:'
            f" {found.anchored} in place, {found.reanchored} found again after history was"
            f" rewritten, {found.gone} whose code is gone.</p>",
        ]
    )
