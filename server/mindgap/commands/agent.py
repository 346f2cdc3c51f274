"""`mindgap agent`: hooks for coding agents (install, uninstall, status), the hook itself
(`record`) and `wait`, which an agent runs while the developer clears the gate.

`record` is run by the agent after each edit and at the end of each turn: it never fails
the agent (always exit 0, problems go to mindgap's hook log) and imports only what it needs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mindgap.provenance.agent_payloads import HookEvent

EXIT_CLEAN = 0
WAIT_POLL_S = 1.0


def run_record(argv: list[str]) -> int:
    """The hook: `mindgap agent record [--agent NAME] [PAYLOAD]` with the payload on stdin
    (Codex passes it as the last argument). Exit 0 whatever happens."""
    from mindgap.provenance.agent_record import log_problem

    try:
        agent, payload_text = _record_arguments(argv)
        answer = _record(agent, payload_text)
        if answer:
            sys.stdout.write(answer + "\n")
    except Exception as error:  # the agent must never fail because of mindgap
        log_problem(f"agent record failed: {type(error).__name__}: {error}")
    return EXIT_CLEAN


def _record_arguments(argv: list[str]) -> tuple[str | None, str]:
    agent = None
    rest = list(argv)
    if "--agent" in rest:
        at = rest.index("--agent")
        agent = rest[at + 1] if at + 1 < len(rest) else None
        del rest[at : at + 2]
    if rest:  # Codex's notify passes the JSON as an argument
        return agent, rest[-1]
    if sys.stdin.isatty():
        return agent, ""
    # bytes, decoded as the agents send them (UTF-8), whatever the locale says
    return agent, sys.stdin.buffer.read().decode("utf-8", "replace")


def _record(agent: str | None, payload_text: str) -> str:
    from mindgap.provenance.agent_payloads import AGENTS, PayloadError, read_event
    from mindgap.provenance.agent_record import log_problem

    if agent is not None and agent not in AGENTS:
        log_problem(f"agent record: unknown --agent {agent!r} (known: {', '.join(AGENTS)})")
        agent = None
    try:
        payload = json.loads(payload_text)
    except ValueError as error:
        log_problem(f"agent record: the payload is not JSON ({error}): {payload_text[:200]!r}")
        return ""
    try:
        event = read_event(payload, agent)
    except PayloadError as error:
        log_problem(f"agent record ({agent or 'unknown agent'}): {error}")
        return ""
    if event.kind == "ignored":
        return ""
    if event.kind == "turn-end":
        return _turn_end(event)
    if event.kind == "changed":
        _record_changed(event)
        return ""
    _record_edit(event)
    return ""


def _developer(root: Path, settings: dict[str, str]) -> str:
    if settings.get("developer"):
        return settings["developer"]
    from mindgap.vcs import config_value

    return config_value(root, "user.email") or "unknown"


def _record_edit(event: HookEvent) -> None:
    from mindgap.provenance.agent_gate import repository_setting
    from mindgap.provenance.agent_record import (
        log_problem,
        open_store,
        record_file,
        record_notebook,
        target_path,
    )

    path, root, why = target_path(event)
    if why or path is None or root is None:
        log_problem(f"agent record ({event.agent}): ignored: {why}")
        return
    store = open_store(_developer(root, repository_setting(root)))
    try:
        if event.kind == "notebook":
            outcome = record_notebook(event, path, store)
        else:
            outcome = record_file(event, path, root, store)
    finally:
        store.database.close()
    if outcome.ignored:
        log_problem(f"agent record ({event.agent}): {path}: nothing recorded: {outcome.ignored}")


def _record_changed(event: HookEvent) -> None:
    """An agent that names no file (Codex): every file changed in the work tree since the
    last content mindgap knows (or HEAD) is diffed."""
    from mindgap.provenance.agent_gate import repository_setting
    from mindgap.provenance.agent_record import (
        changed_files,
        log_problem,
        open_store,
        record_file,
    )
    from mindgap.vcs import work_tree

    root = work_tree(Path(event.cwd or os.getcwd()))
    if root is None:
        log_problem(f"agent record ({event.agent}): ignored: {event.cwd} is in no repository")
        return
    store = open_store(_developer(root, repository_setting(root)))
    try:
        for path in changed_files(root):
            outcome = record_file(event, path.resolve(), root, store)
            if outcome.ignored:
                log_problem(f"agent record ({event.agent}): {path}: {outcome.ignored}")
    finally:
        store.database.close()


def _turn_end(event: HookEvent) -> str:
    from mindgap.provenance.agent_gate import answer, pending_agent_code, repository_setting
    from mindgap.provenance.agent_record import open_store
    from mindgap.vcs import work_tree

    start = Path(event.cwd or (event.roots[0] if event.roots else os.getcwd()))
    root = work_tree(start)
    if root is None:
        return ""
    settings = repository_setting(root)
    gate = settings.get("agent_gate", "off")
    if gate not in ("warn", "block"):
        return ""
    store = open_store(_developer(root, settings))
    try:
        pending = pending_agent_code(store, root, event.session)
    finally:
        store.database.close()
    reply = answer(event.agent, gate, pending, event.session)
    return json.dumps(reply) if reply else ""


# -- install, uninstall, status, wait --------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from mindgap.errors import UsageError
    from mindgap.provenance.agent_hooks import (
        HookConfigError,
        config_path,
        install,
        status,
        uninstall,
    )

    project = _project_root(Path.cwd())
    if args.action == "status":
        for found in status(project):
            if found.installed:
                print(f"{found.agent}: installed in {found.path} ({', '.join(found.events)})")
        if not any(found.installed for found in status(project)):
            print("mindgap's hook is installed for no agent (run `mindgap agent install AGENT`)")
        return EXIT_CLEAN
    if args.action == "wait":
        return _wait(project, args.session, args.timeout)
    if not args.agent:
        raise UsageError(f"agent {args.action} wants an AGENT: claude-code, cursor, gemini, codex")
    scope = args.scope or ("user" if args.agent == "codex" else "project")
    path = config_path(args.agent, scope, project)
    try:
        if args.action == "install":
            if install(args.agent, path):
                print(f"{args.agent}: mindgap's hook installed in {path}")
            else:
                print(f"{args.agent}: mindgap's hook was already installed in {path}")
        else:
            print(uninstall(args.agent, path))
    except (HookConfigError, OSError) as error:
        raise UsageError(str(error)) from error
    return EXIT_CLEAN


def _project_root(start: Path) -> Path:
    from mindgap.vcs import repository_for

    return repository_for(None, start)


def _wait(root: Path, session: str | None, timeout: float) -> int:
    """Until the agent-written code of this repository (of the session) is cleared."""
    from mindgap.provenance.agent_gate import pending_agent_code, quiz_commands, repository_setting
    from mindgap.provenance.agent_record import open_store

    store = open_store(_developer(root, repository_setting(root)))
    deadline = time.monotonic() + timeout
    shown = None
    try:
        while True:
            pending = pending_agent_code(store, root, session)
            if not pending:
                print("mindgap: the agent-written code is cleared")
                return EXIT_CLEAN
            lines = sum(p.lines for p in pending)
            if lines != shown:
                shown = lines
                print(f"mindgap: waiting: {lines} lines pending ({quiz_commands(pending)})")
                sys.stdout.flush()
            if time.monotonic() > deadline:
                print("mindgap: still pending; run `mindgap agent wait` again to keep waiting")
                return 1
            time.sleep(WAIT_POLL_S)
    finally:
        store.database.close()
