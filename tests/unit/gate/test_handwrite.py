"""The hand-write check: token equivalence (layout and comments aside), syntax-tree
equivalence with renamed locals, and, for Python, behaviour through a runner."""

from __future__ import annotations

import pytest

from mindgap.gate.handwrite import Equivalence, equivalent

TOTAL = '''
    def total(prices, rate):
        """Sum with tax."""
        result = 0  # start from nothing
        for p in prices:
            result += p * (1 + rate)
        return round(result, 2)
'''


# --- Tokens --------------------------------------------------------------------------------


def test_same_code_other_layout_comments_and_docstring_is_token_equal():
    typed = (
        "def total(prices,rate):\n"
        "  result=0\n"
        "  for p in prices: result += p*(1+rate)   # add with tax\n"
        "  return round(result,\n"
        "               2)\n"
    )
    assert equivalent("python", TOTAL, typed) == Equivalence(
        "tokens", "the same tokens as the original"
    )


def test_indentation_is_structure_in_python():
    typed = (
        "def total(prices, rate):\n"
        "    result = 0\n"
        "    for p in prices:\n"
        "        result += p * (1 + rate)\n"
        "        return round(result, 2)\n"
    )
    verdict = equivalent("python", TOTAL, typed)
    assert verdict.level is None
    assert verdict.reason == "line 5: yours is missing `return round(result, 2)`"


def test_whitespace_inside_strings_counts():
    verdict = equivalent("python", "x = 'a b'\n", "x = 'a  b'\n")
    assert verdict.level is None
    assert verdict.reason == "line 1: expected `a b`, found `a  b`"


@pytest.mark.parametrize(
    ("language", "original", "typed"),
    [
        (
            "javascript",
            "function add(a, b) { return a + b; }",
            "function add(a, b) {\n  // the sum\n  return a + b;\n}\n",
        ),
        (
            "typescript",
            "const f = (s: string): number => s.length;",
            "const f = (s: string): number =>\n  /* length */ s.length;",
        ),
        ("tsx", "const C = () => <b>hi</b>;", "const C = () =>\n  <b>hi</b>;"),
        (
            "go",
            "func Max(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}",
            "func Max(a, b int) int { if a > b { return a }\n return b } // max",
        ),
        (
            "rust",
            "fn sq(x: i32) -> i32 { x * x }",
            "fn sq(x: i32) -> i32 {\n    // square\n    x * x\n}",
        ),
        (
            "java",
            "int sq(int x) { return x * x; }",
            "int sq(int x) {\n  /** square */\n  return x * x;\n}",
        ),
    ],
)
def test_token_equal_in_every_language(language, original, typed):
    assert equivalent(language, original, typed).level == "tokens"


# --- Trees ---------------------------------------------------------------------------------


def test_renamed_parameters_and_locals_are_tree_equal():
    typed = (
        "def total(values, tax):\n"
        "    acc = 0\n"
        "    for v in values:\n"
        "        acc += v * (1 + tax)\n"
        "    return round(acc, 2)\n"
    )
    verdict = equivalent("python", TOTAL, typed)
    assert verdict.level == "tree"
    assert verdict.renamed == {"p": "v", "prices": "values", "rate": "tax", "result": "acc"}
    assert verdict.reason == (
        "the same syntax tree as the original, with `p` as `v`, `prices` as `values`, "
        "`rate` as `tax`, `result` as `acc`"
    )


def test_redundant_parentheses_trailing_commas_and_quotes_do_not_matter():
    original = "def label(n):\n    return 'item ' + str(n)\n"
    typed = 'def label(count):\n    return ("item " + str(count,))\n'
    verdict = equivalent("python", original, typed)
    assert verdict.level == "tree"
    assert verdict.renamed == {"n": "count"}


def test_comprehension_and_lambda_variables_may_be_renamed():
    original = (
        "def names(users):\n    return sorted([u.name for u in users], key=lambda s: s.lower())\n"
    )
    typed = (
        "def names(people):\n    return sorted([p.name for p in people], key=lambda n: n.lower())\n"
    )
    assert equivalent("python", original, typed).level == "tree"


def test_a_different_global_call_is_not_equal():
    typed = TOTAL.replace("round(result, 2)", "int(result, 2)").replace("result", "acc")
    verdict = equivalent("python", TOTAL, typed)
    assert verdict.level is None
    assert verdict.reason == (
        "line 6: `round` must keep its name (it is not a parameter or local variable of a "
        "function in this code); yours has `int`"
    )


def test_a_different_literal_is_not_equal():
    typed = TOTAL.replace("round(result, 2)", "round(acc, 3)").replace("result", "acc")
    verdict = equivalent("python", TOTAL, typed)
    assert verdict.level is None
    assert verdict.reason == "line 6: expected `2`, found `3`"


def test_a_different_attribute_is_not_equal():
    original = "def name(user):\n    return user.first_name\n"
    typed = "def name(person):\n    return person.given_name\n"
    verdict = equivalent("python", original, typed)
    assert verdict.reason == "line 2: expected `first_name`, found `given_name`"


def test_the_function_name_must_stay():
    typed = TOTAL.replace("def total", "def sum_all")
    verdict = equivalent("python", TOTAL, typed)
    assert verdict.level is None
    assert verdict.reason.startswith("line 1: `total` must keep its name")
    assert verdict.reason.endswith("yours has `sum_all`")


def test_renaming_must_be_consistent():
    original = "def f(a):\n    b = a + 1\n    return a * b\n"
    typed = "def f(x):\n    y = x + 1\n    return z * y\n"
    verdict = equivalent("python", original, typed)
    assert verdict.level is None
    assert verdict.reason == (
        "line 3: `z` is not a local variable in yours where the original uses its local `a`"
    )


def test_two_locals_cannot_become_one_name():
    original = "def f(a):\n    b = 1\n    return a - b\n"
    typed = "def f(a):\n    a = 1\n    return a - a\n"
    verdict = equivalent("python", original, typed)
    assert verdict.level is None
    assert verdict.reason == "line 2: `a` stands for both `a` and `b`"


def test_one_local_cannot_get_two_names():
    original = "def f(a, b):\n    return a - b\n"
    typed = "def f(a, a2):\n    return a - a\n"
    verdict = equivalent("python", original, typed)
    assert verdict.reason == "line 2: `b` was renamed `a2`, but here it is `a`"


def test_a_local_renamed_to_a_global_name_captures_it():
    original = "def count(items):\n    return len(items)\n"
    typed = "def count(len):\n    return len(len)\n"
    verdict = equivalent("python", original, typed)
    assert verdict.level is None
    assert "`len` is a local variable in yours where the original uses `len` from outside" in (
        verdict.reason
    )


def test_global_and_statement_level_names_keep_their_names():
    original = "total = 0\nfor price in prices:\n    total += price\n"
    typed = "sum_ = 0\nfor price in prices:\n    sum_ += price\n"
    verdict = equivalent("python", original, typed)
    assert verdict.level is None  # module-level names may be used after the region
    assert verdict.reason.startswith("line 1: `total` must keep its name")


def test_indented_region_is_compared_without_its_indentation():
    original = "    def area(self, w, h):\n        return w * h\n"
    typed = "def area(self, width, height):\n    return width * height\n"
    assert equivalent("python", original, typed).level == "tree"


@pytest.mark.parametrize(
    ("language", "original", "typed", "renamed"),
    [
        (
            "javascript",
            "function add(a, b) { return a + b; }",
            "function add(x, y) { return (x + y) }",
            {"a": "x", "b": "y"},
        ),
        (
            "javascript",
            "const names = (items) => items.map((it) => it.name);",
            "const names = (xs) => xs.map((x) => x.name);",
            {"it": "x", "items": "xs"},
        ),
        (
            "typescript",
            "function g(s: string): boolean { const t = s.trim(); return t.length > 0; }",
            "function g(input: string): boolean {\n  const trimmed = input.trim()\n"
            "  return trimmed.length > 0\n}",
            {"s": "input", "t": "trimmed"},
        ),
        (
            "go",
            "func Sum(xs []int) int {\n\ttotal := 0\n\tfor _, x := range xs {\n\t\ttotal += x\n"
            "\t}\n\treturn total\n}",
            "func Sum(values []int) int { s := 0; for _, v := range values { s += v }; return s }",
            {"total": "s", "x": "v", "xs": "values"},
        ),
        (
            "rust",
            "fn sum(xs: &[i32]) -> i32 { let mut t = 0; for x in xs { t += x; } t }",
            "fn sum(values: &[i32]) -> i32 {\n    let mut acc = 0;\n"
            "    for v in values { acc += v; }\n    acc\n}",
            {"t": "acc", "x": "v", "xs": "values"},
        ),
        (
            "java",
            "int sum(int[] xs) { int t = 0; for (int x : xs) { t += x; } return t; }",
            "int sum(int[] values) { int acc = 0; for (int v : values) { acc += v; } return acc; }",
            {"t": "acc", "x": "v", "xs": "values"},
        ),
    ],
)
def test_tree_equal_with_renamed_locals_in_every_language(language, original, typed, renamed):
    verdict = equivalent(language, original, typed)
    assert verdict.level == "tree", verdict.reason
    assert verdict.renamed == renamed


@pytest.mark.parametrize(
    ("language", "original", "typed", "reason"),
    [
        (
            "javascript",
            "function add(a, b) { return a + b; }",
            "function add(x, y) { return sum(x, y); }",
            "line 1: expected `a + b`, found `sum(x, y)`",
        ),
        (
            "go",
            "func Zero() int {\n\tn := 0\n\treturn n\n}",
            "func Zero() int {\n\tn := 1\n\treturn n\n}",
            "line 2: expected `0`, found `1`",
        ),
        (
            "rust",
            "fn f(o: Option<i32>) -> i32 { match o { Some(v) => v, None => 0 } }",
            "fn f(opt: Option<i32>) -> i32 { match opt { Some(n) => n, Nothing => 0 } }",
            "line 1: `None` must keep its name (it is not a parameter or local variable of a "
            "function in this code); yours has `Nothing`",
        ),
        (
            "java",
            "int get() { int t = 0; return this.t + t; }",
            "int get() { int acc = 0; return this.acc + acc; }",
            "line 1: expected `t`, found `acc`",  # the field `this.t` is not the local `t`
        ),
    ],
)
def test_not_equal_in_other_languages(language, original, typed, reason):
    verdict = equivalent(language, original, typed)
    assert verdict.level is None
    assert verdict.reason == reason


def test_javascript_quote_style_is_tree_equal():
    original = "function g(s) { return s === 'a'; }"
    assert equivalent("javascript", original, 'function g(s) { return s === "a"; }').level == (
        "tree"
    )


# --- Bad input -----------------------------------------------------------------------------


def test_syntax_error_in_typed_code_is_located():
    verdict = equivalent("python", TOTAL, "def total(prices, rate:\n    return 1\n")
    assert verdict.level is None
    assert verdict.reason == "line 1: your code has a syntax error here"


def test_nothing_typed():
    assert equivalent("python", TOTAL, "  \n") == Equivalence(None, "nothing typed yet")


def test_typed_code_that_stops_early():
    verdict = equivalent("python", TOTAL, "def total(prices, rate):\n    result = 0\n")
    assert verdict.level is None
    assert verdict.reason == "line 2: yours is missing `for p in prices:`"


def test_the_tail_of_a_function_is_compared_without_its_indentation():
    original = "        total += price\n    return total\n"  # the end of a loop and a function
    assert equivalent("python", original, "total += price\nreturn total\n").level == "tokens"


def test_a_region_cut_mid_statement_is_compared_by_tokens_only():
    original = "result = compute(first,\n"
    assert equivalent("python", original, "result = compute( first ,\n").level == "tokens"
    verdict = equivalent("python", original, "result = compute(second,\n")
    assert verdict == Equivalence(None, "line 1: expected `first`, found `second`")


def test_unknown_language():
    with pytest.raises(ValueError, match="cobol"):
        equivalent("cobol", "x", "x")


# --- Behaviour -----------------------------------------------------------------------------


def fake_run(definitions: str, calls: list[str]) -> list[str]:
    """Runs trusted test snippets in this process, outcomes worded like the sandbox's."""
    namespace: dict[str, object] = {}
    exec(definitions, namespace)
    outcomes = []
    for call in calls:
        try:
            outcomes.append(f"returns {eval(call, namespace)!r}")
        except Exception as error:
            outcomes.append(f"raises {type(error).__name__}")
    return outcomes


DOUBLE = "def double(x):\n    return x * 2\n"


def test_same_behaviour_on_the_inputs():
    typed = "def double(n):\n    return n + n\n"
    verdict = equivalent(
        "python", DOUBLE, typed, ["double(2)", "double(-3)", "double('ab')"], fake_run
    )
    assert verdict == Equivalence("behaviour", "the same results on 3 calls")


def test_different_behaviour_names_the_call():
    typed = "def double(n):\n    return n ** 2\n"
    verdict = equivalent("python", DOUBLE, typed, ["double(2)", "double(3)"], fake_run)
    assert verdict.level is None
    assert verdict.reason == (
        "line 2: expected `*`, found `**`; and on `double(3)` the original returns 6, "
        "yours returns 9"
    )


def test_exceptions_count_as_outcomes():
    original = "def first(xs):\n    return xs[0]\n"
    typed = "def first(xs):\n    for x in xs:\n        return x\n    raise IndexError\n"
    verdict = equivalent("python", original, typed, ["first([4, 5])", "first([])"], fake_run)
    assert verdict.level == "behaviour"


def test_original_failing_everywhere_proves_nothing():
    original = "def broken(x):\n    return undefined_name\n"
    typed = "def broken(x):\n    return other_undefined\n"
    verdict = equivalent("python", original, typed, ["broken(1)"], fake_run)
    assert verdict.level is None
    assert verdict.reason.endswith(
        "the original raises on every call, so the results prove nothing"
    )


def test_inconclusive_outcomes_are_not_equal():
    verdict = equivalent(
        "python", DOUBLE, "def double(n):\n    return n + n\n", ["double(1)"],
        lambda definitions, calls: ["does not finish"],
    )  # fmt: skip
    assert verdict.level is None
    assert "could not be compared" in verdict.reason


def test_a_failing_runner_is_a_reason_not_a_crash():
    def refusing(definitions: str, calls: list[str]) -> list[str]:
        raise RuntimeError("sandbox unavailable")

    verdict = equivalent(
        "python", DOUBLE, "def double(n):\n    return n + n\n", ["double(1)"], refusing
    )
    assert verdict.level is None
    assert "the calls could not be run (RuntimeError: sandbox unavailable)" in verdict.reason


def test_runner_outcome_objects_are_described():
    class Outcome:
        def __init__(self, text: str) -> None:
            self.text = text

        def describe(self) -> str:
            return self.text

    def run(definitions: str, calls: list[str]) -> list[Outcome]:
        return [Outcome(text) for text in fake_run(definitions, calls)]

    verdict = equivalent("python", DOUBLE, "def double(n):\n    return n + n\n", ["double(4)"], run)
    assert verdict.level == "behaviour"


def test_behaviour_needs_a_runner_and_inputs_and_python():
    typed = "def double(n):\n    return n + n\n"
    assert equivalent("python", DOUBLE, typed).level is None
    assert equivalent("python", DOUBLE, typed, [], fake_run).level is None
    calls: list[str] = []

    def spy(definitions: str, given: list[str]) -> list[str]:
        calls.extend(given)
        return ["returns 2"] * len(given)

    js = equivalent(
        "javascript",
        "function d(x) { return x * 2; }",
        "function d(x) { return x + x; }",
        ["d(1)"],
        spy,
    )
    assert js.level is None
    assert calls == []  # never run for other languages


def test_behaviour_is_not_tried_when_tokens_or_tree_already_agree():
    def fail(definitions: str, calls: list[str]) -> list[str]:
        raise AssertionError("should not run")

    typed = "def double(y):\n    return y * 2\n"
    assert equivalent("python", DOUBLE, typed, ["double(1)"], fail).level == "tree"
