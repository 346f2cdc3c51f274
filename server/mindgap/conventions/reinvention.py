"""Reinvention: a function in foreign code that nearly duplicates one the repository has.

Every function of the repository of at least `MIN_LINES` lines and `MIN_TOKENS` tokens is
fingerprinted (see fingerprints.py: names and literals abstracted, winnowed k-gram hashes)
and put in an inverted index from fingerprint to functions. A function defined in foreign
code is compared with the functions sharing its rarer fingerprints; the most similar one is
reported when the Jaccard similarity of their fingerprint sets reaches `THRESHOLD`:
"nearly the same as utils.slugify (87%) - reuse it?" (`reinvention/near-duplicate`,
information), with evidence {function, file, line (1-based), end_line, similarity (percent)}
for a link to it.

A function is never matched with itself: a candidate in the same file whose lines overlap the
foreign function is the same code already indexed, and one of the same name in the same file
is a variant of it (an `@overload`, a property setter). Only functions of the same language
family are compared (JavaScript, TypeScript and TSX are one family).

Keeping it current: `FunctionIndex.build(root, files, foreign_spans)`, then
`update_file(source, path, foreign_spans)` when a file changes (`None` when it was deleted);
functions in foreign code are left out: they are not the repository's own. Learning in worker
processes computes `indexed_functions(source, path, foreign_spans)` there and folds them in
with `set_functions(path, functions)`: the same index, without sending trees across.

Each function's fingerprints are kept packed (8 bytes each, sorted) and unpacked when
compared: a frozenset of Python ints costs about 100 bytes per fingerprint, 150 MB for
sqlalchemy's 18,000 functions.
"""

from __future__ import annotations

import base64
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mindgap.conventions.fingerprints import (
    FINGERPRINT_SCHEME,
    LANGUAGE_FAMILIES,
    FunctionPrint,
    function_prints,
    packed_prints,
)
from mindgap.conventions.model import SourceFile
from mindgap.findings import Spot

__all__ = ["FunctionIndex", "indexed_functions", "reinvention_spots"]

FORMAT_VERSION = 3
THRESHOLD = 0.7  # Jaccard similarity of fingerprint sets from which a function is a duplicate
# The same structure with other calls or attributes: the shapes nearly equal, and the tokens
# still related (a shape alone is too common: many small loops look alike)
SHAPE_THRESHOLD = 0.85
SHAPE_TOKEN_FLOOR = 0.35
MIN_SHAPE_FINGERPRINTS = 12
MIN_FINGERPRINTS = 8  # fewer shared hashes than this are too little evidence
CANDIDATES = 8  # functions compared exactly, among those sharing the most rare fingerprints
# A fingerprint shared by more functions than this is boilerplate (`if err != nil { return
# err }`): it does not nominate candidates, though it still counts in the exact similarity.
COMMON_FINGERPRINT = 40


def _unpacked(data: bytes) -> frozenset[int]:
    values = array("q")
    values.frombytes(data)
    return frozenset(values)


@dataclass(frozen=True)
class IndexedFunction:
    path: str
    family: str
    name: str
    start_line: int  # 0-based
    end_line: int
    packed_fingerprints: bytes  # sorted distinct values, signed 64-bit (array 'q')
    packed_shape: bytes = b""

    @property
    def fingerprints(self) -> frozenset[int]:
        return _unpacked(self.packed_fingerprints)

    @property
    def shape(self) -> frozenset[int]:
        return _unpacked(self.packed_shape)

    @property
    def display_name(self) -> str:
        """`utils.slugify` for slugify in src/pkg/utils.py: the module's stem and the name."""
        stem = PurePosixPath(self.path).stem
        if stem in ("__init__", "index", "mod", "lib", "main") and "/" in self.path:
            stem = PurePosixPath(self.path).parent.name
        return f"{stem}.{self.name}" if stem else self.name


class FunctionIndex:
    """Fingerprints of the repository's functions, by file and by fingerprint."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._functions: dict[int, IndexedFunction] = {}
        self._by_path: dict[str, list[int]] = {}
        # fingerprint -> functions: built at the first search, not when the index is loaded
        # (`mindgap learn` loads and saves it for one changed file, and never searches)
        self._inverted: dict[int, set[int]] | None = None
        self._shapes: dict[int, set[int]] | None = None  # shape fingerprint -> functions
        self._next_id = 0

    @classmethod
    def build(
        cls,
        root: Path,
        files: Iterable[SourceFile],
        foreign_spans: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    ) -> FunctionIndex:
        index = cls(root)
        for source in files:
            index.update_file(source, source.path, (foreign_spans or {}).get(source.path, ()))
        return index

    def update_file(
        self,
        source: SourceFile | None,
        path: str,
        foreign_spans: Sequence[tuple[int, int]] = (),
    ) -> None:
        """Index (again) one file's functions; those touching `foreign_spans` (character
        offsets of foreign code) are not the repository's own: nothing is compared with them."""
        functions = indexed_functions(source, path, foreign_spans) if source is not None else []
        self.set_functions(path, functions)

    def set_functions(self, path: str, functions: Sequence[IndexedFunction]) -> None:
        """The file's functions are now these (`indexed_functions` of its source)."""
        self._forget(path)
        for function in functions:
            self._add(function)

    def __len__(self) -> int:
        return len(self._functions)

    def functions_in(self, path: str) -> list[IndexedFunction]:
        return [self._functions[number] for number in self._by_path.get(path, [])]

    def all_functions(self) -> list[IndexedFunction]:
        return list(self._functions.values())

    def _add(self, function: IndexedFunction) -> None:
        number = self._next_id
        self._next_id += 1
        self._functions[number] = function
        self._by_path.setdefault(function.path, []).append(number)
        if self._inverted is not None:
            for fingerprint in function.fingerprints:
                self._inverted.setdefault(fingerprint, set()).add(number)
        if self._shapes is not None:
            for fingerprint in function.shape:
                self._shapes.setdefault(fingerprint, set()).add(number)

    def _forget(self, path: str) -> None:
        for number in self._by_path.pop(path, []):
            function = self._functions.pop(number)
            for inverted, fingerprints in (
                (self._inverted, function.fingerprints),
                (self._shapes, function.shape),
            ):
                if inverted is None:
                    continue
                for fingerprint in fingerprints:
                    holders = inverted.get(fingerprint)
                    if holders is not None:
                        holders.discard(number)
                        if not holders:
                            del inverted[fingerprint]

    def warm(self) -> None:
        """Build the search structures now (off the event loop), not at the first check."""
        self._by_fingerprint()
        self._by_shape()

    def _by_fingerprint(self) -> dict[int, set[int]]:
        if self._inverted is None:
            inverted: dict[int, set[int]] = defaultdict(set)
            for number, function in self._functions.items():
                for fingerprint in function.fingerprints:
                    inverted[fingerprint].add(number)
            self._inverted = dict(inverted)
        return self._inverted

    def _by_shape(self) -> dict[int, set[int]]:
        if self._shapes is None:
            shapes: dict[int, set[int]] = defaultdict(set)
            for number, function in self._functions.items():
                for fingerprint in function.shape:
                    shapes[fingerprint].add(number)
            self._shapes = dict(shapes)
        return self._shapes

    def best_match(
        self, function: FunctionPrint, family: str, path: str
    ) -> tuple[IndexedFunction, float] | None:
        """The indexed function most similar to `function` (not itself), if any reaches the
        threshold: by tokens, or by structure (`match` says which and how much)."""
        found = self.match(function, family, path)
        return (found.function, found.similarity) if found is not None else None

    def match(self, function: FunctionPrint, family: str, path: str) -> Match | None:
        if len(function.fingerprints) < MIN_FINGERPRINTS:
            return None
        shared: Counter[int] = Counter()
        inverted = self._by_fingerprint()
        for fingerprint in function.fingerprints:
            holders = inverted.get(fingerprint)
            if holders and len(holders) <= COMMON_FINGERPRINT:
                shared.update(holders)
        by_shape: Counter[int] = Counter()
        if len(function.shape) >= MIN_SHAPE_FINGERPRINTS:
            shapes = self._by_shape()
            for fingerprint in function.shape:
                holders = shapes.get(fingerprint)
                if holders and len(holders) <= COMMON_FINGERPRINT:
                    by_shape.update(holders)
        candidates = [number for number, _ in shared.most_common(CANDIDATES)]
        candidates += [n for n, _ in by_shape.most_common(CANDIDATES) if n not in candidates]
        best: Match | None = None
        for number in candidates:
            candidate = self._functions[number]
            if candidate.family != family or _is_itself(candidate, function, path):
                continue
            # unpacked once per candidate (each unpacking builds a set), and the shape only
            # when it decides: most candidates share a few tokens and are dismissed at once
            fingerprints = candidate.fingerprints
            common = len(fingerprints & function.fingerprints)
            tokens = _similarity(common, fingerprints, function.fingerprints)
            found: Match | None = None
            if tokens >= THRESHOLD and common >= MIN_FINGERPRINTS:
                found = Match(candidate, tokens, tokens, _jaccard(candidate.shape, function.shape))
            elif (
                tokens >= SHAPE_TOKEN_FLOOR
                # packed 8 bytes per fingerprint: the shape's size without unpacking it
                and min(len(candidate.packed_shape) // 8, len(function.shape))
                >= MIN_SHAPE_FINGERPRINTS
            ):
                shape = _jaccard(candidate.shape, function.shape)
                if shape >= SHAPE_THRESHOLD:
                    found = Match(candidate, shape, tokens, shape, by_structure=True)
            if found is not None and (best is None or found.similarity > best.similarity):
                best = found
        return best

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "root": str(self.root),
            "scheme": FINGERPRINT_SCHEME,
            "functions": [
                {
                    "path": function.path,
                    "family": function.family,
                    "name": function.name,
                    "start_line": function.start_line,
                    "end_line": function.end_line,
                    "fingerprints": base64.b64encode(function.packed_fingerprints).decode(),
                    "shape": base64.b64encode(function.packed_shape).decode(),
                }
                for function in self._functions.values()
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FunctionIndex:
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported function index version {data.get('version')!r}")
        if data.get("scheme") != FINGERPRINT_SCHEME:  # another Python hashes k-grams otherwise
            raise ValueError(f"fingerprints made by {data.get('scheme')!r}")
        index = cls(Path(data["root"]))
        for entry in data.get("functions", []):
            index._add(
                IndexedFunction(
                    entry["path"],
                    entry["family"],
                    entry["name"],
                    int(entry["start_line"]),
                    int(entry["end_line"]),
                    base64.b64decode(entry["fingerprints"], validate=True),
                    base64.b64decode(entry["shape"], validate=True),
                )
            )
        return index


def indexed_functions(
    source: SourceFile, path: str, foreign_spans: Sequence[tuple[int, int]] = ()
) -> list[IndexedFunction]:
    """The file's functions as the index keeps them, leaving out those touching
    `foreign_spans` (character offsets of foreign code)."""
    family = LANGUAGE_FAMILIES.get(source.language)
    if family is None:
        return []
    foreign_lines = [
        (source.index.line_of(start), source.index.line_of(max(start, end - 1)))
        for start, end in foreign_spans
    ]
    return [
        IndexedFunction(
            path,
            family,
            function.name,
            function.start_line,
            function.end_line,
            array("q", function.fingerprints).tobytes(),  # PackedPrint: sorted, distinct
            array("q", function.shape).tobytes(),
        )
        for function in packed_prints(source)
        if not any(
            first <= function.end_line and function.start_line <= last
            for first, last in foreign_lines
        )
    ]


class BehaviourBudget:
    """The seconds one run (a `mindgap check` of many files) may spend comparing functions
    by behaviour in the sandbox, counted from its first comparison: past it, the token and
    structure comparisons still run, behaviour ones no longer start."""

    def __init__(self, seconds: float = 30.0) -> None:
        self.seconds = seconds
        self._deadline: float | None = None

    def deadline(self) -> float:
        if self._deadline is None:
            self._deadline = time.monotonic() + self.seconds
        return self._deadline

    def spent(self) -> bool:
        return self._deadline is not None and time.monotonic() > self._deadline


@dataclass(frozen=True)
class Match:
    """The most similar function of the repository, and how similar."""

    function: IndexedFunction
    similarity: float  # what decided: the tokens', or the shape's when by_structure
    tokens: float
    shape: float
    by_structure: bool = False


def _jaccard(first: frozenset[int], second: frozenset[int]) -> float:
    return _similarity(len(first & second), first, second)


def _similarity(common: int, first: frozenset[int], second: frozenset[int]) -> float:
    """Jaccard similarity from the size of the intersection (|A u B| = |A| + |B| - |A n B|)."""
    union = len(first) + len(second) - common
    return common / union if union else 0.0


def _is_itself(candidate: IndexedFunction, function: FunctionPrint, path: str) -> bool:
    """The same code already indexed (same file, overlapping lines), or another definition
    of the same name in the same file: `@overload` signatures, a property's setter, a
    redefinition - variants of one function, not a second one to reuse."""
    if candidate.path != path:
        return False
    overlapping = (
        candidate.start_line <= function.end_line and function.start_line <= candidate.end_line
    )
    return overlapping or candidate.name == function.name


def reinvention_spots(
    source: SourceFile,
    start: int,
    end: int,
    index: FunctionIndex,
    by_behaviour: BehaviourBudget | None = None,
) -> list[Spot]:
    """Findings on the functions defined inside text[start:end] that nearly duplicate one
    the repository already has; with `by_behaviour`, also Python functions that give the
    same results as one of its functions in the sandbox (behaviour.py: seconds, not
    milliseconds - for `mindgap check`, never on the editor's typing path)."""
    family = LANGUAGE_FAMILIES.get(source.language)
    if family is None or not len(index):
        return []
    spots = []
    for function in function_prints(source, start, end):
        match = index.match(function, family, source.path)
        if match is None:
            continue
        existing = match.function
        percent = round(match.similarity * 100)
        if match.by_structure:
            finding = (
                f"the same structure as {existing.display_name} ({percent}% of its shape, "
                f"{round(match.tokens * 100)}% of its tokens)"
            )
        else:
            finding = f"nearly the same as {existing.display_name} ({percent}%)"
        evidence = {
            "similarity": percent,
            "token_similarity": round(match.tokens * 100),
            "structure_similarity": round(match.shape * 100),
            "by": "structure" if match.by_structure else "tokens",
        }
        spots.append(
            _reuse_spot(
                function.name_start, function.name_end, function.name, existing, finding, evidence
            )
        )
    if by_behaviour is not None and not by_behaviour.spent():
        spots += _behaviour_spots(
            source,
            start,
            end,
            index,
            {spot.evidence["foreign_function"] for spot in spots},
            by_behaviour,
        )
    return spots


def _reuse_spot(
    start: int,
    end: int,
    foreign_name: str,
    existing: IndexedFunction,
    finding: str,
    evidence: dict[str, Any],
) -> Spot:
    """A near-duplicate finding on a foreign function's name (text[start:end]): `finding`
    says how it resembles `existing`, and the message ends by pointing at it."""
    return Spot(
        start,
        end,
        "reinvention",
        "reinvention/near-duplicate",
        "information",
        f"{finding} - reuse it? ({existing.path}:{existing.start_line + 1})",
        {
            "function": existing.display_name,
            "file": existing.path,
            "line": existing.start_line + 1,
            "end_line": existing.end_line + 1,
            **evidence,
            "foreign_function": foreign_name,
        },
    )


def _behaviour_spots(
    source: SourceFile,
    start: int,
    end: int,
    index: FunctionIndex,
    already: set[str],
    budget: BehaviourBudget,
) -> list[Spot]:
    from mindgap.conventions.behaviour import behaviour_clones  # the sandbox: only when asked

    spots = []
    for foreign, clone in behaviour_clones(
        source, start, end, index.root, index.all_functions(), already, budget.deadline()
    ):
        existing = clone.function
        example = clone.same[0]
        finding = (
            f"gives the same results as {existing.display_name} on {clone.inputs} inputs "
            f"(e.g. {example.call} and {example.existing_call} both return {example.result})"
        )
        evidence = {
            "by": "behaviour",
            "inputs": clone.inputs,
            "same_results": [
                {"call": same.call, "existing_call": same.existing_call, "returns": same.result}
                for same in clone.same
            ],
        }
        spots.append(
            _reuse_spot(
                foreign.name_start, foreign.name_end, foreign.name, existing, finding, evidence
            )
        )
    return spots
