"""return-attribute (predict the result, for an object): what does one attribute of the
object a call returns hold?

For a call that returns an object of the code's own classes whose repr no choice could show
(the default `<Label object at 0x..>`, or one too long or with runs of spaces), the sandbox
also reports a view of it: the reprs of its public attributes of plain values (str, int,
float, bool, None, lists and tuples of those), read from the instance's dict and slots, so
that no property runs. The question asks about the attribute whose values differ the most
between the test writer's candidate inputs (one input per distinct view), stated in the
prompt. The key is what the sandbox established, twice the same; the wrong choices are that
attribute's values for the other inputs and near misses of the key, all of the key's type.
Nobody can answer without tracing what the call builds for that input.

    What is `level_label('warn').style`?
        'level.warning' / 'level.warn' / 'level.hello' / 'level.'
"""

from __future__ import annotations

from mindgap.gate.questions.base import CodeUnderQuiz, Question, first_unsearched
from mindgap.gate.questions.exec_common import (
    QuestionsPerTarget,
    RegionRuns,
    Target,
    arrange,
    readable,
    showable,
    value_distractors,
)


class ReturnAttribute(QuestionsPerTarget):
    type = "return-attribute"
    max_questions = 6
    per_target = 2

    @staticmethod
    def asks_about(target: Target) -> bool:
        return target.form in ("function", "method")

    def questions(self, code: CodeUnderQuiz, runs: RegionRuns, target: Target) -> list[Question]:
        viewed = object_results(runs, target)
        attribute = telling_attribute([view for _, view in viewed])
        if attribute is None:
            return []
        asked = (
            self.question(
                code,
                target,
                values,
                attribute,
                dict(view),
                [dict(v)[attribute] for w, v in viewed if w != values],
            )
            for values, view in viewed
        )
        return first_unsearched(asked, self.per_target, code.text)

    def question(
        self,
        code: CodeUnderQuiz,
        target: Target,
        values: tuple[object, ...],
        attribute: str,
        view: dict[str, str],
        related: list[str],
    ) -> Question | None:
        key = view[attribute]
        if not readable(key):
            return None
        distractors = value_distractors(key, related, code.rng)
        if len(distractors) < 3:
            return None
        shown = f"{target.shown(values)}.{attribute}"
        return Question(
            type=self.type,
            prompt=target.posed(values, f"what is `{shown}`?")
            + f" (`{target.name}` is defined on line {target.line}.)",
            answer=key,
            explanation=f"`{target.shown(values)}` returns an object whose `{attribute}` "
            f"is `{key}`.",
            choices=arrange(key, distractors, code.rng),
        )


def object_results(
    runs: RegionRuns, target: Target
) -> list[tuple[tuple[object, ...], tuple[tuple[str, str], ...]]]:
    """The candidate inputs whose call returned an object no return-value question can show
    but the sandbox viewed, one per distinct view (a value with an address in its repr comes
    back "unstable" with its view, the same in both runs)."""
    found = []
    seen: set[object] = set()
    for values, _call, outcome in runs.tried(target):
        if not outcome.view or showable(outcome):
            continue
        if outcome.kind not in ("value", "unstable") or outcome.view in seen:
            continue
        seen.add(outcome.view)
        found.append((values, outcome.view))
    return found


def telling_attribute(views: list[tuple[tuple[str, str], ...]]) -> str | None:
    """The attribute every view holds whose values differ the most between inputs (at least
    two readable values); the first by name among equals."""
    if len(views) < 2:
        return None
    common = set(dict(views[0]))
    for view in views[1:]:
        common &= set(dict(view))
    best, most = None, 1
    for name in sorted(common):
        distinct = len({v for v in (dict(view)[name] for view in views) if readable(v)})
        if distinct > most:
            best, most = name, distinct
    return best


GENERATORS = [ReturnAttribute()]
