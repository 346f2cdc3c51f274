"""Dependencies: imports in foreign code of packages the repository neither declares nor uses,
checked against real git repositories with real manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mindgap.conventions.dependencies import DependencyIndex, dependency_spots, is_manifest
from mindgap.conventions.model import SourceFile
from mindgap.findings import Spot
from mindgap.syntax.languages import language_for
from mindgap.syntax.positions import LineIndex
from tests.fixtures.gitrepo import GitRepo

HALLUCINATION = "no such package is installed or declared - check the name"


def parse(path: str, text: str) -> SourceFile:
    spec = language_for(path)
    assert spec is not None, path
    tree = spec.parser().parse(text.encode("utf-8"))
    return SourceFile(path, spec.name, LineIndex(text), tree, False)


def repository_sources(repo: GitRepo) -> list[SourceFile]:
    sources = []
    for path in repo.git("ls-files").splitlines():
        if language_for(path) is not None:
            sources.append(parse(path, (repo.path / path).read_text(encoding="utf-8")))
    return sources


def foreign_check(
    index: DependencyIndex, path: str, before: str, inserted: str, after: str = ""
) -> tuple[str, list[Spot]]:
    """Spots for `inserted`, placed between hand-written `before` and `after` in one file."""
    text = before + inserted + after
    spots = dependency_spots(parse(path, text), len(before), len(before) + len(inserted), index)
    for spot in spots:
        assert len(before) <= spot.start < spot.end <= len(before) + len(inserted)
    return text, spots


def by_package(text: str, spots: list[Spot]) -> dict[str, Spot]:
    found = {text[spot.start : spot.end]: spot for spot in spots}
    for name, spot in found.items():
        assert spot.kind == "dependency" and spot.dimension is None
        assert spot.evidence["package"] == name
        assert spot.evidence["declared_in"] == [] and spot.evidence["imported_elsewhere"] == 0
    return found


@pytest.fixture
def python_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "py")
    repo.commit(
        "A service on httpx",
        {
            "pyproject.toml": '[project]\nname = "weather"\n'
            'dependencies = ["httpx>=0.27", "PyYAML>=6"]\n',
            "weather/__init__.py": "",
            "weather/client.py": "import httpx\nimport yaml\n\n\ndef fetch(url):\n"
            "    return httpx.get(url).json()\n",
            "weather/forecast.py": "import httpx\nfrom weather.client import fetch\n",
            "weather/alerts.py": "from httpx import AsyncClient\n",
            "weather/report.py": "import json\nimport os\n",
        },
    )
    return repo


def test_python_imports_are_judged_against_manifests_imports_and_environment(
    python_repo: GitRepo,
) -> None:
    index = DependencyIndex.build(python_repo.path, repository_sources(python_repo))
    text, spots = foreign_check(
        index,
        "weather/report.py",
        "import json\nimport os\n",
        "import fastjsonparserx\nimport requests\nimport rich\nimport yaml\nimport sqlite3\n"
        "from weather.client import fetch\nfrom . import forecast\nimport httpx\n",
    )
    found = by_package(text, spots)
    assert set(found) == {"fastjsonparserx", "requests", "rich"}

    invented = found["fastjsonparserx"]
    assert invented.code == "dependency/unknown-package"
    assert invented.severity == "warning"
    assert HALLUCINATION in invented.message
    assert "AI assistants invent package names" in invented.message
    assert invented.evidence["installed"] is False
    assert invented.evidence["manifests_checked"] == ["pyproject.toml"]

    requests = found["requests"]
    assert requests.code == "dependency/undeclared"
    assert requests.severity == "warning"
    assert "This repository uses httpx for HTTP requests (imported in 3 files)" in (
        requests.message
    )
    assert "this imports requests" in requests.message
    assert requests.evidence["repository_uses"][0] == {
        "package": "httpx",
        "job": "HTTP requests",
        "imported_in": 3,
    }

    rich = found["rich"]  # installed (mindgap depends on it), just new to this repository
    assert rich.code == "dependency/undeclared"
    assert rich.severity == "information"
    assert rich.evidence["installed"] is True
    assert HALLUCINATION not in rich.message
    assert "checked pyproject.toml" in rich.message


def test_a_package_used_elsewhere_or_in_the_same_file_is_not_new(python_repo: GitRepo) -> None:
    python_repo.commit("Pretty output", {"weather/show.py": "import rich\n"})
    index = DependencyIndex.build(python_repo.path, repository_sources(python_repo))
    _, spots = foreign_check(index, "weather/report.py", "", "import rich\n")
    assert spots == []
    # the same file importing it outside the foreign region counts too
    _, spots = foreign_check(index, "weather/new.py", "import requests\n", "import requests\n")
    assert spots == []


def test_optional_imports_guarded_by_import_error_are_not_flagged(python_repo: GitRepo) -> None:
    index = DependencyIndex.build(python_repo.path, repository_sources(python_repo))
    _, spots = foreign_check(
        index,
        "weather/speed.py",
        "",
        "try:\n    import fastjsonparserx as fast\nexcept ImportError:\n    fast = None\n",
    )
    assert spots == []


def test_setup_py_and_requirements_files_declare_too(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "legacy")
    repo.commit(
        "Old-style packaging",
        {
            "setup.py": "from setuptools import setup\n\nREQUIRES = ['python-dateutil>=2', "
            "'beautifulsoup4']\n\nsetup(name='legacy', install_requires=REQUIRES,\n"
            "      extras_require={'cv': ['opencv-python']})\n",
            "requirements-dev.txt": "# tools\n-r requirements.txt\nfastjsonparserx==1.0  # ours\n",
            "legacy/__init__.py": "",
        },
    )
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(
        index,
        "legacy/core.py",
        "",
        "import dateutil\nimport bs4\nimport cv2\nimport fastjsonparserx\nimport nosuchthingy\n",
    )
    assert set(by_package(text, spots)) == {"nosuchthingy"}
    assert spots[0].evidence["manifests_checked"] == ["requirements-dev.txt", "setup.py"]


def test_a_broken_manifest_is_skipped_and_the_others_still_count(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "mixed")
    repo.commit(
        "Two manifests, one broken",
        {
            "pyproject.toml": "[project\nname = broken",
            "requirements.txt": "rich\n",
            "app.py": "print('hi')\n",
        },
    )
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    assert index.declared.manifests == ["requirements.txt"]
    text, spots = foreign_check(index, "app.py", "", "import rich\nimport fastjsonparserx\n")
    assert set(by_package(text, spots)) == {"fastjsonparserx"}


def test_the_repository_virtual_environment_is_the_environment(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "venvrepo")
    repo.commit(
        "App",
        {"requirements.txt": "httpx\n", "app.py": "import httpx\n", ".gitignore": ".venv/\n"},
    )
    site = repo.path / ".venv" / "lib" / "python3.11" / "site-packages"
    (site / "fancylib").mkdir(parents=True)
    (site / "fancylib" / "__init__.py").write_text("raise SystemExit('never run')\n")
    (repo.path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    # asttokens is installed for the Python running the tests, not in this .venv
    text, spots = foreign_check(index, "tool.py", "", "import fancylib\nimport asttokens\n")
    found = by_package(text, spots)
    assert found["fancylib"].code == "dependency/undeclared"
    assert found["fancylib"].evidence["installed"] is True
    assert found["asttokens"].code == "dependency/unknown-package"
    assert found["asttokens"].evidence["environment"] == "the virtual environment .venv/"


def test_javascript_with_package_json_and_node_modules(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "web")
    repo.commit(
        "Calendar",
        {
            "package.json": json.dumps(
                {"name": "calendar", "dependencies": {"date-fns": "^3.0.0", "@acme/ui": "1"}}
            ),
            "tsconfig.json": '{\n  // aliases\n  "compilerOptions": {"paths": {"@app/*": '
            '["src/*"]},},\n}\n',
            "src/week.ts": 'import { addDays } from "date-fns";\n',
            "src/month.ts": 'import { format } from "date-fns/format";\n',
            ".gitignore": "node_modules/\n",
        },
    )
    for package in ("date-fns", "@acme/ui"):
        (repo.path / "node_modules" / package).mkdir(parents=True)
        (repo.path / "node_modules" / package / "package.json").write_text("{}")
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(
        index,
        "src/day.ts",
        "",
        'import moment from "moment";\nimport pad from "leftpadx-ultra";\n'
        'import fs from "node:fs";\nconst path = require("path");\nimport { x } from "./x";\n'
        'import { Button } from "@acme/ui/button";\nimport { sub } from "date-fns";\n'
        'import { Home } from "@app/pages/home";\n',
    )
    found = by_package(text, spots)
    assert set(found) == {"moment", "leftpadx-ultra"}
    assert found["leftpadx-ultra"].code == "dependency/unknown-package"
    assert found["moment"].code == "dependency/undeclared"  # a real package, not installed
    assert "uses date-fns for dates and times (imported in 2 files)" in found["moment"].message


def test_go_with_go_mod(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "gosvc")
    repo.commit(
        "Service",
        {
            "go.mod": "module example.com/svc\n\ngo 1.22\n\nrequire (\n"
            "\tgithub.com/spf13/cobra v1.8.0\n)\n",
            "main.go": 'package main\n\nimport (\n\t"log/slog"\n\t"github.com/spf13/cobra"\n)\n',
            "internal/db/db.go": 'package db\n\nimport "log/slog"\n',
        },
    )
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(
        index,
        "internal/api/api.go",
        "package api\n\n",
        'import (\n\t"fmt"\n\t"example.com/svc/internal/db"\n'
        '\t"github.com/spf13/cobra/doc"\n\t"github.com/sirupsen/logrus"\n)\n',
    )
    found = by_package(text, spots)
    assert set(found) == {"github.com/sirupsen/logrus"}
    assert found["github.com/sirupsen/logrus"].code == "dependency/undeclared"
    assert "uses log/slog for logging (imported in 2 files)" in (
        found["github.com/sirupsen/logrus"].message
    )


def test_rust_with_cargo_toml(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "crate")
    repo.commit(
        "Crate",
        {
            "Cargo.toml": '[package]\nname = "my-tool"\n\n[dependencies]\nserde = "1"\n'
            'anyhow = "1"\nserde-json = "1"\n',
            "src/main.rs": "mod util;\nuse anyhow::Result;\n",
            "src/util.rs": "use anyhow::Context;\npub fn x() {}\n",
        },
    )
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    text, spots = foreign_check(
        index,
        "src/cli.rs",
        "",
        "use std::io;\nuse serde::Deserialize;\nuse serde_json::Value;\nuse crate::util;\n"
        "use util::x;\nuse my_tool::thing;\nuse eyre::Result;\n",
    )
    found = by_package(text, spots)
    assert set(found) == {"eyre"}
    assert "uses anyhow for errors (imported in 2 files)" in found["eyre"].message


def test_java_and_unknown_languages_say_nothing(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "java")
    repo.commit("J", {"A.java": "import com.fake.Thing;\nclass A {}\n"})
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    _, spots = foreign_check(index, "B.java", "", "import com.invented.Nope;\nclass B {}\n")
    assert spots == []


def test_json_round_trip_keeps_every_verdict(python_repo: GitRepo) -> None:
    index = DependencyIndex.build(python_repo.path, repository_sources(python_repo))
    restored = DependencyIndex.from_json(json.loads(json.dumps(index.to_json())))
    inserted = "import fastjsonparserx\nimport requests\nimport rich\nimport yaml\n"
    assert foreign_check(restored, "weather/x.py", "", inserted) == foreign_check(
        index, "weather/x.py", "", inserted
    )
    assert restored.to_json() == index.to_json()


def test_incremental_updates_add_change_and_delete_files_and_manifests(
    python_repo: GitRepo,
) -> None:
    index = DependencyIndex.build(python_repo.path, repository_sources(python_repo))

    def flagged() -> set[str]:
        text, spots = foreign_check(index, "weather/new.py", "", "import rich\nimport tqdm\n")
        return set(by_package(text, spots))

    assert flagged() == {"rich", "tqdm"}
    index.update_file(parse("weather/show.py", "import rich\n"), "weather/show.py")  # added
    assert flagged() == {"tqdm"}
    index.update_file(parse("weather/show.py", "import os\n"), "weather/show.py")  # changed
    assert flagged() == {"rich", "tqdm"}
    index.update_file(parse("weather/bar.py", "import tqdm\n"), "weather/bar.py")
    index.update_file(None, "weather/bar.py")  # deleted
    assert flagged() == {"rich", "tqdm"}

    assert is_manifest("pyproject.toml") and is_manifest("requirements/dev.txt")
    assert not is_manifest("weather/client.py")
    python_repo.write(
        "pyproject.toml",
        '[project]\nname = "weather"\ndependencies = ["httpx", "PyYAML", "rich"]\n',
    )
    index.update_file(None, "pyproject.toml")
    assert flagged() == {"tqdm"}


def test_imports_in_foreign_spans_of_other_files_do_not_count(python_repo: GitRepo) -> None:
    sources = repository_sources(python_repo)
    text = "import os\nimport rich\n"
    sources.append(parse("weather/pasted.py", text))
    spans = {"weather/pasted.py": [(text.index("import rich"), len(text))]}
    index = DependencyIndex.build(python_repo.path, sources, foreign_spans=spans)
    _, spots = foreign_check(index, "weather/other.py", "", "import rich\n")
    assert [spot.evidence["package"] for spot in spots] == ["rich"]


def test_a_manifest_declares_only_for_the_package_it_sits_in(tmp_path: Path) -> None:
    """flask: examples/celery/requirements.txt must not declare celery for src/flask."""
    repo = GitRepo(tmp_path / "flasklike")
    repo.commit(
        "A library with examples",
        {
            "pyproject.toml": '[project]\nname = "flasklike"\ndependencies = ["click"]\n',
            "requirements/dev.txt": "pytest\n",
            "examples/tasks/requirements.txt": "celery\n",
            "docs/requirements.txt": "sphinx\n",
            "src/flasklike/__init__.py": "import click\n",
            "examples/tasks/make.py": "print(1)\n",
        },
    )
    index = DependencyIndex.build(repo.path, repository_sources(repo))
    imports = "import celery\nimport sphinx\nimport pytest\nimport click\n"
    text, spots = foreign_check(index, "src/flasklike/app.py", "", imports)
    assert set(by_package(text, spots)) == {"celery", "sphinx"}
    # the manifests checked are those that speak for the file's package
    assert spots[0].evidence["manifests_checked"] == ["pyproject.toml", "requirements/dev.txt"]
    text, spots = foreign_check(index, "examples/tasks/jobs.py", "", imports)
    assert set(by_package(text, spots)) == {"sphinx"}
