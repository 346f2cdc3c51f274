"""What one file gives a repository's conventions, and computing that on every core.

Learning reads each file once: it is parsed, the observers tally its choices, the two indexes
take what they need from the same tree (the names its imports name, its functions'
fingerprints), and the tree is dropped. A `FileUpdate` holds only that - no tree, no text -
so a large repository never has its trees in memory together, and updates can be computed in
worker processes and folded in by the learning process in path order, exactly as it folds
its own.

Workers only read and parse files: they never import or run the repository's code. Files
with foreign regions are read by the learning process itself (it holds the store that says
where the regions are). A worker that dies (killed, out of memory) breaks the pool: the
files it had not sent back are read in the learning process, after one line saying so.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path

from mindgap.conventions.cache import CachedFile
from mindgap.conventions.dependencies import imported_names
from mindgap.conventions.files import MAX_MINED_BYTES, decode, parse_source, skip_reason
from mindgap.conventions.mining import tally_file
from mindgap.conventions.reinvention import IndexedFunction, indexed_functions
from mindgap.notebooks import MAX_NOTEBOOK_BYTES, is_notebook, notebook_document_of
from mindgap.syntax.languages import language_named
from mindgap.textfiles import UnreadableFile, read_regular_file
from mindgap.workers import pool_context, worker_count

log = logging.getLogger(__name__)

# Below this many bytes to read, starting workers costs more than it saves.
POOL_MIN_BYTES = 2_000_000
CHUNKS_PER_WORKER = 24  # enough to balance the tail; each chunk is one round trip

SpansOf = Callable[[str], list[tuple[int, int]]]  # the file's text -> its foreign spans


@dataclass(frozen=True)
class FileJob:
    """A file to read, with what the learning process knows of it."""

    path: str  # repository-relative
    absolute: Path
    language: str  # LanguageSpec.name (Python for a notebook's code)
    size: int  # as stat() found it (the cache compares these next time)
    mtime_ns: int
    old: CachedFile | None  # the cached entry: its tally stands if the content is the same


@dataclass
class FileUpdate:
    """One file read (again): its cache entry, and what it gives the indexes.

    `entry` None: the file is gone or unreadable. `language` None: no parsed source (skipped,
    not text): the indexes forget the file."""

    path: str
    entry: CachedFile | None
    language: str | None = None
    imports: list[str] = field(default_factory=list)  # dependencies.imported_names
    functions: list[IndexedFunction] = field(default_factory=list)  # indexed_functions


def read_file(job: FileJob, foreign_spans: SpansOf | None = None) -> FileUpdate:
    """Read, parse and observe one file; `foreign_spans` says where its foreign code is
    (workers are never given one: files with foreign code are read by the learner)."""
    notebook = is_notebook(job.path)  # its code cells are mined, as one text
    limit = MAX_NOTEBOOK_BYTES if notebook else MAX_MINED_BYTES
    try:  # at most one byte past the limit: decode() then says "too large"
        data = read_regular_file(job.absolute, limit + 1)
    except UnreadableFile:
        return FileUpdate(job.path, None)
    cells = notebook_document_of(data, job.path, limit) if notebook else None
    text = cells.text if cells is not None else (None if notebook else decode(data))
    if text is None:
        unusable = "too large" if len(data) > limit else "binary or not UTF-8"
        if notebook and len(data) <= limit:
            unusable = "not a Python notebook"
        return FileUpdate(job.path, CachedFile(job.size, job.mtime_ns, "", unusable, None))
    excluded = foreign_spans(text) if foreign_spans is not None else []
    digest = hashlib.sha1(data + repr(excluded).encode()).hexdigest()
    reason = skip_reason(text)
    if reason is not None:
        return FileUpdate(job.path, CachedFile(job.size, job.mtime_ns, digest, reason, None))
    source = parse_source(job.path, text, language_named(job.language))
    old = job.old
    if old is not None and old.digest == digest:
        # same content (touched, or checked out again): keep the tally, refresh the stat
        entry = CachedFile(job.size, job.mtime_ns, digest, old.skipped, old.tally)
    else:
        cell_at_line = cells.cell_at_line if cells is not None else None
        tally = tally_file(source, excluded, cell_at_line)
        entry = CachedFile(job.size, job.mtime_ns, digest, None, tally)
    return FileUpdate(
        job.path,
        entry,
        source.language,
        imported_names(source, excluded),
        indexed_functions(source, job.path, excluded),
    )


def _read_chunk(jobs: list[FileJob]) -> list[FileUpdate]:
    """A worker's task: several files, to spare round trips."""
    return [read_file(job) for job in jobs]


def _context() -> BaseContext:
    # spawn beside other threads: a forkserver would stay alive beside the server after learning
    return pool_context()


def _chunks(jobs: list[FileJob], workers: int) -> list[list[FileJob]]:
    """Largest files first, a few per chunk, so the last chunks are small and the workers
    finish together."""
    ordered = sorted(jobs, key=lambda job: job.size, reverse=True)
    target = max(1, sum(job.size for job in jobs) // (workers * CHUNKS_PER_WORKER))
    chunks: list[list[FileJob]] = []
    current: list[FileJob] = []
    size = 0
    for job in ordered:
        current.append(job)
        size += job.size
        if size >= target:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


@dataclass
class PoolOutcome:
    updates: list[FileUpdate]
    unread: list[FileJob]  # what the workers did not send back (read them in this process)
    problem: str | None = None  # one line, when the pool broke


def read_in_workers(
    jobs: list[FileJob], workers: int, received: Callable[[FileUpdate], None]
) -> PoolOutcome:
    """Read the files in `workers` processes; `received` is called for each update as it
    arrives (progress). Never raises for a worker's death: the outcome says which files are
    still unread."""
    chunks = _chunks(jobs, workers)
    outcome = PoolOutcome([], [])
    executor = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=_context())
    try:
        futures: dict[Future[list[FileUpdate]], list[FileJob]] = {
            executor.submit(_read_chunk, chunk): chunk for chunk in chunks
        }
        for future in as_completed(futures):
            try:
                updates = future.result()
            except BrokenProcessPool as error:
                outcome.unread.extend(futures[future])
                outcome.problem = outcome.problem or (
                    f"a learning worker process stopped ({_one_line(error)})"
                )
                continue
            except Exception as error:  # read it here: it fails the same way, or not at all
                log.info("a learning worker failed on %d files: %s", len(futures[future]), error)
                outcome.unread.extend(futures[future])
                continue
            for update in updates:
                received(update)
            outcome.updates.extend(updates)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    if outcome.problem is not None:
        outcome.problem += f"; {len(outcome.unread)} files were read in this process instead"
    return outcome


def _one_line(error: BaseException) -> str:
    words = " ".join(str(error).split()) or type(error).__name__
    return words if len(words) <= 200 else words[:197] + "..."


def read_all(
    jobs: list[FileJob],
    workers: int | None,
    received: Callable[[FileUpdate], None],
    foreign: Callable[[FileJob], SpansOf | None],
) -> tuple[list[FileUpdate], list[str]]:
    """Every job's update (in no particular order), and a line for each problem. Files with
    foreign spans (`foreign` gives them) are read here; the others in `workers` processes
    (None: one per core, when there is enough to read), else here too."""
    local: list[tuple[FileJob, SpansOf | None]] = []
    pooled: list[FileJob] = []
    for job in jobs:
        spans = foreign(job)
        if spans is None:
            pooled.append(job)
        else:
            local.append((job, spans))
    updates: list[FileUpdate] = []
    problems: list[str] = []
    if workers is None:
        enough = sum(job.size for job in pooled) >= POOL_MIN_BYTES
        workers = worker_count() if enough else 1
    if workers > 1 and pooled:
        outcome = read_in_workers(pooled, workers, received)
        updates.extend(outcome.updates)
        if outcome.problem is not None:
            log.info("%s", outcome.problem)  # the caller shows it (learn: a warning line)
            problems.append(outcome.problem)
        pooled = outcome.unread
    local.extend((job, None) for job in pooled)
    for job, spans in local:
        update = read_file(job, spans)
        received(update)
        updates.append(update)
    return updates, problems
