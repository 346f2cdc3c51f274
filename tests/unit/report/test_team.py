"""The team computation from attestations (no git): merging, re-anchoring, team states."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mindgap.team.anchoring import CodeLocator, line_fingerprint
from mindgap.team.debt import team_report
from mindgap.team.notes import Attestation, NotesSnapshot, note_text, parse_note

CODE = "def f(x):\n    y = x * 2\n    return y\n\nVALUE = 1\n"
LINES = CODE.split("\n")


def attestation(developer: str, state: str, time: float, path: str = "app.py") -> Attestation:
    return Attestation(
        developer=developer,
        path=path,
        fingerprint="abc",
        line_fingerprint=line_fingerprint(LINES, 0, 2),
        span=3,
        lines=3,
        state=state,  # type: ignore[arg-type]
        time=time,
    )


def test_a_note_is_sorted_unique_json_lines_and_bad_lines_are_counted_not_fatal():
    a, b = attestation("a@x", "pending", 1), attestation("b@x", "waived", 2)
    text = note_text([b.to_line(), a.to_line(), a.to_line()])
    assert text.splitlines() == sorted({a.to_line(), b.to_line()})
    parsed, bad = parse_note(text + 'not json\n{"developer": 1}\n\n')
    assert parsed == [a, b]
    assert bad == 2


def test_code_is_found_again_whatever_its_indentation():
    moved = "import os\n\n  def f(x):\n        y = x * 2\n        return y\n"
    locator = CodeLocator({"app.py": moved, "gone.py": None})
    assert locator.locate("app.py", 3, line_fingerprint(LINES, 0, 2)) == 2
    assert locator.locate("gone.py", 3, line_fingerprint(LINES, 0, 2)) is None
    assert locator.locate("app.py", 2, line_fingerprint(LINES, 0, 2)) is None


def test_newest_attestation_per_developer_counts_and_the_team_counts_code_once():
    snapshot = NotesSnapshot(
        notes=2,
        pairs=[
            ("old", attestation("a@x", "pending", 1)),
            ("new", attestation("a@x", "understood", 5)),  # later: a passed quiz
            ("new", attestation("b@x", "waived", 3)),
            ("new", attestation("c@x", "pending", 3, path="deleted.py")),
        ],
    )
    report = team_report("/repo", "new", snapshot, {"new"}, CodeLocator({"app.py": CODE}), 0.0)
    by_developer = {d.developer: d.current for d in report.developers}
    assert by_developer["a@x"].understood_lines == 3
    assert by_developer["b@x"].waived_lines == 3
    assert "c@x" not in by_developer  # its code is gone from HEAD
    assert report.team.understood_lines == 3  # someone has shown they understand it
    assert report.team.debt_lines == 0
    assert (report.attestations.anchored, report.attestations.gone) == (2, 1)


def test_attestations_on_rewritten_commits_are_reanchored_by_fingerprint():
    snapshot = NotesSnapshot(notes=1, pairs=[("rewritten", attestation("a@x", "pending", 1))])
    report = team_report("/repo", "head", snapshot, {"head"}, CodeLocator({"app.py": CODE}), 0.0)
    assert report.attestations.reanchored == 1
    assert report.team.pending_lines == 3


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.sampled_from(["", "  ", "a = 1", "  b(a)", "\tc", "é 😀", "a = 1  "]), max_size=12
    ),
    first=st.integers(0, 11),
    span=st.integers(1, 12),
)
def test_the_one_pass_index_finds_what_fingerprinting_each_window_finds(lines, first, span):
    text = "\n".join(lines)
    all_lines = text.split("\n")
    wanted = line_fingerprint(all_lines, first, first + span - 1)
    expected = next(
        (
            start
            for start in range(len(all_lines) - span + 1)
            if line_fingerprint(all_lines, start, start + span - 1) == wanted
        ),
        None,
    )
    locator = CodeLocator({"a.py": text})
    locator.prepare([("a.py", span), ("a.py", span + 1)])
    assert locator.locate("a.py", span, wanted) == expected
    assert CodeLocator({"a.py": text}).locate("a.py", span, wanted) == expected
