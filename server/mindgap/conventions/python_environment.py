"""Which Python packages a workspace can import, found without executing any of them.

The workspace's environments, every one that is there (`discover_environments`): the
interpreter the editor uses (the `python` setting), `$VIRTUAL_ENV`, `$CONDA_PREFIX`, a
virtual environment at the repository's root (`.venv/`, `venv/`, `env/`, uv's
`$UV_PROJECT_ENVIRONMENT`), pdm's `__pypackages__`, and the environments poetry, pdm, hatch
and conda keep outside the project for it (found by the names and path hashes those tools
give them). Without any, the Python running mindgap. A package is installed when any of them
has it. Environments are read from their site-packages listing and their packages' metadata
(top_level.txt, RECORD); the running Python is asked with `importlib.util.find_spec`, and only
about top-level names (for a dotted name it would import the parents, running their code).

Installed packages are looked up live (a few file-system checks), so a package installed
after the index was built is found at once; only the import -> distribution name table is
read once and kept.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mindgap.textfiles import read_small_text

VENV_FOLDERS = (".venv", "venv", "env")
_EXTENSION_SUFFIXES = (".so", ".pyd")


@dataclass(frozen=True)
class FoundEnvironment:
    """One Python environment of the workspace: how it was found, and where it lives."""

    how: str  # "the `python` setting", "$VIRTUAL_ENV", ".venv/", "poetry", ...
    prefix: Path
    site_packages: tuple[Path, ...]


def find_virtual_environment(root: Path) -> Path | None:
    for name in VENV_FOLDERS:
        candidate = root / name
        if (candidate / "pyvenv.cfg").is_file():
            return candidate
    return None


def site_packages_of(venv: Path) -> list[Path]:
    found = sorted((venv / "lib").glob("python*/site-packages"))
    found += sorted((venv / "lib").glob("python*/dist-packages"))
    windows = venv / "Lib" / "site-packages"
    if windows.is_dir():
        found.append(windows)
    return [path for path in found if path.is_dir()]


def path_hash(path: Path) -> str:
    """The 8-character hash poetry and pdm put in the names of a project's environments."""
    digest = hashlib.sha256(str(path).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:8]


def discover_environments(
    root: Path,
    interpreter: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> list[FoundEnvironment]:
    """Every Python environment that serves this workspace, most specific first."""
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    candidates: list[tuple[str, Path]] = []
    if interpreter:
        executable = Path(interpreter).expanduser()
        if not executable.is_absolute():
            executable = root / executable
        candidates.append(("the `python` setting", executable.parent.parent))
    if environ.get("VIRTUAL_ENV"):
        candidates.append(("$VIRTUAL_ENV", Path(environ["VIRTUAL_ENV"])))
    if environ.get("CONDA_PREFIX"):
        candidates.append(("$CONDA_PREFIX (conda)", Path(environ["CONDA_PREFIX"])))
    if environ.get("UV_PROJECT_ENVIRONMENT"):
        candidates.append(("uv", root / environ["UV_PROJECT_ENVIRONMENT"]))
    candidates.extend((f"{name}/", root / name) for name in VENV_FOLDERS)
    name = _project_name(root)
    data = Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    cache = Path(environ.get("XDG_CACHE_HOME") or home / ".cache")
    hashed = path_hash(root)
    if name:
        poetry = Path(
            environ.get("POETRY_VIRTUALENVS_PATH")
            or Path(environ.get("POETRY_CACHE_DIR") or cache / "pypoetry") / "virtualenvs"
        )
        sanitized = re.sub(r'[ $`!*@"\\\r\n\t]', "_", _canonical(name))[:42]
        candidates.extend(
            ("poetry", path) for path in sorted(poetry.glob(f"{sanitized}-{hashed}-py*"))
        )
        hatch = data / "hatch" / "env" / "virtual" / _canonical(name)
        candidates.extend(("hatch", path) for path in sorted(hatch.glob("*/*")))
    pdm = data / "pdm" / "venvs"
    candidates.extend(("pdm", path) for path in sorted(pdm.glob(f"{root.name}-{hashed}-*")))
    conda_name = _conda_environment_name(root)
    if conda_name:
        for base in ("miniconda3", "anaconda3", "miniforge3", "mambaforge", ".conda"):
            candidates.append(("conda", home / base / "envs" / conda_name))
    found: list[FoundEnvironment] = []
    seen: set[Path] = set()
    for how, prefix in candidates:
        try:
            resolved = prefix.resolve()
        except OSError:
            continue
        if resolved in seen:
            continue
        folders = site_packages_of(prefix)
        if folders:
            seen.add(resolved)
            found.append(FoundEnvironment(how, prefix, tuple(folders)))
    for folder in sorted((root / "__pypackages__").glob("*/lib")):  # pdm's PEP 582 layout
        found.append(FoundEnvironment("__pypackages__ (pdm)", folder.parent, (folder,)))
    return found


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _project_name(root: Path) -> str | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(read_small_text(root / "pyproject.toml"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    for table in (data.get("project", {}), data.get("tool", {}).get("poetry", {})):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            return str(table["name"])
    return None


def _conda_environment_name(root: Path) -> str | None:
    for file in ("environment.yml", "environment.yaml"):
        try:
            text = read_small_text(root / file)
        except (OSError, UnicodeDecodeError):
            continue
        match = re.search(r"^name:\s*['\"]?([\w.-]+)", text, re.MULTILINE)
        if match:
            return match.group(1)
    return None


class PythonEnvironment:
    """Installed top-level modules and the distributions that provide them."""

    def __init__(
        self, venv: Path | None = None, environments: Iterable[FoundEnvironment] | None = None
    ) -> None:
        if environments is None:
            environments = (
                [FoundEnvironment(f"{venv.name}/", venv, tuple(site_packages_of(venv)))]
                if venv is not None
                else []
            )
        self.environments = list(environments)
        self.venv = self.environments[0].prefix if self.environments else None
        self.site_packages = [path for env in self.environments for path in env.site_packages]

    @classmethod
    def for_repository(cls, root: Path, interpreter: str | None = None) -> PythonEnvironment:
        return cls(environments=discover_environments(root, interpreter))

    @property
    def description(self) -> str:
        if not self.environments:
            return f"the Python running mindgap ({sys.executable})"
        described = []
        for env in self.environments:
            if env.how.endswith("/"):
                described.append(f"the virtual environment {env.how}")
            else:
                described.append(f"the environment of {env.how} ({env.prefix})")
        return " and ".join(described)

    def is_installed(self, top_level: str) -> bool:
        if not top_level.isidentifier():
            return False
        if not self.environments:
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
        if not self.environments:
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
