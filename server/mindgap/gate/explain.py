"""The explanation check: does the developer's own description cover the code's key facts?

Three parts: explain_vocabulary.py (how words are compared), explain_facts.py (the key
facts, from the syntax tree) and this module (the check). explain_verify.py holds the
explanation against the code's behaviour and asks the follow-up question.

`key_facts` reads, from the syntax tree, what any fair explanation of a region mentions: its
inputs, what it returns, its side effects and the names it calls. `check_explanation` looks
for each fact in the explanation (case-insensitive, identifiers split into words, light
stemming, synonyms for common verbs and abbreviations) and refuses an explanation that
merely repeats the code, its comments or its docstring.

The pass rule: the explanation is not a copy, it covers every required fact (each input of a
function and what it returns, when it returns a value) and at least half (rounded up) of the
other facts (side effects, calls, "returns nothing", names a snippet reads).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from mindgap.gate.explain_facts import Fact, key_facts, name_alternatives
from mindgap.gate.explain_vocabulary import found_words, split_identifier, stem, words

__all__ = [
    "ExplanationResult",
    "Fact",
    "FactCoverage",
    "check_explanation",
    "key_facts",
    "name_alternatives",
    "split_identifier",
    "stem",
    "words",
]


@dataclass(frozen=True)
class FactCoverage:
    fact: Fact
    covered: bool
    matched: tuple[str, ...] = ()  # per group, the alternative found


@dataclass(frozen=True)
class ExplanationResult:
    passed: bool
    coverage: tuple[FactCoverage, ...]
    copied: str | None  # why the explanation counts as a copy of the code; None if it does not
    message: str  # for the developer: what is covered, what is missing, or why it is refused
    needed_optional: int  # how many of the optional facts the rule asks for

    @property
    def covered(self) -> list[Fact]:
        return [c.fact for c in self.coverage if c.covered]

    @property
    def missing(self) -> list[Fact]:
        return [c.fact for c in self.coverage if not c.covered]

    def to_dict(self) -> dict[str, object]:
        """For the ledger: the evidence of an explanation attempt."""
        return {
            "passed": self.passed,
            "copied": self.copied,
            "message": self.message,
            "covered": [c.fact.label for c in self.coverage if c.covered],
            "missing": [c.fact.label for c in self.coverage if not c.covered],
        }


# --- The check ----------------------------------------------------------------------------

_COMMENT = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|/\*[\s\S]*?\*/|//[^\n]*|(?<![\w$])#(?![\[!])[^\n]*'
)
_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`""")
NGRAM = 4  # words in a row that count as copied when the code has them in the same order
COPIED_SHARE = 0.5  # refused when this share of the explanation's words are copied runs
ORDERED_SHARE = 0.75  # refused when this share are the code's words in the code's order
MIN_COPIED = 6  # fewer copied words than this never count as a copy ("returns a plus b")
MIN_WORDS = 4  # with no facts at all, at least this many words


def check_explanation(facts: list[Fact], explanation: str, code_text: str) -> ExplanationResult:
    """Whether `explanation` covers `facts` (from `key_facts`) of `code_text` in the
    developer's own words. See the module docstring for the pass rule."""
    explanation_words = words(explanation)
    stems = {stem(w) for w in explanation_words}
    coverage = tuple(_coverage(fact, stems) for fact in facts)
    optional = [c for c in coverage if not c.fact.required]
    needed = math.ceil(len(optional) / 2)
    copied = _copied(explanation, code_text)
    if not explanation_words:
        return ExplanationResult(False, coverage, None, "The explanation is empty.", needed)
    if copied is not None:
        message = f"Not accepted: {copied}. Say what the code does in your own words."
        return ExplanationResult(False, coverage, copied, message, needed)
    required_missing = [c.fact for c in coverage if c.fact.required and not c.covered]
    optional_covered = sum(1 for c in optional if c.covered)
    enough_words = bool(facts) or len(explanation_words) >= MIN_WORDS
    passed = not required_missing and optional_covered >= needed and enough_words
    return ExplanationResult(
        passed,
        coverage,
        None,
        _message(coverage, required_missing, optional_covered, needed, passed, enough_words),
        needed,
    )


def _coverage(fact: Fact, stems: set[str]) -> FactCoverage:
    """Each group must be said by words the other groups did not use: "total" alone does
    not say both "increases" and "total"."""
    matched = []
    used: set[str] = set()
    for group in fact.words:
        for alternative in sorted(group, key=lambda a: (len(a), a)):
            found = found_words(alternative, stems, used)
            if found is not None:
                matched.append(alternative)
                used |= found
                break
        else:
            return FactCoverage(fact, False, tuple(matched))
    return FactCoverage(fact, bool(fact.words), tuple(matched))


def _message(
    coverage: tuple[FactCoverage, ...],
    required_missing: list[Fact],
    optional_covered: int,
    needed: int,
    passed: bool,
    enough_words: bool,
) -> str:
    total = len(coverage)
    covered = sum(1 for c in coverage if c.covered)
    if not enough_words:
        return f"Too short: say what the code does in at least {MIN_WORDS} words."
    if passed:
        return f"Covers {covered} of {total} key facts." if total else "Accepted."
    parts = []
    if required_missing:
        parts.append("missing " + _listing(f.label for f in required_missing))
    if optional_covered < needed:
        others = [c.fact.label for c in coverage if not c.fact.required and not c.covered]
        short = needed - optional_covered
        parts.append(f"mention {short} more of: " + _listing(others, conjunction="or"))
    return f"Covers {covered} of {total} key facts; " + "; ".join(parts) + "."


def _listing(items: Iterable[str], conjunction: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _copied(explanation: str, code_text: str) -> str | None:
    """Why the explanation counts as a copy of the code or its comments, or None."""
    said = [stem(w) for w in _spoken(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", explanation))]
    if len(said) < NGRAM:
        return None
    prose_text = " ".join(
        [
            *_COMMENT.findall(code_text),
            *(t for t in _STRING.findall(code_text) if len(t.split()) > 2),
        ]
    )
    code_only = _COMMENT.sub(" ", code_text)
    prose = [stem(w) for w in words(prose_text)]
    code = [stem(w) for w in _spoken(code_only)]
    from_prose = _covered_positions(said, prose)
    from_code = _covered_positions(said, code)
    copied = len(from_prose | from_code)
    if copied >= MIN_COPIED and copied / len(said) >= COPIED_SHARE:
        source = "comments or docstring" if len(from_prose) >= len(from_code) else "code"
        return f"{copied} of its {len(said)} words repeat the {source} word for word"
    ordered = _common_subsequence(said[:400], code[:4000])
    if ordered >= MIN_COPIED and ordered / len(said) >= ORDERED_SHARE:
        return f"{ordered} of its {len(said)} words are the code's own words in the code's order"
    return None


_SPOKEN_OPERATORS = {
    "==": ("equal",), "===": ("equal",), "!=": ("not", "equal"), "!==": ("not", "equal"),
    "<=": ("less",), ">=": ("greater",), "<": ("less",), ">": ("greater",),
    "+": ("plus",), "-": ("minus",), "*": ("times",), "/": ("divided",), "%": ("mod",),
    "=": ("is",), "+=": ("plus",), "-=": ("minus",), "&&": ("and",), "||": ("or",),
    "!": ("not",),
}  # fmt: skip
_CODE_TOKEN = re.compile(
    r"[A-Za-z0-9_]+(?:\.[0-9]+)?|===|!==|==|!=|<=|>=|\+=|-=|&&|\|\||[-+*/%<>=!]"
)


def _spoken(code: str) -> list[str]:
    """The code's words as someone reading it aloud would say them: names split into words,
    operators as words (`a * b` -> a times b)."""
    found: list[str] = []
    for token in _CODE_TOKEN.findall(code):
        if token in _SPOKEN_OPERATORS:
            found.extend(_SPOKEN_OPERATORS[token])
        else:
            found.extend(words(token))
    return found


def _covered_positions(said: list[str], source: list[str]) -> set[int]:
    grams = {tuple(source[i : i + NGRAM]) for i in range(len(source) - NGRAM + 1)}
    covered: set[int] = set()
    for i in range(len(said) - NGRAM + 1):
        if tuple(said[i : i + NGRAM]) in grams:
            covered.update(range(i, i + NGRAM))
    return covered


def _common_subsequence(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (words in the same order, gaps allowed)."""
    if not a or not b:
        return 0
    wanted = set(a)
    b = [w for w in b if w in wanted]
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if word == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]
