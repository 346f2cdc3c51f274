"""Text, HTML and JSON renderings of a report with something in every section."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from mindgap.ledger.events import Event
from mindgap.report.debt import CurrentRegion, HandEvidence, compute_debt
from mindgap.report.html import render_html
from mindgap.report.model import DebtReport
from mindgap.report.text import render_text

NOW = datetime(2026, 3, 20, 12, tzinfo=timezone.utc).timestamp()
LONG = (
    "/home/someone/projects/a-very-long-project-name/src/package/subpackage/"
    "module_with_a_long_name.py"
)


def sample() -> DebtReport:
    events = [
        Event("inserted", LONG, "a", "a", "fa", 12, {}, NOW - 5 * 86_400),
        Event("inserted", "/r/b.py", "b", "b", "fb", 4, {}, NOW - 2 * 86_400),
        Event("quizzed", "/r/b.py", "b", "b", "fb", 4, {"questions": ["names"]}, NOW - 86_400),
        Event(
            "answered",
            "/r/b.py",
            "b",
            "b",
            "fb",
            4,
            {"passed": True, "score": 3, "total": 3},
            NOW - 86_400,
        ),
        Event("waived", "/r/c.py", "c", "c", "fc", 2, {"state": "waived"}, NOW - 86_400),
    ]
    regions = [
        CurrentRegion("a", "a", LONG, "pending", 12, constructs=("python/lambda",) * 2),
        CurrentRegion("b", "b", "/r/b.py", "understood", 4, constructs=("python/lambda",)),
        CurrentRegion("c", "c", "/r/c.py", "waived", 2, unfamiliar=("python/walrus",)),
    ]
    hand = {"python/lambda": HandEvidence(0, None, False)}
    return compute_debt(
        "dev@example.com",
        events,
        regions,
        now=NOW,
        profile=True,
        hand=hand,
        names={"python/lambda": "lambda <script>"},
    )


def test_text_fits_an_80_column_terminal_and_shows_every_section():
    text = render_text(sample())
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "14 debt lines of 18 foreign lines" in text
    assert "Files with the most unexplained foreign code" in text
    assert "…" in text  # the long path lost its start, not its name
    assert "module_with_a_long_name.py" in text
    assert "Constructs you lean on assistants for" in text
    assert "Quizzes: 1 of 1 regions passed" in text


def test_html_is_one_self_contained_page_with_charts():
    page = render_html(sample())
    assert page.startswith("<!DOCTYPE html>")
    assert 'data-debt-lines="14"' in page
    for chart in ("debt-over-time", "state-chart", "top-files", "constructs"):
        assert f'id="{chart}"' in page
    # nothing the browser would fetch: no scripts, links, images, fonts or URLs
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"(https?:)?//[a-z]", page.replace("http-equiv", ""))
    assert "url(" not in page and "@import" not in page
    # construct names are escaped, never markup
    assert "lambda &lt;script&gt;" in page


def test_json_round_trips_through_the_model_with_camel_case_keys():
    report = sample()
    data = json.loads(report.to_json())
    assert data["schemaVersion"] == 1
    assert data["current"]["debtLines"] == 14
    assert data["current"]["weightedDebt"] == 12 + 2 * 1.5
    assert data["leaning"][0]["constructKey"] == "python/lambda"
    assert DebtReport.model_validate(data) == report
