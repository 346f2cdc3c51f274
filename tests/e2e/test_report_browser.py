"""The HTML report in a real browser: headless Chromium (Debian's), driven by playwright-core.

It must render with no console errors, make no request other than the file itself, and show
the debt figure and the charts. A screenshot goes to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mindgap.ledger.events import Event
from mindgap.report.debt import CurrentRegion, HandEvidence, compute_debt
from mindgap.report.html import render_html

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).with_name("browser")
DRIVER = BROWSER_DIR / "render_report.mjs"
CHROMIUM = os.environ.get("MINDGAP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"
DAY = 86_400.0


def require(found: bool, what: str) -> None:
    if found:
        return
    if os.environ.get("MINDGAP_REQUIRE_EDITORS"):
        pytest.fail(f"{what}, and MINDGAP_REQUIRE_EDITORS asks for it (as CI does)")
    pytest.skip(what)


@pytest.fixture
def node() -> str:
    found = shutil.which("node")
    require(found is not None, "node is not on PATH")
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    require(
        (BROWSER_DIR / "node_modules" / "playwright-core").is_dir(),
        "playwright-core is not installed (npm ci --prefix tests/e2e/browser)",
    )
    assert found is not None
    return found


def a_month_of_debt() -> str:
    now = datetime(2026, 3, 20, 12, tzinfo=timezone.utc).timestamp()
    events, regions = [], []
    for n in range(30):
        path = f"/repo/src/module_{n % 6}.py"
        state = ("pending", "understood", "waived")[n % 3]
        region_id = f"r{n}"
        when = now - (30 - n) * DAY
        events.append(Event("inserted", path, region_id, region_id, "f", 3 + n % 5, {}, when))
        if state != "pending":
            kind = "answered" if state == "understood" else "waived"
            detail = {"passed": True, "score": 3, "total": 3} if kind == "answered" else {}
            events.append(
                Event(kind, path, region_id, region_id, "f", 3 + n % 5, detail, when + 3600)
            )
        regions.append(
            CurrentRegion(
                region_id,
                region_id,
                path,
                state,
                3 + n % 5,
                constructs=("python/list-comprehension", "python/lambda")[: 1 + n % 2],
                unfamiliar=("python/lambda",) if n % 2 else (),
            )
        )
    report = compute_debt(
        "dev@example.com",
        events,
        regions,
        now=now,
        profile=True,
        hand={"python/lambda": HandEvidence(0, None, False)},
        names={"python/lambda": "lambda", "python/list-comprehension": "list comprehension"},
    )
    return render_html(report), report.current.debt_lines


def test_the_report_page_renders_offline_with_its_charts(node: str, tmp_path: Path) -> None:
    page, debt = a_month_of_debt()
    page_path = tmp_path / "debt.html"
    page_path.write_text(page, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    run = subprocess.run(
        [node, str(DRIVER), str(page_path), str(screenshot), str(tmp_path / "profile")],
        cwd=BROWSER_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["consoleErrors"] == []
    assert seen["pageErrors"] == []
    assert seen["requests"] == [seen["url"]]  # the file itself, nothing else
    assert seen["failedRequests"] == []
    assert seen["debtFigure"].strip() == str(debt)
    assert seen["debtAttribute"] == str(debt)
    charts = {chart["id"]: chart for chart in seen["charts"]}
    assert set(charts) >= {"state-chart", "debt-over-time", "top-files", "constructs"}
    for chart in charts.values():
        assert chart["shapes"] > 0, chart
        assert chart["width"] > 100 and chart["height"] > 10, chart
    assert screenshot.stat().st_size > 10_000
