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
from collections.abc import Iterable, Iterator, Sequence
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


def _from_roles(
    language: str,
    *,
    scopes: frozenset[str],
    blocks: frozenset[str],
    switches: frozenset[str],
    tries: frozenset[str],
    bind_fields: dict[str, frozenset[str]],
    not_variables: dict[str, frozenset[str]],
    literals: frozenset[str],
    extra_functions: frozenset[str] = frozenset(),
    infinite_loops: frozenset[str] = frozenset(),
    identifiers: frozenset[str] = frozenset({"identifier"}),
    always_bound: frozenset[str] = frozenset(),
    transparent: frozenset[str] = frozenset({"parenthesized_expression"}),
    return_word: str = "`return` statement",
) -> Shapes:
    """A grammar's shapes: functions, loops, returns, raises, breaks, calls and comments from
    the one table of grammar roles (syntax/roles.py), the rest as this language has them."""
    roles = ROLES[language]
    return Shapes(
        functions=roles.named_functions | extra_functions,
        anonymous_functions=roles.anonymous_functions,
        scopes=scopes,
        blocks=blocks,
        calls=roles.calls,
        returns=roles.returns,
        loops=roles.loops,
        infinite_loops=infinite_loops,
        breaks=roles.breaks,
        switches=switches,
        tries=tries,
        throws=roles.raises,
        identifiers=identifiers,
        always_bound=always_bound,
        bind_fields=bind_fields,
        transparent=transparent,
        not_variables=not_variables,
        literals=literals,
        comments=COMMENTS,
        return_word=return_word,
    )


_JS_FUNCTIONS = ROLES["javascript"].named_functions
_JS_ANONYMOUS = ROLES["javascript"].anonymous_functions
_JS_BIND = {
    "variable_declarator": frozenset({"name"}),
    "assignment_expression": frozenset({"left"}),
    "augmented_assignment_expression": frozenset({"left"}),
    "update_expression": frozenset({"argument"}),
    "for_in_statement": frozenset({"left"}),
    "formal_parameters": frozenset({"*"}),
    "required_parameter": frozenset({"pattern"}),
    "optional_parameter": frozenset({"pattern"}),
    "catch_clause": frozenset({"parameter"}),
    "arrow_function": frozenset({"parameter"}),
    "function_declaration": frozenset({"name"}),
    "function_expression": frozenset({"name"}),
    "generator_function_declaration": frozenset({"name"}),
    "class_declaration": frozenset({"name"}),
    "import_specifier": frozenset({"*"}),
    "import_clause": frozenset({"*"}),
    "namespace_import": frozenset({"*"}),
}


def _js_like(extra_functions: frozenset[str] = frozenset()) -> Shapes:
    functions = _JS_FUNCTIONS | extra_functions
    return _from_roles(
        "javascript",
        extra_functions=extra_functions,
        scopes=functions
        | _JS_ANONYMOUS
        | {"class_declaration", "class", "abstract_class_declaration"},
        blocks=frozenset(
            {"statement_block", "program", "switch_case", "switch_default", "class_static_block"}
        ),
        switches=frozenset({"switch_statement"}),
        tries=frozenset({"try_statement"}),
        identifiers=frozenset(
            {"identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"}
        ),
        always_bound=frozenset({"shorthand_property_identifier_pattern"}),
        bind_fields=_JS_BIND,
        not_variables={},
        literals=frozenset({"number", "string", "true", "false", "null", "undefined"}),
    )


_SHAPES: dict[str, Shapes] = {
    "python": _from_roles(
        "python",
        scopes=frozenset({"function_definition", "lambda", "class_definition"}),
        blocks=frozenset({"block", "module"}),
        switches=frozenset(),
        tries=frozenset({"try_statement"}),
        bind_fields={
            "assignment": frozenset({"left"}),
            "augmented_assignment": frozenset({"left"}),
            "for_statement": frozenset({"left"}),
            "for_in_clause": frozenset({"left"}),
            "named_expression": frozenset({"name"}),
            "as_pattern_target": frozenset({"*"}),
            "as_pattern": frozenset({"alias"}),
            "function_definition": frozenset({"name"}),
            "class_definition": frozenset({"name"}),
            "parameters": frozenset({"*"}),
            "lambda_parameters": frozenset({"*"}),
            "default_parameter": frozenset({"name"}),
            "typed_parameter": frozenset({"*"}),
            "typed_default_parameter": frozenset({"name"}),
            "global_statement": frozenset({"*"}),
            "nonlocal_statement": frozenset({"*"}),
            "dotted_name": frozenset({"*"}),  # imports bind; conservative elsewhere
            "aliased_import": frozenset({"alias"}),
            "delete_statement": frozenset({"*"}),
        },
        not_variables={
            "attribute": frozenset({"attribute"}),
            "keyword_argument": frozenset({"name"}),
        },
        literals=frozenset({"integer", "float", "string", "true", "false", "none"}),
    ),
    "javascript": _js_like(),
    "typescript": _js_like(),
    "tsx": _js_like(),
    "go": _from_roles(
        "go",
        scopes=frozenset({"function_declaration", "method_declaration", "func_literal"}),
        blocks=frozenset({"statement_list", "block", "source_file"}),
        switches=frozenset(
            {"expression_switch_statement", "type_switch_statement", "select_statement"}
        ),
        tries=frozenset(),
        bind_fields={
            "short_var_declaration": frozenset({"left"}),
            "var_spec": frozenset({"name"}),
            "const_spec": frozenset({"name"}),
            "assignment_statement": frozenset({"left"}),
            "inc_statement": frozenset({"*"}),
            "dec_statement": frozenset({"*"}),
            "range_clause": frozenset({"left"}),
            "receive_statement": frozenset({"left"}),
            "parameter_declaration": frozenset({"name"}),
            "variadic_parameter_declaration": frozenset({"name"}),
            "type_switch_statement": frozenset({"alias"}),
            "function_declaration": frozenset({"name"}),
        },
        transparent=frozenset({"expression_list", "parenthesized_expression"}),
        not_variables={"labeled_statement": frozenset({"label"})},
        literals=frozenset(
            {
                "int_literal",
                "float_literal",
                "interpreted_string_literal",
                "raw_string_literal",
                "rune_literal",
                "true",
                "false",
                "nil",
            }
        ),
    ),
    "rust": _from_roles(
        "rust",
        scopes=frozenset({"function_item", "closure_expression", "async_block"}),
        blocks=frozenset({"block", "source_file"}),
        infinite_loops=frozenset({"loop_expression"}),
        switches=frozenset(),
        tries=frozenset(),
        bind_fields={
            "let_declaration": frozenset({"pattern"}),
            "parameter": frozenset({"pattern"}),
            "closure_parameters": frozenset({"*"}),
            "for_expression": frozenset({"pattern"}),
            "assignment_expression": frozenset({"left"}),
            "compound_assignment_expr": frozenset({"left"}),
            "let_condition": frozenset({"pattern"}),
            "match_arm": frozenset({"pattern"}),
            "function_item": frozenset({"name"}),
        },
        not_variables={"label": frozenset({"*"})},
        literals=frozenset(
            {
                "integer_literal",
                "float_literal",
                "string_literal",
                "char_literal",
                "boolean_literal",
            }
        ),
        return_word="`return` expression",
    ),
    "java": _from_roles(
        "java",
        scopes=frozenset(
            {
                "method_declaration",
                "constructor_declaration",
                "lambda_expression",
                "class_body",
                "class_declaration",
            }
        ),
        blocks=frozenset({"block", "program", "constructor_body", "switch_block_statement_group"}),
        switches=frozenset({"switch_expression", "switch_statement"}),
        tries=frozenset({"try_statement", "try_with_resources_statement"}),
        bind_fields={
            "variable_declarator": frozenset({"name"}),
            "assignment_expression": frozenset({"left"}),
            "update_expression": frozenset({"*"}),
            "formal_parameter": frozenset({"name"}),
            "catch_formal_parameter": frozenset({"name"}),
            "enhanced_for_statement": frozenset({"name"}),
            "lambda_expression": frozenset({"parameters"}),
            "inferred_parameters": frozenset({"*"}),
            "spread_parameter": frozenset({"*"}),
            "resource": frozenset({"name"}),
        },
        not_variables={
            "field_access": frozenset({"field"}),
            "method_invocation": frozenset({"name"}),
            "method_declaration": frozenset({"name"}),
            "constructor_declaration": frozenset({"name"}),
            "class_declaration": frozenset({"name"}),
            "labeled_statement": frozenset({"*"}),
            "break_statement": frozenset({"*"}),
            "continue_statement": frozenset({"*"}),
            "marker_annotation": frozenset({"name"}),
            "annotation": frozenset({"name"}),
        },
        literals=frozenset(
            {
                "decimal_integer_literal",
                "hex_integer_literal",
                "octal_integer_literal",
                "binary_integer_literal",
                "decimal_floating_point_literal",
                "string_literal",
                "character_literal",
                "true",
                "false",
                "null_literal",
            }
        ),
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
