"""Conventions scoped where code lives: one test per false alarm found on real repositories
(flask, black, rich, uvicorn), each on a real git repository built here."""

from __future__ import annotations

from pathlib import Path

from mindgap.conventions.checking import percent
from mindgap.conventions.repository import learn
from tests.fixtures.gitrepo import GitRepo
from tests.unit.conventions.test_engine import check, conventions_of

WERKZEUG_STYLE = """from werkzeug.routing import Map{n}
from werkzeug.wrappers import Response{n}
from werkzeug.utils import redirect{n}


def view_{n}(request):
    return Response{n}(redirect{n}(request.url))
"""


def test_import_style_is_per_imported_module(tmp_path: Path) -> None:
    """flask: `from werkzeug... import` 90 times must not make `import requests` a deviation,
    and `import click` is how the repository imports click."""
    repo = GitRepo(tmp_path / "repo")
    files: dict[str, str | bytes] = {
        f"app/views_{n}.py": WERKZEUG_STYLE.format(n=n) for n in range(30)
    }
    files.update(
        {
            f"app/cli_{n}.py": f"import click\n\n\ndef run_{n}():\n    click.echo('x')\n"
            for n in range(22)
        }
    )
    repo.commit("App", files)
    conventions = learn(repo.path, 20, 0.9)
    assert conventions.rule_for("python", "imports", "form/werkzeug", False).choice == "from"
    assert conventions.rule_for("python", "imports", "form/click", False).choice == "import"
    assert conventions.rule_for("python", "imports", "form/requests", False) is None

    foreign = "import requests\nfrom click import echo\n\n\ndef fetch(url):\n    return url\n"
    findings = conventions_of(check(repo.path, conventions, "app/fetch.py", foreign, 1))
    assert [f.message for f in findings] == [
        "this repository uses import module for imports of `click` "
        "(22 of 22 sites, 100%); this uses from module import name"
    ]


def test_tests_without_docstrings_make_no_rule_against_a_documented_test(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(
        "Tests",
        {f"tests/test_{n}.py": f"def test_{n}():\n    assert {n} == {n}\n" for n in range(30)},
    )
    conventions = learn(repo.path, 20, 0.9)
    assert conventions.rule_for("python", "docstring", "function", True) is None
    foreign = 'def test_new():\n    """The new thing works."""\n    assert True\n'
    assert not conventions_of(check(repo.path, conventions, "tests/test_new.py", foreign, 1))


def test_prints_in_tests_make_no_logging_rule(tmp_path: Path) -> None:
    """rich: debug `print(repr(x))` in tests must not become "tests use print()" and flag a
    logger, in a test or in code."""
    repo = GitRepo(tmp_path / "repo")
    repo.commit(
        "Tests",
        {
            f"tests/test_{n}.py": f"def test_{n}():\n    print(repr({n}))\n    print({n})\n"
            for n in range(15)
        },
    )
    conventions = learn(repo.path, 20, 0.9)
    assert not [key for key in conventions.rules if key[1] == "logging"]
    foreign = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def test_logged():\n    logger.info('checked')\n"
    )
    assert not conventions_of(check(repo.path, conventions, "tests/test_new.py", foreign, 1))
    (repo.path / "pkg").mkdir()
    assert not conventions_of(check(repo.path, conventions, "pkg/new.py", foreign, 1))


PATHLIB_MODULE = """from pathlib import Path


def read_{n}(name):
    return Path(name).read_text()


def write_{n}(name, text):
    Path(name).with_suffix(".txt").write_text(text)
"""
OS_PATH_MODULE = """import os


def join_{n}(a, b):
    return os.path.join(a, os.path.basename(b))


def exists_{n}(a):
    return os.path.exists(os.path.dirname(a))
"""


def test_a_separately_licensed_subtree_does_not_vote(tmp_path: Path) -> None:
    """black: the vendored src/blib2to3 (os.path, its own license) must not switch off the
    pathlib rule of black's own code."""
    repo = GitRepo(tmp_path / "repo")
    files: dict[str, str | bytes] = {
        f"src/tool/mod_{n}.py": PATHLIB_MODULE.format(n=n) for n in range(8)
    }
    files.update({f"src/parser2/pgen_{n}.py": OS_PATH_MODULE.format(n=n) for n in range(8)})
    files["src/parser2/LICENSE"] = "A license of its own\n"
    repo.commit("Code and a vendored parser", files)
    conventions = learn(repo.path, 10, 0.9)
    assert "src/parser2" in conventions.licensed_subtrees
    rule = conventions.rule_for("python", "path-handling", "paths", False)
    assert rule is not None and rule.choice == "pathlib"
    assert not any(path.startswith("src/parser2/") for path in conventions.entries)


def test_vendored_folder_names_do_not_vote(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    files: dict[str, str | bytes] = {
        f"src/tool/mod_{n}.py": PATHLIB_MODULE.format(n=n) for n in range(8)
    }
    files.update({f"src/blib2to3/pgen_{n}.py": OS_PATH_MODULE.format(n=n) for n in range(8)})
    repo.commit("Code and blib2to3", files)
    conventions = learn(repo.path, 10, 0.9)
    assert not any("blib2to3" in path for path in conventions.entries)


def test_a_module_that_imports_click_for_colours_is_checked_for_prints(tmp_path: Path) -> None:
    """uvicorn: server.py imports click only for `click.style`; a print there is flagged
    like the same print in another module."""
    repo = GitRepo(tmp_path / "repo")
    logged = (
        "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def step_{n}():\n    logger.info('a')\n    logger.warning('b')\n    logger.debug('c')\n"
    )
    repo.commit("Logged code", {f"pkg/mod_{n}.py": logged.format(n=n) for n in range(8)})
    conventions = learn(repo.path, 20, 0.9)
    assert conventions.rule_for("python", "logging", "output", False).choice == "logger"
    server = (
        "import click\n\n\ndef started(port):\n"
        "    print(click.style(f'serving on {port}', fg='green'))\n"
    )
    elsewhere = "def started(port):\n    print(f'serving on {port}')\n"
    in_server = conventions_of(check(repo.path, conventions, "pkg/server.py", server, 4))
    in_other = conventions_of(check(repo.path, conventions, "pkg/other.py", elsewhere, 1))
    assert [f.dimension for f in in_server] == ["logging"] == [f.dimension for f in in_other]


def test_shares_are_never_rounded_to_all_or_none() -> None:
    assert percent(221, 222) == "99.5%"
    assert percent(9999, 10000) == "99.9%"
    assert percent(222, 222) == "100%"
    assert percent(118, 130) == "91%"
    assert percent(1, 500) == "<1%"


def test_files_with_another_license_header_do_not_vote(tmp_path: Path) -> None:
    """black's blib2to3 files carry their own copyright: wherever they sit, they are not the
    repository's habits (years differ from file to file; the header is still one)."""
    repo = GitRepo(tmp_path / "repo")
    files: dict[str, str | bytes] = {
        f"src/tool/mod_{n}.py": PATHLIB_MODULE.format(n=n) for n in range(8)
    }
    files.update(
        {
            f"src/tool/pgen_{n}.py": f"# Copyright {2004 + n} Google, Inc. All Rights Reserved.\n"
            "# Licensed to PSF under a Contributor Agreement.\n" + OS_PATH_MODULE.format(n=n)
            for n in range(8)
        }
    )
    repo.commit("Code and copied files", files)
    conventions = learn(repo.path, 10, 0.9)
    rule = conventions.rule_for("python", "path-handling", "paths", False)
    assert rule is not None and rule.choice == "pathlib"
    assert rule.support == rule.count  # the copied files' os.path calls were not counted


def test_a_package_whose_own_code_differs_is_not_held_to_the_repositorys_rule(
    tmp_path: Path,
) -> None:
    """60 snake_case functions in src/app, 6 camelCase ones in legacy/: the repository's rule
    (91%) judges src/app, not legacy/, where the code's own habit is another."""
    repo = GitRepo(tmp_path / "repo")
    files: dict[str, str | bytes] = {
        f"src/app/mod_{n}.py": "".join(
            f"def load_{n}_{k}(source):\n    return source\n\n\n" for k in range(6)
        )
        for n in range(10)
    }
    files.update(
        {f"legacy/old_{n}.py": f"def fetchItem{n}(src):\n    return src\n" for n in range(6)}
    )
    repo.commit("App and legacy code", files)
    conventions = learn(repo.path, 20, 0.9)
    assert conventions.rule_for("python", "naming", "function", False).choice == "snake_case"
    assert conventions.rule_for("python", "naming", "function", False, "legacy/new.py") is None
    foreign = "def fetchRecord(src):\n    return src\n"
    assert not conventions_of(check(repo.path, conventions, "legacy/new.py", foreign, 1))
    assert conventions_of(check(repo.path, conventions, "src/app/new.py", foreign, 1))


def test_configuration_of_the_import_form_reaches_every_imported_module(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    files: dict[str, str | bytes] = {
        f"app/views_{n}.py": WERKZEUG_STYLE.format(n=n) for n in range(30)
    }
    repo.commit("App", files)
    repo.commit("Config", {".mindgap.toml": '[conventions]\nimports.form = "import"\n'})
    conventions = learn(repo.path, 20, 0.9)
    rule = conventions.rule_for("python", "imports", "form/werkzeug", False, "app/x.py")
    assert rule is not None and (rule.choice, rule.source) == ("import", "config")
    repo.commit("Off", {".mindgap.toml": '[conventions]\nimports.form = "off"\n'})
    silenced = learn(repo.path, 20, 0.9)
    assert silenced.rule_for("python", "imports", "form/werkzeug", False, "app/x.py") is None


def test_subfolders_under_the_projects_own_license_vote(tmp_path: Path) -> None:
    """flask: examples/tutorial/LICENSE.txt repeats the root license and docs/license.rst
    includes it - the project's own code, not someone else's: both vote."""
    repo = GitRepo(tmp_path / "repo")
    license_text = "BSD-3-Clause License\n\nCopyright 2010 Pallets\n\nRedistribution ...\n"
    files: dict[str, str | bytes] = {
        "LICENSE.txt": license_text,
        "examples/tutorial/LICENSE.txt": license_text.replace("\n\n", "\n"),
        "docs/license.rst": "License\n=======\n\n.. literalinclude:: ../LICENSE.txt\n",
        "vendor_like/LICENSE": "MIT License\n\nCopyright someone else\n",
    }
    files.update({f"examples/tutorial/m_{n}.py": PATHLIB_MODULE.format(n=n) for n in range(4)})
    files.update({f"docs/ext_{n}.py": PATHLIB_MODULE.format(n=n) for n in range(4)})
    files.update({f"vendor_like/m_{n}.py": OS_PATH_MODULE.format(n=n) for n in range(4)})
    repo.commit("Examples, docs and someone else's code", files)
    conventions = learn(repo.path, 6, 0.9)
    assert conventions.licensed_subtrees == frozenset({"vendor_like"})
    rule = conventions.rule_for("python", "path-handling", "paths", False)
    assert rule is not None and rule.choice == "pathlib"
