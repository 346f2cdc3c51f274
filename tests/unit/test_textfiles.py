"""read_text_file: usable source text, or a reason in words a user understands."""

from __future__ import annotations

import os

import pytest

from mindgap import textfiles
from mindgap.textfiles import read_text_file


def test_reads_utf8_source(tmp_path):
    path = tmp_path / "app.py"
    path.write_text("name = 'é漢😀'\n", encoding="utf-8")
    content = read_text_file(path)
    assert content.text == "name = 'é漢😀'\n"
    assert content.problem is None


def test_byte_order_mark_is_stripped(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfx = 1\n")
    assert read_text_file(path).text == "x = 1\n"


def test_line_endings_are_kept(tmp_path):
    path = tmp_path / "crlf.py"
    path.write_bytes(b"a = 1\r\nb = 2\r\n")
    assert read_text_file(str(path)).text == "a = 1\r\nb = 2\r\n"


def test_empty_file_is_empty_text(tmp_path):
    path = tmp_path / "empty.py"
    path.write_bytes(b"")
    content = read_text_file(path)
    assert content.text == "" and content.problem is None


def test_invalid_utf8_names_the_byte(tmp_path):
    path = tmp_path / "latin1.py"
    path.write_bytes("x = 'café'\n".encode("latin-1"))
    content = read_text_file(path)
    assert content.text is None
    assert str(path) in content.problem
    assert "not valid UTF-8 (byte 8)" in content.problem
    assert "save it as UTF-8" in content.problem


def test_binary_file(tmp_path):
    path = tmp_path / "image.py"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    content = read_text_file(path)
    assert content.text is None
    assert content.problem == f"{path}: a binary file, not source code"


def test_utf16_file_is_reported_as_binary_not_garbled(tmp_path):
    path = tmp_path / "utf16.py"
    path.write_bytes("x = 1\n".encode("utf-16"))
    content = read_text_file(path)
    assert content.text is None and "binary" in content.problem


def test_huge_file(tmp_path, monkeypatch):
    monkeypatch.setattr(textfiles, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "bundle.min.js"
    path.write_text("var a=1;" * 200)
    content = read_text_file(path)
    assert content.text is None
    assert content.problem == f"{path}: too large (1,600 bytes; the limit is 1,000)"
    small = tmp_path / "small.js"
    small.write_text("var a=1;" * 100)
    assert read_text_file(small).text == "var a=1;" * 100


def test_missing_file(tmp_path):
    path = tmp_path / "gone.py"
    content = read_text_file(path)
    assert content.text is None
    assert content.problem == f"{path}: no such file"


def test_directory(tmp_path):
    content = read_text_file(tmp_path)
    assert content.text is None
    assert content.problem == f"{tmp_path}: a folder, not a regular file: not read"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.py"
    path.write_text("x = 1\n")
    path.chmod(0)
    try:
        content = read_text_file(path)
    finally:
        path.chmod(0o644)
    assert content.text is None
    assert "cannot read" in content.problem
