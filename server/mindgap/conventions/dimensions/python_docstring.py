"""Python docstrings: whether public functions and classes have one, and in which style.

Aspects "function" and "class": a public definition (its name, and its class's name, do not
start with '_'; not nested in a function; not an `@overload` or a property setter/deleter,
which share the documented one) has a docstring or not.

Aspect "style": the docstring of a function that takes parameters (besides self/cls)
documents them in Google style (`Args:`), NumPy style (`Parameters` over a `----------`
line), Sphinx style (`:param x:`), or in plain prose. Functions without parameters have
nothing to lay out, so their docstrings are no vote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    PYTHON,
    captures,
    decorators,
    docstring_of,
    enclosing,
    observe,
    register,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "docstring"
_QUERY = register(
    """
(function_definition name: (identifier) @name) @definition
(class_definition name: (identifier) @name) @definition
"""
)
_SPHINX = re.compile(
    r"^\s*:(param|parameter|arg|argument|key|keyword|type|returns?|rtype|raises?|yields?)\b",
    re.MULTILINE,
)
_NUMPY = re.compile(
    r"^\s*(Parameters|Other Parameters|Returns|Yields|Raises|Receives)\s*\n\s*-{3,}\s*$",
    re.MULTILINE,
)
_GOOGLE = re.compile(
    r"^\s*(Args|Arguments|Parameters|Keyword Args|Keyword Arguments|Returns|Return|Yields"
    r"|Raises):\s*$",
    re.MULTILINE,
)
_SCOPES = frozenset({"function_definition", "class_definition"})
_SHARED_DOCS = re.compile(r"(^|\.)(overload|setter|deleter|override)$")


def _is_public(definition: tree_sitter.Node) -> bool:
    if text(definition.child_by_field_name("name")).startswith("_"):
        return False
    owner = enclosing(definition, _SCOPES)
    while owner is not None:
        if owner.type == "function_definition":
            return False
        if text(owner.child_by_field_name("name")).startswith("_"):
            return False
        owner = enclosing(owner, _SCOPES)
    return not any(_SHARED_DOCS.search(d.split("(")[0]) for d in decorators(definition))


def _takes_parameters(function: tree_sitter.Node) -> bool:
    parameters = function.child_by_field_name("parameters")
    names = [
        p
        for p in (parameters.named_children if parameters else [])
        if p.type not in ("keyword_separator", "positional_separator", "comment")
    ]
    if names and names[0].type == "identifier" and text(names[0]) in ("self", "cls"):
        names = names[1:]
    return bool(names)


def style_of(docstring: str) -> str:
    if _SPHINX.search(docstring):
        return "sphinx"
    if _NUMPY.search(docstring):
        return "numpy"
    if _GOOGLE.search(docstring):
        return "google"
    return "plain"


def _observe(source: SourceFile) -> Iterator[Observation]:
    # by definition, not by name: a focused query captures only nodes that overlap the
    # focus, and a docstring may be in it while its function's name is not
    for definition in captures(source, _QUERY).get("definition", []):
        name = definition.child_by_field_name("name")
        if name is None or not _is_public(definition):
            continue
        docstring = docstring_of(definition)
        aspect = "function" if definition.type == "function_definition" else "class"
        choice = "documented" if docstring is not None else "undocumented"
        yield observe(source, DIMENSION, aspect, choice, name)
        if docstring is not None and aspect == "function" and _takes_parameters(definition):
            yield observe(source, DIMENSION, "style", style_of(text(docstring)), docstring)


_WORDS = words_of(__name__)  # python_docstring.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
