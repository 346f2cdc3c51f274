"""The contract between question generators and the quiz.

A generator looks at one foreign region (its syntax tree, its text, and for Python a
sandbox to run it in) and returns questions whose answers it derived itself, from the tree
or from a sandboxed run: never guessed. A question whose answer is ambiguous is not asked.
Everything random (which distractors, their order) comes from `code.rng`, seeded by the
code's hash, so the same code always gets the same quiz.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import tree_sitter

if TYPE_CHECKING:
    from mindgap.gate.sandbox import Sandbox


@dataclass(frozen=True)
class Question:
    type: str  # the generator's type, e.g. "return-value"
    prompt: str  # may quote code; names lines as "line N" (1-based, in the file)
    answer: str  # the key: one of `choices`, or the expected free answer
    explanation: str  # why the answer is right: shown after answering
    choices: tuple[str, ...] | None = None  # None: a free answer
    accepted: tuple[str, ...] = ()  # other free answers that are also right
    constructs: tuple[str, ...] = ()  # catalogue keys ("python/lambda") it exercises
    id: str = ""  # set by the quiz: stable within one quiz
    # set by the quiz from the generator (GATE.md): only tracing questions decide a pass;
    # a vocabulary question is at most one warm-up per quiz, for a construct not yet written
    kind: str = "tracing"  # "tracing" or "vocabulary"
    decides_pass: bool = True
    warmup: bool = False

    @property
    def fingerprint(self) -> str:
        """Who has seen this question's answer has seen this: its type, prompt and key."""
        text = "\x1f".join((self.type, self.prompt, self.answer))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def accepts(self, given: str) -> bool:
        """Whether an answer is right: exact for choices; for free answers, compared
        without case, surrounding white space, quotes or trailing punctuation."""
        if self.choices is not None:
            return given.strip() == self.answer
        wanted = {normalize(self.answer), *(normalize(a) for a in self.accepted)}
        return normalize(given) in wanted


def appears_in(choice: str, text: str) -> bool:
    """Whether a choice can be found in the code's text as it is written (a string value
    in either quote style)."""
    if not choice.strip():
        return False
    forms = {choice}
    if len(choice) >= 2 and choice[0] == choice[-1] and choice[0] in "'\"":
        inner = choice[1:-1]
        forms |= {f"'{inner}'", f'"{inner}"'}
    return any(form in text for form in forms)


def found_by_search(question: Question, text: str) -> bool:
    """GATE.md's surface solver: the key is the only choice written in the code, the only
    choice the prompt itself gives as a value (`f(5)` returning `5`: the code hands a given
    back) or the one echoing the values the prompt gives more than every other choice, so
    someone who never traced the code finds it by searching. Such a question cannot decide
    a pass."""
    if question.choices is None:
        return False
    written = [c for c in question.choices if appears_in(c, text)]
    given = [c for c in question.choices if given_in_prompt(c, question.prompt)]
    return [question.answer] in (written, given) or echo_singles_out(question)


def first_unsearched(questions: Iterable[Question | None], count: int, text: str) -> list[Question]:
    """The first `count` questions that were made and that no search of the code's `text`
    answers (`questions` may be lazy: the ones after are never made)."""
    kept = (q for q in questions if q is not None and not found_by_search(q, text))
    return list(itertools.islice(kept, count))


def echoed(choice: str, prompt: str) -> frozenset[str]:
    """The values the prompt gives whose text a choice holds - strings (`self.blueprint =
    '--all'`, `self.styles = {'x': 3}`: the choices `['--all']`, `'[styles]\\nx = 3'`) and
    collections (`returns `[3, 1, 2]``: the choice `f([3, 1, 2])`): what a reader who never
    traced the code matches the choices against. Numbers alone are too common in every
    choice to tell."""
    return frozenset(given for given in _given_contents(prompt) if given in choice)


def echo_singles_out(question: Question) -> bool:
    """Whether the key echoes the given values more than every other choice (each other
    choice holds only part of what the key holds, or nothing): a reader picks it by its echo
    of the input without tracing anything. Choices echoing different given values (`'\\'`
    and `'\\\\'` where the code tests both) leave the reader to trace."""
    if question.choices is None:
        return False
    held = echoed(question.answer, question.prompt)
    return bool(held) and all(
        echoed(choice, question.prompt) < held
        for choice in question.choices
        if choice != question.answer
    )


ECHOING_CHOICES = 2


def echoing_first(prompt: str, key: str, distractors: list[str]) -> list[str]:
    """When the key echoes values the prompt gives, two wrong choices that echo them too
    (a reversed list, one item short: the key's near misses) come first - then matching
    the echo leaves a guess among three - and a neighbouring input's result after them.
    Otherwise the order stays."""
    held = echoed(key, prompt)
    if not held:
        return distractors
    echoing = [d for d in distractors if held <= echoed(d, prompt)][:ECHOING_CHOICES]
    return [*echoing, *(d for d in distractors if d not in echoing)]


def _given_contents(prompt: str) -> set[str]:
    """The values the prompt's quoted code gives, as they read in a repr: a string whole
    and its text without the quotes (`'x'` gives `'x'` and `x`, `'a\\nb'` gives `a\\nb`), a
    non-empty list, tuple, set or dict whole (`[3, 1, 2]`)."""
    found = set()
    for quoted in prompt.split("`")[1::2]:
        for match in _STRING.finditer(quoted):
            try:
                value = ast.literal_eval(match.group())
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                continue
            if isinstance(value, str) and value:
                found |= {repr(value), repr(value)[1:-1]}  # whole (an item) and as text
        found |= _collections_in(quoted)
    return found


def _collections_in(quoted: str) -> set[str]:
    try:
        tree = ast.parse(quoted.strip())
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            try:
                value = ast.literal_eval(node)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
            if value:
                found.add(repr(value))
    return found


_STRING = re.compile(r"'(?:[^'\\]|\\.)*'" + r'|"(?:[^"\\]|\\.)*"')


def given_in_prompt(choice: str, prompt: str) -> bool:
    """Whether a choice is written as a whole value in the prompt's quoted code
    (`self.convert(5, ctx)`, `ctx.get(…)` returning `'x'`)."""
    if not choice.strip():
        return False
    edge = r"[\w.'\"]"
    pattern = re.compile(f"(?<!{edge}){re.escape(choice)}(?!{edge})")
    return any(pattern.search(quoted) for quoted in prompt.split("`")[1::2])


def normalize(answer: str) -> str:
    text = answer.strip().strip("`").strip().rstrip(".").lower()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return re.sub(r"\s+", " ", text)


@dataclass
class CodeUnderQuiz:
    """One foreign region, as the generators see it."""

    language: str  # mindgap.syntax.languages name: "python", "javascript", ...
    source: bytes  # the whole document, UTF-8 (tree-sitter offsets index into it)
    tree: tree_sitter.Tree
    start_byte: int  # the region within `source`
    end_byte: int
    first_line: int  # 1-based line number of the region's first line in the file
    rng: random.Random
    sandbox: Sandbox | None = None  # Python only, and only for code it judged safe
    attempt: int = 1  # which attempt of this developer on this code (fresh inputs each time)
    path: str | None = None  # the file on disk, when there is one (its package's modules)
    notes: dict[str, object] = field(default_factory=dict)  # shared between generators

    @property
    def text(self) -> str:
        return self.source[self.start_byte : self.end_byte].decode("utf-8", errors="replace")

    def nodes(self, *types: str) -> list[tree_sitter.Node]:
        """Named nodes of these types that start inside the region, in source order."""
        found = []
        stack = [self.tree.root_node]
        while stack:
            node = stack.pop()
            if node.end_byte <= self.start_byte or node.start_byte >= self.end_byte:
                continue
            if node.type in types and node.start_byte >= self.start_byte:
                found.append(node)
            stack.extend(reversed(node.named_children))
        found.sort(key=lambda n: n.start_byte)
        return found

    def line_of(self, node: tree_sitter.Node) -> int:
        """1-based line in the file."""
        return node.start_point.row + 1

    def node_text(self, node: tree_sitter.Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def decides(generator: QuestionGenerator) -> bool:
    """Whether the type's questions decide a pass (GATE.md): exactly the tracing types."""
    return getattr(generator, "kind", "vocabulary") == "tracing"


def runs_code(generator: QuestionGenerator) -> bool:
    """Whether the type's keys come from running code (Python, in the sandbox)."""
    return bool(getattr(generator, "runs_code", False))


class QuestionGenerator(Protocol):
    type: str
    languages: frozenset[str] | None  # None: every language
    # "tracing": the key needs tracing the code, and the type decides a pass (a question of
    # it may still not: see Question.decides_pass); "vocabulary": a term or a search, a
    # warm-up at most (see `decides`)
    kind: str
    # a type whose keys come from sandboxed runs says so with `runs_code = True`; the others
    # (static types) read the syntax tree only: see `runs_code()`

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        """Questions about the code, each with a key the generator is sure of; [] if none."""
        ...
