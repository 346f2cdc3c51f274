"""A repository's conventions: learned from its files, cached, refreshed file by file.

`learn()` walks the repository (see files.py), observes every file that is not cached
with the same content, leaves out observations inside regions the developer's store knows
to be foreign, and derives the rules (mining.py, rules.py, configured.py). It also builds
the repository-wide indexes that foreign code is compared with: the dependencies the
repository declares and imports (dependencies.py) and the fingerprints of its functions
(reinvention.py).

After an edit, `prepare_refresh()` re-reads the changed files (off the event loop) and
`apply()` folds them in; only those files are read again. A changed manifest or
configuration file (pyproject.toml, package.json, requirements*.txt, .editorconfig, ...)
makes `prepare_refresh()` read the declared dependencies and configured rules again too.

Imports inside foreign regions are not the repository's own use of a package: the
dependency index is given each file's foreign spans, as the votes are.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from mindgap.conventions.cache import CachedFile, ConventionCache
from mindgap.conventions.configured import configured_choices, is_configuration_file
from mindgap.conventions.contributions import (
    FileJob,
    FileUpdate,
    SpansOf,
    read_all,
    read_file,
)
from mindgap.conventions.dependencies import DependencyIndex, is_manifest
from mindgap.conventions.dimensions import __path__ as dimension_folders
from mindgap.conventions.dimensions import all_observers
from mindgap.conventions.files import (
    RepoFile,
    is_under,
    is_vendored,
    mined_language,
    repository_files,
)
from mindgap.conventions.manifests import DeclaredDependencies, read_manifests
from mindgap.conventions.mining import TALLY_FORMAT, RuleKey, Votes, count_votes
from mindgap.conventions.reinvention import FunctionIndex
from mindgap.conventions.rules import (
    ConfiguredChoice,
    Rule,
    applicable_rule,
    derive_rules,
)
from mindgap.notebooks import is_notebook
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import RegionStore

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, path)


def observers_signature() -> str:
    """Changes whenever an observer module changes, so cached tallies are never stale."""
    digest = hashlib.sha256(f"tally format {TALLY_FORMAT}".encode())
    for folder in dimension_folders:
        for module in sorted(Path(folder).glob("*.py")):
            digest.update(module.name.encode())
            digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def aspects_offering() -> dict[tuple[str, str], dict[str, set[str]]]:
    """(language, dimension) -> aspect -> the choices its observers can make."""
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    for observer in all_observers():
        for language in observer.languages:
            aspects = found.setdefault((language, observer.dimension), {})
            for aspect in observer.aspects:
                aspects.setdefault(aspect, set()).update(observer.choices)
    return found


class ForeignSpans:
    """Where foreign code is: the regions the developer's store knows (re-anchored in the
    current text), and lines the caller names (`mindgap check --inserted`)."""

    def __init__(
        self, store: RegionStore | None, lines: dict[str, list[tuple[int, int]]] | None = None
    ) -> None:
        self.store = store
        self.lines = lines or {}  # absolute path -> 1-based inclusive line ranges
        self._paths: set[str] | None = None

    def paths(self) -> set[str]:
        if self._paths is None:
            try:
                self._paths = set(self.store.paths_with_regions()) if self.store else set()
            except Exception as error:  # a locked or damaged store: mine everything
                log.warning("foreign regions not known while learning: %s", error)
                self._paths = set()
            self._paths |= set(self.lines)
        return self._paths

    def has_any(self, absolute: Path) -> bool:
        return bool(self._keys(str(absolute.resolve())))

    def _keys(self, key: str) -> list[str]:
        """The store keys of a file's regions: its path; a notebook's cells' keys too
        (`nb.ipynb#<cell id>`: their code is found by content in the notebook's code)."""
        paths = self.paths()
        keys = [key] if key in paths else []
        if is_notebook(key):
            keys += [k for k in paths if k.startswith(f"{key}#")]
        return keys

    def spans(self, absolute: Path, text: str) -> list[tuple[int, int]]:
        key = str(absolute.resolve())
        keys = self._keys(key)
        if not keys:
            return []
        found: list[tuple[int, int]] = []
        try:
            stored = [r for k in keys for r in self.store.load(k)] if self.store else []
        except Exception as error:
            log.warning("foreign regions of %s not known: %s", key, error)
            stored = []
        for region in stored:
            found.extend((r.start, r.end) for r in reanchor(region, text).regions)
        if key in self.lines:
            starts = [0]
            for line in text.split("\n"):
                starts.append(starts[-1] + len(line) + 1)
            for first, last in self.lines[key]:
                first_index = min(first - 1, len(starts) - 1)
                found.append(
                    (starts[first_index], min(starts[min(last, len(starts) - 1)], len(text)))
                )
        return sorted(found)


@dataclass
class ConfigurationUpdate:
    """The repository's manifests and configuration, read again after one of them changed."""

    paths: list[str]  # the manifests and configuration files that changed
    configured: list[ConfiguredChoice]
    declared: DeclaredDependencies


@dataclass
class LearnStats:
    files: int = 0  # source files mindgap can parse
    read: int = 0  # read and observed this time (the rest came from the cache)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> files
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)  # one line each (a worker that died)


class RepositoryConventions:
    """The mined rules of one repository, with the votes behind them and the indexes."""

    def __init__(
        self,
        root: Path,
        min_support: int,
        min_dominance: float,
        cache: ConventionCache | None = None,
        foreign: ForeignSpans | None = None,
    ) -> None:
        self.root = root.resolve()
        self.min_support = min_support
        self.min_dominance = min_dominance
        self.cache = cache
        self.foreign = foreign or ForeignSpans(None)
        self.entries: dict[str, CachedFile] = {}
        self.votes: dict[RuleKey, Votes] = {}
        self.rules: dict[RuleKey, Rule] = {}
        self.configured: list[ConfiguredChoice] = []
        # empty until learned (or loaded from the cache): nothing is read here
        self.dependencies = DependencyIndex.empty(self.root)
        self.functions = FunctionIndex(self.root)
        self.stats = LearnStats()
        self.licensed_subtrees: set[str] = set()  # separately licensed: they do not vote

    @property
    def key(self) -> str:
        return str(self.root)

    # -- checking --------------------------------------------------------------------------

    def rule_for(
        self, language: str, dimension: str, aspect: str, is_test: bool, path: str | None = None
    ) -> Rule | None:
        return applicable_rule(
            self.rules, self.votes, language, dimension, aspect, is_test, self.min_dominance, path
        )

    def relative(self, path: str | Path) -> str | None:
        """The repository-relative path of a file inside the repository, else None."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except (ValueError, RuntimeError, OSError):  # outside, or a symlink loop
            return None

    # -- learning ----------------------------------------------------------------------------

    def learn(self, progress: Progress | None = None, workers: int | None = None) -> LearnStats:
        """Read every file that is not cached with the same content - in `workers` processes
        (default: one per core, up to workers.MAX_WORKERS) when there is much to read - and fold
        what each gives into the tallies and indexes, in path order: the result does not
        depend on the number of workers."""
        started = time.perf_counter()
        self.configured = configured_choices(self.root)
        self.licensed_subtrees = set()
        files = repository_files(self.root, self.licensed_subtrees)
        cached = self.cache.files(self.key) if self.cache else {}
        indexes_cached = self._load_indexes()
        if not indexes_cached:  # built as the files are read
            self.dependencies = DependencyIndex.build(self.root, [])
            self.functions = FunctionIndex(self.root)
        stats = LearnStats(files=len(files))
        done = 0

        def advance(path: str) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, len(files), path)

        entries: dict[str, CachedFile] = {}
        updates: list[FileUpdate] = []
        jobs: list[FileJob] = []
        for repo_file in files:
            old = cached.get(repo_file.path)
            job = self._job(repo_file, old, need_source=not indexes_cached)
            if isinstance(job, FileJob):
                jobs.append(job)
                continue
            advance(repo_file.path)
            if job is None:  # unchanged: the cached tally stands
                assert old is not None
                entries[repo_file.path] = old
            else:  # gone since it was listed
                updates.append(job)
        read, stats.problems = read_all(
            jobs,
            workers,
            lambda update: advance(update.path),
            self._foreign_spans_of,
        )
        updates += read
        stats.read = len(updates)
        updates.sort(key=lambda update: update.path)  # folded as one process would
        for update in updates:
            if update.entry is not None:
                entries[update.path] = update.entry
            self._index(update)
        self.entries = {f.path: entries[f.path] for f in files if f.path in entries}
        for entry in self.entries.values():
            if entry.skipped:
                stats.skipped[entry.skipped] = stats.skipped.get(entry.skipped, 0) + 1
        removed = sorted(set(cached) - set(self.entries))
        for path in removed if indexes_cached else []:
            self._index(FileUpdate(path, None))
        self._recount()
        if self.cache is not None:
            changed = {u.path: u.entry for u in updates if u.entry is not None}
            self.cache.store_files(self.key, changed, removed)
            if updates or removed or not indexes_cached:  # else the cached ones still hold
                self._store_indexes()
        stats.seconds = time.perf_counter() - started
        self.stats = stats
        return stats

    def _job(
        self, repo_file: RepoFile, old: CachedFile | None, *, need_source: bool
    ) -> FileJob | FileUpdate | None:
        """What to read of the file: None when the cached entry still holds (and no source
        is needed); an update without entry when the file is gone."""
        try:
            status = repo_file.absolute.stat()
        except OSError:
            return FileUpdate(repo_file.path, None)
        if (
            old is not None
            and not need_source
            and old.size == status.st_size
            and old.mtime_ns == status.st_mtime_ns
            and not self.foreign.has_any(repo_file.absolute)
        ):
            return None
        return FileJob(
            repo_file.path,
            repo_file.absolute,
            repo_file.language.name,
            status.st_size,
            status.st_mtime_ns,
            old,
        )

    def _foreign_spans_of(
        self,
        job: FileJob,
        live: dict[str, tuple[str, list[tuple[int, int]]]] | None = None,
    ) -> SpansOf | None:
        """How to find the file's foreign spans in its text, or None when it has none (then
        a worker may read it). `live`: open documents' text and regions, fresher than the
        store."""
        known = (live or {}).get(str(job.absolute))
        if known is None and not self.foreign.has_any(job.absolute):
            return None

        def spans(text: str) -> list[tuple[int, int]]:
            if known is not None and known[0] == text:  # an open document: its regions now
                return sorted(known[1])
            return self.foreign.spans(job.absolute, text)

        return spans

    def _index(self, update: FileUpdate) -> None:
        self.dependencies.set_imports(update.path, update.language, update.imports)
        self.functions.set_functions(update.path, update.functions)

    def _recount(self) -> None:
        tallies = [(path, e.tally) for path, e in self.entries.items() if e.tally is not None]
        votes = count_votes(tallies)
        rules = derive_rules(
            votes, self.configured, aspects_offering(), self.min_support, self.min_dominance
        )
        self.votes, self.rules = votes, rules  # swapped together: readers see one state

    def _load_indexes(self) -> bool:
        if self.cache is None:
            return False
        dependencies = self.cache.index(self.key, "dependencies")
        functions = self.cache.index(self.key, "functions")
        if dependencies is None or functions is None:
            return False
        try:
            self.dependencies = DependencyIndex.from_json(dependencies)
            self.functions = FunctionIndex.from_json(functions)
        except Exception as error:  # an index from another version: build it again
            log.info("cached indexes not usable (%s); rebuilding", error)
            return False
        return True

    def _store_indexes(self) -> None:
        if self.cache is not None:
            self.cache.store_index(self.key, "dependencies", self.dependencies.to_json())
            self.cache.store_index(self.key, "functions", self.functions.to_json())

    # -- incremental refresh -------------------------------------------------------------------

    def prepare_refresh(
        self,
        paths: Iterable[str | Path],
        live: dict[str, tuple[str, list[tuple[int, int]]]] | None = None,
    ) -> list[FileUpdate | ConfigurationUpdate]:
        """Read the changed files again (call off the event loop). Paths outside the
        repository, or of languages, vendored folders mindgap does not mine, are ignored;
        a manifest or configuration file among them has the manifests and configuration
        read again. `live` gives the text and foreign spans of open documents (absolute
        path -> ...): fresher than the store, which is written a moment later."""
        self.foreign = ForeignSpans(self.foreign.store, self.foreign.lines)  # regions change
        updates: list[FileUpdate | ConfigurationUpdate] = []
        configuration_paths: list[str] = []
        for path in paths:
            relative = self.relative(path)
            if (
                relative is None
                or is_vendored(relative)
                or is_under(relative, self.licensed_subtrees)
            ):
                continue
            if is_manifest(relative) or is_configuration_file(PurePosixPath(relative).name):
                configuration_paths.append(relative)
                continue
            language = mined_language(relative)  # notebooks too
            if language is None:
                continue
            absolute = self.root / relative
            if not absolute.is_file():
                updates.append(FileUpdate(relative, None, None))
                continue
            job = self._job(RepoFile(relative, absolute, language), None, need_source=True)
            if isinstance(job, FileJob):
                job = replace(job, old=self.entries.get(relative))
                job = read_file(job, self._foreign_spans_of(job, live) or (lambda _text: []))
            if job is not None:
                updates.append(job)
        if configuration_paths:
            configured, declared = configured_choices(self.root), read_manifests(self.root)
            updates.append(ConfigurationUpdate(configuration_paths, configured, declared))
        return updates

    def apply(self, updates: list[FileUpdate | ConfigurationUpdate]) -> None:
        """Fold re-read files into the votes, rules and indexes (cheap: on the event loop)."""
        if not updates:
            return
        removed = []
        changed = {}
        for update in updates:
            if isinstance(update, ConfigurationUpdate):
                self.configured = update.configured
                self.dependencies.declared = update.declared
                continue
            if update.entry is None:
                self.entries.pop(update.path, None)
                removed.append(update.path)
            else:
                self.entries[update.path] = update.entry
                changed[update.path] = update.entry
            self._index(update)
        self._recount()
        if self.cache is not None:
            self.cache.store_files(self.key, changed, removed)

    def warm(self) -> None:
        """Do now, off the event loop, what the first check would otherwise wait for: the
        table of installed Python distributions, the function index's search structure."""
        self.dependencies.warm()
        self.functions.warm()

    def save_indexes(self) -> None:
        """Write the indexes to the cache (call off the event loop)."""
        self._store_indexes()

    def refresh(self, paths: Iterable[str | Path]) -> list[FileUpdate | ConfigurationUpdate]:
        """prepare_refresh + apply + save, in one go (the command line)."""
        updates = self.prepare_refresh(paths)
        self.apply(updates)
        self.save_indexes()
        return updates

    def describe(self) -> dict[str, Any]:
        return {"root": self.key, "files": len(self.entries), "rules": len(self.rules)}


def learn(
    root: Path,
    min_support: int,
    min_dominance: float,
    *,
    store: RegionStore | None = None,
    foreign_lines: dict[str, list[tuple[int, int]]] | None = None,
    cache: ConventionCache | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> RepositoryConventions:
    """Learn (or bring up to date from the cache) the conventions of the repository at root;
    code in the store's foreign regions and in `foreign_lines` (absolute path -> 1-based
    line ranges) does not vote. `workers`: processes reading files (default: one per core
    when there is much to read; 1: this process only)."""
    conventions = RepositoryConventions(
        root,
        min_support,
        min_dominance,
        cache=cache,
        foreign=ForeignSpans(store, foreign_lines),
    )
    conventions.learn(progress, workers)
    return conventions


def open_cache() -> ConventionCache:
    return ConventionCache(observers_signature=observers_signature())
