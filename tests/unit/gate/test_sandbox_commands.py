"""Sandbox commands per workspace folder: the server's folders may each name their own
`sandbox_command`, and their jobs overlap (a quiz built in one while a hand-write is checked
in another). Each job's sandboxes must run under its folder's command, and one folder's jobs
must not end the other's idle sandboxes. Real bubblewrap, each command marked so that the
code run inside says which one it is under, and logging every sandbox it starts."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from mindgap.gate.sandbox import Sandbox, runner, sandbox_available, sandboxes_under
from mindgap.lsp.folders import Folder, open_folder
from mindgap.lsp.gate import in_sandbox_of

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")

MARKED = "import os\ndef mark():\n    return os.environ.get('SANDBOX_MARK')\n"


def marked_bubblewrap(mark: str, started_log: Path) -> list[str]:
    """bubblewrap with SANDBOX_MARK=mark inside, writing a line to `started_log` (outside the
    sandbox) each time one starts."""
    prefix = os.path.realpath(sys.base_prefix)
    bwrap = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent"]
    bwrap += ["--setenv", "SANDBOX_MARK", mark, "--tmpfs", "/tmp"]
    bwrap += ["--ro-bind", "/usr", "/usr", "--ro-bind", prefix, prefix]
    for top in ("/lib", "/lib64", "/bin"):
        if os.path.islink(top):
            bwrap += ["--symlink", os.readlink(top), top]
    log_start = f'echo started >> {shlex.quote(str(started_log))}; exec "$@"'
    return ["/bin/sh", "-c", log_start, "sh", *bwrap, "--"]


def starts(started_log: Path) -> int:
    return len(started_log.read_text().splitlines()) if started_log.exists() else 0


def folder_with(root: Path, command: list[str]) -> Folder:
    """A workspace folder whose editor settings name `command` as its sandbox."""
    root.mkdir()
    problems: list[str] = []
    folder = open_folder(root, {"sandboxCommand": command}, None, problems)
    assert problems == [] and folder.settings.sandbox_command == command
    return folder


def ask_mark(before: Callable[[], None] = lambda: None) -> str | None:
    """What the code run in a new session says its mark is (run, never from the cache)."""
    runner.forget_outcomes()
    before()
    with Sandbox(rounds=1, python_walls=False) as sandbox:
        (outcome,) = sandbox.run_unchecked(MARKED, ["mark()"])
    return outcome.value


@pytest.fixture(autouse=True)
def no_idle_sandboxes() -> object:
    runner.shutdown_pool()
    runner.forget_outcomes()
    yield
    runner.shutdown_pool()


def test_two_folders_jobs_at_once_each_run_under_their_own_sandbox_command(
    tmp_path: Path,
) -> None:
    alice = folder_with(tmp_path / "alice", marked_bubblewrap("alice", tmp_path / "alice.log"))
    bob = folder_with(tmp_path / "bob", marked_bubblewrap("bob", tmp_path / "bob.log"))
    both_started = threading.Barrier(2, timeout=30)
    found: dict[str, str | None] = {}

    def job(name: str, folder: Folder) -> None:
        # both jobs have begun (their folders' commands set) before either starts a sandbox
        found[name] = in_sandbox_of(folder, lambda: ask_mark(both_started.wait))()

    threads = [
        threading.Thread(target=job, args=("alice", alice)),
        threading.Thread(target=job, args=("bob", bob)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert found == {"alice": "'alice'", "bob": "'bob'"}
    assert starts(tmp_path / "alice.log") == starts(tmp_path / "bob.log") == 1


def test_one_folders_job_leaves_the_other_folders_idle_sandboxes_running(
    tmp_path: Path,
) -> None:
    alice = folder_with(tmp_path / "alice", marked_bubblewrap("alice", tmp_path / "alice.log"))
    bob = folder_with(tmp_path / "bob", marked_bubblewrap("bob", tmp_path / "bob.log"))

    assert in_sandbox_of(alice, ask_mark)() == "'alice'"
    assert in_sandbox_of(bob, ask_mark)() == "'bob'"
    assert in_sandbox_of(alice, ask_mark)() == "'alice'"
    assert in_sandbox_of(bob, ask_mark)() == "'bob'"
    # each folder's second job took its own idle sandbox: none was ended and started again
    assert starts(tmp_path / "alice.log") == starts(tmp_path / "bob.log") == 1


def test_a_folder_whose_sandbox_command_fails_leaves_the_others_able_to_run(
    tmp_path: Path,
) -> None:
    broken = [str(tmp_path / "no-such-sandbox")]
    try:
        with sandboxes_under(broken):
            assert not sandbox_available()
            assert "no-such-sandbox" in runner.unavailable_reason()
        assert sandbox_available()
        assert ask_mark() == "None"  # the process's own bubblewrap: no mark
    finally:
        runner.reset_availability()


def test_changing_the_process_setting_ends_the_idle_sandboxes_of_the_previous_one(
    tmp_path: Path,
) -> None:
    command = marked_bubblewrap("old", tmp_path / "old.log")
    try:
        runner.use_sandbox_command(command)
        assert ask_mark() == "'old'"
        assert ask_mark() == "'old'"
        assert starts(tmp_path / "old.log") == 1  # the idle one served again
        runner.use_sandbox_command([])
        with sandboxes_under(command):
            assert ask_mark() == "'old'"
        assert starts(tmp_path / "old.log") == 2  # it had been ended: started anew
    finally:
        runner.use_sandbox_command([])
