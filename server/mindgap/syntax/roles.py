"""The grammar roles of each language: ONE table of which tree-sitter node types are
functions (named and anonymous), parameter lists, branches, loops, returns, raises, breaks,
continues, calls, classes and comments.

Question generators (gate/questions/_syntax.py), the key facts of explanations
(gate/facts.py), the trace evaluator (gate/questions/trace_call.py) and the conventions'
function fingerprints (conventions/fingerprints.py) all read their node types from here, so
they cannot disagree on what a function is (they did: JavaScript's function expressions and
arrow functions were functions to the facts and not to the questions). A consumer that wants
"every function" takes `functions`; one that wants only definitions with a name takes
`named_functions`. tests/unit/syntax/test_roles.py checks the table against the grammars.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

COMMENTS = frozenset({"comment", "line_comment", "block_comment"})


@dataclass(frozen=True)
class Roles:
    named_functions: frozenset[str]  # definitions with a name and a body
    anonymous_functions: frozenset[str]  # lambdas, closures, function expressions
    parameters: frozenset[str]  # the node holding a function's parameters
    branches: frozenset[str]  # if statements / expressions
    loops: frozenset[str]
    returns: frozenset[str]
    raises: frozenset[str]  # raise / throw (Go and Rust have none: panics are calls)
    calls: frozenset[str]
    classes: frozenset[str]
    breaks: frozenset[str] = frozenset({"break_statement"})
    continues: frozenset[str] = frozenset({"continue_statement"})
    comments: frozenset[str] = COMMENTS

    @property
    def functions(self) -> frozenset[str]:
        return self.named_functions | self.anonymous_functions


_JAVASCRIPT = Roles(
    named_functions=frozenset(
        {"function_declaration", "generator_function_declaration", "method_definition"}
    ),
    anonymous_functions=frozenset({"function_expression", "generator_function", "arrow_function"}),
    parameters=frozenset({"formal_parameters"}),
    branches=frozenset({"if_statement"}),
    loops=frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"}),
    returns=frozenset({"return_statement"}),
    raises=frozenset({"throw_statement"}),
    calls=frozenset({"call_expression", "new_expression"}),
    classes=frozenset({"class_declaration", "class"}),
)
_TYPESCRIPT = replace(_JAVASCRIPT, classes=_JAVASCRIPT.classes | {"abstract_class_declaration"})

ROLES: dict[str, Roles] = {
    "python": Roles(
        named_functions=frozenset({"function_definition"}),
        anonymous_functions=frozenset({"lambda"}),
        parameters=frozenset({"parameters", "lambda_parameters"}),
        branches=frozenset({"if_statement"}),
        loops=frozenset({"for_statement", "while_statement"}),
        returns=frozenset({"return_statement"}),
        raises=frozenset({"raise_statement"}),
        calls=frozenset({"call"}),
        classes=frozenset({"class_definition"}),
    ),
    "javascript": _JAVASCRIPT,
    "typescript": _TYPESCRIPT,
    "tsx": _TYPESCRIPT,
    "go": Roles(
        named_functions=frozenset({"function_declaration", "method_declaration"}),
        anonymous_functions=frozenset({"func_literal"}),
        parameters=frozenset({"parameter_list"}),
        branches=frozenset({"if_statement"}),
        loops=frozenset({"for_statement"}),
        returns=frozenset({"return_statement"}),
        raises=frozenset(),
        calls=frozenset({"call_expression"}),
        classes=frozenset({"type_declaration"}),
    ),
    "rust": Roles(
        named_functions=frozenset({"function_item"}),
        anonymous_functions=frozenset({"closure_expression"}),
        parameters=frozenset({"parameters", "closure_parameters"}),
        branches=frozenset({"if_expression"}),
        loops=frozenset({"for_expression", "while_expression", "loop_expression"}),
        returns=frozenset({"return_expression"}),
        raises=frozenset(),
        calls=frozenset({"call_expression", "macro_invocation"}),
        classes=frozenset({"struct_item", "enum_item", "impl_item", "trait_item"}),
        breaks=frozenset({"break_expression"}),
        continues=frozenset({"continue_expression"}),
    ),
    "java": Roles(
        named_functions=frozenset({"method_declaration", "constructor_declaration"}),
        anonymous_functions=frozenset({"lambda_expression"}),
        parameters=frozenset({"formal_parameters"}),
        branches=frozenset({"if_statement"}),
        loops=frozenset(
            {"for_statement", "enhanced_for_statement", "while_statement", "do_statement"}
        ),
        returns=frozenset({"return_statement"}),
        raises=frozenset({"throw_statement"}),
        calls=frozenset({"method_invocation", "object_creation_expression"}),
        classes=frozenset(
            {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"}
        ),
    ),
}


def roles(language: str) -> Roles | None:
    return ROLES.get(language)


def every(role: str) -> frozenset[str]:
    """One role's node types across all languages (for code that works on any of them)."""
    found: set[str] = set()
    for language_roles in ROLES.values():
        found |= getattr(language_roles, role)
    return frozenset(found)
