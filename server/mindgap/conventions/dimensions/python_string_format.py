"""Python string formatting: f-strings, str.format() or % formatting.

Only real choices count. An f-string without placeholders formats nothing (its prefix is a
matter of quotes, not formatting). `.format()` counts only on a string literal with at
least one replacement field: a template kept in a variable cannot be an f-string. `%`
counts only with a str literal holding a conversion on its left (`n % 2` is arithmetic,
bytes have no f-strings). The rewrite to an f-string is offered only where it is the same
code: placeholders fed by plain names or attributes, as pyupgrade/ruff (UP031, UP032) do.
"""

from __future__ import annotations

import re
import string as string_module
from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    PYTHON,
    captures,
    enclosing,
    observe,
    register,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "string-format"
ASPECT = "formatting"
_INTERPOLATION_OR_BLOCK = frozenset({"interpolation", "module", "block"})

_QUERY = register(
    """
(string (string_start) @fstart (interpolation)) @fstring
(call
  function: (attribute
    object: [(string) (concatenated_string)] @template
    attribute: (identifier) @method (#eq? @method "format"))) @format
(binary_operator left: [(string) (concatenated_string)] @template operator: "%") @percent
"""
)
_CONVERSION = re.compile(
    r"%(?P<key>\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)
_PLAIN_VALUE = frozenset({"identifier", "attribute"})


def _prefix(string: tree_sitter.Node) -> str:
    first = string.children[0] if string.children else None
    return text(first).rstrip("'\"").lower() if first is not None else ""


def _parts(template: tree_sitter.Node) -> list[tree_sitter.Node]:
    return template.named_children if template.type == "concatenated_string" else [template]


def _is_text_literal(template: tree_sitter.Node) -> bool:
    """A str literal (not bytes) that is not itself an f-string."""
    return all("b" not in _prefix(p) and "f" not in _prefix(p) for p in _parts(template))


def _inside_interpolation(node: tree_sitter.Node) -> bool:
    found = enclosing(node, _INTERPOLATION_OR_BLOCK)
    return found is not None and found.type == "interpolation"


def _split_literal(string: tree_sitter.Node) -> tuple[str, str, str] | None:
    """(prefix, quote, body) of a single string literal, as written."""
    if string.type != "string" or not string.children:
        return None
    start = text(string.children[0])
    prefix = start.rstrip("'\"")
    quote = start[len(prefix) :]
    whole = text(string)
    return prefix, quote, whole[len(start) : len(whole) - len(quote)]


def _format_fields(body: str) -> list[tuple[str, str | None, str | None, str | None]] | None:
    try:
        return list(string_module.Formatter().parse(body))
    except ValueError:
        return None


def _has_replacement_field(template: tree_sitter.Node) -> bool:
    for part in _parts(template):
        split = _split_literal(part)
        fields = _format_fields(split[2]) if split else None
        if fields and any(name is not None for _, name, _, _ in fields):
            return True
    return False


def _escape_braces(literal: str) -> str:
    return literal.replace("{", "{{").replace("}", "}}")


def _format_rewrite(template: tree_sitter.Node, call: tree_sitter.Node) -> str | None:
    """`"{} is {n}".format(a, n=b)` -> `f"{a} is {b}"`, when nothing else changes."""
    split = _split_literal(template)
    arguments = call.child_by_field_name("arguments")
    if split is None or arguments is None:
        return None
    prefix, quote, body = split
    positional: list[str] = []
    keywords: dict[str, str] = {}
    for argument in arguments.named_children:
        if argument.type == "keyword_argument":
            value = argument.child_by_field_name("value")
            if value is None or value.type not in _PLAIN_VALUE:
                return None
            keywords[text(argument.child_by_field_name("name"))] = text(value)
        elif argument.type in _PLAIN_VALUE:
            positional.append(text(argument))
        else:
            return None  # a call, a splat, a literal: moving it into the string changes it
    fields = _format_fields(body)
    if not fields or "\\N{" in body:
        return None  # a named escape (\N{BULLET}) is not a replacement field
    pieces: list[str] = []
    automatic = 0
    for literal, name, spec, conversion in fields:
        pieces.append(_escape_braces(literal))
        if name is None:
            continue
        if name == "":
            if automatic >= len(positional):
                return None
            expression = positional[automatic]
            automatic += 1
        elif name.isdigit() and int(name) < len(positional):
            expression = positional[int(name)]
        elif name in keywords:
            expression = keywords[name]
        else:
            return None  # an attribute or index in the field, or a missing argument
        if spec and "{" in spec:
            return None
        pieces.append(
            "{"
            + expression
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
    return f"f{prefix}{quote}{''.join(pieces)}{quote}"


def _percent_conversions(template: tree_sitter.Node) -> list[re.Match[str]]:
    conversions: list[re.Match[str]] = []
    for part in _parts(template):
        split = _split_literal(part)
        if split is not None:
            conversions.extend(m for m in _CONVERSION.finditer(split[2]) if m["type"] != "%")
    return conversions


def _percent_rewrite(template: tree_sitter.Node, operation: tree_sitter.Node) -> str | None:
    """`"%s and %r" % (a, b)` -> `f"{a} and {b!r}"`, for %s/%r/%a fed by plain names."""
    split = _split_literal(template)
    right = operation.child_by_field_name("right")
    if split is None or right is None or right.type != "tuple":
        return None  # a lone value may itself be a tuple at run time
    values = right.named_children
    if any(v.type not in _PLAIN_VALUE for v in values):
        return None
    prefix, quote, body = split
    conversions = [m for m in _CONVERSION.finditer(body) if m["type"] != "%"]
    if len(conversions) != len(values) or "{" in body or "}" in body:
        return None
    pieces: list[str] = []
    position = 0
    for match, value in zip(conversions, values, strict=True):
        if match.group(0) not in ("%s", "%r", "%a"):
            return None
        pieces.append(body[position : match.start()].replace("%%", "%"))
        suffix = "" if match["type"] == "s" else f"!{match['type']}"
        pieces.append("{" + text(value) + suffix + "}")
        position = match.end()
    pieces.append(body[position:].replace("%%", "%"))
    return f"f{prefix}{quote}{''.join(pieces)}{quote}"


def _observe(source: SourceFile) -> Iterator[Observation]:
    found = captures(source, _QUERY)
    for fstring in found.get("fstring", []):
        if "f" in _prefix(fstring) and not _inside_interpolation(fstring):
            yield observe(source, DIMENSION, ASPECT, "f-string", fstring)
    templates = {node.id: node for node in found.get("template", [])}
    for call in found.get("format", []):
        function = call.child_by_field_name("function")
        template = function.child_by_field_name("object") if function else None
        if template is None or template.id not in templates:
            continue
        if not _is_text_literal(template) or not _has_replacement_field(template):
            continue
        rewrite = _format_rewrite(template, call)
        yield observe(
            source, DIMENSION, ASPECT, "format", call, {"f-string": rewrite} if rewrite else {}
        )
    for operation in found.get("percent", []):
        template = operation.child_by_field_name("left")
        if template is None or not _is_text_literal(template):
            continue
        if not _percent_conversions(template):
            continue
        rewrite = _percent_rewrite(template, operation)
        yield observe(
            source,
            DIMENSION,
            ASPECT,
            "percent",
            operation,
            {"f-string": rewrite} if rewrite else {},
        )


_WORDS = words_of(__name__)  # python_string_format.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
