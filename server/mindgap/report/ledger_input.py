"""Reading what a report needs from the store: events, current regions, their constructs and
the developer's familiarity evidence. The computation itself is `report.debt` (pure)."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from mindgap import __version__
from mindgap.knowledge.familiarity import assess
from mindgap.knowledge.profile import HAND, Profile, developer_key
from mindgap.knowledge.unfamiliar import has_evidence
from mindgap.ledger.database import Database, StoreError
from mindgap.report.debt import CurrentRegion, HandEvidence, compute_debt, state_lines
from mindgap.report.model import DebtReport, DebtSummary

log = logging.getLogger(__name__)

# The kinds the debt computation reads (`moved` changes nothing it counts), and those of
# them whose detail it reads: the others skip the JSON decoding.
_READ_KINDS = (
    "inserted",
    "restored",
    "reclassified",
    "retyped",
    "deleted",
    "marked-mine",
    "quizzed",
    "answered",
    "explained",
    "hand-written",
    "waived",
)
_DETAIL_KINDS = frozenset({"quizzed", "answered", "explained", "hand-written"})
# Of a `retyped` event's detail only `vanished` counts; ledgers hold many of them, and the
# events table writes details with json.dumps(sort_keys=True), so a text search suffices.
_VANISHED = '"vanished": true'
HAND_PRACTICE_KINDS = ("typed", "hand-written")  # practice that is writing, not a quiz


class LedgerRow(NamedTuple):
    """An event as the debt computation reads it (lighter than `events.Event`)."""

    kind: str
    region_id: str | None
    origin_id: str | None
    lines: int
    detail: dict[str, Any]
    time: float


# A row's numbers as SQLite typed them: a hand-edited or damaged row may hold text where a
# number belongs; it reads as -1 (and is then left out, with one warning) instead of
# breaking the report with a TypeError.
_NUMBERS = (
    "CASE WHEN typeof(lines) IN ('integer', 'real') AND lines >= 0 AND lines <= 1000000000"
    " THEN CAST(lines AS INTEGER) ELSE -1 END,"
    " CASE WHEN typeof(time) IN ('integer', 'real') AND abs(time) < 1e11 THEN time ELSE -1 END"
)


def read_ledger_events(database: Database, developer: str) -> list[LedgerRow]:
    marks = ",".join("?" for _ in _READ_KINDS)
    rows = database.query(
        f"SELECT kind, region_id, origin_id, detail, {_NUMBERS} FROM events"
        f" WHERE lower(developer) = ? AND kind IN ({marks}) ORDER BY time, id",
        (developer_key(developer), *_READ_KINDS),
    )
    empty: dict[str, Any] = {}
    vanished: dict[str, Any] = {"vanished": True}
    events = [
        LedgerRow(
            kind,
            region_id,
            origin_id,
            lines,
            _detail(detail)
            if kind in _DETAIL_KINDS
            else (vanished if kind == "retyped" and _VANISHED in str(detail) else empty),
            moment,
        )
        for kind, region_id, origin_id, detail, lines, moment in rows
        if lines >= 0 and moment != -1
    ]
    if len(events) < len(rows):
        log.warning(
            "%d event(s) in the store %s hold no usable line count or time: left out",
            len(rows) - len(events),
            database.path,
        )
    return events


def _detail(text: Any) -> dict[str, Any]:
    try:
        found = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return {}
    return found if isinstance(found, dict) else {}


def _line_count(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.strip())


def read_current_regions(database: Database, developer: str) -> list[CurrentRegion]:
    rows = database.query(
        "SELECT id, origin_id, path, state, text, source FROM regions"
        " WHERE lower(developer) = ? ORDER BY path, start_offset",
        (developer_key(developer),),
    )
    regions = [
        CurrentRegion(
            id=row["id"],
            origin_id=row["origin_id"],
            path=row["path"],
            state=row["state"],
            lines=_line_count(row["text"]),
            source=row["source"],
        )
        for row in rows
    ]
    return regions + _put_aside_regions(database, developer)


def _put_aside_regions(database: Database, developer: str) -> list[CurrentRegion]:
    """Foreign code put aside while the developer hand-writes their version (gate/
    handwrite_session.py) is out of the `regions` table but still pending: still debt."""
    rows = database.query(
        "SELECT path, record FROM handwrites WHERE lower(developer) = ? AND state = 'open'",
        (developer_key(developer),),
    )
    regions = []
    for row in rows:
        try:
            region = json.loads(row["record"])["region"]
            regions.append(
                CurrentRegion(
                    id=region["id"],
                    origin_id=region["origin_id"],
                    path=row["path"],
                    state="pending",
                    lines=_line_count(region["text"]),
                    source=region["source"],
                )
            )
        except (ValueError, KeyError, TypeError):  # a damaged record: not counted, said
            log.warning("an unreadable hand-write record in the store was left out")
    return regions


def current_summary(database: Database, developer: str) -> DebtSummary:
    """The status line: states only, no parsing (cheap enough for every change)."""
    return DebtSummary.of(state_lines(read_current_regions(database, developer)))


@functools.cache
def _catalogue_digest(language: str) -> str:
    """Changes whenever what a construct search finds could change: the query file (with
    its includes) or mindgap itself (the API finder is code)."""
    from mindgap.knowledge.catalogue import _source

    return hashlib.sha256(f"{__version__}\n{_source(language)}".encode()).hexdigest()[:16]


class ConstructFinder:
    """Construct keys in pieces of foreign code, by their file's language.

    Parsing thousands of regions costs seconds, so what was found is kept in the store
    (`construct_cache`, by the hash of the exact text) and only new code is parsed.
    """

    def __init__(self, database: Database, local_modules: frozenset[str] = frozenset()) -> None:
        self.database = database
        self.local_modules = local_modules
        self.names: dict[str, str] = {}

    def find_all(self, items: list[tuple[str, str]]) -> list[tuple[str, ...]]:
        """For each (path, text): the construct keys in the text, one per occurrence."""
        from mindgap.knowledge.catalogue import CatalogueError, has_catalogue
        from mindgap.syntax.languages import language_for

        languages: dict[str, str | None] = {}
        keyed: list[tuple[str, str] | None] = []
        for path, text in items:
            suffix = os.path.splitext(path)[1] or path
            if suffix not in languages:
                spec = language_for(path)
                usable = spec is not None and has_catalogue(spec.name)
                languages[suffix] = spec.name if spec is not None and usable else None
            language = languages[suffix]
            keyed.append(None if language is None else (language, _text_hash(text)))
        try:
            digests = {lang: _catalogue_digest(lang) for lang in set(languages.values()) if lang}
        except (CatalogueError, OSError):
            return [() for _ in items]
        known = self._cached(digests)
        missing: dict[tuple[str, str], str] = {}
        for (_, text), key in zip(items, keyed, strict=True):
            if key is not None and key not in known:
                missing[key] = text
        if missing:
            found = {key: self._parse(key[0], text) for key, text in missing.items()}
            known.update(found)
            self._remember(found, digests)
        result = []
        for key in keyed:
            pairs = known.get(key, ()) if key is not None else ()
            keys = []
            for construct_key, name in pairs:
                if self._is_local_api(construct_key):
                    continue  # the repository's own code, not a library
                self.names[construct_key] = name
                keys.append(construct_key)
            result.append(tuple(keys))
        return result

    def _is_local_api(self, construct_key: str) -> bool:
        construct_id = construct_key.partition("/")[2]
        if not construct_id.startswith("api:"):
            return False
        return construct_id[len("api:") :].split(".", 1)[0] in self.local_modules

    def _cached(
        self, digests: dict[str, str]
    ) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
        known = {}
        for row in self.database.query("SELECT * FROM construct_cache"):
            if digests.get(row["language"]) == row["catalogue"]:
                pairs = tuple((key, name) for key, name in json.loads(row["constructs"]))
                known[(row["language"], row["text_hash"])] = pairs
        return known

    def _remember(
        self, found: dict[tuple[str, str], tuple[tuple[str, str], ...]], digests: dict[str, str]
    ) -> None:
        try:
            with self.database.transaction() as connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO construct_cache VALUES (?, ?, ?, ?)",
                    [
                        (text_hash, language, digests[language], json.dumps(pairs))
                        for (language, text_hash), pairs in found.items()
                    ],
                )
        except StoreError as error:  # a locked store: the report is still right, only slower
            log.info("construct cache not written: %s", error)

    @staticmethod
    def _parse(language: str, text: str) -> tuple[tuple[str, str], ...]:
        from mindgap.knowledge.apis import find_api_uses
        from mindgap.knowledge.catalogue import catalogue
        from mindgap.syntax.languages import language_named

        known = catalogue(language)
        tree = language_named(language).parser().parse(text.encode("utf-8", "surrogatepass"))
        hits = known.find(tree.root_node)
        if language == "python":
            hits += find_api_uses(tree.root_node, 0, tree.root_node.end_byte)
        return tuple((hit.construct.key, hit.construct.name) for hit in hits)


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _with_constructs(
    database: Database,
    developer: str,
    regions: list[CurrentRegion],
    finder: ConstructFinder,
    profile: Profile | None,
    now: float,
) -> list[CurrentRegion]:
    texts = {
        row["id"]: row["text"]
        for row in database.query(
            "SELECT id, text FROM regions WHERE lower(developer) = ?", (developer_key(developer),)
        )
    }
    verdicts: dict[str, bool] = {}

    def unfamiliar(keys: Iterable[str]) -> tuple[str, ...]:
        if profile is None:
            return ()
        found = []
        for key in dict.fromkeys(keys):
            if key not in verdicts:
                verdicts[key] = profile.familiarity(key, now).level != "familiar"
            if verdicts[key]:
                found.append(key)
        return tuple(found)

    enriched = []
    found = finder.find_all([(region.path, texts.get(region.id, "")) for region in regions])
    for region, keys in zip(regions, found, strict=True):
        enriched.append(
            CurrentRegion(
                id=region.id,
                origin_id=region.origin_id,
                path=region.path,
                state=region.state,
                lines=region.lines,
                source=region.source,
                constructs=keys,
                unfamiliar=unfamiliar(keys),
            )
        )
    return enriched


def hand_evidence(
    database: Database, developer: str, profile: Profile, keys: Iterable[str], now: float
) -> dict[str, HandEvidence]:
    """Per construct: how often and when the developer last wrote it by hand (history and
    typing in the editor; hand-writes in the gate), and whether that is still familiar."""
    key = developer_key(developer)
    written: dict[str, tuple[int, float | None]] = {}
    for row in database.query(
        "SELECT construct, SUM(count) AS n, MAX(last_written) AS last FROM construct_evidence"
        " WHERE developer = ? AND source = ? GROUP BY construct",
        (key, HAND),
    ):
        written[row["construct"]] = (int(row["n"]), row["last"])
    marks = ",".join("?" for _ in HAND_PRACTICE_KINDS)
    for row in database.query(
        "SELECT construct, COUNT(*) AS n, MAX(time) AS last FROM construct_practice"
        f" WHERE developer = ? AND kind IN ({marks}) GROUP BY construct",
        (key, *HAND_PRACTICE_KINDS),
    ):
        count, last = written.get(row["construct"], (0, None))
        written[row["construct"]] = (
            count + int(row["n"]),
            row["last"] if last is None else max(last, row["last"]),
        )
    evidence = {}
    for construct in set(keys):
        count, last = written.get(construct, (0, None))
        # the decay model over hand-written evidence only: a passed quiz is not writing
        familiar = assess(count, last, now, profile.parameters).level == "familiar"
        evidence[construct] = HandEvidence(count, last, familiar)
    return evidence


def local_utc_offset(now: float) -> float:
    offset = datetime.fromtimestamp(now).astimezone().utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def personal_report(
    database: Database,
    developer: str,
    profile: Profile | None = None,
    local_modules: frozenset[str] = frozenset(),
    now: float | None = None,
) -> DebtReport:
    """The developer's report from the store (`profile`: their familiarity profile)."""
    moment = time.time() if now is None else now
    if profile is not None and not has_evidence(profile):
        profile = None  # without history, everything would look unfamiliar
    finder = ConstructFinder(database, local_modules)
    events = read_ledger_events(database, developer)
    regions = _with_constructs(
        database, developer, read_current_regions(database, developer), finder, profile, moment
    )
    hand = (
        hand_evidence(database, developer, profile, finder.names, moment)
        if profile is not None
        else {}
    )
    return compute_debt(
        developer,
        events,
        regions,
        now=moment,
        profile=profile is not None,
        hand=hand,
        names=finder.names,
        utc_offset_s=local_utc_offset(moment),
    )
