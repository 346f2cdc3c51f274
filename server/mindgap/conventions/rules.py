"""Rules: the choices a repository makes dominantly, or that its configuration states.

A voted rule needs `convention_min_support` observations in its scope and a leading choice
with at least `convention_min_dominance` of them. A configured rule (ruff, black, isort,
.editorconfig, prettier, eslint, `[tool.mindgap.conventions]`) wins over any vote, in every
scope, and says which file and setting it comes from. A dimension configured "off" has no
rules at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from mindgap.conventions.mining import (
    SCOPES,
    Example,
    RuleKey,
    Votes,
    from_code_only,
    package_scope,
)

Scope = Literal["all", "code", "tests"]


class RuleExample(BaseModel):
    file: str
    line: int = Field(description="1-based; in a notebook, the line within `cell`")
    text: str
    cell: int | None = Field(None, description="a notebook's cell index (nb.ipynb#CELL)")


class Rule(BaseModel):
    """One convention: in `scope`, `language` code makes `choice` on `aspect` of `dimension`."""

    language: str
    dimension: str
    aspect: str
    scope: Scope
    choice: str
    count: int = Field(description="observations that make this choice")
    support: int = Field(description="observations of this aspect in this scope")
    dominance: float = Field(description="count / support (0 without observations)")
    source: Literal["vote", "config"]
    configured_by: str | None = Field(None, description="the file and setting, for config")
    counts: dict[str, int] = Field(default_factory=dict, description="every choice counted")
    examples: list[RuleExample] = Field(default_factory=list)

    @property
    def key(self) -> RuleKey:
        return (self.language, self.dimension, self.aspect, self.scope)


class ConfiguredChoice(BaseModel):
    """A choice stated in configuration; `aspect` None means every aspect of the dimension
    that offers `choice`; `choice` "off" silences the dimension."""

    languages: frozenset[str]
    dimension: str
    aspect: str | None
    choice: str
    configured_by: str


def _examples(votes: Votes | None, choice: str) -> list[RuleExample]:
    shown: list[Example] = votes.examples.get(choice, []) if votes else []
    return [RuleExample(file=e.file, line=e.line + 1, text=e.text, cell=e.cell) for e in shown]


def _voted(key: RuleKey, votes: Votes, min_support: int, min_dominance: float) -> Rule | None:
    leader = votes.leader()
    total = votes.total
    if leader is None or total < min_support:
        return None
    choice, count = leader
    if count / total < min_dominance:
        return None
    language, dimension, aspect, scope = key
    return Rule(
        language=language,
        dimension=dimension,
        aspect=aspect,
        scope=scope,
        choice=choice,
        count=count,
        support=total,
        dominance=count / total,
        source="vote",
        counts=dict(votes.counts),
        examples=_examples(votes, choice),
    )


def derive_rules(
    votes: dict[RuleKey, Votes],
    configured: Iterable[ConfiguredChoice],
    aspects_offering: dict[tuple[str, str], dict[str, set[str]]],
    min_support: int,
    min_dominance: float,
) -> dict[RuleKey, Rule]:
    """Every rule: votes first, then configuration on top (it wins, or switches off).

    `aspects_offering[(language, dimension)]` maps each aspect an observer reports to the
    choices it can make, so that `quotes = "double"` reaches every aspect that has quotes.
    """
    rules: dict[RuleKey, Rule] = {}
    for key, entry in votes.items():
        if key[3] not in SCOPES:
            continue  # a package's votes: they only keep a differing package silent
        rule = _voted(key, entry, min_support, min_dominance)
        if rule is not None:
            rules[key] = rule
    for stated in configured:
        for language in sorted(stated.languages):
            if stated.choice == "off":
                for key in [k for k in rules if k[0] == language and k[1] == stated.dimension]:
                    # "form" also switches off the per-module "form/<module>" aspects
                    if stated.aspect is None or key[2].split("/", 1)[0] == stated.aspect:
                        del rules[key]
                continue
            offering = aspects_offering.get((language, stated.dimension), {})
            aspects = [
                aspect
                for aspect, choices in offering.items()
                if (stated.aspect is None or aspect == stated.aspect) and stated.choice in choices
            ]
            for aspect in aspects:
                for scope in SCOPES:
                    rules.pop((language, stated.dimension, aspect, scope), None)
                key = (language, stated.dimension, aspect, "all")
                counted = votes.get(key)
                count = counted.counts.get(stated.choice, 0) if counted else 0
                total = counted.total if counted else 0
                rules[key] = Rule(
                    language=language,
                    dimension=stated.dimension,
                    aspect=aspect,
                    scope="all",
                    choice=stated.choice,
                    count=count,
                    support=total,
                    dominance=count / total if total else 0.0,
                    source="config",
                    configured_by=stated.configured_by,
                    counts=dict(counted.counts) if counted else {},
                    examples=_examples(counted, stated.choice),
                )
    return rules


def applicable_rule(
    rules: dict[RuleKey, Rule],
    votes: dict[RuleKey, Votes],
    language: str,
    dimension: str,
    aspect: str,
    is_test: bool,
    min_dominance: float,
    path: str | None = None,
) -> Rule | None:
    """The rule for code in a test or non-test file (at `path`, repository-relative).

    The scope's own rule first. Otherwise the whole repository's rule, but only when the
    scope's own code does not disagree with it (tests named in camelCase under snake_case
    code must not be judged by the code's rule), and configuration always applies. A voted
    rule does not judge a package (a top-level source folder) whose own code differs from it:
    `legacy/`'s camelCase is not held to `src/app`'s snake_case.
    """
    rule = _scoped_rule(rules, votes, language, dimension, aspect, is_test, min_dominance)
    base = aspect.split("/", 1)[0]
    if base != aspect:  # a per-module aspect: configuration states it for the base aspect
        configured = rules.get((language, dimension, base, "all"))
        if configured is not None and configured.source == "config":
            return configured
    if rule is None or rule.source == "config" or path is None:
        return rule
    package = package_scope(path)
    counted = votes.get((language, dimension, aspect, package)) if package else None
    if (
        counted is not None
        and counted.total >= PACKAGE_MIN_VOTES
        and counted.share(rule.choice) < min_dominance
    ):
        return None
    return rule


# A package needs this many votes of its own before its difference from the repository counts
PACKAGE_MIN_VOTES = 5


def _scoped_rule(
    rules: dict[RuleKey, Rule],
    votes: dict[RuleKey, Votes],
    language: str,
    dimension: str,
    aspect: str,
    is_test: bool,
    min_dominance: float,
) -> Rule | None:
    scope = "tests" if is_test else "code"
    own = rules.get((language, dimension, aspect, scope))
    whole = rules.get((language, dimension, aspect, "all"))
    if is_test and from_code_only(dimension, aspect):
        # tests are not held to a habit only code voted on; configuration still applies
        return whole if whole is not None and whole.source == "config" else None
    if own is not None:
        # the same choice as the whole repository's: its (larger) evidence says it better
        return whole if whole is not None and whole.choice == own.choice else own
    if whole is None:
        return None
    if whole.source == "config":
        return whole
    scoped = votes.get((language, dimension, aspect, scope))
    if scoped is None or scoped.total == 0 or scoped.share(whole.choice) >= min_dominance:
        return whole
    return None
