"""docs/constructs.md, generated from the catalogues: `python -m mindgap.knowledge.catalogue_docs`.

A test keeps the page and the query files in step, so the page never describes constructs
that the server does not detect.
"""

from __future__ import annotations

import sys

from mindgap.knowledge.catalogue import catalogue, has_catalogue
from mindgap.syntax.languages import LANGUAGES


def render() -> str:
    lines = [
        "# Construct catalogue",
        "",
        "What mindgap recognises in foreign code and checks against your own history. Generated",
        "from `server/mindgap/syntax/queries/<language>/constructs.scm` by",
        "`python -m mindgap.knowledge.catalogue_docs > docs/constructs.md`; each construct's",
        "tests (a snippet that has it, a near miss that does not) are in `tests/unit/knowledge/`.",
        "Python code is also checked for library APIs (`itertools.groupby`, `re.compile`, ...).",
    ]
    for spec in LANGUAGES:
        if not has_catalogue(spec.name):
            continue
        constructs = sorted(
            catalogue(spec.name).constructs.values(), key=lambda c: (c.family, c.id)
        )
        lines += [
            "",
            f"## {spec.name} ({len(constructs)})",
            "",
            "| construct | family | what it does |",
        ]
        lines.append("|---|---|---|")
        for construct in constructs:
            explanation = construct.explanation.replace("|", "\\|")
            name = construct.name.replace("|", "\\|")
            lines.append(f"| {name} (`{construct.id}`) | {construct.family} | {explanation} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
