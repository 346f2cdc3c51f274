"""JavaScript/TypeScript semicolons: read from the tree, statement by statement."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites


def test_each_statement_votes_with_or_without_its_semicolon() -> None:
    code = """\
    import fs from 'fs'
    const total = 1;
    for (let i = 0; i < 3; i++) { count(i) }
    export function run() { return total }
    export default total;
    """
    assert sites("javascript", "semicolons", code) == [
        ("statement", "no-semicolon", "'fs'"),
        ("statement", "semicolon", ";"),
        ("statement", "no-semicolon", ")"),
        ("statement", "no-semicolon", "total"),
        ("statement", "semicolon", ";"),
    ]


def test_typescript_type_aliases_count_and_broken_statements_do_not() -> None:
    code = "type Id = string;\nconst x = (1 +;\n"
    assert sites("typescript", "semicolons", code) == [("statement", "semicolon", ";")]


def test_adding_a_semicolon_is_valid_code() -> None:
    code = "const total = compute(items)\nsend(total)\n"
    first, _ = observations("javascript", "semicolons", code)
    assert first.rewrites == {"semicolon": ");"}
    assert rewritten("javascript", code, first, "semicolon") == (
        "const total = compute(items);\nsend(total)\n"
    )


def test_removal_is_offered_only_where_it_keeps_the_meaning() -> None:
    code = "const a = b;\n(run)();\nlet c = 1; let d = 2;\nfinish();\n"
    kept, run, c, d, finish = observations("javascript", "semicolons", code)
    assert kept.rewrites == {}  # the next line starts with '(': it would become a call
    assert c.rewrites == {}  # another statement follows on the same line
    assert d.rewrites == {"no-semicolon": ""}
    assert rewritten("javascript", code, d, "no-semicolon").endswith("let d = 2\nfinish();\n")
    assert run.rewrites == {"no-semicolon": ""} and finish.rewrites == {"no-semicolon": ""}
