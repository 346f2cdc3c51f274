"""The key facts of a region, read from its syntax tree: what any fair explanation of it
mentions - its inputs, what it returns, its side effects, the names it calls - each with the
words that say it.

One of the three parts of the explanation check (with explain_vocabulary.py, how words are
compared, and explain.py, the check itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from mindgap.gate import facts as syntax
from mindgap.gate.explain_vocabulary import STOP_PARTS, split_identifier, words
from mindgap.gate.facts import Call, Node, Shape, Unit, compact, text_of


@dataclass(frozen=True)
class Fact:
    """One thing an explanation of the code should say.

    `words` are groups of acceptable words: the fact is covered when every group is matched
    by one of its alternatives. An alternative of several words ("total price") needs all of
    them, in any order; each word also matches its stem and its synonyms.
    """

    kind: str  # "input" | "returns" | "side-effect" | "calls"
    label: str  # human: "takes `prices`", "returns `sum(prices)`", "raises `ValueError`"
    words: tuple[frozenset[str], ...]
    required: bool = False  # inputs of functions and a returned value must be covered
    line: int = 0  # 1-based line in the file where the fact shows
    subject: str = ""  # the name the fact is about, if any


# --- Key facts ----------------------------------------------------------------------------


def key_facts(
    language: str, source: bytes, tree: tree_sitter.Tree, start_byte: int, end_byte: int
) -> list[Fact]:
    """The key facts of the code in [start_byte, end_byte) of `source` (the whole document,
    parsed into `tree`): per function, its inputs, what it returns, its side effects and the
    names it calls; then the same for the statements outside functions. ValueError for a
    language without a shape."""
    shape = syntax.shape_of(language)
    scopes = syntax.Scopes(shape, tree.root_node, start_byte, end_byte)
    found = syntax.units(language, source, tree, start_byte, end_byte, scopes)
    named_functions = sum(1 for unit in found if unit.is_function)
    result: list[Fact] = []
    for unit in found:
        prefix = f"`{unit.name}` " if unit.is_function and named_functions > 1 else ""
        result.extend(_unit_facts(shape, scopes, unit, prefix, language))
    return _dedupe(result)


def _dedupe(found: list[Fact]) -> list[Fact]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for fact in found:
        if (fact.kind, fact.label) not in seen:
            seen.add((fact.kind, fact.label))
            unique.append(fact)
    return unique


def _line(node: Node) -> int:
    return node.start_point.row + 1


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return f"`{text}`"


def name_alternatives(name: str) -> frozenset[str]:
    """The ways to mention a name: its words ("total price"), all but one of them when there
    are three or more, or written as one word."""
    parts = split_identifier(name)
    content = [p for p in parts if p not in STOP_PARTS] or parts
    if not content:
        return frozenset({name.lower()})
    alternatives = {" ".join(content)}
    if len(content) >= 3:
        for skipped in range(len(content)):
            alternatives.add(" ".join(content[:skipped] + content[skipped + 1 :]))
    if len(parts) > 1:
        alternatives.add("".join(parts))
    return frozenset(alternatives)


def _unit_facts(
    shape: Shape, scopes: syntax.Scopes, unit: Unit, prefix: str, language: str
) -> list[Fact]:
    result: list[Fact] = []
    if unit.is_function:
        for param in unit.inputs:
            name = text_of(param)
            result.append(
                Fact(
                    "input",
                    f"{prefix}takes {_quote(name)}",
                    (name_alternatives(name),),
                    required=True,
                    line=_line(param),
                    subject=name,
                )
            )
    else:
        for free in unit.free_names[:5]:
            name = text_of(free)
            result.append(
                Fact(
                    "input",
                    f"uses {_quote(name)}",
                    (name_alternatives(name),),
                    line=_line(free),
                    subject=name,
                )
            )
    result.extend(_returns(unit, prefix))
    effects = [
        *_assignment_facts(shape, unit, prefix),
        *_raise_facts(shape, unit, prefix),
        *_call_facts(shape, scopes, unit, prefix, language),
    ]
    result.extend(sorted(effects, key=lambda fact: fact.line))
    return result


# Returns ----------------------------------------------------------------------------------

_OPERATOR_WORDS: dict[str, tuple[str, ...]] = {
    "+": ("sum", "add", "plus", "total", "concatenate", "combine", "join"),
    "-": ("difference", "subtract", "minus", "less"),
    "*": ("product", "multiply", "times", "double", "twice"),
    "/": ("divide", "quotient", "ratio", "half", "average", "per"),
    "//": ("divide", "quotient", "half", "integer", "floor"),
    "%": ("remainder", "modulo", "mod", "even", "odd", "divisible"),
    "**": ("power", "exponent", "square", "cube"),
}
_COMPARISON_WORDS = (
    "whether", "true", "false", "boolean", "bool", "check", "compare", "equal", "greater",
    "less", "more", "larger", "smaller", "bigger", "than", "exceed", "above", "below",
    "contain", "include", "empty", "valid", "matches",
)  # fmt: skip
_COMPARISON_OPERATORS = frozenset(
    {"==", "!=", "===", "!==", "<", ">", "<=", ">=", "and", "or", "not", "&&", "||", "!",
     "in", "is"}
)  # fmt: skip
_LITERAL_WORDS = {
    "true": "true", "false": "false", "none": "none", "null": "none", "nil": "none",
    "undefined": "none",
}  # fmt: skip
_COLLECTION_WORDS = {
    "list": ("list",),
    "array": ("list",),
    "list_comprehension": ("list", "each", "every", "map", "filter"),
    "array_comprehension": ("list", "each"),
    "dictionary": ("dict",),
    "dictionary_comprehension": ("dict", "each", "every"),
    "object": ("dict",),
    "tuple": ("tuple", "pair", "both"),
    "expression_list": ("tuple", "pair", "both"),
    "set": ("set", "unique", "distinct"),
    "set_comprehension": ("set", "unique", "distinct"),
    "generator_expression": ("each", "every", "iterator", "generator"),
    "composite_literal": ("struct", "new", "create"),
    "struct_expression": ("struct", "new", "create"),
    "object_creation_expression": ("new", "create"),
    "new_expression": ("new", "create"),
}
_IDENTIFIER_LEAVES = frozenset(
    {
        "identifier",
        "property_identifier",
        "field_identifier",
        "type_identifier",
        "shorthand_property_identifier",
        "shorthand_field_identifier",
        "package_identifier",
    }
)
_STRING_LEAVES = frozenset(
    {"string_content", "string_fragment", "interpreted_string_literal_content"}
)


def _expression_words(node: Node) -> tuple[set[str], set[str]]:
    """(content words, single-letter words) of an expression: its names, literals and the
    words for its operators."""
    content: set[str] = set()
    letters: set[str] = set()
    for leaf in syntax.walk([node]):
        if leaf.child_count and leaf.type not in _STRING_LEAVES:
            if leaf.type in _COLLECTION_WORDS:
                content.update(_COLLECTION_WORDS[leaf.type])
            continue
        text = text_of(leaf)
        lowered = text.lower()
        if leaf.type in _IDENTIFIER_LEAVES:
            if text in ("self", "this", "cls"):
                continue
            if lowered in _LITERAL_WORDS:
                content.add(_LITERAL_WORDS[lowered])
                continue
            for part in split_identifier(text):
                if part in STOP_PARTS and len(split_identifier(text)) > 1:
                    continue
                (letters if len(part) == 1 else content).add(part)
        elif lowered in _LITERAL_WORDS:
            content.add(_LITERAL_WORDS[lowered])
        elif leaf.type in _STRING_LEAVES:
            content.update(w.lower() for w in words(text) if len(w) > 1)
        elif not leaf.is_named and text in _OPERATOR_WORDS:
            content.update(_OPERATOR_WORDS[text])
        elif not leaf.is_named and text in _COMPARISON_OPERATORS:
            content.update(_COMPARISON_WORDS)
        elif leaf.is_named and any(c.isdigit() for c in text):
            content.add(text.rstrip("lLuUfF"))
    return content, letters


def _kind_words(node: Node) -> set[str]:
    """Words that say what kind of value the top of an expression makes: `a + b` -> sum,
    add...; `len(x) > 0` -> whether, true...; `sorted(x)` -> sorted."""
    while node.type in ("parenthesized_expression", "expression_statement") and node.named_children:
        node = node.named_children[0]
    found: set[str] = set()
    for child in node.children:
        if not child.is_named and child.type in _OPERATOR_WORDS:
            found.update(_OPERATOR_WORDS[child.type])
        elif not child.is_named and child.type in _COMPARISON_OPERATORS:
            found.update(_COMPARISON_WORDS)
    if node.type in ("comparison_operator", "boolean_operator", "not_operator", "true", "false"):
        found.update(_COMPARISON_WORDS)
    if node.type in _COLLECTION_WORDS:
        found.update(_COLLECTION_WORDS[node.type])
    function = node.child_by_field_name("function") or node.child_by_field_name("name")
    if node.type in ("call", "call_expression", "method_invocation") and function is not None:
        found.update(split_identifier(syntax.last_name(function)))
    return found


def _returns(unit: Unit, prefix: str) -> list[Fact]:
    if unit.yields:
        values = [v.named_children[0] for v in unit.yields if v.named_children]
        verb, kind = "yields", {"yield"}
    elif unit.returns:
        values, verb, kind = unit.returns, "returns", {"return"}
    elif unit.is_function:
        if unit.name in ("__init__", "constructor") or (
            unit.node is not None and unit.node.type == "constructor_declaration"
        ):
            return []  # a constructor returning nothing goes without saying
        node = unit.bare_returns[0] if unit.bare_returns else unit.node
        assert node is not None
        nothing = frozenset({"nothing", "none", "void", "no value", "not return", "no result"})
        return [Fact("returns", f"{prefix}returns nothing", (nothing,), line=_line(node))]
    else:
        return []
    content: set[str] = set()
    letters: set[str] = set()
    for value in values:
        if text_of(value) in ("self", "this"):
            content |= {"itself", "self", "this", "object", "instance", "chain"}
        more, single = _expression_words(value)
        content |= more
        letters |= single
        kind |= _kind_words(value)
    if not content:
        content = letters or {"value"}
    shown = list(dict.fromkeys(compact_text(v) for v in values))
    label = " or ".join(_quote(text, 30) for text in shown[:2]) + (" ..." if len(shown) > 2 else "")
    first = values[0] if values else (unit.yields[0] if unit.yields else unit.node)
    assert first is not None
    return [
        Fact(
            "returns",
            f"{prefix}{verb} {label}".rstrip(),
            (frozenset(kind), frozenset(content | letters)),
            required=True,
            line=_line(first),
        )
    ]


def compact_text(node: Node) -> str:
    return " ".join(text_of(node).split())


# Side effects -----------------------------------------------------------------------------


def _member_name(shape: Shape, node: Node) -> str:
    if node.type in shape.subscripts:
        node = (
            node.child_by_field_name("object")
            or node.child_by_field_name("value")
            or node.child_by_field_name("operand")
            or node.child_by_field_name("array")
            or (node.named_children[0] if node.named_children else node)
        )
    if node.type in shape.members:
        return syntax.last_name(node)
    return text_of(node)


def _assignment_facts(shape: Shape, unit: Unit, prefix: str) -> list[Fact]:
    result = []
    for assignment in unit.assignments:
        target = assignment.target
        subject = _member_name(shape, target)
        shown = _quote(compact(target), 30)
        operator = assignment.operator
        if target.type in shape.subscripts:
            verb, verbs = "stores an item in", {"set", "add", "insert"}
            shown = _quote(compact(_subscript_object(shape, target)), 30)
        elif operator in ("+=", "++"):
            verb, verbs = "increases", {"increase", "set"}
        elif operator in ("-=", "--"):
            verb, verbs = "decreases", {"decrease", "set"}
        elif operator in ("=", ":="):
            verb, verbs = "sets", {"set"}
        else:
            verb, verbs = "updates", {"set"}
        result.append(
            Fact(
                "side-effect",
                f"{prefix}{verb} {shown}",
                (frozenset(verbs), name_alternatives(subject)),
                line=_line(assignment.node),
                subject=subject,
            )
        )
    return result


def _subscript_object(shape: Shape, node: Node) -> Node:
    for name in ("object", "value", "operand", "array"):
        inner = node.child_by_field_name(name)
        if inner is not None:
            return inner
    return node.named_children[0] if node.named_children else node


def _raise_facts(shape: Shape, unit: Unit, prefix: str) -> list[Fact]:
    result = []
    raise_words = frozenset({"raise"})
    for node in unit.raises:
        if node.type in shape.asserts:
            condition = node.named_children[0] if node.named_children else node
            label = f"{prefix}asserts {_quote(compact_text(condition), 30)}"
            result.append(Fact("side-effect", label, (raise_words | {"check"},), line=_line(node)))
            continue
        if node.type in shape.calls:  # panic(...), panic!(...)
            label = f"{prefix}panics"
            result.append(Fact("side-effect", label, (raise_words,), line=_line(node)))
            continue
        thrown = node.named_children[0] if node.named_children else None
        if thrown is None:
            label = f"{prefix}re-raises the exception it caught"
        else:
            call = syntax.call_of(shape, thrown) if thrown.type in shape.calls else None
            label = f"{prefix}raises {_quote(call.name if call else text_of(thrown), 30)}"
        result.append(Fact("side-effect", label, (raise_words,), line=_line(node)))
    if unit.propagations:
        node = unit.propagations[0]
        label = f"{prefix}passes errors on to its caller (`?`)"
        words_ = frozenset({"error", "fail", "propagate", "pass on", "early"})
        result.append(Fact("side-effect", label, (words_,), line=_line(node)))
    return result


# Calls ------------------------------------------------------------------------------------

_OUTPUT_NAMES = frozenset(
    {"print", "pprint", "println!", "print!", "eprintln!", "eprint!", "dbg!", "Println",
     "Printf", "Print", "Fprintf", "Fprintln", "Fprint"}
)  # fmt: skip
_OUTPUT_RECEIVERS = frozenset({"console", "System.out", "System.err", "fmt", "sys.stdout"})
_LOG_LEVELS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "trace",
     "log", "Print", "Println", "Printf", "Fatal", "Fatalf", "Fatalln", "severe", "fine"}
)  # fmt: skip
_LOG_MACROS = frozenset({"info!", "warn!", "error!", "debug!", "trace!", "log!"})

_IO_WORDS: dict[str, tuple[str, ...]] = {
    "open": ("open", "file", "read", "write"),
    "input": ("input", "ask", "prompt", "read", "user"),
    "read": ("read", "load", "file"),
    "write": ("write", "save", "file"),
    "delete": ("delete", "remove", "file"),
    "mkdir": ("directory", "create", "folder"),
    "request": ("request", "fetch", "download", "send", "call"),
    "run": ("run", "command", "process", "execute", "shell"),
    "sleep": ("sleep",),
    "exists": ("check", "exist", "file"),
}
_IO_NAMES: dict[str, str] = {
    "open": "open",
    "input": "input",
    "readline": "input",
    "read_text": "read",
    "read_bytes": "read",
    "readFile": "read",
    "readFileSync": "read",
    "ReadFile": "read",
    "readAllLines": "read",
    "readString": "read",
    "read_to_string": "read",
    "load": "read",
    "write_text": "write",
    "write_bytes": "write",
    "writeFile": "write",
    "writeFileSync": "write",
    "appendFile": "write",
    "appendFileSync": "write",
    "WriteFile": "write",
    "writeString": "write",
    "dump": "write",
    "remove": "delete",
    "unlink": "delete",
    "unlinkSync": "delete",
    "rmtree": "delete",
    "rmdir": "delete",
    "Remove": "delete",
    "RemoveAll": "delete",
    "remove_file": "delete",
    "mkdir": "mkdir",
    "makedirs": "mkdir",
    "mkdirSync": "mkdir",
    "MkdirAll": "mkdir",
    "Mkdir": "mkdir",
    "create_dir_all": "mkdir",
    "fetch": "request",
    "urlopen": "request",
    "get": "request",
    "post": "request",
    "put": "request",
    "request": "request",
    "Get": "request",
    "Post": "request",
    "Do": "request",
    "run": "run",
    "call": "run",
    "check_call": "run",
    "check_output": "run",
    "Popen": "run",
    "exec": "run",
    "execSync": "run",
    "spawn": "run",
    "Command": "run",
    "system": "run",
    "sleep": "sleep",
    "Sleep": "sleep",
    "exists": "exists",
    "isfile": "exists",
    "isdir": "exists",
    "Stat": "exists",
}
_IO_MODULES = frozenset(
    {"os", "shutil", "subprocess", "requests", "httpx", "socket", "urllib", "fs", "axios",
     "http", "https", "child_process", "ioutil", "exec", "File", "Files", "time", "pathlib",
     "io"}
)  # fmt: skip
_IO_BARE = frozenset({"open", "input", "fetch", "urlopen"})
_IO_ANY_RECEIVER = frozenset(
    {"read_text", "read_bytes", "write_text", "write_bytes", "readFile", "writeFile",
     "readFileSync", "writeFileSync", "appendFile", "appendFileSync", "unlinkSync", "rmtree",
     "makedirs", "mkdirSync", "urlopen", "read_to_string", "remove_file", "create_dir_all"}
)  # fmt: skip
_PURE_PATH = frozenset(
    {"join", "basename", "dirname", "splitext", "abspath", "normpath", "relpath", "split",
     "expanduser", "Join", "Base", "Dir", "Ext"}
)  # fmt: skip

_MUTATORS: dict[str, str] = {
    **dict.fromkeys(
        ("append", "push", "add", "insert", "extend", "appendleft", "unshift", "addAll",
         "push_str", "push_back", "push_front", "offer", "enqueue"),
        "adds to",
    ),
    **dict.fromkeys(
        ("pop", "remove", "discard", "delete", "shift", "splice", "popleft", "removeAll",
         "clear", "truncate", "retain", "drain", "pop_back", "pop_front", "poll", "dequeue"),
        "removes from",
    ),
    "sort": "sorts",
    "reverse": "reverses",
    **dict.fromkeys(("update", "setdefault", "put", "set", "putAll", "Store"), "updates"),
    **dict.fromkeys(
        ("write", "writelines", "send", "emit", "flush", "Write", "WriteString"), "writes to"
    ),
}  # fmt: skip


def _receiver_text(call: Call) -> str:
    return compact(call.receiver) if call.receiver is not None else ""


def _output_kind(call: Call) -> str | None:
    receiver = _receiver_text(call)
    receiver_words = split_identifier(receiver.rsplit(".", 1)[-1]) if receiver else []
    if call.name in _LOG_MACROS or (
        call.name in _LOG_LEVELS and ({"log", "logger", "logging"} & set(receiver_words))
    ):
        return "log"
    if call.receiver is None and call.name in _OUTPUT_NAMES:
        return "print"
    if receiver in _OUTPUT_RECEIVERS and (
        call.name in _OUTPUT_NAMES or receiver == "console" or receiver.startswith("System.")
    ):
        return "print"
    return None


def _io_kind(call: Call) -> str | None:
    receiver = _receiver_text(call)
    root = re.split(r"[.:]", receiver, maxsplit=1)[0] if receiver else ""
    if receiver in ("os.path", "filepath", "path") and call.name in _PURE_PATH:
        return None
    if call.receiver is None and call.name in _IO_BARE:
        return _IO_NAMES[call.name]
    if call.name in _IO_ANY_RECEIVER:
        return _IO_NAMES[call.name]
    if call.name in ("sleep", "Sleep") and root in ("time", "thread", "Thread", "asyncio"):
        return "sleep"
    if root in _IO_MODULES and root != "time":
        return _IO_NAMES.get(call.name, "run" if root in ("subprocess", "child_process") else "io")
    return None


def _call_facts(
    shape: Shape, scopes: syntax.Scopes, unit: Unit, prefix: str, language: str
) -> list[Fact]:
    result: list[Fact] = []
    params = {text_of(n) for n in unit.inputs}
    called: set[str] = set()
    for call in unit.calls:
        line = _line(call.node)
        output = _output_kind(call)
        if output == "print":
            result.append(
                Fact("side-effect", f"{prefix}prints output ({_quote(call.callee, 30)})",
                     (frozenset({"print"}),), line=line, subject=call.name)
            )  # fmt: skip
            continue
        if output == "log":
            result.append(
                Fact("side-effect", f"{prefix}logs a message ({_quote(call.callee, 30)})",
                     (frozenset({"log"}),), line=line, subject=call.name)
            )  # fmt: skip
            continue
        io = _io_kind(call)
        if io is not None:
            choices = frozenset(_IO_WORDS.get(io, ())) | name_alternatives(call.name)
            result.append(
                Fact("side-effect", f"{prefix}does I/O: {_quote(call.callee, 30)}",
                     (choices,), line=line, subject=call.name)
            )  # fmt: skip
            continue
        receiver = call.receiver
        if (
            language == "go"
            and call.name == "delete"
            and receiver is None
            and _first_argument(call.node) is not None
        ):
            receiver = _first_argument(call.node)
        if call.name in _MUTATORS and receiver is not None:
            root = syntax.root_of(shape, receiver)
            if syntax.is_outside(shape, scopes, unit, root, params) and not (
                syntax.is_self(shape, receiver)
            ):
                subject = _member_name(shape, receiver)
                verb = _MUTATORS[call.name]
                result.append(
                    Fact(
                        "side-effect",
                        f"{prefix}{verb} {_quote(compact(receiver), 30)}",
                        (name_alternatives(call.name), name_alternatives(subject)),
                        line=line,
                        subject=subject,
                    )
                )
                continue
            if not syntax.is_self(shape, receiver):
                continue  # changing a local collection: part of how, not what
        if call.name in shape.ignored_calls or call.name in called:
            continue
        called.add(call.name)
        bare = call.name.rstrip("!")
        if unit.is_function and bare == unit.name:
            recursion = frozenset({"recurse", "itself"}) | name_alternatives(bare)
            result.append(
                Fact("calls", f"{prefix}calls itself (recursion)", (recursion,), line=line,
                     subject=bare)
            )  # fmt: skip
            continue
        creates = call.callee.startswith("new ") or (
            bare[:1].isupper() and any(c.islower() for c in bare) and language == "python"
        )
        verb = "creates a" if creates else "calls"
        shown = call.callee[4:] if call.callee.startswith("new ") else call.callee
        result.append(
            Fact("calls", f"{prefix}{verb} {_quote(shown, 30)}", (name_alternatives(bare),),
                 line=line, subject=bare)
        )  # fmt: skip
    return result


def _first_argument(node: Node) -> Node | None:
    arguments = node.child_by_field_name("arguments")
    if arguments is None or not arguments.named_children:
        return None
    return arguments.named_children[0]
