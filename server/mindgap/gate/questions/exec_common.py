"""What the execution-based question types share: which functions of a region can be run,
with which inputs, and one sandboxed batch for all of them.

A region's runs happen once, in one batch (two processes at once, see gate/sandbox.py), for
every exec question type at the same time: each type registers a planner that adds the calls
(and instrumented copies of functions) it will need; the first exec generator asked about the
region runs the batch, the others read its outcomes from `code.notes`.

Functions qualify when they are defined at the top level of the file, overlap the region, are
plain (not async, not generators) and every required parameter can be fed a simple value
(int, float, str, bool, a list of ints or of strings, a dict) whose type is known from the
annotation, the default, the way the body uses it or, last, the parameter's name. The
definitions sent to the sandbox are the file itself with everything blanked out except the
targets and the top-level imports, constants, functions and classes they need (each of which
must pass the static check): line numbers in outcomes are the file's.
"""

from __future__ import annotations

import abc
import ast
import copy
import functools
import logging
import os
import random
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import tree_sitter

from mindgap.gate.questions import exec_stand_ins as stand_ins
from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_stand_ins import (
    OPAQUE,
    STAND_IN,
    UNAVAILABLE,
    UNAVAILABLE_CLASS,
    opaque_value,
)
from mindgap.gate.sandbox import Outcome, check_code
from mindgap.textfiles import read_text_file

AnyFunction = ast.FunctionDef | ast.AsyncFunctionDef

log = logging.getLogger("mindgap.gate.quiz")  # where the quiz logs generators' failures

NOTES_KEY = "exec.runs"
MAX_TARGETS = 8
MAX_CALLS = 128
MAX_REQUIRED_PARAMETERS = 4
SHOWN_CHARS = 60  # longer values make poor choices

PAIRS = "list[tuple[str, int]]"  # (name, number) records, as carts and tallies hold them
# kinds of simple values
INT, FLOAT, STR, BOOL, LIST_INT, LIST_STR, DICT = (
    "int",
    "float",
    "str",
    "bool",
    "list[int]",
    "list[str]",
    "dict",
)

STR_METHODS = frozenset(
    {
        *("lower", "upper", "split", "rsplit", "strip", "lstrip", "rstrip", "startswith"),
        *("endswith", "replace", "isdigit", "isalpha", "isalnum", "isspace", "isupper"),
        *("islower", "title", "capitalize", "casefold", "find", "rfind", "encode"),
        *("splitlines", "partition", "rpartition", "zfill", "center", "ljust", "rjust"),
        *("swapcase", "removeprefix", "removesuffix"),
    }
)
LIST_METHODS = frozenset(
    {"append", "extend", "pop", "sort", "insert", "remove", "reverse", "clear", "copy"}
)
DICT_METHODS = frozenset({"items", "keys", "values", "get", "setdefault", "update"})
VALUE_METHODS = STR_METHODS | LIST_METHODS | DICT_METHODS
SEQUENCE_FUNCTIONS = frozenset({"sum", "max", "min", "sorted", "set", "enumerate", "reversed"})

NAME_KINDS = {
    INT: {
        "n",
        "i",
        "j",
        "k",
        "m",
        "x",
        "y",
        "a",
        "b",
        "count",
        "num",
        "number",
        "size",
        "limit",
        "times",
        "width",
        "height",
        "depth",
        "index",
        "idx",
        "start",
        "stop",
        "end",
        "step",
        "amount",
        "total",
        "year",
        "month",
        "day",
        "age",
        "level",
        "steps",
        "length",
        "base",
        "exponent",
        "power",
        "value",
        "target",
        "threshold",
        "low",
        "high",
        "lo",
        "hi",
    },
    STR: {
        "s",
        "text",
        "string",
        "word",
        "name",
        "line",
        "prefix",
        "suffix",
        "sep",
        "char",
        "c",
        "ch",
        "sentence",
        "message",
        "msg",
        "title",
        "label",
        "pattern",
        "token",
        "letter",
        "phrase",
        "query",
        "key",
        "delimiter",
        "separator",
        "code",
        "slug",
        "email",
    },
    LIST_INT: {
        "xs",
        "items",
        "nums",
        "numbers",
        "values",
        "lst",
        "arr",
        "array",
        "data",
        "seq",
        "elements",
        "scores",
        "ints",
        "sequence",
        "prices",
        "costs",
        "counts",
        "ns",
        "vals",
        "list_",
        "l",
        "iterable",
        "collection",
    },
    LIST_STR: {"words", "names", "strings", "lines", "tokens", "labels", "keys", "parts"},
    DICT: {"d", "mapping", "table", "dct", "dict_", "counter", "config", "options", "record"},
}

ANNOTATION_KINDS = {
    "int": INT,
    "float": FLOAT,
    "str": STR,
    "bool": BOOL,
    "list": LIST_INT,
    "List": LIST_INT,
    "dict": DICT,
    "Dict": DICT,
    "Mapping": DICT,
    "Sequence": LIST_INT,
    "Iterable": LIST_INT,
    "Collection": LIST_INT,
    "tuple": LIST_INT,
}


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str | None  # None: not a simple value this module can feed
    required: bool
    keyword_only: bool = False
    peer: str | None = None  # the list parameter whose items it is compared with
    attribute: bool = False  # a value a stand-in object gives (exec_stand_ins)
    none_checked: bool = False  # the code compares it with None: None is an input to try
    holder: str = ""  # an attribute's: the object that gives it ("self", a parameter)
    member: str = ""  # an attribute's: the attribute or method name on its holder
    called: bool = False  # an attribute's: the result of calling the method `member`

    def given(self, value: object) -> str:
        """How the prompt states a stand-in's value: `self.width = 3`, or
        `ctx.lookup_default(…)` returning `None`; an opaque object as what it is."""
        if self.kind == OPAQUE:
            if self.called:
                return f"`{self.holder}.{self.member}(…)` returning an object it only passes on"
            return f"`{self.name}` an object it only passes on"
        if self.called:
            return f"`{self.holder}.{self.member}(…)` returning `{value!r}`"
        return f"`{self.name} = {value!r}`"


@dataclass
class Target:
    """A function of the region that the sandbox can call."""

    name: str
    function: AnyFunction  # line numbers are the file's
    parameters: list[Parameter]
    int_literals: list[int]
    str_literals: list[str]
    start_byte: int
    end_byte: int
    form: str = "function"  # "function", "async", "generator" or "method"
    owner: str = ""  # a method's class
    receiver: str = "self"  # a method's first parameter: "self", "cls", "" (a static method)
    defined_as: str = ""  # the name it is defined under in the sandbox (methods: renamed)
    method_rows: dict[int, str] = field(default_factory=dict)  # a method, dedented, by row
    method_uses: set[str] = field(default_factory=set)
    silent: dict[str, list[str]] = field(default_factory=dict)  # holder -> methods doing nothing
    stored: list[str] = field(default_factory=list)  # a method's: attributes it sets on self
    accessor: bool = False  # a `@property`: read as `self.name`, not called

    @property
    def line(self) -> int:
        return self.function.lineno

    @property
    def required(self) -> list[Parameter]:
        """What takes a value in a call: plain parameters and what stand-ins give (not the
        stand-ins themselves, nor opaque objects: each is one object, not a value to vary)."""
        return [p for p in self.parameters if p.required and p.kind not in (STAND_IN, OPAQUE)]

    @property
    def holders(self) -> list[str]:
        """The objects given by stand-ins: `self` of a method, parameters used as objects,
        and members of those used as objects (`self.options`)."""
        found = [self.receiver] if self.owner and self.receiver else []
        found += [
            f"{p.holder}.{p.member}" if p.attribute else p.name
            for p in self.parameters
            if p.required and p.kind == STAND_IN
        ]
        return found

    def members(self, holder: str) -> list[Parameter]:
        """A stand-in's members in its constructor's order: attributes, then results."""
        mine = [p for p in self.parameters if p.attribute and p.holder == holder]
        return [p for p in mine if not p.called] + [p for p in mine if p.called]

    @property
    def given_objects(self) -> bool:
        """Whether calls get objects (stand-ins, opaque objects) that the prompt states."""
        return bool(self.holders) or any(p.kind == OPAQUE for p in self.parameters)

    def stand_in_classes(self) -> list[str]:
        """The stand-in classes this target's calls construct (exec_stand_ins)."""
        found = []
        for holder in self.holders:
            members = self.members(holder)
            read = [p.member for p in members if not p.called]
            # what `self` holds after the call, as reprs: values, not objects
            values = [p.member for p in members if not p.called and p.kind in POOLS]
            state = (
                [*values, *(a for a in self.stored if a not in read)] if holder == "self" else []
            )
            found.append(
                stand_ins.class_source(
                    stand_ins.class_name(self.key, holder),
                    read,
                    [p.member for p in members if p.called],
                    self.silent.get(holder, []),
                    state,
                    holder,
                )
            )
        return found

    @property
    def key(self) -> str:
        """Unique among a region's targets (a method's name may be a function's too)."""
        return f"{self.owner}.{self.name}" if self.owner else self.name

    def call(
        self,
        values: tuple[object, ...],
        name: str | None = None,
        after: bool = False,
        passed: bool = False,
    ) -> str:
        """The call's text as the sandbox runs it, e.g. `total([3, 1])`; keyword-only
        parameters by keyword; `self` of a method and parameters used as objects get
        stand-ins constructed with the values they give; a generator's first three values
        are collected into a list. `after`: the call gives the repr of each attribute of a
        method's `self` after it ran (exec_state_after); `passed`: what the stand-ins'
        methods that do nothing were passed, in order (exec_passes)."""
        given = {p.name: repr(v) for p, v in zip(self.required, values, strict=False)}

        def member(parameter: Parameter) -> str:
            if parameter.kind == STAND_IN:
                return stand_in(f"{parameter.holder}.{parameter.member}")
            if parameter.kind == OPAQUE:
                return opaque_value(parameter.name)
            return given.get(parameter.name, "None")

        def stand_in(holder: str) -> str:
            members = ", ".join(member(p) for p in self.members(holder))
            return f"{stand_ins.class_name(self.key, holder)}({members})"

        parts = []
        for parameter in self.parameters:
            if not parameter.required or parameter.attribute:
                continue
            shown = stand_in(parameter.name) if parameter.kind == STAND_IN else member(parameter)
            parts.append(f"{parameter.name}={shown}" if parameter.keyword_only else shown)
        if self.owner and self.receiver:
            parts.insert(0, stand_in(self.receiver))
        function = name or self.defined_as or self.name
        if after:  # what `self` holds once the method has run
            return f"mindgap_after({function}, {', '.join(parts)})"
        text = f"{function}({', '.join(parts)})"
        if passed:
            return f"mindgap_passed({text})"
        if self.form == "generator":
            text = f"mindgap_first3({text})"
        return text

    def shown(self, values: tuple[object, ...]) -> str:
        """The call as a question shows it: `self.render('a')`, `rows([1, 2], 3)`."""
        given = {p.name: repr(v) for p, v in zip(self.required, values, strict=False)}
        parts = []
        for parameter in self.parameters:
            if not parameter.required or parameter.attribute:
                continue
            shown = (
                parameter.name if parameter.kind in (STAND_IN, OPAQUE) else given[parameter.name]
            )
            parts.append(f"{parameter.name}={shown}" if parameter.keyword_only else shown)
        prefix = ""
        if self.owner:  # `self.render(...)`; a class or static method through its class
            prefix = "self." if self.receiver == "self" else f"{self.owner}."
        if self.accessor:
            return f"{prefix}{self.name}"
        return f"{prefix}{self.name}({', '.join(parts)})"

    def setting(self, values: tuple[object, ...]) -> str:
        """Everything the stand-ins give for this call (a method's `self`, objects passed
        in), for the prompt: "With `self.width = 3` and `ctx.get(…)` returning `'x'`, "
        ("" when nothing is given)."""
        held = [p.given(v) for p, v in zip(self.required, values, strict=False) if p.attribute]
        held += [p.given(None) for p in self.parameters if p.required and p.kind == OPAQUE]
        held += [
            f"`{holder}.{method}(…)` doing nothing"
            for holder, methods in self.silent.items()
            for method in methods
        ]
        if not held:
            return ""
        listed = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
        return f"With {listed}, "

    def ask(self, values: tuple[object, ...], what: str = "return") -> str:
        """ "What does `f(x)` return?", in the form's own words."""
        call = self.shown(values)
        if self.form == "generator":
            body = f"what are the first three values `{call}` yields (as a list)?"
        elif self.form == "async":
            body = f"what does `await {call}` give?"
        elif self.accessor and what == "return":
            body = f"what is `{call}`?"
        else:
            body = f"what does `{call}` {what}?"
        return self.posed(values, body)

    def posed(self, values: tuple[object, ...], question: str) -> str:
        """The question as asked about this call: after what the stand-ins give ("With
        `self.width = 3`, what ..."), else on its own, capitalised."""
        setting = self.setting(values)
        if setting:
            return setting + question[0].lower() + question[1:]
        return question[0].upper() + question[1:]

    @functools.cached_property
    def own_nodes(self) -> list[ast.AST]:
        """The function's nodes without those of nested functions, lambdas and classes."""
        return list(own_nodes(self.function))

    @property
    def recursive(self) -> bool:
        return any(
            isinstance(node, ast.Name) and node.id == self.name for node in ast.walk(self.function)
        )


@dataclass
class Plan:
    """The calls (and extra definitions) of one region's batch, before it runs."""

    code: CodeUnderQuiz
    targets: list[Target]  # plain functions: what every exec question type can ask about
    definitions: str
    extra_definitions: list[str] = field(default_factory=list)
    calls: dict[str, str] = field(default_factory=dict)  # call -> its function: ordered
    inputs: dict[str, list[tuple[object, ...]]] = field(default_factory=dict)
    # methods, async functions and generators: asked about by the types that show calls
    # through Target.shown (predict, which-input, mutation)
    more_targets: list[Target] = field(default_factory=list)
    candidates: dict[str, list[tuple[object, ...]]] = field(default_factory=dict)

    @property
    def all_targets(self) -> list[Target]:
        return [*self.targets, *self.more_targets]

    def add_call(self, call: str, target: Target) -> None:
        """One more call for the batch; once a call of `target` times out, its others are
        not run (an endless loop costs one timeout, not one per question type)."""
        if len(self.calls) < MAX_CALLS:
            self.calls.setdefault(call, target.name)

    def add_definition(self, text: str) -> None:
        self.extra_definitions.append(text)


@dataclass
class RegionRuns:
    """The outcomes of one region's batch."""

    plan: Plan
    outcomes: dict[str, Outcome]

    @property
    def targets(self) -> list[Target]:
        """The functions that ran as guessed: the others' parameter types were wrong."""
        return [t for t in self.plan.targets if self.plausible(t)]

    @property
    def all_targets(self) -> list[Target]:
        """Plain functions, methods, async functions and generators that ran as guessed."""
        return [t for t in self.plan.all_targets if self.plausible(t)]

    def inputs(self, target: Target) -> list[tuple[object, ...]]:
        return self.plan.inputs.get(target.key, [])

    def paths(self, target: Target) -> list[tuple[tuple[object, ...], str, Outcome]]:
        """The test writer's pick among the candidate inputs: one input per distinct path
        (the lines a call executed, where the sandbox measures them, and where it ended:
        the line it returned or raised from, the exception), in the candidates' order; then
        inputs with results not seen yet. Calls of the wrong kind of value are left out."""
        picked: list[tuple[tuple[object, ...], str, Outcome]] = []
        seen_paths: set[object] = set()
        seen_results: set[str] = set()
        rest = []
        for values, call, outcome in self.tried(target):
            if outcome.kind not in ("value", "raised"):
                continue
            if outcome.raised and not meaningful_raise(outcome):
                continue
            path = (
                tuple(getattr(outcome, "lines", ()) or ()),
                outcome.kind,
                outcome.exception,
                outcome.line,
            )
            result = outcome.describe()
            if path not in seen_paths:
                seen_paths.add(path)
                seen_results.add(result)
                picked.append((values, call, outcome))
            else:
                rest.append((values, call, outcome))
        for values, call, outcome in rest:
            if outcome.describe() not in seen_results:
                seen_results.add(outcome.describe())
                picked.append((values, call, outcome))
        first = (self.plan.candidates.get(target.key) or [()])[0]

        def dullness(item: tuple[tuple[object, ...], str, Outcome]) -> tuple[int, int, int, int]:
            values, _, outcome = item
            return (
                -len(getattr(outcome, "lines", ()) or ()),
                int(outcome.value == "None"),
                int(has_empty(values)),
                int(values == first),  # the usual values: a test writer's look-for values first
            )

        return sorted(picked, key=dullness)

    def outcome(self, call: str) -> Outcome | None:
        return self.outcomes.get(call)

    def results(self, target: Target) -> list[tuple[tuple[object, ...], str, Outcome]]:
        """(input, call text, outcome) for the target's base inputs that ran."""
        return self._ran(target, self.inputs(target))

    def tried(self, target: Target) -> list[tuple[tuple[object, ...], str, Outcome]]:
        """(input, call text, outcome) for the target's candidate inputs (the test writer's)
        that ran, in the candidates' order."""
        return self._ran(target, self.plan.candidates.get(target.key, []))

    def _ran(
        self, target: Target, inputs: list[tuple[object, ...]]
    ) -> list[tuple[tuple[object, ...], str, Outcome]]:
        found = []
        for values in inputs:
            call = target.call(values)
            outcome = self.outcomes.get(call)
            if outcome is not None:
                found.append((values, call, outcome))
        return found

    def plausible(self, target: Target) -> bool:
        """Whether the guessed parameter types fit: some input with no empty value returned
        normally (an empty list fits a function that wants a list of anything), and none
        raised the errors of a value of the wrong type."""
        results = self.results(target)
        if any(o.exception in WRONG_TYPE_ERRORS for _, _, o in results[:1]):
            return False
        if (
            target.form == "function"
            and not target.given_objects
            and any(o.exception in WRONG_TYPE_ERRORS for _, _, o in results)
        ):
            return False
        # an object viewed by the sandbox (its repr holds an address) was returned too
        return any((o.returned or o.view) and not has_empty(v) for v, _, o in results)


Planner = Callable[[Plan], None]
PLANNERS: dict[str, Planner] = {}


def register_planner(question_type: str, planner: Planner) -> None:
    """Each exec question type adds its calls to the region's one batch through this."""
    PLANNERS[question_type] = planner


def region_runs(code: CodeUnderQuiz) -> RegionRuns | None:
    """The region's batch, run on first use and shared through `code.notes`; None when
    nothing can be run (not Python, no sandbox, no callable function)."""
    if code.language != "python" or code.sandbox is None:
        return None
    if NOTES_KEY in code.notes:
        cached = code.notes[NOTES_KEY]
        return cached if isinstance(cached, RegionRuns) else None
    runs = _run(code)
    code.notes[NOTES_KEY] = runs
    return runs


GENERATOR_HELPER = """\
import itertools as mindgap_itertools


def mindgap_first3(values):
    return list(mindgap_itertools.islice(values, 3))
"""


def _run(code: CodeUnderQuiz) -> RegionRuns | None:
    assert code.sandbox is not None
    plan = build_plan(code)
    if plan is None:
        return None
    for target in plan.all_targets:
        for values in plan.inputs[target.key]:
            plan.add_call(target.call(values), target)
    for target in plan.all_targets:
        for values in plan.candidates[target.key]:
            plan.add_call(target.call(values), target)
    if any(t.form == "generator" for t in plan.all_targets):
        plan.add_definition(GENERATOR_HELPER)
    classes = [c for target in plan.all_targets for c in target.stand_in_classes()]
    if any(target.given_objects for target in plan.all_targets):
        plan.add_definition(stand_ins.HELPER)
    for source in classes:
        plan.add_definition(source)
    for question_type, planner in list(PLANNERS.items()):
        try:
            planner(plan)
        except Exception:  # one broken planner must not cost the region's other questions
            log.exception("planner of %s failed", question_type)
    definitions = plan.definitions
    if plan.extra_definitions:
        definitions += "\n\n" + "\n\n".join(plan.extra_definitions) + "\n"
    if not check_code(definitions):
        return None
    calls = list(plan.calls)
    try:
        outcomes = code.sandbox.run(definitions, calls, groups=list(plan.calls.values()))
    except OSError:  # no process or no temporary folder to be had: no exec questions
        return None
    return RegionRuns(plan, dict(zip(calls, outcomes, strict=True)))


def _names_in(function: AnyFunction) -> set[str]:
    return {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}


def build_plan(code: CodeUnderQuiz) -> Plan | None:
    statements = _top_level(code)
    bound: dict[str, int] = {}
    for statement in statements:
        for name in statement.defines:
            bound[name] = bound.get(name, 0) + 1
    found = [t for t in (_target(code, s) for s in statements) if t is not None]
    # a name bound twice at the top level: which definition a call reaches is for the file's
    # order to say, and a question about "the function on line N" could be about the other
    found = [t for t in found if bound.get(t.name) == 1]
    # functions given objects through stand-ins are asked about only by the types whose
    # prompts state what the stand-ins give (Target.ask / setting)
    targets = [t for t in found if t.form == "function" and not t.given_objects][:MAX_TARGETS]
    more = [t for t in found if t.form != "function" or t.given_objects]
    more += [m for s in statements for m in _methods(code, s)]
    more = more[: max(0, MAX_TARGETS - len(targets))]
    if not targets and not more:
        return None
    # a class whose methods run as targets is not defined (their rows are its rows): a
    # target that uses the class itself (constructs it, a method returning `Label(...)`)
    # needs it whole, so its methods are not run as targets then
    used = set().union(*(_names_in(t.function) for t in [*targets, *more]))
    more = [t for t in more if not t.owner or t.owner not in used]
    if not targets and not more:
        return None
    owners = {t.owner for t in more if t.owner}
    definitions = _definitions(code, statements, [*targets, *more], owners)
    if definitions is None:
        return None
    needed = set().union(*(_names_in(t.function) for t in [*targets, *more]))
    imported, cut_off = sibling_definitions(code, statements, needed, [*targets, *more])
    targets = [t for t in targets if t.key not in cut_off]
    more = [t for t in more if t.key not in cut_off]
    if not targets and not more:
        return None
    plan = Plan(code, targets, definitions, more_targets=more)
    if imported and check_code(imported):
        plan.add_definition(imported)
    _add_callee_literals(plan.all_targets, [definitions, *plan.extra_definitions])
    for target in plan.all_targets:
        plan.inputs[target.key] = base_inputs(target)
        plan.candidates[target.key] = candidate_inputs(target, code.attempt)
    return plan


def _add_callee_literals(targets: list[Target], sources: list[str]) -> None:
    """A test writer reads what a function hands its input to: the string literals of the
    functions it calls that run with it (its file's, or brought from its package) join its
    own. flask's `Request.blueprints` passes its name to `_split_blueprint_path`, which
    splits on "." - so dotted names are tried, not only names that skip the split."""
    called = {
        node.func.id
        for target in targets
        for node in ast.walk(target.function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    # parse only sources that define a called function (a brought file can be long)
    wanted = [text for text in sources if any(f"def {name}(" in text for name in called)]
    callees: dict[str, AnyFunction] = {}
    for text in wanted:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in called:
                callees.setdefault(node.name, node)
    if not callees:
        return
    for target in targets:
        for call in ast.walk(target.function):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                continue
            callee = callees.get(call.func.id)
            if callee is None or callee.name == target.name:
                continue
            strings = _literals(callee)[1]
            target.str_literals += [s for s in strings if s not in target.str_literals]


# -- the file's top level ---------------------------------------------------------------


class _Statement:
    """One top-level statement of the file; parsed (with `ast`) only when it is needed."""

    def __init__(self, code: CodeUnderQuiz, node: tree_sitter.Node) -> None:
        self.kind = node.type
        self.text = code.node_text(node)
        self.start_byte = node.start_byte
        self.end_byte = node.end_byte
        self.first_row = node.start_point.row  # 0-based
        self.last_row = node.end_point.row
        self.defines = _defined_names(code, node)
        self.walled_off = False  # a brought class whose refused methods raise UNAVAILABLE

    @functools.cached_property
    def tree(self) -> ast.Module | None:
        """None when it does not parse on its own. Line numbers are the file's."""
        try:
            tree = ast.parse(self.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        ast.increment_lineno(tree, self.first_row)
        return tree

    @functools.cached_property
    def uses(self) -> set[str]:
        tree = self.tree
        return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} if tree else set()

    @functools.cached_property
    def runnable(self) -> bool:
        return (
            self.tree is not None
            and bool(check_code(self.text))
            and not names_sandbox_internals(self.text, self.walled_off)
        )

    @functools.cached_property
    def without_refused_methods(self) -> _Statement | None:
        """A class the static check refuses only for some of its methods, with each of
        those raising UNAVAILABLE instead (its other methods can still run); None when that
        does not make it pass, or it is no class."""
        if self.kind not in {"class_definition", "decorated_definition"} or self.runnable:
            return None
        return _with_methods_walled_off(self, None)


_KEPT = {
    "import_statement",
    "import_from_statement",
    "future_import_statement",
    "function_definition",
    "decorated_definition",
    "class_definition",
    "expression_statement",
}


def names_sandbox_internals(text: str, walled_off: bool = False) -> bool:
    """Whether foreign code names what the sandbox's own definitions hold (`mindgap_...`:
    the list that marks a call as no key, stand-in classes, opaque objects): code that could
    clear the mark or tell a stand-in apart is not run. A class whose refused methods raise
    UNAVAILABLE names it only there."""
    allowed = text.count(f"raise {UNAVAILABLE}") if walled_off else 0
    return text.count("mindgap_") > allowed


def _top_level(code: CodeUnderQuiz) -> list[_Statement]:
    found = []
    for node in code.tree.root_node.named_children:
        if node.type not in _KEPT:
            continue
        if node.type == "expression_statement" and not any(
            child.type == "assignment" for child in node.named_children
        ):
            continue
        found.append(_Statement(code, node))
    return found


def _defined_names(code: CodeUnderQuiz, node: tree_sitter.Node) -> set[str]:
    """The names a top-level statement binds, read from the syntax tree (no parsing)."""
    if node.type == "decorated_definition":
        definition = node.child_by_field_name("definition")
        return _defined_names(code, definition) if definition is not None else set()
    if node.type in {"function_definition", "class_definition"}:
        name = node.child_by_field_name("name")
        return {code.node_text(name)} if name is not None else set()
    names: set[str] = set()
    if node.type in {"import_statement", "import_from_statement"}:
        imported = node.children_by_field_name("name")
        for item in imported:
            if item.type == "aliased_import":
                alias = item.child_by_field_name("alias")
                if alias is not None:
                    names.add(code.node_text(alias))
            elif node.type == "import_statement":
                names.add(code.node_text(item).split(".")[0])
            else:
                names.add(code.node_text(item).split(".")[-1])
    elif node.type == "expression_statement":
        for assignment in node.named_children:
            left = assignment.child_by_field_name("left")
            if assignment.type != "assignment" or left is None:
                continue
            stack = [left]
            while stack:
                part = stack.pop()
                if part.type == "identifier":
                    names.add(code.node_text(part))
                elif part.type in {"pattern_list", "tuple_pattern", "list_pattern"}:
                    stack.extend(part.named_children)
    return names


def _definitions(
    code: CodeUnderQuiz,
    statements: list[_Statement],
    targets: list[Target],
    owners: set[str] | None = None,
) -> str | None:
    """The file with only what the targets need left in place (so lines keep their numbers).
    A method is defined at the top level in its own rows, dedented and renamed; its class
    (`owners`) is left out, whose rows those are."""
    owners = owners or set()
    by_name: dict[str, list[_Statement]] = {}
    for statement in statements:
        for name in statement.defines:
            if name not in owners:
                by_name.setdefault(name, []).append(statement)
    target_starts = {t.start_byte for t in targets if not t.method_rows}
    chosen = [s for s in statements if s.start_byte in target_starts]
    chosen += [s for s in statements if s.kind == "future_import_statement" and s.runnable]
    pending = set().union(*(s.uses for s in chosen), *(t.method_uses for t in targets))
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for statement in by_name.get(name, []):
            if statement in chosen or not statement.runnable:
                continue
            chosen.append(statement)
            pending |= statement.uses
    rows: dict[int, str] = {}
    lines = code.source.decode("utf-8", errors="replace").splitlines()
    for statement in chosen:
        for row in range(statement.first_row, statement.last_row + 1):
            if row < len(lines):
                rows[row] = lines[row]
    for target in targets:
        rows.update(target.method_rows)
    if not rows:
        return None
    last = max(rows)
    return "\n".join(rows.get(row, "") for row in range(last + 1)) + "\n"


# -- the package's own names, brought along ---------------------------------------------

MAX_BROUGHT_CHARS = 120_000  # what one region brings from its package (run before each call)


def sibling_definitions(
    code: CodeUnderQuiz,
    statements: list[_Statement],
    needed: set[str],
    targets: list[Target] | None = None,
) -> tuple[str, set[str]]:
    """The definitions of names the targets import from their own package (`from ._compat
    import strip_ansi`, `from .style import Style`, `from rich.text import Text`, and in a
    function's body `from .emoji import EMOJI`): such an import cannot run in the sandbox,
    but what it names can, when it passes the static check with everything it needs - the
    constants, helpers and classes of its file, and, through that file's own imports from
    the package, of further files (PackageNames). Returned as extra definitions (after the
    file's rows: the targets keep their lines), with the keys of the targets whose imports
    in their bodies could not all be brought: those are not run."""
    cut_off: set[str] = set()
    if code.path is None:
        inside = [t for t in targets or [] if any(i[0] for i in _imports_inside(t.function))]
        return "", {t.key for t in inside}
    bound_here = set().union(*(s.defines for s in statements if s.runnable))
    brought = PackageNames(code.path, statements)
    unbrought: set[str] = set()
    for statement in statements:
        if statement.kind != "import_from_statement" or statement.runnable:
            continue
        module = brought.module_file(code.path, statement.text)
        if module is None:
            continue
        for name, alias in _imported(statement):
            if alias not in needed or alias in bound_here:
                continue
            # each on its own: one that cannot spares the others (it stays undefined)
            if name != alias or not brought.add(module, name):
                unbrought.add(alias)
    for target in targets or []:
        if not brought.add_imported_in(code.path, target.function):
            cut_off.add(target.key)
    # a name the file imports but that did not come, which another file's code brought
    # defines: the targets using it would call the wrong one
    wrong = unbrought & set(brought.owner)
    cut_off |= {t.key for t in targets or [] if _names_in(t.function) & wrong}
    return brought.text(), cut_off


class PackageNames:
    """Top-level definitions of a package's files, chosen by name with what they need:
    in their file (constants, allowed imports, helpers, classes), and through the file's
    imports from the same package, in other files, transitively. Every statement brought
    passes the static check; one that does not (I/O, a denied module) refuses the name that
    needs it. An import from outside the package that cannot run leaves its names undefined
    (as in the region's own file). All of it shares one namespace in the sandbox, so a name
    two files define differently, or that the region's file defines, is not brought."""

    def __init__(self, path: str, statements: list[_Statement]) -> None:
        self.root = _package_root(path)
        # what the region's own file binds, and to what (as `owner` below)
        self.taken: dict[str, str] = {
            name: _import_origin(statement, name) or path
            for statement in statements
            if statement.runnable
            for name in statement.defines
        }
        self.chosen: dict[tuple[str, int], _Statement] = {}  # in the order brought
        self.owner: dict[str, str] = {}  # name -> what binds it (_import_origin, or a file)
        self.missing: set[str] = set()  # names brought code imports that stay undefined
        self.size = 0

    def module_file(self, path: str, text: str) -> str | None:
        """The package file an import statement of `path` reads from, or None (outside the
        package, or not a file: a compiled module, a namespace folder)."""
        match = _FROM_MODULE.match(text)
        if match is None:
            return None
        return self.module_path(path, len(match.group(1)), match.group(2))

    def module_path(self, path: str, level: int, module: str) -> str | None:
        """The file `from <level dots><module> import ...` in `path` reads from, or None."""
        if self.root is None:
            return None
        parts: list[str] = module.split(".") if module else []
        if level:
            folder = os.path.dirname(path)
            for _ in range(level - 1):
                folder = os.path.dirname(folder)
        elif parts and parts[0] == os.path.basename(self.root):
            folder = os.path.dirname(self.root)  # `from rich.text import Text` inside rich
        else:
            return None
        base = os.path.join(folder, *parts)
        inside = os.path.realpath(self.root) + os.sep
        for candidate in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.realpath(candidate).startswith(inside) and os.path.isfile(candidate):
                return candidate  # never a file above the package
        return None

    def add_imported_in(self, path: str, function: ast.AST) -> bool:
        """Brings what the function imports from the package in its body (`from .text import
        Text`: the sandbox's child gives it from the definitions); False when one of them
        cannot be brought (the call would get another object of that name, or none)."""
        for level, module, name, alias in _imports_inside(function):
            source = self.module_path(path, level, module)
            if source is None and not level:
                continue  # from outside the package: the first filter judged it
            if source is None or name != alias or not self.add(source, name):
                return False
        return True

    def add(self, path: str, name: str) -> bool:
        """Brings `name` of the file `path` with everything it needs, or nothing."""
        trial = _Trial()
        if not self._collect(path, name, trial, required=True):
            return False
        fresh: dict[tuple[str, int], _Statement] = {}
        for key, statement in trial.statements.items():
            if key in self.chosen:
                continue
            methods = trial.walled_off.get(key)
            if methods:
                reduced = _with_methods_walled_off(statement, methods)
                if reduced is None:
                    return False
                statement = reduced
            fresh[key] = statement
        owner = dict(self.owner)
        defined_now = {n for statement in fresh.values() for n in statement.defines}
        missing = self.missing | trial.missing
        if missing & (defined_now | set(owner) | set(self.taken)):
            return False  # a name left undefined would find another definition instead
        for (source, _start), statement in fresh.items():
            for defined in statement.defines:
                # what binds it: the file (one file's several, overloads: its own order), or
                # for an import of the standard library, what it imports (the same object)
                origin = _import_origin(statement, defined) or source
                if self.taken.get(defined, origin) != origin:
                    return False  # one namespace: the other definition would replace it
                if owner.get(defined, origin) != origin:
                    return False
                owner[defined] = origin
        size = self.size + sum(len(s.text) + 2 for s in fresh.values())
        if size > MAX_BROUGHT_CHARS:
            return False
        self.chosen.update(fresh)
        self.owner, self.size, self.missing = owner, size, missing
        return True

    def _collect(
        self, path: str, name: str, trial: _Trial, required: bool = False, strict: bool = True
    ) -> bool:
        """Adds to `trial` what defines `name` in `path` and what that needs; False when
        something it needs cannot run. A class's method whose needs cannot be met raises
        UNAVAILABLE instead (the class's other methods stay usable). Not `strict` (what a
        function's body reads when it is called): a name its file imports from the package
        that cannot be brought stays undefined."""
        if (path, name) in trial.failed or (strict and (path, name) in trial.lenient):
            return False
        if (path, name) in trial.seen:
            return True
        trial.seen.add((path, name))
        if not self._define(path, name, trial, required, strict):
            trial.failed.add((path, name))
            return False
        return True

    def _define(self, path: str, name: str, trial: _Trial, required: bool, strict: bool) -> bool:
        found = _file_statements(path).get(name, [])
        if required and not found:
            return False
        for statement in found:
            key = (path, statement.start_byte)
            if key in trial.statements or key in self.chosen:
                continue
            if statement.kind == "import_from_statement" and not statement.runnable:
                module = self.module_file(path, statement.text)
                if module is None or module == path:
                    continue  # from outside the package: its names stay undefined
                for imported, alias in _imported(statement):
                    if alias != name:
                        continue
                    # what cannot be brought (or is renamed: `import x as y`) stays undefined,
                    # with nothing of what was tried for it: a call that meets it is no
                    # outcome (the sandbox's child sees the NameError, caught or not)
                    saved = trial.saved()
                    if imported != alias or not self._collect(
                        module, imported, trial, required=True
                    ):
                        trial.restore(saved)
                        if strict:  # needed as the definitions run: useless without it
                            return False
                        trial.missing.add(alias)
                        trial.lenient.add((path, name))
                continue
            if not statement.runnable:
                reduced = statement.without_refused_methods
                if reduced is None:
                    return False
                statement = reduced
            tree = statement.tree
            if tree is None or not tree.body:
                return False
            trial.statements[key] = statement
            if sum(len(s.text) for s in trial.statements.values()) > MAX_BROUGHT_CHARS:
                return False
            at_definition, body, methods = _needs(tree.body[0])
            if not self._collect_all(path, at_definition, trial):
                return False
            if not self._collect_all(path, body, trial, strict=False):
                return False
            for method, needed in methods.items():
                saved = trial.saved()
                if not self._collect_all(path, needed, trial, strict=False):
                    trial.restore(saved)
                    trial.walled_off.setdefault(key, set()).add(method)
        return True

    def _collect_all(self, path: str, needed: _Needed, trial: _Trial, strict: bool = True) -> bool:
        """What a part of a definition needs: names of its file, and the names its
        functions import from the package in their bodies (those exactly, or it fails)."""
        names = sorted(needed.names)
        if not all(self._collect(path, used, trial, strict=strict) for used in names):
            return False
        for level, module, name, alias in needed.imports:
            source = self.module_path(path, level, module)
            if source is None and not level:
                continue  # from outside the package: the first filter judged it
            if source is None or name != alias:
                return False
            if not self._collect(source, name, trial, required=True):
                return False
        return True

    def text(self) -> str:
        """The chosen statements, file by file, a file reached through another's imports
        before it (a base class is defined before its subclass), each file's in its own
        order (the sandbox runs again a definition a missing name stopped the first time)."""
        files: dict[str, list[_Statement]] = {}
        for (path, _), statement in self.chosen.items():
            files.setdefault(path, []).append(statement)
        texts: list[str] = []
        if any(s.walled_off for s in self.chosen.values()):
            texts.append(UNAVAILABLE_CLASS)
        for chosen in reversed(files.values()):
            chosen.sort(key=lambda s: s.start_byte)
            texts.extend(textwrap.dedent(s.text) for s in chosen)
        return "\n\n".join(texts) + "\n" if texts else ""


_FROM_MODULE = re.compile(r"^\s*from\s+(\.*)([\w.]*)\s+import\b")


def _imported(statement: _Statement) -> list[tuple[str, str]]:
    """(name, the name it is bound to) of a `from ... import` statement."""
    tree = statement.tree
    if tree is None or not tree.body or not isinstance(tree.body[0], ast.ImportFrom):
        return []
    return [(a.name, a.asname or a.name) for a in tree.body[0].names]


@dataclass
class _Trial:
    """What bringing one name would add (PackageNames.add), before it is accepted."""

    statements: dict[tuple[str, int], _Statement] = field(default_factory=dict)
    # the methods of a brought class made to raise UNAVAILABLE
    walled_off: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)
    failed: set[tuple[str, str]] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)  # imported names left undefined
    lenient: set[tuple[str, str]] = field(default_factory=set)  # (file, name) left so

    def saved(self) -> tuple[dict[Any, Any], dict[Any, Any], set[Any], set[str]]:
        walled_off = {key: set(names) for key, names in self.walled_off.items()}
        return dict(self.statements), walled_off, set(self.seen), set(self.missing)

    def restore(self, saved: tuple[dict[Any, Any], dict[Any, Any], set[Any], set[str]]) -> None:
        self.statements, self.walled_off, self.seen, self.missing = saved  # failed stays failed


@dataclass
class _Needed:
    """What (part of) a definition reads from the module, and imports from the package in
    its functions' bodies: (level, module, name, bound as)."""

    names: set[str] = field(default_factory=set)
    imports: list[tuple[int, str, str, str]] = field(default_factory=list)

    def __or__(self, other: _Needed) -> _Needed:
        return _Needed(self.names | other.names, self.imports + other.imports)


def _needs(definition: ast.stmt) -> tuple[_Needed, _Needed, dict[str, _Needed]]:
    """What a top-level statement needs as it runs, what a function's body needs when it is
    called, and for a class, separately, what each method's body needs (a method whose
    needs cannot be had raises UNAVAILABLE). Annotations are left out: a missing name there
    only postpones them (the sandbox retries)."""
    if isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
        arguments = definition.args
        at_definition = _Needed()
        for value in [*definition.decorator_list, *arguments.defaults, *arguments.kw_defaults]:
            if value is not None:
                at_definition |= _read_names(value)
        return at_definition, _body_needs(definition), {}
    if not isinstance(definition, ast.ClassDef):
        return _read_names(definition), _Needed(), {}
    parts = [*definition.bases, *definition.keywords, *definition.decorator_list]
    at_definition = _Needed()
    for part in parts:
        at_definition |= _read_names(part)
    methods: dict[str, _Needed] = {}
    for node in definition.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            evaluated = [*node.decorator_list, *arguments.defaults, *arguments.kw_defaults]
            for value in evaluated:
                if value is not None:
                    at_definition |= _read_names(value)
            methods[node.name] = methods.get(node.name, _Needed()) | _body_needs(node)
        else:
            at_definition |= _read_names(node)
    return at_definition, _Needed(), methods


def _body_needs(function: AnyFunction) -> _Needed:
    """What a function's body reads from the module when it is called (not its parameters,
    nor the locals any of its statements binds)."""
    needed = _read_names(ast.Module(body=function.body, type_ignores=[]))
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    needed.names -= {a.arg for a in every}
    return needed


def _read_names(node: ast.AST) -> _Needed:
    """Names `node` reads from the module (annotations left out; a function's parameters
    and the names it or a class body binds, imports included, are its own), and what its
    functions import from the package in their bodies."""
    read: set[str] = set()
    bound: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.Name):
            (read if isinstance(current.ctx, ast.Load) else bound).add(current.id)
        elif isinstance(current, ast.arg):
            bound.add(current.arg)
        elif isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if current is not node:
                bound.add(current.name)
        elif isinstance(current, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in current.names)
        elif isinstance(current, (ast.Global, ast.Nonlocal)):
            read.update(current.names)
        for field_name, value in ast.iter_fields(current):
            if field_name in {"annotation", "returns"}:
                continue
            if isinstance(value, ast.AST):
                pending.append(value)
            elif isinstance(value, list):
                pending.extend(v for v in value if isinstance(v, ast.AST))
    return _Needed(read - bound, _imports_inside(node))


def _imports_inside(node: ast.AST) -> list[tuple[int, str, str, str]]:
    """(level, module, name, bound as) of each `from ... import` from the package in the
    body of a function within `node`: relative, or absolute (its top package is checked
    where it is resolved)."""
    found = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.ImportFrom) and (inner.level or inner.module):
            for alias in inner.names:
                bound_as = alias.asname or alias.name
                found.append((inner.level, inner.module or "", alias.name, bound_as))
    return found


def _import_origin(statement: _Statement, name: str) -> str | None:
    """`import enum` / `from typing import Any`: what the name is bound to ("enum",
    "typing.Any"), the same whichever file imports it; None for anything else."""
    tree = statement.tree
    node = tree.body[0] if tree is not None and tree.body else None
    if isinstance(node, ast.Import):
        for alias in node.names:
            if (alias.asname or alias.name.split(".")[0]) == name:
                return alias.name if alias.asname else alias.name.split(".")[0]
    if isinstance(node, ast.ImportFrom) and not node.level:
        for alias in node.names:
            if (alias.asname or alias.name) == name:
                return f"{node.module}.{alias.name}"
    return None


def _package_root(path: str) -> str | None:
    """The top folder of the package `path` belongs to (the highest with an __init__.py)."""
    folder = os.path.dirname(os.path.abspath(path))
    root = None
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        root = folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return root


def _file_statements(path: str) -> dict[str, list[_Statement]]:
    """A package file's top-level statements by the names they define ({} when it cannot
    be read or is too long); read again when the file changed."""
    try:
        changed = os.stat(path).st_mtime_ns
    except OSError:
        return {}
    return _statements_by_name(path, changed)


@functools.lru_cache(maxsize=64)
def _statements_by_name(path: str, changed: int) -> dict[str, list[_Statement]]:
    source = read_text_file(path).text  # a regular file only (a FIFO would hang), size-checked
    if source is None or len(source) > 300_000:
        return {}
    from mindgap.syntax.languages import language_named

    data = source.encode("utf-8", "surrogatepass")
    tree = language_named("python").parser().parse(data)
    other = CodeUnderQuiz("python", data, tree, 0, 0, 1, random.Random(0))
    by_name: dict[str, list[_Statement]] = {}
    for statement in _top_level(other):
        for name in statement.defines:
            by_name.setdefault(name, []).append(statement)
    return by_name


_PLAIN_DECORATORS = frozenset({"property", "classmethod", "staticmethod", "abstractmethod"})


def _with_methods_walled_off(statement: _Statement, names: set[str] | None) -> _Statement | None:
    """The class statement with the methods called `names` (None: those the static check
    refuses) raising UNAVAILABLE; None when it is no class or the result does not pass."""
    try:
        tree = ast.parse(statement.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    owner = tree.body[0] if tree.body else None
    if not isinstance(owner, ast.ClassDef):
        return None
    lines = statement.text.splitlines()
    replaced = False
    for node in reversed(owner.body):  # from the end: the earlier rows keep their places
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
        last = (node.end_lineno or node.lineno) - 1
        if names is not None and node.name not in names:
            continue
        if names is None and check_code(textwrap.dedent("\n".join(lines[first : last + 1]))):
            continue
        head = lines[node.lineno - 1]
        indent = head[: len(head) - len(head.lstrip())]
        kept = [
            f"{indent}@{ast.unparse(d)}"
            for d in node.decorator_list
            if (isinstance(d, ast.Name) and d.id in _PLAIN_DECORATORS)
            or (isinstance(d, ast.Attribute) and d.attr in {"setter", "getter", "deleter"})
        ]
        lines[first : last + 1] = [
            *kept,
            f"{indent}def {node.name}(*args, **kwargs):",
            f"{indent}    raise {UNAVAILABLE}",
        ]
        replaced = True
    text = "\n".join(lines)
    if not replaced or not check_code(text):
        return None
    reduced = copy.copy(statement)
    for cached in ("tree", "uses", "runnable", "without_refused_methods"):
        reduced.__dict__.pop(cached, None)
    reduced.text = text
    reduced.walled_off = True
    return reduced


# -- which functions, which parameters ----------------------------------------------------


def _target(code: CodeUnderQuiz, statement: _Statement) -> Target | None:
    if statement.kind not in {"function_definition", "decorated_definition"}:
        return None
    if not _overlaps(code, statement.start_byte, statement.end_byte):
        return None
    if statement.tree is None or not statement.tree.body:
        return None
    function = statement.tree.body[0]
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    if not statement.runnable:
        return None
    form = "function"
    if _is_generator(function):
        form = "generator" if isinstance(function, ast.FunctionDef) else ""
    elif isinstance(function, ast.AsyncFunctionDef):
        form = "async"
    if not form:
        return None  # async generators: not driven
    target = _function_target(function, statement.start_byte, statement.end_byte)
    if target is not None:
        target.form = form
    return target


def _function_target(
    function: AnyFunction,
    start: int,
    end: int,
    self_kinds: dict[str, str] | None = None,
    receiver: str = "self",
) -> Target | None:
    """A target for a function, or for a method when `self_kinds` (what its class says of
    its attributes and methods' results) is given: its first parameter is `receiver`
    ("self", "cls"; "" for a static method, which has none). The receiver, and each
    required parameter that is no simple value, get stand-ins when they are used only
    through their members (exec_stand_ins); what the stand-ins give comes first among the
    values."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults_from = len(positional) - len(arguments.defaults)
    parameters = []
    for index, argument in enumerate(positional):
        default = arguments.defaults[index - defaults_from] if index >= defaults_from else None
        parameters.append(_parameter(argument, default, function, keyword_only=False))
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        parameters.append(_parameter(argument, default, function, keyword_only=True))
    if self_kinds is not None and receiver:
        if not positional or positional[0].arg != receiver:
            return None
        parameters = parameters[1:]
    elif positional and positional[0].arg in {"self", "cls"}:
        return None
    parameters = _kinds_from_peers(parameters, function)
    parameters = [
        replace(p, kind=OPAQUE)
        if p.required and p.kind is None and stand_ins.only_passed_on(function, p.name)
        else p
        for p in parameters
    ]
    holders = [receiver] if self_kinds is not None and receiver else []
    holders += [p.name for p in parameters if p.required and p.kind is None]
    given: list[Parameter] = []
    silent: dict[str, list[str]] = {}
    every = set(holders)
    queue = list(holders)
    while queue:
        holder = queue.pop(0)
        used = stand_ins.uses(function, holder, every)
        if used is None:
            return None
        read, called, discarded, objects = used
        for name, of_it in list(objects.items()):
            if set(of_it) <= VALUE_METHODS:  # `self.name.upper()`: a value, not an object
                read += [] if name in read else [name]
                del objects[name]
            elif name in {*read, *called, *discarded}:
                return None  # used as an object and as a value: no one stand-in for both
        for name in objects:  # `self.options.width`: `self.options` is a stand-in too
            nested = f"{holder}.{name}"
            given.append(
                Parameter(nested, STAND_IN, True, attribute=True, holder=holder, member=name)
            )
            every.add(nested)
            queue.append(nested)
        for member, is_called in [*((m, False) for m in read), *((m, True) for m in called)]:
            kinds = self_kinds if holder == receiver and self_kinds is not None else {}
            parameter = _member(function, holder, member, is_called, kinds)
            if parameter is None and stand_ins.only_passed_on(
                function, f"{holder}.{member}", is_called
            ):
                parameter = Parameter(
                    f"{holder}.{member}",
                    OPAQUE,
                    True,
                    attribute=True,
                    holder=holder,
                    member=member,
                    called=is_called,
                )
            if parameter is None:
                return None
            given.append(parameter)
        if discarded:
            silent[holder] = discarded
    parameters = [
        replace(p, kind=STAND_IN) if p.required and p.kind is None else p for p in parameters
    ]
    plain = [p for p in parameters if p.required and p.kind not in (STAND_IN, OPAQUE)]
    stated = [p for p in [*given, *parameters] if p.required and p.kind != STAND_IN]
    if len(plain) > MAX_REQUIRED_PARAMETERS or len(stated) > stand_ins.MAX_GIVEN:
        return None
    if sum(len(methods) for methods in silent.values()) > stand_ins.MAX_SILENT:
        return None
    if any(isinstance(n, ast.Name) and n.id == "super" for n in ast.walk(function)):
        return None  # a method moved out of its class has no super()
    ints, strings = _literals(function)
    every_value = membership_peers([*given, *parameters], function)
    target = Target(function.name, function, every_value, ints, strings, start, end)
    target.silent = silent
    target.receiver = receiver
    if self_kinds is not None and receiver == "self":
        target.stored = stand_ins.stored(function)
    return target


def _member(
    function: AnyFunction, holder: str, member: str, called: bool, known: dict[str, str]
) -> Parameter | None:
    """What a stand-in gives for `holder.member` (or `holder.member(...)`'s result): its kind
    from the class (`known`), then from how the code uses it (directly or through a local
    it is assigned to), then from its name, then from a truth test; None when it is used as
    an object or nothing tells."""
    renamed = stand_ins.as_names(function, holder)
    name = stand_ins.token(holder) + (stand_ins.CALLED if called else stand_ins.READ) + member
    names = [name, *stand_ins.assigned_from(renamed, name)]
    kind = known.get(member)
    for each in names:
        used = _kind_from_use(each, renamed)
        if used == "object" and kind is None:
            return None
        if kind is None and used is not None:
            kind = used
    if kind is None and not called:
        bare = member.lstrip("_")
        kind = next((k for k, known_names in NAME_KINDS.items() if bare in known_names), None)
    if kind is None and _with_numbers(renamed, names):
        kind = INT
    if kind is None and any(stand_ins.truth_tested(renamed, each) for each in names):
        kind = BOOL
    checked = any(_none_checked(each, renamed) for each in names)
    if kind is None and checked:
        kind = INT  # only told apart from None: a number stands for "some value"
    if kind is None or kind not in POOLS:
        return None
    return Parameter(
        f"{holder}.{member}",
        kind,
        True,
        attribute=True,
        none_checked=checked,
        holder=holder,
        member=member,
        called=called,
    )


def _with_numbers(function: AnyFunction, names: list[str]) -> bool:
    """Whether one of `names` is added to, subtracted from or compared with a number: a
    parameter annotated as one, a number literal, or a name that is itself so used
    (`self.count += n_steps` with `n_steps: int`, then `self.count >= self.limit`)."""
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    numbers = {a.arg for a in arguments if _kind_from_annotation(a.annotation) in (INT, FLOAT)}
    groups = []
    for node in ast.walk(function):
        if isinstance(node, ast.BinOp):
            sides = [node.left, node.right]
        elif isinstance(node, ast.AugAssign):
            sides = [node.target, node.value]
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
        else:
            continue
        found = {side.id for side in sides if isinstance(side, ast.Name)}
        if any(isinstance(side, ast.Constant) and _is_number(side.value) for side in sides):
            found.add("")  # stands for the number literal
        groups.append(found)
    numbers.add("")
    for _ in range(3):  # a few steps of "used with a number is a number"
        for found in groups:
            if found & numbers:
                numbers |= found
    return bool(numbers & set(names))


# Special methods that are about the class or attribute lookup itself, not logic over `self`'s
# values: a stand-in `self` cannot stand for what they get (`cls`, a name being looked up).
# Others (`__str__`, `__len__`, `__eq__`, `__exit__`, `__rich_console__`) run like any method.
_CLASS_PROTOCOL = frozenset(
    {
        *("__new__", "__init_subclass__", "__class_getitem__", "__set_name__", "__del__"),
        *("__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__dir__"),
        *("__get__", "__set__", "__delete__", "__instancecheck__", "__subclasscheck__"),
        *("__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__copy__"),
        "__deepcopy__",
    }
)


# the decorators a method may carry as a target, and what its first parameter then is: a
# class method's `cls` gets a stand-in as `self` does (used only through its members); a
# static method has none
_RECEIVERS = {"property": "self", "classmethod": "cls", "staticmethod": ""}
# functools' caches: every call in the sandbox runs in a fresh namespace, so the method with
# or without one gives the same results
_CACHES = frozenset({"lru_cache", "cache", "functools.lru_cache", "functools.cache"})


def _is_cache(name: str, text: str) -> bool:
    """`functools.lru_cache`, or `lru_cache` that the file imports from functools."""
    if name.startswith("functools."):
        return name in _CACHES
    return name in _CACHES and bool(re.search(rf"from functools import [^\n]*\b{name}\b", text))


def _decorator_name(decorator: ast.expr) -> str:
    """`property`, `functools.lru_cache` (called or not); "" for anything else."""
    if isinstance(decorator, ast.Call) and not isinstance(decorator.func, ast.Call):
        decorator = decorator.func
    name = stand_ins.path_of(decorator)
    return name or ""


def _methods(code: CodeUnderQuiz, statement: _Statement) -> list[Target]:
    """The region's methods of a top-level class that can run with a stand-in `self`: they
    use `self` only through its attributes and methods (exec_stand_ins), each giving a
    simple kind (from the class's annotations, its `__init__`, its methods' return
    annotations, the method's use, the name); plain methods, special methods other than the
    class's own protocol, `@property`, class methods (`cls` a stand-in too) and static
    methods (other decorators: no)."""
    if statement.kind not in {"class_definition", "decorated_definition"}:
        return []
    tree = statement.tree
    if tree is None or not tree.body or not isinstance(tree.body[0], ast.ClassDef):
        return []
    owner = tree.body[0]
    known = _attribute_kinds(owner)
    lines = code.source.decode("utf-8", errors="replace").splitlines()
    found = []
    for node in owner.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorators = [_decorator_name(d) for d in node.decorator_list]
        decorators = [d for d in decorators if not _is_cache(d, code.text)]
        if node.name in _CLASS_PROTOCOL or not set(decorators) <= _RECEIVERS.keys():
            continue
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        start = _byte_of_row(code, first)
        end = _byte_of_row(code, last + 1)
        if not _overlaps(code, start, end):
            continue
        receiver = next((_RECEIVERS[d] for d in decorators if d != "property"), "self")
        target = _method_target(code, owner, node, known, lines, first, last, start, end, receiver)
        if target is not None:
            target.accessor = "property" in decorators
            found.append(target)
    return found


def _method_target(
    code: CodeUnderQuiz,
    owner: ast.ClassDef,
    node: AnyFunction,
    known: dict[str, str],
    lines: list[str],
    first: int,
    last: int,
    start: int,
    end: int,
    receiver: str = "self",
) -> Target | None:
    # the method's own text at its own rows, dedented, renamed, `self.x` read through `self`
    indent = len(lines[first]) - len(lines[first].lstrip())
    rows: dict[int, str] = {}
    for row in range(first, last + 1):
        text = lines[row] if row < len(lines) else ""
        if text[:indent].strip():
            return None  # a continuation line less indented than the def: not movable
        rows[row] = text[indent:]
    if names_sandbox_internals("\n".join(rows.values())):
        return None
    renamed = f"mindgap_m_{owner.name}_{node.name}"
    head = rows[first]
    keyword = "async def " if isinstance(node, ast.AsyncFunctionDef) else "def "
    if not head.startswith(f"{keyword}{node.name}("):
        return None
    rows[first] = head.replace(f"{keyword}{node.name}(", f"{keyword}{renamed}(", 1)
    text = "\n".join(rows[r] for r in range(first, last + 1))
    if not check_code(text):
        return None
    try:
        parsed = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    ast.increment_lineno(parsed, first)
    function = parsed.body[0]
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    function.name = node.name
    target = _function_target(function, start, end, {**known, **_result_kinds(owner)}, receiver)
    if target is None:
        return None
    if _is_generator(function):
        if isinstance(function, ast.AsyncFunctionDef):
            return None
        target.form = "generator"
    else:
        target.form = "method"
    target.owner = owner.name
    target.defined_as = renamed
    target.method_rows = rows
    target.method_uses = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
    return target


def _result_kinds(owner: ast.ClassDef) -> dict[str, str]:
    """The kinds of what the class's methods and properties return, from their annotations
    (`def format_pos(self) -> str`): what a stand-in `self` gives for them."""
    kinds = {}
    for node in owner.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("__"):
            kind = _kind_from_annotation(node.returns)
            if kind is not None:
                kinds[node.name] = kind
    return kinds


def _attribute_kinds(owner: ast.ClassDef) -> dict[str, str]:
    """What the class says of its attributes: annotations in its body (dataclass fields),
    and `self.x = <param or constant>` in its `__init__`."""
    kinds: dict[str, str] = {}
    for node in owner.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            kind = _kind_from_annotation(node.annotation)
            if kind is None and node.value is not None:
                kind = _kind_of_value(node.value)
            if kind is not None:
                kinds[node.target.id] = kind
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            params = {a.arg: a for a in [*node.args.args, *node.args.kwonlyargs]}
            positional = [*node.args.posonlyargs, *node.args.args]  # defaults cover both
            defaults = dict(
                zip(
                    [a.arg for a in positional[len(positional) - len(node.args.defaults) :]],
                    node.args.defaults,
                    strict=True,
                )
            )
            for statement in ast.walk(node):
                if not isinstance(statement, (ast.Assign, ast.AnnAssign)):
                    continue
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                for target in targets:
                    if not (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == "self"
                    ):
                        continue
                    value = statement.value
                    kind = None
                    if isinstance(statement, ast.AnnAssign):
                        kind = _kind_from_annotation(statement.annotation)
                    if kind is not None:
                        pass
                    elif isinstance(value, ast.Name) and value.id in params:
                        kind = _kind_from_annotation(params[value.id].annotation)
                        if kind is None and value.id in defaults:
                            kind = _kind_of_value(defaults[value.id])
                    elif value is not None:
                        kind = _kind_of_value(value)
                    if kind is not None:
                        kinds.setdefault(target.attr, kind)
    return kinds


def _byte_of_row(code: CodeUnderQuiz, row: int) -> int:
    """The byte offset where a 0-based row starts (the source's end past the last row)."""
    starts = _row_starts(code.source)
    return starts[row] if row < len(starts) else len(code.source)


@functools.lru_cache(maxsize=4)
def _row_starts(source: bytes) -> tuple[int, ...]:
    """Where each row starts: asked for every method of a class, so built once per source
    (walking from the top each time cost 135 ms on a 3,000-line file)."""
    starts = [0]
    found = source.find(b"\n")
    while found >= 0:
        starts.append(found + 1)
        found = source.find(b"\n", found + 1)
    return tuple(starts)


def _overlaps(code: CodeUnderQuiz, start: int, end: int) -> bool:
    """The function and the region share code: it starts in the region, the region lies
    inside it, or the region holds the rest of its body (foreign code that finishes a
    function the developer began)."""
    return start < code.end_byte and code.start_byte < end


def own_nodes(function: AnyFunction) -> Iterable[ast.AST]:
    """The function's nodes, without those of nested functions, lambdas and classes (a
    helper defined in its body included)."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    stack: list[ast.AST] = [node for node in function.body if not isinstance(node, nested)]
    while stack:
        node = stack.pop()
        yield node
        stack += [child for child in ast.iter_child_nodes(node) if not isinstance(child, nested)]


def _is_generator(function: AnyFunction) -> bool:
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(function))


def _parameter(
    argument: ast.arg, default: ast.expr | None, function: AnyFunction, *, keyword_only: bool
) -> Parameter:
    kind = _kind_from_annotation(argument.annotation)
    if kind is None and default is not None:
        kind = _kind_of_value(default)
    if kind is None:
        kind = _kind_from_use(argument.arg, function)
        if kind == "object":  # used as something richer than a simple value
            return Parameter(argument.arg, None, default is None, keyword_only)
        if (
            kind == LIST_INT
            and argument.arg in NAME_KINDS[STR]
            and not _used_as_list(argument.arg, function)
        ):
            kind = STR  # `len(text)`, `text[:3]`: a string's too, and its name says so
    if kind is None:
        kind = next((k for k, names in NAME_KINDS.items() if argument.arg in names), None)
    checked = _none_checked(argument.arg, function)
    return Parameter(argument.arg, kind, default is None, keyword_only, none_checked=checked)


def _used_as_list(name: str, function: AnyFunction) -> bool:
    """Whether the code uses the name in a way only a list allows (a list method, a loop
    over it taking its items as numbers)."""
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
            and node.attr in LIST_METHODS
        ):
            return True
    return False


def _none_checked(name: str, function: AnyFunction) -> bool:
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and node.left.id == name
            and any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators)
        ):
            return True
    return False


def _kinds_from_peers(parameters: list[Parameter], function: AnyFunction) -> list[Parameter]:
    """A parameter compared with the items of a list parameter (`word == wanted` while
    iterating over `words`, `wanted in words`, `xs[i] == target`) is of the items' kind."""
    known = {p.name: p.kind for p in parameters if p.kind in (LIST_INT, LIST_STR)}
    if not known or all(p.kind is not None for p in parameters):
        return parameters
    element_of: dict[str, str] = {}  # loop variable -> the list parameter it runs over
    for node in ast.walk(function):
        if (
            isinstance(node, (ast.For, ast.comprehension))
            and isinstance(node.iter, ast.Name)
            and isinstance(node.target, ast.Name)
        ):
            element_of[node.target.id] = node.iter.id
    item_kind = {LIST_INT: INT, LIST_STR: STR}
    updated = []
    for parameter in parameters:
        kind, peer = parameter.kind, parameter.peer
        if kind is None and _kind_from_use(parameter.name, function) != "object":
            for node in ast.walk(function):
                if not isinstance(node, ast.Compare):
                    continue
                sides = [node.left, *node.comparators]
                if not any(isinstance(s, ast.Name) and s.id == parameter.name for s in sides):
                    continue
                for side in sides:
                    container = None
                    if isinstance(side, ast.Name) and side.id in element_of:
                        container = element_of[side.id]
                    elif isinstance(side, ast.Subscript) and isinstance(side.value, ast.Name):
                        container = side.value.id
                    elif (
                        isinstance(side, ast.Name)
                        and side.id in known
                        and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
                    ):
                        container = side.id
                    list_kind = known.get(container or "")
                    if list_kind is not None:
                        kind, peer = item_kind[list_kind], container
                        break
                if kind is not None:
                    break
        updated.append(
            Parameter(parameter.name, kind, parameter.required, parameter.keyword_only, peer)
        )
    return updated


def _kind_from_annotation(annotation: ast.expr | None) -> str | None:
    if annotation is None:
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]  # X | None
        real = [s for s in sides if not (isinstance(s, ast.Constant) and s.value is None)]
        return _kind_from_annotation(real[0]) if len(real) == 1 else None
    base, argument = annotation, None
    if isinstance(annotation, ast.Subscript):
        base, argument = annotation.value, annotation.slice
    name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
    if name == "Optional" and argument is not None:
        return _kind_from_annotation(argument)
    kind = ANNOTATION_KINDS.get(name or "")
    if kind == LIST_INT and argument is not None:
        inner = getattr(argument, "id", None)
        if name == "tuple":
            return None  # tuples are not fed (a list would be a lie)
        if name == "list" and ast.unparse(argument).replace(" ", "") == "tuple[str,int]":
            return PAIRS
        return {"int": LIST_INT, "str": LIST_STR}.get(inner or "")
    if kind == DICT and argument is not None:
        parts = argument.elts if isinstance(argument, ast.Tuple) else []
        names = [getattr(p, "id", None) for p in parts]
        return DICT if names == ["str", "int"] else None
    if kind == LIST_INT and name == "tuple":
        return None
    return kind


def _kind_of_value(value: ast.expr) -> str | None:
    if isinstance(value, ast.Constant):
        constant = value.value
        if isinstance(constant, bool):
            return BOOL
        if isinstance(constant, int):
            return INT
        if isinstance(constant, float):
            return FLOAT
        if isinstance(constant, str):
            return STR
    if isinstance(value, ast.UnaryOp) and isinstance(value.operand, ast.Constant):
        return _kind_of_value(value.operand)
    return None


def _kind_from_use(name: str, function: AnyFunction) -> str | None:
    votes: dict[str, int] = {}

    def vote(kind: str, weight: int = 1) -> None:
        votes[kind] = votes.get(kind, 0) + weight

    def is_it(node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == name

    element_names: set[str] = set()
    # `first = text[:1]` and then `first.isalnum()`: what is cut from it is a string
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Subscript)
            and is_it(node.value.value)
        ):
            part = node.targets[0].id
            if any(
                isinstance(n, ast.Attribute)
                and isinstance(n.value, ast.Name)
                and n.value.id == part
                and n.attr in STR_METHODS
                for n in ast.walk(function)
            ):
                vote(STR, 8)  # stronger than any number of subscripts
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and is_it(node.value):
            if node.attr in STR_METHODS:
                vote(STR, 3)
            elif node.attr in LIST_METHODS:
                vote(LIST_INT, 3)
            elif node.attr in DICT_METHODS:
                vote(DICT, 3)
            else:
                vote("object", 5)  # an attribute of something else: not a simple value
        elif isinstance(node, (ast.For, ast.comprehension)) and is_it(node.iter):
            vote(LIST_INT, 2)
            if isinstance(node.target, ast.Tuple) and len(node.target.elts) == 2:
                vote(PAIRS, 5)  # `for name, price in lines`: records of two
            if isinstance(node.target, ast.Name):
                element_names.add(node.target.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if any(is_it(a) for a in node.args):
                if node.func.id == "range":
                    vote(INT, 3)
                elif node.func.id == "len" or (
                    node.func.id in SEQUENCE_FUNCTIONS and len(node.args) == 1
                ):
                    vote(LIST_INT, 2)  # max(xs) takes a list; max(a, b) does not
                elif node.func.id in {"int", "float"}:
                    vote(STR, 1)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "join" and any(is_it(a) for a in node.args):
                vote(LIST_STR, 3)
        elif isinstance(node, (ast.BinOp, ast.AugAssign)):
            sides = [node.left, node.right] if isinstance(node, ast.BinOp) else [node.value]
            if isinstance(node, ast.AugAssign):
                sides.append(node.target)
            if any(is_it(s) for s in sides):
                constants = [s.value for s in sides if isinstance(s, ast.Constant)]
                if any(isinstance(c, str) for c in constants):
                    vote(STR, 2)
                elif any(isinstance(c, (int, float)) for c in constants):
                    vote(INT, 2)
                elif isinstance(node.op, (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)):
                    vote(INT, 1)  # arithmetic only numbers do; a wrong guess fails to run
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(is_it(s) for s in sides):
                constants = [s.value for s in sides if isinstance(s, ast.Constant)]
                if any(isinstance(c, str) for c in constants):
                    vote(STR, 2)
                elif any(_is_number(c) for c in constants):
                    vote(INT, 2)
        elif isinstance(node, ast.Subscript) and is_it(node.value):
            vote(LIST_INT, 1)
    if votes.get(LIST_INT) and _elements_are_strings(element_names, function, name):
        votes[LIST_STR] = votes.pop(LIST_INT) + 1
    if not votes:
        return None
    return max(votes.items(), key=lambda item: (item[1], item[0]))[0]


def _elements_are_strings(elements: set[str], function: AnyFunction, name: str) -> bool:
    """Whether the items of a list parameter are used as strings (else they are ints)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in elements and node.attr in STR_METHODS:
                return True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "len" and any(
                isinstance(a, ast.Name) and a.id in elements for a in node.args
            ):
                return True
        elif isinstance(node, (ast.Compare, ast.BinOp)):
            sides = [node.left, *node.comparators] if isinstance(node, ast.Compare) else []
            if isinstance(node, ast.BinOp):
                sides = [node.left, node.right]
            names = {s.id for s in sides if isinstance(s, ast.Name)}
            strings = [s for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
            if names & elements and strings:
                return True
            if names & elements and any(
                isinstance(s, ast.Constant) and _is_number(s.value) for s in sides
            ):
                return False
    return name in NAME_KINDS[LIST_STR]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def int_literals(tree: ast.AST) -> list[int]:
    """The numbers a test writer tries both sides of: those the code compares with first
    (a threshold such as `total < 1000` is where its paths part, whatever its size), then
    its other small numbers."""
    compared = [
        side.value
        for compare in ast.walk(tree)
        if isinstance(compare, ast.Compare)
        for side in (compare.left, *compare.comparators)
        if isinstance(side, ast.Constant) and type(side.value) is int and abs(side.value) <= 10**6
    ]
    small = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and type(node.value) is int and abs(node.value) <= 100
    ]
    return list(dict.fromkeys(compared + small))


def _literals(function: AnyFunction) -> tuple[list[int], list[str]]:
    docstring = ast.get_docstring(function, clean=False)
    strings: list[str] = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Constant):
            continue
        value = node.value
        if (
            isinstance(value, str)
            and value != docstring
            and 0 < len(value) <= 12
            and value.isprintable()
            and "__" not in value
            and value not in strings
        ):
            strings.append(value)
    return int_literals(function), strings


# -- inputs ------------------------------------------------------------------------------

POOLS: dict[str, list[object]] = {
    INT: [3, 5, 0, 1, 2, 10, 4, 7, -2],
    FLOAT: [2.5, 0.5, 0.0, 4.0, -1.5],
    STR: ["hello", "abc", "", "a b c", "Hello World", "racecar", "a,b,c"],
    BOOL: [True, False],
    LIST_INT: [[3, 1, 2], [5, 2, 8, 1], [], [4], [2, 2, 7], [-1, 0, 6]],
    LIST_STR: [["pear", "fig", "apple"], ["b", "a"], [], ["kiwi"], ["a", "bb", "a"]],
    DICT: [{"a": 1, "b": 2}, {}, {"x": 3}, {"a": 0}],
    PAIRS: [[("tea", 250), ("cake", 120)], [], [("pen", 5)], [("a", 3), ("b", 1), ("c", 2)]],
}
EMPTY: dict[str, object] = {STR: "", LIST_INT: [], LIST_STR: [], DICT: {}, PAIRS: []}


def has_empty(values: tuple[object, ...]) -> bool:
    return any(type(v) in (str, list, dict) and not v for v in values)


def pool(target: Target, parameter: Parameter) -> list[object]:
    """Values to try for one parameter: the kind's usual values, and values near the
    literals the function compares with (a boundary is where behaviour changes)."""
    kind = parameter.kind or INT
    values: list[object] = list(POOLS[kind])
    near: list[object] = []
    if kind == INT:
        for literal in target.int_literals[:3]:
            near += [literal, literal + 1, literal - 1]
    elif kind == STR:
        near += target.str_literals[:3]
    elif kind == LIST_INT:
        near += [[literal, literal + 1] for literal in target.int_literals[:2]]
    elif kind == LIST_STR:
        near += [[literal, "x"] for literal in target.str_literals[:2]]
    elif kind == DICT:
        keys = target.str_literals[:2]
        if keys:
            near.append({key: index + 1 for index, key in enumerate(keys)})
    merged = values[:1] + peer_items(target, parameter) + values[1:2] + near + values[2:]
    unique: list[object] = []
    for value in merged:
        if not any(type(value) is type(u) and value == u for u in unique):
            unique.append(value)
    return unique


def peer_items(target: Target, parameter: Parameter) -> list[object]:
    """What a test writer looks up so that it is found, not only missed: an item of the list
    (a key of the dict) the parameter is looked for in - and, where the code cleans the
    parameter before looking (`value.strip().lower() in self.choices`), that item as a user
    would type it (` FIG `)."""
    peers = [p for p in target.parameters if p.name == parameter.peer and p.kind]
    if not peers:
        return []
    first = pool(target, peers[0])[0]
    if isinstance(first, list) and len(first) > 1:
        item = first[1]
    elif isinstance(first, dict) and first:
        item = next(iter(first))
    else:
        return []
    items = [item]
    if isinstance(item, str):
        cleaned = _methods_called_on(target.function, parameter.name)
        typed = item
        if cleaned & {"lower", "casefold"}:
            typed = typed.upper()
        if cleaned & {"strip", "lstrip", "rstrip"}:
            typed = f" {typed} "
        if typed != item:
            items.append(typed)
    return items


def _methods_called_on(function: AnyFunction, name: str) -> set[str]:
    """The methods the code calls on `name` (a parameter or a member path), chained too:
    `value.strip().lower()` gives strip and lower."""
    return {
        node.func.attr
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and stand_ins.path_of(_chain_base(node.func.value)) == name
    }


def _chain_base(node: ast.expr) -> ast.expr:
    """What a chain of method calls starts from: `value` for `value.strip().lower()`."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return node


def membership_peers(parameters: list[Parameter], function: AnyFunction) -> list[Parameter]:
    """A value looked for in a list or dict the function is given (`value.strip() in
    self.choices`, `name in options`): its peer is that container, so its values include
    one of the container's items (peer_items)."""
    containers = {p.name for p in parameters if p.kind in (LIST_INT, LIST_STR, DICT)}
    if not containers:
        return parameters
    looked_for: dict[str, str] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        if not isinstance(node.ops[0], (ast.In, ast.NotIn)):
            continue
        container = stand_ins.path_of(node.comparators[0])
        if container not in containers:
            continue
        name = stand_ins.path_of(_chain_base(node.left))
        if name is not None:
            looked_for.setdefault(name, container)
    return [
        replace(p, peer=looked_for[p.name])
        if p.peer is None and p.kind in (STR, INT) and p.name in looked_for
        else p
        for p in parameters
    ]


def base_inputs(target: Target, count: int = 6) -> list[tuple[object, ...]]:
    """Deterministic inputs: the first of each pool, then one parameter varied at a time."""
    required = target.required
    if not required:
        return [()]
    pools = [pool(target, p) for p in required]
    first = tuple(p[0] for p in pools)
    found = [first]
    depth = 1
    while len(found) < count and depth < max(len(p) for p in pools):
        for position, values in enumerate(pools):
            if depth < len(values):
                varied = (*first[:position], values[depth], *first[position + 1 :])
                if varied not in found:
                    found.append(varied)
        depth += 1
    return found[:count]


SEPARATORS = frozenset(".,;:/|-_ =+#@")


def writer_pool(target: Target, parameter: Parameter) -> list[object]:
    """Values a test writer would try for one parameter: the usual ones, and then what the
    code itself looks for - its string literals, strings built around the separators it
    splits on, both sides of each number it compares with, one element, None where it
    checks for None."""
    usual = pool(target, parameter)
    found = peer_items(target, parameter)  # looked up so it is found: among the first tried
    extra: list[object] = []
    kind = parameter.kind or INT
    if kind == STR:
        for text in target.str_literals[:4]:
            if len(text) == 1 and text in SEPARATORS:
                extra += [f"a{text}b{text}c", f"a{text}b", f"{text}a", "a"]
            else:
                extra += [text, f"{text}x"]
        extra += ["--all", "-v", "x"]  # leading signs, one character: the usual edges
    elif kind == INT:
        for number in target.int_literals[:4]:
            extra += [number - 1, number, number + 1]
    elif kind == LIST_INT:
        extra += [[7], [], [1, 2, 3, 4]]
        for number in target.int_literals[:2]:
            extra += [[number], [number + 1, number - 1]]
    elif kind == LIST_STR:
        extra += [["kiwi"], []]
        for text in target.str_literals[:2]:
            extra += [[text], ["x", text]]
    if parameter.none_checked:
        extra.insert(0, None)
    merged = usual[:1] + found + extra + usual[1:]
    unique: list[object] = []
    for value in merged:
        if not any(type(value) is type(u) and value == u for u in unique):
            unique.append(value)
    return unique


def candidate_inputs(target: Target, attempt: int = 1, count: int = 12) -> list[tuple[object, ...]]:
    """The inputs tried in the sandbox, before the paths they take pick among them: the
    first usual value of each parameter, then each parameter through its writer's pool
    (one at a time), then two equal numbers where two are compared. A later attempt starts
    its walk further along each pool, so it draws inputs the earlier ones did not."""
    required = target.required
    if not required:
        return [()]
    pools = [writer_pool(target, p) for p in required]
    shift = max(0, attempt - 1)
    first = tuple(p[(shift * 2) % len(p)] if p else None for p in pools)
    found = [first]
    depth = 1
    longest = max(len(p) for p in pools)
    while len(found) < count and depth < longest:
        for position, values in enumerate(pools):
            if depth < len(values):
                value = values[(depth + shift * 2) % len(values)]
                varied = (*first[:position], value, *first[position + 1 :])
                if varied not in found:
                    found.append(varied)
        depth += 1
    numbers = [i for i, p in enumerate(required) if p.kind == INT and not p.attribute]
    if len(numbers) >= 2:
        a, b = numbers[:2]
        same = list(first)
        same[b] = same[a]
        if tuple(same) not in found:
            found.insert(min(len(found), 3), tuple(same))
    return found[:count]


# -- what questions show -----------------------------------------------------------------


def line_text(code: CodeUnderQuiz, line: int, limit: int = 60) -> str:
    """The stripped text of a 1-based file line, shortened."""
    lines = code.source.decode("utf-8", errors="replace").splitlines()
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def in_region(code: CodeUnderQuiz, line: int) -> bool:
    first = code.first_line
    last = first + code.text.count("\n")
    return first <= line <= last


def showable(outcome: Outcome) -> bool:
    """A returned value short and plain enough to be a choice."""
    return (
        outcome.returned
        and outcome.value is not None
        and outcome.message != "truncated"
        and readable(outcome.value)
    )


_FLOAT_NOISE = re.compile(r"\d\.\d{5,}|\de[-+]?\d")


# escapes every Python developer reads in a repr: a line break, a tab (`'a\\nb'`)
_PLAIN_ESCAPES = re.compile(r"\\[nt]")


def readable(text: str) -> bool:
    """Whether a person could work the value out and read it as a choice: short, on one
    line, without float noise (0.30000000000000004), escapes other than `\\n` and `\\t`
    (`\\x1b`, `\\u2502`) or runs of spaces."""
    return (
        len(text) <= SHOWN_CHARS
        and "\n" not in text
        and "\\" not in _PLAIN_ESCAPES.sub("", text)
        and "   " not in text
        and not _FLOAT_NOISE.search(text)
    )


WRONG_TYPE_ERRORS = frozenset({"TypeError", "AttributeError"})
MEANINGFUL_EXCEPTIONS_EXCLUDED = WRONG_TYPE_ERRORS | {
    "NameError",
    "RecursionError",
    "MemoryError",
    "ImportError",
}


def meaningful_raise(outcome: Outcome) -> bool:
    """An exception the function's logic raises, not one of feeding it the wrong kind of
    value or of its context missing from the sandbox."""
    return outcome.raised and outcome.exception not in MEANINGFUL_EXCEPTIONS_EXCLUDED


def value_distractors(key: str, related: Iterable[str], rng: random.Random) -> list[str]:
    """Wrong values for a returned value `key` (a repr), all of its shape: values the
    function returns on other inputs first, then near misses of the key (off by one,
    reversed, one item short)."""
    seen = {key}
    found: list[str] = []
    near = near_misses(key)
    rng.shuffle(near)
    for text in [*related, *near]:
        if text not in seen and readable(text) and same_shape(text, key):
            seen.add(text)
            found.append(text)
    return found


def near_misses(key: str) -> list[str]:
    try:
        value = ast.literal_eval(key)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return []
    candidates: list[object] = []
    if isinstance(value, bool):
        candidates = [not value, None]
    elif isinstance(value, int):
        candidates = [value + 1, value - 1, value * 2 if value else 2, -value if value else -1]
    elif isinstance(value, float):
        candidates = [value + 1, value - 1, value * 2 if value else 1.0, float(int(value)) + 0.5]
    elif isinstance(value, str):
        candidates = _string_misreadings(value)
    elif isinstance(value, (list, tuple)):
        items = list(value)
        shapes = [items[::-1], items[1:], items[:-1]]
        if len(items) > 1:  # one item doubled (`['x', 'x']`) is no misreading of a loop
            shapes.append(items + items[-1:])
        if all(isinstance(i, (int, float)) and not isinstance(i, bool) for i in items):
            shapes.append(sorted(items))
            shapes.append([i + 1 for i in items])
        candidates = [type(value)(shape) for shape in shapes]
    elif isinstance(value, dict):
        items = list(value.items())
        candidates = [dict(items[:-1]), dict(items[1:])]
        if items and isinstance(items[-1][1], int):
            candidates.append(dict([*items[:-1], (items[-1][0], items[-1][1] + 1)]))
    elif value is None:
        candidates = [0, [], "", False]
    return [repr(c) for c in candidates]


_SEPARATORS = ("\n", ", ", ",", " ", ".", "/", ":", "-", "_")
_LISTING = ("\n", ", ", ",")


def _string_misreadings(value: str) -> list[object]:
    """Strings a reader who misread the code could expect: built from parts (lines, words,
    dotted names), the parts in the wrong order, one short (lines and items: one too many);
    any string, one character short at either end, another case; a short one reversed or
    its last character doubled. A long string reversed letter by letter is no misreading
    (implausible at a glance)."""
    candidates: list[object] = []
    separator = next((s for s in _SEPARATORS if value.strip(s).count(s) >= 1), None)
    if separator is not None:
        parts = value.split(separator)
        candidates += [separator.join(parts[::-1]), separator.join(parts[:-1])]
        candidates.append(separator.join(parts[1:]))
        if separator in _LISTING:  # a loop's lines or items: one too many is off by one
            candidates.append(separator.join([*parts, parts[-1]]))
    if 1 < len(value) <= 3:
        candidates.append(value[::-1])
    candidates += [value[:-1], value[1:], value.upper(), value.lower(), value.title(), ""]
    if len(value) <= 3:  # a short value counted once too often (`'11'` for `'1'`)
        candidates.append(value + value[-1:])
    return candidates


def arrange(
    key: str, distractors: list[str], rng: random.Random, total: int = 4
) -> tuple[str, ...]:
    """The key and up to total-1 distractors; numbers in order, anything else shuffled."""
    chosen = [key, *distractors[: total - 1]]
    numbers = []
    for choice in chosen:
        try:
            value = ast.literal_eval(choice)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            break
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            break
        numbers.append(value)
    if len(numbers) == len(chosen):
        return tuple(c for _, c in sorted(zip(numbers, chosen, strict=True)))
    rng.shuffle(chosen)
    return tuple(chosen)


def branch_reason(code: CodeUnderQuiz, target: Target, line: int) -> str:
    """Why a run reached `line`, from the innermost `if` around it: its condition held (or,
    for the else branch, did not) at that moment. "" when no `if` encloses the line."""
    best: tuple[int, str] | None = None
    for node in target.own_nodes:
        if not isinstance(node, ast.If) or not node.body:
            continue
        in_body = node.body[0].lineno <= line <= (node.body[-1].end_lineno or 0)
        in_else = bool(node.orelse) and (
            node.orelse[0].lineno <= line <= (node.orelse[-1].end_lineno or 0)
        )
        if in_else and len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
            continue  # an elif: its own condition is the better reason
        if not (in_body or in_else):
            continue
        condition = ast.unparse(node.test)
        if len(condition) > 50:
            continue
        truth = "true" if in_body else "false"
        if best is None or node.lineno > best[0]:
            best = (node.lineno, f"`{condition}` is {truth} (line {node.lineno})")
    return best[1] if best else ""


class ExecutedQuestions(abc.ABC):
    """What every execution-based type shares: Python only, a tracing question that decides
    the pass, asked from the region's sandboxed runs (`ask`) - none when nothing could run."""

    kind = "tracing"
    decides_pass = True
    languages = frozenset({"python"})
    runs_code = True

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        runs = region_runs(code)
        return [] if runs is None else self.ask(code, runs)

    @abc.abstractmethod
    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]: ...


class QuestionsPerTarget(ExecutedQuestions):
    """A type asking about each function it `asks_about`, from instrumented calls of the
    planner's first `inputs` candidates; at most `max_questions` for the region."""

    inputs = 6
    max_questions = 4
    per_target = 2

    @staticmethod
    @abc.abstractmethod
    def asks_about(target: Target) -> bool: ...

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        found: list[Question] = []
        for target in runs.all_targets:
            if self.asks_about(target):
                found += self.questions(code, runs, target)
        return found[: self.max_questions]

    @abc.abstractmethod
    def questions(
        self, code: CodeUnderQuiz, runs: RegionRuns, target: Target
    ) -> list[Question]: ...

    def one_input_each(
        self,
        subjects: list[tuple[str, list[tuple[tuple[object, ...], str, Any]]]],
        make: Callable[[str, tuple[object, ...], Any, list[str]], Question | None],
    ) -> list[Question]:
        """One question per subject (an attribute, a collaborator's method) whose observed
        value varies with the input - each about another input, `per_target` at most.
        `subjects`: (subject, [(input, the value observed, what else the run showed)]);
        `make(subject, input, what else, every value seen)` builds the question or says no."""
        found: list[Question] = []
        used: list[tuple[object, ...]] = []  # inputs asked about (lists: not hashable)
        for subject, observed in subjects:
            seen = [value for _, value, _ in observed]
            if len(set(seen)) < 2:
                continue  # the same whatever the input: nothing to trace
            for values, _, detail in observed:
                if len(found) == self.per_target:
                    return found
                if values in used:
                    continue
                question = make(subject, values, detail, seen)
                if question is not None:
                    found.append(question)
                    used.append(values)
                    break
        return found

    def tried_inputs(self, runs: RegionRuns, target: Target) -> list[tuple[object, ...]]:
        """The inputs its calls were made with, one per distinct path first."""
        tried = runs.plan.candidates.get(target.key, [])[: self.inputs]
        by_path = [v for v, _, _ in runs.paths(target) if v in tried]
        return [*by_path, *(v for v in tried if v not in by_path)]


def returned_literal(runs: RegionRuns, call: str) -> object | None:
    """What an instrumented call returned (a log, a state), read as a literal; None when it
    did not return, was cut short, or is no literal."""
    outcome = runs.outcome(call)
    if outcome is None or not outcome.returned or outcome.value is None:
        return None
    if outcome.message == "truncated":
        return None
    try:
        return ast.literal_eval(outcome.value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


class OneQuestionPerFunction(ExecutedQuestions):
    """A generator asking at most one question per function of the region, up to
    `max_questions`; subclasses say how in `question`."""

    max_questions = 2

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        asked = (self.question(code, runs, target) for target in runs.targets)
        return [question for question in asked if question is not None][: self.max_questions]

    @abc.abstractmethod
    def question(
        self, code: CodeUnderQuiz, runs: RegionRuns, target: Target
    ) -> Question | None: ...


def same_shape(choice: str, key: str) -> bool:
    """Whether a wrong choice is of the key's type (and, for lists and tuples, holds items
    of the same types): a choice of another type is implausible at a glance."""
    try:
        a, b = ast.literal_eval(choice), ast.literal_eval(key)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return choice.split(" ", 1)[0] == key.split(" ", 1)[0]
    if type(a) is not type(b):
        return (
            isinstance(a, (int, float))
            and isinstance(b, (int, float))
            and not (isinstance(a, bool) or isinstance(b, bool))
        )
    if isinstance(a, (list, tuple)) and a and b:
        return {type(i) for i in a} <= {type(i) for i in b} | {type(None)}
    return True
