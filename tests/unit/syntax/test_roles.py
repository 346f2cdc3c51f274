"""The one table of grammar roles (syntax/roles.py): every node type it names exists in
its grammar, and the question generators, the explanation facts and the conventions'
fingerprints read their function node types from it (so they agree)."""

from __future__ import annotations

import pytest

from mindgap.conventions import fingerprints
from mindgap.gate import facts
from mindgap.gate.questions import _syntax
from mindgap.syntax.languages import language_named
from mindgap.syntax.roles import ROLES, Roles

ROLE_NAMES = [
    "named_functions",
    "anonymous_functions",
    "parameters",
    "branches",
    "loops",
    "returns",
    "raises",
    "calls",
    "classes",
    "breaks",
    "continues",
]


@pytest.mark.parametrize("language", sorted(ROLES))
def test_every_node_type_exists_in_the_grammar(language: str) -> None:
    grammar = language_named(language).grammar
    roles = ROLES[language]
    for role in ROLE_NAMES:
        for node_type in getattr(roles, role):
            assert grammar.id_for_node_kind(node_type, True) is not None, (language, node_type)


@pytest.mark.parametrize("language", sorted(ROLES))
def test_questions_facts_and_fingerprints_agree(language: str) -> None:
    roles: Roles = ROLES[language]
    shape = _syntax.shapes(language)
    assert shape is not None
    assert shape.functions == roles.named_functions
    assert shape.anonymous_functions == roles.anonymous_functions
    assert shape.loops == roles.loops and shape.returns == roles.returns
    assert shape.calls == roles.calls and shape.throws == roles.raises
    assert shape.breaks == roles.breaks and shape.comments == roles.comments
    fact_shape = facts.shape_of(language)
    assert fact_shape.functions == roles.functions  # named and anonymous
    assert fact_shape.anonymous == roles.anonymous_functions
    assert roles.named_functions <= fingerprints.FUNCTION_TYPES


def test_javascript_function_nodes_are_one_set() -> None:
    # the disagreement this table ended: a function expression is an anonymous function
    # everywhere, an arrow function too; a declaration and a method are named ones
    js = ROLES["javascript"]
    assert {"arrow_function", "function_expression"} <= js.anonymous_functions
    assert {"function_declaration", "method_definition"} <= js.named_functions
    assert js.anonymous_functions == fingerprints.ANONYMOUS_FUNCTION_TYPES
