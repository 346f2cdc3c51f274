"""Counting the choices a repository's code makes, and the rules its counts support.

Each file is observed once into a `FileTally` (counts per dimension, aspect and choice, and
one example line per choice); tallies are cached per file, so re-learning after an edit
re-reads only that file. Summing the tallies per language, dimension, aspect and scope
("code", "tests", and "all") gives the votes; a choice becomes a rule only with enough
support and dominance - anything less and mindgap says nothing about that aspect.
"""

from __future__ import annotations

import logging
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mindgap.conventions.dimensions import observers_for
from mindgap.conventions.model import Observation, SourceFile

log = logging.getLogger(__name__)

SCOPES = ("all", "code", "tests")
EXAMPLES_PER_CHOICE = 3
EXAMPLE_CHARS = 120

ChoiceKey = tuple[str, str, str]  # (dimension, aspect, choice)


# Bumped when what a FileTally holds changes: cached tallies of another format are read again
TALLY_FORMAT = 3

_LICENSE_WORDS = re.compile(r"copyright|licen[cs]e|spdx-license-identifier", re.IGNORECASE)
_NOT_WORDS = re.compile(r"[^a-z]+")
HEADER_LINES = 40
_HEAD_CHARS = 8_000  # usually holds HEADER_LINES lines and more


def license_signature(text: str) -> str | None:
    """The copyright and license lines of a file's header, normalised (years, punctuation and
    comment marks dropped): files carrying another header than most are someone else's code."""
    found = []
    head = text[:_HEAD_CHARS].splitlines()  # the first lines only: files can be long
    if len(head) <= HEADER_LINES:  # the cut may fall inside one of them: all of them
        head = text.splitlines()
    for line in head[:HEADER_LINES]:
        if _LICENSE_WORDS.search(line):
            words = _NOT_WORDS.sub(" ", line.lower()).split()
            if words:
                found.append(" ".join(words))
    return " | ".join(found) if found else None


@dataclass
class FileTally:
    """What one file's code chose, outside the regions known to be foreign."""

    language: str
    is_test: bool
    counts: dict[ChoiceKey, int] = field(default_factory=dict)
    # the first site of each choice: (0-based line, its text, the notebook cell or None); in
    # a notebook the line is the cell's, so every reader shows the place as the user sees it
    examples: dict[ChoiceKey, tuple[int, str, int | None]] = field(default_factory=dict)
    license: str | None = None  # the header's copyright/license lines (license_signature)

    def to_json(self) -> dict:
        return {
            "language": self.language,
            "is_test": self.is_test,
            "counts": [[*key, count] for key, count in self.counts.items()],
            "examples": [
                [*key, line, text, cell] for key, (line, text, cell) in self.examples.items()
            ],
            "license": self.license,
        }

    @classmethod
    def from_json(cls, data: dict) -> FileTally:
        return cls(
            language=data["language"],
            is_test=bool(data["is_test"]),
            counts={(d, a, c): int(n) for d, a, c, n in data["counts"]},
            examples={
                (d, a, c): (int(line), str(text), None if cell is None else int(cell))
                for d, a, c, line, text, cell in data["examples"]
            },
            license=data.get("license"),
        )


_SOURCE_ORDER = operator.attrgetter("start", "end", "dimension", "aspect")


def observations(source: SourceFile) -> list[Observation]:
    """Every observation of every observer for the file's language, in source order.

    An observer that fails on odd code loses its own observations for this file only.
    """
    found: list[Observation] = []
    for observer in observers_for(source.language):
        try:
            found.extend(observer.observe(source))
        except RecursionError:  # code nested thousands of levels deep: not worth a traceback
            log.warning(
                "%s: code nested too deeply for the %s observer: not observed",
                source.path,
                observer.dimension,
            )
        except Exception:  # one broken observer must not stop the mining of a repository
            log.exception("observer %s failed on %s", observer.dimension, source.path)
    found.sort(key=_SOURCE_ORDER)
    return found


def outside(observation: Observation, excluded: list[tuple[int, int]]) -> bool:
    return not any(
        start <= observation.start < end or start < observation.end <= end
        for start, end in excluded
    )


def tally_file(
    source: SourceFile,
    excluded: list[tuple[int, int]] | None = None,
    cell_at_line: Callable[[int], tuple[int, int]] | None = None,
) -> FileTally:
    """Count the file's choices, leaving out observations inside `excluded` (foreign) spans.
    A notebook's text is its code cells joined: `cell_at_line` maps a line of it to (cell
    index, line in the cell), which its examples keep."""
    tally = FileTally(source.language, source.is_test, license=license_signature(source.text))
    counts, examples = tally.counts, tally.examples
    for observation in observations(source):
        if excluded and not outside(observation, excluded):
            continue
        key = observation[:3]  # (dimension, aspect, choice): the named tuple's first fields
        counts[key] = counts.get(key, 0) + 1
        if key not in examples:
            line = source.index.line_of(observation.start)
            text = source.index.line_text(line).strip()[:EXAMPLE_CHARS]
            cell: int | None = None
            if cell_at_line is not None:
                cell, line = cell_at_line(line)
            examples[key] = (line, text, cell)
    return tally


@dataclass(frozen=True)
class Example:
    file: str
    line: int  # 0-based; in a notebook, within its cell
    text: str
    cell: int | None = None  # a notebook's cell (its index, as `nb.ipynb#CELL` addresses it)


RuleKey = tuple[str, str, str, str]  # (language, dimension, aspect, scope)


@dataclass
class Votes:
    """The choices counted for one language, dimension, aspect and scope."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[Example]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def leader(self) -> tuple[str, int] | None:
        if not self.counts:
            return None
        return max(self.counts.items(), key=lambda item: (item[1], item[0]))

    def share(self, choice: str) -> float:
        total = self.total
        return self.counts.get(choice, 0) / total if total else 0.0


# What tests do not vote on: their debug prints are not a logging habit, and their missing
# docstrings are not a decision about documentation (a rule from an absence would flag a
# test for having a docstring). Code alone speaks for these, and tests are not held to them.
NOT_FROM_TESTS: frozenset[tuple[str, str | None]] = frozenset(
    {("logging", None), ("docstring", "function"), ("docstring", "class")}
)


def from_code_only(dimension: str, aspect: str) -> bool:
    return (dimension, None) in NOT_FROM_TESTS or (dimension, aspect) in NOT_FROM_TESTS


_SOURCE_ROOTS = frozenset({"src", "lib", "packages", "libs", "apps"})


def package_scope(path: str) -> str | None:
    """The package or top-level source folder a file belongs to, as a vote scope:
    "package:flask" for src/flask/app.py, "package:examples" for examples/x/y.py; None for a
    file at the root (it belongs to the whole repository)."""
    parts = path.split("/")
    if len(parts) < 2:
        return None
    if parts[0] in _SOURCE_ROOTS and len(parts) > 2:
        return f"package:{parts[0]}/{parts[1]}"
    return f"package:{parts[0]}"


def usual_license(tallies: Iterable[FileTally]) -> str | None:
    """The header most of the repository's files carry (None: most carry none)."""
    counted = Counter(tally.license for tally in tallies)
    return max(counted.items(), key=lambda item: (item[1], item[0] is None))[0] if counted else None


def count_votes(tallies: Iterable[tuple[str, FileTally]]) -> dict[RuleKey, Votes]:
    """Sum per-file tallies (path, tally) into votes per rule key and scope; examples come
    from different files, in path order, so the evidence shows a habit and not one file."""
    votes: dict[RuleKey, Votes] = {}
    tallies = list(tallies)
    usual = usual_license(tally for _, tally in tallies)
    for path, tally in sorted(tallies, key=lambda item: item[0]):
        if tally.license is not None and tally.license != usual:
            continue  # another license's header: someone else's code, kept in the tree
        scope = "tests" if tally.is_test else "code"
        package = package_scope(path)
        wheres = ("all", scope) if package is None else ("all", scope, package)
        for (dimension, aspect, choice), count in tally.counts.items():
            if tally.is_test and from_code_only(dimension, aspect):
                continue
            for where in wheres:
                entry = votes.setdefault((tally.language, dimension, aspect, where), Votes())
                entry.counts[choice] = entry.counts.get(choice, 0) + count
                example = tally.examples.get((dimension, aspect, choice))
                shown = entry.examples.setdefault(choice, [])
                if example is not None and len(shown) < EXAMPLES_PER_CHOICE:
                    shown.append(Example(path, *example))
    return votes
