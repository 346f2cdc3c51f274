"""Reading a developer's constructs from real git repositories built in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mindgap.knowledge import history
from mindgap.knowledge.history import (
    Repository,
    ScanStats,
    WrittenConstruct,
    ai_marker,
)
from mindgap.vcs import GitError
from tests.fixtures.gitrepo import ALICE, BOB, COPILOT_TRAILER, GitRepo, days_ago

LAMBDA, MATCH = "python/lambda", "python/match-statement"
MATCH_CODE = "def pick(x):\n    match x:\n        case 1:\n            return 1\n"


def scan(repo: GitRepo, *emails: str, **options) -> list[tuple[str, list[WrittenConstruct]]]:
    repository = Repository(repo.path)
    commits = repository.commits(emails or (ALICE[1],))
    return [(commit.message, found) for commit, found in repository.scan(commits, **options)]


def keys(found: list[WrittenConstruct]) -> list[str]:
    return [item.key for item in found if item.key in (LAMBDA, MATCH)]


# -- what marks a commit as AI-assisted ----------------------------------------------------


@pytest.mark.parametrize(
    ("author", "message", "tool"),
    [
        ("Alice", f"Fix\n\n{COPILOT_TRAILER}", "GitHub Copilot"),
        (
            "Alice",
            "Fix\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
            "GitHub Copilot",
        ),
        ("Alice", "Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>", "Claude"),
        ("Alice", "Fix\n\nco-authored-by: Cursor Agent <cursoragent@cursor.com>", "Cursor"),
        ("Alice", "Fix\n\nCo-authored-by: ChatGPT <chatgpt@openai.com>", "ChatGPT"),
        ("Alice", "Fix\n\nCo-authored-by: Codex <codex@openai.com>", "OpenAI Codex"),
        ("Alice", "Fix\n\nCo-authored-by: aider (gpt-4o) <noreply@aider.chat>", "aider"),
        (
            "Alice",
            "Fix\n\nCo-authored-by: devin-ai-integration[bot] <1+devin-ai-integration"
            "[bot]@users.noreply.github.com>",
            "Devin",
        ),
        ("Alice", "Fix\n\nCo-authored-by: gemini-code-assist[bot] <x@google.com>", "Gemini"),
        ("Alice", "Fix\n\nCo-authored-by: Codeium <bot@codeium.com>", "Codeium"),
        ("Alice", "Fix\n\nCo-authored-by: Windsurf <bot@windsurf.com>", "Windsurf"),
        ("Alice", "Fix\n\nCo-authored-by: Tabnine <bot@tabnine.com>", "Tabnine"),
        ("Alice", "Fix\n\nCo-authored-by: Amazon Q Developer <q@amazon.com>", "Amazon Q"),
        ("Alice", "Fix\n\nCo-authored-by: Cody <cody@sourcegraph.com>", "Sourcegraph Cody"),
        ("Alice", "Fix\n\nCo-authored-by: Continue <noreply@continue.dev>", "Continue"),
        ("Alice", "Fix\n\nAssisted-by: Gemini", "Gemini"),
    ],
)
def test_ai_trailers_mark_a_commit(author, message, tool):
    assert ai_marker(author, message) == f"co-authored by {tool}"


def test_aiders_author_name_marks_a_commit():
    assert ai_marker("Alice Liddell (aider)", "Parse flags") == "aider author"


@pytest.mark.parametrize(
    "message",
    [
        "Fix the copilot integration",  # words in the message are not a trailer
        "Pair work\n\nCo-authored-by: Bob Builder <bob@example.com>",
        "Pair work\n\nCo-authored-by: Devin Smith <devin@example.com>",  # a person named Devin
        "Pair work\n\nCo-authored-by: Cody Banks <cody@example.com>",
        "Pair work\n\nCo-authored-by: Jules Verne <jules@example.com>",
    ],
)
def test_people_and_mentions_do_not_mark_a_commit(message):
    assert ai_marker("Alice", message) is None


# -- the repository ------------------------------------------------------------------------


def test_a_folder_outside_git_is_a_clear_error(tmp_path):
    with pytest.raises(GitError, match="not in a git repository"):
        Repository(tmp_path)
    with pytest.raises(GitError, match="no such folder"):
        Repository(tmp_path / "missing")


def test_a_repository_without_commits_has_no_head_and_no_history(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repository = Repository(repo.path / ".")
    assert repository.root == repo.path.resolve()
    assert repository.head() is None
    assert repository.commits([ALICE[1]]) == []


def test_a_subfolder_finds_its_repository(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("one", {"src/app.py": "x = 1\n"})
    assert Repository(repo.path / "src").root == repo.path.resolve()


def test_commits_are_the_developers_by_email_case_insensitively_oldest_first(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("mine 1", {"a.py": "a = 1\n"}, when=days_ago(9))
    repo.commit("bob's", {"b.py": "b = 1\n"}, author=BOB, when=days_ago(8))
    repo.commit("old address", {"c.py": "c = 1\n"}, author=("Alice", "a.l@old.org"))
    repo.commit("docs only", {"README.md": "hello\n"}, when=days_ago(6))
    repo.commit("mine 2", {"a.py": "a = 2\n"}, author=("ALICE", "Alice@Example.COM"))
    repository = Repository(repo.path)
    assert [c.message for c in repository.commits(["alice@example.com"])] == ["mine 1", "mine 2"]
    both = repository.commits([" ALICE@example.com ", "a.l@OLD.org"])
    assert [c.message for c in both] == ["mine 1", "old address", "mine 2"]
    assert both[0].time == pytest.approx(days_ago(9).timestamp(), abs=2)
    assert repository.commits([]) == []


def test_merge_commits_are_left_out(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("base", {"a.py": "a = 1\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("side", {"b.py": "f = lambda: 1\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("main", {"c.py": "c = 1\n"})
    repo.git("merge", "-q", "--no-ff", "--no-edit", "side")
    messages = [c.message for c in Repository(repo.path).commits([ALICE[1]])]
    assert sorted(messages) == ["base", "main", "side"]


def test_ai_assisted_commits_are_marked(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("by hand", {"a.py": "a = 1\n"})
    repo.commit(f"copilot\n\n{COPILOT_TRAILER}", {"b.py": "b = 1\n"})
    repo.commit("aider", {"c.py": "c = 1\n"}, author=("Alice (aider)", ALICE[1]))
    noted = repo.commit("noted", {"d.py": "d = 1\n"})
    repo.git("notes", "--ref=ai", "add", "-m", '{"agent": "claude"}', noted)
    marks = {c.message: c.assisted_by for c in Repository(repo.path).commits([ALICE[1]])}
    assert marks == {
        "by hand": None,
        "copilot\n\n" + COPILOT_TRAILER: "co-authored by GitHub Copilot",
        "aider": "aider author",
        "noted": "git-ai note",
    }


# -- the constructs each commit added ------------------------------------------------------


def test_only_constructs_on_added_lines_count(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("lambda", {"app.py": "key = lambda x: x\n"})
    repo.append("app.py", "\n" + MATCH_CODE)
    repo.commit("bob's match", author=BOB)
    repo.append("app.py", "\nsecond = lambda: 2\n")
    repo.commit("another lambda")
    assert [(m, keys(f)) for m, f in scan(repo)] == [
        ("lambda", [LAMBDA]),
        ("another lambda", [LAMBDA]),
    ]
    assert [(m, keys(f)) for m, f in scan(repo, BOB[1])] == [("bob's match", [MATCH])]


def test_the_line_numbers_are_those_of_the_new_version(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("base", {"app.py": "a = 1\nb = 2\nc = 3\n"})
    repo.commit("insert", {"app.py": "a = 1\nf = lambda: 0\nb = 2\nc = 3\ng = lambda: 1\n"})
    (_, first), (_, second) = scan(repo)
    assert first == []
    assert [(w.path, w.line) for w in second if w.key == LAMBDA] == [("app.py", 2), ("app.py", 5)]


def test_reindented_and_moved_code_is_not_written_anew(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("base", {"app.py": "f = lambda: 0\n"})
    repo.commit("indent", {"app.py": "if True:\n    f = lambda: 0\n"})
    repo.git("mv", "app.py", "main.py")
    repo.commit("rename")
    assert [(m, keys(f)) for m, f in scan(repo)] == [
        ("base", [LAMBDA]),
        ("indent", []),
        ("rename", []),
    ]


def test_diff_headers_inside_the_code_do_not_confuse_the_reader(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    first = 'TEXT = """\n-- a/evil.py\n"""\nf = lambda: 0'  # no newline at the end
    second = (  # the diff holds "--- a/evil.py", "+++ b/evil.py", "+@@ ...", "+diff --git"
        '++ b/evil.py\nTEXT = """\n++ b/x.py\n@@ -1 +1 @@\ndiff --git a/x b/x\n"""\n'
        "f = lambda: 0\ng = lambda: 1\n"
    )
    repo.commit("first", {"app.py": first})
    repo.commit("second", {"app.py": second})
    assert [(m, [(w.path, w.line) for w in f if w.key == LAMBDA]) for m, f in scan(repo)] == [
        ("first", [("app.py", 4)]),
        ("second", [("app.py", 8)]),  # line 7 only gained its newline
    ]


def test_unusual_file_names_are_read(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("names", {'dir é/my "odd"\tfile.py': "f = lambda: 0\n", "ÜBER.PY": MATCH_CODE})
    ((_, found),) = scan(repo)
    assert sorted((w.path, w.key) for w in found if w.key in (LAMBDA, MATCH)) == [
        ('dir é/my "odd"\tfile.py', LAMBDA),
        ("ÜBER.PY", MATCH),
    ]


def test_a_byte_order_mark_does_not_shift_lines(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("bom", {"app.py": "\ufeffa = 1\nf = lambda: 0\n"})
    ((_, found),) = scan(repo)
    assert [(w.line, w.key) for w in found if w.key == LAMBDA] == [(2, LAMBDA)]


def test_bad_files_are_skipped_and_counted(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    os.symlink("target.py", repo.path / "link.py")
    repo.commit(
        "bad files",
        {
            "latin.py": "name = 'caf\xe9'\nf = lambda: 0\n".encode("latin-1"),
            "binary.py": b"\x00\x01lambda\x00",
            "notes.txt": "f = lambda: 0\n",
            "big.py": "f = lambda: 0\n" + "x = 1\n" * 100,
            "good.py": "f = lambda: 0\n",
        },
    )
    monkeypatch.setattr(history, "MAX_MINED_BYTES", 500)  # learning's limit, smaller
    stats = ScanStats()
    ((_, found),) = scan(repo, stats=stats)
    assert [w.path for w in found if w.key == LAMBDA] == ["good.py"]
    assert stats.skipped == {"binary or not UTF-8": 1, "too large": 1, "symlink or submodule": 1}


def test_lines_known_to_be_foreign_are_not_the_developers(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("mixed", {"app.py": "mine = lambda: 0\npasted = lambda: 1\n"})
    foreign = {"app.py": frozenset({"pasted = lambda: 1"})}
    ((_, found),) = scan(repo, foreign_lines=foreign)
    assert [w.line for w in found if w.key == LAMBDA] == [1]


def test_every_commit_is_reported_once_even_without_constructs(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("add", {"a.py": "f = lambda: 0\n", "b.py": "b = 1\n"})
    (repo.path / "b.py").unlink()
    repo.commit("delete only")
    repo.commit("binary", {"c.py": b"\x00\x00"})
    repo.commit("last", {"a.py": "f = lambda: 0\ng = lambda: 1\n"})
    seen: list[str] = []
    stats = ScanStats()
    result = scan(repo, on_commit=lambda commit: seen.append(commit.message), stats=stats)
    assert [(m, keys(f)) for m, f in result] == [
        ("add", [LAMBDA]),
        ("delete only", []),
        ("binary", []),
        ("last", [LAMBDA]),
    ]
    assert seen == ["add", "delete only", "binary", "last"]
    assert stats.commits == 4


def test_a_range_reads_only_the_later_commits(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    first = repo.commit("one", {"a.py": "f = lambda: 0\n"})
    repo.commit("two", {"a.py": "f = lambda: 0\ng = lambda: 1\n"})
    repository = Repository(repo.path)
    head = repository.head()
    assert head is not None
    assert [c.message for c in repository.commits([ALICE[1]], since=first)] == ["two"]
    assert repository.is_ancestor(first, head)
    assert not repository.is_ancestor(head, first)
    assert not repository.is_ancestor("0" * 40, head)


def test_stopping_early_leaves_no_process_behind(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    for n in range(5):
        repo.commit(f"c{n}", {f"m{n}.py": "f = lambda: 0\n"})
    repository = Repository(repo.path)
    scanning = repository.scan(repository.commits([ALICE[1]]))
    next(scanning)
    scanning.close()  # no error, no zombie: the context managers closed both processes


def test_supported_languages_are_those_with_a_catalogue():
    names = {spec.name for spec in history.supported_languages()}
    assert "python" in names
    assert all(
        Path(f"x{ext}").suffix for spec in history.supported_languages() for ext in spec.extensions
    )


def test_library_apis_the_developer_used_are_read_too(tmp_path):
    pytest.importorskip("mindgap.knowledge.apis")
    repo = GitRepo(tmp_path / "repo")
    repo.commit("imports", {"app.py": "import itertools\nimport re\n\nPATTERN = re.compile('x')\n"})
    repo.append("app.py", "groups = itertools.groupby([])\n")
    repo.commit("groups")
    (_, first), (_, second) = scan(repo)
    assert [w.key for w in first if "api:" in w.key] == ["python/api:re.compile"]
    assert [(w.key, w.line) for w in second if "api:" in w.key] == [
        ("python/api:itertools.groupby", 5)
    ]


def test_without_an_api_finder_constructs_are_still_read(tmp_path, monkeypatch):
    monkeypatch.setattr(history, "api_finder", lambda language: None)
    repo = GitRepo(tmp_path / "repo")
    repo.commit("imports", {"app.py": "import re\nf = lambda: re.compile('x')\n"})
    ((_, found),) = scan(repo)
    assert [w.key for w in found if w.key == LAMBDA] == [LAMBDA]
    assert not [w for w in found if "api:" in w.key]
