"""Construct questions: what a construct in the region is called, and what it does.

The key is the construct catalogue's own hit on that line. Wrong options are other
constructs of the same language, from the same family first (a list comprehension against
a dict comprehension, a set comprehension and a generator expression: plausible, and each
plainly something else), and never one the catalogue also finds on that line or around that
code, so no wrong option can be accidentally right.

    What is `[x * 2 for x in xs if x]` on line 4 called?
    What does `with open(path) as f:` on line 9 do?
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from mindgap.gate.questions._syntax import pick_preferring, quote, shuffled
from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.knowledge.catalogue import Construct, ConstructHit, catalogue, has_catalogue

DISTRACTORS = 3
NAME_QUESTIONS = 2  # about different constructs
ASKED = "construct.asked"  # notes key: construct ids the name questions already used


@dataclass(frozen=True)
class _Candidate:
    hit: ConstructHit
    line: int
    snippet: str  # quoted code
    whole: bool  # the snippet is the whole construct, not just its first line
    around: frozenset[str]  # ids of constructs found on this code: never wrong options
    same_family: tuple[Construct, ...]  # the most plausible wrong options
    gives_away: bool  # the name quotes code the snippet shows (`await` expression, `await x`)

    @property
    def construct(self) -> Construct:
        return self.hit.construct

    @property
    def where(self) -> str:
        if self.whole:
            return f"{self.snippet} on line {self.line}"
        last = self.hit.end_point[0] + 1
        return f"the code on lines {self.line}-{last} that starts with {self.snippet}"

    def distractors(self, code: CodeUnderQuiz) -> list[Construct]:
        """Three wrong options: from the same family first, then from the others."""
        others = [
            c
            for c in catalogue(code.language).constructs.values()
            if c.family != self.construct.family and _usable(c, self.construct, self.around)
        ]
        by_id = {c.id: c for c in (*self.same_family, *others)}
        ids = pick_preferring(
            code.rng,
            [[c.id for c in self.same_family], [c.id for c in others]],
            DISTRACTORS,
            exclude=set(),
        )
        return [by_id[i] for i in ids]


def _usable(option: Construct, answer: Construct, around: frozenset[str]) -> bool:
    return (
        option.id not in around
        and option.name != answer.name
        and option.explanation != answer.explanation
    )


def candidates(code: CodeUnderQuiz) -> list[_Candidate]:
    """One candidate per construct found in the region (its first hit), best first: those
    whose family offers three wrong options, then those quoted whole, then those whose name
    does not give the answer away, then source order."""
    if not has_catalogue(code.language):
        return []
    cached = code.notes.get("construct.candidates")
    if isinstance(cached, list):
        return cached
    known = catalogue(code.language)
    families = _families(code.language)
    hits = known.find(code.tree.root_node, code.start_byte, code.end_byte)
    by_line: dict[int, set[str]] = {}
    for hit in hits:
        by_line.setdefault(hit.start_point[0], set()).add(hit.construct.id)
    found: dict[str, _Candidate] = {}
    for hit in hits:
        if hit.construct.id in found or hit.end_byte > code.end_byte:
            continue
        around = set(by_line[hit.start_point[0]])
        for other in hits:  # hits are in source order: none after this one's end overlaps
            if other.start_byte >= hit.end_byte:
                break
            if hit.start_byte < other.end_byte:
                around.add(other.construct.id)
        text = code.source[hit.start_byte : hit.end_byte].decode("utf-8", errors="replace")
        whole = "\n" not in text.strip() and len(text.strip()) <= 60
        snippet = quote(text if whole else text.split("\n", 1)[0])
        construct = hit.construct
        found[construct.id] = _Candidate(
            hit,
            hit.start_point[0] + 1,
            snippet,
            whole,
            frozenset(around),
            tuple(
                c for c in families[construct.family] if _usable(c, construct, frozenset(around))
            ),
            any(token in snippet for token in _QUOTED.findall(construct.name)),
        )
    ranked = sorted(
        found.values(),
        key=lambda c: (
            -min(len(c.same_family), DISTRACTORS),
            not c.whole,
            c.gives_away,
            c.hit.start_byte,
        ),
    )
    code.notes["construct.candidates"] = ranked
    return ranked


_QUOTED = re.compile(r"`([^`]+)`")


@functools.cache
def _families(language: str) -> dict[str, tuple[Construct, ...]]:
    families: dict[str, list[Construct]] = {}
    for construct in catalogue(language).constructs.values():
        families.setdefault(construct.family, []).append(construct)
    return {family: tuple(members) for family, members in families.items()}


def _best(code: CodeUnderQuiz, pool: list[_Candidate]) -> _Candidate:
    """One of the equally good candidates at the top, chosen with the quiz's generator."""
    top = pool[0]
    tied = [
        c
        for c in pool
        if min(len(c.same_family), DISTRACTORS) == min(len(top.same_family), DISTRACTORS)
        and c.whole == top.whole
        and c.gives_away == top.gives_away
    ]
    return code.rng.choice(tied)


class ConstructName:
    type = "construct"
    kind = "vocabulary"  # found by reading or searching the text: a warm-up at most
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        pool = list(candidates(code))
        questions: list[Question] = []
        asked: list[str] = []
        # Leave one construct for the purpose question when there are few.
        wanted = max(1, min(NAME_QUESTIONS, len(pool) - 1))
        while pool and len(questions) < wanted:
            chosen = _best(code, pool)
            pool = [c for c in pool if not _overlap(c, chosen)]
            construct = chosen.construct
            wrong = chosen.distractors(code)
            if len(wrong) < DISTRACTORS:
                continue
            questions.append(
                Question(
                    type=self.type,
                    prompt=f"What is {chosen.where} called?",
                    answer=construct.name,
                    choices=shuffled(code.rng, construct.name, [c.name for c in wrong]),
                    explanation=(
                        f"{_capital(chosen.where)} is known as {construct.name}: "
                        f"{construct.explanation}"
                    ),
                    constructs=(construct.key,),
                )
            )
            asked.append(construct.id)
        code.notes[ASKED] = asked
        return questions


class ConstructPurpose:
    type = "construct-purpose"
    kind = "vocabulary"  # found by reading or searching the text: a warm-up at most
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        pool = candidates(code)
        noted = code.notes.get(ASKED)
        if isinstance(noted, list):  # not again about what the name questions asked
            asked = [c for c in pool if c.construct.id in noted]
            pool = [c for c in pool if not any(_overlap(c, other) for other in asked)]
        if not pool:
            return []
        chosen = _best(code, pool)
        construct = chosen.construct
        wrong = chosen.distractors(code)
        if len(wrong) < DISTRACTORS:
            return []
        what = chosen.where
        return [
            Question(
                type=self.type,
                prompt=f"What does {what} do?",
                answer=construct.explanation,
                choices=shuffled(code.rng, construct.explanation, [c.explanation for c in wrong]),
                explanation=f"{_capital(what)} is known as {construct.name}.",
                constructs=(construct.key,),
            )
        ]


def _overlap(one: _Candidate, other: _Candidate) -> bool:
    return one.hit.start_byte < other.hit.end_byte and other.hit.start_byte < one.hit.end_byte


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


GENERATORS = [ConstructName(), ConstructPurpose()]
