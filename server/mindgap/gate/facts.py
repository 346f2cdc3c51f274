"""What a piece of code does, read from its syntax tree, for every supported language.

Per function in a region: its inputs (parameters), what it returns, its side effects
(assignments to attributes, items or outer variables, mutating and I/O calls, raise/throw)
and the names it calls. Statements outside any function form one more unit. Each language is
described by a `Shape`: the node types that play each part in its grammar.

`Scopes` says which function (or comprehension) binds each name: the explanation check uses
it to tell a side effect from a local assignment, the hand-write check to allow locals to be
renamed while globals, attributes and called names must stay.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import tree_sitter

from mindgap.syntax.roles import ROLES

Node = tree_sitter.Node


@dataclass(frozen=True)
class Shape:
    """The node types of one grammar that the extractors look for."""

    functions: frozenset[str]  # their own scope, parameters and returns
    anonymous: frozenset[str]  # functions without a name of their own (lambdas, closures)
    extra_scopes: frozenset[str]  # scopes that are not functions (comprehensions)
    classes: frozenset[str]  # bodies whose assignments bind attributes, not locals
    identifiers: frozenset[str]  # names that may refer to a variable
    member_fields: frozenset[tuple[str, str]]  # (parent, field): an identifier naming a member
    fixed_parents: frozenset[str]  # an identifier under these is both a key and a name
    self_names: frozenset[str]  # self, this, cls: never an input, always outside the function
    returns: frozenset[str]
    yields: frozenset[str]
    throws: frozenset[str]
    asserts: frozenset[str]
    calls: frozenset[str]
    assignments: frozenset[str]  # with a `left` field
    updates: frozenset[str]  # x++ and friends
    members: frozenset[str]  # obj.name
    subscripts: frozenset[str]  # obj[key]
    comments: frozenset[str]
    parens: frozenset[str]
    blocks: frozenset[str]  # blocks delimited by indentation only (Python)
    binder: Callable[[Node], list[Node]]  # the identifiers a node binds in the current scope
    parameter_fields: tuple[str, ...] = ("parameters", "parameter")
    outer_declarations: frozenset[str] = frozenset()  # global / nonlocal
    ignored_calls: frozenset[str] = frozenset()  # too common to be a key fact
    error_propagation: frozenset[str] = frozenset()  # Rust's `?`
    builtin_names: frozenset[str] = frozenset()


# Patterns: which identifiers inside a binding pattern are bound (not types, defaults or keys).
_SKIPPED_PATTERN_FIELDS = {"type", "key", "default", "return_type", "dimensions", "decorator"}


def pattern_names(node: Node | None, identifier_types: frozenset[str]) -> list[Node]:
    """The identifiers a pattern binds: `x`, `(a, b)`, `{a, b: c}`, `*rest`, `x: int = 1`."""
    if node is None:
        return []
    if node.type in identifier_types:
        return [node]
    if node.type in _NOT_PATTERNS:
        return []
    found: list[Node] = []
    for index, child in enumerate(node.children):
        name = node.field_name_for_child(index)
        if name in _SKIPPED_PATTERN_FIELDS:
            continue
        if name == "value" and node.type not in ("pair_pattern", "field_pattern"):
            continue  # a default value or initialiser, not part of the pattern
        if name == "right" and node.type in ("assignment_pattern", "object_assignment_pattern"):
            continue
        found.extend(pattern_names(child, identifier_types))
    return found


_NOT_PATTERNS = frozenset(
    {
        "attribute",
        "subscript",
        "member_expression",
        "subscript_expression",
        "selector_expression",
        "index_expression",
        "field_expression",
        "field_access",
        "array_access",
        "call",
        "call_expression",
        "type",
        "type_annotation",
        "type_identifier",
        "predefined_type",
    }
)


# --- Binders: per language, what a node binds in the scope it is in ------------------------

_PY_IDS = frozenset({"identifier"})


def _python_binder(node: Node) -> list[Node]:
    kind = node.type
    if kind in _FUNCTIONS["python"]:
        return pattern_names(node.child_by_field_name("parameters"), _PY_IDS)
    if kind in ("assignment", "augmented_assignment", "for_statement", "for_in_clause"):
        return pattern_names(node.child_by_field_name("left"), _PY_IDS)
    if kind == "named_expression":
        return pattern_names(node.child_by_field_name("name"), _PY_IDS)
    if kind == "as_pattern_target":
        return pattern_names(node.named_children[0] if node.named_children else None, _PY_IDS)
    return []


_JS_IDS = frozenset({"identifier", "shorthand_property_identifier_pattern"})


def _javascript_binder(node: Node) -> list[Node]:
    kind = node.type
    if kind in _FUNCTIONS["javascript"]:
        names = pattern_names(node.child_by_field_name("parameters"), _JS_IDS)
        return names + pattern_names(node.child_by_field_name("parameter"), _JS_IDS)
    if kind == "variable_declarator":
        return pattern_names(node.child_by_field_name("name"), _JS_IDS)
    if kind == "for_in_statement" and node.child_by_field_name("kind") is not None:
        return pattern_names(node.child_by_field_name("left"), _JS_IDS)
    if kind == "catch_clause":
        return pattern_names(node.child_by_field_name("parameter"), _JS_IDS)
    return []


_GO_IDS = frozenset({"identifier"})


def _go_binder(node: Node) -> list[Node]:
    kind = node.type
    if kind in _FUNCTIONS["go"]:
        found: list[Node] = []
        for name in ("receiver", "parameters", "result"):
            part = node.child_by_field_name(name)
            if part is not None and part.type == "parameter_list":
                found.extend(pattern_names(part, _GO_IDS))
        return found
    if kind == "short_var_declaration":
        return pattern_names(node.child_by_field_name("left"), _GO_IDS)
    if kind in ("var_spec", "const_spec"):
        return [n for n in node.children_by_field_name("name") if n.type == "identifier"]
    if kind == "range_clause" and any(child.type == ":=" for child in node.children):
        return pattern_names(node.child_by_field_name("left"), _GO_IDS)
    return []


_RUST_IDS = frozenset({"identifier", "shorthand_field_identifier"})


def _rust_pattern(node: Node | None) -> list[Node]:
    # Capitalised names in patterns are enum variants and constants, not bindings.
    return [n for n in pattern_names(node, _RUST_IDS) if not _text(n)[:1].isupper()]


def _rust_binder(node: Node) -> list[Node]:
    kind = node.type
    if kind in _FUNCTIONS["rust"]:
        return _rust_pattern(node.child_by_field_name("parameters"))
    if kind in ("let_declaration", "let_condition", "for_expression"):
        return _rust_pattern(node.child_by_field_name("pattern"))
    if kind == "match_arm":
        return _rust_pattern(node.child_by_field_name("pattern"))
    return []


_JAVA_IDS = frozenset({"identifier"})


def _java_binder(node: Node) -> list[Node]:
    kind = node.type
    if kind in _FUNCTIONS["java"]:
        return pattern_names(node.child_by_field_name("parameters"), _JAVA_IDS)
    if kind in (
        "variable_declarator",
        "enhanced_for_statement",
        "catch_formal_parameter",
        "resource",
    ):
        name = node.child_by_field_name("name")
        return [name] if name is not None and name.type == "identifier" else []
    return []


# what each language calls a function: the one table of grammar roles, syntax/roles.py
_FUNCTIONS = {language: roles.functions for language, roles in ROLES.items()}


def _names(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_COMMON_CALL_NOISE = frozenset({"toString", "equals", "hashCode", "valueOf"})

_PYTHON = Shape(
    functions=ROLES["python"].functions,
    anonymous=ROLES["python"].anonymous_functions,
    extra_scopes=frozenset(
        {
            "list_comprehension",
            "set_comprehension",
            "dictionary_comprehension",
            "generator_expression",
        }
    ),
    classes=frozenset({"class_definition"}),
    identifiers=_PY_IDS,
    member_fields=frozenset({("attribute", "attribute"), ("keyword_argument", "name")}),
    fixed_parents=frozenset(),
    self_names=frozenset({"self", "cls"}),
    returns=frozenset({"return_statement"}),
    yields=frozenset({"yield"}),
    throws=frozenset({"raise_statement"}),
    asserts=frozenset({"assert_statement"}),
    calls=frozenset({"call"}),
    assignments=frozenset({"assignment", "augmented_assignment"}),
    updates=frozenset(),
    members=frozenset({"attribute"}),
    subscripts=frozenset({"subscript"}),
    comments=frozenset({"comment"}),
    parens=frozenset({"parenthesized_expression"}),
    blocks=frozenset({"block"}),
    binder=_python_binder,
    outer_declarations=frozenset({"global_statement", "nonlocal_statement"}),
    ignored_calls=_names(
        "len range enumerate zip isinstance issubclass str int float bool list dict set "
        "tuple frozenset type repr super iter next strip lstrip rstrip lower upper "
        "format items keys values get copy encode decode startswith endswith replace "
        "__init__ cast"
    ),
    builtin_names=frozenset(dir(builtins)),
)

_JAVASCRIPT = Shape(
    functions=ROLES["javascript"].functions,
    anonymous=ROLES["javascript"].anonymous_functions,
    extra_scopes=frozenset(),
    classes=frozenset({"class_declaration", "class", "abstract_class_declaration"}),
    identifiers=frozenset({"identifier"}),
    member_fields=frozenset(),
    fixed_parents=frozenset({"shorthand_property_identifier"}),
    self_names=frozenset({"this"}),
    returns=frozenset({"return_statement"}),
    yields=frozenset({"yield_expression"}),
    throws=frozenset({"throw_statement"}),
    asserts=frozenset(),
    calls=frozenset({"call_expression", "new_expression"}),
    assignments=frozenset({"assignment_expression", "augmented_assignment_expression"}),
    updates=frozenset({"update_expression"}),
    members=frozenset({"member_expression"}),
    subscripts=frozenset({"subscript_expression"}),
    comments=frozenset({"comment", "html_comment"}),
    parens=frozenset({"parenthesized_expression"}),
    blocks=frozenset(),
    binder=_javascript_binder,
    ignored_calls=_COMMON_CALL_NOISE
    | frozenset(
        {"String", "Number", "Boolean", "toLowerCase", "toUpperCase", "trim", "hasOwnProperty"}
    ),
    builtin_names=frozenset({"undefined", "NaN", "Infinity", "globalThis", "window", "document"}),
)

_GO = Shape(
    functions=ROLES["go"].functions,
    anonymous=ROLES["go"].anonymous_functions,
    extra_scopes=frozenset(),
    classes=frozenset(),
    identifiers=_GO_IDS,
    member_fields=frozenset(),
    fixed_parents=frozenset(),
    self_names=frozenset(),
    returns=frozenset({"return_statement"}),
    yields=frozenset(),
    throws=frozenset(),
    asserts=frozenset(),
    calls=frozenset({"call_expression"}),
    assignments=frozenset({"assignment_statement"}),
    updates=frozenset({"inc_statement", "dec_statement"}),
    members=frozenset({"selector_expression"}),
    subscripts=frozenset({"index_expression"}),
    comments=frozenset({"comment"}),
    parens=frozenset({"parenthesized_expression"}),
    blocks=frozenset(),
    binder=_go_binder,
    ignored_calls=frozenset({"len", "cap", "make", "new", "append", "string", "int", "float64"}),
    builtin_names=frozenset({"nil", "true", "false", "iota"}),
)

_RUST = Shape(
    functions=ROLES["rust"].functions,
    anonymous=ROLES["rust"].anonymous_functions,
    extra_scopes=frozenset(),
    classes=frozenset(),
    identifiers=frozenset({"identifier"}),
    member_fields=frozenset(),
    fixed_parents=frozenset({"shorthand_field_initializer"}),
    self_names=frozenset({"self"}),
    returns=frozenset({"return_expression"}),
    yields=frozenset(),
    throws=frozenset(),
    asserts=frozenset(),
    calls=frozenset({"call_expression", "macro_invocation"}),
    assignments=frozenset({"assignment_expression", "compound_assignment_expr"}),
    updates=frozenset(),
    members=frozenset({"field_expression"}),
    subscripts=frozenset({"index_expression"}),
    comments=frozenset({"line_comment", "block_comment"}),
    parens=frozenset({"parenthesized_expression"}),
    blocks=frozenset(),
    binder=_rust_binder,
    ignored_calls=_names(
        "vec! format! clone to_string to_owned into iter unwrap as_str len Some Ok Err "
        "new from is_empty collect"
    ),
    error_propagation=frozenset({"try_expression"}),
)

_JAVA = Shape(
    functions=ROLES["java"].functions,
    anonymous=ROLES["java"].anonymous_functions,
    extra_scopes=frozenset(),
    classes=frozenset({"class_declaration", "interface_declaration", "enum_declaration"}),
    identifiers=_JAVA_IDS,
    member_fields=frozenset(
        {
            ("field_access", "field"),
            ("method_invocation", "name"),
            ("method_declaration", "name"),
            ("constructor_declaration", "name"),
            ("class_declaration", "name"),
            ("method_reference", "name"),
        }
    ),
    fixed_parents=frozenset(),
    self_names=frozenset({"this"}),
    returns=frozenset({"return_statement"}),
    yields=frozenset(),
    throws=frozenset({"throw_statement"}),
    asserts=frozenset({"assert_statement"}),
    calls=frozenset({"method_invocation", "object_creation_expression"}),
    assignments=frozenset({"assignment_expression"}),
    updates=frozenset({"update_expression"}),
    members=frozenset({"field_access"}),
    subscripts=frozenset({"array_access"}),
    comments=frozenset({"line_comment", "block_comment"}),
    parens=frozenset({"parenthesized_expression"}),
    blocks=frozenset(),
    binder=_java_binder,
    ignored_calls=_COMMON_CALL_NOISE | frozenset({"length", "size", "get"}),
)

SHAPES: dict[str, Shape] = {
    "python": _PYTHON,
    "javascript": _JAVASCRIPT,
    "typescript": _JAVASCRIPT,
    "tsx": _JAVASCRIPT,
    "go": _GO,
    "rust": _RUST,
    "java": _JAVA,
}


def shape_of(language: str) -> Shape:
    try:
        return SHAPES[language]
    except KeyError:
        raise ValueError(f"no key-fact extraction for language {language!r}") from None


# --- Scopes -------------------------------------------------------------------------------


def node_key(node: Node) -> tuple[int, int, str]:
    return (node.start_byte, node.end_byte, node.type)


class Scopes:
    """Which function or comprehension binds each name in one tree.

    Scoping is per function (block scopes of let/const are merged into their function): a
    name bound anywhere in a function is local to it, unless Python declares it global or
    nonlocal. Names bound at module level, imported or never bound are global (None).
    """

    def __init__(
        self, shape: Shape, root: Node, start_byte: int | None = None, end_byte: int | None = None
    ) -> None:
        """With a byte range, only what can bind a name used inside it is read: the functions
        around it (less the functions nested in them elsewhere) and the imports. The cost is
        that of the region's surroundings, not of the whole file."""
        self.shape = shape
        self.bindings: dict[tuple[int, int, str], set[str]] = {}
        self.declared_outer: dict[tuple[int, int, str], set[str]] = {}
        self.binding_sites: set[tuple[int, int, str]] = set()
        self.imported: set[str] = set()
        self._walk(root, start_byte, end_byte)
        for key, names in self.declared_outer.items():
            self.bindings.get(key, set()).difference_update(names)

    def _walk(self, root: Node, start: int | None, end: int | None) -> None:
        shape = self.shape
        stack: list[tuple[Node, Node | None, bool]] = [(root, None, False)]
        while stack:
            node, scope, in_class = stack.pop()
            kind = node.type
            if start is not None and end is not None and not _overlaps(node, start, end):
                if kind in shape.functions or kind in shape.extra_scopes:
                    continue  # binds nothing the region can see
                if kind in shape.classes or (scope is None and not _may_import(kind)):
                    continue  # module and class level bind globals and attributes
            if kind in shape.functions or kind in shape.extra_scopes:
                scope, in_class = node, False
                self.bindings.setdefault(node_key(node), set())
            elif kind in shape.classes:
                in_class = True
            if kind in shape.outer_declarations and scope is not None:
                names = {_text(n) for n in node.named_children if n.type == "identifier"}
                self.declared_outer.setdefault(node_key(scope), set()).update(names)
            if kind in _IMPORTS:
                self.imported.update(_imported_names(node))
            bound = shape.binder(node)
            for name_node in bound:
                self.binding_sites.add(node_key(name_node))
                if scope is not None and not in_class:
                    self.bindings[node_key(scope)].add(_text(name_node))
            for child in reversed(node.children):
                stack.append((child, scope, in_class))

    def is_reference(self, node: Node) -> bool:
        """Whether an identifier may name a variable (not a member, keyword argument...)."""
        if node.type not in self.shape.identifiers:
            return False
        parent = node.parent
        if parent is None:
            return True
        if parent.type in self.shape.fixed_parents:
            return False
        for index, child in enumerate(parent.children):
            if child.id == node.id:
                field_name = parent.field_name_for_child(index)
                return (parent.type, field_name) not in self.shape.member_fields
        return True

    def binding_scope(self, node: Node) -> Node | None:
        """The function or comprehension that binds this identifier; None when global."""
        name = _text(node)
        current = node.parent
        while current is not None:
            names = self.bindings.get(node_key(current))
            if names is not None and name in names:
                return current
            current = current.parent
        return None

    def declares_outer(self, scope: Node, name: str) -> bool:
        return name in self.declared_outer.get(node_key(scope), set())


def _overlaps(node: Node, start: int, end: int) -> bool:
    return node.start_byte < max(end, start + 1) and node.end_byte > start


def _may_import(kind: str) -> bool:
    return "import" in kind or kind in ("use_declaration", "source_file", "program", "module")


_IMPORTS = frozenset(
    {"import_statement", "import_from_statement", "import_clause", "import_spec", "use_declaration"}
)


def _imported_names(node: Node) -> set[str]:
    names: set[str] = set()
    if node.type == "import_spec":  # Go: the alias, else the last segment of the path
        alias = node.child_by_field_name("name")
        path = node.child_by_field_name("path")
        if alias is not None:
            return {_text(alias)}
        return {_text(path).strip('"`').rsplit("/", 1)[-1]} if path is not None else set()
    if node.type == "use_declaration":  # Rust: the last segment, or its alias
        leaves = [n for n in walk([node]) if n.type == "identifier"]
        return {_text(leaves[-1])} if leaves else set()
    for child in node.named_children:
        if child.type == "aliased_import":
            alias = child.child_by_field_name("alias")
            if alias is not None:
                names.add(_text(alias))
        elif child.type == "dotted_name" and child.named_children:
            if node.type == "import_from_statement":
                if child != node.child_by_field_name("module_name"):
                    names.add(_text(child.named_children[-1]))
            else:
                names.add(_text(child.named_children[0]))
        elif child.type == "identifier":
            names.add(_text(child))
        elif child.type == "named_imports":
            for spec in child.named_children:
                alias = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
                if alias is not None:
                    names.add(_text(alias))
        elif child.type == "namespace_import":
            names.update(_text(n) for n in child.named_children if n.type == "identifier")
    return names


# --- Units: one function each, plus the statements outside functions ----------------------


@dataclass
class Call:
    node: Node
    name: str  # the called name: `append`, `print`, `println!`, `Error`
    receiver: Node | None  # `self.items` in `self.items.append(x)`
    callee: str  # the callee as written, white space removed: `self.items.append`


@dataclass
class Assignment:
    node: Node
    target: Node
    operator: str  # "=", "+=", "++"...


@dataclass
class Unit:
    """One function of the region, or (node None) the region's statements outside functions."""

    node: Node | None
    name: str
    inputs: list[Node] = field(default_factory=list)
    returns: list[Node] = field(default_factory=list)  # returned expressions
    bare_returns: list[Node] = field(default_factory=list)  # `return` without a value
    yields: list[Node] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)  # to non-locals only
    calls: list[Call] = field(default_factory=list)
    raises: list[Node] = field(default_factory=list)  # raise / throw / assert nodes
    propagations: list[Node] = field(default_factory=list)  # Rust `?`
    free_names: list[Node] = field(default_factory=list)  # statements only: names read
    selves: set[str] = field(default_factory=set)  # a Go method's receiver: like self
    bound_here: set[str] = field(default_factory=set)  # statements only: names they create

    @property
    def is_function(self) -> bool:
        return self.node is not None


def units(
    language: str,
    source: bytes,
    tree: tree_sitter.Tree,
    start_byte: int,
    end_byte: int,
    scopes: Scopes | None = None,
) -> list[Unit]:
    """The functions that start in [start_byte, end_byte) (outermost ones: methods of a class
    each count, a nested helper belongs to its function), then the statements outside them."""
    shape = shape_of(language)
    scopes = scopes or Scopes(shape, tree.root_node, start_byte, end_byte)
    functions = _outermost_functions(shape, tree.root_node, start_byte, end_byte)
    found = [_function_unit(shape, scopes, fn) for fn in functions]
    rest = _statements_unit(shape, scopes, tree.root_node, functions, start_byte, end_byte)
    if rest is not None:
        found.append(rest)
    return found


def _outermost_functions(shape: Shape, root: Node, start: int, end: int) -> list[Node]:
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.end_byte <= start or node.start_byte >= end:
            continue
        if (
            node.type in shape.functions
            and node.start_byte >= start
            and (node.type not in shape.anonymous or _is_named(node))
        ):
            found.append(node)
            continue
        stack.extend(node.children)
    found.sort(key=lambda n: n.start_byte)
    return found


_NAMING_PARENTS = frozenset(
    {
        "assignment",
        "assignment_expression",
        "variable_declarator",
        "pair",
        "let_declaration",
        "short_var_declaration",
        "var_spec",
        "public_field_definition",
        "field_definition",
    }
)


def _is_named(node: Node) -> bool:
    """Whether an anonymous function is given a name (`f = lambda x: ...`): then it is a
    function of its own; a lambda passed as an argument belongs to the code around it."""
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "expression_list"):
        parent = parent.parent
    return parent is not None and parent.type in _NAMING_PARENTS


def function_name(node: Node) -> str:
    name = node.child_by_field_name("name")
    if name is not None:
        return _text(name)
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "expression_list"):
        parent = parent.parent
    if parent is not None:
        for field_name in ("name", "left", "key", "pattern"):
            target = parent.child_by_field_name(field_name)
            if target is not None and target.id != node.id:
                return _text(target)
    return "the anonymous function"


def parameters(shape: Shape, node: Node) -> list[Node]:
    """A function's parameters, in order: not self/this, nor a Go method's receiver."""
    found: list[Node] = []
    for field_name in shape.parameter_fields:
        part = node.child_by_field_name(field_name)
        if part is not None:
            found.extend(pattern_names(part, _pattern_ids(shape)))
    return [n for n in found if _text(n) not in shape.self_names and _text(n) != "_"]


def _pattern_ids(shape: Shape) -> frozenset[str]:
    if shape is _JAVASCRIPT:
        return _JS_IDS
    if shape is _RUST:
        return _RUST_IDS
    return shape.identifiers


def _function_unit(shape: Shape, scopes: Scopes, fn: Node) -> Unit:
    unit = Unit(fn, function_name(fn), inputs=parameters(shape, fn))
    receiver = fn.child_by_field_name("receiver")
    if receiver is not None:
        unit.selves = {_text(n) for n in pattern_names(receiver, shape.identifiers)}
    body = fn.child_by_field_name("body")
    if body is not None and body.type not in (
        "block",
        "statement_block",
        "constructor_body",
    ):
        unit.returns.append(body)  # an expression body: lambda, arrow function, closure
    elif body is not None and shape is _RUST:
        tail = _rust_tail(body)
        if tail is not None:
            unit.returns.append(tail)
    _collect(shape, scopes, unit, fn.children, own=fn, within=(fn.start_byte, fn.end_byte))
    return unit


def _rust_tail(block: Node) -> Node | None:
    named = [c for c in block.named_children if c.type not in _RUST.comments]
    if not named:
        return None
    last = named[-1]
    if last.type == "expression_statement":
        if any(child.type == ";" for child in last.children) or not last.named_children:
            return None
        last = last.named_children[0]
        if last.type in ("for_expression", "while_expression", "loop_expression"):
            return None
    if (
        last.type.endswith(("_item", "_declaration", "_statement"))
        or last.type == "unit_expression"
    ):
        return None
    return last


def _statements_unit(
    shape: Shape, scopes: Scopes, root: Node, functions: list[Node], start: int, end: int
) -> Unit | None:
    unit = Unit(None, "the code")
    tops: list[Node] = []
    stack = [root]
    function_keys = {node_key(fn) for fn in functions}
    while stack:
        node = stack.pop()
        if node.end_byte <= start or node.start_byte >= end or node_key(node) in function_keys:
            continue
        if node.start_byte >= start and node.end_byte <= end:
            tops.append(node)
            continue
        stack.extend(node.children)
    tops = [n for n in tops if not _only_trivia(shape, n, functions)]
    if not tops:
        return None
    tops.sort(key=lambda n: n.start_byte)
    unit.bound_here = {
        _text(name)
        for node in walk(tops)
        if node.type != "augmented_assignment"  # `total += x` changes a total made before
        for name in shape.binder(node)
    }
    _collect(shape, scopes, unit, tops, own=None, within=(start, end), skip=function_keys)
    if not functions:
        unit.free_names = _free_names(shape, scopes, tops)
    if not (
        unit.returns
        or unit.bare_returns
        or unit.yields
        or unit.assignments
        or unit.calls
        or unit.raises
        or unit.free_names
    ):
        return None
    return unit


def _only_trivia(shape: Shape, node: Node, functions: list[Node]) -> bool:
    if node.type in shape.comments or not node.is_named:
        return True
    if node.type in shape.classes or node.type in ("decorated_definition", "class_body"):
        return True  # a class's methods are units of their own
    if node.type in ("import_statement", "import_from_statement", "package_clause"):
        return True
    return any(
        fn.start_byte >= node.start_byte and fn.end_byte <= node.end_byte for fn in functions
    ) and (node.type in ("export_statement", "expression_statement", "lexical_declaration"))


def walk(
    nodes: list[Node] | tuple[Node, ...], skip: set[tuple[int, int, str]] | None = None
) -> Iterator[Node]:
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if skip and node_key(node) in skip:
            continue
        yield node
        stack.extend(reversed(node.children))


def _collect(
    shape: Shape,
    scopes: Scopes,
    unit: Unit,
    nodes: list[Node],
    own: Node | None,
    within: tuple[int, int],
    skip: set[tuple[int, int, str]] | None = None,
) -> None:
    own_params = {_text(n) for n in unit.inputs}
    for node in walk(nodes, skip):
        kind = node.type
        if not (within[0] <= node.start_byte < within[1]):
            continue
        nested = _inside_nested_function(shape, node, own, within[0])
        if kind in shape.returns and not nested:
            values = [c for c in node.named_children if c.type not in shape.comments]
            if values and values[0].type == "expression_list" and values[0].named_child_count == 1:
                values = values[0].named_children  # Go: one value
            if values and not _is_nothing(values[0]):
                unit.returns.append(values[0])
            else:
                unit.bare_returns.append(node)
        elif kind in shape.yields and not nested:
            unit.yields.append(node)
        elif kind in shape.throws or kind in shape.asserts:
            unit.raises.append(node)
        elif kind in shape.error_propagation:
            unit.propagations.append(node)
        elif kind in shape.calls:
            call = call_of(shape, node)
            thrown = node.parent is not None and node.parent.type in shape.throws
            if call is not None and not thrown:
                if call.name in ("panic", "panic!", "unreachable!", "todo!", "unimplemented!"):
                    unit.raises.append(node)
                else:
                    unit.calls.append(call)
        elif kind in shape.assignments or kind in shape.updates:
            target = node.child_by_field_name("left") or node.child_by_field_name("argument")
            if target is None and node.named_children:
                target = node.named_children[0]
            if target is None:
                continue
            operator = _operator(node)
            targets = target.named_children if target.type == "expression_list" else [target]
            for one in targets:
                if _is_outside_effect(shape, scopes, unit, one, own_params):
                    unit.assignments.append(Assignment(node, one, operator))


def _operator(node: Node) -> str:
    op = node.child_by_field_name("operator")
    if op is not None:
        return _text(op)
    for child in node.children:
        if not child.is_named and child.type in ("=", "++", "--", ":="):
            return child.type
    return "="


def _inside_nested_function(shape: Shape, node: Node, own: Node | None, start: int) -> bool:
    """Whether a node is inside a function nested in the unit (the unit's own function, or
    for statements the function around them, does not count)."""
    current = node.parent
    while current is not None:
        if (own is not None and current.id == own.id) or current.start_byte < start:
            return False
        if current.type in shape.functions:
            return True
        current = current.parent
    return False


def _is_nothing(node: Node) -> bool:
    return node.type in ("none", "unit_expression")


def root_of(shape: Shape, node: Node) -> Node:
    """The innermost object of a member or subscript chain: `self` in `self.a.b[0]`."""
    while node.type in shape.members or node.type in shape.subscripts:
        inner = None
        for name in ("object", "value", "operand", "array"):
            inner = node.child_by_field_name(name)
            if inner is not None:
                break
        if inner is None:
            if not node.named_children:
                break
            inner = node.named_children[0]
        node = inner
    return node


def is_self(shape: Shape, node: Node) -> bool:
    return node.type in ("self", "this") or (
        node.type in shape.identifiers and _text(node) in shape.self_names
    )


def is_outside(shape: Shape, scopes: Scopes, unit: Unit, root: Node, params: set[str]) -> bool:
    """Whether changing through `root` changes something outside the unit: self, one of its
    parameters, or a global or outer variable."""
    if is_self(shape, root):
        return True
    if root.type not in shape.identifiers:
        return False
    name = _text(root)
    if unit.node is None:
        return name not in unit.bound_here  # statements change what they did not create
    if name in params or name in unit.selves:
        return True
    scope = scopes.binding_scope(root)
    if scope is None:
        return True
    # bound in the unit or in a function nested in it: local
    return not (scope.start_byte >= unit.node.start_byte and scope.end_byte <= unit.node.end_byte)


def _is_outside_effect(
    shape: Shape, scopes: Scopes, unit: Unit, target: Node, params: set[str]
) -> bool:
    if target.type in shape.members or target.type in shape.subscripts:
        return is_outside(shape, scopes, unit, root_of(shape, target), params)
    if target.type in shape.identifiers and unit.node is None:
        return _text(target) not in unit.bound_here
    if target.type in shape.identifiers and unit.node is not None:
        name = _text(target)
        scope = scopes.binding_scope(target)
        if scope is None:
            # Python binds every assigned name locally unless declared global/nonlocal
            return shape is not _PYTHON or _declared_outer_above(scopes, target, name)
        return not (
            scope.start_byte >= unit.node.start_byte and scope.end_byte <= unit.node.end_byte
        )
    return False


def _declared_outer_above(scopes: Scopes, node: Node, name: str) -> bool:
    current = node.parent
    while current is not None:
        if scopes.declares_outer(current, name):
            return True
        current = current.parent
    return False


def call_of(shape: Shape, node: Node) -> Call | None:
    kind = node.type
    if kind == "method_invocation":
        name_node = node.child_by_field_name("name")
        receiver = node.child_by_field_name("object")
        if name_node is None:
            return None
        callee = (_compact(receiver) + "." if receiver is not None else "") + _text(name_node)
        return Call(node, _text(name_node), receiver, callee)
    if kind == "object_creation_expression" or kind == "new_expression":
        target = node.child_by_field_name("type") or node.child_by_field_name("constructor")
        if target is None:
            return None
        return Call(node, last_name(target), None, "new " + _compact(target))
    if kind == "macro_invocation":
        macro = node.child_by_field_name("macro")
        if macro is None:
            return None
        return Call(node, last_name(macro) + "!", None, _compact(macro) + "!")
    function = node.child_by_field_name("function")
    if function is None:
        return None
    while (
        function.type in ("generic_function", "parenthesized_expression")
        and function.named_children
    ):
        function = function.child_by_field_name("function") or function.named_children[0]
    receiver = None
    if function.type in shape.members:
        for field_name in ("object", "value", "operand"):
            receiver = function.child_by_field_name(field_name)
            if receiver is not None:
                break
    elif function.type == "scoped_identifier":
        receiver = function.child_by_field_name("path")
    if function.type not in shape.members and function.type not in (
        "identifier",
        "scoped_identifier",
    ):
        return None  # calling the result of a call or an index: no name to quote
    return Call(node, last_name(function), receiver, _compact(function))


def last_name(node: Node) -> str:
    if node.type == "generic_type" and node.named_children:
        node = node.named_children[0]
    for name in ("attribute", "property", "field", "name"):
        part = node.child_by_field_name(name)
        if part is not None:
            return _text(part)
    leaves = [n for n in walk([node]) if n.child_count == 0 and n.is_named]
    return _text(leaves[-1]) if leaves else _text(node)


def _free_names(shape: Shape, scopes: Scopes, tops: list[Node]) -> list[Node]:
    """Names the statements read without binding them: their inputs."""
    bound_here = {
        _text(name)
        for node in walk(tops)
        if node.type != "augmented_assignment"
        for name in shape.binder(node)
    }
    seen: set[str] = set()
    found = []
    for node in walk(tops):
        if node.type not in shape.identifiers or not scopes.is_reference(node):
            continue
        name = _text(node)
        parent = node.parent
        if parent is not None and parent.child_by_field_name("function") == node:
            continue  # a called name: a call fact, not an input
        if parent is not None and parent.type in (
            "dotted_name",
            "aliased_import",
            "decorator",
            "scoped_identifier",
            "macro_invocation",
        ):
            continue
        if (
            name in seen
            or name in bound_here
            or name in scopes.imported
            or name in shape.builtin_names
            or name in shape.self_names
            or name == "_"
            or (name[:1].isupper() and any(c.islower() for c in name))  # a class or type
            or _bound_inside(scopes.binding_scope(node), tops)
        ):
            continue
        seen.add(name)
        found.append(node)
    return found


def _bound_inside(scope: Node | None, tops: list[Node]) -> bool:
    return scope is not None and any(
        scope.start_byte >= top.start_byte and scope.end_byte <= top.end_byte for top in tops
    )


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def _compact(node: Node | None) -> str:
    if node is None:
        return ""
    return "".join(_text(node).split())


text_of = _text
compact = _compact
