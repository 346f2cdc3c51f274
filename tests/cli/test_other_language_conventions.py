"""Convention findings for JavaScript, TypeScript, Go, Rust and Java, as a user gets them:
a real git repository with a convention kept at 24+ sites, an inserted snippet that breaks
it once and keeps it once, and `mindgap check --inserted ... --format json`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import mindgap
from tests.fixtures.gitrepo import GitRepo


def _repo(tmp_path: Path, files: dict[str, str]) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("Hand-written code", dict(files))
    return repo


def _convention_findings(
    tmp_path: Path, repo: GitRepo, name: str, snippet: str, lines: str
) -> list[tuple[str, str, str | None]]:
    """(dimension, the flagged text, the mechanical fix) of each convention finding."""
    target = repo.path / name
    target.write_text(snippet, encoding="utf-8")
    result = mindgap(
        "check",
        str(target),
        "--inserted",
        f"{target}:{lines}",
        "--repo",
        str(repo.path),
        "--format",
        "json",
        home=tmp_path / "home",
    )
    assert result.returncode in (0, 1), result.stderr
    text_lines = snippet.splitlines()
    found = []
    for finding in json.loads(result.stdout)["findings"]:
        if finding["kind"] != "convention":
            continue
        start, end = finding["range"]["start"], finding["range"]["end"]
        assert start["line"] == end["line"], finding
        flagged = text_lines[start["line"]][start["character"] : end["character"]]
        fix = (finding["evidence"].get("fix") or {}).get("replacement")
        found.append((finding["dimension"], flagged, fix))
    return sorted(found)


def test_javascript_breaks_of_naming_quotes_semicolons_and_equality_are_flagged(
    tmp_path: Path,
) -> None:
    module = """\
import {{ readFile }} from 'fs';

export function loadItems{i}(sourcePath) {{
  const itemCount = 0;
  if (sourcePath === 'none') {{
    return itemCount;
  }}
  return readFile(sourcePath);
}}
"""
    repo = _repo(tmp_path, {f"src/module_{i}.js": module.format(i=i) for i in range(24)})
    snippet = """\
import { writeFile } from 'fs';

export function write_items(targetPath) {
  const label = "ready"
  if (targetPath == 'none') {
    return label;
  }
  return writeFile(targetPath, label);
}

export function keepItems(targetPath) {
  const label = 'ready';
  if (targetPath === 'none') {
    return label;
  }
  return writeFile(targetPath, label);
}
"""
    assert _convention_findings(tmp_path, repo, "src/new.js", snippet, "3-17") == [
        ("equality", "==", None),
        ("naming", "write_items", "writeItems"),
        ("quotes", '"ready"', "'ready'"),
        ("semicolons", '"ready"', '"ready";'),
    ]


def test_typescript_type_alias_and_generic_array_break_an_interface_repository(
    tmp_path: Path,
) -> None:
    module = """\
export interface Row{i} {{
  cells: string[];
}}
"""
    repo = _repo(tmp_path, {f"src/row_{i}.ts": module.format(i=i) for i in range(24)})
    snippet = """\
export type Line = {
  cells: Array<string>;
};

export interface Column {
  cells: string[];
}
"""
    assert _convention_findings(tmp_path, repo, "src/new.ts", snippet, "1-7") == [
        ("typing-style", "Array<string>", "string[]"),
        ("typing-style", "type Line =", "interface Line"),
    ]


def test_go_under_scored_function_is_flagged_in_a_mixed_caps_repository(tmp_path: Path) -> None:
    module = """\
package store

func loadItems{i}(sourcePath string) int {{
\treturn len(sourcePath)
}}
"""
    repo = _repo(tmp_path, {f"store/module_{i}.go": module.format(i=i) for i in range(24)})
    snippet = """\
package store

func save_items(targetPath string) int {
\treturn len(targetPath)
}

func keepItems(targetPath string) int {
\treturn len(targetPath)
}
"""
    assert _convention_findings(tmp_path, repo, "store/new.go", snippet, "3-9") == [
        ("naming", "save_items", "saveItems"),
    ]


def test_rust_camel_case_function_is_flagged_in_a_snake_case_repository(tmp_path: Path) -> None:
    module = """\
pub fn load_items_{i}(source_path: &str) -> usize {{
    source_path.len()
}}
"""
    repo = _repo(tmp_path, {f"src/module_{i}.rs": module.format(i=i) for i in range(24)})
    snippet = """\
pub fn saveItems(target_path: &str) -> usize {
    target_path.len()
}

pub fn keep_items(target_path: &str) -> usize {
    target_path.len()
}
"""
    assert _convention_findings(tmp_path, repo, "src/new.rs", snippet, "1-7") == [
        ("naming", "saveItems", "save_items"),
    ]


def test_java_wildcard_import_and_snake_case_method_are_flagged(tmp_path: Path) -> None:
    module = """\
package app;

import java.util.List;

class Store{i} {{
    int countItems(List<String> sourceItems) {{
        return sourceItems.size();
    }}
}}
"""
    repo = _repo(tmp_path, {f"src/app/Store{i}.java": module.format(i=i) for i in range(24)})
    snippet = """\
package app;

import java.util.*;
import java.util.Map;

class Fresh {
    int count_items(List<String> sourceItems) {
        return sourceItems.size();
    }

    int keepItems(Map<String, String> sourceItems) {
        return sourceItems.size();
    }
}
"""
    assert _convention_findings(tmp_path, repo, "src/app/Fresh.java", snippet, "3-14") == [
        ("imports", "import java.util.*;", None),
        ("naming", "count_items", "countItems"),
    ]


def test_a_repository_without_a_dominant_style_flags_nothing(tmp_path: Path) -> None:
    single = "export const label{i} = 'ready';\n"
    double = 'export const title{i} = "ready";\n'
    files = {f"src/a_{i}.js": single.format(i=i) for i in range(15)}
    files |= {f"src/b_{i}.js": double.format(i=i) for i in range(15)}
    repo = _repo(tmp_path, files)
    snippet = "export const fresh = \"ready\";\nexport const other = 'ready';\n"
    assert _convention_findings(tmp_path, repo, "src/new.js", snippet, "1-2") == []
