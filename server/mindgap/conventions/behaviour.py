"""Reinvention by behaviour: a foreign function that gives the same results as one of the
repository's, however differently it is written (a loop, a comprehension, `str.join`).

Token and structure similarity (reinvention.py) miss a helper re-implemented another way.
Here both functions run in the operating-system sandbox (gate/sandbox, never in a mindgap
process) on the inputs the quiz planner picks for them (gate/questions/exec_common.py:
`candidate_inputs`, the values a test writer would try - both sides' literals and
boundaries), and when every input that both ran gives the same result - at least
`MIN_AGREEING` returned values, `MIN_DISTINCT` of them different, not all None - the pair is
a clone, shown with the calls and their results as evidence.

Running costs a sandbox batch per function, so candidates are narrowed cheaply first, from
the syntax alone: plain top-level functions of the repository's own non-test code (those the
function index holds), with the same number of required positional parameters, the same
module-level names read (`re`, a constant), both returning a value; the planner's guess of
each parameter's kind (str, list of ints, ...) must agree; at most `MAX_PAIRS` of them,
those sharing the most vocabulary first, within the run's time budget (reinvention.py's
`BehaviourBudget`). Without a sandbox there are no behaviour clones (the token and structure
comparison still run).

Runs where the analysis already waits for more than a keystroke (`mindgap check`); the
server's analysis runs on its event loop at each typing pause, so it does not ask for this.
"""

from __future__ import annotations

import ast
import builtins
import itertools
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import tree_sitter

from mindgap.conventions.files import is_test_path
from mindgap.conventions.model import SourceFile
from mindgap.gate.questions.base import CodeUnderQuiz
from mindgap.gate.questions.exec_common import (
    WRONG_TYPE_ERRORS,
    Plan,
    Target,
    build_plan,
    candidate_inputs,
)
from mindgap.gate.sandbox import Outcome, Sandbox, check_code, sandbox_available
from mindgap.syntax.languages import language_for

if TYPE_CHECKING:  # reinvention imports this module when it asks for behaviour clones
    from mindgap.conventions.reinvention import IndexedFunction

log = logging.getLogger(__name__)

MAX_FOREIGN = 4  # foreign functions of one region compared by behaviour
MAX_PAIRS = 4  # repository functions run against one foreign function
MAX_INPUTS = 24  # calls of each side
MIN_AGREEING = 4  # inputs on which both returned the same value
MIN_DISTINCT = 3  # of which this many different results (not a constant function)
SHOWN_CALLS = 4  # calls shown as evidence
BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(frozen=True)
class SameResult:
    """One input on which both functions returned the same value."""

    call: str  # the foreign function's call, as a test would write it: slug('a b')
    existing_call: str  # the repository function's: slugify('a b')
    result: str  # repr of what both returned


@dataclass(frozen=True)
class BehaviourClone:
    """A repository function giving the same results as a foreign one on every input tried."""

    function: IndexedFunction
    inputs: int  # inputs both ran (returned or raised)
    same: tuple[SameResult, ...]  # returned values, all equal: the different ones, each once


@dataclass(frozen=True)
class ForeignFunction:
    """A function of foreign code that the sandbox can call."""

    name: str
    name_start: int  # character offsets of its name in the file's text
    name_end: int
    target: Target
    plan: Plan


def behaviour_clones(
    source: SourceFile,
    start: int,
    end: int,
    root: Path,
    candidates: list[IndexedFunction],
    already: set[str],
    deadline: float,
) -> Iterator[tuple[ForeignFunction, BehaviourClone]]:
    """For each foreign Python function defined in text[start:end] (not named in `already`:
    those were found by tokens or structure), the repository function among `candidates`
    (the function index's) that behaves the same, if any."""
    if source.language != "python":
        return
    foreign = [f for f in foreign_functions(source, start, end, root) if f.name not in already]
    if not foreign:
        return
    if time.monotonic() > deadline:
        return
    sandbox: Sandbox | None = None
    try:
        for function in foreign[:MAX_FOREIGN]:
            pairs = _narrowed(function, source, root, candidates)
            if not pairs:
                continue
            if sandbox is None:
                if not sandbox_available():
                    return
                sandbox = Sandbox()
            clone = _first_clone(function, pairs, sandbox, deadline)
            if clone is not None:
                yield function, clone
            if time.monotonic() > deadline:
                return
    finally:
        if sandbox is not None:
            sandbox.close()


def foreign_functions(
    source: SourceFile, start: int, end: int, root: Path
) -> list[ForeignFunction]:
    """The plain top-level functions defined in text[start:end] that the planner can feed
    (a line pasted into a function of the developer's does not make it foreign)."""
    text = source.text
    code = _code(
        text.encode("utf-8"),
        source.tree,
        source.index.byte_offset(start),
        source.index.byte_offset(end),
        source.index.line_of(start) + 1,
        _disk_path(root, source.path),
    )
    plan = build_plan(code)
    if plan is None:
        return []
    found = []
    for target in plan.targets:
        if target.form != "function" or not _comparable(target.function):
            continue
        if not code.start_byte <= target.start_byte < code.end_byte:
            continue
        line_start = source.index.offset_of_point(target.function.lineno - 1, 0)
        line = source.index.line_text(target.function.lineno - 1)
        column = line.find(f"def {target.name}")
        if column < 0:
            continue
        name_start = line_start + column + len("def ")
        found.append(
            ForeignFunction(target.name, name_start, name_start + len(target.name), target, plan)
        )
    return found


# -- narrowing, from the syntax alone ------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """What the narrowing needs of a plain top-level function, kept instead of its file's
    syntax tree (a large repository's trees would not fit in memory)."""

    name: str
    first_line: int  # 0-based, decorators included
    line: int  # 0-based line of `def`
    last_line: int
    arity: int  # required positional parameters
    module_names: frozenset[str]
    vocabulary: frozenset[str]


@dataclass(frozen=True)
class _Candidate:
    indexed: IndexedFunction
    file: Path
    signature: Signature


def _narrowed(
    foreign: ForeignFunction,
    source: SourceFile,
    root: Path,
    candidates: list[IndexedFunction],
) -> list[_Candidate]:
    """The repository functions worth running against `foreign`, most alike first."""
    function = foreign.target.function
    assert isinstance(function, ast.FunctionDef)
    wanted = _signature(function)
    found = []
    for indexed in candidates:
        path = indexed.path
        if indexed.family != "python" or "." in indexed.name or not path.endswith(".py"):
            continue
        if is_test_path(path):
            continue
        if path == source.path and (indexed.name == foreign.name or _overlaps(foreign, indexed)):
            continue  # the foreign function itself, as the file on disk has it
        if indexed.name.startswith("__"):
            continue  # a protocol function (a module's __getattr__), not a helper to reuse
        helper = _signature_at(root / path, indexed.name, indexed.start_line)
        if helper is None:  # not a plain function returning a value (or gone)
            continue
        if helper.arity != wanted.arity or helper.module_names != wanted.module_names:
            continue
        if wanted.vocabulary and not helper.vocabulary & wanted.vocabulary:
            continue  # no method, call or string in common: another job
        found.append(_Candidate(indexed, root / path, helper))
    found.sort(
        key=lambda c: (
            -len(c.signature.vocabulary & wanted.vocabulary),
            c.indexed.path,
            c.indexed.start_line,
        )
    )
    return found


def _overlaps(foreign: ForeignFunction, indexed: IndexedFunction) -> bool:
    function = foreign.target.function
    first, last = function.lineno - 1, (function.end_lineno or function.lineno) - 1
    return indexed.start_line <= last and first <= indexed.end_line


def _comparable(function: ast.AST) -> bool:
    """A plain function returning a value, all of whose required parameters are positional."""
    if not isinstance(function, ast.FunctionDef):
        return False
    arguments = function.args
    if arguments.vararg or arguments.kwarg:
        return False
    if any(default is None for default in arguments.kw_defaults):
        return False  # a required keyword-only parameter: named differently on each side
    returns = False
    for node in _own_nodes(function):
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
            return False
        if isinstance(node, ast.Return) and node.value is not None:
            returns = True
    return returns


def _required_positional(function: ast.FunctionDef) -> int:
    arguments = function.args
    return len(arguments.posonlyargs) + len(arguments.args) - len(arguments.defaults)


def module_names_read(function: ast.FunctionDef) -> frozenset[str]:
    """The names a function reads from its module (imports, constants, other functions):
    read and never bound in it, and not built in."""
    bound = {a.arg for a in ast.walk(function) if isinstance(a, ast.arg)}  # lambdas' too
    read: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node is not function:
                bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return frozenset(read - bound - BUILTIN_NAMES)


def _vocabulary(function: ast.FunctionDef) -> frozenset[str]:
    """Attributes, called names and string literals: what two versions of a helper share
    even when their structure differs (`lower`, `"-"`)."""
    words: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.add(repr(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            words.add(node.func.id)
    return frozenset(words)


def _own_nodes(function: ast.FunctionDef) -> Iterator[ast.AST]:
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _signature(function: ast.FunctionDef) -> Signature:
    first = min([function.lineno, *(d.lineno for d in function.decorator_list)]) - 1
    return Signature(
        function.name,
        first,
        function.lineno - 1,
        (function.end_lineno or function.lineno) - 1,
        _required_positional(function),
        module_names_read(function),
        _vocabulary(function),
    )


def _signature_at(path: Path, name: str, start_line: int) -> Signature | None:
    """The signature of the comparable top-level function `name` defined from 0-based
    `start_line` on, in the file as it is now."""
    try:
        stat = path.stat()
    except OSError:
        return None
    for signature in _signatures(str(path), stat.st_mtime_ns, stat.st_size):
        if signature.name == name and start_line in (signature.first_line, signature.line):
            return signature
    return None


@lru_cache(maxsize=4096)
def _signatures(path: str, mtime_ns: int, size: int) -> tuple[Signature, ...]:
    """The comparable top-level functions of a repository file, read once while unchanged."""
    try:
        module = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    return tuple(
        _signature(node)
        for node in module.body
        if isinstance(node, ast.FunctionDef) and _comparable(node)
    )


# -- running --------------------------------------------------------------------------------


def _first_clone(
    foreign: ForeignFunction, candidates: list[_Candidate], sandbox: Sandbox, deadline: float
) -> BehaviourClone | None:
    """The first of `candidates` behaving like `foreign` on every input: at most MAX_PAIRS
    of them, those whose parameters the planner reads as the same kinds (str, list of ints)
    first. Each side's planned inputs run on both: a helper annotated `opt: str` gets
    strings even where the foreign function's use of its parameter looked like a list's."""
    kinds = [p.kind for p in foreign.target.required]
    planned: list[tuple[_Candidate, Target, Plan]] = []
    for candidate in candidates[: 2 * MAX_PAIRS]:
        if time.monotonic() > deadline:
            break
        found = _helper_target(candidate)
        if found is not None:
            planned.append((candidate, *found))
    planned.sort(key=lambda pair: [p.kind for p in pair[1].required] != kinds)
    pairs = planned[:MAX_PAIRS]
    if not pairs:
        return None
    inputs = _inputs(foreign.target, [target for _, target, _ in pairs])
    foreign_runs = _run(sandbox, foreign.plan, foreign.target, inputs)
    if foreign_runs is None:
        return None
    for candidate, target, plan in pairs:
        if time.monotonic() > deadline:
            return None
        helper_runs = _run(sandbox, plan, target, inputs)
        if helper_runs is None:
            continue
        same = agreement(inputs, foreign.target, target, foreign_runs, helper_runs)
        if same is not None:
            ran, results = same
            return BehaviourClone(candidate.indexed, ran, results)
    return None


def _helper_target(candidate: _Candidate) -> tuple[Target, Plan] | None:
    """The planner's target and plan for a repository function: its file, the region being
    the function, so the definitions sent are what it needs of its module."""
    signature = candidate.signature
    try:
        stat = candidate.file.stat()
    except OSError:
        return None
    return _planned(
        str(candidate.file),
        stat.st_mtime_ns,
        stat.st_size,
        candidate.indexed.name,
        signature.first_line,
        signature.last_line,
    )


@lru_cache(maxsize=64)
def _planned(
    path: str, mtime_ns: int, size: int, name: str, first: int, last: int
) -> tuple[Target, Plan] | None:
    """`_helper_target`, once per function while its file is unchanged (a check of many
    foreign functions meets the same helpers again)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    spec = language_for(path)
    if spec is None:
        return None
    lines = data.splitlines(keepends=True)
    start_byte = sum(len(line) for line in lines[:first])
    end_byte = start_byte + sum(len(line) for line in lines[first : last + 1])
    code = _code(data, spec.parser().parse(data), start_byte, end_byte, first + 1, Path(path))
    plan = build_plan(code)
    if plan is None:
        return None
    for target in plan.targets:
        if target.name == name and target.form == "function":
            return target, plan
    return None


def _code(
    data: bytes,
    tree: tree_sitter.Tree,
    start_byte: int,
    end_byte: int,
    first_line: int,
    path: Path | None,
) -> CodeUnderQuiz:
    return CodeUnderQuiz(
        language="python",
        source=data,
        tree=tree,
        start_byte=start_byte,
        end_byte=end_byte,
        first_line=first_line,
        rng=random.Random(0),
        path=str(path) if path is not None else None,
    )


def _disk_path(root: Path, path: str) -> Path | None:
    """The file on disk (for the package's sibling modules), when it is a Python file."""
    if not path.endswith(".py"):
        return None
    candidate = root / path
    return candidate if candidate.is_file() else None


# an input, and the parameter kinds of the side that planned it
Input = tuple[tuple[object, ...], tuple[str | None, ...]]


def _inputs(foreign: Target, helpers: list[Target]) -> list[Input]:
    """The planner's candidate inputs of both sides (each side's literals and boundaries),
    taken in turn from each side so that both sides' kinds are tried."""
    planned = [
        [(values, _kinds(target)) for values in candidate_inputs(target)]
        for target in [foreign, *helpers]
    ]
    found: list[Input] = []
    for turn in itertools.zip_longest(*planned):
        for item in turn:
            if item is not None and not any(_same_values(item[0], seen) for seen, _ in found):
                found.append(item)
    return found[:MAX_INPUTS]


def _kinds(target: Target) -> tuple[str | None, ...]:
    return tuple(parameter.kind for parameter in target.required)


def _same_values(first: tuple[object, ...], second: tuple[object, ...]) -> bool:
    return len(first) == len(second) and all(
        type(a) is type(b) and a == b for a, b in zip(first, second, strict=True)
    )


def _run(sandbox: Sandbox, plan: Plan, target: Target, inputs: list[Input]) -> list[Outcome] | None:
    definitions = plan.definitions
    if plan.extra_definitions:
        definitions += "\n\n" + "\n\n".join(plan.extra_definitions) + "\n"
    if not check_code(definitions):
        return None
    try:
        return sandbox.run(definitions, [target.call(values) for values, _ in inputs])
    except OSError:  # no process or no temporary folder to be had
        return None


def agreement(
    inputs: list[Input],
    foreign: Target,
    existing: Target,
    foreign_runs: list[Outcome],
    existing_runs: list[Outcome],
) -> tuple[int, tuple[SameResult, ...]] | None:
    """(inputs both ran, the equal returned values) when the two agree on every input both
    ran - returned equal values or raised the same exception - with enough different values
    returned to show behaviour; None at the first difference, or with too little evidence.
    Inputs one side could not run (a timeout, an unstable result) prove nothing either way,
    nor does an input of a kind a side was not planned for that it refuses (TypeError,
    AttributeError): `[]` for a function of strings."""
    ran = 0
    same: list[SameResult] = []
    paths: list[tuple[tuple[int, ...], tuple[int, ...]]] = []  # the lines each side ran
    for (values, planned_for), mine, theirs in zip(
        inputs, foreign_runs, existing_runs, strict=True
    ):
        if mine.kind not in ("value", "raised") or theirs.kind not in ("value", "raised"):
            continue
        mine_refused = mine.exception in WRONG_TYPE_ERRORS
        theirs_refused = theirs.exception in WRONG_TYPE_ERRORS
        if mine_refused and theirs_refused:
            continue
        if (mine_refused and planned_for != _kinds(foreign)) or (
            theirs_refused and planned_for != _kinds(existing)
        ):
            continue
        if mine.kind != theirs.kind or mine.value != theirs.value:
            return None
        if mine.raised and mine.exception != theirs.exception:
            return None
        ran += 1
        if mine.returned and mine.value is not None:
            same.append(SameResult(foreign.shown(values), existing.shown(values), mine.value))
            paths.append((mine.lines, theirs.lines))
    distinct = {result.result for result in same} - {"None"}
    if len(same) < MIN_AGREEING or len(distinct) < MIN_DISTINCT:
        return None
    # the calls shown: one per path the two took (as the quiz's test writer picks them),
    # then other results; each result once
    order = sorted(range(len(same)), key=lambda i: (paths.index(paths[i]) != i, i))
    shown: list[SameResult] = []
    for result in (same[i] for i in order):
        if all(result.result != other.result for other in shown):
            shown.append(result)
    return ran, tuple(shown[:SHOWN_CALLS])
