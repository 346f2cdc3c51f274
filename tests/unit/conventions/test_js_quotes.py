"""JavaScript/TypeScript quotes: only strings whose delimiter was a free choice vote."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites


def test_plain_strings_vote_for_their_delimiter() -> None:
    code = """\
    import path from "path";
    const a = 'ready', b = "done", c = `plain`;
    const d = "it's", e = 'say "hi"', f = `total ${a}`, g = html`<p>`;
    const h = `two
    lines`;
    """
    assert sites("javascript", "quotes", code) == [
        ("string", "double", '"path"'),
        ("string", "single", "'ready'"),
        ("string", "double", '"done"'),
        ("string", "backtick", "`plain`"),
    ]


def test_jsx_attribute_values_are_not_counted() -> None:
    code = """const view = <input type="text" value={'x'} />;\n"""
    assert sites("tsx", "quotes", code) == [("string", "single", "'x'")]


def test_quote_rewrites_are_valid_and_never_backtick_an_import_or_key() -> None:
    code = """import x from 'y';\nconst o = { 'k': "v" };\n"""
    source, key, value = observations("typescript", "quotes", code)
    assert source.rewrites == {"double": '"y"'}
    assert key.rewrites == {"double": '"k"'}
    assert value.rewrites == {"single": "'v'", "backtick": "`v`"}
    assert rewritten("typescript", code, source, "double").startswith('import x from "y";')
    assert "{ 'k': `v` }" in rewritten("typescript", code, value, "backtick")


def test_backtick_string_rewrites_to_quotes() -> None:
    code = "const label = `ready`;\n"
    (observation,) = observations("javascript", "quotes", code)
    assert rewritten("javascript", code, observation, "single") == "const label = 'ready';\n"


def test_spans_are_character_offsets_in_non_ascii_text() -> None:
    code = "const greeting = 'héllo 😀', other = \"naïve\";\n"
    assert sites("javascript", "quotes", code) == [
        ("string", "single", "'héllo 😀'"),
        ("string", "double", '"naïve"'),
    ]
