"""Python test style: pytest's plain asserts and functions, or unittest's TestCase API.

Only test files are observed (elsewhere `assert` is a run-time check, not a test style).
Aspect "assertion": a check is an `assert` statement or a `self.assert*()` call. Aspect
"raises": an expected exception is caught with `pytest.raises` or `self.assertRaises*`.
Aspect "tests": a test is a module-level function, a method of a plain class (pytest
collects both) or a method of a `TestCase` subclass.

The rewrite turns the common `self.assert*` calls into the equivalent `assert` statement
(`self.assertEqual(a, b)` -> `assert a == b`), parenthesising operands that would bind
differently; calls with a message or keywords are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    PYTHON,
    captures,
    enclosing,
    imports_of,
    observe,
    register,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "test-style"
_QUERY = register(
    """
(assert_statement) @assert
(call function: (attribute
    object: (identifier) @self (#eq? @self "self")
    attribute: (identifier) @method (#match? @method "^(assert|fail)"))) @unittest
(call function: (attribute attribute: (identifier) @raises (#eq? @raises "raises"))) @pytest_raises
(call function: (identifier) @raises_name (#eq? @raises_name "raises")) @pytest_raises
(function_definition name: (identifier) @test (#match? @test "^test")) @test_function
""",
    tests_only=True,
)
# unittest method -> (operator template, number of operands)
_AS_ASSERT = {
    "assertEqual": ("{0} == {1}", 2),
    "assertNotEqual": ("{0} != {1}", 2),
    "assertTrue": ("{0}", 1),
    "assertFalse": ("not {0}", 1),
    "assertIs": ("{0} is {1}", 2),
    "assertIsNot": ("{0} is not {1}", 2),
    "assertIsNone": ("{0} is None", 1),
    "assertIsNotNone": ("{0} is not None", 1),
    "assertIn": ("{0} in {1}", 2),
    "assertNotIn": ("{0} not in {1}", 2),
    "assertIsInstance": ("isinstance({0}, {1})", 2),
    "assertNotIsInstance": ("not isinstance({0}, {1})", 2),
    "assertGreater": ("{0} > {1}", 2),
    "assertGreaterEqual": ("{0} >= {1}", 2),
    "assertLess": ("{0} < {1}", 2),
    "assertLessEqual": ("{0} <= {1}", 2),
}
_ASSERT_RAISES = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})
# Operands that bind tighter than any comparison: no parentheses needed around them.
_ATOMS = frozenset(
    {
        "identifier",
        "attribute",
        "call",
        "subscript",
        "string",
        "concatenated_string",
        "integer",
        "float",
        "true",
        "false",
        "none",
        "list",
        "dictionary",
        "set",
        "tuple",
        "parenthesized_expression",
        "list_comprehension",
        "set_comprehension",
        "dictionary_comprehension",
        "generator_expression",
    }
)


def _as_assert(call: tree_sitter.Node, method: str) -> str | None:
    template = _AS_ASSERT.get(method)
    arguments = call.child_by_field_name("arguments")
    statement = call.parent
    if template is None or arguments is None or statement is None:
        return None
    if statement.type != "expression_statement" or statement.named_child_count != 1:
        return None  # the call's value is used: it cannot become a statement
    pattern, count = template
    operands = [a for a in arguments.named_children if a.type != "comment"]
    if len(operands) != count or any(
        a.type in ("keyword_argument", "list_splat", "dictionary_splat") for a in operands
    ):
        return None
    if pattern.startswith("isinstance"):
        shown = [text(a) for a in operands]
    else:
        shown = [text(a) if a.type in _ATOMS else f"({text(a)})" for a in operands]
    return "assert " + pattern.format(*shown)


def _test_kind(function: tree_sitter.Node) -> str | None:
    owner = enclosing(function, frozenset({"function_definition", "class_definition", "module"}))
    if owner is None or owner.type == "module":
        return "functions"
    if owner.type != "class_definition":
        return None  # a nested helper called test...
    bases = owner.child_by_field_name("superclasses")
    if bases is not None and any(text(b).endswith("TestCase") for b in bases.named_children):
        return "TestCase"
    return "classes" if text(owner.child_by_field_name("name")).startswith("Test") else None


def _observe(source: SourceFile) -> Iterator[Observation]:
    if not source.is_test:
        return
    found = captures(source, _QUERY)
    for statement in found.get("assert", []):
        yield observe(source, DIMENSION, "assertion", "assert", statement.children[0])
    for call in found.get("unittest", []):
        function = call.child_by_field_name("function")
        method = text(function.child_by_field_name("attribute")) if function else ""
        if method in _ASSERT_RAISES:
            yield observe(source, DIMENSION, "raises", "assertRaises", call)
            continue
        rewrite = _as_assert(call, method)
        yield observe(
            source,
            DIMENSION,
            "assertion",
            "unittest",
            call,
            {"assert": rewrite} if rewrite else {},
        )
    imports = imports_of(source)
    for call in found.get("pytest_raises", []):
        function = call.child_by_field_name("function")
        if function is not None and imports.qualified(function) == "pytest.raises":
            yield observe(source, DIMENSION, "raises", "pytest.raises", call)
    for function in found.get("test_function", []):
        kind = _test_kind(function)
        name = function.child_by_field_name("name")
        if kind is not None and name is not None:
            yield observe(source, DIMENSION, "tests", kind, name)


_WORDS = words_of(__name__)  # python_test_style.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
