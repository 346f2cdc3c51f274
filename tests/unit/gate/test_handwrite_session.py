"""Hand-write sessions: the comment block that replaces foreign code, finding the
developer's version in it, the behaviour inputs, the store; and `explain:` comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from mindgap.gate.explain_comment import explanation_above, template_line
from mindgap.gate.handwrite_session import (
    HandwriteError,
    HandwriteStore,
    behaviour_calls,
    check_version,
    generated_line_spans,
    locate,
    own_lines,
    start_session,
)
from mindgap.ledger.database import Database
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named

TOTAL = (
    "def total(prices: list[int], discount: int) -> int:\n"
    "    result = 0\n"
    "    for price in prices:\n"
    "        if price < 0:\n"
    '            raise ValueError("negative price")\n'
    "        result += price\n"
    "    return result - discount\n"
)
BEFORE = "import math\n\n\n"
AFTER = "\n\nprint(total([1], 0))\n"


def session_for(code: str, language: str = "python", before: str = BEFORE, after: str = AFTER):
    text = before + code + after
    document = SyntaxDocument("file:///w/shop", text, language_named(language))
    region = Region(len(before), len(before) + len(code.rstrip()), code.rstrip(), "paste")
    session, start, end = start_session(
        "file:///w/shop",
        "/w/shop",
        language,
        text,
        document.tree,
        document.index.byte_offset,
        region,
    )
    return session, text, start, end


def test_the_block_replaces_whole_lines_and_states_what_the_code_must_do():
    session, text, start, end = session_for(TOTAL)
    assert text[start:end] == TOTAL  # the whole lines, their line breaks included
    assert session.original_lines == TOTAL and session.offset_in_lines == 0
    lines = session.block.splitlines()
    assert lines[0].startswith("# mindgap hand-write ") and lines[-1].endswith(": end")
    for fact in (
        "# Write your own version between these lines. It must:",
        "#   - define `total`",
        "#   - takes `prices`",
        "#   - takes `discount`",
        "#   - returns `result - discount`",
        "#   - raises `ValueError`",
    ):
        assert fact in lines, fact
    assert "result += price" not in session.block  # the code itself is not in the comment


def test_other_languages_use_their_comment_syntax_and_keep_the_indentation():
    code = "    function add(a, b) {\n      return a + b;\n    }\n"
    session, _, _, _ = session_for(code.lstrip(" "), "javascript", before="    ", after="")
    lines = session.block.splitlines()
    assert all(line.startswith("    // ") for line in lines)
    assert "    //   - define `add`" in lines


def test_code_sharing_a_line_with_other_code_is_not_put_aside():
    with pytest.raises(HandwriteError, match="whole lines"):
        session_for("[1, 2, 3]", before="values = ", after="\n")


def test_the_developer_version_is_what_lies_between_the_markers():
    session, text, start, end = session_for(TOTAL)
    mine = "def total(p, d):\n    return 0\n"
    document = text[:start] + session.block + text[end:]
    end_marker = document.index(session.end_marker)
    document = document[:end_marker] + mine + document[end_marker:]
    placement = locate(document, session)
    assert placement is not None
    own_start, own_end = own_lines(document, placement, session)
    assert document[own_start:own_end] == mine
    spans = generated_line_spans(document, placement, session)
    cleaned = document
    for a, b in reversed(spans):
        cleaned = cleaned[:a] + cleaned[b:]
    assert cleaned == BEFORE + mine + AFTER  # only the generated lines go
    assert locate(document.replace(session.end_marker, "# gone"), session) is None


def test_behaviour_inputs_are_the_quiz_planners_and_decide_a_restructured_version():
    session, _, _, _ = session_for(TOTAL)
    assert session.calls and all(call.startswith("total([") for call in session.calls)
    restructured = (
        "def total(prices: list[int], discount: int) -> int:\n"
        "    if any(price < 0 for price in prices):\n"
        '        raise ValueError("negative price")\n'
        "    return sum(prices) - discount\n"
    )
    assert check_version(session, restructured, with_behaviour=False).level is None
    accepted = check_version(session, restructured, with_behaviour=True)
    assert accepted.level == "behaviour", accepted.reason
    refused = check_version(session, restructured.replace("- discount", "+ discount"), True)
    assert refused.level is None and "yours returns" in refused.reason


def test_code_the_sandbox_refuses_gets_no_behaviour_inputs():
    writes = "def save(name: str) -> None:\n    open(name, 'w').write('x')\n"
    assert behaviour_calls(writes) == []
    assert behaviour_calls("def broken(:\n") == []


def test_sessions_are_kept_in_the_store_until_closed(tmp_path: Path):
    database = Database(tmp_path / "store.sqlite3")
    store = HandwriteStore(database, "dev@example.com")
    session, _, _, _ = session_for(TOTAL)
    store.save(session)
    reopened = HandwriteStore(Database(tmp_path / "store.sqlite3"), "dev@example.com")
    (kept,) = reopened.open_sessions("/w/shop")
    assert kept.region.text == TOTAL.rstrip() and kept.original_lines == TOTAL
    assert HandwriteStore(database, "other@example.com").open_sessions("/w/shop") == []
    session.state = "restored"
    store.save(session)
    assert reopened.open_sessions("/w/shop") == []
    stored = reopened.get(session.id)
    assert stored is not None and stored.state == "restored"


def test_an_explain_comment_right_above_the_region_is_read():
    text = (
        "x = 1\n"
        "# not part of it\n"
        "\n"
        "    # explain: adds up the prices,\n"
        "    # returns the sum.\n"
        "    def total(prices):\n"
    )
    start = text.index("def total")
    comment = explanation_above("python", text, start)
    assert comment is not None and comment.text == "adds up the prices, returns the sum."
    assert explanation_above("python", "# a comment\ndef f(): pass\n", 12) is None
    js = "// Explain: returns a plus b\nfunction add(a, b) { return a + b; }\n"
    found = explanation_above("javascript", js, js.index("function"))
    assert found is not None and found.text == "returns a plus b"


def test_the_explain_template_goes_above_the_region_at_its_indentation():
    text = "class A:\n    def f(self):\n        return 1\n"
    offset, line = template_line("python", text, text.index("def f"))
    assert offset == text.index("    def f") and line == "    # explain: \n"
