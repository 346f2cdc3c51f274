"""The first filter: which Python code may be sent to the sandbox at all.

A static check (stdlib `ast`: parsing executes nothing) refuses code that imports anything but
pure modules, names open/eval/exec/__import__ and friends or side-effecting modules (os, sys,
subprocess, socket...), reads dunder attributes other than a few harmless ones, looks
attributes up by computed names (getattr with a computed name, a `.format` template computed
at run time or whose fields reach frames and dunders, library functions), evaluates strings as
annotations, or touches frame, traceback and garbage-collector internals. Honest AI-written
code that does I/O is refused here, so that no question is asked about it.

`from .module import name` is allowed in a function's body only: the child answers it with the
name from the definitions, where the quiz put the package's own definition of it.

Names are resolved by scope: a function's own variable called `code` or `help` is not the
module or builtin; `_("literal {name}").format(...)` is allowed when `_` (or gettext,
ngettext) is bound nowhere in the code, so that it is the child's gettext without a catalogue;
`getattr(obj, "literal")` is `obj.literal`; `os.path.basename(p)`, `sys.platform`,
`inspect.cleandoc(t)` - the members of child.STANDARD_FACADES, on names the code does not
bind - are the child's facades of those modules, which hold nothing else.

This filter is NOT the wall: CPython's own documentation says audit hooks and restricted
namespaces are no sandbox, and every Python-level check has been walked around. The wall is
the operating system (`isolation.py`: bubblewrap namespaces, seccomp, rlimits, a wall clock);
code that passes this filter still runs only there.

`MINDGAP_SANDBOX_PYTHON_WALLS=0` turns this filter and the child's Python-level walls off:
everything is then sent to the operating-system sandbox as it is. The attack tests use it to
show that the operating system's wall holds by itself.
"""

from __future__ import annotations

import ast
import os
import re
import string
import textwrap
from dataclasses import dataclass

from mindgap.gate.sandbox.child import STANDARD_FACADES

ALLOWED_MODULES = frozenset(
    {
        "__future__",
        "abc",
        "bisect",
        "cmath",
        "collections",
        "collections.abc",
        "contextlib",  # its chdir is a denied attribute; redirect_stdout has no stream to take
        "copy",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "errno",  # numbers and their names
        "fractions",
        "functools",
        "heapq",
        "itertools",
        "json",
        "math",
        "numbers",
        "operator",
        "random",
        "re",
        "statistics",
        "string",
        "textwrap",
        "typing",
        "unicodedata",
    }
)

# Builtins that reach outside the code (files, input, the interpreter) or run or look up
# code by name; refused wherever they are named.
DENIED_BUILTINS = frozenset(
    {
        "__build_class__",
        "__builtins__",
        "__import__",
        "__loader__",
        "__spec__",
        "breakpoint",
        "compile",
        "copyright",
        "credits",
        "delattr",
        "dir",
        "eval",
        "exec",
        "exit",
        "getattr",
        "globals",
        "help",
        "input",
        "license",
        "locals",
        "memoryview",
        "open",
        "quit",
        "setattr",
        "vars",
    }
)

_CODE_BUILTINS = frozenset(
    {"compile", "delattr", "eval", "exec", "getattr", "globals", "locals", "setattr", "vars"}
)

# Modules with side effects: refused as imports and as names (a region may use a module that
# the file imports elsewhere).
DENIED_MODULE_NAMES = frozenset(
    {
        "asyncio",
        "builtins",
        "code",
        "codeop",
        "concurrent",
        "ctypes",
        "fcntl",
        "ftplib",
        "gc",
        "glob",
        "http",
        "importlib",
        "inspect",
        "io",
        "logging",
        "marshal",
        "mmap",
        "msvcrt",
        "multiprocessing",
        "nt",
        "os",
        "pathlib",
        "pdb",
        "pickle",
        "platform",
        "posix",
        "pty",
        "requests",
        "resource",
        "runpy",
        "select",
        "selectors",
        "shelve",
        "shutil",
        "signal",
        "smtplib",
        "socket",
        "sqlite3",
        "ssl",
        "subprocess",
        "sys",
        "sysconfig",
        "tempfile",
        "threading",
        "types",
        "urllib",
        "webbrowser",
        "winreg",
        "zipfile",
    }
)

# Attribute names that reach frames, code and globals, perform I/O on whatever object has
# them, or look attributes up by a string.
DENIED_ATTRIBUTES = frozenset(
    {
        "ForwardRef",
        "_evaluate",  # ForwardRef._evaluate runs a string with the real builtins
        "_getframe",
        "Formatter",  # string.Formatter().get_field("0.__class__", ...) is getattr by string
        "ag_code",
        "ag_frame",
        "attrgetter",
        "chdir",
        "chmod",
        "chown",
        "co_code",
        "connect",
        "cr_await",
        "cr_code",
        "cr_frame",
        "create_connection",
        "exec_module",
        "f_back",
        "f_builtins",
        "f_code",
        "f_globals",
        "f_locals",
        "f_trace",
        "format_map",
        "fork",
        "forkpty",
        "func_globals",
        "get_field",
        "get_objects",
        "get_referents",
        "get_referrers",
        "get_type_hints",
        "getaddrinfo",
        "gi_code",
        "gi_frame",
        "gi_yieldfrom",
        "kill",
        "killpg",
        "load_module",
        "makedirs",
        "methodcaller",
        "mkdir",
        "open",
        "popen",
        "read_bytes",
        "read_text",
        "rmdir",
        "rmtree",
        "system",
        "tb_frame",
        "tb_next",
        "unlink",
        "update_wrapper",  # copies attributes named by strings computed at run time
        "urlopen",
        "vformat",
        "write_bytes",
        "write_text",
    }
)

# Dunder attributes that only run the object's own protocol methods (super().__init__(...)),
# never reach a class, its subclasses, a function's globals or code.
SAFE_DUNDER_ATTRIBUTES = frozenset(
    {
        "__add__",
        "__contains__",
        "__delitem__",
        "__doc__",
        "__enter__",
        "__eq__",
        "__exit__",
        "__ge__",
        "__getitem__",
        "__gt__",
        "__hash__",
        "__init__",
        "__init_subclass__",
        "__iter__",
        "__le__",
        "__len__",
        "__lt__",
        "__mul__",
        "__name__",
        "__ne__",
        "__new__",
        "__next__",
        "__post_init__",
        "__qualname__",
        "__repr__",
        "__set_name__",
        "__setitem__",
        "__str__",
        "__sub__",
    }
)
SAFE_DUNDER_NAMES = frozenset(
    {"__name__", "__debug__", "__doc__", "__slots__", "__all__", "__version__", "__hash__"}
)
# Denied modules' names that are everyday attribute names (rich's `self.code`, an exit's
# `error.code`): allowed on a function's own variable. No allowed module holds one (checked in
# tests), so such a variable cannot have reached the module through them; `typing.sys`,
# `x.types` and the like stay refused.
EVERYDAY_ATTRIBUTE_NAMES = frozenset({"code"})
# gettext's functions, which the child provides as without a catalogue (English: the message
# as written; ngettext picks by count), so that `_("No such option {name!r}.").format(...)`
# runs. A template they are given is a literal, checked like any other literal template.
GETTEXT_NAMES = frozenset({"_", "gettext", "ngettext"})
# `os.path.basename`, `sys.platform`: (module, member path) the child's facades hold
_FACADE_MEMBERS = frozenset(
    (module, tuple(member.split(".")))
    for module, members in STANDARD_FACADES.items()
    for member in members
)
_DUNDER = re.compile(r"^__\w+__$")
_DUNDER_IN_TEXT = re.compile(r"__[A-Za-z_]\w*__")
_MAX_CODE_CHARS = 200_000
_LOOKS_LIKE_CODE = re.compile(r"[()=;:]|\blambda\b")


def _is_type_expression(node: ast.expr, strings: bool = True) -> bool:
    """int, pkg.Type, list[int], Optional["Node"], int | None, Callable[[int], str], None."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return isinstance(node, ast.Name) or _is_type_expression(node.value, strings)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):  # Literal[-1]
        return isinstance(node.operand, ast.Constant) and type(node.operand.value) in (int, float)
    if isinstance(node, ast.Constant):
        return (
            node.value is None
            or node.value is Ellipsis
            or type(node.value) in (int, float, bool)  # Literal[1, True]
            or (strings and isinstance(node.value, str))
        )
    if isinstance(node, ast.Subscript):
        return _is_type_expression(node.value, strings) and _is_type_expression(node.slice, strings)
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_is_type_expression(element, strings) for element in node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _is_type_expression(node.left, strings) and _is_type_expression(node.right, strings)
    return False


@dataclass(frozen=True)
class Verdict:
    """The static check's judgement: safe to run in the sandbox, or why not."""

    safe: bool
    reason: str = ""
    line: int | None = None  # 1-based, in the checked text

    def __bool__(self) -> bool:
        return self.safe


SAFE = Verdict(True)


class _Refusal(Exception):
    def __init__(self, reason: str, node: ast.AST | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line: int | None = getattr(node, "lineno", None)


_SCOPES = (
    ast.Module,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
_FUNCTION_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _bound_in(scope: ast.AST) -> frozenset[str]:
    """The names a scope binds itself (parameters, assignments, loop and `with` targets,
    `except ... as`, imports, nested definitions, match captures), less those it declares
    global or nonlocal. A comprehension binds only its `for` targets (a walrus inside it
    binds in the enclosing scope, and is counted there)."""
    bound: set[str] = set()
    declared: set[str] = set()
    if isinstance(scope, _FUNCTION_SCOPES):
        arguments = scope.args
        for argument in (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            arguments.vararg,
            arguments.kwarg,
        ):
            if argument is not None:
                bound.add(argument.arg)
    if isinstance(scope, _COMPREHENSIONS):
        for generator in scope.generators:
            bound |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
        return frozenset(bound)
    body = getattr(scope, "body", [])  # a lambda's body is one expression
    pending: list[ast.AST | None] = list(body) if isinstance(body, list) else [body]
    while pending:
        node = pending.pop()
        if node is None:  # a keyword-only parameter without a default
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)  # its decorators and defaults are evaluated here
            pending.extend(node.decorator_list)
            if not isinstance(node, ast.ClassDef):
                pending.extend([*node.args.defaults, *node.args.kw_defaults])
            continue
        if isinstance(node, ast.Lambda):
            pending.extend([*node.args.defaults, *node.args.kw_defaults])
            continue
        if isinstance(node, _COMPREHENSIONS):  # only walrus targets leak out
            bound |= _walrus_targets(node)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        pending.extend(ast.iter_child_nodes(node))
    if isinstance(scope, ast.Module):  # `global _` in a function binds it here
        declared = set()
        bound |= {n for g in ast.walk(scope) if isinstance(g, ast.Global) for n in g.names}
    return frozenset(bound - declared)


def _walrus_targets(node: ast.AST) -> set[str]:
    """The names `:=` binds inside a comprehension, in the scope that holds it (nested
    comprehensions included, lambdas not: those bind in their own scope)."""
    found: set[str] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.NamedExpr) and isinstance(child.target, ast.Name):
            found.add(child.target.id)
        if not isinstance(child, (*_FUNCTION_SCOPES, ast.ClassDef)):
            found |= _walrus_targets(child)
    return found


def _evaluated_outside(scope: ast.AST) -> list[ast.AST]:
    """The parts of a scope's node that run in the enclosing scope."""
    parts: list[ast.AST | None] = []
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        parts.extend(scope.decorator_list)
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts.append(scope.returns)
    if isinstance(scope, _FUNCTION_SCOPES):
        arguments = scope.args
        parts.extend([*arguments.defaults, *arguments.kw_defaults])
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        parts.extend(a.annotation for a in every)
    if isinstance(scope, ast.ClassDef):
        parts.extend([*scope.bases, *scope.keywords])
    if isinstance(scope, _COMPREHENSIONS):
        parts.append(scope.generators[0].iter)
    return [part for part in parts if part is not None]


def _template_fields(template: str) -> list[tuple[str, bool]]:
    """(field name, whether it is plain: `{}`, `{0}`, `{name}`) of a str.format template,
    nested fields of format specs included; raises ValueError on a malformed template."""
    fields: list[tuple[str, bool]] = []
    for _literal, name, spec, _conversion in string.Formatter().parse(template):
        if name is None:
            continue
        fields.append((name, name == "" or name.isidentifier() or name.isdigit()))
        if spec:
            fields.extend(_template_fields(spec))
    return fields


class _Checker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.docstrings: set[int] = set()
        self.scopes: list[tuple[ast.AST, frozenset[str]]] = []
        self.evaluated_outside: dict[int, ast.AST] = {}
        self.facade_parts: set[int] = set()  # `os`, `os.path` of an allowed `os.path.join`

    def visit(self, node: ast.AST) -> None:
        if self.scopes and self.scopes[-1][0] is self.evaluated_outside.get(id(node)):
            # a default, decorator, annotation, base or first iterable: evaluated where the
            # function, class or comprehension is defined, so its names are read there
            scope = self.scopes.pop()
            try:
                self.visit_in_scope(node)
            finally:
                self.scopes.append(scope)
            return
        self.visit_in_scope(node)

    def visit_in_scope(self, node: ast.AST) -> None:
        if not isinstance(node, _SCOPES):
            super().visit(node)
            return
        for part in _evaluated_outside(node):
            self.evaluated_outside[id(part)] = node
        self.scopes.append((node, _bound_in(node)))
        try:
            super().visit(node)
        finally:
            self.scopes.pop()

    def visible_scopes(self) -> list[frozenset[str]]:
        """The bound names of the scopes a name read here resolves through, innermost
        first: a class body is seen only from directly inside it."""
        seen = []
        for depth, (scope, bound) in enumerate(reversed(self.scopes)):
            if isinstance(scope, ast.ClassDef) and depth > 0:
                continue
            seen.append(bound)
        return seen

    def bound_locally(self, name: str) -> bool:
        """Whether a name read here is a function's (or comprehension's) own variable,
        never a module-level name or a builtin."""
        for depth, (scope, bound) in enumerate(reversed(self.scopes)):
            if isinstance(scope, ast.ClassDef) and depth > 0:
                continue
            if name in bound:
                return not isinstance(scope, (ast.Module, ast.ClassDef))
        return False

    def own_variable(self, node: ast.expr) -> bool:
        """`self`, `error`, `self.options`: an attribute chain rooted at a function's own
        variable (a parameter, local or loop variable), not at a module-level name."""
        while isinstance(node, ast.Attribute):
            node = node.value
        return isinstance(node, ast.Name) and self.bound_locally(node.id)

    def is_gettext(self, node: ast.expr) -> bool:
        """`_("...")`, `gettext("...")`, `ngettext("...", "...", n)`: the child's gettext
        (the name bound nowhere in the code) given literal templates."""
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            return False
        name = node.func.id
        if name not in GETTEXT_NAMES or any(name in b for b in self.visible_scopes()):
            return False
        templates = node.args[:2] if name == "ngettext" else node.args
        wanted = 3 if name == "ngettext" else 1
        return (
            len(node.args) == wanted
            and not node.keywords
            and all(isinstance(t, ast.Constant) and isinstance(t.value, str) for t in templates)
        )

    def check_facade(self, node: ast.Attribute) -> None:
        """`os.path.basename`, `sys.platform`, `inspect.cleandoc`: a member of a module the
        code names without binding it (the child's facade of that module, which holds these
        alone) is allowed; its other members stay refused. Called on the outermost attribute
        of a chain; marks the nodes of the allowed member."""
        chain: list[ast.expr] = [node]
        while isinstance(chain[-1], ast.Attribute):
            chain.append(chain[-1].value)
        root = chain[-1]
        if not isinstance(root, ast.Name) or root.id not in STANDARD_FACADES:
            return
        if any(root.id in bound for bound in self.visible_scopes()):
            return  # the code's own `os`: judged as any name
        path = tuple(a.attr for a in reversed(chain[:-1]) if isinstance(a, ast.Attribute))
        for length in range(len(path), 0, -1):
            if (root.id, path[:length]) in _FACADE_MEMBERS:
                member = chain[len(path) - length]
                if not isinstance(getattr(member, "ctx", None), ast.Load):
                    self.refuse(f"changes {root.id}.{'.'.join(path[:length])}", node)
                self.facade_parts.update(id(part) for part in chain[len(path) - length :])
                return
        self.refuse(f"uses {root.id}.{'.'.join(path)} (of {root.id}, only what computes)", node)

    def refuse(self, reason: str, node: ast.AST) -> None:
        raise _Refusal(reason, node)

    def check_module_name(self, name: str, node: ast.AST) -> None:
        if name not in ALLOWED_MODULES:
            self.refuse(f"imports {name} (only pure modules such as math or re are run)", node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.check_module_name(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            self.check_package_import(node)
            return
        module = node.module or ""
        if self.facade_import(node):
            return
        self.check_module_name(module, node)
        for alias in node.names:
            name = alias.name
            if name == "*":
                self.refuse(f"imports * from {module}", node)
            if module == "__future__":
                continue
            if f"{module}.{name}" in ALLOWED_MODULES:
                continue
            if name.startswith("_") or name in DENIED_ATTRIBUTES or name in DENIED_MODULE_NAMES:
                self.refuse(f"imports {name} from {module}", node)

    def facade_import(self, node: ast.ImportFrom) -> bool:
        """`from os.path import basename`, `from inspect import isclass`: every name one of
        the child's facades holds (the child answers the import from a facade)."""
        root, _, inner = (node.module or "").partition(".")
        prefix = tuple(inner.split(".")) if inner else ()
        return root in STANDARD_FACADES and all(
            (root, (*prefix, alias.name)) in _FACADE_MEMBERS for alias in node.names
        )

    def check_package_import(self, node: ast.ImportFrom) -> None:
        """`from .module import name` in a function's body: the child gives the name from
        the definitions (where the quiz brought the package's own definition of it), never
        a module; at the top level, or for a module's private or dangerous names, refused."""
        inside = self.scopes and isinstance(self.scopes[-1][0], _FUNCTION_SCOPES)
        if not inside:
            self.refuse("has a relative import", node)
        for alias in node.names:
            name = alias.name
            if name == "*" or _DUNDER.match(name) or (alias.asname or name) != name:
                self.refuse(f"imports {name} from the package", node)
            if name in DENIED_ATTRIBUTES or name in DENIED_MODULE_NAMES:
                self.refuse(f"imports {name} from the package", node)
            if name in DENIED_BUILTINS or name in GETTEXT_NAMES:
                self.refuse(f"imports {name} from the package", node)

    def visit_Name(self, node: ast.Name) -> None:
        if id(node) in self.facade_parts:
            return  # the child's facade of a module (check_facade)
        name = node.id
        # a function's own variable named like a module or builtin (`code`, `help`) is not
        # it; the builtins that run code or look names up stay refused under any binding
        shadowable = not _DUNDER.match(name) and name not in _CODE_BUILTINS
        local = shadowable and self.bound_locally(name)
        if name in DENIED_BUILTINS and not local:
            self.refuse(f"uses {name}", node)
        if name in DENIED_MODULE_NAMES and not local:
            self.refuse(f"uses the module {name}", node)
        stored = isinstance(node.ctx, ast.Store) and name not in {"__class__", "__dict__"}
        if _DUNDER.match(name) and name not in SAFE_DUNDER_NAMES and not stored:
            self.refuse(f"uses the name {name}", node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if id(node) not in self.facade_parts:
            self.check_facade(node)  # marks the parts of an allowed facade member
        if id(node) in self.facade_parts:
            self.visit(node.value)  # a part of an allowed facade member (check_facade)
            return
        attribute = node.attr
        if attribute in DENIED_ATTRIBUTES:
            self.refuse(f"uses the attribute .{attribute}", node)
        if _DUNDER.match(attribute) and attribute not in SAFE_DUNDER_ATTRIBUTES:
            self.refuse(f"reads the attribute {attribute}", node)
        everyday = attribute in EVERYDAY_ATTRIBUTE_NAMES and self.own_variable(node.value)
        if attribute in DENIED_MODULE_NAMES and not everyday:
            self.refuse(f"reaches the module {attribute}", node)  # typing.sys, dataclasses.io
        base = node.value.id if isinstance(node.value, ast.Name) else ""
        if attribute.startswith("_") and base in ALLOWED_MODULES:
            # collections._sys, random._os: a module's private names are its own imports
            self.refuse(f"reads the private attribute {base}.{attribute}", node)
        if (
            attribute in {"__name__", "__qualname__"}
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "__class__"
        ):
            self.visit(node.value.value)  # self.__class__.__name__ only reads a name
        else:
            self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        callee = node.func
        name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
        if name == "wraps" and (len(node.args) > 1 or node.keywords):
            self.refuse("passes attribute names to functools.wraps", node)
        receiver = callee.value if isinstance(callee, ast.Attribute) else None
        if name == "format" and receiver is not None:
            self.check_template(receiver, node)
        if isinstance(callee, ast.Name) and callee.id == "getattr":
            self.check_getattr(node)
            for argument in [node.args[0], *node.args[2:]]:
                self.visit(argument)
            return
        self.generic_visit(node)

    def check_template(self, receiver: ast.expr, node: ast.Call) -> None:
        """`.format` only on a literal template (or gettext given one) whose fields reach
        no attribute the code could not reach as `x.attr`: "{0.__globals__}" built at run
        time, or "{0.gi_frame}" written out, looks attributes up by name."""
        if isinstance(receiver, ast.JoinedStr):
            return  # an f-string's own fields are code, checked as code
        if isinstance(receiver, ast.Constant) and isinstance(receiver.value, str):
            templates = [receiver.value]
            gettext = False
        elif self.is_gettext(receiver):
            assert isinstance(receiver, ast.Call)
            count = 2 if getattr(receiver.func, "id", "") == "ngettext" else 1
            templates = [str(getattr(t, "value", "")) for t in receiver.args[:count]]
            gettext = True
        else:
            self.refuse("formats with a template computed at run time", node)
            return
        for template in templates:
            try:
                fields = _template_fields(template)
            except ValueError:
                continue  # str.format raises on it before looking anything up
            for field, plain in fields:
                if gettext and not plain:
                    self.refuse(f"formats a translated message with the field {{{field}}}", node)
                for part in re.split(r"[.\[\]]", field)[1:]:
                    denied = part in DENIED_ATTRIBUTES or part in DENIED_MODULE_NAMES
                    if denied or part.startswith("__"):
                        self.refuse(f"formats with the field {{{field}}}", node)

    def check_getattr(self, node: ast.Call) -> None:
        """getattr(obj, "name"[, default]) with a literal name is obj.name: allowed for the
        names obj.name would be; a computed name is looking attributes up by a string."""
        name = node.args[1] if len(node.args) in (2, 3) and not node.keywords else None
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            self.refuse("uses getattr with a name computed at run time", node)
            return
        attribute = name.value
        denied = attribute in DENIED_ATTRIBUTES or attribute in DENIED_MODULE_NAMES
        if not attribute.isidentifier() or attribute.startswith("__") or denied:
            self.refuse(f"uses getattr for {attribute!r}", node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        # typing.List["open('x').read()"]: typing evaluates strings in subscripts
        for inner in ast.walk(node.slice):
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                self.check_type_string(inner)
        self.generic_visit(node)

    def visit_arg(self, node: ast.arg) -> None:
        if node.annotation is not None:
            self.check_annotation(node.annotation)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.returns is not None:
            self.check_annotation(node.returns)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.check_annotation(node.annotation)
        self.generic_visit(node)

    def check_annotation(self, annotation: ast.expr) -> None:
        """Annotations are evaluated by typing, dataclasses and singledispatch: only type
        expressions, never a value computed at run time or a string holding code."""
        if not _is_type_expression(annotation):
            self.refuse("has an annotation computed at run time", annotation)
        for inner in ast.walk(annotation):
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                self.check_type_string(inner)

    def check_type_string(self, node: ast.Constant) -> None:
        text = str(node.value)
        if id(node) in self.docstrings or not text.strip():
            return
        try:
            parsed = ast.parse(text.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            if _LOOKS_LIKE_CODE.search(text):
                self.refuse("has a string that typing could evaluate as code", node)
            return
        if not _is_type_expression(parsed, strings=False) and _LOOKS_LIKE_CODE.search(text):
            self.refuse("has a string that typing could evaluate as code", node)

    def visit_MatchClass(self, node: ast.MatchClass) -> None:
        for attribute in node.kwd_attrs:  # case C(attr=...) looks attributes up by name
            if _DUNDER.match(attribute) or attribute in DENIED_ATTRIBUTES:
                self.refuse(f"matches on the attribute {attribute}", node)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        # "{0.__class__}".format(x) and friends reach dunders through a string
        value = node.value
        if isinstance(value, str) and id(node) not in self.docstrings:
            for found in _DUNDER_IN_TEXT.findall(value):
                if not found.strip("_"):
                    continue  # a line of underscores (a spinner's frame) names nothing
                if found not in {"__main__", "__name__", "__init__"}:
                    self.refuse(f"has a string naming {found}", node)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            if name in DENIED_BUILTINS or _DUNDER.match(name):
                self.refuse(f"declares global {name}", node)

    def generic_visit(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            first = body[0].value
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self.docstrings.add(id(first))
        super().generic_visit(node)


def _parse(code_text: str, mode: str) -> ast.AST | Verdict:
    if len(code_text) > _MAX_CODE_CHARS:
        return Verdict(False, "is too long to run")
    try:
        return ast.parse(code_text, mode=mode)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        if mode == "exec":
            dedented = textwrap.dedent(code_text)
            if dedented != code_text:
                return _parse(dedented, mode)
        return Verdict(False, f"does not parse: {error}", getattr(error, "lineno", None))


def _judge(tree: ast.AST | Verdict) -> Verdict:
    if isinstance(tree, Verdict):
        return tree
    try:
        _Checker().visit(tree)
    except _Refusal as refusal:
        return Verdict(False, refusal.reason, refusal.line)
    except RecursionError:
        return Verdict(False, "is nested too deeply to check")
    return SAFE


def python_walls() -> bool:
    """Whether the Python-level first filter is on (it is, unless the tests turn it off)."""
    return os.environ.get("MINDGAP_SANDBOX_PYTHON_WALLS") != "0"


def check_code(code_text: str) -> Verdict:
    """Whether Python code (statements; an indented fragment is dedented) may be run."""
    parsed = _parse(code_text, "exec")
    return _judge(parsed) if python_walls() or isinstance(parsed, Verdict) else SAFE


def check_expression(expression: str) -> Verdict:
    """Whether one Python expression (a call the quiz wants evaluated) may be run."""
    parsed = _parse(expression, "eval")
    return _judge(parsed) if python_walls() or isinstance(parsed, Verdict) else SAFE
