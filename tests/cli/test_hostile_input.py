"""Odd or hostile input, tried as an attacker would, through the real `mindgap` process: every
error is one line on standard error with exit 2 - never a traceback, never a hang."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import mindgap
from tests.fixtures.gitrepo import GitRepo

GOOD = "def double(x):\n    return x * 2\n\n\ndef half(x):\n    return x / 2\n"


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "no familiarity profile" not in line]
    assert len(errors) == 1, result.stderr
    (line,) = errors
    assert line.startswith("mindgap: ")
    for word in words:
        assert word in line, line
    return line


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (work / "good.py").write_text(GOOD, encoding="utf-8")
    return work


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", [["check"], ["check", "--all-foreign"], ["quiz"]])
def test_a_fifo_as_the_file_is_refused_without_waiting_for_a_writer(
    tmp_path: Path, folder: Path, command: list[str]
) -> None:
    fifo = folder / "f.py"
    os.mkfifo(fifo)
    target = f"{fifo}:1-2" if command == ["quiz"] else str(fifo)
    result = mindgap(*command, target, home=tmp_path / "home", cwd=folder)
    assert_one_line_error(result, "f.py", "FIFO", "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_learn_in_a_plain_folder_skips_a_fifo(tmp_path: Path, folder: Path) -> None:
    os.mkfifo(folder / "pipe.py")
    # settings, manifests, lock files and environments are read from these: not as FIFOs
    for name in FIFO_CONFIGURATION:
        os.mkfifo(folder / name)
    result = mindgap("learn", "--repo", str(folder), home=tmp_path / "home", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    result = mindgap("check", "--all-foreign", "good.py", home=tmp_path / "home", cwd=folder)
    assert result.returncode in (0, 1), result.stderr  # checked, whatever it found
    assert "Traceback" not in result.stderr


FIFO_CONFIGURATION = (
    "pyproject.toml",
    ".mindgap.toml",
    "environment.yml",
    "requirements.txt",
    "poetry.lock",
    "package.json",
    "package-lock.json",
    ".editorconfig",
    "setup.cfg",
)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("via_link", [False, True])
def test_dev_zero_is_refused_not_read_forever(tmp_path: Path, folder: Path, via_link: bool) -> None:
    target = Path("/dev/zero")
    if via_link:
        (folder / "zero.py").symlink_to("/dev/zero")
        target = folder / "zero.py"
    for command in (["check", str(target)], ["quiz", f"{target}:1-1"]):
        result = mindgap(*command, home=tmp_path / "home", cwd=folder)
        assert_one_line_error(result, "a device, not a regular file")


def test_a_symlink_loop_is_one_line(tmp_path: Path, folder: Path) -> None:
    (folder / "a.py").symlink_to(folder / "b.py")
    (folder / "b.py").symlink_to(folder / "a.py")
    for command in (["check", "a.py"], ["check", "--inserted", "a.py:1-1", "good.py"]):
        result = mindgap(*command, home=tmp_path / "home", cwd=folder)
        assert_one_line_error(result, "a.py", "symlink loop")
    result = mindgap("quiz", "a.py:1-1", home=tmp_path / "home", cwd=folder)
    assert_one_line_error(result, "symlink loop")
    for command in ("learn", "report"):
        result = mindgap(command, "--repo", "a.py", home=tmp_path / "home", cwd=folder)
        assert_one_line_error(result, "a.py", "no such folder")


def test_a_tcp_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = mindgap("serve", "--tcp", "127.0.0.1:99999", home=tmp_path)
    assert_one_line_error(result, "--tcp", "1 to 65535")


def test_a_tcp_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = mindgap("serve", "--tcp", f"127.0.0.1:{port}", home=tmp_path)
    assert_one_line_error(result, f"--tcp 127.0.0.1:{port}: cannot listen there")


def test_a_log_file_that_is_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = mindgap("serve", "--log-file", str(tmp_path), home=tmp_path)
    assert_one_line_error(result, "--log-file", "cannot write it")


def test_a_line_number_of_5000_digits_is_refused(tmp_path: Path, folder: Path) -> None:
    huge = "9" * 5000
    result = mindgap("quiz", f"good.py:1-{huge}", home=tmp_path / "home", cwd=folder)
    line = assert_one_line_error(result, "the region good.py:1-", "no file has that many lines")
    assert len(line) < 400
    result = mindgap(
        "check", "good.py", "--inserted", f"good.py:{huge}-{huge}", home=tmp_path, cwd=folder
    )
    assert_one_line_error(result, "--inserted", "no file has that many lines")


# Arabic-Indic, fullwidth and superscript digits
@pytest.mark.parametrize("digits", ["\u0663-\u0665", "\uff13-\uff15", "\u00b2-\u00b3"])
def test_only_ascii_digits_make_a_range(tmp_path: Path, folder: Path, digits: str) -> None:
    result = mindgap("quiz", f"good.py:{digits}", home=tmp_path / "home", cwd=folder)
    assert_one_line_error(result, "the region wants FILE:START-END")
    result = mindgap(
        "check", "good.py", "--inserted", f"good.py:{digits}", home=tmp_path, cwd=folder
    )
    assert_one_line_error(result, "--inserted wants FILE:START-END")


@pytest.mark.parametrize(
    "command",
    [
        ["check", "--all-foreign", "--format", "json", "good.py"],  # print()
        ["profile", "--developer", "alice@example.com"],  # rich
    ],
    ids=["print", "rich"],
)
def test_a_reader_that_goes_away_is_no_traceback(
    tmp_path: Path, folder: Path, command: list[str]
) -> None:
    """`mindgap ... | head`: the pipe closes before the output is written."""
    repo = GitRepo(folder)
    repo.git("add", "good.py")
    repo.git("commit", "-q", "-m", "start")
    process = subprocess.Popen(
        [sys.executable, "-m", "mindgap", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder,
        env={**os.environ, "MINDGAP_HOME": str(tmp_path / "home")},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the child writes a byte
    errors = process.stderr.read()
    process.wait(timeout=120)
    assert "Traceback" not in errors
    assert "BrokenPipeError" not in errors
    assert process.returncode == 2


def _findings(result: subprocess.CompletedProcess[str]) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def test_a_600000_character_line_is_not_analysed_and_says_so(tmp_path: Path, folder: Path) -> None:
    (folder / "long.py").write_text("x = " + " + ".join(["1"] * 150_000) + "\n")
    result = mindgap(
        "check",
        "--all-foreign",
        "--format",
        "json",
        "--fail-on",
        "all",
        "long.py",
        home=tmp_path,
        cwd=folder,
    )
    assert result.returncode == 1, result.stderr
    refused = [f for f in _findings(result) if f["code"] == "not-analysed"]
    assert [f["message"] for f in refused] == [
        "line 1 is 600,001 characters long (the limit is 10,000): not analysed"
    ]
    result = mindgap("quiz", "long.py:1-1", "--format", "json", home=tmp_path, cwd=folder)
    assert_one_line_error(result, "long.py:1-1: line 1 is 600,001 characters long")


def test_a_sum_of_100000_terms_is_refused_not_ground_through(tmp_path: Path, folder: Path) -> None:
    """`x = (1 +\\n 1 + ...)`: short lines, but a tree 100,000 levels deep."""
    (folder / "chain.py").write_text("x = (\n" + " +\n".join(["1"] * 100_000) + ")\n")
    result = mindgap(
        "-v", "check", "--all-foreign", "--format", "json", "chain.py", home=tmp_path, cwd=folder
    )
    assert "Traceback" not in result.stderr
    refused = [f for f in _findings(result) if f["code"] == "not-analysed"]
    assert [f["message"] for f in refused] == [
        "line 2: code nested more than 200 levels deep: not analysed"
    ]
    result = mindgap("quiz", "chain.py:1-100", "--format", "json", home=tmp_path, cwd=folder)
    assert_one_line_error(result, "code nested more than 200 levels deep")


def test_10000_deep_parentheses_log_no_recursion_error(tmp_path: Path, folder: Path) -> None:
    (folder / "deep.py").write_text("x = " + "(\n" * 10_000 + "1" + ")\n" * 10_000)
    result = mindgap("-v", "learn", "--repo", str(folder), home=tmp_path, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    result = mindgap("-v", "check", "--all-foreign", "deep.py", home=tmp_path, cwd=folder)
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert "code nested more than 200 levels deep: not analysed" in result.stdout


def test_learn_does_not_follow_a_symlink_out_of_the_repository(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "credentials.py").write_text(
        "".join(f'secret_key_{n} = "AKIA{n:04d}"\n' for n in range(40)), encoding="utf-8"
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "inside.py").write_text(
        "".join(f"value_{n} = {n}\n" for n in range(40)), encoding="utf-8"
    )
    (repo / "alias.py").symlink_to(repo / "inside.py")  # inside: still counts
    (repo / "leak.py").symlink_to(outside / "credentials.py")
    result = mindgap("learn", "--repo", str(repo), "--format", "json", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    learned = json.loads(result.stdout)
    assert learned["files"] == 2
    assert "AKIA" not in result.stdout and "leak.py" not in result.stdout


DEEP_JSON = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_manifests_and_settings_are_no_traceback(
    tmp_path: Path, folder: Path
) -> None:
    for name in ("package.json", "package-lock.json", "tsconfig.json", ".editorconfig"):
        (folder / name).write_text(DEEP_JSON, encoding="utf-8")
    home = tmp_path / "home"
    result = mindgap("learn", "--repo", str(folder), home=home, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    result = mindgap("check", "--all-foreign", "good.py", home=home, cwd=folder)
    assert result.returncode in (0, 1), result.stderr

    (folder / ".mindgap.toml").write_text("a = " + DEEP_JSON + "\n", encoding="utf-8")
    result = mindgap("learn", "--repo", str(folder), home=home, cwd=folder)
    assert_one_line_error(result, ".mindgap.toml: cannot read settings")


def test_a_notebook_cell_past_the_limits_gets_no_quiz(tmp_path: Path) -> None:
    long_line = "x = " + " + ".join(["1"] * 5_000) + "\n"  # 20,001 characters
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 4,
        "metadata": {"language_info": {"name": "python"}},
        "cells": [{**cell, "source": "import os\n"}, {**cell, "source": long_line}],
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = mindgap("quiz", f"{path}#1:1-1", "--format", "json", home=tmp_path / "home")
    assert_one_line_error(result, "line 1 is 20,001 characters long (the limit is 10,000)")
