"""Settings: defaults < [tool.mindgap] in pyproject.toml or .mindgap.toml < the editor.

The command foreign code runs under is the user's alone (USER_ONLY): a repository's files
cannot set it."""

from __future__ import annotations

import logging
import os
import shlex
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel, to_snake

from mindgap.errors import UsageError
from mindgap.textfiles import read_regular_file
from mindgap.vcs import config_value

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

log = logging.getLogger(__name__)


class Settings(BaseModel):
    """Everything a user can set. Editors may send camelCase or snake_case keys."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    enabled: bool = True
    burst_min_lines: int = Field(
        2, ge=1, description="a change inserting this many lines is foreign"
    )
    burst_min_chars: int = Field(60, ge=1, description="...or this many non-blank characters")
    typing_pause_ms: int = Field(
        200,
        ge=0,
        le=60_000,
        description="while typing, deeper findings wait for a pause this long (inserted "
        "blocks are analysed at once)",
    )
    developer: str | None = Field(None, description="identity; default: git config user.email")
    foreign_severity: Literal["error", "warning", "information", "hint"] = "information"
    watch_files: bool = Field(True, description="record edits made on disk by other programs")
    quiz_on_accept: Literal["always", "unfamiliar", "never"] = Field(
        "unfamiliar",
        description="offer a quiz on accept: always, only with unfamiliar constructs, never",
    )
    quiz_cooldown_minutes: float = Field(
        10, ge=0, description="at most one offer per this many minutes"
    )
    quiz_daily_cap: int = Field(5, ge=0, description="at most this many offers a day")
    quiz_retry_cooldown_minutes: float = Field(
        10, ge=0, description="after two failed attempts, the wait before a third quiz"
    )
    developer_emails: list[str] = Field(
        default_factory=list,
        description="other author emails that are also you, for the profile from git history",
    )
    familiarity_initial_stability_days: float = Field(
        90.0, gt=0, description="memory stability (days) one day of writing a construct builds"
    )
    familiarity_stability_growth: float = Field(
        20.0, ge=0, description="how much each later day of practice multiplies stability"
    )
    familiarity_max_stability_days: float = Field(
        36_500.0, gt=0, description="the highest stability, however much practice"
    )
    familiarity_related_min: int = Field(
        2,
        ge=0,
        description="familiar related constructs (same library or family) that make"
        " one written long ago familiar, and one never written a lookup (0: off)",
    )
    familiarity_massed_gain: float = Field(
        0.5, ge=0, description="a day with m uses builds 1 + this * ln(m) times the stability"
    )
    familiar_threshold: float = Field(
        0.5, gt=0, le=1, description="a recall probability from here up is familiar"
    )
    fading_threshold: float = Field(
        0.0, ge=0, le=1, description="below familiar, from here up is fading; under it unfamiliar"
    )
    convention_min_support: int = Field(
        20, ge=1, description="observations a repository needs before a choice is a convention"
    )
    convention_min_dominance: float = Field(
        0.9, gt=0.5, le=1, description="share of those a choice needs to be the convention"
    )
    convention_severity: Literal["error", "warning", "information", "hint"] = "information"
    python: str | None = Field(
        None, description="the interpreter the editor uses; its environment is the project's"
    )
    package_index_check: bool = Field(
        False, description="ask the package index about names nothing local knows"
    )
    package_index_url: str = Field(
        "https://pypi.org/simple/", description="a PEP 503 simple index, for package_index_check"
    )
    sandbox_command: list[str] = Field(
        default_factory=list,
        description="another operating-system sandbox to run foreign code in, instead of "
        "bubblewrap (its words come before the interpreter's; it must keep inherited file "
        "descriptors)",
    )
    commit_gate: Literal["off", "pending"] = "off"  # pending: refuse staged pending foreign code
    # at the end of an agent's turn: say how many agent-written lines are pending (warn), or
    # keep the turn going until they are cleared (block); read by `mindgap agent record`
    agent_gate: Literal["off", "warn", "block"] = "off"


# What a cloned repository must not choose: the command foreign code runs under (a repository
# naming `sh -c` would run its own code outside any sandbox). The editor sets it, or
# MINDGAP_SANDBOX_COMMAND for the command line.
USER_ONLY = frozenset({"sandbox_command"})
SANDBOX_COMMAND_VARIABLE = "MINDGAP_SANDBOX_COMMAND"


class SettingsError(UsageError, ValueError):
    """Settings that cannot be read. A UsageError: a command says it in one line and exits
    2; the server says it and carries on with the defaults."""


def load_repository_settings(root: Path | None) -> dict[str, Any]:
    """[tool.mindgap] from pyproject.toml, then .mindgap.toml (which wins) at the repo root."""
    if root is None:
        return {}
    found: dict[str, Any] = {}
    for name, table in (("pyproject.toml", ("tool", "mindgap")), (".mindgap.toml", ())):
        path = root / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(read_regular_file(path).decode("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as error:
            raise SettingsError(f"{path}: cannot read settings: {error}") from error
        for key in table:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if isinstance(data, dict):
            found.update(data)
    settings = {_field_name(key): value for key, value in found.items()}
    for key in sorted(USER_ONLY & settings.keys()):
        del settings[key]
        log.warning("%s: ignored the repository's %s (only the user can set it)", root, key)
    return settings


def _field_name(key: str) -> str:
    """burst-min-lines, burstMinLines and burst_min_lines are one setting.

    Merging must happen under one spelling: pydantic prefers the camelCase alias over the
    field name when both are present, so a repository's `burstMinLines` would otherwise
    beat the editor's `burst_min_lines`.
    """
    return to_snake(key.replace("-", "_"))


def resolve_settings(root: Path | None, editor: dict[str, Any] | None = None) -> Settings:
    """The effective settings; a bad value is reported, never silently replaced."""
    merged: dict[str, Any] = dict(load_repository_settings(root))
    if os.environ.get(SANDBOX_COMMAND_VARIABLE, "").strip():
        try:
            merged["sandbox_command"] = shlex.split(os.environ[SANDBOX_COMMAND_VARIABLE])
        except ValueError as error:
            raise SettingsError(f"{SANDBOX_COMMAND_VARIABLE}: {error}") from error
    for key, value in (editor or {}).items():
        if value is not None:
            merged[_field_name(key)] = value
    try:
        return Settings.model_validate(merged)
    except ValidationError as error:
        raise SettingsError(f"invalid mindgap settings: {error}") from error


def developer_identity(settings: Settings, root: Path | None) -> str:
    """Who the regions belong to: the setting, else the repo's git email, else 'unknown'."""
    return settings.developer or config_value(root, "user.email") or "unknown"
