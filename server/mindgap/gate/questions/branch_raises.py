"""Branch-raise questions: which exception is raised when the condition on line N holds?

Asked about an `if` whose branch is exactly one `raise Name(...)` / `throw new Name(...)`
of a named exception class: when execution reaches the `if` and the condition is true (or,
for a plain `else` branch, false), that statement runs and raises it. The question is about
what that statement raises, so a handler around it does not change the key.

Wrong options are other exception classes raised or caught in the same file, then the
language's everyday exceptions (`ValueError`, `TypeError`, ...), never the answer.

    If execution reaches line 3 and `not path` is true, which exception is raised?
"""

from __future__ import annotations

import builtins
import re

import tree_sitter

from mindgap.gate.questions._syntax import (
    MAX_PER_GENERATOR,
    Shapes,
    nearby,
    pick_preferring,
    query,
    quote,
    shapes,
    shuffled,
    statements,
    whole_nodes,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question

Node = tree_sitter.Node
DISTRACTORS = 3
_IFS = frozenset({"if_statement"})
_EVERYDAY = {
    "python": ("ValueError", "TypeError", "KeyError", "RuntimeError", "IndexError"),
    "javascript": ("Error", "TypeError", "RangeError", "SyntaxError"),
    "java": (
        "IllegalArgumentException",
        "IllegalStateException",
        "NullPointerException",
        "UnsupportedOperationException",
    ),
}
_EVERYDAY["typescript"] = _EVERYDAY["tsx"] = _EVERYDAY["javascript"]
_CLASS_NAME = re.compile(r"^[A-Za-z_][\w.]*$")


class BranchRaises:
    type = "branch-raises"
    kind = "vocabulary"  # found by reading or searching the text: a warm-up at most
    languages: frozenset[str] | None = frozenset(
        {"python", "javascript", "typescript", "tsx", "java"}
    )

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None or not shape.throws:
            return []
        questions = []
        for node in whole_nodes(code, *_IFS):
            for truth, branch in _branches(node, shape):
                raised = _raised_class(code, shape, branch)
                if raised is None:
                    continue
                question = self._question(code, node, truth, raised, _exception_names(code))
                if question is not None:
                    questions.append(question)
            if len(questions) >= MAX_PER_GENERATOR:
                break
        return questions[:MAX_PER_GENERATOR]

    def _question(
        self, code: CodeUnderQuiz, node: Node, truth: bool, raised: str, known: list[str]
    ) -> Question | None:
        condition = node.child_by_field_name("condition")
        if condition is None:
            return None
        short = raised.rsplit(".", 1)[-1]
        everyday = _EVERYDAY.get(code.language, ())
        bases = set() if short in everyday else _bases_in_file(code, short)

        def unlike(name: str) -> bool:
            last = name.rsplit(".", 1)[-1]
            return last != short and last not in bases and not _ancestor(last, short)

        wrong = pick_preferring(
            code.rng,
            [
                [name for name in known if unlike(name)],
                [name for name in _EVERYDAY.get(code.language, ()) if unlike(name)],
            ],
            DISTRACTORS,
            exclude={raised},
        )
        if len(wrong) < 2:
            return None
        text = code.node_text(condition)
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        state = "true" if truth else "false"
        line = code.line_of(node)
        verb, does = ("raised", "raises") if code.language == "python" else ("thrown", "throws")
        return Question(
            type=self.type,
            prompt=(
                f"If execution reaches line {line} and {quote(text)} is {state}, what is the "
                f"class of the exception {verb}?"
            ),
            answer=raised,
            choices=shuffled(code.rng, raised, wrong),
            explanation=(
                f"When {quote(text)} is {state}, the `if` on line {line} runs its "
                f"{'' if truth else '`else` '}branch, which only {does} `{raised}`."
            ),
        )


_BROAD = frozenset({"Exception", "BaseException", "Error", "Throwable", "RuntimeException"})
_JAVA_PARENTS = {
    "NumberFormatException": "IllegalArgumentException",
    "ArrayIndexOutOfBoundsException": "IndexOutOfBoundsException",
    "StringIndexOutOfBoundsException": "IndexOutOfBoundsException",
}


def _ancestor(name: str, of: str) -> bool:
    """Whether `name` is (or may well be) a base class of `of`: an exception of class `of`
    is also one of `name`, which would make that wrong option look right."""
    if name in _BROAD or _JAVA_PARENTS.get(of) == name:
        return True
    mine, theirs = getattr(builtins, of, None), getattr(builtins, name, None)
    return isinstance(mine, type) and isinstance(theirs, type) and issubclass(mine, theirs)


def _branches(node: Node, shape: Shapes) -> list[tuple[bool, Node]]:
    found = []
    consequence = node.child_by_field_name("consequence")
    if consequence is not None:
        found.append((True, consequence))
    alternatives = node.children_by_field_name("alternative")
    if len(alternatives) == 1 and alternatives[0].type == "else_clause":
        clause = alternatives[0]
        body = clause.child_by_field_name("body")
        named = [c for c in clause.named_children if c.type not in shape.comments]
        branch = body if body is not None else (named[0] if len(named) == 1 else None)
        if branch is not None and branch.type not in _IFS:
            found.append((False, branch))
    elif len(alternatives) == 1 and alternatives[0].type in shape.blocks:  # Java
        found.append((False, alternatives[0]))
    return found


def _raised_class(code: CodeUnderQuiz, shape: Shapes, branch: Node) -> str | None:
    """The class a branch raises when the branch is one `raise Name(...)` statement."""
    single = branch
    if branch.type in shape.blocks:
        inside = statements(branch, shape)
        if len(inside) != 1:
            return None
        single = inside[0]
    if single.type not in shape.throws:
        return None
    values = [c for c in single.named_children if c.type not in shape.comments]
    if code.language == "python":
        cause = single.child_by_field_name("cause")
        values = [v for v in values if v != cause]
    if len(values) != 1:
        return None  # a bare `raise` re-raises whatever is being handled
    value = values[0]
    if value.type in ("call", "new_expression", "object_creation_expression"):
        value = (
            value.child_by_field_name("function")
            or value.child_by_field_name("constructor")
            or value.child_by_field_name("type")
            or value
        )
    name = code.node_text(value)
    last = name.rsplit(".", 1)[-1]
    if not _CLASS_NAME.match(name) or not last[:1].isupper():
        return None  # `raise error` (a variable), `throw err`
    return name


# Exception classes a file raises or catches: one query per language, run in C.
_QUERIES = {
    "python": """
        (raise_statement (call function: [(identifier) (attribute)] @name))
        (raise_statement . [(identifier) (attribute)] @name)
        (except_clause value: [(identifier) (attribute)] @name)
        (except_clause value: (tuple [(identifier) (attribute)] @name))
        (except_clause value: (as_pattern . [(identifier) (attribute)] @name))
        (except_clause value: (as_pattern . (tuple [(identifier) (attribute)] @name)))
    """,
    "javascript": """
        (throw_statement (new_expression constructor: [(identifier) (member_expression)] @name))
        (throw_statement (call_expression function: (identifier) @name))
    """,
    "java": """
        (throw_statement (object_creation_expression type: (_) @name))
        (catch_type (_) @name)
    """,
}
_QUERIES["typescript"] = _QUERIES["tsx"] = _QUERIES["javascript"]


_CLASS_QUERIES = {
    "python": "(class_definition name: (identifier) @class"
    " superclasses: (argument_list [(identifier) (attribute)] @base))",
    "javascript": "(class_declaration name: (_) @class (class_heritage (_) @base))",
    "java": "(class_declaration name: (identifier) @class superclass: (superclass (_) @base))",
}
_CLASS_QUERIES["typescript"] = _CLASS_QUERIES["tsx"] = (
    "(class_declaration name: (_) @class (class_heritage (extends_clause value: (_) @base)))"
)


def _bases_in_file(code: CodeUnderQuiz, name: str) -> set[str]:
    """The base classes of `name` declared around the region, transitively."""
    parents = _class_parents(code)
    found: set[str] = set()
    unvisited = [name]
    while unvisited:
        for parent in parents.get(unvisited.pop(), set()) - found:
            found.add(parent)
            unvisited.append(parent)
    return found


def _class_parents(code: CodeUnderQuiz) -> dict[str, set[str]]:
    """Class name -> the names of its bases, for the classes declared around the region."""
    cached = code.notes.get("branch_raises.parents")
    if isinstance(cached, dict):
        return cached
    parents: dict[str, set[str]] = {}
    source = _CLASS_QUERIES.get(code.language)
    if source is not None:
        cursor = tree_sitter.QueryCursor(query(code.language, source))
        cursor.set_byte_range(*nearby(code))
        for _, match in cursor.matches(code.tree.root_node):
            for cls in match.get("class", []):
                for base in match.get("base", []):
                    last = code.node_text(base).rsplit(".", 1)[-1]
                    parents.setdefault(code.node_text(cls), set()).add(last)
    code.notes["branch_raises.parents"] = parents
    return parents


def _exception_names(code: CodeUnderQuiz) -> list[str]:
    """Exception classes raised or caught in and around the region, in order of appearance."""
    cached = code.notes.get("branch_raises.names")
    if isinstance(cached, list):
        return cached
    source = _QUERIES.get(code.language)
    names: list[str] = []
    if source is not None:
        cursor = tree_sitter.QueryCursor(query(code.language, source))
        cursor.set_byte_range(*nearby(code))
        found = cursor.captures(code.tree.root_node).get("name", [])
        texts = [code.node_text(node) for node in sorted(found, key=lambda n: n.start_byte)]
        names = list(dict.fromkeys(n for n in texts if n.rsplit(".", 1)[-1][:1].isupper()))
    code.notes["branch_raises.names"] = names
    return names


GENERATORS = [BranchRaises()]
