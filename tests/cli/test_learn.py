"""`mindgap learn` and the convention findings of `mindgap check`, as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
import tree_sitter

from mindgap.syntax.languages import language_named
from tests.cli.test_cli import mindgap
from tests.fixtures.gitrepo import GitRepo
from tests.unit.conventions.test_engine import FOREIGN, snake_repo

PROJECT = Path(__file__).resolve().parents[2]
# The share of real, hand-written functions that `check --all-foreign` may flag (README)
FALSE_ALARM_TARGET = 0.05


def test_learn_prints_every_rule_with_support_dominance_and_source(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    result = mindgap("learn", "--repo", str(repo.path), "--format", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["files"], report["read"]) == (12, 12)
    (rule,) = [
        r
        for r in report["rules"]
        if (r["dimension"], r["aspect"], r["scope"]) == ("naming", "function", "all")
    ]
    assert rule["choice"] == "snake_case"
    assert (rule["count"], rule["support"], rule["dominance"]) == (24, 24, 1.0)
    assert rule["source"] == "vote"
    assert rule["examples"][0]["file"] == "pkg/module_0.py"

    again = mindgap("learn", "--repo", str(repo.path), home=tmp_path)
    assert again.returncode == 0
    assert "12 source files (0 read, the rest cached)" in again.stdout
    assert "snake_case for function names: 24 of 24 sites, 100%" in again.stdout
    assert "pkg/module_0.py:2 def load_0(source_path):" in again.stdout


def test_learn_says_where_a_configured_rule_comes_from(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    repo.commit("Black", {"pyproject.toml": "[tool.black]\nline-length = 100\n"})
    result = mindgap("learn", "--repo", str(repo.path), "--format", "json", home=tmp_path)
    report = json.loads(result.stdout)
    quotes = [r for r in report["rules"] if r["dimension"] == "quotes"]
    assert quotes and all(r["source"] == "config" and r["choice"] == "double" for r in quotes)
    assert quotes[0]["configured_by"] == "pyproject.toml [tool.black] (normalizes strings)"
    text = mindgap("learn", "--repo", str(repo.path), home=tmp_path).stdout
    assert "configured in pyproject.toml [tool.black]" in text


def test_learn_on_a_folder_without_sources_finds_no_conventions(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = mindgap("learn", "--repo", str(tmp_path / "empty"), home=tmp_path)
    assert result.returncode == 0
    assert "no conventions" in result.stdout
    missing = mindgap("learn", "--repo", str(tmp_path / "nowhere"), home=tmp_path)
    assert missing.returncode == 2
    assert "no such folder" in missing.stderr


def test_check_reports_convention_findings_as_the_spec_says(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    target = repo.path / "pkg" / "new.py"
    target.write_text("import os\n" + FOREIGN, encoding="utf-8")
    result = mindgap(
        "check",
        str(target),
        "--inserted",
        f"{target}:3-6",  # parseRecord; parse_header (line 8) is hand-written
        "--repo",
        str(repo.path),
        "--format",
        "json",
        home=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    conventions = [f for f in findings if f["kind"] == "convention"]
    assert {(f["dimension"], f["evidence"]["rule"]["aspect"]) for f in conventions} == {
        ("naming", "function"),
        ("naming", "parameter"),
    }
    function = next(f for f in conventions if f["evidence"]["rule"]["aspect"] == "function")
    assert set(function) == {
        "file",
        "range",
        "kind",
        "dimension",
        "code",
        "severity",
        "message",
        "evidence",
    }
    assert function["range"] == {
        "start": {"line": 3, "character": 4},
        "end": {"line": 3, "character": 15},
    }
    assert function["code"] == "convention/naming"
    assert function["severity"] == "information"
    assert function["evidence"]["fix"]["replacement"] == "parse_record"
    assert function["evidence"]["support"] == 25  # parse_header, hand-written, votes too


def _functions(path: Path) -> list[tuple[int, int]]:
    """(first line, last line), 0-based, of every function definition in a Python file."""
    source = path.read_bytes()
    tree = language_named("python").parser().parse(source)
    found = []
    stack: list[tree_sitter.Node] = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "function_definition":
            found.append((node.start_point[0], node.end_point[0]))
        stack.extend(node.named_children)
    return found


def flagged_share(repo: Path, home: Path, files: list[Path]) -> tuple[int, int]:
    """(functions with a convention finding, functions) when whole files are called foreign."""
    result = mindgap(
        "check",
        *map(str, files),
        "--all-foreign",
        "--repo",
        str(repo),
        "--format",
        "json",
        home=home,
    )
    assert result.returncode in (0, 1), result.stderr
    findings = [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "convention"]
    functions = {path: _functions(path) for path in files}
    flagged = set()
    for finding in findings:
        line = finding["range"]["start"]["line"]
        for first, last in functions[Path(finding["file"])]:
            if first <= line <= last:
                flagged.add((finding["file"], first))
    return len(flagged), sum(len(f) for f in functions.values())


@pytest.mark.parametrize("codebase", ["mindgap", "click"])
def test_hand_written_code_is_rarely_flagged(tmp_path: Path, codebase: str) -> None:
    """False alarms on real code: every file of a real codebase, as if it were foreign."""
    if codebase == "mindgap":
        repo = PROJECT
        files = sorted((PROJECT / "server" / "mindgap").rglob("*.py"))
    else:
        repo = tmp_path / "click-repo"
        shutil.copytree(Path(click.__file__).parent, repo / "src" / "click")
        GitRepo(repo).commit("click, as released")
        files = sorted((repo / "src" / "click").rglob("*.py"))
    flagged, functions = flagged_share(repo, tmp_path / "home", files)
    assert functions > 300
    assert flagged / functions < FALSE_ALARM_TARGET, f"{flagged} of {functions} flagged"
