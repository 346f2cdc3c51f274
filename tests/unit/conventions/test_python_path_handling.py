"""Python path handling: os.path calls against pathlib, however the names were imported."""

from __future__ import annotations

from tests.unit.conventions.python_observe import sites


def test_os_path_calls_count_under_every_import_form() -> None:
    code = """
    import os
    import os.path as osp
    from os.path import join as path_join, splitext

    def locate(root, name):
        config = os.path.join(root, name)
        if osp.exists(config):
            stem, _ = splitext(name)
        here = os.getcwd()
        return path_join(here, config)
    """
    assert sites("path-handling", code) == [
        ("paths", "os.path", "os.path.join"),
        ("paths", "os.path", "osp.exists"),
        ("paths", "os.path", "splitext"),
        ("paths", "os.path", "os.getcwd"),
        ("paths", "os.path", "path_join"),
    ]


def test_pathlib_constructions_and_path_only_methods_count() -> None:
    code = """
    import pathlib
    from pathlib import Path

    def locate(root, name):
        config = Path(root) / name
        home = Path.home()
        pure = pathlib.PurePosixPath(name)
        return config.with_suffix(".toml").read_text()
    """
    assert sites("path-handling", code) == [
        ("paths", "pathlib", "Path"),
        ("paths", "pathlib", "Path.home"),
        ("paths", "pathlib", "pathlib.PurePosixPath"),
        ("paths", "pathlib", "config.with_suffix"),
        ("paths", "pathlib", 'config.with_suffix(".toml").read_text'),
    ]


def test_calls_that_say_nothing_about_paths_do_not_vote() -> None:
    code = """
    import os
    from importlib import resources

    class Path:  # a class of one's own, not pathlib's
        pass

    def misc(record, text):
        Path()
        record.exists()
        os.path.expandvars(text)
        os.path.normpath(text)
        resources.read_text("pkg", "data.txt")
        os.environ.get("HOME")
    """
    assert sites("path-handling", code) == []
