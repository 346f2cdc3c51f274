"""Friction for agents (setting `agent_gate`): at the end of an agent's turn, the lines it
wrote that the developer has not yet shown they understand, and what the agent is told.

`warn` shows the count and the quiz commands in the agent's own UI; `block` keeps the turn
going (Claude Code's Stop and Gemini CLI's AfterAgent `decision`, Cursor's
`followup_message`) until the developer has cleared or waived them, with `mindgap agent
wait` for the agent to run meanwhile. Codex's `notify` has no answer channel: nothing.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from mindgap.provenance.persistence import RegionStore

GATES = ("off", "warn", "block")


@dataclass(frozen=True)
class PendingCode:
    path: str  # relative to the repository root
    first: int  # 1-based
    last: int
    lines: int  # non-blank


def pending_agent_code(store: RegionStore, root: Path, session: str | None) -> list[PendingCode]:
    """Agent-written code in this repository still pending: of this session when known."""
    sql = (
        "SELECT path, start_line, end_line, text FROM regions WHERE developer = ?"
        " AND source = 'agent-edit' AND state = 'pending' AND path LIKE ? ESCAPE '\\'"
    )
    prefix = str(root).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    parameters: tuple = (store.developer, prefix + "/%")
    if session:
        sql += (
            " AND origin_id IN (SELECT origin_id FROM events WHERE developer = ?"
            " AND kind = 'inserted' AND json_extract(detail, '$.session') = ?)"
        )
        parameters += (store.developer, session)
    rows = store.database.query(sql + " ORDER BY path, start_line", parameters)
    return [
        PendingCode(
            Path(row["path"]).relative_to(root).as_posix(),
            row["start_line"] + 1,
            row["end_line"] + 1,
            sum(1 for line in row["text"].split("\n") if line.strip()),
        )
        for row in rows
    ]


def quiz_commands(pending: list[PendingCode], limit: int = 5) -> str:
    shown = [f"mindgap quiz {p.path}:{p.first}-{p.last}" for p in pending[:limit]]
    more = f" (and {len(pending) - limit} more)" if len(pending) > limit else ""
    return "; ".join(shown) + more


def summary(pending: list[PendingCode]) -> str:
    lines = sum(p.lines for p in pending)
    places = f"{len(pending)} place{'s' if len(pending) != 1 else ''}"
    noun = "line" if lines == 1 else "lines"
    return f"{lines} agent-written {noun} in {places} not yet understood"


def answer(agent: str, gate: str, pending: list[PendingCode], session: str | None) -> dict:
    """What the hook prints for the agent at the end of a turn (empty: say nothing)."""
    if gate == "off" or not pending:
        return {}
    commands = quiz_commands(pending)
    if gate == "warn":
        message = f"mindgap: {summary(pending)}: {commands} (or waive them in the editor)"
        return {} if agent in ("cursor", "codex") else {"systemMessage": message}
    wait = "mindgap agent wait" + (f" --session {session}" if session else "")
    reason = (
        f"mindgap (agent_gate = block): {summary(pending)}. Before ending this turn the"
        f" developer must show they understand them. Do not change that code. Ask the"
        f" developer to run: {commands} (or to waive them in the editor); then run"
        f" `{wait}`, which returns once they are cleared, and end your turn."
    )
    if agent == "claude-code":
        return {"decision": "block", "reason": reason}
    if agent == "gemini":
        return {"decision": "deny", "reason": reason}
    if agent == "cursor":
        return {"followup_message": reason}
    return {}


def repository_setting(root: Path) -> dict[str, str]:
    """`developer` and `agent_gate` from the repository's settings, read without pydantic
    (the hook must start fast); tests check it agrees with config.resolve_settings."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    found: dict[str, str] = {}
    for name, table in (("pyproject.toml", ("tool", "mindgap")), (".mindgap.toml", ())):
        path = root / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for key in table:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            name_ = key.replace("-", "_")
            name_ = "agent_gate" if name_ == "agentGate" else name_
            if name_ in ("developer", "agent_gate") and isinstance(value, str):
                found[name_] = value
    return found


def to_json(answer_: dict) -> str:
    return json.dumps(answer_) if answer_ else ""
