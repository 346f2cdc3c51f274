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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from mindgap.conventions.cache import CachedFile, ConventionCache
from mindgap.conventions.configured import configured_choices, is_configuration_file
from mindgap.conventions.dependencies import DependencyIndex, is_manifest
from mindgap.conventions.dimensions import __path__ as dimension_folders
from mindgap.conventions.dimensions import all_observers
from mindgap.conventions.files import (
    MAX_MINED_BYTES,
    RepoFile,
    decode,
    is_under,
    is_vendored,
    mined_language,
    parse_source,
    repository_files,
    skip_reason,
)
from mindgap.conventions.manifests import DeclaredDependencies, read_manifests
from mindgap.conventions.mining import TALLY_FORMAT, RuleKey, Votes, count_votes, tally_file
from mindgap.conventions.model import SourceFile
from mindgap.conventions.reinvention import FunctionIndex
from mindgap.conventions.rules import (
    ConfiguredChoice,
    Rule,
    applicable_rule,
    derive_rules,
)
from mindgap.notebooks import MAX_NOTEBOOK_BYTES, is_notebook, notebook_document_of
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import RegionStore
from mindgap.textfiles import UnreadableFile, read_regular_file

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
class FileUpdate:
    """One file read again: its new cache entry and parsed source (None: gone or skipped)."""

    path: str
    entry: CachedFile | None  # None: the file no longer exists or no longer counts
    source: SourceFile | None
    excluded: list[tuple[int, int]] = field(default_factory=list)  # its foreign spans


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

    def learn(self, progress: Progress | None = None) -> LearnStats:
        started = time.perf_counter()
        self.configured = configured_choices(self.root)
        self.licensed_subtrees = set()
        files = repository_files(self.root, self.licensed_subtrees)
        cached = self.cache.files(self.key) if self.cache else {}
        indexes_cached = self._load_indexes()
        updates: list[FileUpdate] = []
        sources: list[SourceFile] = []
        foreign_spans: dict[str, list[tuple[int, int]]] = {}  # path -> spans, where any
        self.entries = {}
        stats = LearnStats(files=len(files))
        for done, repo_file in enumerate(files, 1):
            if progress is not None:
                progress(done, len(files), repo_file.path)
            old = cached.get(repo_file.path)
            update = self._read(repo_file, old, need_source=not indexes_cached)
            if update is None:  # unchanged: the cached tally stands
                assert old is not None
                self.entries[repo_file.path] = old
                continue
            stats.read += 1
            if update.entry is not None:
                self.entries[repo_file.path] = update.entry
                updates.append(update)
            if update.source is not None:
                sources.append(update.source)
                if update.excluded:
                    foreign_spans[update.path] = update.excluded
        for entry in self.entries.values():
            if entry.skipped:
                stats.skipped[entry.skipped] = stats.skipped.get(entry.skipped, 0) + 1
        removed = sorted(set(cached) - set(self.entries))
        if indexes_cached:
            for source in sources:
                spans = foreign_spans.get(source.path, [])
                self.dependencies.update_file(source, source.path, spans)
                self.functions.update_file(source, source.path, spans)
            for path in removed:
                self.dependencies.update_file(None, path)
                self.functions.update_file(None, path)
        else:
            self.dependencies = DependencyIndex.build(self.root, sources, foreign_spans)
            self.functions = FunctionIndex.build(self.root, sources, foreign_spans)
        self._recount()
        if self.cache is not None:
            changed = {u.path: u.entry for u in updates if u.entry is not None}
            self.cache.store_files(self.key, changed, removed)
            self._store_indexes()
        stats.seconds = time.perf_counter() - started
        self.stats = stats
        return stats

    def _read(
        self,
        repo_file: RepoFile,
        old: CachedFile | None,
        *,
        need_source: bool,
        live: dict[str, tuple[str, list[tuple[int, int]]]] | None = None,
    ) -> FileUpdate | None:
        """The file's update, or None when the cached entry still holds (and no source is
        needed). A file that vanished or became unreadable yields an update without entry."""
        try:
            status = repo_file.absolute.stat()
        except OSError:
            return FileUpdate(repo_file.path, None, None)
        has_foreign = self.foreign.has_any(repo_file.absolute)
        if (
            old is not None
            and not need_source
            and not has_foreign
            and old.size == status.st_size
            and old.mtime_ns == status.st_mtime_ns
        ):
            return None
        notebook = is_notebook(repo_file.path)  # its code cells are mined, as one text
        limit = MAX_NOTEBOOK_BYTES if notebook else MAX_MINED_BYTES
        try:  # at most one byte past the limit: decode() then says "too large"
            data = read_regular_file(repo_file.absolute, limit + 1)
        except UnreadableFile:
            return FileUpdate(repo_file.path, None, None)
        cells = notebook_document_of(data, repo_file.path, limit) if notebook else None
        text = cells.text if cells is not None else (None if notebook else decode(data))
        if text is None:
            unusable = "too large" if len(data) > limit else "binary or not UTF-8"
            if notebook and len(data) <= limit:
                unusable = "not a Python notebook"
            entry = CachedFile(status.st_size, status.st_mtime_ns, "", unusable, None)
            return FileUpdate(repo_file.path, entry, None)
        known = (live or {}).get(str(repo_file.absolute))
        if known is not None and known[0] == text:  # an open document: its regions right now
            excluded = sorted(known[1])
        else:
            excluded = self.foreign.spans(repo_file.absolute, text)
        digest = hashlib.sha1(data + repr(excluded).encode()).hexdigest()
        reason = skip_reason(text)
        source = parse_source(repo_file.path, text, repo_file.language) if reason is None else None
        if old is not None and old.digest == digest:
            # same content (touched, or checked out again): keep the tally, refresh the stat
            entry = CachedFile(status.st_size, status.st_mtime_ns, digest, old.skipped, old.tally)
            return FileUpdate(repo_file.path, entry, source, excluded)
        cell_at_line = cells.cell_at_line if cells is not None else None
        tally = (
            tally_file(source, excluded, cell_at_line)
            if source is not None and reason is None
            else None
        )
        entry = CachedFile(status.st_size, status.st_mtime_ns, digest, reason, tally)
        return FileUpdate(repo_file.path, entry, source, excluded)

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
            repo_file = RepoFile(relative, absolute, language)
            update = self._read(repo_file, self.entries.get(relative), need_source=True, live=live)
            if update is not None:
                updates.append(update)
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
            self.dependencies.update_file(update.source, update.path, update.excluded)
            self.functions.update_file(update.source, update.path, update.excluded)
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
) -> RepositoryConventions:
    """Learn (or bring up to date from the cache) the conventions of the repository at root;
    code in the store's foreign regions and in `foreign_lines` (absolute path -> 1-based
    line ranges) does not vote."""
    conventions = RepositoryConventions(
        root,
        min_support,
        min_dominance,
        cache=cache,
        foreign=ForeignSpans(store, foreign_lines),
    )
    conventions.learn(progress)
    return conventions


def open_cache() -> ConventionCache:
    return ConventionCache(observers_signature=observers_signature())
