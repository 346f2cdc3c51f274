"""The `mindgap` command as a user runs it: a real process, real files, real exit codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def mindgap(*args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MINDGAP_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "mindgap", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "module.py"
    path.write_text(
        '"""Doc."""\n\n\ndef double(x):\n    return x * 2\n\n\nVALUE = "é😀"\n', encoding="utf-8"
    )
    return path


def test_version(tmp_path: Path) -> None:
    result = mindgap("--version", home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("mindgap ")


def test_check_json_reports_the_inserted_lines_as_a_foreign_region(
    tmp_path: Path, source: Path
) -> None:
    result = mindgap(
        "check", str(source), "--inserted", f"{source}:4-5", "--format", "json", home=tmp_path
    )
    assert result.returncode == 0, result.stderr  # a bare foreign-region marker is no failure
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["file"] == str(source)
    assert finding["kind"] == "foreign-region"
    assert finding["code"] == "foreign-region"
    assert finding["range"] == {
        "start": {"line": 3, "character": 0},
        "end": {"line": 4, "character": 16},
    }
    assert finding["severity"] == "information"
    assert finding["message"].startswith("2 lines inserted")
    assert finding["evidence"]["lines"] == 2
    assert set(finding) == {
        "file",
        "range",
        "kind",
        "dimension",
        "code",
        "severity",
        "message",
        "evidence",
    }


def test_check_all_foreign_with_non_ascii_uses_utf16_columns(tmp_path: Path, source: Path) -> None:
    result = mindgap("check", str(source), "--all-foreign", "--format", "json", home=tmp_path)
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["range"]["start"] == {"line": 0, "character": 0}
    assert finding["range"]["end"] == {"line": 7, "character": 13}  # "😀" counts two units


def test_check_without_foreign_code_is_clean(tmp_path: Path, source: Path) -> None:
    result = mindgap("check", str(source), home=tmp_path)
    assert result.returncode == 0
    assert "no findings" in result.stdout


@pytest.mark.parametrize(
    ("spec", "says"),
    [("{src}:9-12", "past the end"), ("{src}:5-4", "START <= END"), ("{src}", "FILE:START-END")],
)
def test_check_rejects_bad_ranges_with_exit_2(
    tmp_path: Path, source: Path, spec: str, says: str
) -> None:
    result = mindgap("check", str(source), "--inserted", spec.format(src=source), home=tmp_path)
    assert result.returncode == 2
    assert says in result.stderr


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"\xff\xfe\x00binary", "binary"), (b"x = '\xe9'\n", "not valid UTF-8")],
)
def test_check_explains_unreadable_files(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(content)
    result = mindgap("check", str(path), home=tmp_path)
    assert result.returncode == 2
    assert says in result.stderr and str(path) in result.stderr


def test_check_with_a_corrupt_store_warns_and_still_checks(tmp_path: Path, source: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "mindgap.sqlite3").write_bytes(b"garbage" * 50)
    result = mindgap(
        "check", str(source), "--inserted", f"{source}:4-5", "--fail-on", "all", home=home
    )
    assert result.returncode == 1
    assert "corrupt" in result.stderr
    assert (home / "mindgap.sqlite3").read_bytes() == b"garbage" * 50


def test_demo_shows_the_whole_loop(tmp_path: Path) -> None:
    result = mindgap("demo", home=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "11 lines inserted by inline-completion (Copilot)" in out
    assert "You have not written a match statement yourself (0 times in 1 repository)" in out
    assert "list-comprehension" in out  # what her history shows she writes
    assert "3 lines inserted by an agent edit on disk" in out
    assert "retyped" in out
    # the agent's code departs from the conventions mined from Ada's own code
    assert "convention/naming" in out and "snake_case for function names (3 of 3" in out
    assert "f-strings for string formatting" in out and "this uses str.format()" in out
    # a passed quiz and a waiver show in the debt report
    assert "right: that code is understood" in out
    assert "Understanding debt - ada@example.com" in out
    assert "waived 3" in out
    assert not any(tmp_path.iterdir()), "the demo must not touch the user's data directory"


def test_serve_over_tcp_answers_initialize(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "MINDGAP_HOME": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "mindgap", "serve", "--tcp", f"127.0.0.1:{port}"],
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        connection = _connect(port)
        body = json.dumps(
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
        ).encode()
        connection.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        reply = _read_message(connection)
        connection.close()
        assert reply["id"] == 1
        assert reply["result"]["serverInfo"]["name"] == "mindgap"
        assert reply["result"]["capabilities"]["textDocumentSync"]["change"] == 2  # incremental
    finally:
        server.kill()
        server.wait(timeout=10)


def test_serve_accepts_the_stdio_flag_that_clients_add(tmp_path: Path) -> None:
    """vscode-languageclient (TransportKind.stdio) and others append --stdio."""
    env = {**os.environ, "MINDGAP_HOME": str(tmp_path)}
    body = json.dumps(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    ).encode()
    server = subprocess.Popen(
        [sys.executable, "-m", "mindgap", "serve", "--stdio"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()
        header = server.stdout.readline()
        assert header.startswith(b"Content-Length:")
        length = int(header.split(b":")[1])
        while server.stdout.readline().strip():
            pass
        reply = json.loads(server.stdout.read(length))
        assert reply["result"]["serverInfo"]["name"] == "mindgap"
    finally:
        server.kill()
        server.wait(timeout=10)


def test_serve_rejects_a_bad_tcp_address(tmp_path: Path) -> None:
    result = mindgap("serve", "--tcp", "nowhere", home=tmp_path)
    assert result.returncode == 2
    assert "HOST:PORT" in result.stderr


def _connect(port: int) -> socket.socket:
    deadline = time.monotonic() + 30
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=30)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _read_message(connection: socket.socket) -> dict:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(4096)
    header, _, rest = data.partition(b"\r\n\r\n")
    length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
    while len(rest) < length:
        rest += connection.recv(4096)
    return json.loads(rest[:length])


AVERAGE = (
    "def average(xs):\n    total = 0\n    count = 0\n    for x in xs:\n"
    "        if x is None:\n            continue\n        total += x\n        count += 1\n"
    "    if count == 0:\n        return 0\n    return total / count\n"
)


def test_quiz_json_has_the_spec_shape_and_keys_only_on_request(tmp_path: Path) -> None:
    path = tmp_path / "average.py"
    path.write_text(AVERAGE, encoding="utf-8")
    plain = json.loads(mindgap("quiz", f"{path}:1-11", "--format", "json", home=tmp_path).stdout)
    keyed = mindgap("quiz", f"{path}:1-11", "--format", "json", "--with-answers", home=tmp_path)
    questions = json.loads(keyed.stdout)["questions"]
    assert 3 <= len(questions) <= 5
    assert {"id", "type", "prompt", "choices", "explanation", "answer"} <= set(questions[0])
    assert all(q["answer"] is None and q["explanation"] == "" for q in plain["questions"])
    assert [q["prompt"] for q in plain["questions"]] == [q["prompt"] for q in questions]
    empty = next(q for q in questions if q["type"] == "empty-input")
    assert empty["answer"] == "returns 0"  # average([]) takes the `count == 0` branch


def test_quiz_in_the_terminal_grades_the_answers(tmp_path: Path) -> None:
    path = tmp_path / "average.py"
    path.write_text(AVERAGE, encoding="utf-8")
    keyed = mindgap("quiz", f"{path}:1-11", "--format", "json", "--with-answers", home=tmp_path)
    answers = "\n".join(q["answer"] for q in json.loads(keyed.stdout)["questions"]) + "\n"
    env = {**os.environ, "MINDGAP_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "mindgap", "quiz", f"{path}:1-11"]
    right = subprocess.run(
        command, input=answers, capture_output=True, text=True, env=env, timeout=120
    )
    assert right.returncode == 0, right.stdout + right.stderr
    assert "passed: the code counts as understood" in right.stdout
    # the passed attempt showed its answers: the next one asks other questions, and "x" is
    # not a choice (asked again, not graded) before the wrong answers "a" and "b"
    wrong = subprocess.run(
        command, input="x\n" + "a\nb\n" * 5, capture_output=True, text=True, env=env, timeout=120
    )
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert "Not quite" in wrong.stdout
    assert "(answer with one of" in wrong.stdout
