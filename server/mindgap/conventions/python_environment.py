"""Which Python packages a workspace can import, found without executing any of them.

The workspace's environment is a virtual environment at the repository's root (`.venv/` or
`venv/`, recognised by its `pyvenv.cfg`) when there is one, else the Python running mindgap.
A virtual environment is read from its site-packages listing and its packages' metadata
(top_level.txt, RECORD); the running Python is asked with `importlib.util.find_spec`, and only
about top-level names (for a dotted name it would import the parents, running their code).

Installed packages are looked up live (a few file-system checks), so a package installed
after the index was built is found at once; only the import -> distribution name table is
read once and kept.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import os
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

VENV_FOLDERS = (".venv", "venv")
_EXTENSION_SUFFIXES = (".so", ".pyd")


def find_virtual_environment(root: Path) -> Path | None:
    for name in VENV_FOLDERS:
        candidate = root / name
        if (candidate / "pyvenv.cfg").is_file():
            return candidate
    return None


def site_packages_of(venv: Path) -> list[Path]:
    found = sorted((venv / "lib").glob("python*/site-packages"))
    windows = venv / "Lib" / "site-packages"
    if windows.is_dir():
        found.append(windows)
    return [path for path in found if path.is_dir()]


class PythonEnvironment:
    """Installed top-level modules and the distributions that provide them."""

    def __init__(self, venv: Path | None = None) -> None:
        self.venv = venv
        self.site_packages = site_packages_of(venv) if venv is not None else []

    @classmethod
    def for_repository(cls, root: Path) -> PythonEnvironment:
        return cls(find_virtual_environment(root))

    @property
    def description(self) -> str:
        if self.venv is not None:
            return f"the virtual environment {self.venv.name}/"
        return f"the Python running mindgap ({sys.executable})"

    def is_installed(self, top_level: str) -> bool:
        if not top_level.isidentifier():
            return False
        if self.venv is None:
            return top_level in self.distributions() or _running_python_finds(top_level)
        if top_level in self.distributions():
            return True
        return any(_folder_provides(folder, top_level) for folder in self._search_folders())

    def warm(self) -> None:
        """Read the import -> distribution table now (a quarter of a second with a few
        hundred distributions), so that the first check of an import does not wait for it:
        the server calls this on its learning thread, not on the event loop."""
        self.distributions()

    def distributions_of(self, top_level: str) -> list[str]:
        return self.distributions().get(top_level, [])

    def distributions(self) -> dict[str, list[str]]:
        """Top-level import name -> names of the distributions providing it."""
        if self.venv is None:
            return _running_python_distributions()
        return _distributions_in(tuple(str(path) for path in self.site_packages))

    def _search_folders(self) -> list[Path]:
        folders = list(self.site_packages)
        for site in self.site_packages:
            folders.extend(_pth_folders(site))
        return folders


def _running_python_finds(top_level: str) -> bool:
    try:
        return importlib.util.find_spec(top_level) is not None
    except (ImportError, ValueError):  # a broken finder or a module with no spec
        return False


def _folder_provides(folder: Path, top_level: str) -> bool:
    if (folder / top_level).is_dir() or (folder / f"{top_level}.py").is_file():
        return True
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    prefix = f"{top_level}."
    return any(name.startswith(prefix) and name.endswith(_EXTENSION_SUFFIXES) for name in names)


def _pth_folders(site: Path) -> list[Path]:
    """Folders added by .pth files (editable installs): only plain path lines are read; lines
    starting with `import` are code and are never run."""
    folders = []
    for pth in site.glob("*.pth"):
        try:
            lines = pth.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            line = line.strip()
            if not line or line.startswith(("#", "import ", "import\t")):
                continue
            folder = (site / line).resolve() if not os.path.isabs(line) else Path(line)
            if folder.is_dir():
                folders.append(folder)
    return folders


@functools.cache
def _running_python_distributions() -> dict[str, list[str]]:
    return _distribution_table(importlib.metadata.distributions())


@functools.cache
def _distributions_in(paths: tuple[str, ...]) -> dict[str, list[str]]:
    return _distribution_table(importlib.metadata.distributions(path=list(paths)))


def _distribution_table(
    distributions: Iterable[importlib.metadata.Distribution],
) -> dict[str, list[str]]:
    """Like importlib.metadata.packages_distributions, reading top_level.txt or RECORD as
    text: parsing RECORD into path objects is what makes the stdlib one take a second."""
    table: dict[str, list[str]] = defaultdict(list)
    for distribution in distributions:
        try:
            name = distribution.metadata["Name"]
        except (KeyError, OSError):
            continue
        if not name:
            continue
        for top_level in _top_levels(distribution):
            if name not in table[top_level]:
                table[top_level].append(name)
    return dict(table)


def _top_levels(distribution: importlib.metadata.Distribution) -> set[str]:
    declared = distribution.read_text("top_level.txt")
    if declared:
        return {line.strip() for line in declared.splitlines() if line.strip()}
    record = distribution.read_text("RECORD") or ""
    names = set()
    for line in record.splitlines():
        path = line.split(",", 1)[0]
        first, _, rest = path.partition("/")
        if not first or first.startswith("..") or first.endswith((".dist-info", ".data")):
            continue
        if rest:
            if first != "__pycache__" and first.isidentifier():
                names.add(first)
        elif first.endswith(".py"):
            names.add(first[:-3])
        elif first.endswith(_EXTENSION_SUFFIXES):
            names.add(first.split(".", 1)[0])
    return {name for name in names if name.isidentifier()}
