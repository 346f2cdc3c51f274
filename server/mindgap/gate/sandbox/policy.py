"""The first filter: which Python code may be sent to the sandbox at all.

A static check (stdlib `ast`: parsing executes nothing) refuses code that imports anything but
pure modules, names open/eval/exec/__import__/getattr and friends or side-effecting modules
(os, sys, subprocess, socket...), reads dunder attributes other than a few harmless ones, looks
attributes up by computed names through library functions, evaluates strings as annotations,
or touches frame, traceback and garbage-collector internals. Honest AI-written code that does
I/O is refused here, so that no question is asked about it.

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
import textwrap
from dataclasses import dataclass

ALLOWED_MODULES = frozenset(
    {
        "__future__",
        "abc",
        "bisect",
        "cmath",
        "collections",
        "collections.abc",
        "copy",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
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
_DUNDER = re.compile(r"^__\w+__$")
_DUNDER_IN_TEXT = re.compile(r"__[A-Za-z_]\w*__")
_MAX_CODE_CHARS = 200_000
_LOOKS_LIKE_CODE = re.compile(r"[()=;:]|\blambda\b")


def _is_type_expression(node: ast.expr, strings: bool = True) -> bool:
    """int, pkg.Type, list[int], Optional["Node"], int | None, Callable[[int], str], None."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return isinstance(node, ast.Name) or _is_type_expression(node.value, strings)
    if isinstance(node, ast.Constant):
        return (
            node.value is None
            or node.value is Ellipsis
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


class _Checker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.docstrings: set[int] = set()

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
            self.refuse("has a relative import", node)
        module = node.module or ""
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

    def visit_Name(self, node: ast.Name) -> None:
        name = node.id
        if name in DENIED_BUILTINS:
            self.refuse(f"uses {name}", node)
        if name in DENIED_MODULE_NAMES:
            self.refuse(f"uses the module {name}", node)
        stored = isinstance(node.ctx, ast.Store) and name not in {"__class__", "__dict__"}
        if _DUNDER.match(name) and name not in SAFE_DUNDER_NAMES and not stored:
            self.refuse(f"uses the name {name}", node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attribute = node.attr
        if attribute in DENIED_ATTRIBUTES:
            self.refuse(f"uses the attribute .{attribute}", node)
        if _DUNDER.match(attribute) and attribute not in SAFE_DUNDER_ATTRIBUTES:
            self.refuse(f"reads the attribute {attribute}", node)
        if attribute in DENIED_MODULE_NAMES:  # typing.sys, dataclasses.inspect
            self.refuse(f"reaches the module {attribute}", node)
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
        literal = isinstance(receiver, (ast.Constant, ast.JoinedStr))
        if name == "format" and receiver is not None and not literal:
            # "{0.__globals__}" built at run time reaches attributes by name
            self.refuse("formats with a template computed at run time", node)
        self.generic_visit(node)

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
