"""The operating system's wall by itself: every attack of tests/sandbox_attacks.py, run with
the Python-level walls OFF (full Python inside), must leave the world untouched; the ways
around the Python-level walls are tried with every wall up. The parent here is this very
test process: an attack that could signal it would end the test run."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mindgap.gate.questions.exec_common import build_plan
from mindgap.gate.sandbox import Outcome, Sandbox, isolation
from tests.sandbox_attacks import (
    ESCAPES,
    FORGED,
    OS_ATTACKS,
    PACKAGE_ESCAPES,
    SELF_FORGING,
    World,
    attack_lines,
    attack_source,
    plant_package,
)
from tests.unit.gate.test_exec_common import quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    planted = World(tmp_path)
    yield planted
    planted.close()


def everything(outcome: Outcome) -> str:
    return " ".join(
        str(part)
        for part in (
            outcome.kind,
            outcome.value,
            outcome.exception,
            outcome.message,
            outcome.output,
        )
    )


@pytest.mark.parametrize("name", sorted(OS_ATTACKS))
def test_the_operating_system_alone_contains(name: str, world: World) -> None:
    source = attack_source(OS_ATTACKS[name], world)
    started = time.monotonic()
    with Sandbox(rounds=1, python_walls=False) as sandbox:
        (outcome,) = sandbox.run_unchecked(source, ["attack(1)"])
    assert world.check(everything(outcome)) == []
    assert time.monotonic() - started < 15  # it ends by itself, whatever it does
    assert outcome.value != repr(FORGED)


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_ways_around_the_python_walls_gain_nothing(name: str, world: World) -> None:
    source = attack_source(ESCAPES[name], world)
    with Sandbox(rounds=1) as sandbox:
        (outcome,) = sandbox.run(source, ["attack(1)"])
        (unfiltered,) = sandbox.run_unchecked(source, ["attack(1)"])  # past the first filter
    assert outcome.kind == "refused"  # the first filter sees each of these
    assert world.check(everything(outcome) + everything(unfiltered)) == []


@pytest.mark.parametrize("name", sorted(PACKAGE_ESCAPES))
def test_package_code_brought_along_gains_nothing(name: str, world: World) -> None:
    attack = plant_package(world, PACKAGE_ESCAPES[name])
    source = attack.read_text(encoding="utf-8")
    code = quiz_code(source, attack_lines(attack))
    code.path = str(attack)
    plan = build_plan(code)
    assert plan is not None
    brought = "\n\n".join([plan.definitions, *plan.extra_definitions])
    assert FORGED not in brought and "os." not in brought and "open(" not in brought
    helpers = (attack.parent / "helpers.py").read_text(encoding="utf-8")
    with Sandbox(rounds=1) as sandbox:
        (outcome,) = sandbox.run(brought, ["attack(1)"])
        # the package as written, past the first filter (the child's walls and the OS hold)
        (unfiltered,) = sandbox.run_unchecked(helpers + "\n\n" + source, ["attack(1)"])
    assert world.check(everything(outcome) + everything(unfiltered)) == []
    assert outcome.value != repr(FORGED)


def test_what_the_child_sees_of_the_machine(world: World) -> None:
    probe = (
        "import os\n"
        "return repr((os.getpid(), os.getuid(), sorted(os.listdir('/')), dict(os.environ),"
        " os.path.exists('/proc/1'), os.path.exists('/dev/null'), os.getcwd()))"
    )
    with Sandbox(rounds=1, python_walls=False) as sandbox:
        (outcome,) = sandbox.run_unchecked(attack_source(probe, world), ["attack(1)"])
    assert outcome.kind == "value", outcome
    pid, uid, top, environment, proc, dev, cwd = eval(eval(outcome.value or ""))
    assert pid < 10  # its own pid namespace: it sees none of the machine's processes
    assert uid == 65534  # nobody, in its own user namespace, with no capabilities
    assert "home" not in top and "proc" not in top and "dev" not in top and "root" in top
    assert set(environment) <= {"PWD", "LC_CTYPE"}  # no variable of the parent's
    assert not proc and not dev
    assert cwd == "/tmp"


def test_a_forbidden_system_call_ends_the_call_as_refused(world: World) -> None:
    with Sandbox(rounds=1, python_walls=False) as sandbox:
        kill, ok = sandbox.run_unchecked(
            attack_source(OS_ATTACKS["kill the parent"], world) + "\ndef ok():\n    return 5\n",
            ["attack(1)", "ok()"],
        )
    assert kill.kind == "refused" and "forbidden system call" in kill.message
    assert ok.value == "5"  # a new worker goes on with the rest of the batch


def test_records_on_standard_output_or_malformed_frames_are_not_outcomes(world: World) -> None:
    names = [
        "forge result lines on fd 1 and exit",
        "deep JSON nesting on every descriptor",
        "an oversized frame header",
    ]
    for name in names:
        source = attack_source(OS_ATTACKS[name], world) + "\ndef ok(n):\n    return n + 1\n"
        with Sandbox(rounds=1, python_walls=False) as sandbox:
            outcomes = sandbox.run_unchecked(source, ["attack(1)", "ok(1)", "ok(2)"])
        assert FORGED not in everything(outcomes[0]), name
        assert [o.value for o in outcomes[1:]] == ["2", "3"], name


@pytest.mark.parametrize("name", sorted(SELF_FORGING))
def test_code_that_forges_its_own_outcomes_reaches_no_other_code(name: str, world: World) -> None:
    forging = attack_source(SELF_FORGING[name], world)
    with Sandbox(rounds=1) as sandbox:  # every wall up: the first filter refuses it
        assert {o.kind for o in sandbox.run(forging, ["attack(1)"])} == {"refused"}
    with Sandbox(rounds=1, python_walls=False) as sandbox:
        sandbox.run_unchecked(forging, ["attack(1)", "attack(2)"])
        # the same sandbox (its supervisor reused) then runs other code truthfully
        honest = sandbox.run_unchecked("def ok(n):\n    return n + 1\n", ["ok(1)", "ok(2)"])
    assert [o.value for o in honest] == ["2", "3"]
    assert world.check(" ".join(everything(o) for o in honest)) == []


def test_blocking_without_cpu_is_cut_by_the_wall_clock(world: World) -> None:
    started = time.monotonic()
    with Sandbox(rounds=1, python_walls=False) as sandbox:
        (outcome,) = sandbox.run_unchecked(
            attack_source(OS_ATTACKS["sleep forever"], world), ["attack(1)"]
        )
    assert outcome.kind == "timeout"
    assert time.monotonic() - started < 5


def test_no_sandbox_no_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from mindgap.gate.sandbox import runner

    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap anywhere
    isolation.bubblewrap.cache_clear()
    runner.shutdown_pool()
    runner.reset_availability()
    try:
        assert not runner.sandbox_available()
        assert "bubblewrap (bwrap) is not installed" in runner.unavailable_reason()
        assert runner.prepare_sandbox("def f():\n    return 1\n") is None
    finally:
        monkeypatch.undo()
        isolation.bubblewrap.cache_clear()
        runner.reset_availability()
    assert runner.sandbox_available()


def test_the_parent_is_alive_and_unchanged() -> None:
    # (the attacks above ran in this very process's children)
    assert os.getpriority(os.PRIO_PROCESS, os.getpid()) == os.getpriority(
        os.PRIO_PROCESS, os.getpid()
    )


def test_another_sandbox_command_can_be_named(tmp_path: Path) -> None:
    import shutil
    import sys

    from mindgap.gate.sandbox import runner, use_sandbox_command

    prefix = os.path.realpath(sys.base_prefix)
    own = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent"]
    own += ["--ro-bind", "/usr", "/usr", "--ro-bind", prefix, prefix, "--tmpfs", "/tmp"]
    for top in ("/lib", "/lib64", "/bin"):
        if os.path.islink(top):
            own += ["--symlink", os.readlink(top), top]
    own.append("--")
    try:
        use_sandbox_command([str(tmp_path / "no-such-sandbox")])
        assert not runner.sandbox_available()
        assert "no-such-sandbox" in runner.unavailable_reason()
        use_sandbox_command(own)
        assert runner.sandbox_available()
        with Sandbox(rounds=1) as sandbox:
            (outcome,) = sandbox.run("def f(x):\n    return x * 7\n", ["f(6)"])
        assert outcome.value == "42"
    finally:
        use_sandbox_command([])
    assert runner.sandbox_available()


def test_a_sandbox_command_sharing_the_hosts_tmp_leaves_its_files(tmp_path: Path) -> None:
    """The child empties /tmp between batches only when /tmp is the small tmpfs bubblewrap
    gave it: a named sandbox command whose /tmp is the host's (here `env`, no walls at all:
    the code run is this test's own) must not delete the host's files."""
    from mindgap.gate.sandbox import use_sandbox_command

    kept = tmp_path / "host-file.txt"  # tmp_path is under the host's /tmp
    kept.write_text("mine", encoding="utf-8")
    try:
        use_sandbox_command(["env"])
        with Sandbox(rounds=1) as sandbox:
            for batch in range(3):
                (outcome,) = sandbox.run("def f(x):\n    return x * 7\n", [f"f({batch})"])
                assert outcome.value == str(batch * 7)
    finally:
        use_sandbox_command([])
    assert kept.read_text(encoding="utf-8") == "mine"
