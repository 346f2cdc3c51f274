"""The familiarity profile in the store: built from real git history, updated incrementally."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mindgap.config import Settings
from mindgap.knowledge.profile import (
    Profile,
    accepted_in_editor,
    developer_key,
    record_practice,
    update_profile,
)
from mindgap.ledger.database import MIGRATIONS, SCHEMA_VERSION, Database
from mindgap.provenance.persistence import FileState, RegionStore
from mindgap.provenance.regions import Region
from mindgap.vcs import GitError
from tests.fixtures.gitrepo import (
    ALICE,
    BOB,
    GitRepo,
    days_ago,
    two_author_repo,
)

LAMBDA, MATCH = "python/lambda", "python/match-statement"


@pytest.fixture
def database(tmp_path: Path):
    database = Database(tmp_path / "home" / "mindgap.sqlite3")
    yield database
    database.close()


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return two_author_repo(tmp_path / "repo")


def test_what_the_developer_wrote_is_familiar_and_what_others_or_ai_wrote_is_not(database, repo):
    (update,) = update_profile(database, ALICE[1], [repo.path])
    assert update.mode == "bootstrap"
    assert (update.commits, update.assisted_commits) == (2, 2)

    alice = Profile.load(database, ALICE[1])
    lam = alice.familiarity(LAMBDA)
    assert lam.level == "familiar"
    assert lam.count == 2
    assert lam.repos == (str(repo.path.resolve()),)
    assert lam.last_written is not None
    assert abs(lam.last_written.timestamp() - days_ago(5).timestamp()) < 60
    # Bob's match, the Copilot commit's and the aider commit's: none is Alice's
    assert alice.familiarity(MATCH).level == "unfamiliar"
    assert alice.familiarity(MATCH).count == 0
    # ...but the two AI-assisted ones show what she accepted
    assert alice.assisted[MATCH].count == 2
    assert alice.repositories == (str(repo.path.resolve()),)

    update_profile(database, BOB[1], [repo.path])
    bob = Profile.load(database, BOB[1])
    assert bob.familiarity(MATCH).level == "familiar"
    assert bob.familiarity(LAMBDA).level == "unfamiliar"  # Alice's lambda is above his lines
    assert MATCH not in bob.assisted


def test_a_passed_quiz_flips_a_construct_to_familiar(database, repo):
    update_profile(database, ALICE[1], [repo.path])
    record_practice(database, ALICE[1], [MATCH, MATCH], when=days_ago(1), kind="quiz")
    alice = Profile.load(database, "Alice@Example.com")
    match = alice.familiarity(MATCH)
    assert match.level == "familiar"
    assert (match.count, match.practised) == (1, 1)  # a construct counts once per pass
    assert match.repos == ()  # practice is no repository's code


def test_a_loaded_profile_records_practice_in_the_store_too(database, repo):
    update_profile(database, ALICE[1], [repo.path])
    alice = Profile.load(database, ALICE[1])
    alice.record_practice([MATCH], kind="handwrite")
    assert alice.familiarity(MATCH).level == "familiar"
    assert Profile.load(database, ALICE[1]).familiarity(MATCH).level == "familiar"
    rows = database.query("SELECT developer, construct, kind FROM construct_practice")
    assert [tuple(row) for row in rows] == [(ALICE[1], MATCH, "handwrite")]


def test_old_practice_fades_like_old_writing(database):
    record_practice(database, ALICE[1], [MATCH], when=datetime(2021, 4, 2, tzinfo=timezone.utc))
    verdict = Profile.load(database, ALICE[1]).familiarity(
        MATCH, now=datetime(2026, 4, 1, tzinfo=timezone.utc)
    )
    assert verdict.level == "fading"
    assert verdict.summary == "last written 2021-04"


def test_the_next_update_reads_only_the_new_commit(database, repo):
    update_profile(database, ALICE[1], [repo.path])
    repo.append("app.py", "\nLATER = lambda: 3\n")
    repo.commit("Later", when=days_ago(1))
    progress: list[tuple[int, int]] = []
    (update,) = update_profile(
        database,
        ALICE[1],
        [repo.path],
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert update.mode == "incremental"
    assert (update.commits, update.assisted_commits, update.constructs) == (1, 0, 1)
    assert progress == [(0, 1), (1, 1)]
    assert Profile.load(database, ALICE[1]).familiarity(LAMBDA).count == 3

    (again,) = update_profile(database, ALICE[1], [repo.path])
    assert again.mode == "up-to-date"
    assert again.commits == 0
    assert Profile.load(database, ALICE[1]).familiarity(LAMBDA).count == 3
    row = database.query("SELECT commits, assisted_commits, last_commit FROM history_progress")[0]
    assert (row["commits"], row["assisted_commits"]) == (3, 2)
    assert row["last_commit"] == repo.git("rev-parse", "HEAD")


def test_an_amended_commit_rebuilds_the_repository(database, repo):
    repo.append("app.py", "\nTYPO = lambda: 4\n")
    repo.commit("Typo", when=days_ago(2))
    update_profile(database, ALICE[1], [repo.path])
    assert Profile.load(database, ALICE[1]).familiarity(LAMBDA).count == 3

    repo.write("app.py", (repo.path / "app.py").read_text().replace("TYPO = lambda: 4", "X = 4"))
    repo.commit("Typo fixed", when=days_ago(2), amend=True)
    (update,) = update_profile(database, ALICE[1], [repo.path])
    assert update.mode == "rebuild"
    assert update.reason is not None and "rewritten" in update.reason
    assert update.commits == 3  # every hand-written commit, read again
    assert Profile.load(database, ALICE[1]).familiarity(LAMBDA).count == 2  # not 2 + 3


def test_a_rebase_rebuilds_the_repository(database, repo):
    base = repo.git("rev-parse", "HEAD~2")
    update_profile(database, ALICE[1], [repo.path])
    repo.git("reset", "-q", "--hard", base)  # drop the aider commit and the last lambda
    (update,) = update_profile(database, ALICE[1], [repo.path])
    assert update.mode == "rebuild"
    alice = Profile.load(database, ALICE[1])
    assert alice.familiarity(LAMBDA).count == 1
    assert alice.assisted[MATCH].count == 1


def test_another_set_of_emails_rebuilds(database, repo):
    repo.commit("old address", {"old.py": "OLD = lambda: 5\n"}, author=("Alice", "a@old.org"))
    update_profile(database, ALICE[1], [repo.path])
    assert Profile.load(database, ALICE[1]).familiarity(LAMBDA).count == 2
    (update,) = update_profile(database, ALICE[1], [repo.path], emails=["A@old.org"])
    assert update.mode == "rebuild"
    assert update.reason == "the developer's emails changed"
    assert Profile.load(database, ALICE[1]).familiarity(LAMBDA).count == 3


def test_several_repositories_add_up_and_each_is_named(database, repo, tmp_path):
    other = GitRepo(tmp_path / "other")
    other.commit("elsewhere", {"tool.py": "F = lambda: 6\n"}, when=days_ago(3))
    progress: list[tuple[int, int]] = []
    updates = update_profile(
        database,
        ALICE[1],
        [repo.path, other.path],
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert [u.mode for u in updates] == ["bootstrap", "bootstrap"]
    assert progress[0] == (0, 5) and progress[-1] == (5, 5)
    lam = Profile.load(database, ALICE[1]).familiarity(LAMBDA)
    assert lam.count == 3
    assert lam.repos == tuple(sorted([str(repo.path.resolve()), str(other.path.resolve())]))


def test_a_folder_that_is_not_a_repository_fails_before_anything_is_written(
    database, repo, tmp_path
):
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(GitError, match="not in a git repository"):
        update_profile(database, ALICE[1], [repo.path, plain])
    assert database.query("SELECT * FROM construct_evidence") == []
    assert database.query("SELECT * FROM history_progress") == []


def test_a_repository_without_commits_is_empty(database, tmp_path):
    empty = GitRepo(tmp_path / "empty")
    (update,) = update_profile(database, ALICE[1], [empty.path])
    assert update.mode == "empty"
    assert Profile.load(database, ALICE[1]).repositories == ()


def test_code_mindgap_knows_is_foreign_is_not_evidence(database, tmp_path):
    repo = GitRepo(tmp_path / "repo")
    path = repo.path / "app.py"
    text = "mine = lambda: 0\naccepted = lambda item: item.key\n"
    start = text.index("accepted")
    region = Region(start, len(text) - 1, text[start:-1], "inline-completion")
    RegionStore(database, "Alice@example.com").save(
        FileState(str(path.resolve()), [region], [(1, 1)], text)
    )
    repo.commit("completion accepted", {"app.py": text})
    update_profile(database, ALICE[1], [repo.path])
    assert Profile.load(database, ALICE[1]).familiarity(LAMBDA).count == 1
    accepted = accepted_in_editor(database, ALICE[1])
    assert accepted.regions == 1
    assert accepted.constructs[LAMBDA] == 1


def test_nothing_accepted_in_the_editor_yet(database):
    accepted = accepted_in_editor(database, ALICE[1])
    assert accepted.regions == 0
    assert not accepted.constructs


def test_an_unknown_developer_has_an_empty_profile(database):
    profile = Profile.load(database, "nobody@example.com")
    assert profile.constructs() == []
    assert profile.familiarity(MATCH).level == "unfamiliar"
    assert Profile("x@example.com").familiarity(LAMBDA).level == "unfamiliar"


def test_the_settings_set_the_decay(database, repo):
    update_profile(database, ALICE[1], [repo.path])
    strict = Settings(
        familiarity_initial_stability_days=0.01,
        familiarity_stability_growth=0,
        familiarity_related_min=0,
    )
    assert Profile.load(database, ALICE[1], strict).familiarity(LAMBDA).level == "fading"


def test_developers_are_emails_compared_without_case():
    assert developer_key("  Alice@Example.COM ") == "alice@example.com"


def test_the_profile_tables_are_a_new_migration_on_top_of_the_first(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    old.execute(
        "INSERT INTO events (time, developer, kind) VALUES (1.0, 'alice@example.com', 'inserted')"
    )
    old.commit()
    old.close()
    database = Database(path)
    try:
        assert database.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION >= 2
        assert len(database.query("SELECT * FROM events")) == 1  # kept
        record_practice(database, ALICE[1], [MATCH])
        assert Profile.load(database, ALICE[1]).familiarity(MATCH).level == "familiar"
    finally:
        database.close()
