"""The words of an explanation, as the check compares them with the code's: identifiers
split into words, a light stemmer, synonyms for the verbs and abbreviations of code talk.

One of the three parts of the explanation check (with explain_facts.py, what the code says,
and explain.py, the check itself).
"""

from __future__ import annotations

import functools
import re

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

STOP_PARTS = frozenset(
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


def found_words(alternative: str, stems: set[str], used: set[str]) -> set[str] | None:
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
