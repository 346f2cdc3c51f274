"""Installing mindgap's hook into coding agents' own configuration, and taking it out again.

Each agent keeps its hooks in its own file (project or user scope):

- claude-code: `.claude/settings.json`, `hooks.PostToolUse` (matcher
  Write|Edit|MultiEdit|NotebookEdit) and `hooks.Stop`;
- cursor: `.cursor/hooks.json`, `hooks.afterFileEdit` and `hooks.stop` (`version: 1`);
- gemini: `.gemini/settings.json`, `hooks.AfterTool` (matcher write_file|replace) and
  `hooks.AfterAgent`;
- codex: `~/.codex/config.toml`, `notify = [...]` (the one program run after each turn).

Installing merges mindgap's entries with what is there and never removes another hook; a
second install changes nothing. The file as it was is remembered (in mindgap's data folder),
so that uninstalling restores it byte for byte when nobody changed it since; otherwise only
mindgap's entries are taken out.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mindgap.ledger.database import data_directory
from mindgap.provenance.agent_payloads import AGENTS

CLAUDE_MATCHER = "Write|Edit|MultiEdit|NotebookEdit"
GEMINI_MATCHER = "write_file|replace"
MARKER = "agent record"  # in every command mindgap installs
INSTALLS_NAME = "agent-installs.json"


class HookConfigError(Exception):
    """The agent's configuration cannot be changed safely; the message says why."""


@dataclass(frozen=True)
class Installation:
    agent: str
    path: Path
    installed: bool
    events: tuple[str, ...] = ()


def mindgap_command() -> list[str]:
    """How the agent should start this very mindgap: the console script beside the
    interpreter running now, else `python -m mindgap`."""
    script = Path(sys.executable).parent / "mindgap"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "mindgap"]


def hook_argv(agent: str) -> list[str]:
    return [*mindgap_command(), "agent", "record", "--agent", agent]


def hook_command(agent: str) -> str:
    return shlex.join(hook_argv(agent))


def config_path(agent: str, scope: str, project: Path) -> Path:
    base = project if scope == "project" else Path.home()
    return {
        "claude-code": base / ".claude" / "settings.json",
        "cursor": base / ".cursor" / "hooks.json",
        "gemini": base / ".gemini" / "settings.json",
        "codex": base / ".codex" / "config.toml",
    }[agent]


def _is_ours(command: Any) -> bool:
    return isinstance(command, str) and "mindgap" in command and MARKER in command


# -- JSON configurations ---------------------------------------------------------------------


def _json_events(agent: str) -> list[tuple[str, str | None]]:
    """(event, matcher) pairs mindgap hooks into."""
    if agent == "claude-code":
        return [("PostToolUse", CLAUDE_MATCHER), ("Stop", None)]
    if agent == "gemini":
        return [("AfterTool", GEMINI_MATCHER), ("AfterAgent", None)]
    return [("afterFileEdit", None), ("stop", None)]  # cursor


def _entry_is_ours(agent: str, entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    if agent == "cursor":
        return _is_ours(entry.get("command"))
    hooks = entry.get("hooks")
    return isinstance(hooks, list) and any(
        isinstance(h, dict) and _is_ours(h.get("command")) for h in hooks
    )


def _new_entry(agent: str, matcher: str | None) -> dict[str, Any]:
    command = hook_command(agent)
    if agent == "cursor":
        return {"command": command}
    hook: dict[str, Any] = {"type": "command", "command": command}
    if agent == "gemini":
        hook = {"name": "mindgap", **hook}
    entry: dict[str, Any] = {"matcher": matcher} if matcher else {}
    entry["hooks"] = [hook]
    return entry


def _load_json(path: Path, text: str | None) -> dict[str, Any]:
    if text is None or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise HookConfigError(
            f"{path} is not valid JSON ({error.msg}, line {error.lineno}); fix it first"
        ) from error
    if not isinstance(data, dict):
        raise HookConfigError(f"{path} does not hold a JSON object; fix it first")
    return data


def _hooks_table(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    hooks = data.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise HookConfigError(f"{path}: `hooks` is not an object; fix it first")
    return hooks


def _merge_json(agent: str, path: Path, text: str | None) -> str | None:
    """The configuration with mindgap's entries added, or None when they are all there."""
    data = _load_json(path, text)
    if agent == "cursor":
        data.setdefault("version", 1)
    hooks = _hooks_table(path, data)
    changed = False
    for event, matcher in _json_events(agent):
        entries = hooks.setdefault(event, [])
        if not isinstance(entries, list):
            raise HookConfigError(f"{path}: `hooks.{event}` is not a list; fix it first")
        if not any(_entry_is_ours(agent, entry) for entry in entries):
            entries.append(_new_entry(agent, matcher))
            changed = True
    return json.dumps(data, indent=2) + "\n" if changed else None


def _strip_json(agent: str, path: Path, text: str) -> str:
    data = _load_json(path, text)
    hooks = data.get("hooks")
    if isinstance(hooks, dict):
        for event, _ in _json_events(agent):
            entries = hooks.get(event)
            if isinstance(entries, list):
                kept = [e for e in entries if not _entry_is_ours(agent, e)]
                if kept:
                    hooks[event] = kept
                else:
                    hooks.pop(event, None)
        if not hooks:
            data.pop("hooks", None)
    return json.dumps(data, indent=2) + "\n"


# -- Codex's TOML ----------------------------------------------------------------------------


def _notify_line(agent: str) -> str:
    return f"notify = {json.dumps(hook_argv(agent))}  # mindgap agent record\n"


def _codex_notify(text: str | None) -> str | None:
    """The `notify` line already there (Codex runs only one program), or None."""
    for line in (text or "").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            return None  # top-level keys come before the first table
        if stripped.startswith("notify") and stripped[6:].lstrip().startswith("="):
            return stripped
    return None


def _merge_codex(path: Path, text: str | None) -> str | None:
    existing = _codex_notify(text)
    if existing is not None:
        if _is_ours(existing):
            return None
        raise HookConfigError(
            f"{path} already runs another program after each Codex turn ({existing}); Codex "
            "runs only one: add `mindgap agent record --agent codex` to it yourself"
        )
    return _notify_line("codex") + (text or "")


def _strip_codex(text: str) -> str:
    return "".join(
        line
        for line in text.splitlines(keepends=True)
        if not (line.strip().startswith("notify") and _is_ours(line))
    )


# -- remembered originals ----------------------------------------------------------------------


def _installs_file() -> Path:
    return data_directory() / INSTALLS_NAME


def _remembered() -> dict[str, Any]:
    try:
        data = json.loads(_installs_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember(records: dict[str, Any]) -> None:
    target = _installs_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(records, indent=2, sort_keys=True), encoding="utf-8")
    temporary.replace(target)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise HookConfigError(f"cannot read {path}: {error.strerror or error}") from error


def _decode(path: Path, data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HookConfigError(f"{path} is not UTF-8 text; fix it first") from error


# -- the operations --------------------------------------------------------------------------


def install(agent: str, path: Path) -> bool:
    """Add mindgap's hook to `path`; False when it was already there."""
    original = _read(path)
    text = _decode(path, original)
    merged = _merge_codex(path, text) if agent == "codex" else _merge_json(agent, path, text)
    if merged is None:
        return False
    created = [p for p in reversed(path.parents) if not p.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    data = merged.encode("utf-8")
    path.write_bytes(data)
    records = _remembered()
    key = str(path)
    if key not in records:  # a reinstall after a manual removal keeps the first original
        records[key] = {
            "agent": agent,
            "original": original.decode("latin-1") if original is not None else None,
            "created_folders": [str(p) for p in created],
        }
    records[key]["installed_digest"] = _digest(data)
    _remember(records)
    return True


def uninstall(agent: str, path: Path) -> str:
    """Take mindgap's hook out of `path`; says what was done."""
    current = _read(path)
    records = _remembered()
    record = records.get(str(path))
    if current is None:
        records.pop(str(path), None)
        _remember(records)
        return f"{path}: not there; nothing to do"
    text = _decode(path, current) or ""
    has_ours = (
        _codex_notify(text) is not None and _is_ours(_codex_notify(text))
        if agent == "codex"
        else _is_ours_anywhere(agent, path, text)
    )
    if not has_ours:
        return f"{path}: mindgap's hook is not installed there"
    if record is not None and record.get("installed_digest") == _digest(current):
        original = record.get("original")
        if original is None:
            path.unlink()
            for folder in reversed([Path(p) for p in record.get("created_folders", [])]):
                try:
                    folder.rmdir()  # only if empty: other tools may have put files there
                except OSError:
                    break
            outcome = f"{path}: removed (mindgap had created it)"
        else:
            path.write_bytes(original.encode("latin-1"))
            outcome = f"{path}: restored as it was before `mindgap agent install`"
    else:
        stripped = _strip_codex(text) if agent == "codex" else _strip_json(agent, path, text)
        path.write_text(stripped, encoding="utf-8")
        outcome = f"{path}: mindgap's entries removed (the file changed since the install)"
    records.pop(str(path), None)
    _remember(records)
    return outcome


def _is_ours_anywhere(agent: str, path: Path, text: str) -> bool:
    hooks = _load_json(path, text).get("hooks")
    if not isinstance(hooks, dict):
        return False
    return any(
        isinstance(hooks.get(event), list) and any(_entry_is_ours(agent, e) for e in hooks[event])
        for event, _ in _json_events(agent)
    )


def status(project: Path) -> list[Installation]:
    """Where mindgap's hook is installed, for every agent and scope."""
    found = []
    for agent in AGENTS:
        for scope in ("project", "user"):
            path = config_path(agent, scope, project)
            try:
                text = _decode(path, _read(path))
            except HookConfigError:
                continue
            if text is None:
                found.append(Installation(agent, path, False))
                continue
            if agent == "codex":
                line = _codex_notify(text)
                ours = line is not None and _is_ours(line)
                found.append(Installation(agent, path, ours, ("notify",) if ours else ()))
                continue
            try:
                hooks = _load_json(path, text).get("hooks")
            except HookConfigError:
                found.append(Installation(agent, path, False))
                continue
            events = tuple(
                event
                for event, _ in _json_events(agent)
                if isinstance(hooks, dict)
                and isinstance(hooks.get(event), list)
                and any(_entry_is_ours(agent, e) for e in hooks[event])
            )
            found.append(Installation(agent, path, bool(events), events))
    return found
