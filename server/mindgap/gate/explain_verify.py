"""Explain, then verify: an explanation is a claim about behaviour, held against the code.

Refused (GATE.md, "Explain, then verify"):
- a copy of the code or its comments (`explain.check_explanation` finds it);
- a list of names: after the code's own names and the words that only point at them
  ("takes", "calls", "returns", "uses", "and"...), fewer than MIN_OWN_WORDS words remain;
- a false claim that the code's facts contradict. The facts are what the code does: for
  Python, the results of running its functions in the sandbox on the test writer's inputs
  (exec_common); for every language, what its tree shows (the exceptions it raises, its
  comparisons, its return statements). Contradictions looked for: a returned type or value
  it never produces, an exception it cannot raise, a comparison said the other way round
  ("greater than 10" where the code tests `< 10`), "always returns" where its results differ.

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

TYPE_WORDS: dict[str, frozenset[str]] = {
    "list": frozenset({"list", "lists", "array", "arrays"}),
    "str": frozenset({"string", "strings", "text", "str"}),
    "int": frozenset({"integer", "integers", "int", "number", "numbers", "count"}),
    "float": frozenset({"float", "floats", "decimal", "fraction"}),
    "bool": frozenset({"boolean", "booleans", "bool", "true", "false"}),
    "dict": frozenset({"dict", "dictionary", "mapping", "map"}),
    "tuple": frozenset({"tuple", "pair", "pairs", "triple"}),
    "NoneType": frozenset({"none", "nothing", "null", "nil"}),
}
NUMERIC = {"int", "float", "bool"}

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
    r"\b(?:returns?|gives?|produces?|yields?|evaluates to|results? in)\b\s+(?P<what>[^.;,]{1,60})",
    re.IGNORECASE,
)
_LITERAL_AFTER = re.compile(r"^(?:the\s+)?(?:value\s+)?(-?\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\")")


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
            elif outcome.raised and outcome.exception:
                facts.ran += 1
                facts.raised.add(outcome.exception)
                results.add("raises " + outcome.exception)
        facts.many_results = facts.many_results or len(results) > 1
    return facts


def _static_facts(text: str, facts: CodeFacts) -> None:
    """Comparisons and literals, read with `ast` when the region parses as Python."""
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


def _type_of(value: str) -> str:
    try:
        return type(ast.literal_eval(value)).__name__
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "object"


def contradictions(explanation: str, facts: CodeFacts) -> list[str]:
    found: list[str] = []
    # an exception the code cannot raise
    for name in sorted(set(_EXCEPTION.findall(explanation))):
        if name not in facts.raisable and name not in facts.raised:
            found.append(f"it says {name}, which this code never raises")
    for match in _RETURN_CLAIM.finditer(explanation):
        what = match.group("what").strip()
        lowered = what.lower()
        before = explanation[: match.start()].lower().split()[-3:]
        if any(w in ("not", "never", "n't", "doesn't") for w in before):
            continue
        # a type it never returns (only when runs established what it returns)
        claimed = _claimed_type(lowered)
        verb = match.group(0).split()[0].lower()
        if facts.generator:
            if verb.startswith("return") and claimed is not None and claimed != "NoneType":
                found.append(
                    f"it says the code returns {what!r}, but it is a generator: it yields values"
                )
            continue
        if claimed is not None and facts.ran >= 2 and facts.returned_types:
            types = facts.returned_types
            fits = claimed in types or (claimed in NUMERIC and types & NUMERIC)
            if claimed == "NoneType" and "NoneType" not in types:
                fits = False
            if not fits:
                found.append(
                    f"it says the code returns {what!r}, but it returns "
                    + ", ".join(sorted(_plain_type(t) for t in types))
                )
                continue
        # a literal value it never returns
        literal = _LITERAL_AFTER.match(lowered)
        if literal is not None and facts.ran >= 2:
            shown = literal.group(1)
            candidates = {shown, shown.replace('"', "'")}
            known = facts.returned | facts.literals
            if not candidates & known:
                found.append(f"it says the code returns {shown}, which it never does")
                continue
        # "always returns" where its results differ
        window = explanation[max(0, match.start() - 20) : match.start()].lower()
        if "always" in window and facts.many_results:
            found.append(
                "it says the code always returns the same, but its result depends on the input"
            )
    for claim in _COMPARE_CLAIM.finditer(explanation):
        reversed_claim = _reversed_comparison(claim, facts)
        if reversed_claim:
            found.append(reversed_claim)
    return found


def _claimed_type(what: str) -> str | None:
    first_words = re.findall(r"[a-z]+", what)[:3]
    for word in first_words:
        if word in ("a", "an", "the", "new", "single", "one", "sorted", "empty", "whole"):
            continue
        for name, names in TYPE_WORDS.items():
            if word in names:
                return name
        return None
    return None


def _plain_type(name: str) -> str:
    return {
        "list": "a list",
        "str": "a string",
        "int": "a number",
        "float": "a number",
        "bool": "True or False",
        "dict": "a dict",
        "tuple": "a tuple",
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
    mine = own_words(explanation, text)
    if len(mine) < MIN_OWN_WORDS:
        message = (
            "Not accepted: this names the code's parts but says little about what it does. "
            "Say in your own words what it gives back for which inputs, and when."
        )
        return ExplainVerdict("refused", message, coverage, [], True)
    found = contradictions(explanation, code_facts(document, start, end))
    if found:
        message = "Not accepted: " + "; ".join(found) + "."
        return ExplainVerdict("refused", message, coverage, found, False)
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
