"""What coding agents send their hooks, read into one shape: which file, which edits, who.

Each agent documents its own payload (samples in tests/fixtures/agents/):

- Claude Code, PostToolUse: `tool_name` (Write, Edit, MultiEdit, NotebookEdit) and
  `tool_input` with `file_path` and `content`, `old_string`/`new_string`/`replace_all`, or
  `edits` (a list of those); `session_id`, `cwd`; Stop: `stop_hook_active`.
- Cursor, afterFileEdit: `file_path`, `edits` ([{old_string, new_string}]),
  `conversation_id`, `generation_id`, `workspace_roots`, `model`; stop: `status`.
- Gemini CLI, AfterTool: `tool_name` (write_file, replace) and `tool_input` with `file_path`
  and `content`, or `old_string`/`new_string`; `session_id`, `cwd`; AfterAgent ends a turn.
- Codex, `notify`: one JSON argument `{"type": "agent-turn-complete", "thread-id", "cwd",
  ...}` after each turn, naming no file: the files it changed are found by diffing.

Only the standard library here: the hook runs once per agent edit and must start fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

AGENTS = ("claude-code", "cursor", "gemini", "codex")
AGENT_NAMES = {
    "claude-code": "Claude Code",
    "cursor": "Cursor",
    "gemini": "Gemini CLI",
    "codex": "Codex",
}

# Tools whose edits are recorded, per agent (the hook's matcher where the agent has one).
CLAUDE_TOOLS = ("Write", "Edit", "MultiEdit", "NotebookEdit")
GEMINI_TOOLS = ("write_file", "replace")


class PayloadError(ValueError):
    """The payload is not one an agent sends; the message says why (for the log)."""


@dataclass(frozen=True)
class TextEdit:
    old: str
    new: str
    replace_all: bool = False


@dataclass(frozen=True)
class HookEvent:
    """One hook call, in mindgap's terms."""

    agent: str  # one of AGENTS
    kind: str  # "edit" (edits given), "write" (whole content), "turn-end", "changed" (no
    # detail: diff the work tree), "notebook", "ignored"
    cwd: str | None = None
    path: str | None = None
    edits: tuple[TextEdit, ...] = ()
    content: str | None = None
    original: str | None = None  # the file before the tool ran, when the payload says
    model: str | None = None
    session: str | None = None
    tool_name: str | None = None
    stop_hook_active: bool = False
    roots: tuple[str, ...] = field(default_factory=tuple)
    cell_id: str | None = None  # a notebook edit's cell
    edit_mode: str | None = None  # a notebook edit's replace, insert or delete

    @property
    def tool_label(self) -> str:
        """The region's `tool`: the agent's name, with the model and session when known."""
        details = [self.model] if self.model else []
        if self.session:
            details.append(f"session {self.session[:8]}")
        name = AGENT_NAMES.get(self.agent, self.agent)
        return ", ".join([name, *details])


def guess_agent(payload: dict[str, Any]) -> str:
    """The agent, when the hook command did not say (`--agent`)."""
    if "conversation_id" in payload or "workspace_roots" in payload:
        return "cursor"
    if payload.get("type") == "agent-turn-complete" or "thread-id" in payload:
        return "codex"
    event = str(payload.get("hook_event_name", ""))
    if event in ("AfterTool", "AfterAgent", "BeforeTool") or "timestamp" in payload:
        return "gemini"
    return "claude-code"


def read_event(payload: Any, agent: str | None = None) -> HookEvent:
    if not isinstance(payload, dict):
        raise PayloadError(f"a hook payload is a JSON object, not {type(payload).__name__}")
    agent = agent or guess_agent(payload)
    if agent == "claude-code":
        return _claude(payload)
    if agent == "cursor":
        return _cursor(payload)
    if agent == "gemini":
        return _gemini(payload)
    if agent == "codex":
        return _codex(payload)
    raise PayloadError(f"unknown agent {agent!r} (known: {', '.join(AGENTS)})")


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise PayloadError(f"{what} is not a string")
    return value


def _optional(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _edits(raw: Any) -> tuple[TextEdit, ...]:
    if not isinstance(raw, list):
        raise PayloadError("`edits` is not a list")
    edits = []
    for item in raw:
        if not isinstance(item, dict):
            raise PayloadError("an entry of `edits` is not an object")
        edits.append(
            TextEdit(
                _text(item.get("old_string", ""), "old_string"),
                _text(item.get("new_string"), "new_string"),
                bool(item.get("replace_all", False)),
            )
        )
    return tuple(edits)


def _claude(payload: dict[str, Any]) -> HookEvent:
    event = payload.get("hook_event_name")
    common = HookEvent(
        agent="claude-code",
        kind="ignored",
        cwd=_optional(payload.get("cwd")),
        session=_optional(payload.get("session_id")),
        model=_optional(payload.get("model")),
    )
    if event in ("Stop", "SubagentStop"):
        return replace(
            common, kind="turn-end", stop_hook_active=bool(payload.get("stop_hook_active"))
        )
    tool = payload.get("tool_name")
    tool_input = payload.get("tool_input")
    if tool not in CLAUDE_TOOLS or not isinstance(tool_input, dict):
        return replace(common, kind="ignored", tool_name=_optional(tool))
    response = payload.get("tool_response")
    # Beyond the documented {filePath, success}, Claude Code's tool_response holds the file
    # as it was (`originalFile`) and whether the Write created it (`type`: create/update).
    response = response if isinstance(response, dict) else {}
    original = response.get("originalFile")
    if response.get("type") == "create":
        original = ""  # a new file: all of it is the agent's
    if tool == "NotebookEdit":
        if tool_input.get("cell_type", "code") != "code":
            return replace(common, kind="ignored", tool_name=tool)  # markdown is not code
        return replace(
            common,
            kind="notebook",
            path=_text(tool_input.get("notebook_path"), "tool_input.notebook_path"),
            content=_text(tool_input.get("new_source", ""), "tool_input.new_source"),
            cell_id=_optional(tool_input.get("cell_id")),
            edit_mode=_optional(tool_input.get("edit_mode")) or "replace",
            tool_name=tool,
        )
    path = _text(tool_input.get("file_path"), "tool_input.file_path")
    if tool == "Write":
        content = _text(tool_input.get("content"), "tool_input.content")
        return replace(
            common,
            kind="write",
            path=path,
            content=content,
            original=original if isinstance(original, str) else None,
            tool_name=tool,
        )
    if tool == "Edit":
        edits: tuple[TextEdit, ...] = (
            TextEdit(
                _text(tool_input.get("old_string"), "tool_input.old_string"),
                _text(tool_input.get("new_string"), "tool_input.new_string"),
                bool(tool_input.get("replace_all", False)),
            ),
        )
    else:
        edits = _edits(tool_input.get("edits"))
    return replace(
        common,
        kind="edit",
        path=path,
        edits=edits,
        original=original if isinstance(original, str) else None,
        tool_name=tool,
    )


def _cursor(payload: dict[str, Any]) -> HookEvent:
    roots = payload.get("workspace_roots")
    common = HookEvent(
        agent="cursor",
        kind="ignored",
        session=_optional(payload.get("conversation_id")),
        model=_optional(payload.get("model")),
        roots=tuple(r for r in roots if isinstance(r, str)) if isinstance(roots, list) else (),
    )
    event = payload.get("hook_event_name")
    if event == "stop":
        return replace(common, kind="turn-end")
    if event not in (None, "afterFileEdit"):
        return replace(common, kind="ignored", tool_name=_optional(event))
    path = _text(payload.get("file_path"), "file_path")
    return replace(
        common, kind="edit", path=path, edits=_edits(payload.get("edits")), tool_name=event
    )


def _gemini(payload: dict[str, Any]) -> HookEvent:
    event = payload.get("hook_event_name")
    common = HookEvent(
        agent="gemini",
        kind="ignored",
        cwd=_optional(payload.get("cwd")),
        session=_optional(payload.get("session_id")),
    )
    if event == "AfterAgent":
        return replace(
            common, kind="turn-end", stop_hook_active=bool(payload.get("stop_hook_active"))
        )
    tool = payload.get("tool_name")
    tool_input = payload.get("tool_input")
    if tool not in GEMINI_TOOLS or not isinstance(tool_input, dict):
        return replace(common, kind="ignored", tool_name=_optional(tool))
    path = _text(tool_input.get("file_path"), "tool_input.file_path")
    if tool == "write_file":
        content = _text(tool_input.get("content"), "tool_input.content")
        return replace(common, kind="write", path=path, content=content, tool_name=tool)
    expected = tool_input.get("expected_replacements")  # older versions; now allow_multiple
    edit = TextEdit(
        _text(tool_input.get("old_string"), "tool_input.old_string"),
        _text(tool_input.get("new_string"), "tool_input.new_string"),
        bool(tool_input.get("allow_multiple")) or (isinstance(expected, int) and expected > 1),
    )
    return replace(common, kind="edit", path=path, edits=(edit,), tool_name=tool)


def _codex(payload: dict[str, Any]) -> HookEvent:
    if payload.get("type") not in (None, "agent-turn-complete"):
        return HookEvent(agent="codex", kind="ignored", tool_name=_optional(payload.get("type")))
    return HookEvent(
        agent="codex",
        kind="changed",
        cwd=_optional(payload.get("cwd")),
        session=_optional(payload.get("thread-id")),
        model=_optional(payload.get("model")),
    )
