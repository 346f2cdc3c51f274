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
them). A member used as an object itself (`self.options.max_width`, `ctx.command.name`) is a
stand-in too, one level down, its own members typed the same way and stated by their full
path (`self.options.max_width = 80`). A parameter or member of a kind nothing tells, that
the code only passes on (as an argument of a call, or returns), is an *opaque* object: the
prompt says so ("`stream` an object the code only passes on"), and any use of it beyond
being passed around - an attribute, an operator, truth, str(), ==, hash, iteration,
isinstance - marks the call as one whose outcome is no key (the sandbox's child reports
it as an error, as it does for package code that cannot run): whatever a question asks
then cannot depend on what the object is. An object that is stored to (other than `self`),
rebound, passed to anything but a stand-in's method (unless opaque), or whose member's kind
cannot be told (from annotations of the same class, use, name, truth tests) and is used
otherwise gets no stand-in: the function is not run.
"""

from __future__ import annotations

import ast
import builtins
import copy

from mindgap.gate.sandbox.child import UNAVAILABLE_REACHED

MAX_GIVEN = 6  # values stated in one prompt (attributes and results)
MAX_SILENT = 3  # methods that do nothing, stated as such

STAND_IN = "stand-in"  # the kind of a parameter fed by a stand-in object
OPAQUE = "opaque"  # the kind of what the code only passes on: an object no use may touch


def opaque_value(name: str) -> str:
    """How a call passes an opaque object, named by the path the prompt gives it."""
    return f"mindgap_opaque({name!r})"


BUILTIN_NAMES = frozenset(dir(builtins))  # type(x), callable(x), id(x) read an object silently
CALLED = "_mgcall_"  # `obj.m(...)` reads as the name `obj_mgcall_m` when its kind is guessed
READ = "_mgread_"  # `obj.a` reads as `obj_mgread_a`


def path_of(node: ast.AST) -> str | None:
    """`self.options` for the expression `self.options`; None for anything but names and
    attributes of names."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        above = path_of(node.value)
        return None if above is None else f"{above}.{node.attr}"
    return None


def token(holder: str) -> str:
    """A holder's path as one identifier (`self.options` -> `self_mgdot_options`)."""
    return holder.replace(".", "_mgdot_")


def _parents(function: ast.AST) -> dict[int, ast.AST]:
    found: dict[int, ast.AST] = {}
    for parent in ast.walk(function):
        for child in ast.iter_child_nodes(parent):
            found[id(child)] = parent
    return found


def uses(
    function: ast.FunctionDef | ast.AsyncFunctionDef, holder: str, holders: set[str]
) -> tuple[list[str], list[str], list[str], dict[str, list[str]]] | None:
    """(attributes read, methods whose result is used, methods whose result is discarded,
    attributes used as objects themselves with what is used of them) of `holder` - a name,
    or one level down a path like `self.options` - in the function, in order of first use
    (an attribute used as an object may also be read, called or discarded when what is
    used of it is a str, list or dict method: the caller decides); None when it is used
    otherwise (stored to, unless it is `self`; rebound, passed to something that is not a
    stand-in's method, a dunder, a member used as an object two levels down)."""
    parents = _parents(function)
    nested = "." in holder
    read: list[str] = []
    called: list[str] = []
    discarded: list[str] = []
    objects: dict[str, list[str]] = {}
    for node in ast.walk(function):
        if not isinstance(node, (ast.Name, ast.Attribute)) or path_of(node) != holder:
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
                if nested:
                    return None  # `self.a.b.c`: one level of stand-ins down, no more
                used = objects.setdefault(name, [])  # `ctx.command.name`: a stand-in too
                if above.attr not in used:
                    used.append(above.attr)
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
    if nested and holder.split(".", 1)[1] in stored(function):
        return None  # `self.options = ...` then `self.options.width`: not what was given
    return read, called, discarded, objects


def only_passed_on(
    function: ast.FunctionDef | ast.AsyncFunctionDef, path: str, called: bool = False
) -> bool:
    """Whether the code only passes `path` (`stream`, `self.handle`; with `called`, the result
    of `self.make_metavar(...)`) on: each use is an argument of a call to something that is
    no builtin (`type(x)` and `callable(x)` read an object without touching it), what it
    stores on `self`, or what it returns (not only that: no call could give a key). What
    it is then never matters to a run the sandbox accepts (OPAQUE_HELPER)."""
    parents = _parents(function)
    found = False
    for node in ast.walk(function):
        if not isinstance(node, (ast.Name, ast.Attribute)) or path_of(node) != path:
            continue
        if not isinstance(node.ctx, ast.Load):
            return False
        use: ast.AST = node
        parent = parents.get(id(node))
        if called:
            if not (isinstance(parent, ast.Call) and parent.func is node):
                return False
            use, parent = parent, parents.get(id(parent))
        if isinstance(parent, ast.Return):
            continue  # returned (the child's repr of it marks the call), and passed on too:
        found = True
        if (
            isinstance(parent, ast.Assign)
            and parent.value is use
            and all(path_of(t) == f"self.{getattr(t, 'attr', '')}" for t in parent.targets)
        ):
            continue  # `self.stream = stream`: kept as it is
        call = parents.get(id(parent)) if isinstance(parent, ast.keyword) else parent
        if not isinstance(call, ast.Call) or call.func is use:
            return False
        if isinstance(parent, ast.Call) and use not in parent.args:
            return False
        if isinstance(call.func, ast.Name) and call.func.id in BUILTIN_NAMES:
            return False
    return found


def _member_call(call: ast.Call, holders: set[str] | None = None) -> bool:
    """`obj.method(...)` of a stand-in `obj` (its arguments are ignored by the stand-in)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    holder = path_of(func.value)
    return holder is not None and (holders is None or holder in holders)


def as_names(
    function: ast.FunctionDef | ast.AsyncFunctionDef, holder: str
) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """A copy where `holder.a` reads as the name `holder_mgread_a` and `holder.m(...)` as
    `holder_mgcall_m` (a dotted holder through `token`): what the code does with them tells
    their kind."""
    named = token(holder)

    class Renamer(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            func = node.func
            if isinstance(func, ast.Attribute) and path_of(func.value) == holder:
                return ast.copy_location(ast.Name(named + CALLED + func.attr, ast.Load()), node)
            self.generic_visit(node)
            return node

        def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
            if path_of(node.value) == holder:
                return ast.copy_location(ast.Name(named + READ + node.attr, ast.Load()), node)
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
    return f"mindgap_si_{key.replace('.', '_')}_{holder.replace('.', '_')}"


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
        for attribute in state:  # an opaque object stored is no state to ask about
            lines += [
                "        try:",
                f"            if type(self.{attribute}) is not mindgap_Opaque:",
                f"                found[{attribute!r}] = repr(self.{attribute})",
                "        except AttributeError:",
                "            pass",
            ]
        lines.append("        return found")
    return "\n".join(lines) + "\n"


# What code that cannot run raises - a brought method the first filter refuses, a use of an
# opaque object: BaseException, so no `except Exception` of the code hides it, and its
# construction marks the call (the child reports it as an error, no key) even if caught.
UNAVAILABLE = "mindgap_Unavailable"
UNAVAILABLE_CLASS = f"""\
{UNAVAILABLE_REACHED} = []


class {UNAVAILABLE}(BaseException):
    def __init__(self):
        {UNAVAILABLE_REACHED}.append(1)
"""

# Any use of an opaque object but passing it around marks the call (the child then reports
# it as an error: no key can depend on what the object is). Special methods are looked up on
# the type, so each protocol gets its own; attributes (and isinstance's look at __class__)
# go through __getattribute__. repr() - the child showing a returned value - marks it too.
_TOUCHES = (
    *("getattribute", "setattr", "delattr", "bool", "len", "iter", "next", "reversed"),
    *("contains", "getitem", "setitem", "delitem", "eq", "ne", "lt", "le", "gt", "ge"),
    *("hash", "str", "format", "bytes", "int", "float", "index", "complex", "round"),
    *("enter", "exit", "neg", "pos", "abs", "invert", "call", "await"),
    *(
        f"{side}{op}"
        for op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul")
        for side in ("", "r", "i")
    ),
    *(f"{side}{op}" for op in ("and", "or", "xor", "lshift", "rshift") for side in ("", "r", "i")),
    *("divmod", "rdivmod"),
)
OPAQUE_HELPER = (
    UNAVAILABLE_CLASS
    + f"""

class mindgap_Opaque:
    __slots__ = ()

    def __repr__(self):
        {UNAVAILABLE_REACHED}.append(1)
        return "an object"
"""
    + "".join(
        f"""
    def __{name}__(self, *args, **kwargs):
        raise {UNAVAILABLE}()
"""
        for name in _TOUCHES
    )
    + """

mindgap_opaque_names = {}


def mindgap_opaque(name):
    made = mindgap_Opaque()
    mindgap_opaque_names[id(made)] = name
    return made


class mindgap_Named:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


def mindgap_shown(value):
    if type(value) is mindgap_Opaque:
        return mindgap_Named(mindgap_opaque_names.get(id(value), "an object"))
    return value
"""
)

HELPER = (
    OPAQUE_HELPER
    + """

import copy as mindgap_copy


def mindgap_fresh(value):
    if type(value) is mindgap_Opaque:
        return value
    return mindgap_copy.deepcopy(value)


def mindgap_after(method, holder, *args, **kwargs):
    method(holder, *args, **kwargs)
    return holder.mg_state()


mindgap_log_entries = []


def mindgap_log(name, args, kwargs):
    args = tuple(mindgap_shown(a) for a in args)  # an opaque object by its name
    kwargs = {k: mindgap_shown(v) for k, v in kwargs.items()}
    shown = repr(args[0]) if len(args) == 1 else repr(args)
    if kwargs:
        shown = repr(args) + " " + repr(kwargs)
    mindgap_log_entries.append((name, shown))


def mindgap_passed(result):
    return mindgap_log_entries
"""
)
