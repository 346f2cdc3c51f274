"""The explanation check: does the developer's own description cover the code's key facts?

`key_facts` reads, from the syntax tree, what any fair explanation of a region mentions: its
inputs, what it returns, its side effects and the names it calls. `check_explanation` looks
for each fact in the explanation (case-insensitive, identifiers split into words, light
stemming, synonyms for common verbs and abbreviations) and refuses an explanation that
merely repeats the code, its comments or its docstring.

The pass rule: the explanation is not a copy, it covers every required fact (each input of a
function and what it returns, when it returns a value) and at least half (rounded up) of the
other facts (side effects, calls, "returns nothing", names a snippet reads).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import tree_sitter

from mindgap.gate import facts as syntax
from mindgap.gate.facts import Call, Node, Shape, Unit, compact, text_of

__all__ = [
    "ExplanationResult",
    "Fact",
    "FactCoverage",
    "check_explanation",
    "key_facts",
    "split_identifier",
    "stem",
    "words",
]


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


@dataclass(frozen=True)
class FactCoverage:
    fact: Fact
    covered: bool
    matched: tuple[str, ...] = ()  # per group, the alternative found


@dataclass(frozen=True)
class ExplanationResult:
    passed: bool
    coverage: tuple[FactCoverage, ...]
    copied: str | None  # why the explanation counts as a copy of the code; None if it does not
    message: str  # for the developer: what is covered, what is missing, or why it is refused
    needed_optional: int  # how many of the optional facts the rule asks for

    @property
    def covered(self) -> list[Fact]:
        return [c.fact for c in self.coverage if c.covered]

    @property
    def missing(self) -> list[Fact]:
        return [c.fact for c in self.coverage if not c.covered]

    def to_dict(self) -> dict[str, object]:
        """For the ledger: the evidence of an explanation attempt."""
        return {
            "passed": self.passed,
            "copied": self.copied,
            "message": self.message,
            "covered": [c.fact.label for c in self.coverage if c.covered],
            "missing": [c.fact.label for c in self.coverage if not c.covered],
        }


# --- Words --------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[A-Za-z]+|[0-9]+(?:\.[0-9]+)?")


def split_identifier(name: str) -> list[str]:
    """`total_price` / `totalPrice` / `TotalPRICE` -> ["total", "price"], lowercased."""
    parts: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        for piece in _CAMEL.split(chunk):
            parts.extend(p.lower() for p in _WORD.findall(piece))
    return parts


def words(text: str) -> list[str]:
    """The words of a text, identifiers split: "Returns total_price." -> returns, total, price."""
    found: list[str] = []
    for token in re.findall(r"[A-Za-z0-9_]+(?:\.[0-9]+)?", text):
        found.extend(split_identifier(token) if not token[0].isdigit() else [token])
    return found


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light stemmer that maps the usual inflections to one form: returns, returned,
    returning -> "return"; prices, price -> "pric"; queries, query -> "query"."""
    word = word.lower()
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y")):
        if word.endswith(suffix) and len(word) > 4:
            word = word[: -len(suffix)] + replacement
            break
    else:
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                if suffix == "s" and word.endswith(("ss", "us", "is")):
                    continue
                word = word[: -len(suffix)]
                break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


# Words that mean the same thing in an explanation of code. A word matches any member of
# any class it belongs to; members of several words need all of them ("give back").
_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("return", "give back", "give", "yield", "produce", "result", "output", "evaluate",
     "hand back", "answer", "compute", "calculate", "determine", "report"),
    ("yield", "generate", "produce", "emit", "stream", "one at a time", "lazily", "iterator",
     "generator"),
    ("raise", "throw", "error", "exception", "fail", "panic", "abort", "reject", "crash",
     "errorf"),
    ("print", "output", "display", "show", "write", "echo", "emit", "log", "console", "stdout"),
    ("log", "logging", "logger", "record", "report", "warn", "warning", "print", "output",
     "write"),
    ("append", "add", "push", "insert", "extend", "put", "enqueue", "collect", "accumulate"),
    ("remove", "delete", "pop", "discard", "drop", "erase", "evict", "dequeue", "unlink",
     "take out"),
    ("clear", "empty", "reset", "wipe"),
    ("sort", "order", "arrange", "rank"),
    ("reverse", "invert", "flip", "backwards"),
    ("set", "assign", "store", "save", "update", "change", "modify", "mutate", "record",
     "keep", "write", "put", "overwrite", "replace", "cache", "remember", "mark", "reset",
     "initialize", "init"),
    ("increase", "increment", "bump", "add", "count", "incr", "inc", "plus", "grow", "raise"),
    ("decrease", "decrement", "reduce", "subtract", "minus", "lower", "shrink"),
    ("check", "validate", "verify", "ensure", "test", "assert", "confirm", "make sure",
     "whether"),
    ("find", "search", "look", "locate", "lookup", "seek", "fetch", "retrieve"),
    ("create", "make", "build", "construct", "new", "instantiate", "init", "initialize",
     "generate", "allocate", "instance"),
    ("open", "file"),
    ("read", "load", "parse", "fetch", "input", "get"),
    ("write", "save", "store", "dump", "persist", "output"),
    ("join", "concatenate", "combine", "merge", "concat", "glue"),
    ("split", "divide", "separate", "break", "tokenize", "chunk"),
    ("sum", "total", "add", "plus", "addition", "accumulate"),
    ("product", "multiply", "times", "multiplied"),
    ("max", "maximum", "largest", "biggest", "highest", "greatest", "most", "top"),
    ("min", "minimum", "smallest", "lowest", "least", "fewest"),
    ("len", "length", "size", "count", "number", "how many"),
    ("convert", "transform", "map", "turn", "cast", "translate", "change"),
    ("filter", "select", "keep", "exclude", "only", "skip"),
    ("format", "render", "string", "text"),
    ("send", "post", "emit", "dispatch", "publish", "transmit"),
    ("call", "invoke", "run", "execute", "apply", "use"),
    ("iterate", "loop", "go through", "each", "every", "walk", "traverse"),
    ("average", "mean", "avg"),
    ("compare", "equal", "same", "match", "differ"),
    ("sleep", "wait", "pause", "delay"),
    ("request", "fetch", "http", "download", "url", "network", "api", "call"),
    ("recurse", "recursion", "recursive", "recursively", "itself"),
    ("true", "yes"),
    ("false", "no"),
    ("none", "null", "nil", "nothing", "undefined", "empty", "void", "no value"),
    ("num", "number"),
    ("idx", "index", "position", "pos"),
    ("cnt", "count"),
    ("str", "string", "text", "s"),
    ("msg", "message"),
    ("ctx", "context"),
    ("cfg", "conf", "config", "configuration", "settings", "options"),
    ("arg", "args", "argument", "param", "parameter"),
    ("kwargs", "keyword", "options", "named argument"),
    ("val", "value"),
    ("err", "error"),
    ("req", "request"),
    ("res", "resp", "response", "reply"),
    ("db", "database"),
    ("fn", "func", "function", "callback", "cb", "handler"),
    ("obj", "object", "instance"),
    ("dir", "directory", "folder"),
    ("src", "source"),
    ("dst", "dest", "destination", "target"),
    ("tmp", "temp", "temporary"),
    ("info", "information", "details"),
    ("auth", "authentication", "authenticate", "login"),
    ("id", "identifier", "key"),
    ("img", "image", "picture"),
    ("pwd", "password", "passwd"),
    ("usr", "user"),
    ("addr", "address"),
    ("buf", "buffer"),
    ("prev", "previous", "last"),
    ("cur", "curr", "current"),
    ("elem", "element", "item", "entry", "el"),
    ("lst", "list", "array", "arr", "sequence", "items", "collection", "slice", "vec", "vector"),
    ("dict", "dictionary", "map", "mapping", "hash", "table", "object"),
    ("qty", "quantity", "amount"),
    ("ts", "timestamp", "time"),
)  # fmt: skip

_STOP_PARTS = frozenset(
    {"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "is", "as",
     "and", "or", "it", "be"}
)  # fmt: skip


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


@functools.cache
def _synonym_index() -> dict[str, tuple[tuple[str, ...], ...]]:
    """stem -> the phrases that say the same, the word itself first, then in a fixed order
    (matching must not depend on set order)."""
    index: dict[str, set[tuple[str, ...]]] = {}
    for members in _SYNONYMS:
        phrases = {_phrase(m) for m in members}
        for phrase in phrases:
            if len(phrase) == 1:
                index.setdefault(phrase[0], set()).update(phrases)
    return {key: ((key,), *sorted(p for p in value if p != (key,))) for key, value in index.items()}


def _variants(word: str) -> tuple[tuple[str, ...], ...]:
    key = stem(word)
    return _synonym_index().get(key, ((key,),))


def _found(alternative: str, stems: set[str], used: set[str]) -> set[str] | None:
    """The explanation's stems that say `alternative` (each of its words, or a synonym),
    preferring words no earlier group of the fact has used; None when it is not said or
    only by words already used."""
    parts = words(alternative)
    if not parts:
        return None
    said: set[str] = set()
    for part in parts:
        matches = [p for p in _variants(part) if all(s in stems for s in p)]
        if not matches:
            return None
        fresh = [p for p in matches if not set(p) <= used]
        said.update((fresh or matches)[0])
    return None if said <= used else said


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
    content = [p for p in parts if p not in _STOP_PARTS] or parts
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
                if part in _STOP_PARTS and len(split_identifier(text)) > 1:
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


# --- The check ----------------------------------------------------------------------------

_COMMENT = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|/\*[\s\S]*?\*/|//[^\n]*|(?<![\w$])#(?![\[!])[^\n]*'
)
_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`""")
NGRAM = 4  # words in a row that count as copied when the code has them in the same order
COPIED_SHARE = 0.5  # refused when this share of the explanation's words are copied runs
ORDERED_SHARE = 0.75  # refused when this share are the code's words in the code's order
MIN_COPIED = 6  # fewer copied words than this never count as a copy ("returns a plus b")
MIN_WORDS = 4  # with no facts at all, at least this many words


def check_explanation(facts: list[Fact], explanation: str, code_text: str) -> ExplanationResult:
    """Whether `explanation` covers `facts` (from `key_facts`) of `code_text` in the
    developer's own words. See the module docstring for the pass rule."""
    explanation_words = words(explanation)
    stems = {stem(w) for w in explanation_words}
    coverage = tuple(_coverage(fact, stems) for fact in facts)
    optional = [c for c in coverage if not c.fact.required]
    needed = math.ceil(len(optional) / 2)
    copied = _copied(explanation, code_text)
    if not explanation_words:
        return ExplanationResult(False, coverage, None, "The explanation is empty.", needed)
    if copied is not None:
        message = f"Not accepted: {copied}. Say what the code does in your own words."
        return ExplanationResult(False, coverage, copied, message, needed)
    required_missing = [c.fact for c in coverage if c.fact.required and not c.covered]
    optional_covered = sum(1 for c in optional if c.covered)
    enough_words = bool(facts) or len(explanation_words) >= MIN_WORDS
    passed = not required_missing and optional_covered >= needed and enough_words
    return ExplanationResult(
        passed,
        coverage,
        None,
        _message(coverage, required_missing, optional_covered, needed, passed, enough_words),
        needed,
    )


def _coverage(fact: Fact, stems: set[str]) -> FactCoverage:
    """Each group must be said by words the other groups did not use: "total" alone does
    not say both "increases" and "total"."""
    matched = []
    used: set[str] = set()
    for group in fact.words:
        for alternative in sorted(group, key=lambda a: (len(a), a)):
            found = _found(alternative, stems, used)
            if found is not None:
                matched.append(alternative)
                used |= found
                break
        else:
            return FactCoverage(fact, False, tuple(matched))
    return FactCoverage(fact, bool(fact.words), tuple(matched))


def _message(
    coverage: tuple[FactCoverage, ...],
    required_missing: list[Fact],
    optional_covered: int,
    needed: int,
    passed: bool,
    enough_words: bool,
) -> str:
    total = len(coverage)
    covered = sum(1 for c in coverage if c.covered)
    if not enough_words:
        return f"Too short: say what the code does in at least {MIN_WORDS} words."
    if passed:
        return f"Covers {covered} of {total} key facts." if total else "Accepted."
    parts = []
    if required_missing:
        parts.append("missing " + _listing(f.label for f in required_missing))
    if optional_covered < needed:
        others = [c.fact.label for c in coverage if not c.fact.required and not c.covered]
        short = needed - optional_covered
        parts.append(f"mention {short} more of: " + _listing(others, conjunction="or"))
    return f"Covers {covered} of {total} key facts; " + "; ".join(parts) + "."


def _listing(items: Iterable[str], conjunction: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _copied(explanation: str, code_text: str) -> str | None:
    """Why the explanation counts as a copy of the code or its comments, or None."""
    said = [stem(w) for w in _spoken(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", explanation))]
    if len(said) < NGRAM:
        return None
    prose_text = " ".join(
        [
            *_COMMENT.findall(code_text),
            *(t for t in _STRING.findall(code_text) if len(t.split()) > 2),
        ]
    )
    code_only = _COMMENT.sub(" ", code_text)
    prose = [stem(w) for w in words(prose_text)]
    code = [stem(w) for w in _spoken(code_only)]
    from_prose = _covered_positions(said, prose)
    from_code = _covered_positions(said, code)
    copied = len(from_prose | from_code)
    if copied >= MIN_COPIED and copied / len(said) >= COPIED_SHARE:
        source = "comments or docstring" if len(from_prose) >= len(from_code) else "code"
        return f"{copied} of its {len(said)} words repeat the {source} word for word"
    ordered = _common_subsequence(said[:400], code[:4000])
    if ordered >= MIN_COPIED and ordered / len(said) >= ORDERED_SHARE:
        return f"{ordered} of its {len(said)} words are the code's own words in the code's order"
    return None


_SPOKEN_OPERATORS = {
    "==": ("equal",), "===": ("equal",), "!=": ("not", "equal"), "!==": ("not", "equal"),
    "<=": ("less",), ">=": ("greater",), "<": ("less",), ">": ("greater",),
    "+": ("plus",), "-": ("minus",), "*": ("times",), "/": ("divided",), "%": ("mod",),
    "=": ("is",), "+=": ("plus",), "-=": ("minus",), "&&": ("and",), "||": ("or",),
    "!": ("not",),
}  # fmt: skip
_CODE_TOKEN = re.compile(
    r"[A-Za-z0-9_]+(?:\.[0-9]+)?|===|!==|==|!=|<=|>=|\+=|-=|&&|\|\||[-+*/%<>=!]"
)


def _spoken(code: str) -> list[str]:
    """The code's words as someone reading it aloud would say them: names split into words,
    operators as words (`a * b` -> a times b)."""
    found: list[str] = []
    for token in _CODE_TOKEN.findall(code):
        if token in _SPOKEN_OPERATORS:
            found.extend(_SPOKEN_OPERATORS[token])
        else:
            found.extend(words(token))
    return found


def _covered_positions(said: list[str], source: list[str]) -> set[int]:
    grams = {tuple(source[i : i + NGRAM]) for i in range(len(source) - NGRAM + 1)}
    covered: set[int] = set()
    for i in range(len(said) - NGRAM + 1):
        if tuple(said[i : i + NGRAM]) in grams:
            covered.update(range(i, i + NGRAM))
    return covered


def _common_subsequence(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (words in the same order, gaps allowed)."""
    if not a or not b:
        return 0
    wanted = set(a)
    b = [w for w in b if w in wanted]
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if word == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]
