"""Variable-origin questions: which line assigned the value that line N reads?

Pick a line M that reads a variable and ask which assignment its value comes from; best a
variable assigned several times (which assignment wins?), else one assigned once and read
further down. Asked only when that is certain from the tree alone:
the assignment B is a whole statement (`total = ...`, `let x = ...`, `x += 1`) in the same
block as the statement holding the read, before it; nothing between B and the end of that
statement assigns the variable (so no later assignment reaches the read through a loop);
and no nested function, `global`/`nonlocal`, `&mut x` or `&x` can assign it behind the
scenes. Wrong options are the variable's other assignments (those it replaces, and those
after), the line declaring it as a parameter, lines assigning other variables before the
read, then other lines that read it.

Those certainty rules make the key always the nearest assignment of the name above the
read, which searching upward for the name finds without tracing anything: so the type
never decides a pass (a warm-up at most, GATE.md).

    Which line assigned the value of `total` that line 9 reads (`return total`)?
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from mindgap.gate.questions._syntax import (
    Function,
    Shapes,
    descendants,
    enclosing_scope,
    inside,
    is_binding,
    is_variable,
    line_choices,
    line_list,
    line_text,
    per_function,
    pick_preferring,
    quote,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.unused_parameter import parameters

Node = tree_sitter.Node
DISTRACTORS = 3

# Statements that assign as a whole, by language family: (statement type, expression types).
_ASSIGNING_EXPRESSIONS = frozenset(
    {
        "assignment",
        "augmented_assignment",
        "assignment_expression",
        "augmented_assignment_expression",
        "update_expression",
        "compound_assignment_expr",
    }
)
_DECLARATIONS = frozenset(
    {
        "lexical_declaration",
        "variable_declaration",
        "short_var_declaration",
        "var_declaration",
        "assignment_statement",
        "inc_statement",
        "dec_statement",
        "let_declaration",
        "local_variable_declaration",
    }
)


@dataclass(frozen=True)
class _Origin:
    name: str
    read: Node
    assignment: Node  # the statement B
    others: tuple[int, ...]  # lines of the variable's other assignments
    replaced: tuple[int, ...]  # those before B, whose value B replaces
    reading: tuple[int, ...]  # lines that read it


class VariableOrigin:
    type = "variable-origin"
    kind = "vocabulary"  # found by searching upward for the name: a warm-up at most
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        return per_function(code, self._about)

    def _about(self, code: CodeUnderQuiz, shape: Shapes, function: Function) -> Question | None:
        origins = _origins(code, shape, function)
        if not origins:
            return None
        # Best: an assignment that replaces an earlier one; then one of several
        # assignments; at least a variable assigned once, read further down.
        best = [o for o in origins if o.replaced] or [o for o in origins if o.others] or origins
        chosen = code.rng.choice(best)
        return _question(self.type, code, function, chosen, _assignment_lines(origins))


def _assignment_lines(origins: list[_Origin]) -> dict[str, set[int]]:
    return {o.name: {*o.others, o.assignment.start_point.row + 1} for o in origins}


def _question(
    kind: str,
    code: CodeUnderQuiz,
    function: Function,
    origin: _Origin,
    assignments: dict[str, set[int]],
) -> Question | None:
    answer = code.line_of(origin.assignment)
    read_line = code.line_of(origin.read)
    params = parameters(code, function.node) or []
    declared = [function.line] if origin.name in params else []
    exclude = {str(answer), str(read_line)}
    # Lines assigning other variables before the read: plausible when looking for a name.
    elsewhere = sorted(
        {
            line
            for name, lines in assignments.items()
            if name != origin.name
            for line in lines
            if line < read_line
        }
        - set(origin.others)
    )
    wrong = pick_preferring(
        code.rng,
        [
            [str(n) for n in origin.others],
            [str(n) for n in declared],
            [str(n) for n in elsewhere],
            [str(n) for n in origin.reading],
        ],
        DISTRACTORS,
        exclude=exclude,
    )
    if len(wrong) < 2:
        return None
    name = origin.name
    replaced = (
        f" It replaces the value assigned on {line_list(origin.replaced)}."
        if origin.replaced
        else ""
    )
    where = f"Line {answer} ({quote(line_text(code, answer).strip())})"
    if origin.others:
        why = (
            f"{where} is the last assignment to `{name}` before line {read_line}: it comes "
            f"earlier in the same block, and nothing between them assigns `{name}`.{replaced}"
        )
    else:
        why = f"{where} is the only assignment to `{name}`, earlier in the same block."
    return Question(
        type=kind,
        prompt=(
            f"Which line assigned the value of `{name}` that line {read_line} reads "
            f"({quote(line_text(code, read_line).strip())})?"
        ),
        answer=f"line {answer}",
        choices=line_choices(answer, [int(n) for n in wrong]),
        explanation=why,
    )


def _origins(code: CodeUnderQuiz, shape: Shapes, function: Function) -> list[_Origin]:
    bindings: dict[str, list[Node]] = {}
    reads: dict[str, list[Node]] = {}
    unsafe: set[str] = set()
    for node in descendants(function.body):
        if node.type not in shape.identifiers or not is_variable(node, shape):
            continue
        name = code.node_text(node)
        nested = enclosing_scope(node, shape) != function.node
        if is_binding(node, shape):
            if nested or _escapes(node):
                unsafe.add(name)
            bindings.setdefault(name, []).append(node)
        elif not nested:
            reads.setdefault(name, []).append(node)
    origins = []
    for name, assigned in bindings.items():
        if name in unsafe or name not in reads:
            continue
        statements = [_assigning_statement(node, shape) for node in assigned]
        lines = sorted(
            {
                code.line_of(s if s is not None else n)
                for n, s in zip(assigned, statements, strict=True)
            }
        )
        for read in reads[name]:
            before = [
                (node, statement)
                for node, statement in zip(assigned, statements, strict=True)
                if node.start_byte < read.start_byte
            ]
            if not before:
                continue
            node, statement = before[-1]
            if statement is None or not _reaches(statement, read, assigned):
                continue
            answer = code.line_of(statement)
            spanned = range(answer, statement.end_point.row + 2)
            origins.append(
                _Origin(
                    name,
                    read,
                    statement,
                    tuple(line for line in lines if line not in spanned),
                    tuple(line for line in lines if line < answer),
                    tuple(
                        sorted({code.line_of(n) for n in reads[name]} - set(spanned) - set(lines))
                    ),
                )
            )
            break  # one read per variable is enough
    return origins


def _escapes(node: Node) -> bool:
    """A `global`/`nonlocal` declaration: other code may assign the variable."""
    parent = node.parent
    return parent is not None and parent.type in ("global_statement", "nonlocal_statement")


def _assigning_statement(binding: Node, shape: Shapes) -> Node | None:
    """The statement that assigns this name as a whole (`x = ...`, `let x = ...`), or None
    when the assignment is part of something else (a loop header, a condition, a pattern
    in a `match`) or assigns no value (`let x;`)."""
    current = binding
    while current.parent is not None and current.parent.type not in shape.blocks:
        current = current.parent
        if current.type in shape.scopes:
            return None
    statement = current
    if statement.parent is None or statement.parent.type not in shape.blocks:
        return None
    if statement.type in _DECLARATIONS:
        return statement if _has_value(statement, binding) else None
    if statement.type == "expression_statement" and statement.named_child_count == 1:
        expression = statement.named_children[0]
        if expression.type not in _ASSIGNING_EXPRESSIONS:
            return None
        if expression.type == "assignment" and expression.child_by_field_name("right") is None:
            return None  # `x: int`: an annotation, no value
        target = expression.child_by_field_name("left") or expression.child_by_field_name(
            "argument"
        )
        if target is None and expression.named_child_count == 1:  # Java `i++`
            target = expression.named_children[0]
        if target is None or not inside(binding, target):
            return None
        return statement
    return None


def _has_value(statement: Node, binding: Node) -> bool:
    if statement.type in ("inc_statement", "dec_statement", "assignment_statement"):
        return True
    if statement.type in ("short_var_declaration",):
        return statement.child_by_field_name("right") is not None
    # The declarator naming this binding must carry a value.
    for node in descendants(statement):
        if inside(binding, node) and node.type in ("variable_declarator", "var_spec"):
            return node.child_by_field_name("value") is not None
    if statement.type == "let_declaration":
        return statement.child_by_field_name("value") is not None
    return False


def _reaches(statement: Node, read: Node, assigned: list[Node]) -> bool:
    """Whether the value assigned by `statement` is certainly the one `read` sees: the read
    sits in a later statement S of the same block, and nothing from the end of `statement`
    to the end of S assigns the name (a loop in S could carry a later value back)."""
    block = statement.parent
    if block is None:
        return False
    holder = read
    while holder.parent is not None and holder.parent != block:
        holder = holder.parent
    if holder.parent != block or holder.start_byte < statement.end_byte:
        return False
    return not any(statement.end_byte <= node.start_byte < holder.end_byte for node in assigned)


GENERATORS = [VariableOrigin()]
