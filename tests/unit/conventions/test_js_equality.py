"""JavaScript/TypeScript equality: strict or loose, with `== null` left alone."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, sites


def test_comparisons_vote_and_null_checks_do_not() -> None:
    code = """\
    if (status == 200 || kind !== 'error') {}
    if (value == null || other != undefined || a === b) {}
    """
    assert sites("typescript", "equality", code) == [
        ("comparison", "loose", "=="),
        ("comparison", "strict", "!=="),
        ("comparison", "strict", "==="),
    ]


def test_no_rewrite_because_the_meaning_differs() -> None:
    assert all(not o.rewrites for o in observations("javascript", "equality", "a == b;\n"))
