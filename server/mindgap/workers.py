"""Worker processes for work that parses many files (learning, reading history): how many,
and how they are started."""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.context import BaseContext

# Each worker holds its interpreter and the trees it works on: more than this would cost more
# memory than the time it saves is worth.
MAX_WORKERS = 4


def worker_count() -> int:
    """The cores this process may run on, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def pool_context(preload: str | None = None) -> BaseContext:
    """fork where it is safe (one thread: the command line); else, forking a process with
    other threads (the language server's) could copy a held lock: a forkserver with
    `preload` imported once (it stays alive until this process ends), or, without `preload`,
    spawn (nothing stays alive after the pool: what the server's learning needs)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if preload is not None and "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([preload])
        return context
    return multiprocessing.get_context("spawn")
