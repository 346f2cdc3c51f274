"""What the static question generators know about each language's syntax tree.

tree-sitter grammars name the same idea differently (a function is `function_definition` in
Python, `function_item` in Rust, `method_declaration` in Java); `shapes(language)` gives
one table of those names per language, and the helpers below answer the questions every
static generator asks: which functions are in the region, which statements a block holds,
whether an identifier is read or assigned there, which lines hold statements, how to quote
code and lay out choices. Nothing here runs the code.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import tree_sitter

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.syntax.roles import COMMENTS, ROLES

Node = tree_sitter.Node

QUOTE_LIMIT = 60  # characters of code quoted in a prompt before it is cut with "..."
MAX_PER_GENERATOR = 3  # questions one generator returns for one region, at most


@dataclass(frozen=True)
class Shapes:
    """The node types of one grammar, by the role they play."""

    functions: frozenset[str]  # named definitions with a body we can ask about
    anonymous_functions: frozenset[str]  # lambdas, closures: named when assigned to a name
    scopes: frozenset[str]  # code inside runs later or elsewhere (functions, lambdas, classes)
    blocks: frozenset[str]  # nodes whose named children are statements
    calls: frozenset[str]
    returns: frozenset[str]
    loops: frozenset[str]
    infinite_loops: frozenset[str]  # loops that only end by break/return (Rust `loop`)
    breaks: frozenset[str]
    switches: frozenset[str]  # a plain `break` inside one of these leaves it, not the loop
    tries: frozenset[str]
    throws: frozenset[str]  # raise / throw
    identifiers: frozenset[str]  # nodes naming a variable
    always_bound: frozenset[str]  # identifier-like nodes that always bind (JS `{a} = x`)
    bind_fields: dict[str, frozenset[str]]  # parent type -> fields binding a name ("*": any)
    transparent: frozenset[str]  # containers a binding passes through (Go `a, b := ...`)
    not_variables: dict[str, frozenset[str]]  # parent type -> fields naming members, not vars
    literals: frozenset[str]
    comments: frozenset[str]
    return_word: str  # what the prompt calls a return: "`return` statement"


# Node types, written as their names apart by spaces: "block module".
NodeTypes = str | frozenset[str]


def _types(types: NodeTypes) -> frozenset[str]:
    return types if isinstance(types, frozenset) else frozenset(types.split())


def _fields_of(parents_by_field: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """parent type -> fields, from field -> the parent types ("*": any field of them)."""
    fields: dict[str, set[str]] = {}
    for field, parents in parents_by_field.items():
        for parent in parents.split():
            fields.setdefault(parent, set()).add(field)
    return {parent: frozenset(names) for parent, names in fields.items()}


def _from_roles(
    language: str,
    *,
    scopes: NodeTypes,
    blocks: NodeTypes,
    switches: NodeTypes,
    tries: NodeTypes,
    bind_fields: Mapping[str, str],
    not_variables: Mapping[str, str],
    literals: NodeTypes,
    extra_functions: NodeTypes = "",
    infinite_loops: NodeTypes = "",
    identifiers: NodeTypes = "identifier",
    always_bound: NodeTypes = "",
    transparent: NodeTypes = "parenthesized_expression",
    return_word: str = "`return` statement",
) -> Shapes:
    """A grammar's shapes: functions, loops, returns, raises, breaks, calls and comments from
    the one table of grammar roles (syntax/roles.py), the rest as this language has them.
    `bind_fields` and `not_variables` are given by field: {"left": "assignment for_statement"}."""
    roles = ROLES[language]
    return Shapes(
        functions=roles.named_functions | _types(extra_functions),
        anonymous_functions=roles.anonymous_functions,
        scopes=_types(scopes),
        blocks=_types(blocks),
        calls=roles.calls,
        returns=roles.returns,
        loops=roles.loops,
        infinite_loops=_types(infinite_loops),
        breaks=roles.breaks,
        switches=_types(switches),
        tries=_types(tries),
        throws=roles.raises,
        identifiers=_types(identifiers),
        always_bound=_types(always_bound),
        bind_fields=_fields_of(bind_fields),
        transparent=_types(transparent),
        not_variables=_fields_of(not_variables),
        literals=_types(literals),
        comments=COMMENTS,
        return_word=return_word,
    )


def _js_like(extra_functions: NodeTypes = "") -> Shapes:
    javascript = ROLES["javascript"]
    return _from_roles(
        "javascript",
        extra_functions=extra_functions,
        scopes=javascript.functions
        | _types(extra_functions)
        | _types("class_declaration class abstract_class_declaration"),
        blocks="statement_block program switch_case switch_default class_static_block",
        switches="switch_statement",
        tries="try_statement",
        identifiers="identifier shorthand_property_identifier"
        " shorthand_property_identifier_pattern",
        always_bound="shorthand_property_identifier_pattern",
        bind_fields={
            "name": "variable_declarator function_declaration function_expression"
            " generator_function_declaration class_declaration",
            "left": "assignment_expression augmented_assignment_expression for_in_statement",
            "argument": "update_expression",
            "pattern": "required_parameter optional_parameter",
            "parameter": "catch_clause arrow_function",
            "*": "formal_parameters import_specifier import_clause namespace_import",
        },
        not_variables={},
        literals="number string true false null undefined",
    )


_SHAPES: dict[str, Shapes] = {
    "python": _from_roles(
        "python",
        scopes="function_definition lambda class_definition",
        blocks="block module",
        switches="",
        tries="try_statement",
        bind_fields={
            "left": "assignment augmented_assignment for_statement for_in_clause",
            "name": "named_expression function_definition class_definition default_parameter"
            " typed_default_parameter",
            "alias": "as_pattern aliased_import",
            # dotted_name: imports bind; conservative elsewhere
            "*": "as_pattern_target parameters lambda_parameters typed_parameter global_statement"
            " nonlocal_statement dotted_name delete_statement",
        },
        not_variables={"attribute": "attribute", "name": "keyword_argument"},
        literals="integer float string true false none",
    ),
    "javascript": _js_like(),
    "typescript": _js_like(),
    "tsx": _js_like(),
    "go": _from_roles(
        "go",
        scopes="function_declaration method_declaration func_literal",
        blocks="statement_list block source_file",
        switches="expression_switch_statement type_switch_statement select_statement",
        tries="",
        bind_fields={
            "left": "short_var_declaration assignment_statement range_clause receive_statement",
            "name": "var_spec const_spec parameter_declaration variadic_parameter_declaration"
            " function_declaration",
            "alias": "type_switch_statement",
            "*": "inc_statement dec_statement",
        },
        transparent="expression_list parenthesized_expression",
        not_variables={"label": "labeled_statement"},
        literals="int_literal float_literal interpreted_string_literal raw_string_literal"
        " rune_literal true false nil",
    ),
    "rust": _from_roles(
        "rust",
        scopes="function_item closure_expression async_block",
        blocks="block source_file",
        infinite_loops="loop_expression",
        switches="",
        tries="",
        bind_fields={
            "pattern": "let_declaration parameter for_expression let_condition match_arm",
            "left": "assignment_expression compound_assignment_expr",
            "name": "function_item",
            "*": "closure_parameters",
        },
        not_variables={"*": "label"},
        literals="integer_literal float_literal string_literal char_literal boolean_literal",
        return_word="`return` expression",
    ),
    "java": _from_roles(
        "java",
        scopes="method_declaration constructor_declaration lambda_expression class_body"
        " class_declaration",
        blocks="block program constructor_body switch_block_statement_group",
        switches="switch_expression switch_statement",
        tries="try_statement try_with_resources_statement",
        bind_fields={
            "name": "variable_declarator formal_parameter catch_formal_parameter"
            " enhanced_for_statement resource",
            "left": "assignment_expression",
            "parameters": "lambda_expression",
            "*": "update_expression inferred_parameters spread_parameter",
        },
        not_variables={
            "field": "field_access",
            "name": "method_invocation method_declaration constructor_declaration"
            " class_declaration marker_annotation annotation",
            "*": "labeled_statement break_statement continue_statement",
        },
        literals="decimal_integer_literal hex_integer_literal octal_integer_literal"
        " binary_integer_literal decimal_floating_point_literal string_literal"
        " character_literal true false null_literal",
    ),
}

SUPPORTED = frozenset(_SHAPES)


def shapes(language: str) -> Shapes | None:
    return _SHAPES.get(language)


# -- walking -----------------------------------------------------------------------------


def descendants(node: Node, stop: frozenset[str] = frozenset()) -> Iterator[Node]:
    """Named descendants of `node` in source order; nodes of a `stop` type are yielded but
    not entered (their insides belong to another scope)."""
    stack = list(reversed(node.named_children))
    while stack:
        current = stack.pop()
        yield current
        if current.type not in stop:
            stack.extend(reversed(current.named_children))


def first_questions(asked: Iterable[Question | None]) -> list[Question]:
    """The first MAX_PER_GENERATOR questions asked (None: nothing sure to ask there). Lazy:
    candidates past the limit are never examined, nor do they draw from `code.rng`."""
    return list(itertools.islice((q for q in asked if q is not None), MAX_PER_GENERATOR))


def per_function(
    code: CodeUnderQuiz, about: Callable[[CodeUnderQuiz, Shapes, Function], Question | None]
) -> list[Question]:
    """At most one question per function of the region (`about` asks it, or None), the
    first MAX_PER_GENERATOR of them; none in a language without shapes."""
    shape = shapes(code.language)
    if shape is None:
        return []
    return first_questions(about(code, shape, function) for function in functions_in(code, shape))


def whole_nodes(code: CodeUnderQuiz, *types: str) -> list[Node]:
    """Like `region_nodes`, but only the nodes that also end inside the region."""
    return [node for node in region_nodes(code, *types) if node.end_byte <= code.end_byte]


def region_nodes(code: CodeUnderQuiz, *types: str) -> list[Node]:
    """Named nodes of these types that start inside the region, in source order: like
    `code.nodes`, from one walk of the region shared by every generator (cached in notes)."""
    cached = code.notes.get("static.region_nodes")
    if isinstance(cached, list):
        every: list[Node] = cached
    else:
        every = []
        stack = [code.tree.root_node]
        while stack:  # pre-order, children reversed: source order
            node = stack.pop()
            if node.end_byte <= code.start_byte or node.start_byte >= code.end_byte:
                continue
            if node.start_byte >= code.start_byte:
                every.append(node)
            stack.extend(reversed(node.named_children))
        code.notes["static.region_nodes"] = every
    wanted = set(types)
    return [node for node in every if node.type in wanted]


def within_region(
    code: CodeUnderQuiz, root: Node, stop: frozenset[str] = frozenset()
) -> Iterator[Node]:
    """Like `descendants`, skipping the parts of `root` that lie outside the region."""
    stack = list(reversed(root.named_children))
    while stack:
        current = stack.pop()
        if current.end_byte <= code.start_byte or current.start_byte >= code.end_byte:
            continue
        yield current
        if current.type not in stop:
            stack.extend(reversed(current.named_children))


def nearby(code: CodeUnderQuiz, lines: int = 150) -> tuple[int, int]:
    """Bytes of the region and `lines` lines around it: "elsewhere in the file" for wrong
    options, without scanning a whole long file."""
    start, end = code.start_byte, code.end_byte
    for _ in range(lines):
        found = code.source.rfind(b"\n", 0, max(start - 1, 0))
        if found < 0:
            start = 0
            break
        start = found + 1
    for _ in range(lines):
        found = code.source.find(b"\n", end + 1)
        if found < 0:
            end = len(code.source)
            break
        end = found
    return start, end


def own_descendants(node: Node, shape: Shapes) -> Iterator[Node]:
    """Descendants that run as part of `node` itself: nested functions, lambdas and classes
    are neither yielded nor entered."""
    for child in descendants(node, shape.scopes):
        if child.type not in shape.scopes:
            yield child


def enclosing_scope(node: Node, shape: Shapes) -> Node | None:
    """The nearest function, lambda or class around `node` (None at the top of the file)."""
    parent = node.parent
    while parent is not None:
        if parent.type in shape.scopes:
            return parent
        parent = parent.parent
    return None


def inside(node: Node, outer: Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def field_of(parent: Node, child: Node) -> str | None:
    for index, candidate in enumerate(parent.children):
        if candidate == child:
            return parent.field_name_for_child(index)
    return None


# -- names: read or bound -----------------------------------------------------------------


def is_binding(identifier: Node, shape: Shapes) -> bool:
    """Whether the name is assigned, declared or possibly changed here (a parameter, an
    assignment target, a loop variable, a pattern, `&mut x`), rather than only read."""
    if identifier.type in shape.always_bound:
        return True
    child, parent = identifier, identifier.parent
    while parent is not None:
        fields = shape.bind_fields.get(parent.type)
        if fields is not None and ("*" in fields or field_of(parent, child) in fields):
            return True
        if _is_pattern(parent.type) or takes_address(parent):
            return True
        if parent.type not in shape.transparent:
            return False
        child, parent = parent, parent.parent
    return False


def _is_pattern(node_type: str) -> bool:
    return node_type == "pattern_list" or (
        node_type.endswith("_pattern") and node_type != "as_pattern"
    )


def takes_address(node: Node) -> bool:
    """`&mut x` (Rust) and `&x` (Go) let other code assign to x."""
    if node.type == "reference_expression":
        return any(child.type == "mutable_specifier" for child in node.children)
    return node.type == "unary_expression" and node.child_count > 0 and node.children[0].type == "&"


def is_variable(identifier: Node, shape: Shapes) -> bool:
    """Whether an identifier node names a variable (not an attribute or keyword name)."""
    if identifier.type not in shape.identifiers:
        return False
    parent = identifier.parent
    if parent is None:
        return True
    fields = shape.not_variables.get(parent.type)
    return fields is None or ("*" not in fields and field_of(parent, identifier) not in fields)


# -- functions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Function:
    node: Node
    name: str  # "" when it has none
    body: Node
    line: int

    def label(self) -> str:
        return f"`{self.name}`" if self.name else f"the function on line {self.line}"


def functions_in(code: CodeUnderQuiz, shape: Shapes) -> list[Function]:
    """Functions with a body lying wholly inside the region, in source order."""
    found = []
    for node in region_nodes(code, *shape.functions, *shape.anonymous_functions):
        if node.end_byte > code.end_byte:
            continue
        body = node.child_by_field_name("body")
        if body is None or body.type not in shape.blocks:
            continue  # a declaration without a body, or a lambda whose body is one expression
        name = function_name(code, node, shape)
        if node.type in shape.anonymous_functions and not name:
            continue
        found.append(Function(node, name, body, code.line_of(node)))
    return found


def function_name(code: CodeUnderQuiz, node: Node, shape: Shapes) -> str:
    name = node.child_by_field_name("name")
    if name is not None:
        return code.node_text(name)
    parent = node.parent
    if parent is None:
        return ""
    for field in ("name", "left", "key", "pattern"):
        target = parent.child_by_field_name(field)
        if (
            target is not None
            and target != node
            and target.type
            in (
                *shape.identifiers,
                "property_identifier",
            )
        ):
            return code.node_text(target)
    if parent.type == "expression_list" and parent.parent is not None:
        left = parent.parent.child_by_field_name("left")
        if left is not None and left.named_child_count == 1:
            return code.node_text(left.named_children[0])
    return ""


# -- statements and lines ----------------------------------------------------------------------


def statements(block: Node, shape: Shapes) -> list[Node]:
    """The statements a block holds (Go wraps them in a statement_list)."""
    children = [child for child in block.named_children if child.type not in shape.comments]
    if len(children) == 1 and children[0].type == "statement_list":
        return statements(children[0], shape)
    return children


def is_statement(node: Node, shape: Shapes) -> bool:
    parent = node.parent
    return (
        parent is not None
        and parent.type in shape.blocks
        and node.type not in shape.comments
        and node.type != "statement_list"
        and node.is_named
    )


def next_statement(node: Node, shape: Shapes) -> Node | None:
    sibling = node.next_named_sibling
    while sibling is not None and sibling.type in shape.comments:
        sibling = sibling.next_named_sibling
    return sibling


# -- text -----------------------------------------------------------------------------------------


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Code as an inline quote: on one line, cut at `limit` characters."""
    one_line = re.sub(r"\s+", " ", text).strip()
    if len(one_line) > limit:
        one_line = one_line[: limit - 3].rstrip() + "..."
    fence = "``" if "`" in one_line else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def first_line(code: CodeUnderQuiz, node: Node) -> str:
    """The node's text up to the end of its first line."""
    return code.node_text(node).split("\n", 1)[0]


def line_text(code: CodeUnderQuiz, line: int) -> str:
    lines = code_lines(code)
    return lines[line - 1] if 0 < line <= len(lines) else ""


def code_lines(code: CodeUnderQuiz) -> list[str]:
    cached = code.notes.get("static.lines")
    if not isinstance(cached, list):
        cached = code.source.decode("utf-8", errors="replace").split("\n")
        code.notes["static.lines"] = cached
    return cached


def region_label(code: CodeUnderQuiz) -> str:
    last = code.first_line + code.text.rstrip().count("\n")
    if last == code.first_line:
        return f"the code on line {code.first_line}"
    return f"the code on lines {code.first_line}-{last}"


def and_list(items: Sequence[str], conjunction: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def line_list(lines: Sequence[int]) -> str:
    ordered = sorted(set(lines))
    word = "line" if len(ordered) == 1 else "lines"
    return f"{word} {and_list([str(line) for line in ordered])}"


# -- choices --------------------------------------------------------------------------------------


def pick(rng: random.Random, candidates: Sequence[str], count: int) -> list[str]:
    """Up to `count` of the candidates (kept in their given order of preference when there
    are just enough), chosen with the quiz's seeded generator."""
    unique = list(dict.fromkeys(candidates))
    if len(unique) <= count:
        return unique
    return rng.sample(unique, count)


def pick_preferring(
    rng: random.Random, tiers: Sequence[Sequence[str]], count: int, exclude: set[str]
) -> list[str]:
    """`count` candidates, taking from the first tier before the next."""
    chosen: list[str] = []
    for tier in tiers:
        left = [item for item in dict.fromkeys(tier) if item not in exclude and item not in chosen]
        chosen.extend(pick(rng, left, count - len(chosen)))
        if len(chosen) >= count:
            break
    return chosen


def shuffled(rng: random.Random, answer: str, distractors: Sequence[str]) -> tuple[str, ...]:
    choices = [answer, *distractors]
    rng.shuffle(choices)
    return tuple(choices)


def line_choices(answer: int, distractors: Sequence[int]) -> tuple[str, ...]:
    """Line choices read best in order: "line 3", "line 7", ..."""
    return tuple(f"line {line}" for line in sorted({answer, *distractors}))


@functools.cache
def _compiled(language: str, source: str) -> tree_sitter.Query:
    from mindgap.syntax.languages import language_named

    return tree_sitter.Query(language_named(language).grammar, source)


def query(language: str, source: str) -> tree_sitter.Query:
    """A tree-sitter query compiled once per language (queries run in C: fast on whole files)."""
    return _compiled(language, source)
