"""Go imports: whether standard-library imports are grouped apart from the others, and
whether imports whose path does not end in their package name get an explicit alias.

Grouping is judged only on import blocks that mix both kinds: groups are runs of imports
separated by blank lines, and a block is "grouped" when no group mixes standard-library
and other imports. A path whose last element is not an identifier (`gopkg.in/yaml.v3`,
`github.com/go-chi/chi/v5`) leaves its name implicit: writing `yaml "gopkg.in/yaml.v3"` or
not is the choice. Blank (`_`) and dot imports are semantics, not style, and cgo's "C" is
neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    in_source_order,
    shared_query,
    span,
    text_of,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

GROUPED = "grouped"
MIXED = "mixed"
ALIASED = "aliased"
UNALIASED = "unaliased"
_QUERY = shared_query(
    frozenset({"go"}),
    "(import_spec_list) @block (import_spec) @spec",
)
_VERSION = re.compile(r"^v[0-9]+$")


def _import_path(spec: tree_sitter.Node) -> str | None:
    path = spec.child_by_field_name("path")
    if path is None:
        return None
    return text_of(path).strip('"`')


def _is_standard(path: str) -> bool:
    return "." not in path.split("/", 1)[0]


def _groups(block: tree_sitter.Node) -> list[list[tree_sitter.Node]]:
    groups: list[list[tree_sitter.Node]] = []
    previous_row = -2
    for spec in block.named_children:
        if spec.type != "import_spec":
            if spec.type == "comment":
                previous_row = spec.end_point[0]  # a comment line keeps the group together
            continue
        if not groups or spec.start_point[0] > previous_row + 1:
            groups.append([])
        groups[-1].append(spec)
        previous_row = spec.end_point[0]
    return groups


def _grouping(source: SourceFile, block: tree_sitter.Node) -> Observation | None:
    groups = _groups(block)
    kinds_per_group = []
    for group in groups:
        paths = [_import_path(spec) for spec in group]
        kinds_per_group.append({_is_standard(p) for p in paths if p and p != "C"})
    if set().union(*kinds_per_group) != {True, False}:
        return None  # only one kind in the block: nothing to group
    for group, kinds in zip(groups, kinds_per_group, strict=True):
        if len(kinds) == 2:
            start, _ = span(source, group[0])
            _, end = span(source, group[-1])
            return Observation("imports", "grouping", MIXED, start, end)
    return Observation("imports", "grouping", GROUPED, *span(source, block))


def _implicit_name(path: str) -> str | None:
    """The package name a reader must guess from the path, where the path does not say it."""
    parts = path.split("/")
    last = parts[-1]
    if _VERSION.match(last) and len(parts) > 1:
        last = parts[-2]
    elif last.isidentifier():
        return None  # the path ends in the package name: nothing to alias
    name = re.split(r"\.v[0-9]+$|\.", last)[0].removeprefix("go-").replace("-", "")
    return name if name.isidentifier() else None


def _alias(source: SourceFile, spec: tree_sitter.Node) -> Observation | None:
    path = _import_path(spec)
    if not path or path == "C":
        return None
    implicit = _implicit_name(path)
    if implicit is None:
        return None
    name = spec.child_by_field_name("name")
    path_node = spec.child_by_field_name("path")
    if path_node is None:
        return None
    if name is None:
        return Observation(
            "imports",
            "alias",
            UNALIASED,
            *span(source, spec),
            {ALIASED: f"{implicit} {text_of(path_node)}"},
        )
    if name.type != "package_identifier":
        return None
    rewrites = {UNALIASED: text_of(path_node)} if text_of(name) == implicit else {}
    return Observation("imports", "alias", ALIASED, *span(source, spec), rewrites)


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _QUERY.captures(source)
    observations = [_grouping(source, block) for block in found.get("block", ())]
    observations += [_alias(source, spec) for spec in found.get("spec", ())]
    yield from in_source_order(observations)


_WORDS = words_of(__name__)  # go_imports.toml
OBSERVERS = [
    Observer(
        dimension="imports",
        languages=frozenset({"go"}),
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
