"""Attacks through the real path: `mindgap quiz FILE:START-END --format json --with-answers`,
the command a developer runs, in a process of its own whose parent is this test.

The operating-system attacks run with the Python-level walls off
(`MINDGAP_SANDBOX_PYTHON_WALLS=0`): what contains them is bubblewrap and seccomp alone. The
ways around the Python-level walls run as shipped. After each: no secret in any output, the
canary untouched, no file made, no connection, the parent alive and its priority unchanged,
no forged key. `-v` shows the sandbox's calls, so the test also sees that the attack ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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

pytestmark = pytest.mark.usefixtures("os_sandbox")

MINDGAP = (sys.executable, "-m", "mindgap")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    planted = World(tmp_path)
    yield planted
    planted.close()


def quiz(
    world: World, body: str, python_walls: bool, path: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], dict]:
    first, lines = 1, 0
    if path is None:
        source = attack_source(body, world)
        path = world.root / "attack.py"
        path.write_text(source, encoding="utf-8")
        lines = source.count("\n")
    else:
        first, lines = attack_lines(path)
    env = {
        **os.environ,
        "MINDGAP_HOME": str(world.root / "mindgap-home"),
        "MINDGAP_TEST_SECRET": world.secret,  # the parent's environment holds the secret
        "MINDGAP_SANDBOX_PYTHON_WALLS": "1" if python_walls else "0",
    }
    result = subprocess.run(
        [*MINDGAP, "-v", "quiz", f"{path}:{first}-{lines}", "--format", "json", "--with-answers"],
        cwd=world.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    payload = json.loads(result.stdout) if result.returncode == 0 else {}
    return result, payload


def answers(payload: dict) -> list[str]:
    return [str(q.get("answer")) for q in payload.get("questions", [])]


@pytest.mark.parametrize("name", sorted(OS_ATTACKS))
def test_the_operating_system_alone_contains_the_attack(name: str, world: World) -> None:
    result, payload = quiz(world, OS_ATTACKS[name], python_walls=False)
    assert result.returncode == 0, result.stderr[-2000:]  # the parent lived and finished
    assert "attack(" in result.stderr, "the attack ran in the sandbox"
    assert world.check(result.stdout + result.stderr) == []
    assert all(FORGED not in answer for answer in answers(payload))


@pytest.mark.parametrize("name", sorted(ESCAPES) + sorted(SELF_FORGING))
def test_ways_around_the_python_walls_gain_nothing(name: str, world: World) -> None:
    body = {**ESCAPES, **SELF_FORGING}[name]
    result, payload = quiz(world, body, python_walls=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert world.check(result.stdout + result.stderr) == []
    assert "attack(" not in result.stderr  # the first filter refused to run it at all
    assert all(FORGED not in answer for answer in answers(payload))


@pytest.mark.parametrize("name", sorted(PACKAGE_ESCAPES))
def test_package_code_brought_along_gains_nothing(name: str, world: World) -> None:
    attack = plant_package(world, PACKAGE_ESCAPES[name])
    for python_walls in (True, False):
        result, payload = quiz(world, "", python_walls, path=attack)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "attack(" in result.stderr, "the attack ran in the sandbox"
        assert world.check(result.stdout + result.stderr) == []
        assert all(FORGED not in answer for answer in answers(payload))


def test_without_an_os_sandbox_nothing_runs_and_it_says_why(tmp_path: Path) -> None:
    code = tmp_path / "prices.py"
    code.write_text(
        "def total(prices: list[int]) -> int:\n"
        "    result = 0\n"
        "    for price in prices:\n"
        "        if price < 0:\n"
        "            raise ValueError('negative price')\n"
        "        result += price\n"
        "    return result\n",
        encoding="utf-8",
    )
    bin_dir = tmp_path / "bin"  # a PATH with git but no bubblewrap
    bin_dir.mkdir()
    git = subprocess.run(["which", "git"], capture_output=True, text=True, check=True)
    (bin_dir / "git").symlink_to(git.stdout.strip())
    env = {**os.environ, "PATH": str(bin_dir), "MINDGAP_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [*MINDGAP, "-v", "quiz", f"{code}:1-7", "--format", "json", "--with-answers"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "questions that run the code" in line]
    assert len(said) == 1, result.stderr  # once, plainly
    assert "bubblewrap (bwrap) is not installed" in said[0]
    assert "apt-get install bubblewrap" in said[0]
    assert "sandbox ran" not in result.stderr  # nothing ran
    # what comes is only what the syntax tree decides; nothing that needed a run
    executed = {"return-value", "empty-input", "loop-count", "raises-on", "return-line"}
    executed |= {"mutation", "which-input"}
    questions = json.loads(result.stdout)["questions"]
    assert all(question["type"] not in executed for question in questions)


def test_a_repository_naming_its_own_sandbox_command_runs_nothing_outside_bubblewrap(
    tmp_path: Path,
) -> None:
    """`.mindgap.toml` in a cloned repository names a 'sandbox' that is a shell writing a
    file: `mindgap quiz` ignores it (one warning) and the quiz still runs in bubblewrap."""
    repo = tmp_path / "cloned"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    marker = tmp_path / "ran-outside"
    (repo / ".mindgap.toml").write_text(
        f'sandbox_command = ["sh", "-c", "touch {marker}; exec \\"$@\\"", "sandbox"]\n',
        encoding="utf-8",
    )
    (repo / "split.py").write_text(
        "def split_path(p):\n"
        "    parts = p.split('.')\n"
        "    if not parts[0]:\n"
        "        return []\n"
        "    return ['.'.join(parts[:i]) for i in range(1, len(parts) + 1)]\n",
        encoding="utf-8",
    )
    env = {**os.environ, "MINDGAP_HOME": str(tmp_path / "home")}
    env.pop("MINDGAP_SANDBOX_COMMAND", None)
    done = subprocess.run(
        [*MINDGAP, "quiz", "split.py:1-5", "--format", "json", "--with-answers"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert "ignored the repository's sandbox_command" in done.stderr
    questions = json.loads(done.stdout)["questions"]
    assert any("split_path(" in q["prompt"] for q in questions)  # run, in bubblewrap
