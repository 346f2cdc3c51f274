"""The hand-write check: is the code the developer typed equivalent to the foreign code?

Three levels, tried in order, the first that holds is the answer:

- `tokens`: the same tokens, layout and comments aside (for Python, docstrings count as
  comments and the indentation structure counts as tokens); a region that does not parse on
  its own (cut mid-statement) is compared at this level only;
- `tree`: the same syntax tree, where parameters and local variables may have been renamed
  consistently (one new name per old name, no capture of another name), redundant
  parentheses and trailing commas or semicolons may differ, and strings may use either
  quote; function names, attributes, called or global names and literals must match, and
  so must names bound outside any function of the code (at module level, or in a region cut
  from a function's body), since code after the region may use them;
- `behaviour` (Python only, and only when the caller passes `run` and inputs): the same
  outcomes for every given call, run in the sandbox.

When none holds, `reason` says where they first part: "line 3: expected `+`, found `-`".
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import tree_sitter

from mindgap.gate.facts import Node, Scopes, Shape, node_key, shape_of, text_of
from mindgap.syntax.languages import language_named

Level = Literal["tokens", "tree", "behaviour"]
Runner = Callable[[str, list[str]], Sequence[object]]


@dataclass(frozen=True)
class Equivalence:
    level: Level | None  # None: not shown to be equivalent
    reason: str
    renamed: dict[str, str] = field(default_factory=dict)  # tree level: original -> typed

    @property
    def equivalent(self) -> bool:
        return self.level is not None


def equivalent(
    language: str,
    original: str,
    typed: str,
    inputs: list[str] | None = None,
    run: Runner | None = None,
) -> Equivalence:
    """Whether `typed` is equivalent to `original` (both code texts of `language`; common
    indentation is ignored). `inputs` are call expressions (`total([1, 2])`) and `run` runs
    them after the given definitions, returning one outcome per call ("returns 3"): Python
    only. ValueError for a language mindgap has no grammar or shape for."""
    shape = shape_of(language)
    if not typed.strip():
        return Equivalence(None, "nothing typed yet")
    parser = language_named(language).parser()
    original_text, typed_text = _prepare(original), _prepare(typed)
    original_tree = parser.parse(original_text.encode("utf-8"))
    typed_tree = parser.parse(typed_text.encode("utf-8"))

    original_tokens = tokens(shape, original_tree.root_node)
    typed_tokens = tokens(shape, typed_tree.root_node)
    difference = _token_difference(original_tokens, typed_tokens)
    if difference is None:
        return Equivalence("tokens", "the same tokens as the original")

    if original_tree.root_node.has_error:
        return Equivalence(None, difference)  # a region cut mid-statement: tokens only
    syntax_error = _first_error(typed_tree.root_node)
    if syntax_error is not None:
        return Equivalence(None, f"line {syntax_error}: your code has a syntax error here")
    comparison = _TreeComparison(shape, original_tree, typed_tree)
    tree_difference = comparison.difference()
    if tree_difference is None:
        return Equivalence("tree", comparison.summary(), comparison.renamed())
    difference = tree_difference  # says more than the first token that differs

    if language == "python" and run is not None and inputs:
        behaviour = _behaviour(original_text, typed_text, inputs, run)
        if behaviour is None:
            return Equivalence("behaviour", f"the same results on {len(inputs)} calls")
        return Equivalence(None, f"{difference}; and {behaviour}")
    return Equivalence(None, difference)


def _prepare(code: str) -> str:
    return textwrap.dedent(code.replace("\r\n", "\n")).strip("\n") + "\n"


# --- Tokens -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    text: str
    line: int  # 1-based


def tokens(shape: Shape, root: Node) -> list[Token]:
    """The token sequence of a tree, comments (and Python docstrings) left out. A node with
    text between its children (a string with escapes) is one token. Python's indented
    blocks add `{` and `}` tokens so that indentation counts."""
    skipped = _skipped(shape, root)
    found: list[Token] = []
    stack: list[Node | Token] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, Token):
            found.append(item)
            continue
        node = item
        if node_key(node) in skipped:
            continue
        if atomic(node):
            text = text_of(node)
            if text:
                found.append(Token(text, node.start_point.row + 1))
            continue
        if node.type in shape.blocks:
            found.append(Token("{", node.start_point.row + 1))
            stack.append(Token("}", node.end_point.row + 1))
        stack.extend(reversed(node.children))
    return found


_STRING_PARTS = frozenset(
    {
        "string_content",
        "string_fragment",
        "interpreted_string_literal_content",
        "raw_string_literal",
    }
)


def atomic(node: Node) -> bool:
    """Whether a node is one token: a leaf, the contents of a string, or a node with text of
    its own between its children."""
    return node.child_count == 0 or node.type in _STRING_PARTS or _has_own_text(node)


def _has_own_text(node: Node) -> bool:
    """Whether a node has text of its own between its children (string contents)."""
    source = node.text or b""
    position = node.start_byte
    for child in node.children:
        if source[position - node.start_byte : child.start_byte - node.start_byte].strip():
            return True
        position = child.end_byte
    return bool(source[position - node.start_byte :].strip())


def _skipped(shape: Shape, root: Node) -> set[tuple[int, int, str]]:
    """Comments, and Python docstrings (a string alone as the first statement of a module,
    class or function body)."""
    skipped = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in shape.comments:
            skipped.add(node_key(node))
            continue
        if node.type in ("module", "block") and shape.blocks:
            first = next((c for c in node.named_children if c.type not in shape.comments), None)
            if (
                first is not None
                and first.type == "expression_statement"
                and first.named_child_count == 1
                and first.named_children[0].type == "string"
            ):
                skipped.add(node_key(first))
        stack.extend(node.children)
    return skipped


def _token_difference(original: list[Token], typed: list[Token]) -> str | None:
    for mine, yours in zip(original, typed, strict=False):
        if mine.text != yours.text:
            return f"line {yours.line}: expected {_show(mine.text)}, found {_show(yours.text)}"
    if len(original) > len(typed):
        missing = original[len(typed)]
        return f"yours ends early: the original goes on with {_show(missing.text)}"
    if len(typed) > len(original):
        extra = typed[len(original)]
        return f"line {extra.line}: yours goes on after the original ends: {_show(extra.text)}"
    return None


def _show(text: str, limit: int = 40) -> str:
    if text == "{":
        return "an indented block"
    if text == "}":
        return "the end of the indented block"
    text = text.split("\n", 1)[0].strip()
    return f"`{text[: limit - 3]}...`" if len(text) > limit else f"`{text}`"


def _first_error(root: Node) -> int | None:
    if not root.has_error:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node.start_point.row + 1
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return root.start_point.row + 1


# --- Trees --------------------------------------------------------------------------------

_QUOTES = {"'": '"', "'''": '"""'}
_SEPARATORS = frozenset({",", ";"})


class _TreeComparison:
    """Walks two trees in step; locals may be renamed, everything else must be equal."""

    def __init__(self, shape: Shape, original: tree_sitter.Tree, typed: tree_sitter.Tree):
        self.shape = shape
        self.original = original.root_node
        self.typed = typed.root_node
        self.original_scopes = Scopes(shape, self.original)
        self.typed_scopes = Scopes(shape, self.typed)
        self.original_skipped = _skipped(shape, self.original)
        self.typed_skipped = _skipped(shape, self.typed)
        self.scope_pairs: dict[tuple[int, int, str], tuple[int, int, str]] = {}
        self.forward: dict[tuple[tuple[int, int, str], str], str] = {}
        self.backward: dict[tuple[tuple[int, int, str], str], str] = {}
        self.renames: dict[str, str] = {}

    def difference(self) -> str | None:
        stack = [(self.original, self.typed)]
        while stack:
            mine, yours = stack.pop()
            problem = self._compare(mine, yours)
            if problem is not None:
                return problem
            if mine.type in self.shape.functions or mine.type in self.shape.extra_scopes:
                self.scope_pairs[node_key(mine)] = node_key(yours)
            if self._atomic(mine) or self._atomic(yours):
                continue
            my_children = self._children(mine, self.original_skipped)
            your_children = self._children(yours, self.typed_skipped)
            for a, b in zip(my_children, your_children, strict=False):
                if a.type != b.type and not _same_quote(a, b):
                    return self._differs(a, b)
            if len(my_children) != len(your_children):
                return self._count_differs(yours, my_children, your_children)
            stack.extend(reversed(list(zip(my_children, your_children, strict=False))))
        return None

    def renamed(self) -> dict[str, str]:
        return dict(sorted(self.renames.items()))

    def summary(self) -> str:
        if not self.renames:
            return "the same syntax tree as the original"
        shown = ", ".join(f"`{a}` as `{b}`" for a, b in sorted(self.renames.items()))
        return f"the same syntax tree as the original, with {shown}"

    def _atomic(self, node: Node) -> bool:
        return atomic(node)

    def _children(self, node: Node, skipped: set[tuple[int, int, str]]) -> list[Node]:
        children = []
        for child in node.children:
            if node_key(child) in skipped or child.type in self.shape.comments:
                continue
            if not child.is_named and child.type in _SEPARATORS:
                continue
            children.append(self._unwrap(child, skipped))
        return children

    def _unwrap(self, node: Node, skipped: set[tuple[int, int, str]]) -> Node:
        while node.type in self.shape.parens:
            inner = [
                c
                for c in node.named_children
                if c.type not in self.shape.comments and node_key(c) not in skipped
            ]
            if len(inner) != 1:
                break
            node = inner[0]
        return node

    def _compare(self, mine: Node, yours: Node) -> str | None:
        if mine.type != yours.type and not _same_quote(mine, yours):
            return self._differs(mine, yours)
        if not (self._atomic(mine) and self._atomic(yours)):
            if self._atomic(mine) != self._atomic(yours):
                return self._differs(mine, yours)
            return None
        my_text, your_text = text_of(mine), text_of(yours)
        if mine.type in self.shape.identifiers:
            return self._compare_names(mine, yours)
        if mine.type in ("string_start", "string_end"):
            my_text, your_text = _normal_quotes(my_text), _normal_quotes(your_text)
        if _same_quote(mine, yours):
            return None
        if my_text != your_text:
            return self._differs(mine, yours)
        return None

    def _compare_names(self, mine: Node, yours: Node) -> str | None:
        my_name, your_name = text_of(mine), text_of(yours)
        mine_is_ref = self.original_scopes.is_reference(mine)
        yours_is_ref = self.typed_scopes.is_reference(yours)
        my_scope = self.original_scopes.binding_scope(mine) if mine_is_ref else None
        your_scope = self.typed_scopes.binding_scope(yours) if yours_is_ref else None
        line = yours.start_point.row + 1
        if not mine_is_ref or not yours_is_ref:  # attribute and keyword names
            return None if my_name == your_name else self._differs(mine, yours)
        if my_scope is None and your_scope is None:
            if my_name != your_name:
                return (
                    f"line {line}: `{my_name}` must keep its name (it is not a parameter or "
                    f"local variable of a function in this code); yours has `{your_name}`"
                )
            return None
        if my_scope is None:
            return (
                f"line {line}: `{your_name}` is a local variable in yours where the original "
                f"uses `{my_name}` from outside"
            )
        if your_scope is None:
            return (
                f"line {line}: `{your_name}` is not a local variable in yours where the "
                f"original uses its local `{my_name}`"
            )
        my_key, your_key = node_key(my_scope), node_key(your_scope)
        if self.scope_pairs.get(my_key) != your_key:
            return f"line {line}: `{your_name}` belongs to a different function than `{my_name}`"
        earlier = self.forward.setdefault((my_key, my_name), your_name)
        if earlier != your_name:
            return f"line {line}: `{my_name}` was renamed `{earlier}`, but here it is `{your_name}`"
        before = self.backward.setdefault((your_key, your_name), my_name)
        if before != my_name:
            return f"line {line}: `{your_name}` stands for both `{before}` and `{my_name}`"
        if my_name != your_name:
            self.renames[my_name] = your_name
        return None

    def _differs(self, mine: Node, yours: Node) -> str:
        return (
            f"line {yours.start_point.row + 1}: expected {_show(text_of(mine))}, "
            f"found {_show(text_of(yours))}"
        )

    def _count_differs(self, parent: Node, mine: list[Node], yours: list[Node]) -> str:
        if len(mine) > len(yours):
            return (
                f"line {parent.end_point.row + 1}: yours is missing "
                f"{_show(text_of(mine[len(yours)]))}"
            )
        extra = yours[len(mine)]
        return f"line {extra.start_point.row + 1}: yours has more: {_show(text_of(extra))}"


def _normal_quotes(text: str) -> str:
    prefix = text.rstrip("'\"")
    quotes = text[len(prefix) :]
    return prefix.lower() + _QUOTES.get(quotes, quotes)


def _same_quote(a: Node, b: Node) -> bool:
    return not a.is_named and not b.is_named and {a.type, b.type} == {"'", '"'}


# --- Behaviour ----------------------------------------------------------------------------


def _behaviour(original: str, typed: str, calls: list[str], run: Runner) -> str | None:
    """None when both give the same outcome for every call; else why not."""
    try:
        expected = [_outcome_text(o) for o in run(original, list(calls))]
        got = [_outcome_text(o) for o in run(typed, list(calls))]
    except Exception as error:  # the runner's failure is a reason, never a crash
        return f"the calls could not be run ({type(error).__name__}: {error})"
    if len(expected) != len(calls) or len(got) != len(calls):
        return "the calls could not all be run"
    for call, mine, yours in zip(calls, expected, got, strict=True):
        if not _conclusive(mine) or not _conclusive(yours):
            return f"`{call}` could not be compared (original: {mine}; yours: {yours})"
        if mine != yours:
            return f"on `{call}` the original {mine}, yours {yours}"
    if not any(outcome.startswith("returns") for outcome in expected):
        return "the original raises on every call, so the results prove nothing"
    return None


def _outcome_text(outcome: object) -> str:
    describe = getattr(outcome, "describe", None)
    return str(describe() if callable(describe) else outcome)


def _conclusive(outcome: str) -> bool:
    return outcome.startswith(("returns", "raises"))
