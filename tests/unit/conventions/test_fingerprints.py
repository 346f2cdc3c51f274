"""Fingerprints: the winnowing learning computes once per file is the definition's, and the
function index holds exactly the fingerprints checking compares foreign code by."""

from __future__ import annotations

from pathlib import Path

import click  # a real package: its modules stand for a repository's code
from hypothesis import given
from hypothesis import strategies as st

from mindgap.conventions.files import parse_source
from mindgap.conventions.fingerprints import WINDOW, K, _token_code, function_prints, winnow
from mindgap.conventions.reinvention import indexed_functions
from mindgap.syntax.languages import language_for


def _defined_winnowing(tokens: list[str], window: int) -> frozenset[int]:
    """Schleimer et al.'s definition, written out: the smallest k-gram hash of every window
    of `window` consecutive k-grams (one window when there are fewer)."""
    codes = [_token_code(token) for token in tokens]
    grams = [hash(tuple(codes[i : i + K])) for i in range(len(codes) - K + 1)]
    if not grams:
        return frozenset()
    if len(grams) <= window:
        return frozenset({min(grams)})
    return frozenset(min(grams[i : i + window]) for i in range(len(grams) - window + 1))


TOKENS = st.lists(st.sampled_from(["ID", "(", ")", ".append", "STR", "NUM", "+", "return"]))


@given(TOKENS, st.integers(min_value=1, max_value=7))
def test_winnowing_keeps_the_smallest_hash_of_every_window(tokens: list[str], window: int) -> None:
    assert winnow(tokens, K, window) == _defined_winnowing(tokens, window)
    assert winnow(tokens) == _defined_winnowing(tokens, WINDOW)  # what learning uses


def test_the_index_holds_the_fingerprints_checking_compares() -> None:
    """Learning packs a file's functions without making a FunctionPrint of each: the packed
    fingerprints and shapes are the FunctionPrint's, function by function, in source order."""
    compared = 0
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        language = language_for(str(path))
        assert language is not None
        source = parse_source(path.name, path.read_text(encoding="utf-8"), language)
        prints = function_prints(source)
        indexed = indexed_functions(source, path.name)
        assert [(f.name, f.start_line, f.end_line) for f in indexed] == [
            (p.name, p.start_line, p.end_line) for p in prints
        ]
        for function, function_print in zip(indexed, prints, strict=True):
            assert function.fingerprints == function_print.fingerprints
            assert function.shape == function_print.shape
            compared += 1
    assert compared > 100  # click's modules hold hundreds of functions big enough
