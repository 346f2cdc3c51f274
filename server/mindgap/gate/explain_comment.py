"""Explanations written in the code: for editors without a text input for commands.

The developer writes their explanation as a comment right above the foreign region, its
first line starting with `explain:` after the comment marker:

    # explain: adds up the prices, raises ValueError on a negative one,
    # and returns the sum minus the discount.
    def total(prices, discount):

The comment lines directly above the region (no blank line between) are read, the first of
them must hold the `explain:` tag; the text after the markers is the explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mindgap.gate.handwrite_session import COMMENT_PREFIXES

TAG = "explain:"


@dataclass(frozen=True)
class ExplanationComment:
    start: int  # offset of the first comment line
    text: str  # the explanation, markers and tag removed, lines joined


def explanation_above(language: str, text: str, region_start: int) -> ExplanationComment | None:
    """The `explain:` comment right above the line where the region starts, if any."""
    prefix = COMMENT_PREFIXES.get(language)
    if prefix is None:
        return None
    line_start = text.rfind("\n", 0, region_start) + 1
    lines: list[tuple[int, str]] = []  # (offset, body) from the nearest upwards
    position = line_start
    while position > 0:
        previous = text.rfind("\n", 0, position - 1) + 1
        stripped = text[previous : position - 1].strip()
        if not stripped.startswith(prefix):
            break
        lines.append((previous, stripped[len(prefix) :].strip()))
        position = previous
    for index, (offset, body) in enumerate(lines):
        if body.lower().startswith(TAG):
            chosen = [body[len(TAG) :]] + [b for _, b in reversed(lines[:index])]
            return ExplanationComment(offset, re.sub(r"\s+", " ", " ".join(chosen)).strip())
    return None


def template_line(language: str, text: str, region_start: int) -> tuple[int, str]:
    """Where to insert an empty `explain:` comment (the start of the region's first line)
    and the line itself, indented like the code."""
    prefix = COMMENT_PREFIXES[language]
    line_start = text.rfind("\n", 0, region_start) + 1
    line = text[line_start:region_start]
    indent = line[: len(line) - len(line.lstrip())]
    return line_start, f"{indent}{prefix} {TAG} \n"
