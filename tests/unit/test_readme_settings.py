"""README's settings table against the server's `Settings` (mindgap/config.py), their one
definition: the table names every setting, nothing else, and gives each the default it has."""

from __future__ import annotations

import re
from pathlib import Path

from mindgap.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"
HEADER = "| setting | default | meaning |"
# Rows that are no `Settings` field: [tool.mindgap.conventions] is read by
# conventions/configured.py, as a table of its own.
NOT_FIELDS = {"conventions"}
# Defaults the table explains instead of stating: None is "ask git" or "not set".
EXPLAINED = {"developer": "`git config user.email`", "python": ""}


def table_rows() -> list[tuple[list[str], list[str]]]:
    """(the settings a row names, the defaults it gives, one per setting or none)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER) + 2  # past the header and its |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        names_cell, default_cell = [cell.strip() for cell in line.strip("|").split("|")[:2]]
        names = re.findall(r"`([a-z_]+)`", names_cell)
        defaults = [d.strip() for d in default_cell.split(", ")] if default_cell else []
        rows.append((names, defaults))
    return rows


def as_written(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return f"`{value}`"
    return str(value)


def test_the_readme_table_names_every_setting_once() -> None:
    named = [name for names, _ in table_rows() for name in names]
    assert len(named) == len(set(named))
    assert set(named) - NOT_FIELDS == set(Settings.model_fields)


def test_the_readme_table_gives_each_setting_its_default() -> None:
    for names, defaults in table_rows():
        if set(names) <= NOT_FIELDS:
            continue
        if len(names) == 1 and names[0] in EXPLAINED:
            assert defaults == ([EXPLAINED[names[0]]] if EXPLAINED[names[0]] else [])
            continue
        assert len(defaults) == len(names), names
        for name, written in zip(names, defaults, strict=True):
            default = Settings.model_fields[name].get_default(call_default_factory=True)
            assert written == as_written(default), name
