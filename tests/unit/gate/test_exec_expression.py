"""expression: one expression of real code evaluated for given values of its names, even
where the whole function cannot run; keys re-checked by evaluating the expression here."""

from __future__ import annotations

import ast

import pytest

from mindgap.gate.questions.exec_expression import ExpressionValue
from tests.unit.gate.test_exec_common import quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")

# a method of a class that cannot run here (it needs a console object), whose lines compute
WRAP = """\
class Renderer:
    def render(self, console, text: str):
        width = self.width - len(text)
        if width < 0 and not text.startswith("-"):
            console.print(text)
        return text.rsplit(".", 1)[0]
"""


def names(prompt: str) -> dict[str, object]:
    """The values a prompt gives: "..., with `a = 1` and `b = 'x'`, what is ..."."""
    found = {}
    given = prompt.split("), with ", 1)[1].split(", what is")[0]
    for part in given.split("`")[1::2]:
        if " = " in part:
            name, value = part.split(" = ", 1)
            found[name] = ast.literal_eval(value)
    return found


def evaluate(expression: str, values: dict[str, object]) -> object:
    class Self:
        pass

    self = Self()
    namespace: dict[str, object] = {"self": self}
    for name, value in values.items():
        if name.startswith("self."):
            setattr(self, name[len("self.") :], value)
        else:
            namespace[name] = value
    return eval(expression, namespace)


def test_values_of_lines_of_a_method_that_cannot_run_whole() -> None:
    questions = ExpressionValue().generate(quiz_code(WRAP))
    asked = {
        q.prompt.split("value of `")[-1].rstrip("`?"): q for q in questions if "value" in q.prompt
    }
    assert "self.width - len(text)" in asked and "text.rsplit('.', 1)[0]" in asked
    for expression, question in asked.items():
        values = names(question.prompt)
        assert repr(evaluate(expression, values)) == question.answer
        assert question.choices is not None and question.answer in question.choices
    split = asked["text.rsplit('.', 1)[0]"]
    assert "." in str(names(split.prompt)["text"])  # an input with the separator it looks for


def test_a_condition_true_for_exactly_one_choice() -> None:
    questions = ExpressionValue().generate(quiz_code(WRAP))
    condition = next(q for q in questions if q.prompt.startswith("For which of these"))
    expression = condition.prompt.split("(`")[1].split("`)")[0]
    wanted = condition.prompt.rstrip("?").endswith("true")
    for choice in condition.choices or ():
        values = {
            name.strip(): ast.literal_eval(value)
            for name, value in (
                part.split(" = ", 1) for part in choice.split(", ") if " = " in part
            )
        }
        holds = bool(evaluate(expression, values)) == wanted
        assert holds == (choice == condition.answer)


HOSTILE = """\
class Box:
    def peek(self, text: str):
        found = ().__class__.__bases__[0].__subclasses__()
        name = text.upper() + str(len(found))
        data = open("/etc/passwd").read() + text
        return self.__dict__
"""


def test_escapes_are_never_sent() -> None:
    """Expressions with dunder tricks or I/O are not asked about (check_expression refuses
    them before the sandbox, which would contain them anyway); a method touching
    `self.__dict__` gets no stand-in self."""
    from mindgap.gate.questions.exec_common import build_plan
    from mindgap.gate.questions.exec_expression import expressions

    code = quiz_code(HOSTILE)
    texts = [e.text for e in expressions(code)]
    assert not any("__" in t or "open" in t for t in texts)
    for expression in expressions(code):
        for values in expression.inputs():
            assert "__" not in expression.call(values)
    plan = build_plan(code)
    assert plan is None or not [t for t in plan.more_targets if t.name == "peek"]


# click 8.4, types.py, _NumberRangeBase._describe_range (docstring left out): the flags are
# typed by nothing but their role - the test of `x if c else y`
DESCRIBE_RANGE = """\
class _NumberRangeBase:
    def _describe_range(self) -> str:
        if self.min is None:
            op = "<" if self.max_open else "<="
            return f"x{op}{self.max}"

        if self.max is None:
            op = ">" if self.min_open else ">="
            return f"x{op}{self.min}"

        lop = "<" if self.min_open else "<="
        rop = "<" if self.max_open else "<="
        return f"{self.min}{lop}x{rop}{self.max}"
"""


# the same method with each comparison operator joined to the "x" (two operations per line)
DESCRIBE_RANGE_JOINED = """\
class _NumberRangeBase:
    def _describe_range(self) -> str:
        if self.min is None:
            return "x" + ("<" if self.max_open else "<=")
        return "x" + (">" if self.min_open else ">=")
"""


def test_one_operation_on_given_values_is_not_asked() -> None:
    """`'<' if self.max_open else '<='` with the flag given is read off the prompt by
    someone who never looked at the code: it cannot show that the code was traced."""
    questions = ExpressionValue().generate(quiz_code(DESCRIBE_RANGE))
    assert not any("value of `'<' if self.max_open else '<='`" in q.prompt for q in questions)
    assert not any("value of `'>' if self.min_open else '>='`" in q.prompt for q in questions)


def test_a_name_typed_by_its_role_is_given_a_value_of_that_role() -> None:
    questions = ExpressionValue().generate(quiz_code(DESCRIBE_RANGE_JOINED))
    flags = [q for q in questions if "if self." in q.prompt and "value of" in q.prompt]
    assert flags
    for question in flags:
        values = names(question.prompt)
        (flag,) = values.values()
        assert isinstance(flag, bool)  # a test's operand: True or False, not 3
        expression = question.prompt.split("value of `")[-1].rstrip("`?")
        assert repr(evaluate(expression, values)) == question.answer
        # by hand: the short operator when the flag is set
        short = question.answer in ("'x<'", "'x>'")
        assert short if flag else question.answer in ("'x<='", "'x>='")


# click 8.4, _compat.py, _make_text_stream: `encoding is None` is read off its choices
MAKE_TEXT_STREAM = """\
def _make_text_stream(
    stream: t.BinaryIO,
    encoding: str | None,
    errors: str | None,
    force_readable: bool = False,
    force_writable: bool = False,
) -> t.TextIO:
    if encoding is None:
        encoding = get_best_encoding(stream)
    if errors is None:
        errors = "replace"
    return _NonClosingTextIOWrapper(
        stream,
        encoding,
        errors,
        line_buffering=True,
        force_readable=force_readable,
        force_writable=force_writable,
    )
"""


def test_a_condition_the_choices_spell_out_is_not_asked() -> None:
    """ "For which of these is `encoding is None` true?" - `encoding = None`: no tracing."""
    assert ExpressionValue().generate(quiz_code(MAKE_TEXT_STREAM)) == []


DISCOUNT = """\
def total(lines):
    result = sum(price for _, price in lines)
    return result if result < 1000 else result - result // 10
"""


def test_a_threshold_is_tried_on_both_sides_and_the_key_is_not_a_given_value() -> None:
    """`result < 1000` parts the paths at 1000: a test writer tries it, not only small
    numbers (for which the line hands `result` back, a key the prompt itself states)."""
    questions = ExpressionValue().generate(quiz_code(DISCOUNT))
    asked = [q for q in questions if "result if result < 1000" in q.prompt.split("value of")[-1]]
    assert asked
    for question in asked:
        values = names(question.prompt)
        assert values["result"] >= 1000  # the discounted side
        expression = "result if result < 1000 else result - result // 10"
        assert repr(evaluate(expression, values)) == question.answer
        assert question.answer != repr(values["result"])


# rich 14, live.py, Live.stop (its first lines): a condition of two flags
LIVE_STOP = """\
class Live:
    def stop(self) -> None:
        if self.transient and not self._alt_screen:
            self.console.control(self._live_render.restore_cursor())
"""


def test_a_condition_of_flags_is_asked_over_every_combination_of_them() -> None:
    """Two flags have four combinations; the question offers all four, one of them right
    (one value varied at a time would miss (False, False) and leave three choices)."""
    (question,) = ExpressionValue().generate(quiz_code(LIVE_STOP))
    assert question.prompt == (
        "For which of these is the condition on line 3 "
        "(`self.transient and (not self._alt_screen)`) true?"
    )
    # by hand: only a transient display that is not on the alternate screen
    assert question.answer == "self.transient = True, self._alt_screen = False"
    assert sorted(question.choices or ()) == sorted(
        f"self.transient = {a}, self._alt_screen = {b}"
        for a in (True, False)
        for b in (True, False)
    )
    for choice in question.choices or ():
        transient, alt_screen = (part.split(" = ")[1] == "True" for part in choice.split(", "))
        expression = "self.transient and (not self._alt_screen)"
        holds = evaluate(expression, {"self.transient": transient, "self._alt_screen": alt_screen})
        assert bool(holds) == (choice == question.answer)


# click 8.4, core.py, Context.lookup_default (its docstring left out; the lookup made two
# operations - a lone `.get(name)` with the map given is read off the prompt)
LOOKUP_DEFAULT = """\
class Context:
    def lookup_default(self, name: str, call: bool = True):
        if self.default_map is not None:
            value = self.default_map.get(name, 0) + 1
            if call and callable(value):
                return value()
            return value
        return None
"""


def test_a_lookup_is_tried_with_a_dict_that_holds_the_key() -> None:
    """`self.default_map.get(name)`: a dict that does not hold `name` gives None whatever it
    holds; a test writer tries the key found (and the map, looked up by a string, is a dict)."""
    questions = ExpressionValue().generate(quiz_code(LOOKUP_DEFAULT))
    question = next(q for q in questions if "'hello': 1" in q.prompt)
    assert question.prompt == (
        "On line 4 (`value = self.default_map.get(name, 0) + 1`), with `name = 'hello'` and "
        "`self.default_map = {'hello': 1, 'b': 2}`, what is the value of "
        "`self.default_map.get(name, 0) + 1`?"
    )
    assert question.answer == "2"  # by hand: 'hello' is in the map, with 1; plus one
    values = names(question.prompt)
    assert repr(evaluate("self.default_map.get(name, 0) + 1", values)) == question.answer
    assert question.choices is not None and "1" in question.choices  # the key not found


# rich 14, markdown.py, ListItem.render_number (padding and the new line left out): the
# method needs a console and rich's Segment, but what it hands them is computed here
RENDER_NUMBER = """\
class ListItem:
    def render_number(self, console, options, number: int, last_number: int):
        number_width = len(str(last_number)) + 2
        render_options = options.update(width=options.max_width - number_width)
        lines = console.render_lines(self.elements, render_options, style=self.style)
        number_style = console.get_style("markdown.item.number", default="none")
        numeral = Segment(f"{number}".rjust(number_width - 1) + " ", number_style)
        for first, line in loop_first(lines):
            yield numeral if first else number_style
        self.crop(len(number_style))
"""


def test_a_value_handed_to_a_call_is_asked_when_it_computes() -> None:
    """`Segment(...)` cannot run here, the value it is given can; `len(number_style)` and
    `options.max_width - number_width` (one operation on given values) are not asked."""
    questions = ExpressionValue().generate(quiz_code(RENDER_NUMBER))
    handed = [q for q in questions if "rjust" in q.prompt]
    assert handed[0].prompt == (
        'On line 7 (`numeral = Segment(f"{number}".rjust(number_width - 1) + "…`), with '
        "`number_width = 3` and `number = 3`, what is the value of "
        "`f'{number}'.rjust(number_width - 1) + ' '`?"
    )
    assert handed[0].answer == "' 3 '"  # by hand: '3' right-aligned in 2, then a space
    for question in handed:
        values = names(question.prompt)
        expression = "f'{number}'.rjust(number_width - 1) + ' '"
        assert repr(evaluate(expression, values)) == question.answer
    assert not any("len(number_style)" in q.prompt for q in questions)
    assert not any("`options.max_width - number_width`" in q.prompt for q in questions)


# rich 14: text.py Span.split's first lines and color.py Color.get_truecolor's palette lookups
# (shortened; each line made two operations); `self.start` and `self.end` are typed by
# nothing but their names
SPAN_AND_PALETTE = """\
class Span:
    def split(self, offset: int):
        if offset < self.start + 1:
            return self, None
        if offset >= self.end:
            return self, None

    def get_number(self, filename: str, theme):
        path = filename.rpartition(os.sep)[-1]
        if self.number < 16:
            return EIGHT_BIT_PALETTE[self.number]
        return theme.ansi_colors[self.number - 1]
"""


def test_attributes_named_like_numbers_are_given_numbers_and_globals_are_not_given() -> None:
    """`self.start` is a number as `start` would be; `os.sep` and a module's palette have
    their values already, so a line that needs them is not asked about with made-up ones."""
    questions = ExpressionValue().generate(quiz_code(SPAN_AND_PALETTE))
    start = next(q for q in questions if "`offset < self.start + 1`" in q.prompt)
    assert start.answer == "offset = 3, self.start = 3"  # by hand: 3 < 4; 3 < 1, 2, 3 are not
    for choice in start.choices or ():
        offset, begin = (int(part.split(" = ")[1]) for part in choice.split(", "))
        assert (offset < begin + 1) == (choice == start.answer)
    assert not any("os.sep" in q.prompt or "PALETTE" in q.prompt for q in questions)
    lookup = next(q for q in questions if "theme.ansi_colors[self.number - 1]" in q.prompt)
    values = names(lookup.prompt)
    assert repr(values["theme.ansi_colors"][values["self.number"] - 1]) == lookup.answer


# rich 14 palette.py Palette.match (shortened: the distance's blue part left out) and click
# 8.4 _termui_impl.py _translate_ch_to_exc: a closure's names are its outer function's; a
# platform flag (`WIN`) is a name of the module, but one of two real values
CLOSURE_AND_FLAG = """\
def match(self, color):
    red1, green1, blue1 = color
    get_color = self._colors.__getitem__

    def get_color_distance(index: int) -> float:
        red2, green2, blue2 = get_color(index)
        red_mean = (red1 + red2) // 2
        red = red1 - red2
        return red_mean + red


def _translate_ch_to_exc(ch: str) -> None:
    if ch == "\\x1a" and WIN:  # Windows, Ctrl+Z
        raise EOFError()
"""


def test_a_closure_reads_its_outer_names_and_a_platform_flag_is_given() -> None:
    questions = ExpressionValue().generate(quiz_code(CLOSURE_AND_FLAG))
    mean = next(q for q in questions if "value of `(red1 + red2) // 2`" in q.prompt)
    values = names(mean.prompt)
    assert set(values) == {"red1", "red2"}  # red1 is match's, red2 the closure's own
    assert repr((values["red1"] + values["red2"]) // 2) == mean.answer
    flag = next(q for q in questions if "WIN" in q.prompt)
    assert flag.answer == "WIN = True, ch = '\\x1a'"  # by hand: only Windows with Ctrl+Z
    assert all(c.startswith(("WIN = True", "WIN = False")) for c in flag.choices or ())


def test_a_later_attempt_draws_other_values() -> None:
    """A developer who saw the first attempt's keys gets the same lines with other values
    (the quiz leaves out what was shown; these are what is left to ask)."""
    first_code, second_code = quiz_code(RENDER_NUMBER), quiz_code(RENDER_NUMBER)
    second_code.attempt = 2
    first = ExpressionValue().generate(first_code)
    second = ExpressionValue().generate(second_code)
    assert {q.prompt for q in second} - {q.prompt for q in first}
    expression = "f'{number}'.rjust(number_width - 1) + ' '"
    for question in second:
        if expression in question.prompt:
            assert repr(evaluate(expression, names(question.prompt))) == question.answer


def test_a_part_of_a_value_already_asked_about_is_not_asked_too() -> None:
    # flask's Blueprint.add_url_rule: the tuple handed to `"/".join` is part of the joined
    # value; asking both gives half of one away with the other
    source = (
        "def add_url_rule(url_prefix: str, rule: str) -> str:\n"
        '    rule = "/".join((url_prefix.rstrip("/"), rule.lstrip("/")))\n'
        "    return rule\n"
    )
    asked = {
        q.prompt.split("what is the value of `")[1][:-2]
        for q in ExpressionValue().generate(quiz_code(source))
    }
    assert asked == {"'/'.join((url_prefix.rstrip('/'), rule.lstrip('/')))"}
