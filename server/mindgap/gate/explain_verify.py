"""Explain, then verify: an explanation is a claim about behaviour, held against the code.

Refused (GATE.md, "Explain, then verify"):
- a copy of the code or its comments (`explain.check_explanation` finds it);
- a false claim that the code's facts contradict. The facts are what the code does: for
  Python, the results of running its functions in the sandbox on the test writer's inputs
  (exec_common); for every language, what its tree shows (the exceptions it raises, its
  comparisons, its return statements and annotations). Contradictions looked for: a
  returned type ("returns a string", "the total as text", "a whole number", "True or
  False"...), count of values ("three strings" where every run returns a pair) or value it
  never produces, an exception it cannot raise (one it only catches does not count), a
  comparison said the other way round ("greater than 10" where the code tests `< 10`), one
  value "always" or
  "whatever the input" where runs or branches return others. A type is held against the
  runs' types, or without runs against the return statements'; a claim that the return
  annotation supports, or about a function that hands back an unannotated parameter (its
  runs' types are the guessed inputs'), is not refused;
- a list of names: after the code's own names and the words that only point at them
  ("takes", "calls", "returns", "uses", "and"...), fewer than MIN_OWN_WORDS words remain
  and the names are not held together in a sentence. Looked for after the contradictions:
  "It always returns 100, whatever the prices are" is a false claim, not a list.

Accepted explanations need no local name: plain words are enough. The facts they cover and
miss are named (the key facts of explain.key_facts, as coverage hints), and ONE fresh
tracing question follows; only both together make the region understood. Verdicts:
"refused", "check" (accepted, the follow-up question decides) and "passed" (accepted and
the follow-up answered right).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from mindgap.gate.explain import ExplanationResult, check_explanation, key_facts, words
from mindgap.gate.questions.base import Question
from mindgap.gate.questions.exec_common import region_runs
from mindgap.gate.quiz import build_quiz, code_under_quiz
from mindgap.syntax.document import SyntaxDocument

MIN_OWN_WORDS = 3  # words of one's own (not the code's names, not pointers) to say anything
# or at least one with this many words that make a sentence of the names
MIN_SENTENCE_WORDS = 3
SENTENCE_WORDS = frozenset(
    {"it", "its", "the", "a", "an", "of", "in", "is", "are", "when", "if", "whether", "for",
     "on", "at", "by", "from", "as", "that", "which", "than", "into", "each", "every",
     "all", "no", "not", "never", "there", "has", "have", "was"}
)  # fmt: skip

# words that only point at code ("takes x, calls y, returns z") or hold sentences together
POINTER_WORDS = frozenset(
    [
        "take",
        "takes",
        "taking",
        "took",
        "call",
        "calls",
        "called",
        "calling",
        "return",
        "returns",
        "returned",
        "returning",
        "use",
        "uses",
        "used",
        "using",
        "get",
        "gets",
        "got",
        "param",
        "params",
        "parameter",
        "parameters",
        "arg",
        "args",
        "argument",
        "arguments",
        "input",
        "inputs",
        "output",
        "outputs",
        "variable",
        "variables",
        "var",
        "function",
        "functions",
        "method",
        "methods",
        "func",
        "def",
        "fn",
        "and",
        "or",
        "the",
        "a",
        "an",
        "of",
        "to",
        "with",
        "then",
        "it",
        "its",
        "this",
        "that",
        "is",
        "are",
        "be",
        "in",
        "on",
        "by",
        "for",
        "as",
        "from",
        "into",
        "at",
        "also",
        "line",
        "lines",
        "value",
        "values",
        "result",
        "results",
        "code",
        "do",
        "does",
    ]
)

# The words that name a returned type, by the class the sandbox reports. "number" names
# any number; "integer" and "decimal" say which.
TYPE_WORDS: dict[str, frozenset[str]] = {
    "list": frozenset({"list", "lists", "array", "arrays"}),
    "str": frozenset({"string", "strings", "text", "texts", "str"}),
    "int": frozenset({"integer", "integers", "int", "ints", "count"}),
    "number": frozenset({"number", "numbers", "numeric"}),
    "float": frozenset({"float", "floats", "decimal", "decimals", "fraction"}),
    "bool": frozenset({"boolean", "booleans", "bool", "true", "false"}),
    "dict": frozenset({"dict", "dicts", "dictionary", "dictionaries", "mapping"}),
    "tuple": frozenset({"tuple", "tuples", "pair", "pairs", "triple"}),
    "set": frozenset({"set", "sets", "frozenset"}),
    "NoneType": frozenset({"none", "nothing", "null", "nil"}),
}
TYPE_PHRASES = (  # several words for one type, looked for before the single words
    (re.compile(r"^whole\s+numbers?\b"), "int"),
    (re.compile(r"^(?:decimal|floating[\s-]point|real)\s+numbers?\b"), "float"),
    (re.compile(r"^(?:true\s+or\s+false|yes\s+or\s+no)\b"), "bool"),
)
# words between a returning verb and the noun that says what it returns
_LEADING_WORDS = frozenset(
    {"a", "an", "the", "back", "new", "single", "one", "some", "plain", "simple", "just",
     "only", "its", "their", "either", "another", "empty", "sorted", "whole"}
)  # fmt: skip
# a type word followed by one of these (or by nothing) is the noun of the phrase: "a string
# such as 12 kB", "a list of names"; followed by another noun it only describes it ("the
# string length")
_AFTER_NOUN = frozenset(
    {"of", "such", "like", "with", "without", "that", "which", "where", "when", "whenever",
     "if", "unless", "for", "from", "in", "on", "containing", "holding", "made", "built",
     "between", "than", "or", "and", "as", "to", "representing", "describing", "listing",
     "naming", "giving", "telling", "showing", "so", "because", "while", "after", "before",
     "once", "until", "whose", "each", "per", "plus", "instead", "rather", "form"}
)  # fmt: skip
# "returns the total as a string", "turned into text", "converted to an int", "in text form"
_AS_TYPE = re.compile(
    r"(?<!not )(?<!never )(?<!than )\b(?:(?:as|into|(?:converted|turned|cast|changed)\s+to)"
    r"\s+(?:an?\s+|the\s+)?"
    r"(?P<type>[a-z]+(?:\s+[a-z]+){0,2})|in\s+(?:an?\s+)?(?P<form>[a-z]+)\s+form)"
)
_NEGATIONS = frozenset(
    {"not", "never", "no", "n't", "doesn't", "don't", "won't", "cannot", "can't", "isn't",
     "rather", "instead"}
)  # fmt: skip
_ALWAYS_BEFORE = re.compile(r"\b(?:always|invariably|each\s+time|every\s+time)\b")
_ALWAYS_AFTER = re.compile(
    r"\b(?:always|whatever|no\s+matter|regardless|every\s+time|each\s+time|"
    r"in\s+(?:all|every|any)\s+cases?|for\s+(?:all|any|every)\s+\w+|anyway)\b"
)
# a condition in the same sentence makes "always" conditional ("if it is over 100 it
# always returns 100" is a true claim)
_CONDITION = re.compile(
    r"\b(?:if|when|whenever|unless|once|only|otherwise|else|except|until|provided|for|"
    r"on|with|after|while|capped|limited|at\s+most|at\s+least|up\s+to|over|under|above|"
    r"below|more|less|than)\b"
)
_SAME = re.compile(r"^(?:the\s+)?same\b")

GREATER = r"(?:greater|more|larger|bigger|higher|above|over|longer|exceeds?|at least)"
LESS = r"(?:less|fewer|smaller|lower|below|under|shorter|at most)"
_COMPARE_CLAIM = re.compile(
    rf"\b(?P<left>[A-Za-z_][\w.]*)\s+(?:is\s+|are\s+)?(?:not\s+)?"
    rf"(?P<dir>{GREATER}|{LESS})\s+(?:than\s+|or equal to\s+)?"
    r"(?P<right>-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*)",
    re.IGNORECASE,
)
_EXCEPTION = re.compile(r"\b([A-Z][A-Za-z]*(?:Error|Exception)|StopIteration|KeyboardInterrupt)\b")
_RETURN_CLAIM = re.compile(
    r"\b(?P<verb>returns?|returning|gives?\s+back|giving\s+back|hands?\s+back|gives?|"
    r"produces?|yields?|evaluates\s+to|results?\s+in|comes?\s+back\s+as|"
    r"(?:the\s+)?(?:result|output|answer|return\s+value)\s+is(?:\s+always)?)\b"
    r"\s+(?P<what>[^.;,:!?]{1,80})",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"\s\b(?:and|but|then|while|whereas|otherwise)\b\s")
_LITERAL_AFTER = re.compile(
    r"^(?:the\s+)?(?:value\s+|number\s+)?(-?\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\")(?![\w.])"
)
_NAMED_LITERAL = re.compile(r"^(?:the\s+)?(?:value\s+)?(true|false|none)\b")


@dataclass
class CodeFacts:
    """What the code does, as far as it was established."""

    returned: set[str] = field(default_factory=set)  # reprs of values returned in runs
    returned_types: set[str] = field(default_factory=set)
    raised: set[str] = field(default_factory=set)  # exceptions seen raised in runs
    raisable: set[str] = field(default_factory=set)  # exception names the code's text has
    literals: set[str] = field(default_factory=set)  # literal numbers and strings in the code
    comparisons: list[tuple[str, str, str]] = field(default_factory=list)  # (left, op, right)
    ran: int = 0  # calls that returned or raised
    many_results: bool = False  # some function returns different values on different inputs
    generator: bool = False  # the code's functions are generators: they yield, return nothing
    can_return_none: bool = True
    # the types its return statements make, read from the tree; None when one is unknown
    static_types: set[str] | None = None
    static_values: set[str] = field(default_factory=set)  # literal values it returns
    # the types its return annotations name; None when a function has none
    annotated_types: set[str] | None = None
    # a function hands back (part of) a parameter without a type annotation: the types its
    # runs return are those of the inputs the sandbox guessed
    echoes_input: bool = False


@dataclass
class ExplainVerdict:
    verdict: str  # "refused" | "check" | "passed"
    message: str
    coverage: ExplanationResult
    contradictions: list[str]
    name_list: bool
    follow_up: Question | None = None
    follow_up_correct: bool | None = None

    @property
    def accepted(self) -> bool:
        return self.verdict != "refused"

    def to_dict(self, with_answer: bool = False) -> dict[str, object]:
        follow_up = None
        if self.follow_up is not None:
            follow_up = {
                "id": self.follow_up.id or "q1",
                "type": self.follow_up.type,
                "prompt": self.follow_up.prompt,
                "choices": list(self.follow_up.choices) if self.follow_up.choices else None,
                "fingerprint": self.follow_up.fingerprint,
            }
            if with_answer:
                follow_up["answer"] = self.follow_up.answer
                follow_up["explanation"] = self.follow_up.explanation
        return {
            "verdict": self.verdict,
            "message": self.message,
            "facts": {
                "covered": [f.label for f in self.coverage.covered],
                "missed": [f.label for f in self.coverage.missing],
            },
            "contradictions": self.contradictions,
            "name_list": self.name_list,
            "copied": self.coverage.copied,
            "follow_up": follow_up,
            "follow_up_correct": self.follow_up_correct,
        }


def code_facts(document: SyntaxDocument, start: int, end: int) -> CodeFacts:
    facts = CodeFacts()
    text = document.text[start:end]
    facts.raisable = set(_EXCEPTION.findall(text))
    _static_facts(text, facts)
    code = code_under_quiz(document, start, end)
    runs = region_runs(code) if code is not None else None
    if runs is None:
        return facts
    facts.generator = bool(runs.all_targets) and all(
        t.form == "generator" for t in runs.all_targets
    )
    for target in runs.all_targets:
        if target.form == "generator":
            continue  # its runs collect what it yields: not a returned value
        results: set[str] = set()
        for values in runs.plan.candidates.get(target.key, []):
            outcome = runs.outcome(target.call(values))
            if outcome is None:
                continue
            if outcome.returned and outcome.value is not None:
                facts.ran += 1
                facts.returned.add(outcome.value)
                results.add(outcome.value)
                facts.returned_types.add(_type_of(outcome.value))
            elif outcome.kind == "unstable" and outcome.value is not None:
                facts.returned_types.add(_type_of(outcome.value))  # a set printed in hash order
            elif outcome.raised and outcome.exception:
                facts.ran += 1
                facts.raised.add(outcome.exception)
                results.add("raises " + outcome.exception)
        facts.many_results = facts.many_results or len(results) > 1
    return facts


def _static_facts(text: str, facts: CodeFacts) -> None:
    """Comparisons, literals and what the return statements make, read with `ast` when the
    region parses as Python."""
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        facts.literals = set(re.findall(r"-?\d+(?:\.\d+)?", text))
        return
    returns = [n for n in ast.walk(tree) if isinstance(n, ast.Return)]
    facts.can_return_none = not returns or any(
        r.value is None or (isinstance(r.value, ast.Constant) and r.value.value is None)
        for r in returns
    )
    _static_returns(tree, facts)
    caught = _caught_names(tree)
    facts.raisable = {
        name
        for name in facts.raisable
        if len(re.findall(rf"\b{name}\b", text)) > caught.get(name, 0)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)):
            facts.literals.add(repr(node.value))
            if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                facts.literals.add(str(node.value))
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = ast.unparse(node.left), ast.unparse(node.comparators[0])
            op = type(node.ops[0])
            if op in (ast.Lt, ast.LtE):
                facts.comparisons.append((left, "<", right))
            elif op in (ast.Gt, ast.GtE):
                facts.comparisons.append((left, ">", right))


def _caught_names(tree: ast.Module) -> dict[str, int]:
    """How often each exception name is written in an `except` clause that does not raise
    again: a name written only there is caught, never raised (`except StopIteration:`)."""
    counts: dict[str, int] = {}
    for handler in ast.walk(tree):
        if not isinstance(handler, ast.ExceptHandler) or handler.type is None:
            continue
        body = ast.Module(body=handler.body, type_ignores=[])
        if any(isinstance(n, ast.Raise) for n in ast.walk(body)):
            continue
        for node in ast.walk(handler.type):
            name = node.id if isinstance(node, ast.Name) else None
            name = node.attr if isinstance(node, ast.Attribute) else name
            if name:
                counts[name] = counts.get(name, 0) + 1
    return counts


_CALL_TYPES = {
    "str": "str", "repr": "str", "format": "str", "int": "int", "len": "int", "float": "float",
    "bool": "bool", "isinstance": "bool", "callable": "bool", "list": "list",
    "sorted": "list", "dict": "dict", "tuple": "tuple", "set": "set", "frozenset": "set",
}  # fmt: skip
_METHOD_TYPES = {
    "join": "str", "format": "str", "strip": "str", "lower": "str", "upper": "str",
    "replace": "str", "startswith": "bool", "endswith": "bool", "isdigit": "bool",
    "count": "int", "index": "int", "find": "int", "split": "list", "splitlines": "list",
}  # fmt: skip


def _static_returns(tree: ast.Module, facts: CodeFacts) -> None:
    """The types (and literal values) the outermost functions' return statements make, when
    every one of them is known and no function can end without a return."""
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    if not functions:
        return
    facts.annotated_types = _annotated_types(functions)
    if any(not isinstance(f.body[-1], ast.Return | ast.Raise) for f in functions):
        facts.can_return_none = True  # it may end without a return statement
    facts.echoes_input = any(_echoes_input(function) for function in functions)
    types: set[str] = set()
    for function in functions:
        returns = list(_own_returns(function))
        last = function.body[-1]
        if any(isinstance(n, ast.Yield | ast.YieldFrom) for n in _own_nodes(function)):
            return
        if not isinstance(last, ast.Return | ast.Raise):
            types.add("NoneType")  # it may end without a return statement
        for node in returns:
            value_types = _expression_types(node.value, facts)
            if value_types is None:
                return
            types |= value_types
    facts.static_types = types


_ANNOTATION_TYPES = {
    "str": {"str"}, "int": {"int"}, "float": {"float"}, "bool": {"bool"}, "None": {"NoneType"},
    "list": {"list"}, "List": {"list"}, "tuple": {"tuple"}, "Tuple": {"tuple"},
    "dict": {"dict"}, "Dict": {"dict"}, "Mapping": {"dict"}, "MutableMapping": {"dict"},
    "set": {"set"}, "Set": {"set"}, "frozenset": {"set"}, "FrozenSet": {"set"},
    "AbstractSet": {"set"}, "Sequence": {"list", "tuple", "str"},
}  # fmt: skip


def _annotated_types(functions: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> set[str] | None:
    found: set[str] = set()
    for function in functions:
        if function.returns is None:
            return None
        found |= _annotation_types(function.returns)
    return found


def _annotation_types(node: ast.expr) -> set[str]:
    """The outer types an annotation names: `tuple[str, str]` -> tuple, `str | None` -> str
    and None, `Optional[list[int]]` -> list and None."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _annotation_types(node.left) | _annotation_types(node.right)
    if isinstance(node, ast.Constant):
        if node.value is None:
            return {"NoneType"}
        if isinstance(node.value, str):  # a string annotation: "list[str]"
            try:
                return _annotation_types(ast.parse(node.value, mode="eval").body)
            except SyntaxError:
                return set()
        return set()
    if isinstance(node, ast.Subscript):
        outer = node.value.attr if isinstance(node.value, ast.Attribute) else None
        outer = node.value.id if isinstance(node.value, ast.Name) else outer
        if outer in ("Optional", "Union"):
            inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            found = {"NoneType"} if outer == "Optional" else set()
            for part in inner:
                found |= _annotation_types(part)
            return found
        node = node.value
    name = node.attr if isinstance(node, ast.Attribute) else None
    name = node.id if isinstance(node, ast.Name) else name
    return set(_ANNOTATION_TYPES.get(name or "", set()))


def _echoes_input(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = function.args
    untyped = {
        a.arg
        for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
        if a.annotation is None and a.arg not in ("self", "cls")
    }
    for node in _own_returns(function):
        values = [node.value]
        while values:
            value = values.pop()
            if isinstance(value, ast.IfExp):
                values += [value.body, value.orelse]
            elif isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice):
                values.append(value.value)
            elif isinstance(value, ast.Name) and value.id in untyped:
                return True
    return False


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function, without those of the functions and classes inside it."""
    found: list[ast.AST] = []
    todo = list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def _own_returns(function: ast.AST) -> list[ast.Return]:
    return [n for n in _own_nodes(function) if isinstance(n, ast.Return)]


def _expression_types(value: ast.expr | None, facts: CodeFacts) -> set[str] | None:
    if value is None:
        return {"NoneType"}
    if isinstance(value, ast.Constant) or (
        isinstance(value, ast.UnaryOp)
        and isinstance(value.op, ast.USub | ast.UAdd)
        and isinstance(value.operand, ast.Constant)
    ):
        constant = ast.literal_eval(value)  # -1 is a minus sign and a constant
        facts.static_values.add(repr(constant))
        return {type(constant).__name__}
    if isinstance(value, ast.IfExp):
        body, orelse = _expression_types(value.body, facts), _expression_types(value.orelse, facts)
        return None if body is None or orelse is None else body | orelse
    simple = {
        ast.JoinedStr: "str", ast.List: "list", ast.ListComp: "list", ast.Dict: "dict",
        ast.DictComp: "dict", ast.Tuple: "tuple", ast.Set: "set", ast.SetComp: "set",
        ast.Compare: "bool",
    }  # fmt: skip
    for kind, name in simple.items():
        if isinstance(value, kind):
            return {name}
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
        return {"bool"}
    if isinstance(value, ast.Call):
        if isinstance(value.func, ast.Name) and value.func.id in _CALL_TYPES:
            return {_CALL_TYPES[value.func.id]}
        receiver = value.func.value if isinstance(value.func, ast.Attribute) else None
        if (
            isinstance(value.func, ast.Attribute)
            and isinstance(receiver, ast.Constant)
            and isinstance(receiver.value, str)
            and value.func.attr in _METHOD_TYPES
        ):
            return {_METHOD_TYPES[value.func.attr]}  # "".join(...), "{}".format(...)
    return None


def _type_of(value: str) -> str:
    try:
        return type(ast.literal_eval(value)).__name__
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        # a repr cut short by the sandbox still shows how it starts
        return {"'": "str", '"': "str", "[": "list", "(": "tuple"}.get(value[:1], "object")


def contradictions(explanation: str, facts: CodeFacts) -> list[str]:
    found: list[str] = []
    # an exception the code cannot raise
    for name in sorted(set(_EXCEPTION.findall(explanation))):
        if name not in facts.raisable and name not in facts.raised:
            found.append(f"it says {name}, which this code never raises")
    for match in _RETURN_CLAIM.finditer(explanation):
        what = _CLAUSE_END.split(match.group("what").strip(), maxsplit=1)[0].strip()
        lowered = what.lower()
        before = re.findall(r"[\w']+", explanation[: match.start()].lower())[-3:]
        if any(w in _NEGATIONS or w.endswith("n't") for w in before):
            continue
        claimed = _claimed_type(lowered)
        verb = match.group("verb").lower()
        if facts.generator:
            if verb.startswith("return") and claimed is not None and claimed != "NoneType":
                found.append(
                    f"it says the code returns {what!r}, but it is a generator: it yields values"
                )
            continue
        # a type it never returns
        if claimed is not None:
            wrong = _wrong_type(claimed, facts)
            if wrong is not None:
                found.append(f"it says the code returns {what!r}, but {wrong}")
                continue
        # how many values it hands back at once, where every run returns another count
        wrong_count = _wrong_count(lowered, facts)
        if wrong_count is not None:
            found.append(f"it says the code returns {what!r}, but {wrong_count}")
            continue
        # one value whatever the input, where the runs or the branches give others
        always = _always_claim(explanation, match)
        literal = _claimed_literal(lowered)
        if always and literal is not None:
            others = _other_results(literal, facts)
            if others:
                found.append(f"it says the code always returns {literal}, but {others}")
                continue
        # a literal value it never returns
        numeric = _LITERAL_AFTER.match(lowered)
        if numeric is not None and facts.ran >= 2:
            shown = numeric.group(1)
            candidates = {shown, shown.replace('"', "'")}
            known = facts.returned | facts.literals
            if not candidates & known:
                found.append(f"it says the code returns {shown}, which it never does")
                continue
        # "always returns the same" where its results differ
        if always and _SAME.match(lowered) and facts.many_results:
            found.append(
                "it says the code always returns the same, but its result depends on the input"
            )
    for claim in _COMPARE_CLAIM.finditer(explanation):
        reversed_claim = _reversed_comparison(claim, facts)
        if reversed_claim:
            found.append(reversed_claim)
    return found


def _claimed_type(what: str) -> str | None:
    """The type a returning phrase names: "a string such as 12 kB", "the total as a string",
    "text", "a whole number", "True or False"; None when it names none."""
    named = _head_type(re.findall(r"[a-z]+(?:'[a-z]+)?", what))
    if named is not None:
        return named
    for converted in _AS_TYPE.finditer(what):  # "the total as a string"
        named = _head_type((converted.group("type") or converted.group("form")).split())
        if named is not None:
            return named
    return None


def _head_type(said: list[str]) -> str | None:
    """The type named by the noun a phrase starts with, after "a", "the", "single"...: a
    type word followed by another noun only describes it ("the string length")."""
    position = 0
    while True:
        rest = " ".join(said[position:])
        for phrase, name in TYPE_PHRASES:
            if phrase.match(rest):
                return name
        if position < len(said) - 1 and said[position] in _LEADING_WORDS:
            position += 1
        else:
            break
    if position >= len(said):
        return None
    noun = said[position]
    following = said[position + 1] if position + 1 < len(said) else None
    for name, names in TYPE_WORDS.items():
        if noun in names and (following is None or following in _AFTER_NOUN):
            return name
    return None


_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "pair": 2, "triple": 3}
_COUNT_CLAIM = re.compile(  # "a pair", "two strings", "three numbers": a sequence that long
    r"^(?:a\s+|the\s+)?(?:(?P<noun>pair|triple)\b|(?P<many>two|three|four|five)\s+[a-z]+s\b)"
)


def _wrong_count(what: str, facts: CodeFacts) -> str | None:
    """Why the code cannot return `what` (a claimed number of values: "a pair", "three
    strings") when every run returned a tuple of another length; None otherwise."""
    claim = _COUNT_CLAIM.match(what)
    if claim is None or facts.ran < 2 or not facts.returned:
        return None
    claimed = _COUNT_WORDS[claim.group("noun") or claim.group("many")]
    lengths = set()
    for value in facts.returned:
        parsed = _literal(value)
        if not isinstance(parsed, tuple):
            return None  # a list's length follows its input; a tuple's is the code's
        lengths.add(len(parsed))
    if claimed in lengths:
        return None
    counts = " or ".join(str(n) for n in sorted(lengths))
    return f"its runs return {counts} values at once ({_examples(facts.returned)})"


def _wrong_type(claimed: str, facts: CodeFacts) -> str | None:
    """Why the code cannot return a `claimed` value (the types the sandbox runs saw, or
    where the code was not run, the types its return statements make), or None when nothing
    known says otherwise."""
    if facts.annotated_types and _type_fits(claimed, facts.annotated_types, set()):
        return None  # what the code declares (runs on guessed inputs may return a list)
    if facts.ran >= 2 and facts.returned_types and not facts.echoes_input:
        types, values, source = facts.returned_types, facts.returned, "its runs return "
    elif facts.static_types:
        types, values, source = facts.static_types, facts.static_values, "it returns "
    else:
        return None
    if "object" in types or _type_fits(claimed, types, values):
        return None
    if claimed == "NoneType" and facts.can_return_none:
        return None
    examples = _examples(values)
    return (
        source
        + " or ".join(sorted({_plain_type(t) for t in types}))
        + (f" ({examples})" if examples else "")
    )


def _examples(values: set[str]) -> str:
    return ", ".join(sorted(values, key=lambda v: (len(v), v))[:3])


def _type_fits(claimed: str, types: set[str], values: set[str]) -> bool:
    if claimed in types:
        return True
    if claimed == "number":
        return bool(types & {"int", "float"})
    if claimed == "float":
        return "int" in types  # whole numbers from these inputs, decimals from others
    if claimed == "int":  # 3.0 is a whole number, 2.5 is not
        return "float" in types and all(_is_whole(v) for v in values if _is_float(v))
    if claimed == "bool":
        return "int" in types and all(_literal(v) in (0, 1) for v in values if _is_int(v))
    return False


_UNREADABLE = object()


def _literal(value: str) -> object:
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _UNREADABLE


def _same_value(shown: str, claimed: str) -> bool:
    """`shown` (a repr) is the value `claimed`: 100 and 100.0 are, True and 1 are not."""
    if shown == claimed:
        return True
    a, b = _literal(shown), _literal(claimed)
    if a is _UNREADABLE or b is _UNREADABLE or isinstance(a, bool) != isinstance(b, bool):
        return False
    return a == b


def _is_int(value: str) -> bool:
    parsed = _literal(value)
    return isinstance(parsed, int) and not isinstance(parsed, bool)


def _is_float(value: str) -> bool:
    return isinstance(_literal(value), float)


def _is_whole(value: str) -> bool:
    parsed = _literal(value)
    return isinstance(parsed, float) and parsed.is_integer()


def _claimed_literal(what: str) -> str | None:
    """The one value a returning phrase names: "100", "'none'", "True", "None"."""
    numeric = _LITERAL_AFTER.match(what)
    if numeric is not None:
        return numeric.group(1)
    named = _NAMED_LITERAL.match(what)
    if named is not None:
        return named.group(1).capitalize()
    return None


def _always_claim(explanation: str, match: re.Match[str]) -> bool:
    """Whether the returning claim holds for every input: "always returns 100", "returns
    100 whatever the prices are" - and no condition in its sentence limits it."""
    sentence_start = max(explanation.rfind(mark, 0, match.start()) for mark in ".;!?") + 1
    ends = [i for i in (explanation.find(m, match.end()) for m in ".;!?") if i >= 0]
    sentence = explanation[sentence_start : min(ends, default=len(explanation))].lower()
    before = explanation[sentence_start : match.start()].lower()
    after = explanation[match.start() : min(ends, default=len(explanation))].lower()
    said = (
        bool(_ALWAYS_BEFORE.search(before[-25:]))
        or "always" in match.group("verb").lower()
        or bool(_ALWAYS_AFTER.search(after))
    )
    if not said:
        return False
    return not _CONDITION.search(_ALWAYS_AFTER.sub(" ", sentence))


def _other_results(literal: str, facts: CodeFacts) -> str | None:
    """What the code returns besides `literal`, or None when nothing known says so."""
    if facts.ran >= 2:
        others = {v for v in facts.returned if not _same_value(v, literal)}
        if others:
            return "its runs also return " + _examples(others)
        if facts.raised:
            return "its runs also raise " + ", ".join(sorted(facts.raised))
        return None
    others = {v for v in facts.static_values if not _same_value(v, literal)}
    if others:
        return "a branch returns " + _examples(others)
    return None


def _plain_type(name: str) -> str:
    return {
        "list": "a list",
        "str": "a string",
        "int": "an integer",
        "float": "a decimal number",
        "bool": "True or False",
        "dict": "a dict",
        "tuple": "a tuple",
        "set": "a set",
        "NoneType": "None",
    }.get(name, "an object")


def _reversed_comparison(claim: re.Match[str], facts: CodeFacts) -> str | None:
    left, right = claim.group("left"), claim.group("right")
    direction = ">" if re.fullmatch(GREATER, claim.group("dir"), re.IGNORECASE) else "<"
    if re.search(
        r"\bnot\s*$", claim.group(0)[: claim.group(0).lower().find(claim.group("dir").lower())]
    ):
        direction = "<" if direction == ">" else ">"
    said = {(left, direction, right), (right, _flip(direction), left)}
    sides = [(a, op, b) for a, op, b in facts.comparisons if {a, b} == {left, right}]
    if not sides or said & set(sides):
        return None
    code_left, code_op, code_right = sides[0]
    return (
        f"it says `{left}` {'greater' if direction == '>' else 'less'} than `{right}`, "
        f"but the code tests `{code_left} {code_op} {code_right}`"
    )


def _flip(direction: str) -> str:
    return "<" if direction == ">" else ">"


def _name_list(explanation: str, code_text: str) -> bool:
    """Too few words of one's own - unless the code's names are held together in sentences
    ("It returns the number of words in the text" says something; "takes text, calls split,
    returns len" does not)."""
    mine = own_words(explanation, code_text)
    if len(mine) >= MIN_OWN_WORDS:
        return False
    glue = sum(1 for w in words(explanation) if w.lower() in SENTENCE_WORDS)
    return not (mine and glue >= MIN_SENTENCE_WORDS)


def own_words(explanation: str, code_text: str) -> list[str]:
    """The explanation's words that are neither the code's names nor pointers at them."""
    names = {w.lower() for w in words(code_text)}
    return [
        w
        for w in (x.lower() for x in words(explanation))
        if w not in names and w not in POINTER_WORDS and not w.isdigit()
    ]


def verify_explanation(
    document: SyntaxDocument,
    start: int,
    end: int,
    explanation: str,
    *,
    attempt: int = 1,
    shown: frozenset[str] = frozenset(),
    answer: str | None = None,
) -> ExplainVerdict:
    """The verdict on an explanation of document.text[start:end], with the follow-up
    question when it is accepted (graded when `answer` is given)."""
    text = document.text[start:end]
    language = document.language
    tree = document.tree
    facts_list = []
    if language is not None and tree is not None:
        index = document.index
        try:
            facts_list = key_facts(
                language.name,
                document.text.encode("utf-8", "surrogatepass"),
                tree,
                index.byte_offset(start),
                index.byte_offset(end),
            )
        except ValueError:
            facts_list = []
    coverage = check_explanation(facts_list, explanation, text)
    if coverage.copied is not None or not explanation.strip():
        return ExplainVerdict("refused", coverage.message, coverage, [], False)
    # a false claim first: a short one ("always returns 100") is a claim, not a name list
    found = contradictions(explanation, code_facts(document, start, end))
    if found:
        message = "Not accepted: " + "; ".join(found) + "."
        return ExplainVerdict("refused", message, coverage, found, False)
    if _name_list(explanation, text):
        message = (
            "Not accepted: this names the code's parts but says little about what it does. "
            "Say in your own words what it gives back for which inputs, and when."
        )
        return ExplainVerdict("refused", message, coverage, [], True)
    missed = [f.label for f in coverage.missing]
    message = "Accepted."
    if missed:
        message += " It does not say: " + ", ".join(missed[:4]) + "."
    follow_up = _follow_up(document, start, end, attempt, shown)
    if follow_up is None:
        message += (
            " No tracing question could be made for this code: hand-write it or take the quiz."
        )
        return ExplainVerdict("check", message, coverage, [], False, None, None)
    message += " One question about what it does decides."
    correct = None if answer is None else follow_up.accepts(answer)
    verdict = "passed" if correct else "check"
    return ExplainVerdict(verdict, message, coverage, [], False, follow_up, correct)


def _follow_up(
    document: SyntaxDocument, start: int, end: int, attempt: int, shown: frozenset[str]
) -> Question | None:
    quiz = build_quiz(document, start, end, attempt=attempt, shown=shown)
    preferred = ("return-value", "which-input", "mutation")
    deciding = [q for q in quiz.questions if q.decides_pass]
    for kind in preferred:
        for question in deciding:
            if question.type == kind:
                return question
    return deciding[0] if deciding else None
