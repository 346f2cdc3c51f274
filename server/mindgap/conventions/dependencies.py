"""Dependencies: imports in foreign code of packages the repository does not use or declare.

An import in a foreign region is flagged when its package is third-party (not the standard
library, not a built-in module, not the repository's own code), no manifest of the
repository declares it, and no other code of the repository imports it (other files, or the
same file outside the region):

- `dependency/unknown-package` (warning) when it is also not installed in the workspace's
  environment and is no well-known package: "no such package is installed or declared -
  check the name; AI assistants invent package names".
- `dependency/undeclared` (information; warning when the repository already uses another
  library for the same job, which the message names with its number of importing files).

Without any manifest for the language, only the first is said (a folder of scripts declares
nothing, so "undeclared" would tell nothing); Go and Rust need go.mod / Cargo.toml, and
JavaScript a package.json, before anything is said. Imports guarded by
`try: ... except ImportError` are optional by design and never flagged. Java is not checked.

The index keeps what each file imports and what the manifests declare; whether a package is
installed is looked up live, so installing it silences the warning at the next check.

Keeping it current (what the engine calls):
- `DependencyIndex.build(root, files, foreign_spans=None)` once, over the repository's parsed
  source files (imports inside the foreign spans given per path do not count as the
  repository's own use of a package);
- `update_file(source, path, foreign_spans=())` when a source file changes (`None` when it
  was deleted);
- `update_file(None, path)` for a manifest path (`is_manifest(path)` tells which paths are:
  pyproject.toml, requirements*.txt, package.json, go.mod, Cargo.toml, ...) re-reads every
  manifest; `reload_manifests()` does the same directly. `from_json` reads the manifests
  again too (they may have changed while the index sat in a cache).
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mindgap.config import Settings, SettingsError, resolve_settings
from mindgap.conventions.import_sites import ECOSYSTEMS, import_sites
from mindgap.conventions.lockfiles import canonical as lock_canonical
from mindgap.conventions.lockfiles import locked_packages
from mindgap.conventions.manifests import (
    DeclaredDependencies,
    canonical_python_name,
    canonical_rust_name,
    is_manifest,
    read_manifests,
)
from mindgap.conventions.model import SourceFile
from mindgap.conventions.package_alternatives import JOBS, PYTHON_DISTRIBUTIONS, jobs_of
from mindgap.conventions.package_index import index_knows
from mindgap.conventions.python_environment import PythonEnvironment
from mindgap.findings import Severity, Spot
from mindgap.knowledge.apis import local_top_level_modules

__all__ = ["DependencyIndex", "dependency_spots", "is_manifest"]

FORMAT_VERSION = 1
HALLUCINATION_HINT = (
    "no such package is installed or declared - check the name; AI assistants invent package names"
)

PYTHON_NEVER_FLAGGED = frozenset({"__main__", "_typeshed", "__builtin__", "__builtins__"})
RUST_BUILT_IN = frozenset({"std", "core", "alloc", "proc_macro", "test", "crate", "self", "super"})
_NODE_BUILT_INS_LIST = """assert async_hooks buffer child_process cluster console constants
    crypto dgram diagnostics_channel dns domain events fs http http2 https inspector module net
    os path perf_hooks process punycode querystring readline repl stream string_decoder sys
    timers tls trace_events tty url util v8 vm wasi worker_threads zlib test sqlite sea"""
NODE_BUILT_INS = frozenset(_NODE_BUILT_INS_LIST.split())
_GO_THREE_PART_HOSTS = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "golang.org", "codeberg.org", "git.sr.ht"}
)
_WELL_KNOWN = {
    ecosystem: frozenset(
        package for job in JOBS if job.ecosystem == ecosystem for package in job.packages
    )
    for ecosystem in ("python", "javascript", "go", "rust")
}


def _dependency_settings(root: Path) -> Settings:
    """The settings that say where the project's environment and index are (defaults when
    the repository's settings cannot be read: learning must not fail on them)."""
    try:
        return resolve_settings(root if root.is_dir() else None)
    except SettingsError:
        return Settings()


@dataclass(frozen=True)
class _Verdict:
    code: str
    severity: Severity
    message: str
    evidence: dict[str, Any]


class DependencyIndex:
    """What the repository declares and what each of its files imports."""

    def __init__(
        self,
        root: Path,
        declared: DeclaredDependencies,
        file_imports: dict[str, tuple[str, list[str]]],
        local_python: set[str],
        local_rust: set[str],
    ) -> None:
        self.root = root
        self.declared = declared
        self.file_imports = file_imports  # path -> (ecosystem, packages it imports)
        self.local_python = local_python
        self.local_rust = local_rust
        self.use_settings(_dependency_settings(root))
        self._importers: dict[tuple[str, str], set[str]] = defaultdict(set)
        for path, (ecosystem, packages) in file_imports.items():
            for package in packages:
                self._importers[(ecosystem, package)].add(path)

    def use_settings(self, settings: Settings) -> None:
        """Where the project's environment and index are: the repository's settings, or the
        editor's (its interpreter as `python`), which the server passes in."""
        self.python_environment = PythonEnvironment.for_repository(self.root, settings.python)
        self.index_check = settings.package_index_check
        self.index_url = settings.package_index_url

    # -- building and keeping current ----------------------------------------------------

    @classmethod
    def empty(cls, root: Path) -> DependencyIndex:
        """An index that knows nothing yet (until `build`, or one loaded from a cache)."""
        return cls(root, DeclaredDependencies(), {}, set(), set())

    @classmethod
    def build(
        cls,
        root: Path,
        files: Iterable[SourceFile],
        foreign_spans: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    ) -> DependencyIndex:
        """The index of a repository: its manifests, and what its files import (outside the
        foreign spans given per repository-relative path)."""
        index = cls(root, read_manifests(root), {}, set(local_top_level_modules(root)), set())
        for source in files:
            index.update_file(source, source.path, (foreign_spans or {}).get(source.path, ()))
        return index

    def update_file(
        self,
        source: SourceFile | None,
        path: str,
        foreign_spans: Sequence[tuple[int, int]] = (),
    ) -> None:
        """Learn (again) what one file imports; `foreign_spans` (character offsets) are its
        foreign regions, whose imports are not the repository's own choice and do not count."""
        if source is None:
            self.set_imports(path, None, [])
        else:
            self.set_imports(path, source.language, imported_names(source, foreign_spans))

    def set_imports(self, path: str, language: str | None, names: Iterable[str]) -> None:
        """The file (of `language`; None: gone) now imports these names (`imported_names`
        of its source: learning workers send them, not trees)."""
        if is_manifest(path):
            self.reload_manifests()
        self._forget(path)
        if language is None or language not in ECOSYSTEMS:
            return
        self._learn_local_names(path, language)
        ecosystem = ECOSYSTEMS[language]
        packages = sorted(
            {package for name in names if (package := self.package_of(ecosystem, name)) is not None}
        )
        self.file_imports[path] = (ecosystem, packages)
        for package in packages:
            self._importers[(ecosystem, package)].add(path)

    def warm(self) -> None:
        """Do now, off the event loop, the slow first lookups of a check (the table of
        installed Python distributions)."""
        self.python_environment.warm()

    def reload_manifests(self) -> None:
        self.declared = read_manifests(self.root)

    def _forget(self, path: str) -> None:
        old = self.file_imports.pop(path, None)
        if old is None:
            return
        ecosystem, packages = old
        for package in packages:
            importers = self._importers.get((ecosystem, package))
            if importers is not None:
                importers.discard(path)
                if not importers:
                    del self._importers[(ecosystem, package)]

    def _learn_local_names(self, path: str, language: str) -> None:
        """A module name that is a file or folder of the repository is its own code."""
        parts = PurePosixPath(path).parts
        if not parts:
            return
        stem = PurePosixPath(parts[-1]).stem
        names = {*parts[:-1], stem}
        if language == "python":
            self.local_python.update(name for name in names if name.isidentifier())
        elif language == "rust":
            self.local_rust.update(name for name in names if name.isidentifier())

    # -- serialisation -------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "root": str(self.root),
            "declared": self.declared.to_json(),
            "files": {
                path: {"ecosystem": ecosystem, "packages": packages}
                for path, (ecosystem, packages) in sorted(self.file_imports.items())
            },
            "local_python": sorted(self.local_python),
            "local_rust": sorted(self.local_rust),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DependencyIndex:
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported dependency index version {data.get('version')!r}")
        root = Path(data["root"])
        # manifests may have changed while nobody watched: read them again when we can
        declared = (
            read_manifests(root)
            if root.is_dir()
            else DeclaredDependencies.from_json(data.get("declared", {}))
        )
        return cls(
            root,
            declared,
            {
                path: (entry["ecosystem"], list(entry["packages"]))
                for path, entry in data.get("files", {}).items()
            },
            set(data.get("local_python", [])),
            set(data.get("local_rust", [])),
        )

    # -- what a name is ------------------------------------------------------------------

    def package_of(self, ecosystem: str, name: str) -> str | None:
        """The package an import names, or None when it is relative or an alias of the
        repository's own code. Standard-library names are returned (they count as uses of a
        library for a job) and told apart by `is_built_in`."""
        if ecosystem == "javascript":
            return self._javascript_package(name)
        if ecosystem == "go":
            return self._go_module(name)
        if ecosystem == "rust":
            return canonical_rust_name(name) if name not in ("crate", "self", "super") else None
        return name

    def is_built_in(self, ecosystem: str, package: str) -> bool:
        if ecosystem == "python":
            return package in sys.stdlib_module_names or package in PYTHON_NEVER_FLAGGED
        if ecosystem == "javascript":
            return package.startswith("node:") or package in NODE_BUILT_INS
        if ecosystem == "go":
            return "." not in package.split("/", 1)[0]
        if ecosystem == "rust":
            return package in RUST_BUILT_IN
        return True

    def is_local(self, ecosystem: str, package: str) -> bool:
        if ecosystem == "python":
            return package in self.local_python or canonical_python_name(
                package
            ) in self.declared.local.get("python", [])
        if ecosystem == "rust":
            return package in self.local_rust or package in self.declared.local.get("rust", [])
        if ecosystem == "javascript":
            return package in self.declared.local.get("javascript", [])
        return False  # Go: local module paths are never returned by package_of

    def _javascript_package(self, specifier: str) -> str | None:
        if not specifier or specifier.startswith((".", "/", "~", "#", "@/")):
            return None
        if any(specifier.startswith(alias) for alias in self.declared.path_aliases):
            return None
        if specifier.startswith("node:"):
            return specifier
        if ":" in specifier:  # virtual modules and URL imports (bundler-specific)
            return None
        parts = specifier.split("/")
        if specifier.startswith("@"):
            return "/".join(parts[:2]) if len(parts) >= 2 else None
        return parts[0]

    def _go_module(self, path: str) -> str | None:
        parts = path.split("/")
        if "." not in parts[0]:
            return path  # the standard library
        for local in self.declared.local.get("go", []):
            if path == local or path.startswith(local + "/"):
                return None
        declared = [
            module
            for module in self.declared.declared.get("go", {})
            if path == module or path.startswith(module + "/")
        ]
        if declared:
            return max(declared, key=len)
        if parts[0] in _GO_THREE_PART_HOSTS:
            return "/".join(parts[:3])
        if parts[0] == "gopkg.in":
            return "/".join(parts[:2])
        return "/".join(parts[:2])

    def importers(self, ecosystem: str, package: str) -> set[str]:
        return self._importers.get((ecosystem, package), set())

    def declaring(self, ecosystem: str, package: str) -> list[str]:
        if ecosystem == "python":
            names = {canonical_python_name(package)}
            names.update(
                canonical_python_name(name)
                for name in [
                    *self.python_environment.distributions_of(package),
                    *PYTHON_DISTRIBUTIONS.get(package, ()),
                ]
            )
            found: list[str] = []
            for name in sorted(names):
                found.extend(self.declared.declaring("python", name))
            return sorted(set(found))
        return self.declared.declaring(ecosystem, package)

    def is_installed(self, ecosystem: str, package: str, file_path: str) -> bool | None:
        """True or False when the environment can tell; None when it cannot (no
        node_modules, no Go module cache, no cargo registry on this machine)."""
        if ecosystem == "python":
            return self.python_environment.is_installed(package)
        if ecosystem == "javascript":
            return _node_modules_hold(self.root, file_path, package)
        if ecosystem == "go":
            return _go_module_cache_holds(package)
        if ecosystem == "rust":
            return _cargo_registry_holds(package)
        return None

    def environment_description(self, ecosystem: str) -> str:
        return {
            "python": self.python_environment.description,
            "javascript": "node_modules",
            "go": "the Go module cache",
            "rust": "the cargo registry",
        }.get(ecosystem, "the environment")


def imported_names(source: SourceFile, foreign_spans: Sequence[tuple[int, int]] = ()) -> list[str]:
    """What the file's imports name, outside its foreign spans (character offsets)."""
    return [
        site.name
        for site in import_sites(source)
        if not any(start <= site.start < end for start, end in foreign_spans)
    ]


# -- checking foreign code ---------------------------------------------------------------


def dependency_spots(
    source: SourceFile, start: int, end: int, index: DependencyIndex
) -> list[Spot]:
    """Findings on the imports that start inside text[start:end] of `source`."""
    ecosystem = ECOSYSTEMS.get(source.language)
    if ecosystem is None:
        return []
    inside = [
        site for site in import_sites(source, start, end) if start <= site.start < site.end <= end
    ]
    if not inside:
        return []
    outside_packages: set[str | None] | None = None  # read only when a package is in doubt

    def imported_outside(package: str) -> bool:
        nonlocal outside_packages
        if outside_packages is None:
            outside_packages = {
                index.package_of(ecosystem, site.name)
                for site in import_sites(source)
                if not (start <= site.start and site.end <= end)
            }
        return package in outside_packages

    spots: list[Spot] = []
    seen: set[str] = set()
    for site in inside:
        package = index.package_of(ecosystem, site.name)
        if package is None or package in seen or site.guarded:
            continue
        seen.add(package)
        verdict = _verdict(index, source, ecosystem, package, imported_outside)
        if verdict is not None:
            spots.append(
                Spot(
                    site.start,
                    site.end,
                    "dependency",
                    verdict.code,
                    verdict.severity,
                    verdict.message,
                    verdict.evidence,
                )
            )
    return spots


def _verdict(
    index: DependencyIndex,
    source: SourceFile,
    ecosystem: str,
    package: str,
    imported_outside: Callable[[str], bool],
) -> _Verdict | None:
    if index.is_built_in(ecosystem, package) or index.is_local(ecosystem, package):
        return None
    if any(
        manifest_applies(manifest, source.path) for manifest in index.declaring(ecosystem, package)
    ):
        return None
    elsewhere = index.importers(ecosystem, package) - {source.path}
    if elsewhere or imported_outside(package):
        return None
    # the manifests that speak for this file's package (examples/x/pyproject.toml does not)
    manifests = [
        manifest
        for manifest in index.declared.manifests_for(ecosystem)
        if manifest_applies(manifest, source.path)
    ]
    if not manifests and ecosystem != "python":
        return None  # no package.json / go.mod / Cargo.toml: we cannot tell what is declared
    installed = index.is_installed(ecosystem, package, source.path)
    uses = _repository_uses(index, ecosystem, package, source.path)
    evidence: dict[str, Any] = {
        "package": package,
        "ecosystem": ecosystem,
        "declared_in": [],
        "imported_elsewhere": 0,
        "manifests_checked": manifests,
        "installed": installed,
        "environment": index.environment_description(ecosystem),
    }
    if ecosystem == "python":
        evidence["standard_library"] = False
    if uses:
        evidence["repository_uses"] = uses
    checked = f"checked {', '.join(manifests)}" if manifests else "the repository has no manifest"
    locked = _locked_in(index, ecosystem, package)
    if locked:
        evidence["locked_in"] = locked
    unknown_locally = (
        installed is False and not locked and package not in _known_packages(ecosystem)
    )
    on_index = None
    if unknown_locally and ecosystem == "python" and index.index_check:
        on_index = index_knows(package, index.index_url)
        evidence["package_index"] = {"url": index.index_url, "knows": on_index}
    if unknown_locally and on_index is not True:
        similar = similar_names(index, ecosystem, package)
        if similar:
            evidence["similar"] = similar
        # an index that did not answer makes no claim that the name does not exist
        if on_index is False or not index.index_check:
            where = (
                f"; the package index {index.index_url} does not know it either"
                if on_index is False
                else ""
            )
            guess = f" Did you mean {' or '.join(similar)}?" if similar else ""
            message = (
                f"`{package}`: {HALLUCINATION_HINT}. No manifest declares it ({checked}), no "
                f"other code of the repository imports it, and "
                f"{index.environment_description(ecosystem)} does not have it{where}.{guess}"
            )
            return _Verdict("dependency/unknown-package", "warning", message, evidence)
    if not manifests and not uses:
        return None  # a folder of scripts: "undeclared" would say nothing useful
    message = (
        f"`{package}` is new to this repository: no other code imports it and no manifest "
        f"declares it ({checked})"
    )
    if locked:
        message += f"; {locked} has it"
    elif installed is False:
        message += f"; it is not installed in {index.environment_description(ecosystem)} either"
        if on_index is True:
            message += f" (the package index {index.index_url} has it)"
    message += "."
    if uses:
        best = uses[0]
        files = "file" if best["imported_in"] == 1 else "files"
        message += (
            f" This repository uses {best['package']} for {best['job']} (imported in "
            f"{best['imported_in']} {files}); this imports {package}."
        )
    severity: Severity = "warning" if uses else "information"
    return _Verdict("dependency/undeclared", severity, message, evidence)


# Folders that hold the manifests of the project around them, not a package of their own
_MANIFEST_FOLDERS = frozenset(
    {"requirements", "requirements.d", "reqs", "deps", "dependencies", "constraints", "ci"}
)


def manifest_applies(manifest: str, path: str) -> bool:
    """Whether a manifest (repository-relative) declares dependencies for the file at `path`:
    a manifest speaks for the package it sits in, so `examples/celery/requirements.txt` or
    `docs/requirements.txt` declare nothing for `src/flask/app.py`; one at the root, or in a
    requirements/ folder at the root, speaks for the whole repository."""
    folder = PurePosixPath(manifest).parent
    while folder.name.lower() in _MANIFEST_FOLDERS or folder.name.startswith("."):
        folder = folder.parent
    return str(folder) in ("", ".") or path.startswith(f"{folder.as_posix()}/")


def _repository_uses(
    index: DependencyIndex, ecosystem: str, package: str, path: str
) -> list[dict[str, Any]]:
    """Other libraries for the same job that the repository imports, most used first."""
    uses: list[dict[str, Any]] = []
    for job in jobs_of(ecosystem, package):
        for other in job.packages - {package}:
            importers = index.importers(ecosystem, other) - {path}
            if importers:
                uses.append(
                    {"package": other, "job": job.description, "imported_in": len(importers)}
                )
    uses.sort(key=lambda use: (-use["imported_in"], use["package"]))
    return uses


def _locked_in(index: DependencyIndex, ecosystem: str, package: str) -> str | None:
    """The lockfile that holds the package (by its import or distribution names), if any."""
    locked = locked_packages(index.root, ecosystem)
    if not locked:
        return None
    if ecosystem != "python":
        return locked.get(package)
    names = {package, *PYTHON_DISTRIBUTIONS.get(package, ())}
    names.update(index.python_environment.distributions_of(package))
    for name in sorted(names):
        if lock_canonical(name) in locked:
            return locked[lock_canonical(name)]
    return None


def similar_names(index: DependencyIndex, ecosystem: str, package: str) -> list[str]:
    """Known names one or two edits away from `package` ("did you mean more-itertools?"):
    installed, declared, locked and well-known packages."""
    if len(package) < 4:
        return []
    known: set[str] = set(_known_packages(ecosystem))
    known.update(index.declared.declared.get(ecosystem, {}))
    known.update(locked_packages(index.root, ecosystem))
    if ecosystem == "python":
        known.update(index.python_environment.distributions())
        for names in index.python_environment.distributions().values():
            known.update(names)
    wanted = lock_canonical(package) if ecosystem == "python" else package
    limit = 1 if len(wanted) < 6 else 2
    scored = set()
    for name in known:
        other = lock_canonical(name) if ecosystem == "python" else name
        if other == wanted:
            continue
        distance = _edit_distance(wanted, other, limit)
        if distance <= limit:
            scored.add((distance, other))
    return [name for _, name in sorted(scored)[:3]]


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _known_packages(ecosystem: str) -> frozenset[str]:
    if ecosystem == "python":
        return _WELL_KNOWN["python"] | frozenset(PYTHON_DISTRIBUTIONS)
    return _WELL_KNOWN.get(ecosystem, frozenset())


def _node_modules_hold(root: Path, file_path: str, package: str) -> bool | None:
    """Node resolves a package from the file's folder upwards; so do we, up to the root."""
    folder = (root / file_path).parent if file_path else root
    any_node_modules = False
    while True:
        modules = folder / "node_modules"
        if modules.is_dir():
            any_node_modules = True
            if (modules / package).exists():
                return True
        if folder == root or root not in folder.parents:
            break
        folder = folder.parent
    return False if any_node_modules else None


def _go_module_cache() -> Path | None:
    configured = os.environ.get("GOMODCACHE")
    if configured:
        cache = Path(configured)
    else:
        gopath = os.environ.get("GOPATH", "").split(os.pathsep)[0] or str(Path.home() / "go")
        cache = Path(gopath) / "pkg" / "mod"
    return cache if cache.is_dir() else None


def _go_module_cache_holds(module: str) -> bool | None:
    cache = _go_module_cache()
    if cache is None:
        return None
    # the cache escapes capitals as "!" + lower case; versions follow an "@"
    escaped = "".join(f"!{char.lower()}" if char.isupper() else char for char in module)
    folder = cache / escaped
    try:
        siblings = os.listdir(folder.parent)
    except OSError:
        return False
    return any(name.startswith(f"{folder.name}@") for name in siblings)


def _cargo_registry_holds(crate: str) -> bool | None:
    home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")
    sources = home / "registry" / "src"
    if not sources.is_dir():
        return None
    prefixes = {f"{crate}-", f"{crate.replace('_', '-')}-"}
    for registry in sources.iterdir():
        try:
            names = os.listdir(registry)
        except OSError:
            continue
        if any(name.startswith(tuple(prefixes)) for name in names):
            return True
    return False
