"""A developer's familiarity profile: the evidence in the store, and a verdict per construct.

Evidence, per (developer, construct):
- constructs written by hand in the developer's own commits, per repository
  (`construct_evidence` with source "hand"), built from git history by `update_profile`;
- passed quizzes and hand-writes (`construct_practice`), which count like writing.

Constructs in the developer's AI-assisted commits are stored too (source "assisted"), but
only to show what they accept from assistants: accepting foreign code is never evidence of
familiarity. Developers are identified by email, compared case-insensitively.

Each row keeps how many times, the first and last time, and the distinct days the construct
was written on (the familiarity model builds stability day by day): sorted day numbers,
the first zigzag-encoded, then the gaps, as LEB128 varints - about a byte per day, at most
one entry per calendar day. Rows from before the days were kept (NULL) have their days
estimated from count, first and last; the next update of their repository rebuilds it.

Each repository remembers the commit its evidence runs up to (`history_progress`); the next
update reads only the commits after it, and rebuilds the repository's evidence from scratch
when that commit is no longer an ancestor of HEAD (amended, rebased) or the developer's set
of emails changed. An update interrupted (Ctrl-C) keeps what it read: the evidence, and the
commits read (`history_read`), which the next update does not read again.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mindgap.knowledge.familiarity import (
    DEFAULT_PARAMETERS,
    DecayParameters,
    Familiarity,
    assess,
    day_number,
    estimated_days,
    to_timestamp,
)
from mindgap.ledger.database import Database

# knowledge.history (git history, notebooks) is imported where a profile is built from
# history: reading one (every check, quiz and server start) needs none of it.
if TYPE_CHECKING:
    from mindgap.config import Settings
    from mindgap.knowledge.history import Commit, Repository

__all__ = [
    "AcceptedCode",
    "Profile",
    "ProgressCallback",
    "RepositoryUpdate",
    "Tally",
    "accepted_in_editor",
    "developer_key",
    "record_practice",
    "update_profile",
]

HAND, ASSISTED = "hand", "assisted"
UpdateMode = Literal["bootstrap", "incremental", "rebuild", "up-to-date", "empty"]


def developer_key(developer: str) -> str:
    """How a developer is stored: the email, trimmed and lower-cased."""
    return developer.strip().lower()


@dataclass
class Tally:
    """Occurrences of one construct: how many, the first and last time, on which days,
    where."""

    count: int = 0
    first: float | None = None
    last: float | None = None
    repos: set[str] = field(default_factory=set)
    days: set[int] = field(default_factory=set)  # familiarity.day_number of each use

    def add(
        self,
        count: int,
        first: float,
        last: float,
        repo: str | None = None,
        days: Iterable[int] | None = None,
    ) -> None:
        """`days` None: not known (evidence stored before they were kept), estimated."""
        if count <= 0:
            return
        self.count += count
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)
        if repo is not None:
            self.repos.add(repo)
        self.days.update(days if days is not None else estimated_days(count, first, last))

    def merge(self, other: Tally) -> None:
        if other.count and other.first is not None and other.last is not None:
            self.add(other.count, other.first, other.last, days=other.days)


def encode_days(days: Iterable[int]) -> bytes:
    """Sorted distinct day numbers as bytes: the first zigzag-encoded, then the gaps, each an
    LEB128 varint (a byte per day while they are less than 128 days apart)."""
    out = bytearray()
    previous = None
    for day in sorted(set(days)):
        value = (day << 1) ^ (day >> 63) if previous is None else day - previous
        previous = day
        while value >= 0x80:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
    return bytes(out)


def decode_days(data: bytes | None) -> list[int] | None:
    """What `encode_days` wrote; None for NULL (not kept) or bytes it did not write."""
    if data is None:
        return None
    days: list[int] = []
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte & 0x80:
            continue
        days.append((value >> 1) ^ -(value & 1) if not days else days[-1] + value)
        value = shift = 0
    return days if shift == 0 else None


class Profile:
    """What one developer has written and practised, loaded from the store once."""

    def __init__(
        self,
        developer: str,
        parameters: DecayParameters = DEFAULT_PARAMETERS,
        *,
        written: dict[str, Tally] | None = None,
        practised: dict[str, Tally] | None = None,
        assisted: dict[str, Tally] | None = None,
        repositories: Sequence[str] = (),
        database: Database | None = None,
    ) -> None:
        self.developer = developer_key(developer)
        self.parameters = parameters
        self.written = written or {}
        self.practised = practised or {}
        self.assisted = assisted or {}
        self.repositories = tuple(repositories)  # every repository whose history was read
        self._database = database
        self._groups: dict[str, list[str]] | None = None  # relation group -> construct keys

    @classmethod
    def load(cls, database: Database, developer: str, settings: Settings | None = None) -> Profile:
        """The developer's profile as the store holds it (empty if nothing was built)."""
        key = developer_key(developer)
        written: dict[str, Tally] = {}
        assisted: dict[str, Tally] = {}
        for row in database.query(
            "SELECT construct, repo, source, count, first_written, last_written, days"
            " FROM construct_evidence WHERE developer = ?",
            (key,),
        ):
            into = written if row["source"] == HAND else assisted
            into.setdefault(row["construct"], Tally()).add(
                row["count"],
                row["first_written"],
                row["last_written"],
                row["repo"],
                decode_days(row["days"]),
            )
        practised: dict[str, Tally] = {}
        for row in database.query(
            "SELECT construct, time FROM construct_practice WHERE developer = ?", (key,)
        ):
            moment = row["time"]
            practised.setdefault(row["construct"], Tally()).add(
                1, moment, moment, days=[day_number(moment)]
            )
        repositories = [
            row["repo"]
            for row in database.query(
                "SELECT repo FROM history_progress WHERE developer = ? ORDER BY repo", (key,)
            )
        ]
        parameters = (
            DecayParameters.from_settings(settings) if settings is not None else DEFAULT_PARAMETERS
        )
        return cls(
            key,
            parameters,
            written=written,
            practised=practised,
            assisted=assisted,
            repositories=repositories,
            database=database,
        )

    def familiarity(self, construct_key: str, now: datetime | float | None = None) -> Familiarity:
        """The verdict for one construct ("python/match-statement") at `now` (default: now),
        drawing also on related practice: the same library's other APIs, the same family."""
        moment = to_timestamp(now)
        both = self._evidence(construct_key)
        related: list[str] = []
        related_familiar = False
        own = self._verdict(both, moment)
        if own.level != "familiar" and self.parameters.related_min > 0:
            related, related_familiar = self._related(construct_key, both.count > 0, moment)
        written = self.written.get(construct_key, Tally())
        return assess(
            both.count,
            both.last,
            moment,
            self.parameters,
            repos=written.repos,
            practised=self.practised.get(construct_key, Tally()).count,
            first_written=both.first,
            related=related,
            related_familiar=related_familiar,
            days=sorted(both.days),
        )

    def _evidence(self, construct_key: str) -> Tally:
        both = Tally()
        for tally in (self.written.get(construct_key), self.practised.get(construct_key)):
            if tally is not None:
                both.merge(tally)
        return both

    def _related(self, construct_key: str, written: bool, now: float) -> tuple[list[str], bool]:
        """Related constructs the developer knows, and whether that related practice is
        familiar: `related_min` of them familiar each, or the group as one memory (the library
        or family practised as a whole: ctypes' twenty APIs written on one day)."""
        group = relation_group(construct_key)
        if group is None:
            return [], False
        if self._groups is None:
            self._groups = {}
            for key in self.written.keys() | self.practised.keys():
                found = relation_group(key)
                if found is not None:
                    self._groups.setdefault(found, []).append(key)
        minimum = self.parameters.related_min
        members = sorted(self._groups.get(group, ()))
        others = [key for key in members if key != construct_key]
        familiar = []
        for key in others:
            if self._verdict(self._evidence(key), now).level == "familiar":
                familiar.append(key)
                if len(familiar) >= minimum:
                    return familiar, True
        # a construct written before needs one related construct; one never written, more
        if others and (written or len(others) >= minimum):
            pooled = Tally()
            for key in members:
                pooled.merge(self._evidence(key))
            if self._verdict(pooled, now).level == "familiar":
                return others[:3], True
        return familiar, False

    def _verdict(self, tally: Tally, now: float) -> Familiarity:
        return assess(
            tally.count,
            tally.last,
            now,
            self.parameters,
            first_written=tally.first,
            days=sorted(tally.days),
        )

    def constructs(self) -> list[str]:
        """Every construct with any evidence, written, practised or accepted, sorted."""
        return sorted(self.written.keys() | self.practised.keys() | self.assisted.keys())

    def record_practice(
        self,
        construct_keys: Iterable[str],
        when: datetime | float | None = None,
        kind: str = "quiz",
    ) -> None:
        """Record a passed quiz or hand-write, in the store and in this loaded profile."""
        keys = list(dict.fromkeys(construct_keys))
        moment = to_timestamp(when)
        if self._database is not None:
            record_practice(self._database, self.developer, keys, moment, kind)
        for key in keys:
            self.practised.setdefault(key, Tally()).add(
                1, moment, moment, days=[day_number(moment)]
            )
        self._groups = None


def record_practice(
    database: Database,
    developer: str,
    construct_keys: Iterable[str],
    when: datetime | float | None = None,
    kind: str = "quiz",
) -> None:
    """A passed quiz, explanation or hand-write about code holding these constructs: each
    counts as one more time the developer wrote it (`kind` says which it was)."""
    keys = list(dict.fromkeys(construct_keys))
    if not keys:
        return
    moment = to_timestamp(when)
    with database.transaction() as connection:
        connection.executemany(
            "INSERT INTO construct_practice (developer, construct, kind, time) VALUES (?, ?, ?, ?)",
            [(developer_key(developer), key, kind, moment) for key in keys],
        )


def relation_group(construct_key: str) -> str | None:
    """What a construct's familiarity also draws on: a library API's top-level module
    ("python/api:os.path.join" -> "python/api:os"), a catalogue construct's family."""
    language, _, ident = construct_key.partition("/")
    if ident.startswith("api:"):
        return f"{language}/api:{ident[4:].split('.', 1)[0]}"
    from mindgap.knowledge.catalogue import CatalogueError, catalogue, has_catalogue

    try:
        construct = catalogue(language).constructs.get(ident) if has_catalogue(language) else None
    except CatalogueError:
        return None
    return f"{language}/family:{construct.family}" if construct is not None else None


# -- building from git history -----------------------------------------------------------


@dataclass(frozen=True)
class RepositoryUpdate:
    """What one update did to one repository's evidence."""

    repo: str
    head: str | None
    mode: UpdateMode
    reason: str | None  # why a rebuild happened
    commits: int  # the developer's hand-written commits read in this update
    assisted_commits: int  # the developer's AI-assisted commits read in this update
    constructs: int  # hand-written construct occurrences found in this update
    skipped: dict[str, int]  # files not read, by reason


@dataclass
class _Plan:
    repository: Repository
    head: str | None
    mode: UpdateMode
    reason: str | None
    commits: list[Commit]
    previous_commits: int = 0
    previous_assisted: int = 0
    fresh: bool = False  # the repository's evidence is built again from nothing


ProgressCallback = Callable[[int, int], None]


def update_profile(
    database: Database,
    developer: str,
    repos: Sequence[Path | str],
    *,
    emails: Iterable[str] = (),
    on_progress: ProgressCallback | None = None,
) -> list[RepositoryUpdate]:
    """Bring the developer's evidence up to date with each repository's HEAD.

    `emails` are further author addresses of the same developer. `on_progress(done, total)`
    is called once the commits to read are known, and after each commit. A folder that is
    not a git repository raises `GitError` before anything is read or written.
    """
    from mindgap.knowledge.history import Repository

    key = developer_key(developer)
    addresses = sorted({key, *(developer_key(email) for email in emails)} - {""})
    emails_text = ",".join(addresses)
    plans = [_plan(database, key, Repository(path), addresses, emails_text) for path in repos]
    total = sum(len(plan.commits) for plan in plans)
    done = 0
    if on_progress is not None:
        on_progress(0, total)

    def advance(_: Commit) -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, total)

    foreign = _foreign_lines(database, key)
    updates = []
    for plan in plans:
        updates.append(_apply(database, key, emails_text, plan, foreign, advance))
    return updates


def _plan(
    database: Database, developer: str, repository: Repository, emails: list[str], emails_text: str
) -> _Plan:
    repo = str(repository.root)
    head = repository.head()
    if head is None:
        return _Plan(repository, None, "empty", None, [])
    rows = database.query(
        "SELECT last_commit, emails, commits, assisted_commits FROM history_progress"
        " WHERE developer = ? AND repo = ?",
        (developer, repo),
    )
    already = {  # read by an update that was interrupted
        row["sha"]
        for row in database.query(
            "SELECT sha FROM history_read WHERE developer = ? AND repo = ?", (developer, repo)
        )
    }

    def unread(since: str | None) -> list[Commit]:
        found = repository.commits(emails, since, head)
        return [commit for commit in found if commit.sha not in already] if already else found

    if not rows:
        return _Plan(repository, head, "bootstrap", None, unread(None), fresh=not already)
    row = rows[0]
    undated = database.query(
        "SELECT 1 FROM construct_evidence WHERE developer = ? AND repo = ? AND days IS NULL"
        " LIMIT 1",
        (developer, repo),
    )
    if row["emails"] != emails_text:
        reason = "the developer's emails changed"
    elif not repository.is_ancestor(row["last_commit"], head):
        reason = f"history was rewritten ({row['last_commit'][:12]} is not an ancestor of HEAD)"
    elif undated:
        reason = "the store now keeps the days each construct was written on"
    elif row["last_commit"] == head and not already:
        return _Plan(
            repository, head, "up-to-date", None, [], row["commits"], row["assisted_commits"]
        )
    else:
        return _Plan(
            repository,
            head,
            "incremental",
            None,
            unread(row["last_commit"]),
            row["commits"],
            row["assisted_commits"],
        )
    return _Plan(
        repository, head, "rebuild", reason, repository.commits(emails, None, head), fresh=True
    )


def _apply(
    database: Database,
    developer: str,
    emails_text: str,
    plan: _Plan,
    foreign: dict[str, frozenset[str]],
    advance: Callable[[Commit], None],
) -> RepositoryUpdate:
    """Read the plan's commits and store what they show; on Ctrl-C, store what was read
    before passing the interrupt on."""
    from mindgap.knowledge.history import ScanStats

    repository = plan.repository
    found: dict[tuple[str, str], Tally] = {}
    read: list[tuple[str, bool]] = []  # (commit, AI-assisted)
    hand_constructs = 0
    stats = ScanStats()
    root = f"{repository.root}/"
    foreign_lines = {
        path[len(root) :]: lines for path, lines in foreign.items() if path.startswith(root)
    }
    scanning = repository.scan(
        plan.commits, foreign_lines=foreign_lines, on_commit=advance, stats=stats
    )
    try:
        with closing(scanning):
            for commit, written in scanning:
                source = HAND if commit.assisted_by is None else ASSISTED
                if source == HAND:
                    hand_constructs += len(written)
                day = [day_number(commit.time)]
                for construct, count in Counter(item.key for item in written).items():
                    found.setdefault((construct, source), Tally()).add(
                        count, commit.time, commit.time, days=day
                    )
                read.append((commit.sha, source == ASSISTED))
    except KeyboardInterrupt:
        if plan.head is not None and plan.mode != "up-to-date":
            _store(database, developer, emails_text, plan, found, read, complete=False)
        raise
    if plan.head is not None and plan.mode != "up-to-date":
        _store(database, developer, emails_text, plan, found, read, complete=True)
    return RepositoryUpdate(
        repo=str(repository.root),
        head=plan.head,
        mode=plan.mode,
        reason=plan.reason,
        commits=sum(1 for _, assisted in read if not assisted),
        assisted_commits=sum(1 for _, assisted in read if assisted),
        constructs=hand_constructs,
        skipped=dict(stats.skipped),
    )


def _store(
    database: Database,
    developer: str,
    emails_text: str,
    plan: _Plan,
    found: dict[tuple[str, str], Tally],
    read: list[tuple[str, bool]],
    complete: bool,
) -> None:
    """Add what was read to the repository's evidence, in one transaction. Complete: HEAD
    becomes where the evidence runs up to. Interrupted: the commits read are remembered, so
    that the next update reads only the others."""
    repo = str(plan.repository.root)
    key = (developer, repo)
    with database.transaction() as connection:
        if plan.fresh:
            connection.execute(
                "DELETE FROM construct_evidence WHERE developer = ? AND repo = ?", key
            )
            connection.execute("DELETE FROM history_read WHERE developer = ? AND repo = ?", key)
            # until it is complete, the evidence is that of the commits read, from nothing
            connection.execute("DELETE FROM history_progress WHERE developer = ? AND repo = ?", key)
        else:
            stored = connection.execute(
                "SELECT construct, source, count, first_written, last_written, days"
                " FROM construct_evidence WHERE developer = ? AND repo = ?",
                key,
            ).fetchall()
            for construct, source, count, first, last, days in stored:
                if (construct, source) in found:
                    known = decode_days(days)
                    tally = found[(construct, source)]
                    tally.add(count, first, last, days=known or ())
                    if known is None:  # not kept before: still not known
                        tally.days.clear()
        connection.executemany(
            "INSERT OR REPLACE INTO construct_evidence (developer, construct, repo, source,"
            " count, first_written, last_written, days) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (developer, construct, repo, source, t.count, t.first, t.last, _days_blob(t))
                for (construct, source), t in found.items()
            ],
        )
        if not complete:
            connection.executemany(
                "INSERT OR IGNORE INTO history_read (developer, repo, sha, assisted)"
                " VALUES (?, ?, ?, ?)",
                [(developer, repo, sha, int(assisted)) for sha, assisted in read],
            )
            return
        earlier = connection.execute(
            "SELECT COALESCE(SUM(1 - assisted), 0), COALESCE(SUM(assisted), 0)"
            " FROM history_read WHERE developer = ? AND repo = ?",
            key,
        ).fetchone()
        connection.execute("DELETE FROM history_read WHERE developer = ? AND repo = ?", key)
        previous = (0, 0) if plan.fresh else (plan.previous_commits, plan.previous_assisted)
        connection.execute(
            "INSERT OR REPLACE INTO history_progress (developer, repo, emails, last_commit,"
            " commits, assisted_commits, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                developer,
                repo,
                emails_text,
                plan.head,
                previous[0] + earlier[0] + sum(1 for _, assisted in read if not assisted),
                previous[1] + earlier[1] + sum(1 for _, assisted in read if assisted),
                time.time(),
            ),
        )


def _days_blob(tally: Tally) -> bytes | None:
    return encode_days(tally.days) if tally.days else None


def _foreign_lines(database: Database, developer: str) -> dict[str, frozenset[str]]:
    """Per file (absolute path): the lines of the foreign regions mindgap knows of, which
    are not the developer's even when they commit them."""
    lines: dict[str, set[str]] = {}
    for row in database.query(
        "SELECT path, text FROM regions WHERE lower(developer) = ?", (developer,)
    ):
        stripped = {line.strip() for line in row["text"].splitlines()}
        lines.setdefault(row["path"], set()).update(line for line in stripped if line)
    return {path: frozenset(found) for path, found in lines.items()}


# -- what the developer accepted in the editor ------------------------------------------


@dataclass(frozen=True)
class AcceptedCode:
    """Constructs in the foreign regions the ledger holds for the developer."""

    regions: int  # foreign regions in the ledger (0: mindgap has seen no accepted code yet)
    constructs: Counter[str]  # construct key -> occurrences in them


def accepted_in_editor(database: Database, developer: str) -> AcceptedCode:
    from mindgap.knowledge.catalogue import CatalogueError, catalogue, has_catalogue
    from mindgap.knowledge.history import api_finder
    from mindgap.syntax.languages import language_for

    rows = database.query(
        "SELECT path, text FROM regions WHERE lower(developer) = ?", (developer_key(developer),)
    )
    found: Counter[str] = Counter()
    for row in rows:
        spec = language_for(row["path"])
        if spec is None or not has_catalogue(spec.name):
            continue
        try:
            known = catalogue(spec.name)
        except CatalogueError:
            continue
        tree = spec.parser().parse(row["text"].encode("utf-8"))
        found.update(hit.construct.key for hit in known.find(tree.root_node))
        find_apis = api_finder(spec.name)
        if find_apis is not None:
            root = tree.root_node
            found.update(hit.construct.key for hit in find_apis(root, [(0, root.end_byte)]))
    return AcceptedCode(len(rows), found)
