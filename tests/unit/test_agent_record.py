"""Which lines an agent's edit wrote, from its payload and the file on disk; what a git-ai
authorship log says; hook payloads read into one shape."""

from __future__ import annotations

import pytest

from mindgap.provenance.agent_payloads import (
    HookEvent,
    PayloadError,
    TextEdit,
    guess_agent,
    read_event,
)
from mindgap.provenance.agent_record import changed_lines, edit_spans, written_lines
from mindgap.provenance.git_import import git_ai_note

BEFORE = "a = 1\nb = 2\nc = 3\n"


def no_baseline() -> str | None:
    return None


def test_only_the_lines_that_differ_from_the_old_text_are_the_agents() -> None:
    edit = TextEdit("b = 2\n", "b = 2\nb2 = 4\n")
    after = BEFORE.replace(edit.old, edit.new)
    assert edit_spans(after, edit, no_baseline) == [(2, 3)]  # `b2 = 4`, 0-based line 2


def test_an_edit_that_starts_mid_line_counts_the_lines_it_touched() -> None:
    edit = TextEdit("2\nc", "20\nc")
    after = BEFORE.replace(edit.old, edit.new)
    assert edit_spans(after, edit, no_baseline) == [(1, 2)]  # `b = 20`


def test_a_deletion_writes_nothing_and_a_missing_edit_is_none() -> None:
    assert edit_spans("a = 1\n", TextEdit("b = 2\n", ""), no_baseline) == []
    assert edit_spans(BEFORE, TextEdit("x = 0\n", "y = 0\n"), no_baseline) is None


def test_two_equally_fitting_places_are_settled_by_the_baseline_or_give_nothing() -> None:
    # the new text appears twice after the edit: once it was there already
    edit = TextEdit("c = 3\n", "done()\n")
    before = "done()\nc = 3\n"
    after = before.replace(edit.old, edit.new)
    assert edit_spans(after, edit, no_baseline) is None  # better nothing than the wrong line
    assert edit_spans(after, edit, lambda: before) == [(1, 2)]


def test_a_file_with_crlf_line_ends_takes_an_edit_given_in_lf() -> None:
    edit = TextEdit("b = 2\n", "b = 2\nb2 = 4\n")
    after = "a = 1\r\nb = 2\r\nb2 = 4\r\nc = 3\r\n"
    assert edit_spans(after, edit, no_baseline) == [(2, 3)]


def test_chained_edits_where_a_later_one_rewrote_an_earlier_are_undone_in_order() -> None:
    # MultiEdit: the second edit changes a line the first one wrote
    edits = (TextEdit("b = 2\n", "b = 2\nx = 0\ny = 0\n"), TextEdit("y = 0\n", "y = 9\n"))
    after = "a = 1\nb = 2\nx = 0\ny = 9\nc = 3\n"
    event = HookEvent(agent="claude-code", kind="edit", path="/r/a.py", edits=edits)
    assert written_lines(event, after, no_baseline) == ([(2, 4)], None)


def test_replace_all_records_every_place() -> None:
    edit = TextEdit("1", "one", replace_all=True)
    after = "x = one\ny = one\n"
    assert edit_spans(after, edit, no_baseline) == [(0, 1), (1, 2)]


def test_changed_lines_in_a_long_file_are_only_the_changed_ones() -> None:
    old = "".join(f"def f{n}():\n    return {n}\n\n\n" for n in range(300))
    new = old.replace("    return 150\n", "    return 150\n\n\nX = 1\n")
    lines = new.split("\n")
    written = [lines[n] for first, end in changed_lines(old, new) for n in range(first, end)]
    assert [line for line in written if line.strip()] == ["X = 1"]


def test_changed_lines_ignore_re_indentation() -> None:
    assert changed_lines("if x:\n    go()\n", "if x:\n        go()\n") == []
    assert changed_lines("a\nb\n", "a\nB\nc\n") == [(1, 3)]


def test_a_git_ai_log_gives_its_lines_per_file_and_its_agent() -> None:
    note = (
        'src/main.rs\n  abcd1234abcd1234 1-3,7\n"src/my file.rs"\n  abcd1234abcd1234 10\n---\n'
        '{"schema_version": "authorship/3.0.0", "base_commit_sha": "x", "prompts": '
        '{"abcd1234abcd1234": {"agent_id": {"tool": "cursor", "id": "1", "model": "gpt-5"}}}}'
    )
    tool, lines = git_ai_note(note) or ("", {})
    assert tool == "cursor, gpt-5"
    assert lines == {"src/main.rs": {1, 2, 3, 7}, "src/my file.rs": {10}}
    assert git_ai_note("no divider here") is None


def test_payloads_name_their_agent_and_a_bad_one_says_why() -> None:
    assert guess_agent({"conversation_id": "c", "file_path": "/x"}) == "cursor"
    assert guess_agent({"type": "agent-turn-complete"}) == "codex"
    assert guess_agent({"hook_event_name": "AfterTool"}) == "gemini"
    assert guess_agent({"hook_event_name": "PostToolUse"}) == "claude-code"
    with pytest.raises(PayloadError, match="new_string"):
        read_event(
            {"tool_name": "Edit", "tool_input": {"file_path": "/r/a.py", "old_string": "a"}},
            "claude-code",
        )
    read = read_event({"tool_name": "Read", "tool_input": {"file_path": "/r/a.py"}}, "claude-code")
    assert read.kind == "ignored"
    label = read_event(
        {
            "session_id": "3f2a9c1e-58d4",
            "tool_name": "Write",
            "tool_input": {"file_path": "/r/a.py", "content": "x"},
        },
        "claude-code",
    ).tool_label
    assert label == "Claude Code, session 3f2a9c1e"
