"""Checking foreign code against the repository's rules: one spot per deviating site.

The observers that mined the repository look at the foreign code too, so what is counted is
exactly what is checked. A site is flagged only when a rule applies to its scope (tests or
code) and the site chose something else; every spot carries the rule's evidence: the counts,
where the choice comes from (vote or configuration), two or three example places, and the
mechanical replacement when there is one.
"""

from __future__ import annotations

import math
from typing import Any

from mindgap.conventions.dimensions import all_observers
from mindgap.conventions.mining import observations
from mindgap.conventions.model import Observation, Observer, SourceFile
from mindgap.conventions.repository import RepositoryConventions
from mindgap.conventions.rules import Rule
from mindgap.findings import Severity, Spot


def _observer(language: str, dimension: str, aspect: str) -> Observer | None:
    for observer in all_observers():
        if (
            observer.dimension == dimension
            and language in observer.languages
            and observer.offers(aspect)
        ):
            return observer
    return None


def _words(observer: Observer | None, choice: str) -> str:
    return observer.choices.get(choice, choice) if observer else choice


def percent(count: int, total: int) -> str:
    """A share as people read it: never "100%" unless all of them, never "0%" for some."""
    if total <= 0:
        return "0%"
    if count == total:
        return "100%"
    value = 100 * count / total
    shown = round(value)
    if shown >= 100:
        return f"{math.floor(value * 10) / 10:.1f}%"
    if shown == 0 and count > 0:
        return "<1%"
    return f"{shown}%"


def rule_message(rule: Rule, observer: Observer | None, chosen: str) -> str:
    aspect = observer.describe(rule.aspect) if observer else rule.aspect
    usual = _words(observer, rule.choice)
    this = _words(observer, chosen)
    where, verb = {
        "tests": ("this repository's tests", "use"),
        "code": ("this repository's code", "uses"),
    }.get(rule.scope, ("this repository", "uses"))
    if rule.source == "config":
        evidence = f"configured in {rule.configured_by}"
        if rule.support:
            evidence += f"; {rule.count} of {rule.support} sites"
        return f"{where} {verb} {usual} for {aspect} ({evidence}); this uses {this}"
    share = percent(rule.count, rule.support)
    return (
        f"{where} {verb} {usual} for {aspect} ({rule.count} of {rule.support} sites, {share}); "
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
        "examples": [example.model_dump(exclude_none=True) for example in rule.examples],
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
    # the observers search only the part of the tree around the region
    for observation in observations(source.focused(start, end)):
        if observation.start < start or observation.end > end:
            continue
        rule = conventions.rule_for(
            source.language,
            observation.dimension,
            observation.aspect,
            source.is_test,
            source.path or None,
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
