"""Explain, then verify (gate/explain_verify.py) on real functions of installed packages:
correct paraphrases in plain words are accepted, false explanations and name lists are
refused, and an accepted explanation is followed by one tracing question that decides."""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest

from mindgap.gate.explain_verify import verify_explanation
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named

pytestmark = pytest.mark.usefixtures("os_sandbox")


@dataclass(frozen=True)
class Case:
    module: str
    function: str
    correct: tuple[str, ...]
    false: tuple[str, ...]
    names: tuple[str, ...]


CASES = (
    Case(
        "click.parser",
        "_split_opt",
        (
            "It separates an option's prefix from its name: a doubled leading sign such as two"
            " dashes is kept together, a single sign alone, and a word without any sign gets"
            " an empty prefix.",
            "Splits a command line option into two pieces, the leading punctuation and the"
            " rest of the word, handling both short and long forms.",
            "Gives back a pair: the dash or dashes in front, and what follows them.",
        ),
        (
            "It returns a list of every character of the option.",
            "It raises ValueError when the option does not start with a dash.",
            "If the first character is a letter it returns the first character as the prefix.",
        ),
        ("opt, first, isalnum", "takes opt, calls isalnum, returns first and opt"),
    ),
    Case(
        "click.exceptions",
        "_join_param_hints",
        (
            "When given several hints it quotes each of them and glues them together with"
            " slashes; a single text or nothing is handed back unchanged.",
            "Turns a sequence of parameter names into one readable string separated by"
            " slashes, leaving a plain string or a missing value alone.",
            "Combines multiple hint names into a slash separated display text.",
        ),
        (
            "It always returns a list of strings.",
            "It raises TypeError when the hint is missing.",
            "It returns the number of hints it was given.",
        ),
        ("param_hint, join, repr, isinstance", "param_hint, str, None"),
    ),
    Case(
        "rich.filesize",
        "pick_unit_and_suffix",
        (
            "Walks through the suffixes with growing powers of the base and stops at the first"
            " one large enough for the size, giving back that power together with its suffix.",
            "Chooses which unit a file size should be shown in (like kilo or mega) by"
            " comparing it against successive powers, and reports the divisor and its label.",
            "Finds the biggest unit that still fits the number and pairs its multiplier with"
            " the matching label.",
        ),
        (
            "It returns a string such as 12 kB.",
            "It raises IndexError when the size is too large for the suffixes.",
            "It always returns the first suffix.",
        ),
        ("size, suffixes, base, unit, suffix", "takes size suffixes base, returns unit suffix"),
    ),
    Case(
        "rich._loop",
        "loop_first",
        (
            "Produces every item paired with a flag that is true only for the very first"
            " item; an empty input produces nothing.",
            "Yields pairs of a marker and an item, the marker telling whether this is the"
            " leading element of the sequence.",
            "Goes over the items one at a time, tagging the initial one as true and every"
            " later one as false.",
        ),
        (
            "It returns True when the list is empty.",
            "It raises StopIteration for an empty input.",
            "It yields the items with the flag true for the last item only, and returns a dict.",
        ),
        ("values, iter_values, value", "takes values, calls iter and next, yields value"),
    ),
    Case(
        "packaging.specifiers",
        "_trim_release",
        (
            "Drops the zeros at the end of a version number's parts, but always keeps at"
            " least one part; if nothing needs dropping the original comes back as is.",
            "Removes trailing zero components so that versions like one point zero compare"
            " equal to one, never shortening below a single component.",
            "Cuts off zero parts from the right end of the release numbers.",
        ),
        (
            "It returns a string with the zeros removed.",
            "It removes the zeros at the start of the version.",
            "It raises ValueError when every part is zero.",
        ),
        ("release, end, len", "takes release, returns release[:end]"),
    ),
    Case(
        "packaging.specifiers",
        "_version_split",
        (
            "Breaks a version text into comparable pieces: the epoch before the exclamation"
            " mark (zero when absent) comes first, then each dotted part, with parts that"
            " mix digits and letters cut into their digit prefix and the remainder.",
            "Splits a version string into a list of its components, putting the epoch"
            " first and separating number prefixes from suffixes in each piece.",
            "Cuts the version up at the dots after pulling off the epoch, so each piece can"
            " be compared on its own.",
        ),
        (
            "It returns a tuple of integers.",
            "It raises KeyError for a version without an epoch.",
            "It returns the number of dots in the version.",
        ),
        ("version, result, epoch, rest, item, match", "takes version, calls rpartition split"),
    ),
)


def region(module: str, function: str) -> tuple[SyntaxDocument, int, int]:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    text = Path(spec.origin).read_text(encoding="utf-8")
    node = next(
        n
        for n in ast.parse(text).body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == function
    )
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: node.lineno - 1])
    end = sum(len(line) for line in lines[: node.end_lineno])
    document = SyntaxDocument(Path(spec.origin).as_uri(), text, language_named("python"))
    return document, start, end


def test_corpus_correct_accepted_false_and_name_lists_refused() -> None:
    accepted = refused_bad = correct_total = bad_total = 0
    misjudged = []
    for case in CASES:
        document, start, end = region(case.module, case.function)
        for text in case.correct:
            verdict = verify_explanation(document, start, end, text)
            correct_total += 1
            accepted += verdict.accepted
            if not verdict.accepted:
                misjudged.append(("refused", case.function, text, verdict.message))
        for text in (*case.false, *case.names):
            verdict = verify_explanation(document, start, end, text)
            bad_total += 1
            refused_bad += not verdict.accepted
            if verdict.accepted:
                misjudged.append(("accepted", case.function, text, verdict.message))
    print(
        f"\nexplain corpus: {accepted}/{correct_total} correct accepted, "
        f"{refused_bad}/{bad_total} false or name lists refused"
    )
    for item in misjudged:
        print("  ", *item)
    assert accepted / correct_total >= 0.8
    assert refused_bad / bad_total >= 0.9


def test_an_accepted_explanation_is_followed_by_one_tracing_question_that_decides() -> None:
    document, start, end = region("click.parser", "_split_opt")
    text = CASES[0].correct[0]
    verdict = verify_explanation(document, start, end, text)
    assert verdict.verdict == "check"
    question = verdict.follow_up
    assert question is not None and question.decides_pass and question.kind == "tracing"
    assert question.choices is not None
    wrong = next(c for c in question.choices if c != question.answer)
    assert verify_explanation(document, start, end, text, answer=wrong).verdict == "check"
    right = verify_explanation(document, start, end, text, answer=question.answer)
    assert right.verdict == "passed" and right.follow_up_correct is True
    # a fresh question when that one was shown
    fresh = verify_explanation(
        document, start, end, text, attempt=2, shown=frozenset({question.fingerprint})
    )
    assert fresh.follow_up is not None
    assert fresh.follow_up.fingerprint != question.fingerprint
    data = right.to_dict()
    assert data["verdict"] == "passed"
    assert set(data) >= {"facts", "contradictions", "follow_up"}


def test_refusals_say_why() -> None:
    document, start, end = region("rich.filesize", "pick_unit_and_suffix")
    wrong_type = verify_explanation(document, start, end, "It returns a string such as 12 kB.")
    assert wrong_type.verdict == "refused"
    assert "returns a tuple" in wrong_type.message or "tuple" in wrong_type.message
    names = verify_explanation(document, start, end, "size, suffixes, base, unit, suffix")
    assert names.verdict == "refused" and names.name_list
