"""Lockfiles: the packages a project's tools resolved, which are real whatever is installed.

Python: uv.lock, poetry.lock, pdm.lock (TOML `[[package]] name`), Pipfile.lock (JSON).
JavaScript: package-lock.json, pnpm-lock.yaml, yarn.lock. Read at the repository's root, as
text (no YAML parser needed: the names are at fixed places), cached by modification time.
A name a lockfile holds is not an invented one: the verdict is at most "undeclared".
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

from mindgap.textfiles import read_small_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYTHON_LOCKFILES = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock")
JAVASCRIPT_LOCKFILES = ("package-lock.json", "pnpm-lock.yaml", "yarn.lock")
MAX_LOCKFILE_BYTES = 20_000_000

_PNPM_PACKAGE = re.compile(r"^ {2}['\"]?/?((?:@[^@/\s'\"]+/)?[^@/\s'\"(]+)@", re.MULTILINE)
_YARN_ENTRY = re.compile(r"^\"?((?:@[^@/\s\"]+/)?[^@/\s\",]+)@", re.MULTILINE)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_packages(root: Path, ecosystem: str) -> dict[str, str]:
    """Package name (canonical for Python) -> the lockfile that holds it."""
    names = PYTHON_LOCKFILES if ecosystem == "python" else JAVASCRIPT_LOCKFILES
    if ecosystem not in ("python", "javascript"):
        return {}
    found: dict[str, str] = {}
    for name in names:
        path = root / name
        try:
            status = path.stat()
        except OSError:
            continue
        if status.st_size > MAX_LOCKFILE_BYTES or not path.is_file():
            continue
        for package in _read(str(path), status.st_mtime_ns):
            found.setdefault(package, name)
    return found


@functools.lru_cache(maxsize=32)
def _read(path: str, _mtime: int) -> frozenset[str]:
    try:
        text = read_small_text(path)
    except (OSError, UnicodeDecodeError):
        return frozenset()
    name = Path(path).name
    try:
        if name in ("uv.lock", "poetry.lock", "pdm.lock"):
            data = tomllib.loads(text)
            return frozenset(
                canonical(entry["name"])
                for entry in data.get("package", [])
                if isinstance(entry, dict) and isinstance(entry.get("name"), str)
            )
        if name == "Pipfile.lock":
            data = json.loads(text)
            return frozenset(
                canonical(package)
                for section in ("default", "develop")
                for package in (data.get(section) or {})
            )
        if name == "package-lock.json":
            data = json.loads(text)
            packages = {
                key.rsplit("node_modules/", 1)[-1]
                for key in (data.get("packages") or {})
                if "node_modules/" in key
            }
            packages.update(data.get("dependencies") or {})
            return frozenset(packages)
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError):
        return frozenset()  # a broken lockfile vouches for nothing
    if name == "pnpm-lock.yaml":
        return frozenset(_PNPM_PACKAGE.findall(text))
    if name == "yarn.lock":
        return frozenset(_YARN_ENTRY.findall(text))
    return frozenset()
