"""Python quotes: which string literals vote for a quote style, and the swapped rewrite."""

from __future__ import annotations

from tests.unit.conventions.python_observe import observations, rewritten, sites


def test_plain_strings_vote_with_their_quote_and_keep_their_prefix() -> None:
    code = """
    a = 'alpha'
    b = "beta"
    c = rb'raw bytes'
    d = f"{a}-{b}"
    """
    assert sites("quotes", code) == [
        ("string", "single", "'alpha'"),
        ("string", "double", '"beta"'),
        ("string", "single", "rb'raw bytes'"),
        ("string", "double", 'f"{a}-{b}"'),
    ]


def test_strings_holding_a_quote_and_strings_inside_placeholders_do_not_vote() -> None:
    code = """
    apostrophe = "it's"
    speech = 'say "hi"'
    escaped = 'it\\'s'
    lookup = f"{row['key']}"
    """
    assert sites("quotes", code) == []


def test_docstrings_and_other_triple_quoted_strings_are_aspects_of_their_own() -> None:
    code = '''
    """Module docstring."""

    def query():
        \'\'\'Function docstring.\'\'\'
        return """SELECT 1"""

    class Model:
        """A "quoted" word."""
    '''
    assert sites("quotes", code) == [
        ("docstring", "double", '"""Module docstring."""'),
        ("docstring", "single", "'''Function docstring.'''"),
        ("triple-quoted", "double", '"""SELECT 1"""'),
        ("docstring", "double", '"""A "quoted" word."""'),
    ]


def test_a_triple_quoted_string_ending_in_the_other_quote_does_not_vote() -> None:
    assert sites("quotes", "x = '''ends with \"'''\n") == []


def test_the_rewrite_swaps_the_quotes_into_valid_code() -> None:
    code = "name = rb'world'\nsql = '''SELECT \"x\" FROM t'''\n"
    raw, sql = observations("quotes", code)
    assert raw.rewrites == {"double": 'rb"world"'}
    assert rewritten(code, raw, "double").startswith('name = rb"world"\n')
    assert sql.rewrites == {"double": '"""SELECT "x" FROM t"""'}
    assert rewritten(code, sql, "double").endswith('sql = """SELECT "x" FROM t"""\n')
