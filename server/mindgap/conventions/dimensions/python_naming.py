"""Python naming: the case of function, method, class, constant, variable and parameter names.

Only names that fit exactly one style vote or get flagged (`total` fits snake_case and
camelCase alike: it says nothing). Names a framework dictates are left out: dunder methods,
unittest's `setUp`/`tearDown` family, methods marked `@override`. Constants are module-level
names bound once to a literal (a number, a string, a tuple of them); other module-level
names (`log = logging.getLogger()`, `T = TypeVar("T")`) are too varied to judge. Variables
are the names a function body binds (each counted once per function).

Definitions are found by the shared query; a function's own names (parameters, the first
binding of each variable) come from that function's body only (a query over it), so a region
inside one function of a large file costs that function, not the file.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

import tree_sitter

from mindgap.conventions import casing
from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import naming_observer
from mindgap.conventions.dimensions.python_common import (
    FUNCTION_SCOPES,
    captures,
    decorators,
    enclosing,
    register,
    span,
)
from mindgap.conventions.model import Observation, SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.limits import query_cursor

_QUERY = register(
    """
(function_definition) @definition
(class_definition) @definition
"""
)

# Names a library or framework chooses for the code that overrides or calls them.
_DICTATED_METHODS = frozenset(
    {
        "setUp",
        "tearDown",
        "setUpClass",
        "tearDownClass",
        "setUpModule",
        "tearDownModule",
        "asyncSetUp",
        "asyncTearDown",
        "addCleanup",
        "setUpTestData",
    }
)
_LITERALS = frozenset(
    {"integer", "float", "string", "concatenated_string", "true", "false", "unary_operator"}
)
_PARAMETER_WRAPPERS = frozenset(
    {
        "typed_parameter",
        "default_parameter",
        "typed_default_parameter",
        "list_splat_pattern",
        "dictionary_splat_pattern",
    }
)


def _is_literal(node: tree_sitter.Node) -> bool:
    if node.type in ("tuple", "parenthesized_expression"):
        return bool(node.named_children) and all(_is_literal(c) for c in node.named_children)
    if node.type == "unary_operator":
        operand = node.child_by_field_name("argument")
        return operand is not None and operand.type in ("integer", "float")
    if node.type == "string":
        return not any(child.type == "interpolation" for child in node.children)
    return node.type in _LITERALS


def _observation(
    source: SourceFile, aspect: str, name_node: tree_sitter.Node
) -> Observation | None:
    start, end = span(source, name_node)
    name = source.text[start:end]
    if name.startswith("__") and name.endswith("__"):
        return None
    style = casing.style_of(name)
    if style is None:
        return None
    return Observation("naming", aspect, style, start, end, casing.lazy_rewrites(name))


def _definitions(
    source: SourceFile, node: tree_sitter.Node, owned: _Owned | None
) -> Iterator[Observation]:
    name = node.child_by_field_name("name")
    if name is None:
        return
    if node.type == "class_definition":
        found = _observation(source, "class", name)
    else:
        scope = enclosing(node, FUNCTION_SCOPES)
        is_method = scope is not None and scope.type == "class_definition"
        dictated = (raw := name.text) is not None and raw.decode() in _DICTATED_METHODS
        overrides = any(d.rsplit(".", 1)[-1] == "override" for d in decorators(node))
        found = (
            None
            if (is_method and (dictated or overrides)) or _wraps_its_namesake(node, name)
            else _observation(source, "method" if is_method else "function", name)
        )
        yield from _parameters(source, node, skip_first=is_method, overrides=overrides)
        yield from _local_variables(source, node, owned)
    if found is not None:
        yield found


def _wraps_its_namesake(function: tree_sitter.Node, name: tree_sitter.Node) -> bool:
    """`def GetStdHandle(...): return _GetStdHandle(...)`: a wrapper named after the foreign
    API it wraps (Win32, a C library) takes that API's case; it is not a naming choice."""
    own = (name.text or b"").decode("utf-8", "replace")
    if casing.style_of(own) in (casing.SNAKE, None):  # None: no vote to keep out anyway
        return False
    body = function.child_by_field_name("body")
    text = (body.text or b"").decode("utf-8", "replace") if body is not None else ""
    if own not in text:  # both patterns below contain the name
        return False
    # `_GetStdHandle(...)`, `kernel32.SetConsoleMode(...)`: a private binding, or a member
    # of a plain module-like name (not `self.x`, not a chain: those are the code's own)
    escaped = re.escape(own)
    wrapped = rf"\b_+{escaped}\b|(?<![\w.])(?!self\.|cls\.)[A-Za-z_]\w*\.{escaped}\b"
    return re.search(wrapped, text) is not None


def _parameters(
    source: SourceFile, function: tree_sitter.Node, *, skip_first: bool, overrides: bool
) -> Iterator[Observation]:
    parameters = function.child_by_field_name("parameters")
    if parameters is None or overrides:  # an override keeps the base class's names
        return
    for position, parameter in enumerate(parameters.named_children):
        if skip_first and position == 0:
            continue  # self / cls
        name = parameter
        if parameter.type in _PARAMETER_WRAPPERS:
            name = parameter.child_by_field_name("name") or next(
                (c for c in parameter.named_children if c.type == "identifier"), parameter
            )
        if name.type == "identifier" and (found := _observation(source, "parameter", name)):
            yield found


def _bound_names(target: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    if target.type == "identifier":
        yield target
    elif target.type in ("pattern_list", "tuple_pattern", "list_pattern", "as_pattern_target"):
        for child in target.named_children:
            yield from _bound_names(child)


# A function's variables are bound by these; inside the scopes, the names are theirs
_BINDINGS = """
[(assignment) (augmented_assignment) (for_statement) (as_pattern_target) (named_expression)]
  @binding
[(function_definition) (class_definition) (lambda)] @scope
"""


register(_BINDINGS)  # in the shared query too: a whole file's are found in its one pass

_Owned = dict[int, list[tree_sitter.Node]]  # a function's node id -> its own bindings


@functools.cache
def _bindings_query() -> tree_sitter.Query:
    return tree_sitter.Query(language_named("python").grammar, _BINDINGS)


def _owned_bindings(found: dict[str, list[tree_sitter.Node]]) -> _Owned:
    """Every function's own bindings (those `_own_bindings` finds in its body), from the
    bindings and scopes of a whole file: each binding belongs to the innermost scope
    around it, and counts when that is a function and it lies in the function's body."""
    events = sorted(
        [(node.start_byte, -node.end_byte, 0, node) for node in found.get("scope", [])]
        + [(node.start_byte, -node.end_byte, 1, node) for node in found.get("binding", [])],
        key=lambda event: event[:3],
    )
    owned: _Owned = {}
    # open scopes: (end byte, the function's id and body's byte range, or None)
    scopes: list[tuple[int, tuple[int, int, int] | None]] = []
    for start, negative_end, is_binding, node in events:
        while scopes and scopes[-1][0] <= start:
            scopes.pop()
        if not is_binding:
            body = node.child_by_field_name("body") if node.type == "function_definition" else None
            function = (node.id, body.start_byte, body.end_byte) if body is not None else None
            scopes.append((-negative_end, function))
        elif (
            scopes
            and (function := scopes[-1][1]) is not None
            and function[1] <= start
            and -negative_end <= function[2]
        ):
            owned.setdefault(function[0], []).append(node)
    return owned


def _own_bindings(body: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The binding statements and expressions of a function's body outside the functions,
    classes and lambdas nested in it, in the order the code reads (found by a query: a walk
    over the body in Python cost a third of learning a repository's conventions)."""
    found = query_cursor(_bindings_query()).captures(body)
    bindings = sorted(found.get("binding", []), key=lambda node: (node.start_byte, -node.end_byte))
    nested = sorted((node.start_byte, node.end_byte) for node in found.get("scope", []))
    outermost: list[tuple[int, int]] = []
    for scope in nested:
        if not outermost or scope[0] >= outermost[-1][1]:
            outermost.append(scope)
    if not outermost:
        return bindings
    starts = [start for start, _ in outermost]
    own = []
    for node in bindings:
        inside = bisect.bisect_right(starts, node.start_byte) - 1
        if inside < 0 or node.start_byte >= outermost[inside][1]:
            own.append(node)
    return own


def _local_variables(
    source: SourceFile, function: tree_sitter.Node, owned: _Owned | None
) -> Iterator[Observation]:
    """The first binding of each name in the function's own body (not nested functions);
    `owned`: every function's, found for the whole file at once (None: search this body)."""
    body = function.child_by_field_name("body")
    if body is None:
        return
    seen: set[str] = set()
    bindings = owned.get(function.id, []) if owned is not None else _own_bindings(body)
    for node in bindings:
        kind = node.type
        targets: list[tree_sitter.Node] = []
        if kind in ("assignment", "augmented_assignment", "for_statement"):
            left = node.child_by_field_name("left")
            is_binding = kind != "assignment" or not (
                _is_annotated_only(node) or (left is not None and _is_alias(node, left))
            )
            if left is not None and is_binding:
                targets.append(left)
        else:  # as_pattern_target, named_expression
            target = node if kind == "as_pattern_target" else node.child_by_field_name("name")
            if target is not None:
                targets.append(target)
        for target in targets:
            for name_node in _bound_names(target):
                name = raw.decode("utf-8", "replace") if (raw := name_node.text) else ""
                if name in seen:
                    continue
                seen.add(name)
                if found := _observation(source, "variable", name_node):
                    yield found


def _is_alias(assignment: tree_sitter.Node, left: tree_sitter.Node) -> bool:
    """`_Fraction = Fraction`, `Handle = wintypes.HANDLE`: a local name for a class or an
    API takes that thing's case; it is not a choice of how to name variables."""
    right = assignment.child_by_field_name("right")
    if right is None or left.type != "identifier" or right.type not in ("identifier", "attribute"):
        return False
    target = right.child_by_field_name("attribute") if right.type == "attribute" else right
    named = (target.text or b"").decode("utf-8", "replace") if target is not None else ""
    alias = (left.text or b"").decode("utf-8", "replace")
    style = casing.style_of(named.lstrip("_"))
    return style != casing.SNAKE and casing.style_of(alias.lstrip("_")) == style


def _is_annotated_only(assignment: tree_sitter.Node) -> bool:
    return assignment.child_by_field_name("right") is None


def _module_constants(source: SourceFile) -> Iterator[Observation]:
    root = source.tree.root_node
    counts: dict[str, int] = {}
    candidates: list[tree_sitter.Node] = []
    focus = source.focus_bytes()
    for statement in root.named_children:  # every one: a constant is a name bound once
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        assignment = statement.named_children[0]
        if assignment.type not in ("assignment", "augmented_assignment"):
            continue
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or left.type != "identifier":
            continue
        name = raw.decode("utf-8", "replace") if (raw := left.text) else ""
        counts[name] = counts.get(name, 0) + 1
        wanted = focus is None or (focus[0] < left.end_byte and left.start_byte < focus[1])
        if wanted and assignment.type == "assignment" and right is not None and _is_literal(right):
            candidates.append(left)
    for left in candidates:
        name = raw.decode("utf-8", "replace") if (raw := left.text) else ""
        if counts[name] == 1 and (found := _observation(source, "constant", left)):
            yield found


def observe(source: SourceFile) -> Iterator[Observation]:
    yield from _module_constants(source)
    # a focus leaves out bindings outside it, yet the first binding of a name may be there
    owned = _owned_bindings(captures(source, _BINDINGS)) if source.focus is None else None
    for definition in captures(source, _QUERY).get("definition", []):
        yield from _definitions(source, definition, owned)


_WORDS = words_of(__name__)  # python_naming.toml
OBSERVERS = [
    naming_observer(
        languages=frozenset({"python"}),
        observe=observe,
        aspects=_WORDS.aspects,
    )
]
