"""Unused-parameter questions: which parameter of this function is never used in its body?

Asked only when the answer is certain: exactly one parameter never appears in the body
(not read, not assigned, not in a nested function, not in an f-string or a Rust format
string), and every other parameter offered is read there and never re-bound (no
`x = ...`, no shadowing by a nested function's parameter or a loop variable, whose reads
would belong to another variable). Functions that can reach their parameters without naming
them (`locals()`, `arguments`, `eval`) and TypeScript parameter properties (which become
fields) are skipped; so are `self`, `cls` and names starting with `_`, unused on purpose.

    Which parameter of `render` (line 3) is never used in its body?  page / theme / out
"""

from __future__ import annotations

import re

import tree_sitter

from mindgap.gate.questions._syntax import (
    Function,
    Shapes,
    and_list,
    descendants,
    is_binding,
    is_variable,
    per_function,
    pick,
    shuffled,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question

Node = tree_sitter.Node
DISTRACTORS = 3
_SKIPPED_NAMES = frozenset({"self", "cls", "this", "_"})
_INTROSPECTION = frozenset({"locals", "vars", "eval", "exec", "arguments", "globals"})
_PARAMETER_PROPERTY = frozenset({"accessibility_modifier", "override_modifier", "readonly"})


class UnusedParameter:
    type = "unused-parameter"
    kind = "vocabulary"  # found by reading or searching the text: a warm-up at most
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        return per_function(code, self._about)

    def _about(self, code: CodeUnderQuiz, shape: Shapes, function: Function) -> Question | None:
        names = parameters(code, function.node)
        if names is None:
            return None
        candidates = [n for n in dict.fromkeys(names) if n not in _SKIPPED_NAMES and n[0] != "_"]
        if len(candidates) < 3:
            return None
        reads: dict[str, list[int]] = {name: [] for name in candidates}
        bound: set[str] = set()
        mentioned: set[str] = set()
        for node in descendants(function.body):
            if node.type in shape.identifiers:
                text = code.node_text(node)
                mentioned.add(text)
                if text in _INTROSPECTION:
                    return None
                if text in reads:
                    if is_binding(node, shape):
                        bound.add(text)
                    elif is_variable(node, shape):
                        reads[text].append(code.line_of(node))
            elif node.type == "macro_invocation":  # Rust: "{name}" in a format string
                text = code.node_text(node)
                mentioned.update(re.findall(r"[A-Za-z_]\w*", text))
                for name in re.findall(r"\{([A-Za-z_]\w*)", text):
                    if name in reads:
                        reads[name].append(code.line_of(node))
        unused = [name for name in candidates if name not in mentioned]
        used = [name for name in candidates if reads[name] and name not in bound]
        if len(unused) != 1 or len(used) != len(candidates) - 1:
            return None
        answer = unused[0]
        wrong = pick(code.rng, used, DISTRACTORS)
        uses = and_list([f"`{name}` on line {reads[name][0]}" for name in wrong])
        return Question(
            type=self.type,
            prompt=(
                f"Which parameter of {function.label()} (line {function.line}) is never "
                "used in its body?"
            ),
            answer=answer,
            choices=shuffled(code.rng, answer, wrong),
            explanation=(
                f"`{answer}` never appears in the body of {function.label()}; the others are "
                f"read there: {uses}."
            ),
        )


def parameters(code: CodeUnderQuiz, function: Node) -> list[str] | None:
    """The names a function's parameter list declares (not its receiver), or None when a
    parameter does more than name a value (a TypeScript parameter property)."""
    declared = function.child_by_field_name("parameters")
    if declared is None:
        return []
    names: list[str] = []
    for parameter in declared.named_children:
        if any(child.type in _PARAMETER_PROPERTY for child in parameter.children):
            return None
        name = _parameter_name(parameter)
        if name is not None:
            names.append(code.node_text(name))
        elif parameter.type == "parameter_declaration":  # Go: `a, b int`
            names.extend(code.node_text(n) for n in parameter.children_by_field_name("name"))
    return names


def _parameter_name(parameter: Node) -> Node | None:
    """The identifier one parameter declares, if it declares exactly one by name."""
    kind = parameter.type
    if kind == "identifier":
        return parameter
    for field in ("name", "pattern", "left"):
        target = parameter.child_by_field_name(field)
        if target is not None:
            if kind == "parameter_declaration" and len(parameter.children_by_field_name(field)) > 1:
                return None
            return _parameter_name(target) if target.type != "identifier" else target
    if kind in (
        "list_splat_pattern",
        "dictionary_splat_pattern",
        "rest_pattern",
        "typed_parameter",
        "spread_parameter",
        "variable_declarator",
    ):
        for child in parameter.named_children:
            found = _parameter_name(child)
            if found is not None:
                return found
    return None


GENERATORS = [UnusedParameter()]
