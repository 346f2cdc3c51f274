"""Python path handling: pathlib objects or os.path string functions.

An os.path site is a call of an os.path function that pathlib can replace (os.path.join,
exists, splitext, ...; however it was imported: `os.path.join`, `from os.path import join`,
`import os.path as osp`), or of the os functions whose pathlib forms are as short
(os.getcwd, os.listdir, os.makedirs). Functions pathlib has no equivalent for
(os.path.expandvars, commonpath, normpath, relpath) are no choice and are not counted.

A pathlib site is the construction of a path (`Path(...)`, `pathlib.PurePath(...)`, where
the name comes from pathlib) or a call of a method only paths have (`.read_text()`,
`.with_suffix()`, `.iterdir()`, ...); methods that other objects share (`.exists()`,
`.open()`, `.resolve()`) say nothing about the receiver, so they are not counted.
"""

from __future__ import annotations

from collections.abc import Iterator

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    CALLS,
    PYTHON,
    Imports,
    captures,
    imports_of,
    observe,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "path-handling"
ASPECT = "paths"

_OS_PATH_FUNCTIONS = frozenset(
    {
        "join",
        "exists",
        "isfile",
        "isdir",
        "islink",
        "isabs",
        "dirname",
        "basename",
        "splitext",
        "split",
        "abspath",
        "realpath",
        "expanduser",
        "getsize",
        "getmtime",
        "samefile",
    }
)
_OS_FUNCTIONS = frozenset({"getcwd", "listdir", "makedirs"})
_PATH_CLASSES = frozenset(
    {"Path", "PurePath", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"}
)
_PATH_ONLY_METHODS = frozenset(
    {
        "read_text",
        "write_text",
        "read_bytes",
        "write_bytes",
        "with_suffix",
        "with_name",
        "with_stem",
        "relative_to",
        "is_relative_to",
        "iterdir",
        "rglob",
        "joinpath",
        "as_posix",
    }
)


def _choice(qualified: str, function_text: str, method: str) -> str | None:
    module, _, name = qualified.rpartition(".")
    if module == "os.path" and name in _OS_PATH_FUNCTIONS:
        return "os.path"
    if module == "os" and name in _OS_FUNCTIONS:
        return "os.path"
    if qualified.startswith("pathlib.") and qualified.split(".")[1] in _PATH_CLASSES:
        return "pathlib"  # Path(...), and Path.cwd() / Path.home()
    if not qualified and method in _PATH_ONLY_METHODS and not function_text.startswith("os."):
        return "pathlib"
    return None


def _may_handle_paths(source: SourceFile, imports: Imports) -> bool:
    """Whether any call of the file can be a choice: without os or pathlib imported, only a
    call of a pathlib-only method's name (which the text then contains) can be one."""
    bound = (*imports.modules.values(), *imports.names.values())
    if any(qualified.split(".", 1)[0] in ("os", "pathlib") for qualified in bound):
        return True
    return any(method in source.text for method in _PATH_ONLY_METHODS)


def _observe(source: SourceFile) -> Iterator[Observation]:
    imports = imports_of(source)
    if not _may_handle_paths(source, imports):
        return
    for function in captures(source, CALLS).get("function", []):
        if function.type == "attribute":
            method = text(function.child_by_field_name("attribute"))
        else:
            method = ""
        # most calls name nothing imported and no pathlib-only method: spared their text
        qualified = imports.qualified(function) if imports.binds_head(function) else ""
        if not qualified and method not in _PATH_ONLY_METHODS:
            continue
        choice = _choice(qualified, text(function), method)
        if choice is not None:
            yield observe(source, DIMENSION, ASPECT, choice, function)


_WORDS = words_of(__name__)  # python_path_handling.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
