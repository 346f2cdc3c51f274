"""Python string formatting: the sites that vote, the ones that cannot, and f-string rewrites."""

from __future__ import annotations

from tests.unit.conventions.python_observe import observations, rewritten, sites


def test_each_way_of_formatting_is_observed_at_its_expression() -> None:
    code = """
    greeting = f"hello {name}"
    line = "{} has {n} items".format(owner, n=count)
    legacy = "%s scored %d" % (player, points)
    """
    assert sites("string-format", code) == [
        ("formatting", "f-string", 'f"hello {name}"'),
        ("formatting", "format", '"{} has {n} items".format(owner, n=count)'),
        ("formatting", "percent", '"%s scored %d" % (player, points)'),
    ]


def test_sites_where_only_one_form_is_possible_do_not_vote() -> None:
    code = """
    constant = f"no placeholders"
    deferred = TEMPLATE.format(name)
    remainder = total % 7
    packet = b"%d bytes" % size
    literal = "100%% sure" % ()
    braces = "{{not a field}}".format()
    inner = f"{f'{x}'}"
    """
    assert sites("string-format", code) == [("formatting", "f-string", "f\"{f'{x}'}\"")]


def test_format_calls_fed_by_names_rewrite_to_the_same_f_string() -> None:
    code = 'label = "{0}: {value!r:>8} ({{raw}})".format(key, value=item.value)\n'
    (site,) = observations("string-format", code)
    assert site.rewrites == {"f-string": 'f"{key}: {item.value!r:>8} ({{raw}})"'}
    assert rewritten(code, site, "f-string") == ('label = f"{key}: {item.value!r:>8} ({{raw}})"\n')


def test_percent_with_a_tuple_of_names_rewrites_for_s_and_r_only() -> None:
    code = """
    a = "%s and %r, 100%%" % (first, second)
    b = "%d items" % (count,)
    c = "%s" % name
    d = "%s" % (compute(),)
    """
    first, numeric, lone, called = observations("string-format", code)
    assert first.rewrites == {"f-string": 'f"{first} and {second!r}, 100%"'}
    rewritten(code, first, "f-string")
    # %d truncates floats, a lone operand may be a tuple, a call would move into the string
    assert numeric.rewrites == lone.rewrites == called.rewrites == {}


def test_format_with_an_expression_or_a_named_escape_has_no_rewrite() -> None:
    code = """
    a = "{}".format(x + 1)
    b = "\\N{BULLET} {}".format(x)
    c = "{0.attr}".format(x)
    """
    assert [o.rewrites for o in observations("string-format", code)] == [{}, {}, {}]
