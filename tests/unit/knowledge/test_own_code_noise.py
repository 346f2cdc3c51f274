"""Own-code noise: a developer's own lines, checked as foreign, are (almost) never unfamiliar.

Two real git repositories with long histories are built here: real Python code (modules of
the standard library, read from this interpreter) committed block by block over seven years,
most blocks by the developer, some by a colleague. Every line `git blame` gives to the
developer is then checked as foreign against the profile `mindgap profile` builds from those
histories: each "unfamiliar" finding is a false alarm by definition.
"""

from __future__ import annotations

import itertools
import re
import sysconfig
import time
from pathlib import Path

import pytest

from mindgap.knowledge.own_code import blamed_lines, measure_own_code
from mindgap.knowledge.profile import Profile, update_profile
from mindgap.ledger.database import Database
from tests.fixtures.gitrepo import ALICE, BOB, GitRepo, days_ago

STDLIB = Path(sysconfig.get_paths()["stdlib"])
REPOSITORIES = {
    "textkit": ["textwrap.py", "shlex.py", "fnmatch.py", "glob.py", "calendar.py", "string.py"],
    "dataio": ["json/encoder.py", "json/decoder.py", "csv.py", "configparser.py", "netrc.py"],
}
YEARS = 7
_TOP_LEVEL = re.compile(r"^(?:def |class |@|async def )", re.MULTILINE)


def blocks(source: str) -> list[str]:
    """The module cut before each top-level definition: the pieces a history adds."""
    starts = [0, *(match.start() for match in _TOP_LEVEL.finditer(source))]
    cuts = [*sorted(set(starts)), len(source)]
    pieces = [source[a:b] for a, b in itertools.pairwise(cuts) if source[a:b].strip()]
    merged: list[str] = []
    for piece in pieces:  # a decorator belongs with its definition
        if merged and merged[-1].lstrip().startswith("@") and merged[-1].count("\n") <= 2:
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def long_history(path: Path, modules: list[str]) -> GitRepo:
    """One commit per block, round-robin over the modules, spread over YEARS years; every
    fifth block is the colleague's."""
    repo = GitRepo(path, ALICE)
    queues = {
        f"{path.name}/{Path(module).name}": blocks((STDLIB / module).read_text(encoding="utf-8"))
        for module in modules
    }
    order: list[tuple[str, str]] = []
    while any(queues.values()):
        for name, queue in queues.items():
            if queue:
                order.append((name, queue.pop(0)))
    (path / path.name).mkdir(parents=True, exist_ok=True)
    repo.write(f"{path.name}/__init__.py", "")
    for number, (name, block) in enumerate(order):
        age = YEARS * 365 * (1 - number / len(order)) + 30
        repo.append(name, block)
        author = BOB if number % 5 == 4 else ALICE
        repo.commit(f"Add to {name} ({number})", author=author, when=days_ago(age))
    return repo


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, list[GitRepo]]:
    root = tmp_path_factory.mktemp("own-code")
    repos = [long_history(root / name, modules) for name, modules in REPOSITORIES.items()]
    database = Database(root / "home" / "mindgap.sqlite3")
    update_profile(database, ALICE[1], [repo.path for repo in repos])
    return database, repos


def test_blame_gives_the_developer_most_lines_and_the_colleague_some(histories) -> None:
    _, repos = histories
    repo = repos[0]
    mine = blamed_lines(repo.path, "textkit/textwrap.py", [ALICE[1]])
    theirs = blamed_lines(repo.path, "textkit/textwrap.py", [BOB[1]])
    assert len(mine) > 2 * len(theirs) > 0


def test_the_developers_own_lines_get_at_most_one_unfamiliar_finding_per_thousand(
    histories,
) -> None:
    database, repos = histories
    profile = Profile.load(database, ALICE[1])
    lines = findings = 0
    for repo in repos:
        paths = sorted(
            str(path.relative_to(repo.path))
            for path in repo.path.rglob("*.py")
            if ".git" not in path.parts
        )
        noise = measure_own_code(repo.path, paths, profile, time.time())
        print(
            f"\n{repo.path.name}: {noise.lines} own lines in {noise.files} files, "
            f"{len(noise.findings)} unfamiliar findings ({noise.per_thousand:.2f} per 1,000)"
        )
        for path, line, severity, message in noise.findings:
            print(f"  {path}:{line} [{severity}] {message[:110]}")
        lines += noise.lines
        findings += len(noise.findings)
    per_thousand = 1000 * findings / lines
    print(f"own-code noise: {findings} findings on {lines} lines = {per_thousand:.2f} per 1,000")
    assert lines > 3000
    assert per_thousand <= 1.0


def test_the_colleagues_code_is_still_checked(histories) -> None:
    """Silence on one's own code must not come from saying nothing at all: the same check
    over a profile without this history flags plenty."""
    database, repos = histories
    empty = Profile("nobody@example.com", repositories=("/elsewhere",))
    noise = measure_own_code(repos[1].path, ["dataio/csv.py"], Profile.load(database, ALICE[1]))
    assert noise.lines > 100
    stranger = measure_own_code(repos[1].path, ["dataio/csv.py"], _as(empty, ALICE[1]))
    assert len(stranger.findings) > 10 * max(1, len(noise.findings))


def _as(profile: Profile, developer: str) -> Profile:
    """The same (empty) evidence under the developer's name, so blame picks their lines."""
    return Profile(developer, profile.parameters, repositories=profile.repositories)


def test_a_line_the_developer_wrote_is_never_never_used(tmp_path) -> None:
    """The import came from a colleague, years before; the developer's hunk carries only
    the call. History and check resolve it through the file's imports alike."""
    repo = GitRepo(tmp_path / "repo", ALICE)
    repo.commit(
        "Imports",
        {"tool.py": "import sys\nfrom flask import g\n\n\ndef encoding():\n    pass\n"},
        author=BOB,
        when=days_ago(900),
    )
    repo.append(
        "tool.py",
        "\n\ndef names():\n    g.db.row_factory = None\n    return sys.getfilesystemencoding()\n",
    )
    repo.commit("Names", when=days_ago(30))
    database = Database(tmp_path / "home" / "mindgap.sqlite3")
    update_profile(database, ALICE[1], [repo.path])
    profile = Profile.load(database, ALICE[1])
    assert "python/api:sys.getfilesystemencoding" in profile.written
    assert "python/api:flask.g" in profile.written
    assert not any("row_factory" in key for key in profile.written)
    noise = measure_own_code(repo.path, ["tool.py"], profile)
    assert noise.lines == 5 and noise.findings == []


def test_a_line_whose_import_the_developer_changed_later_is_familiar(tmp_path) -> None:
    """The use was written when its name came from the project's own module; later the
    developer imported it from a library instead (flask's `from ..wrappers import Response`
    became werkzeug's). The import he typed is his evidence of that API."""
    repo = GitRepo(tmp_path / "repo", ALICE)
    repo.commit(
        "Render",
        {
            "app/view.py": "from .wrappers import Response\n\n\n"
            "def render(body):\n    return Response(body, status=200)\n"
        },
        when=days_ago(900),
    )
    view = repo.path / "app" / "view.py"
    view.write_text(
        view.read_text().replace("from .wrappers", "from werkzeug.wrappers"), encoding="utf-8"
    )
    repo.commit("Import the response from werkzeug", when=days_ago(20))
    database = Database(tmp_path / "home" / "mindgap.sqlite3")
    update_profile(database, ALICE[1], [repo.path])
    profile = Profile.load(database, ALICE[1])
    assert "python/api:werkzeug.wrappers.Response" in profile.written
    noise = measure_own_code(repo.path, ["app/view.py"], profile)
    assert noise.lines == 5 and noise.findings == []


def test_a_module_the_test_writes_itself_is_no_library(tmp_path) -> None:
    """flask's tests write `site_app.py` and a `site_package` folder, then import them:
    their names are the test's own code. A library the file only imports is still one."""
    repo = GitRepo(tmp_path / "repo", ALICE)
    repo.commit(
        "Test installed apps",
        {
            "tests/test_site.py": "import os\n\nimport fancylib\n\n\n"
            "def test_module(site_packages):\n"
            '    (site_packages / "site_app.py").write_text("app = 1")\n'
            "    import site_app\n\n"
            "    assert site_app.app == 1\n\n\n"
            "def test_package(site_packages):\n"
            '    os.makedirs(os.path.join(site_packages, "site_package"))\n'
            "    import site_package\n\n"
            "    assert site_package.app.name\n"
            "    assert fancylib.shine()\n"
        },
        when=days_ago(30),
    )
    database = Database(tmp_path / "home" / "mindgap.sqlite3")
    update_profile(database, ALICE[1], [repo.path])
    empty = _as(Profile.load(database, ALICE[1]), ALICE[1])  # nothing written: all is new
    noise = measure_own_code(repo.path, ["tests/test_site.py"], empty)
    flagged = [message for _, _, _, message in noise.findings if "`" in message]
    assert any("fancylib.shine" in message for message in flagged), flagged
    assert not any("site_app" in message or "site_package" in message for message in flagged)
