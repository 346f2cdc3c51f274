"""Unused-parameter questions: which parameter is never used in the body?"""

from __future__ import annotations

import pytest

from mindgap.gate.questions.unused_parameter import UnusedParameter

from .static_support import ask

UNUSED = UnusedParameter()


def test_python_the_one_parameter_never_named_in_the_body() -> None:
    source = """
    class Report:
        def render(self, rows, title, width, theme):
            '''Render rows under a title; theme is for later.'''
            header = title.center(width)
            return [header] + [f"{row:>{width}}" for row in rows]
    """
    [question] = ask(UNUSED, source)
    assert question.prompt == "Which parameter of `render` (line 2) is never used in its body?"
    assert question.answer == "theme"
    # self is never offered; the others are read on the lines the explanation names.
    assert set(question.choices or ()) == {"rows", "title", "width", "theme"}
    assert question.explanation.startswith("`theme` never appears in the body of `render`")
    assert "`title` on line 4" in question.explanation or "`rows` on line 5" in question.explanation


def test_go_javascript_and_java() -> None:
    go = """
    func Total(items []Item, scale float64, currency string, debug bool) float64 {
        sum := 0.0
        for _, item := range items {
            sum += item.Price
        }
        fmt.Println(currency)
        return sum * scale
    }
    """
    [question] = ask(UNUSED, go, "go")
    assert question.answer == "debug"
    assert set(question.choices or ()) == {"items", "scale", "currency", "debug"}
    js = """
    function findUser(users, name, strict) {
      return users.find((u) => u.name === name);
    }
    """
    [question] = ask(UNUSED, js, "javascript")
    assert question.prompt == "Which parameter of `findUser` (line 1) is never used in its body?"
    assert question.answer == "strict"
    java = """
    class Shop {
        int find(java.util.List<String> items, String name, boolean strict) {
            return items.indexOf(name);
        }
    }
    """
    [question] = ask(UNUSED, java, "java")
    assert question.answer == "strict"
    assert set(question.choices or ()) == {"items", "name", "strict"}


@pytest.mark.parametrize(
    "body",
    [
        # Two unused parameters: which one is "the" answer?
        "    return a\n",
        # b is re-bound: its later reads are of another value; too subtle to offer.
        "    b = b or []\n    return a, b, c\n",
        # c is shadowed by the comprehension variable: its reads are not the parameter's.
        "    return [c for c in a] + b\n",
        # locals() reaches every parameter without naming it.
        "    return a, b, locals()\n",
    ],
)
def test_ambiguous_functions_get_no_question(body: str) -> None:
    assert ask(UNUSED, "def f(a, b, c):\n" + body) == []


def test_names_unused_on_purpose_and_typescript_parameter_properties_are_skipped() -> None:
    # _spare is unused on purpose; without it there are only two candidates.
    assert ask(UNUSED, "def f(a, b, _spare):\n    return a + b\n") == []
    ts = """
    class Cart {
      constructor(private owner: string, items: string[], limit: number, debug: boolean) {
        this.size = items.length + limit;
      }
    }
    """
    assert ask(UNUSED, ts, "typescript") == []


def test_rust_format_string_arguments_count_as_uses() -> None:
    source = """
    fn show(name: &str, count: u32, unit: &str) {
        println!("{name}: {count} {unit}");
    }
    """
    assert ask(UNUSED, source, "rust") == []
    unused = source.replace(" {unit}", "")
    [question] = ask(UNUSED, unused, "rust")
    assert question.answer == "unit"


def test_the_same_code_gets_the_same_question() -> None:
    source = "def f(a, b, c, d):\n    return a + b + c\n"
    assert ask(UNUSED, source, seed=2) == ask(UNUSED, source, seed=2)
