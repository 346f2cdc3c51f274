"""Stand-in objects: running a function that takes objects it uses only through their
attributes and methods, with every value those give stated in the question.

Most library code takes objects (`ctx`, `param`, `self`) and asks them for values:
`ctx.lookup_default(self.name)`, `self.show_pos`, `param.nargs == 1`. What the function
does with those values is its logic, and it can be traced once the values are known. So a
parameter (or `self`) used only as `obj.attr` or `obj.method(...)` - and passed on only as an
argument of such calls - gets a stand-in in the sandbox: a small class holding the given
attribute values, whose methods return the given results whatever their arguments (a fresh
copy each call) or do nothing when the code discards what they return. The values are chosen
like any input (test-writer pools, one per distinct path); the prompt states every one:

    With `self.default = 3` and `ctx.lookup_default(…)` returning None, what does
    `self.get_default(ctx)` return?

A method may store attributes on `self` (the stand-in holds them, and a later read sees
them). An object whose member is itself used as an object (`ctx.command.name`), that is
stored to (other than `self`), rebound, passed to anything but a stand-in's method, or
whose member's kind cannot be told (from annotations of the same class, use, name, truth
tests) gets no stand-in: the function is not run.
"""

from __future__ import annotations

import ast
import copy

MAX_GIVEN = 6  # values stated in one prompt (attributes and results)
MAX_SILENT = 3  # methods that do nothing, stated as such

STAND_IN = "stand-in"  # the kind of a parameter fed by a stand-in object
CALLED = "_mgcall_"  # `obj.m(...)` reads as the name `obj_mgcall_m` when its kind is guessed
READ = "_mgread_"  # `obj.a` reads as `obj_mgread_a`


def _parents(function: ast.AST) -> dict[int, ast.AST]:
    found: dict[int, ast.AST] = {}
    for parent in ast.walk(function):
        for child in ast.iter_child_nodes(parent):
            found[id(child)] = parent
    return found


def uses(
    function: ast.FunctionDef | ast.AsyncFunctionDef, holder: str, holders: set[str]
) -> tuple[list[str], list[str], list[str]] | None:
    """(attributes read, methods whose result is used, methods whose result is discarded) of
    `holder` in the function, in order of first use; None when it is used otherwise (stored
    to, unless it is `self`; rebound, a member used as an object, passed to something that
    is not a stand-in's method, a dunder)."""
    parents = _parents(function)
    read: list[str] = []
    called: list[str] = []
    discarded: list[str] = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == holder):
            continue
        if not isinstance(node.ctx, ast.Load):
            return None
        parent = parents.get(id(node))
        if isinstance(parent, ast.Attribute) and parent.value is node:
            name = parent.attr
            if name.startswith("__"):
                return None
            if not isinstance(parent.ctx, ast.Load):
                if holder != "self" or not isinstance(parent.ctx, ast.Store):
                    return None
                continue  # `self.count = 0`: the stand-in holds what the method stores
            above = parents.get(id(parent))
            if isinstance(above, ast.Call) and above.func is parent:
                outer = parents.get(id(above))
                into = discarded if isinstance(outer, ast.Expr) else called
                if name not in into:
                    into.append(name)
            elif isinstance(above, ast.Attribute):
                return None  # `ctx.command.name`: the member is an object itself
            elif name not in read:
                read.append(name)
        elif isinstance(parent, (ast.Call, ast.keyword)):
            if isinstance(parent, ast.Call) and node is parent.func:
                return None  # the object called itself
            call = parent if isinstance(parent, ast.Call) else parents.get(id(parent))
            if not (isinstance(call, ast.Call) and _member_call(call, holders)):
                return None  # passed on to code that may use it any way
        else:
            return None
    discarded = [name for name in discarded if name not in called]
    if set(read) & (set(called) | set(discarded)):
        return None  # a method read as a value and called: no one stand-in for both
    return read, called, discarded


def _member_call(call: ast.Call, holders: set[str] | None = None) -> bool:
    """`obj.method(...)` of a stand-in `obj` (its arguments are ignored by the stand-in)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and (holders is None or func.value.id in holders)
    )


def as_names(
    function: ast.FunctionDef | ast.AsyncFunctionDef, holder: str
) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """A copy where `holder.a` reads as the name `holder_mgread_a` and `holder.m(...)` as
    `holder_mgcall_m`: what the code does with them tells their kind."""

    class Renamer(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == holder
            ):
                return ast.copy_location(ast.Name(holder + CALLED + func.attr, ast.Load()), node)
            self.generic_visit(node)
            return node

        def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
            if isinstance(node.value, ast.Name) and node.value.id == holder:
                return ast.copy_location(ast.Name(holder + READ + node.attr, ast.Load()), node)
            self.generic_visit(node)
            return node

    copied = Renamer().visit(copy.deepcopy(function))
    assert isinstance(copied, (ast.FunctionDef, ast.AsyncFunctionDef))
    return copied


def assigned_from(function: ast.AST, name: str) -> list[str]:
    """Locals that take the value of the name `name` directly (`value = <name>`)."""
    return [
        node.targets[0].id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Name)
        and node.value.id == name
    ]


def truth_tested(function: ast.AST, name: str) -> bool:
    """Whether the name is used as a condition (`if x:`, `not x`, `x and y`)."""
    for node in ast.walk(function):
        tests: list[ast.AST] = []
        if isinstance(node, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            tests = [node.test]
        elif isinstance(node, ast.BoolOp):
            tests = list(node.values)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            tests = [node.operand]
        if any(isinstance(t, ast.Name) and t.id == name for t in tests):
            return True
    return False


def class_name(key: str, holder: str) -> str:
    return f"mindgap_si_{key.replace('.', '_')}_{holder}"


def stored(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The attributes a method stores on `self` (`self.count = 0`, `self.total += n`)."""
    found: list[str] = []
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and node.attr not in found
        ):
            found.append(node.attr)
    return found


def class_source(
    name: str,
    read: list[str],
    called: list[str],
    discarded: list[str],
    state: list[str] | None = None,
    holder: str = "",
) -> str:
    """A stand-in class: the given attribute values and method results come in through the
    constructor (in `read` then `called` order); methods ignore their arguments, return a
    copy of their given result (a list the code changes is new at each call), or None.
    With `state` (a method's `self`), `mg_state()` gives the repr of each of those attributes
    as they are after the call (one never set is left out). A method that does nothing logs
    what it was passed, as `holder.method(args)` (exec_passes)."""
    fields = [f"mg_{n}" for n in [*read, *called]]
    lines = [f"class {name}:", f"    def __init__(self, {', '.join(fields)}):" if fields else ""]
    if not fields:
        lines[1] = "    def __init__(self):"
    body = [f"        self.{n} = mg_{n}" for n in read]
    body += [f"        self.mg_result_{n} = mg_{n}" for n in called]
    lines += body or ["        pass"]
    for method in called:
        lines += [
            "",
            f"    def {method}(self, *args, **kwargs):",
            f"        return mindgap_fresh(self.mg_result_{method})",
        ]
    for method in discarded:
        lines += [
            "",
            f"    def {method}(self, *args, **kwargs):",
            f"        mindgap_log({f'{holder}.{method}'!r}, args, kwargs)",
        ]
    if state:
        lines += ["", "    def mg_state(self):", "        found = {}"]
        for attribute in state:
            lines += [
                "        try:",
                f"            found[{attribute!r}] = repr(self.{attribute})",
                "        except AttributeError:",
                "            pass",
            ]
        lines.append("        return found")
    return "\n".join(lines) + "\n"


HELPER = """\
import copy as mindgap_copy


def mindgap_fresh(value):
    return mindgap_copy.deepcopy(value)


def mindgap_after(method, holder, *args, **kwargs):
    method(holder, *args, **kwargs)
    return holder.mg_state()


mindgap_log_entries = []


def mindgap_log(name, args, kwargs):
    shown = repr(args[0]) if len(args) == 1 else repr(args)
    if kwargs:
        shown = repr(args) + " " + repr(kwargs)
    mindgap_log_entries.append((name, shown))


def mindgap_passed(result):
    return mindgap_log_entries
"""
