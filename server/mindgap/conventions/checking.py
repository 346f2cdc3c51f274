"""Checking foreign code against the repository's rules: one spot per deviating site.

The observers that mined the repository look at the foreign code too, so what is counted is
exactly what is checked. A site is flagged only when a rule applies to its scope (tests or
code) and the site chose something else; every spot carries the rule's evidence: the counts,
where the choice comes from (vote or configuration), two or three example places, and the
mechanical replacement when there is one.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from mindgap.conventions.dimensions import all_observers
from mindgap.conventions.mining import observations
from mindgap.conventions.model import Observation, Observer, SourceFile
from mindgap.conventions.repository import RepositoryConventions
from mindgap.conventions.rules import Rule
from mindgap.findings import Severity, Spot
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex

_MEMO_SIZE = 8
# (path, language, text) -> the file's observations: a document with several regions, or
# re-analysed while only one region changed, is observed once per content
_memo: OrderedDict[tuple[str, str, str], list[Observation]] = OrderedDict()


def _observations(source: SourceFile) -> list[Observation]:
    key = (source.path, source.language, source.text)
    found = _memo.get(key)
    if found is None:
        found = observations(source)
        _memo[key] = found
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    else:
        _memo.move_to_end(key)
    return found


_IMPORTS = frozenset(
    {
        "import_statement",
        "import_from_statement",
        "future_import_statement",
        "import_declaration",
        "package_clause",
        "package_declaration",
        "use_declaration",
    }
)
# Python class bodies are narrowed further: a region inside one method of a large class does
# not need the other methods (blanked, the class stays valid Python).
_PYTHON_BODIES = frozenset({"class_definition", "decorated_definition"})


def focused_source(source: SourceFile, start: int, end: int) -> SourceFile:
    """The file with only what matters for text[start:end] left in: the imports, the first
    statement (a module docstring), the top-level statements around the region (in Python,
    within a class only the members around it, the class's docstring and header). The rest
    is blanked to spaces, so every offset stays the same, and parsed again: observers then
    walk a 50-line region's surroundings, not a 3,000-line file."""
    text = source.text
    index = source.index
    start_byte, end_byte = index.byte_offset(start), index.byte_offset(end)
    keep: list[tuple[int, int]] = []  # character spans of the original to keep

    def overlaps(node: Any) -> bool:
        return node.start_byte < end_byte and node.end_byte > start_byte

    def narrow(node: Any) -> None:
        body = None
        if source.language == "python" and node.type in _PYTHON_BODIES:
            definition = node
            if node.type == "decorated_definition":
                definition = node.child_by_field_name("definition")
            if definition is not None and definition.type == "class_definition":
                body = definition.child_by_field_name("body")
        if body is None or not body.named_children:
            keep.append(source.span(node))
            return
        keep.append((source.span(node)[0], source.span(body)[0]))  # decorators, the class line
        for position, member in enumerate(body.named_children):
            if position == 0 or overlaps(member):
                narrow(member)

    children = source.tree.root_node.named_children
    for position, child in enumerate(children):
        if position == 0 or child.type in _IMPORTS or overlaps(child):
            narrow(child)
    if sum(b - a for a, b in keep) > len(text) * 0.6:
        return source  # most of the file matters: no gain in narrowing
    # blank by characters, so that every character offset stays where it was
    spans = sorted(keep)
    pieces = []
    done = 0
    for a, b in spans:
        if a > done:
            pieces.append(_BLANK.sub(" ", text[done:a]))
        if b > done:
            pieces.append(text[max(a, done) : b])
            done = b
    pieces.append(_BLANK.sub(" ", text[done:]))
    narrowed = "".join(pieces)
    spec = language_named(source.language)
    tree = spec.parser().parse(narrowed.encode("utf-8", "surrogatepass"))
    return SourceFile(source.path, source.language, LineIndex(narrowed), tree, source.is_test)


_BLANK = re.compile(r"[^\r\n]")


def _observer(language: str, dimension: str, aspect: str) -> Observer | None:
    for observer in all_observers():
        if (
            observer.dimension == dimension
            and language in observer.languages
            and aspect in observer.aspects
        ):
            return observer
    return None


def _words(observer: Observer | None, choice: str) -> str:
    return observer.choices.get(choice, choice) if observer else choice


def rule_message(rule: Rule, observer: Observer | None, chosen: str) -> str:
    aspect = observer.aspects.get(rule.aspect, rule.aspect) if observer else rule.aspect
    usual = _words(observer, rule.choice)
    this = _words(observer, chosen)
    where = {"tests": "this repository's tests", "code": "this repository's code"}.get(
        rule.scope, "this repository"
    )
    if rule.source == "config":
        evidence = f"configured in {rule.configured_by}"
        if rule.support:
            evidence += f"; {rule.count} of {rule.support} sites"
        return f"{where} uses {usual} for {aspect} ({evidence}); this uses {this}"
    share = round(rule.dominance * 100)
    return (
        f"{where} uses {usual} for {aspect} ({rule.count} of {rule.support} sites, {share}%); "
        f"this uses {this}"
    )


def rule_evidence(rule: Rule, observation: Observation, repository: str) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "repository": repository,  # the examples' files are relative to it
        "rule": {
            "language": rule.language,
            "dimension": rule.dimension,
            "aspect": rule.aspect,
            "scope": rule.scope,
            "choice": rule.choice,
        },
        "choice": observation.choice,
        "support": rule.support,
        "count": rule.count,
        "dominance": round(rule.dominance, 4),
        "counts": rule.counts,
        "examples": [example.model_dump() for example in rule.examples],
        "source": rule.source,
    }
    if rule.configured_by:
        evidence["configured_by"] = rule.configured_by
    fix = observation.rewrites.get(rule.choice)
    if fix is not None:
        evidence["fix"] = {"replacement": fix, "choice": rule.choice}
    return evidence


def convention_spots(
    source: SourceFile,
    start: int,
    end: int,
    conventions: RepositoryConventions,
    severity: Severity = "information",
) -> list[Spot]:
    """The deviations from the repository's rules among the sites in text[start:end]."""
    spots = []
    for observation in _observations(focused_source(source, start, end)):
        if observation.start < start or observation.end > end:
            continue
        rule = conventions.rule_for(
            source.language, observation.dimension, observation.aspect, source.is_test
        )
        if rule is None or rule.choice == observation.choice:
            continue
        observer = _observer(source.language, observation.dimension, observation.aspect)
        spots.append(
            Spot(
                observation.start,
                observation.end,
                "convention",
                f"convention/{observation.dimension}",
                severity,
                rule_message(rule, observer, observation.choice),
                rule_evidence(rule, observation, conventions.key),
                dimension=observation.dimension,
            )
        )
    return spots
