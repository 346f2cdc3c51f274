"""What a repository declares it depends on, read from its manifests without running them.

Python: pyproject.toml (PEP 621 dependencies and extras, dependency groups, Poetry and PDM
tables, build requirements), requirements*.txt and requirements/*.txt, setup.cfg, Pipfile,
and setup.py's `install_requires` / `extras_require` / `tests_require` when they are literal
lists (or names bound to literal lists) - setup.py is parsed, never run.
JavaScript / TypeScript: package.json (all dependency fields), tsconfig/jsconfig path aliases.
Go: go.mod (`module`, `require`). Rust: Cargo.toml (every dependency table).

Manifests are found at the root and in folders up to three levels down (monorepos), never
in dependency or build folders (node_modules, .venv, target, ...). Each declared name keeps
the manifests that declare it; the repository's own package names (a workspace package, the
crate itself, the Go module) are kept apart as local.
"""

from __future__ import annotations

import ast
import configparser
import json
import logging
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from mindgap.textfiles import read_small_text

log = logging.getLogger(__name__)

MAX_DEPTH = 3
MAX_MANIFEST_BYTES = 2_000_000
SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        "target",
        "dist",
        "build",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
        "vendor",
        "third_party",
        ".next",
        "coverage",
    }
)
_FIXED_NAMES = frozenset(
    {
        "pyproject.toml",
        "setup.cfg",
        "setup.py",
        "Pipfile",
        "package.json",
        "tsconfig.json",
        "jsconfig.json",
        "go.mod",
        "Cargo.toml",
    }
)
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EGG_NAME = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def is_manifest(path: str) -> bool:
    """Whether a repository-relative path is a file `read_manifests` reads."""
    pure = PurePosixPath(path)
    name = pure.name
    if name in _FIXED_NAMES:
        return True
    return name.endswith(".txt") and (
        name.startswith("requirements") or pure.parent.name == "requirements"
    )


def canonical_python_name(name: str) -> str:
    """PEP 503 normalisation: PyYAML, pyyaml and py_yaml are one distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()


def canonical_rust_name(name: str) -> str:
    return name.replace("-", "_")


@dataclass
class DeclaredDependencies:
    # ecosystem -> canonical name -> manifests (repository-relative) that declare it
    declared: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # ecosystem -> names of the repository's own packages / crates / modules
    local: dict[str, list[str]] = field(default_factory=dict)
    # JavaScript import prefixes that tsconfig/jsconfig `paths` map into the repository
    path_aliases: list[str] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)  # every manifest read

    def declaring(self, ecosystem: str, name: str) -> list[str]:
        return self.declared.get(ecosystem, {}).get(name, [])

    def manifests_for(self, ecosystem: str) -> list[str]:
        names = {
            "python": ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile", ".txt"),
            "javascript": ("package.json",),
            "go": ("go.mod",),
            "rust": ("Cargo.toml",),
        }.get(ecosystem, ())
        return [path for path in self.manifests if path.endswith(names)]

    def to_json(self) -> dict[str, Any]:
        return {
            "declared": self.declared,
            "local": self.local,
            "path_aliases": self.path_aliases,
            "manifests": self.manifests,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeclaredDependencies:
        return cls(
            declared={
                ecosystem: {name: list(paths) for name, paths in names.items()}
                for ecosystem, names in data.get("declared", {}).items()
            },
            local={ecosystem: list(names) for ecosystem, names in data.get("local", {}).items()},
            path_aliases=list(data.get("path_aliases", [])),
            manifests=list(data.get("manifests", [])),
        )


class _Collector:
    def __init__(self) -> None:
        self.declared: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.local: dict[str, set[str]] = defaultdict(set)
        self.path_aliases: set[str] = set()
        self.manifests: list[str] = []

    def declare(self, ecosystem: str, name: str, manifest: str) -> None:
        if ecosystem == "python":
            name = canonical_python_name(name)
        elif ecosystem == "rust":
            name = canonical_rust_name(name)
        paths = self.declared[ecosystem][name]
        if manifest not in paths:
            paths.append(manifest)

    def result(self) -> DeclaredDependencies:
        return DeclaredDependencies(
            declared={
                ecosystem: {name: sorted(paths) for name, paths in names.items()}
                for ecosystem, names in self.declared.items()
            },
            local={ecosystem: sorted(names) for ecosystem, names in self.local.items()},
            path_aliases=sorted(self.path_aliases),
            manifests=sorted(self.manifests),
        )


def read_manifests(root: Path) -> DeclaredDependencies:
    collector = _Collector()
    for path in _manifest_paths(root):
        relative = path.relative_to(root).as_posix()
        try:
            text = read_small_text(path, MAX_MANIFEST_BYTES)
        except OSError as error:
            log.info("cannot read manifest %s: %s", path, error)
            continue
        try:
            _read_one(collector, path.name, relative, text)
        except (
            ValueError,
            SyntaxError,
            configparser.Error,
            tomllib.TOMLDecodeError,
            RecursionError,
        ) as error:
            # a broken manifest declares nothing we can trust; the others still count
            log.info("cannot parse manifest %s: %s", relative, error)
            continue
        collector.manifests.append(relative)
    return collector.result()


def _manifest_paths(root: Path) -> list[Path]:
    found = []
    base_depth = len(root.parts)
    for folder, subfolders, files in os.walk(root):
        depth = len(Path(folder).parts) - base_depth
        subfolders[:] = (
            []
            if depth >= MAX_DEPTH
            else sorted(
                name for name in subfolders if name not in SKIPPED_FOLDERS and name[:1] != "."
            )
        )
        for name in sorted(files):
            path = Path(folder) / name
            if is_manifest(path.relative_to(root).as_posix()):
                found.append(path)
    return found


def _read_one(collector: _Collector, name: str, relative: str, text: str) -> None:
    if name == "pyproject.toml":
        _read_pyproject(collector, relative, tomllib.loads(text))
    elif name == "Pipfile":
        data = tomllib.loads(text)
        for table in ("packages", "dev-packages"):
            for package in data.get(table, {}) or {}:
                collector.declare("python", str(package), relative)
    elif name == "setup.cfg":
        _read_setup_cfg(collector, relative, text)
    elif name == "setup.py":
        _read_setup_py(collector, relative, text)
    elif name.endswith(".txt"):
        for requirement in text.splitlines():
            _declare_requirement(collector, requirement, relative, requirements_file=True)
    elif name == "package.json":
        _read_package_json(collector, relative, json.loads(text))
    elif name in ("tsconfig.json", "jsconfig.json"):
        _read_tsconfig(collector, text)
    elif name == "go.mod":
        _read_go_mod(collector, relative, text)
    elif name == "Cargo.toml":
        _read_cargo(collector, relative, tomllib.loads(text))


def _declare_requirement(
    collector: _Collector, requirement: Any, manifest: str, requirements_file: bool = False
) -> None:
    if not isinstance(requirement, str):
        return
    line = requirement.split(" #", 1)[0].strip()
    if not line or line.startswith("#"):
        return
    if requirements_file and line.startswith("-"):
        egg = _EGG_NAME.search(line)  # -e git+https://...#egg=name
        if egg:
            collector.declare("python", egg.group(1), manifest)
        return
    egg = _EGG_NAME.search(line)
    if egg:
        collector.declare("python", egg.group(1), manifest)
        return
    if "://" in line.split("@", 1)[0]:  # a bare URL names no package we can read
        return
    match = _REQUIREMENT_NAME.match(line)
    if match:
        collector.declare("python", match.group(1), manifest)


def _read_pyproject(collector: _Collector, relative: str, data: dict[str, Any]) -> None:
    project = data.get("project", {}) or {}
    if isinstance(project.get("name"), str):
        collector.local["python"].add(canonical_python_name(project["name"]))
    for requirement in project.get("dependencies", []) or []:
        _declare_requirement(collector, requirement, relative)
    for extra in (project.get("optional-dependencies", {}) or {}).values():
        for requirement in extra or []:
            _declare_requirement(collector, requirement, relative)
    for group in (data.get("dependency-groups", {}) or {}).values():
        for requirement in group or []:
            _declare_requirement(collector, requirement, relative)  # dicts: include-group
    for requirement in (data.get("build-system", {}) or {}).get("requires", []) or []:
        _declare_requirement(collector, requirement, relative)
    tool = data.get("tool", {}) or {}
    poetry = tool.get("poetry", {}) or {}
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [group.get("dependencies", {}) for group in (poetry.get("group", {}) or {}).values()]
    for table in tables:
        for package in table or {}:
            if package != "python":
                collector.declare("python", str(package), relative)
    for group in ((tool.get("pdm", {}) or {}).get("dev-dependencies", {}) or {}).values():
        for requirement in group or []:
            _declare_requirement(collector, requirement, relative)


def _read_setup_cfg(collector: _Collector, relative: str, text: str) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    if parser.has_option("metadata", "name"):
        collector.local["python"].add(canonical_python_name(parser.get("metadata", "name")))
    for section, option in (("options", "install_requires"), ("options", "tests_require")):
        if parser.has_option(section, option):
            for requirement in parser.get(section, option).splitlines():
                _declare_requirement(collector, requirement, relative)
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            for requirement in value.splitlines():
                _declare_requirement(collector, requirement, relative)


_SETUP_KEYWORDS = ("install_requires", "extras_require", "tests_require", "setup_requires")


def _read_setup_py(collector: _Collector, relative: str, text: str) -> None:
    module = ast.parse(text)
    literals: dict[str, ast.expr] = {}  # NAME = [...] at module level
    for statement in module.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                literals[target.id] = statement.value
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
        if name != "setup":
            continue
        for keyword in node.keywords:
            if keyword.arg == "name":
                value = _literal(keyword.value, literals)
                if isinstance(value, str):
                    collector.local["python"].add(canonical_python_name(value))
            if keyword.arg not in _SETUP_KEYWORDS:
                continue
            value = _literal(keyword.value, literals)
            groups = value.values() if isinstance(value, dict) else [value]
            for group in groups:
                for requirement in group if isinstance(group, (list, tuple)) else []:
                    _declare_requirement(collector, requirement, relative)


def _literal(node: ast.expr, literals: dict[str, ast.expr]) -> Any:
    if isinstance(node, ast.Name) and node.id in literals:
        node = literals[node.id]
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None  # not statically readable: declares nothing we can trust


_PACKAGE_JSON_FIELDS = (
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
    "bundledDependencies",
    "bundleDependencies",
)


def _read_package_json(collector: _Collector, relative: str, data: Any) -> None:
    if not isinstance(data, dict):
        raise ValueError("package.json is not an object")
    if isinstance(data.get("name"), str):
        collector.local["javascript"].add(data["name"])
    for field_name in _PACKAGE_JSON_FIELDS:
        value = data.get(field_name)
        names = value if isinstance(value, list) else list((value or {}).keys())
        for package in names:
            if isinstance(package, str):
                collector.declare("javascript", package, relative)
    imports = data.get("imports")
    if isinstance(imports, dict):  # "#internal" subpath imports are the package's own
        collector.path_aliases.update(key.rstrip("*") for key in imports if key.startswith("#"))


_JSON_COMMENT = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _read_tsconfig(collector: _Collector, text: str) -> None:
    """tsconfig is JSON with comments and trailing commas."""
    stripped = _JSON_COMMENT.sub(
        lambda match: match.group(0) if match.group(0).startswith('"') else "", text
    )
    data = json.loads(_TRAILING_COMMA.sub(r"\1", stripped))
    paths = ((data or {}).get("compilerOptions", {}) or {}).get("paths", {}) or {}
    for alias in paths:
        prefix = str(alias).split("*", 1)[0]
        if prefix:
            collector.path_aliases.add(prefix)


_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([^\s()]+)\s+v[0-9][^\s]*", re.MULTILINE)


def _read_go_mod(collector: _Collector, relative: str, text: str) -> None:
    in_block = False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if line.startswith("module "):
            collector.local["go"].add(line.split(None, 1)[1].strip().strip('"'))
        elif line.startswith("require ("):
            in_block = True
        elif in_block and line == ")":
            in_block = False
        elif in_block or line.startswith("require "):
            match = _GO_REQUIRE.match(line)
            if match:
                collector.declare("go", match.group(1).strip('"'), relative)
        elif line.startswith(")"):
            in_block = False


def _read_cargo(collector: _Collector, relative: str, data: dict[str, Any]) -> None:
    for table_name in ("package", "lib"):
        name = (data.get(table_name, {}) or {}).get("name")
        if isinstance(name, str):
            collector.local["rust"].add(canonical_rust_name(name))
    for table in _cargo_dependency_tables(data):
        for key in table:
            collector.declare("rust", str(key), relative)


def _cargo_dependency_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    kinds = ("dependencies", "dev-dependencies", "build-dependencies")
    tables = [data.get(kind, {}) for kind in kinds]
    tables.append((data.get("workspace", {}) or {}).get("dependencies", {}))
    for target in (data.get("target", {}) or {}).values():
        if isinstance(target, dict):
            tables.extend(target.get(kind, {}) for kind in kinds)
    return [table for table in tables if isinstance(table, dict)]
