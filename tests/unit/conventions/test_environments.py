"""Dependencies against the project's real environment: real virtual environments made here
(`python -m venv --without-pip`, with a real installed-package record), lockfiles, and a real
PEP 503 package index served over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mindgap.config import Settings
from mindgap.conventions.dependencies import DependencyIndex
from mindgap.conventions.lockfiles import locked_packages
from mindgap.conventions.package_index import index_knows
from mindgap.conventions.python_environment import (
    PythonEnvironment,
    discover_environments,
    path_hash,
)
from tests.fixtures.gitrepo import GitRepo
from tests.unit.conventions.test_dependencies import by_package, foreign_check, repository_sources

HALLUCINATION = "no such package is installed or declared"


def make_venv(prefix: Path, *installed: str) -> Path:
    """A real virtual environment with `installed` distributions recorded in it (a package
    folder and a dist-info with METADATA and top_level.txt, as pip leaves them)."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True, timeout=120
    )
    (site,) = prefix.glob("lib/python*/site-packages")
    for distribution in installed:
        module = distribution.replace("-", "_")
        (site / module).mkdir()
        (site / module / "__init__.py").write_text("raise SystemExit('never imported')\n")
        info = site / f"{module}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\n")
        (info / "top_level.txt").write_text(f"{module}\n")
    return prefix


@pytest.fixture(autouse=True)
def no_outer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test runner's own environment variables are not the project's."""
    for name in ("VIRTUAL_ENV", "CONDA_PREFIX", "UV_PROJECT_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)


def project(path: Path, name: str = "shop") -> Path:
    path.mkdir(parents=True)
    (path / "pyproject.toml").write_text(f'[project]\nname = "{name}"\ndependencies = []\n')
    return path


def found(root: Path, **options) -> list[tuple[str, Path]]:
    return [(env.how, env.prefix) for env in discover_environments(root, **options)]


def test_a_venv_at_the_root_and_virtual_env_and_the_python_setting(tmp_path: Path) -> None:
    root = project(tmp_path / "shop")
    make_venv(root / ".venv", "more-itertools")
    elsewhere = make_venv(tmp_path / "active", "attrs")
    editor = make_venv(tmp_path / "editor", "rich")
    environments = found(
        root,
        interpreter=str(editor / "bin" / "python"),
        environ={"VIRTUAL_ENV": str(elsewhere)},
        home=tmp_path / "home",
    )
    assert environments == [
        ("the `python` setting", editor),
        ("$VIRTUAL_ENV", elsewhere),
        (".venv/", root / ".venv"),
    ]
    environment = PythonEnvironment(
        environments=discover_environments(
            root, str(editor / "bin/python"), {"VIRTUAL_ENV": str(elsewhere)}, tmp_path / "home"
        )
    )
    assert environment.is_installed("more_itertools")
    assert environment.is_installed("attrs") and environment.is_installed("rich")
    assert not environment.is_installed("requests")
    assert environment.distributions_of("more_itertools") == ["more-itertools"]


def test_poetry_pdm_hatch_uv_and_conda_environments_kept_outside_the_project(
    tmp_path: Path,
) -> None:
    root = project(tmp_path / "shop")
    home = tmp_path / "home"
    hashed = path_hash(root)
    poetry = make_venv(home / ".cache/pypoetry/virtualenvs" / f"shop-{hashed}-py3.11")
    pdm = make_venv(home / ".local/share/pdm/venvs" / f"shop-{hashed}-main")
    hatch = make_venv(home / ".local/share/hatch/env/virtual/shop/Xy12ab/default")
    uv = make_venv(root / "build-env")
    (root / "environment.yml").write_text("name: shop-dev\ndependencies:\n  - python=3.11\n")
    conda = make_venv(home / "miniconda3/envs/shop-dev")
    make_venv(home / ".cache/pypoetry/virtualenvs/other-AAAAAAAA-py3.11")  # another project
    environments = found(root, environ={"UV_PROJECT_ENVIRONMENT": "build-env"}, home=home)
    assert environments == [
        ("uv", uv),
        ("poetry", poetry),
        ("hatch", hatch),
        ("pdm", pdm),
        ("conda", conda),
    ]
    conda_prefix = make_venv(tmp_path / "conda-active")
    assert ("$CONDA_PREFIX (conda)", conda_prefix) in found(
        root, environ={"CONDA_PREFIX": str(conda_prefix)}, home=home
    )


def test_pdm_pep_582_packages_count(tmp_path: Path) -> None:
    root = project(tmp_path / "shop")
    lib = root / "__pypackages__" / "3.11" / "lib"
    (lib / "httpx").mkdir(parents=True)
    (lib / "httpx" / "__init__.py").write_text("")
    environment = PythonEnvironment(environments=discover_environments(root, None, {}, tmp_path))
    assert environment.is_installed("httpx")


def repo_with_venv(tmp_path: Path, *installed: str, settings: str = "") -> GitRepo:
    repo = GitRepo(tmp_path / "svc")
    repo.commit(
        "A service",
        {
            "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["httpx"]\n',
            "svc/__init__.py": "import httpx\n",
            ".gitignore": ".venv/\n",
            ".mindgap.toml": settings,
        },
    )
    make_venv(repo.path / ".venv", *installed)
    return repo


def test_installed_in_the_project_venv_is_undeclared_not_invented(tmp_path: Path) -> None:
    repo = repo_with_venv(tmp_path, "more-itertools")
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(index, "svc/a.py", "", "import more_itertools\n")
    spot = by_package(text, spots)["more_itertools"]
    assert spot.code == "dependency/undeclared" and HALLUCINATION not in spot.message


def test_a_typo_of_an_installed_package_is_named(tmp_path: Path) -> None:
    repo = repo_with_venv(tmp_path, "more-itertools")
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(index, "svc/a.py", "", "import more_itertool\n")
    spot = by_package(text, spots)["more_itertool"]
    assert spot.code == "dependency/unknown-package"
    assert spot.message.endswith("Did you mean more-itertools?")
    assert spot.evidence["similar"] == ["more-itertools"]


LOCKFILES = {
    "uv.lock": 'version = 1\n\n[[package]]\nname = "More_Itertools"\nversion = "10.5.0"\n',
    "poetry.lock": '[[package]]\nname = "more-itertools"\nversion = "10.5.0"\n',
    "pdm.lock": '[metadata]\ngroups = ["default"]\n\n[[package]]\nname = "more-itertools"\n',
    "Pipfile.lock": '{"_meta": {}, "default": {"more-itertools": {"version": "==10.5"}},'
    ' "develop": {}}',
}


@pytest.mark.parametrize("lockfile", sorted(LOCKFILES))
def test_a_python_lockfile_vouches_for_a_name(tmp_path: Path, lockfile: str) -> None:
    repo = repo_with_venv(tmp_path)
    (repo.path / lockfile).write_text(LOCKFILES[lockfile])
    assert locked_packages(repo.path, "python") == {"more-itertools": lockfile}
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(index, "svc/a.py", "", "import more_itertools\n")
    spot = by_package(text, spots)["more_itertools"]
    assert spot.code == "dependency/undeclared"
    assert f"{lockfile} has it" in spot.message and spot.evidence["locked_in"] == lockfile


def test_javascript_lockfiles_are_read(tmp_path: Path) -> None:
    (tmp_path / "package-lock.json").write_text(
        '{"packages": {"": {}, "node_modules/left-pad": {}, "node_modules/@scope/kit": {}}}'
    )
    (tmp_path / "pnpm-lock.yaml").write_text(
        "lockfileVersion: '9.0'\n\npackages:\n\n  chalk@5.3.0:\n    resolution: {}\n\n"
        "  '@babel/core@7.24.0':\n    resolution: {}\n"
    )
    (tmp_path / "yarn.lock").write_text(
        '# yarn lockfile v1\n\n"@types/node@^20", "@types/node@^20.1":\n  version "20.1.0"\n\n'
        'lodash@^4.17.21:\n  version "4.17.21"\n'
    )
    assert locked_packages(tmp_path, "javascript") == {
        "left-pad": "package-lock.json",
        "@scope/kit": "package-lock.json",
        "chalk": "pnpm-lock.yaml",
        "@babel/core": "pnpm-lock.yaml",
        "@types/node": "yarn.lock",
        "lodash": "yarn.lock",
    }


@pytest.fixture
def simple_index(tmp_path: Path) -> Iterator[str]:
    """A real PEP 503 simple index: folders of HTML pages, served over HTTP on 127.0.0.1."""
    served = tmp_path / "index"
    (served / "simple" / "more-itertools").mkdir(parents=True)
    (served / "simple" / "more-itertools" / "index.html").write_text(
        '<!DOCTYPE html><html><body><a href="../../more_itertools-10.5.0.tar.gz">'
        "more_itertools-10.5.0.tar.gz</a></body></html>\n"
    )
    handler = functools.partial(QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_index_answers_exists_and_does_not_exist(simple_index: str) -> None:
    assert index_knows("More_Itertools", simple_index) is True
    assert index_knows("nosuchthingy", simple_index) is False
    assert index_knows("anything", f"http://127.0.0.1:{closed_port()}/simple/") is None


def test_the_index_decides_may_not_exist_only_when_it_answers(
    tmp_path: Path, simple_index: str
) -> None:
    settings = f'package-index-check = true\npackage-index-url = "{simple_index}"\n'
    repo = repo_with_venv(tmp_path, settings=settings)
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(
        index, "svc/a.py", "", "import more_itertools\nimport nosuchthingy\n"
    )
    found_spots = by_package(text, spots)
    known = found_spots["more_itertools"]
    assert known.code == "dependency/undeclared" and HALLUCINATION not in known.message
    assert f"the package index {simple_index} has it" in known.message
    unknown = found_spots["nosuchthingy"]
    assert unknown.code == "dependency/unknown-package"
    assert f"the package index {simple_index} does not know it either" in unknown.message
    assert unknown.evidence["package_index"] == {"url": simple_index, "knows": False}


def test_an_unreachable_index_makes_no_claim(tmp_path: Path) -> None:
    unreachable = f"http://127.0.0.1:{closed_port()}/simple/"
    settings = f'package-index-check = true\npackage-index-url = "{unreachable}"\n'
    repo = repo_with_venv(tmp_path, settings=settings)
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(index, "svc/a.py", "", "import nosuchthingy\n")
    spot = by_package(text, spots)["nosuchthingy"]
    assert spot.code == "dependency/undeclared"
    assert HALLUCINATION not in spot.message
    assert spot.evidence["package_index"]["knows"] is None


def test_the_editors_interpreter_is_the_project_environment(tmp_path: Path) -> None:
    repo = repo_with_venv(tmp_path)
    editor = make_venv(tmp_path / "editor-env", "more-itertools")
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(index, "svc/a.py", "", "import more_itertools\n")
    assert by_package(text, spots)["more_itertools"].code == "dependency/unknown-package"
    index.use_settings(Settings(python=str(editor / "bin" / "python")))
    text, spots = foreign_check(index, "svc/a.py", "", "import more_itertools\n")
    spot = by_package(text, spots)["more_itertools"]
    assert spot.code == "dependency/undeclared"
    assert str(editor) in spot.evidence["environment"]
