"""A hand-write in progress: the foreign code put aside, the comment that takes its place,
and the developer's own version typed where the code was.

Starting a hand-write replaces the whole lines of a foreign region with a comment block in
the language's comment syntax: a first line naming the session, what the code must do (its
key facts: the functions it defines, their inputs, what they return, their side effects, the
names they call), and an end line. The developer types between the two marker lines. The
put-aside code is kept in the store (`handwrites` table), so it survives a restart and one
action puts it back.

Which text is "the developer's version": every line between the first marker line and the
end marker line. Comments in it (the generated ones included) are ignored by the
equivalence check; the generated lines are removed once the version is accepted, comments
the developer wrote stay.

This module knows nothing of LSP: the server wires it to commands and edits.
"""

from __future__ import annotations

import ast
import json
import random
import time
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel, Field

from mindgap.gate.explain import Fact, key_facts
from mindgap.gate.facts import Scopes, shape_of, units
from mindgap.gate.handwrite import Equivalence, equivalent
from mindgap.gate.sandbox import Outcome, Sandbox, check_code, sandbox_available
from mindgap.ledger.database import Database
from mindgap.provenance.regions import Region
from mindgap.syntax.languages import language_named

SessionState = Literal["open", "done", "restored"]

COMMENT_PREFIXES = {
    "python": "#",
    "javascript": "//",
    "typescript": "//",
    "tsx": "//",
    "go": "//",
    "rust": "//",
    "java": "//",
}
MAX_FACT_LINES = 12  # a longer list stops being a summary
MAX_BEHAVIOUR_CALLS = 24


class HandwriteError(ValueError):
    """A hand-write cannot start (or cannot be placed); the message says why."""


class PutAsideRegion(BaseModel):
    """The foreign region as it was when put aside: enough to bring it back as it was."""

    id: str
    origin_id: str
    source: str
    tool: str | None
    created_at: float
    text: str

    @classmethod
    def of(cls, region: Region) -> PutAsideRegion:
        return cls(
            id=region.id,
            origin_id=region.origin_id,
            source=region.source,
            tool=region.tool,
            created_at=region.created_at,
            text=region.text,
        )

    def region(self, start: int, text: str | None = None, state: str = "pending") -> Region:
        """The region placed at `start` (over `text`, the original by default)."""
        body = self.text if text is None else text
        return Region(
            start=start,
            end=start + len(body),
            text=body,
            source=self.source,
            tool=self.tool,
            id=self.id,
            origin_id=self.origin_id,
            created_at=self.created_at,
            state=state,
        )


class HandwriteSession(BaseModel):
    """One hand-write, from put-aside to accepted (`done`) or put back (`restored`)."""

    id: str  # the region's id: one hand-write per region
    uri: str
    path: str | None
    language: str
    region: PutAsideRegion
    original_lines: str  # the whole lines the region stood on, as they were
    offset_in_lines: int  # where the region starts within `original_lines`
    marker: str  # the first marker line, comment prefix included, no indentation
    end_marker: str
    generated: list[str]  # every generated line, stripped: removed once accepted
    block: str  # the text that replaced `original_lines`
    calls: list[str] = Field(default_factory=list)  # behaviour check inputs (Python)
    state: SessionState = "open"
    line: int = 0  # 0-based line of the first marker when last seen
    started_at: float = Field(default_factory=time.time)
    attempts: int = 0
    last_reason: str = ""


@dataclass(frozen=True)
class Placement:
    """Where a session's comment block is in a text now (offsets)."""

    start: int  # start of the first marker line
    end: int  # end of the end marker line, its line break included
    typed_start: int  # the lines between the markers
    typed_end: int

    def typed(self, text: str) -> str:
        return text[self.typed_start : self.typed_end]


def comment_prefix(language: str) -> str:
    try:
        return COMMENT_PREFIXES[language]
    except KeyError:
        raise HandwriteError(f"mindgap: no comment syntax known for {language}") from None


def whole_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole lines holding text[start:end], the last line break included.
    HandwriteError when other code shares the first or last line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end + 1
    before, after = text[line_start:start], text[end:line_end]
    if before.strip() or after.strip():
        raise HandwriteError(
            "mindgap: hand-writing replaces whole lines, and this code shares a line with "
            "other code; quiz or explain it instead"
        )
    return line_start, line_end


def requirements(
    language: str, source: bytes, tree, start_byte: int, end_byte: int
) -> tuple[list[str], list[Fact]]:
    """The names of the functions the code defines, and its key facts."""
    shape = shape_of(language)
    scopes = Scopes(shape, tree.root_node, start_byte, end_byte)
    functions = [
        unit.name
        for unit in units(language, source, tree, start_byte, end_byte, scopes)
        if unit.is_function and unit.name and not unit.name.startswith("<")
    ]
    return functions, key_facts(language, source, tree, start_byte, end_byte)


def build_block(
    language: str, session_id: str, indent: str, functions: list[str], facts: list[Fact]
) -> tuple[str, str, list[str], str]:
    """(first marker, end marker, generated lines, block text) of the comment block."""
    prefix = comment_prefix(language)
    tag = session_id[:8]
    marker = f"{prefix} mindgap hand-write {tag}: the code that was here is put aside."
    end_marker = f"{prefix} mindgap hand-write {tag}: end"
    body = [f"{prefix} Write your own version between these lines. It must:"]
    body += [f"{prefix}   - define `{name}`" for name in functions]
    wanted = [fact.label for fact in facts if fact.required]
    wanted += [fact.label for fact in facts if not fact.required]
    shown = wanted[:MAX_FACT_LINES]
    body += [f"{prefix}   - {label}" for label in shown]
    if len(wanted) > len(shown):
        body.append(f"{prefix}   - and {len(wanted) - len(shown)} more key facts")
    if not functions and not wanted:
        body.append(f"{prefix}   - do what the code did (mindgap found no key facts to list)")
    body.append(f"{prefix} mindgap checks it each time you pause typing.")
    body.append(f'{prefix} "mindgap: Restore the original code" puts the original back.')
    lines = [marker, *body, end_marker]
    block = "".join(f"{indent}{line}\n" for line in lines)
    return marker, end_marker, [line.strip() for line in lines], block


def start_session(
    uri: str,
    path: str | None,
    language: str,
    text: str,
    tree,
    byte_offset,
    region: Region,
) -> tuple[HandwriteSession, int, int]:
    """A new session for `region` of `text` (parsed into `tree`; `byte_offset` maps a text
    offset to a UTF-8 byte offset) and the span of lines its block replaces."""
    comment_prefix(language)
    line_start, line_end = whole_lines(text, region.start, region.end)
    source = text.encode("utf-8", "surrogatepass")
    functions, facts = requirements(
        language, source, tree, byte_offset(region.start), byte_offset(region.end)
    )
    first_line_end = text.find("\n", line_start)
    first_line = text[line_start : len(text) if first_line_end == -1 else first_line_end]
    indent = first_line[: len(first_line) - len(first_line.lstrip())]
    marker, end_marker, generated, block = build_block(
        language, region.id, indent, functions, facts
    )
    session = HandwriteSession(
        id=region.id,
        uri=uri,
        path=path,
        language=language,
        region=PutAsideRegion.of(region),
        original_lines=text[line_start:line_end],
        offset_in_lines=region.start - line_start,
        marker=marker,
        end_marker=end_marker,
        generated=generated,
        block=block,
        calls=behaviour_calls(region.text) if language == "python" else [],
        line=text.count("\n", 0, line_start),
    )
    return session, line_start, line_end


def locate(text: str, session: HandwriteSession) -> Placement | None:
    """The session's block in `text`: the first marker line, then the nearest end marker
    line after it; None when either is gone."""
    start = _line_with(text, session.marker, 0)
    if start is None:
        return None
    first_end = text.find("\n", start)
    if first_end == -1:
        return None
    end = _line_with(text, session.end_marker, first_end + 1)
    if end is None:
        return None
    end_line_end = text.find("\n", end)
    end_line_end = len(text) if end_line_end == -1 else end_line_end + 1
    return Placement(start, end_line_end, first_end + 1, end)


def _line_with(text: str, stripped: str, begin: int) -> int | None:
    """The offset of the first line from `begin` whose stripped text is `stripped`."""
    position = text.find(stripped, begin)
    while position != -1:
        line_start = text.rfind("\n", 0, position) + 1
        line_end = text.find("\n", position)
        line = text[line_start : len(text) if line_end == -1 else line_end]
        if line.strip() == stripped:
            return line_start
        position = text.find(stripped, position + 1)
    return None


def own_lines(text: str, placement: Placement, session: HandwriteSession) -> tuple[int, int]:
    """The span of the developer's lines between the markers: the generated lines at the
    start are left out (the end marker is already outside)."""
    generated = set(session.generated)
    position = placement.typed_start
    while position < placement.typed_end:
        line_end = text.find("\n", position, placement.typed_end)
        line_end = placement.typed_end if line_end == -1 else line_end + 1
        if text[position:line_end].strip() not in generated:
            break
        position = line_end
    return position, placement.typed_end


def generated_line_spans(
    text: str, placement: Placement, session: HandwriteSession
) -> list[tuple[int, int]]:
    """The spans (whole lines) of the generated lines of the block, to remove once the
    developer's version is accepted."""
    generated = set(session.generated)
    spans: list[tuple[int, int]] = []
    position = placement.start
    while position < placement.end:
        line_end = text.find("\n", position, placement.end)
        line_end = placement.end if line_end == -1 else line_end + 1
        if text[position:line_end].strip() in generated:
            if spans and spans[-1][1] == position:
                spans[-1] = (spans[-1][0], line_end)
            else:
                spans.append((position, line_end))
        position = line_end
    return spans


def check_version(session: HandwriteSession, typed: str, with_behaviour: bool) -> Equivalence:
    """Whether `typed` is equivalent to the put-aside code: tokens, tree, then (Python,
    `with_behaviour`, sample calls known) the same outcomes in the sandbox."""
    run = run_calls if with_behaviour and session.calls and sandbox_available() else None
    return equivalent(
        session.language, session.region.text, typed, session.calls if run else None, run
    )


# --- Behaviour inputs ---------------------------------------------------------------------


def behaviour_calls(code_text: str) -> list[str]:
    """Sample calls of the code's functions: the quiz's inputs (the exec questions' planner)
    for the code on its own. [] when the code cannot be run in the sandbox."""
    from mindgap.gate.questions.base import CodeUnderQuiz
    from mindgap.gate.questions.exec_common import build_plan
    from mindgap.gate.quiz import seed_of

    text = _dedented(code_text)
    if not sandbox_available() or not check_code(text):
        return []
    try:
        ast.parse(text)
    except SyntaxError:
        return []
    source = text.encode("utf-8", "surrogatepass")
    tree = language_named("python").parser().parse(source)
    code = CodeUnderQuiz(
        language="python",
        source=source,
        tree=tree,
        start_byte=0,
        end_byte=len(source),
        first_line=1,
        rng=random.Random(seed_of(text)),
        sandbox=Sandbox(),
    )
    plan = build_plan(code)
    if plan is None:
        return []
    calls = [target.call(values) for target in plan.targets for values in plan.inputs[target.name]]
    return list(dict.fromkeys(calls))[:MAX_BEHAVIOUR_CALLS]


def run_calls(code_text: str, calls: list[str]) -> list[Outcome]:
    """The calls' outcomes after `code_text`'s definitions, in the sandbox (a separate,
    contained process); code the static check refuses gives "refused" outcomes."""
    with Sandbox() as sandbox:
        return sandbox.run(_dedented(code_text), list(calls))


def _dedented(code_text: str) -> str:
    import textwrap

    return textwrap.dedent(code_text.replace("\r\n", "\n")).strip("\n") + "\n"


# --- The store ------------------------------------------------------------------------------


class HandwriteStore:
    """Sessions per developer in the `handwrites` table: the put-aside code lives here until
    the developer's own version is accepted or the original is put back."""

    def __init__(self, database: Database, developer: str) -> None:
        self.database = database
        self.developer = developer

    def save(self, session: HandwriteSession) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO handwrites (id, developer, path, state, record,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    session.id,
                    self.developer,
                    session.path or session.uri,
                    session.state,
                    session.model_dump_json(),
                    time.time(),
                ),
            )

    def open_sessions(self, path: str) -> list[HandwriteSession]:
        rows = self.database.query(
            "SELECT record FROM handwrites WHERE developer = ? AND path = ? AND state = 'open'"
            " ORDER BY updated_at",
            (self.developer, path),
        )
        return [HandwriteSession.model_validate(json.loads(row["record"])) for row in rows]

    def get(self, session_id: str) -> HandwriteSession | None:
        rows = self.database.query(
            "SELECT record FROM handwrites WHERE developer = ? AND id = ?",
            (self.developer, session_id),
        )
        return HandwriteSession.model_validate(json.loads(rows[0]["record"])) if rows else None


# --- Following a hand-write: the decisions -----------------------------------------------------

FollowAction = Literal["wait", "restored", "not-yet", "accept", "check-behaviour"]


@dataclass(frozen=True)
class FollowUp:
    """What the server does for one hand-write after the developer paused typing.

    - `wait`: nothing to check (the block is not there, nothing typed, nothing new);
    - `restored`: the block is gone and the region is back (an undo of the put-aside);
    - `not-yet`: the version is not equivalent (yet): `reason` says why;
    - `accept`: `typed` is equivalent (`verdict`): `HandwriteSessions.accepting` next;
    - `check-behaviour`: equivalent neither by tokens nor by tree: run the behaviour check
      (in the sandbox, off the event loop) and hand its verdict to `behaviour_checked`.

    `first_seen`: this server sees the block in place for the first time: an undo of the
    put-aside should bring the original back (`expected_back`), and foreign regions lying
    within `generated` (mindgap's own lines, which an editor may send in pieces that look
    like a burst) are none."""

    action: FollowAction
    reason: str = ""
    typed: str = ""
    verdict: Equivalence | None = None
    first_seen: bool = False
    generated: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Acceptance:
    """An accepted version: its region (same id as the put-aside one, over the developer's
    text) and the generated lines' spans to remove from the document."""

    region: Region
    generated: list[tuple[int, int]]


@dataclass(frozen=True)
class RestoreEdit:
    """Putting the original back: text[start:end] becomes `original`, and `region` (offsets
    relative to `original`) is the foreign region it brings back."""

    start: int
    end: int
    original: str
    region: Region


PASTED_INTO = "part of it was pasted or inserted at once: only typed code counts"


class HandwriteSessions:
    """The server's hand-writes in progress, by id, which documents have had theirs read
    from the store, and the decisions taken as the developer types (`follow`). Knows nothing
    of LSP: the server applies the edits and shows the messages."""

    def __init__(self) -> None:
        self.sessions: dict[str, HandwriteSession] = {}
        self.loaded: set[str] = set()  # URIs whose stored sessions were read
        self.checking: set[str] = set()  # sessions with a behaviour check running
        self.seen: set[str] = set()  # sessions whose block this server has seen in place
        self.last_checked: dict[str, str] = {}  # by session: the version checked last

    def open_in(self, uri: str) -> list[HandwriteSession]:
        return [s for s in self.sessions.values() if s.uri == uri and s.state == "open"]

    def load(self, uri: str, path: str | None, store: HandwriteStore | None) -> None:
        """Hand-writes still in progress in this file from an earlier session, once per
        document (StoreError from the store: it is not tried again)."""
        if uri in self.loaded:
            return
        self.loaded.add(uri)
        if store is None or path is None:
            return
        for session in store.open_sessions(path):
            if session.id not in self.sessions:
                self.sessions[session.id] = session.model_copy(update={"uri": uri})

    def start(
        self,
        uri: str,
        path: str | None,
        language: str | None,
        text: str,
        tree,
        byte_offset,
        region: Region,
    ) -> tuple[HandwriteSession, int, int]:
        """A new hand-write of a pending region (not yet in progress: `begin` once its
        put-aside code is safe in the store); HandwriteError says why it cannot start."""
        if region.state != "pending":
            raise HandwriteError(f"mindgap: this code is already {region.state}")
        if language is None or tree is None:
            raise HandwriteError("mindgap: hand-writing needs a language mindgap can parse")
        return start_session(uri, path, language, text, tree, byte_offset, region)

    def begin(self, session: HandwriteSession) -> None:
        self.sessions[session.id] = session

    def follow(
        self,
        session: HandwriteSession,
        text: str,
        foreign: list[tuple[int, int]],
        region_back: bool,
    ) -> FollowUp:
        """Typing paused in the document holding `session` (its `text`, the spans of its
        `foreign` regions; `region_back`: the put-aside region is in it again)."""
        placement = locate(text, session)
        if placement is None:
            restored = session.id in self.seen and region_back
            return FollowUp("restored" if restored else "wait")
        first_seen = session.id not in self.seen
        generated: tuple[tuple[int, int], ...] = ()
        if first_seen:
            self.seen.add(session.id)
            generated = tuple(generated_line_spans(text, placement, session))
            foreign = [
                (a, b) for a, b in foreign if not any(x <= a and b <= y for x, y in generated)
            ]
        session.line = text.count("\n", 0, placement.start)
        step = self._judge(session, text, placement, foreign)
        return replace(step, first_seen=first_seen, generated=generated)

    def _judge(
        self,
        session: HandwriteSession,
        text: str,
        placement: Placement,
        foreign: list[tuple[int, int]],
    ) -> FollowUp:
        own_start, own_end = own_lines(text, placement, session)
        typed = text[own_start:own_end]
        if not typed.strip() or self.last_checked.get(session.id) == typed:
            return FollowUp("wait")
        self.last_checked[session.id] = typed
        if any(a < own_end and own_start < b for a, b in foreign):
            return self.not_yet(session, PASTED_INTO)
        verdict = check_version(session, typed, with_behaviour=False)
        if verdict.equivalent:
            return FollowUp("accept", typed=typed, verdict=verdict)
        if session.calls and session.id not in self.checking and parses(typed):
            self.checking.add(session.id)
            return FollowUp("check-behaviour", typed=typed)
        return self.not_yet(session, verdict.reason)

    def behaviour_checked(
        self,
        session: HandwriteSession,
        text: str,
        foreign: list[tuple[int, int]],
        typed: str,
        verdict: Equivalence,
    ) -> FollowUp:
        """The behaviour check of `typed` is done (`verdict`); `text` is the document now."""
        self.checking.discard(session.id)
        placement = locate(text, session) if session.state == "open" else None
        if placement is None:
            return FollowUp("wait")
        own_start, own_end = own_lines(text, placement, session)
        if text[own_start:own_end] != typed:  # typed on meanwhile: check that
            self.last_checked.pop(session.id, None)
            return self.follow(session, text, foreign, region_back=False)
        if verdict.equivalent:
            return FollowUp("accept", typed=typed, verdict=verdict)
        return self.not_yet(session, verdict.reason)

    def not_yet(self, session: HandwriteSession, reason: str) -> FollowUp:
        """Not equivalent (yet): one more attempt."""
        session.attempts += 1
        session.last_reason = reason
        return FollowUp("not-yet", reason=reason)

    def accepting(self, session: HandwriteSession, text: str, typed: str) -> Acceptance | None:
        """`typed` was found equivalent: if it still stands in the block, the session is
        done; None when the document moved on (the next pause checks again)."""
        placement = locate(text, session) if session.state == "open" else None
        if placement is None:
            return None
        own_start, own_end = own_lines(text, placement, session)
        if text[own_start:own_end] != typed:
            return None
        session.state = "done"
        return Acceptance(
            session.region.region(own_start, typed),
            generated_line_spans(text, placement, session),
        )


def expected_back(session: HandwriteSession) -> tuple[str, Region]:
    """The text an undo of the put-aside brings back, and the region in it (relative)."""
    return session.original_lines, session.region.region(session.offset_in_lines)


def restore_edit(text: str, session: HandwriteSession) -> RestoreEdit:
    """Where the original goes back: over the block, or where the block last was when it
    was deleted."""
    placement = locate(text, session)
    original = session.original_lines
    if placement is not None:
        start, end = placement.start, placement.end
    else:
        lines = text.split("\n")
        start = sum(len(line) + 1 for line in lines[: min(session.line, len(lines) - 1)])
        start = end = min(start, len(text))
    if not original.endswith("\n") and end < len(text):
        original += "\n"
    return RestoreEdit(start, end, original, session.region.region(session.offset_in_lines))


def parses(code: str) -> bool:
    import textwrap

    try:
        ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return False
    return True
