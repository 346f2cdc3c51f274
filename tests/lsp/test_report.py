"""The debt in the editor: `mindgap.report` and the `mindgap/debt` status notification."""

from __future__ import annotations

from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_gate import FOREIGN, command, expected_quiz
from tests.lsp.test_server import change, mindgap_diagnostics, open_file, pos

SUMMARY_KEYS = {
    "foreignLines",
    "understoodLines",
    "pendingLines",
    "waivedLines",
    "debtLines",
    "text",
}


def as_dict(params) -> dict:
    return params._asdict() if hasattr(params, "_asdict") else dict(params)


async def start_with_status(session: Session) -> tuple[object, list[dict]]:
    statuses: list[dict] = []
    client = await session.start(
        experimental={"mindgapQuizUI": True},
        handlers={"mindgap/debt": lambda params: statuses.append(as_dict(params))},
    )
    return client, statuses


async def insert_foreign(session: Session, client) -> tuple[str, str]:
    target = session.workspace / "shop.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    change(client, uri, 2, pos(0, 0), pos(0, 0), FOREIGN)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) >= 1)
    return uri, mindgap_diagnostics(client, uri)[0].data["regionId"]


async def test_the_status_arrives_after_initialization_and_follows_a_waive(session: Session):
    client, statuses = await start_with_status(session)
    await wait_until(lambda: bool(statuses))
    assert set(statuses[0]) == SUMMARY_KEYS
    assert statuses[0]["foreignLines"] == 0
    assert statuses[0]["text"] == "mindgap: no foreign code"

    uri, region_id = await insert_foreign(session, client)
    await wait_until(lambda: statuses[-1]["pendingLines"] == 7)
    assert statuses[-1]["debtLines"] == 7

    await command(client, "mindgap.waive", {"uri": uri, "regionId": region_id})
    await wait_until(lambda: statuses[-1]["waivedLines"] == 7)
    assert statuses[-1]["pendingLines"] == 0
    assert statuses[-1]["debtLines"] == 7  # waived code stays debt
    assert "7 waived" in statuses[-1]["text"]


async def test_a_passed_quiz_clears_the_debt_in_the_status(session: Session):
    client, statuses = await start_with_status(session)
    uri, region_id = await insert_foreign(session, client)
    await wait_until(lambda: bool(statuses) and statuses[-1]["pendingLines"] == 7)
    await command(client, "mindgap.quiz", {"uri": uri, "regionId": region_id})
    right = {q.id: q.answer for q in expected_quiz("").questions}
    graded = await command(
        client, "mindgap.answer", {"uri": uri, "regionId": region_id, "answers": right}
    )
    assert graded["passed"] is True
    await wait_until(lambda: statuses[-1]["understoodLines"] == 7)
    assert statuses[-1]["debtLines"] == 0


async def test_the_report_command_returns_the_summary_and_each_format(session: Session):
    client, _ = await start_with_status(session)
    await insert_foreign(session, client)
    html = await command(client, "mindgap.report", {"format": "html"})
    assert html["format"] == "html"
    summary = as_dict(html["summary"])
    assert set(summary) == SUMMARY_KEYS
    assert (summary["foreignLines"], summary["debtLines"]) == (7, 7)
    assert html["content"].startswith("<!DOCTYPE html>")
    assert 'data-debt-lines="7"' in html["content"] and "<svg" in html["content"]

    data = await command(client, "mindgap.report", {"format": "json"})
    content = as_dict(data["content"])
    assert as_dict(content["current"])["debtLines"] == 7

    text = await command(client, "mindgap.report", {"format": "text"})
    assert "7 debt lines of 7 foreign lines" in text["content"]
