"""A developer's familiarity profile: the evidence in the store, and a verdict per construct.

Evidence, per (developer, construct):
- constructs written by hand in the developer's own commits, per repository
  (`construct_evidence` with source "hand"), built from git history by `update_profile`;
- passed quizzes and hand-writes (`construct_practice`), which count like writing.

Constructs in the developer's AI-assisted commits are stored too (source "assisted"), but
only to show what they accept from assistants: accepting foreign code is never evidence of
familiarity. Developers are identified by email, compared case-insensitively.

Each repository remembers the commit its evidence runs up to (`history_progress`); the next
update reads only the commits after it, and rebuilds the repository's evidence from scratch
when that commit is no longer an ancestor of HEAD (amended, rebased) or the developer's set
of emails changed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mindgap.knowledge.familiarity import (
    DEFAULT_PARAMETERS,
    DecayParameters,
    Familiarity,
    assess,
    to_timestamp,
)
from mindgap.knowledge.history import Commit, HistoryError, Repository, ScanStats, api_finder
from mindgap.ledger.database import Database

if TYPE_CHECKING:
    from mindgap.config import Settings

__all__ = [
    "AcceptedCode",
    "HistoryError",
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
    """Occurrences of one construct: how many, the first and last time, where."""

    count: int = 0
    first: float | None = None
    last: float | None = None
    repos: set[str] = field(default_factory=set)

    def add(self, count: int, first: float, last: float, repo: str | None = None) -> None:
        if count <= 0:
            return
        self.count += count
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)
        if repo is not None:
            self.repos.add(repo)


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
            "SELECT construct, repo, source, count, first_written, last_written"
            " FROM construct_evidence WHERE developer = ?",
            (key,),
        ):
            into = written if row["source"] == HAND else assisted
            into.setdefault(row["construct"], Tally()).add(
                row["count"], row["first_written"], row["last_written"], row["repo"]
            )
        practised: dict[str, Tally] = {}
        for row in database.query(
            "SELECT construct, COUNT(*) AS n, MIN(time) AS first, MAX(time) AS last"
            " FROM construct_practice WHERE developer = ? GROUP BY construct",
            (key,),
        ):
            practised[row["construct"]] = Tally(row["n"], row["first"], row["last"])
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
        own = assess(both.count, both.last, moment, self.parameters, first_written=both.first)
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
        )

    def _evidence(self, construct_key: str) -> Tally:
        both = Tally()
        for tally in (self.written.get(construct_key), self.practised.get(construct_key)):
            if tally and tally.count and tally.first is not None and tally.last is not None:
                both.add(tally.count, tally.first, tally.last)
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
                tally = self._evidence(key)
                if tally.first is not None and tally.last is not None:
                    pooled.add(tally.count, tally.first, tally.last)
            if self._verdict(pooled, now).level == "familiar":
                return others[:3], True
        return familiar, False

    def _verdict(self, tally: Tally, now: float) -> Familiarity:
        return assess(tally.count, tally.last, now, self.parameters, first_written=tally.first)

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
            self.practised.setdefault(key, Tally()).add(1, moment, moment)
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
    not a git repository raises `HistoryError` before anything is read or written.
    """
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
    rows = database.query(
        "SELECT last_commit, emails, commits, assisted_commits FROM history_progress"
        " WHERE developer = ? AND repo = ?",
        (developer, repo),
    )
    if head is None:
        return _Plan(repository, None, "empty", None, [])
    if not rows:
        return _Plan(repository, head, "bootstrap", None, repository.commits(emails, None, head))
    row = rows[0]
    if row["emails"] != emails_text:
        reason = "the developer's emails changed"
    elif not repository.is_ancestor(row["last_commit"], head):
        reason = f"history was rewritten ({row['last_commit'][:12]} is not an ancestor of HEAD)"
    elif row["last_commit"] == head:
        return _Plan(
            repository, head, "up-to-date", None, [], row["commits"], row["assisted_commits"]
        )
    else:
        return _Plan(
            repository,
            head,
            "incremental",
            None,
            repository.commits(emails, row["last_commit"], head),
            row["commits"],
            row["assisted_commits"],
        )
    return _Plan(repository, head, "rebuild", reason, repository.commits(emails, None, head))


def _apply(
    database: Database,
    developer: str,
    emails_text: str,
    plan: _Plan,
    foreign: dict[str, frozenset[str]],
    advance: Callable[[Commit], None],
) -> RepositoryUpdate:
    repository = plan.repository
    repo = str(repository.root)
    found: dict[tuple[str, str], Tally] = {}
    hand_commits = assisted_commits = hand_constructs = 0
    stats = ScanStats()

    def foreign_lines(path: str) -> frozenset[str]:
        return foreign.get(str(repository.root / path), frozenset())

    for commit, written in repository.scan(
        plan.commits,
        foreign_lines=foreign_lines if foreign else None,
        on_commit=advance,
        stats=stats,
    ):
        source = HAND if commit.assisted_by is None else ASSISTED
        if source == HAND:
            hand_commits += 1
            hand_constructs += len(written)
        else:
            assisted_commits += 1
        for construct, count in Counter(item.key for item in written).items():
            found.setdefault((construct, source), Tally()).add(count, commit.time, commit.time)

    if plan.head is not None and plan.mode != "up-to-date":
        rebuilding = plan.mode in ("bootstrap", "rebuild")
        with database.transaction() as connection:
            if rebuilding:
                connection.execute(
                    "DELETE FROM construct_evidence WHERE developer = ? AND repo = ?",
                    (developer, repo),
                )
            connection.executemany(
                "INSERT INTO construct_evidence"
                " (developer, construct, repo, source, count, first_written, last_written)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (developer, construct, repo, source) DO UPDATE SET"
                " count = count + excluded.count,"
                " first_written = min(first_written, excluded.first_written),"
                " last_written = max(last_written, excluded.last_written)",
                [
                    (developer, construct, repo, source, t.count, t.first, t.last)
                    for (construct, source), t in found.items()
                ],
            )
            connection.execute(
                "INSERT OR REPLACE INTO history_progress (developer, repo, emails, last_commit,"
                " commits, assisted_commits, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    developer,
                    repo,
                    emails_text,
                    plan.head,
                    hand_commits + (0 if rebuilding else plan.previous_commits),
                    assisted_commits + (0 if rebuilding else plan.previous_assisted),
                    time.time(),
                ),
            )
    return RepositoryUpdate(
        repo=repo,
        head=plan.head,
        mode=plan.mode,
        reason=plan.reason,
        commits=hand_commits,
        assisted_commits=assisted_commits,
        constructs=hand_constructs,
        skipped=dict(stats.skipped),
    )


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
