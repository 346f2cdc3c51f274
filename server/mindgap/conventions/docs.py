"""docs/conventions.md, generated from the observers: `python -m mindgap.conventions.docs`.

A test keeps the page and the observers in step, so every dimension the server checks is
documented with what it checks, why, an example and what to use instead.
"""

from __future__ import annotations

import sys

from mindgap.conventions.dimensions import documented_observers

HOW_RULES_ARE_MINED = """\
# Repository conventions

mindgap learns how a repository's own code is written and flags foreign code (completions,
pastes, chat and agent edits) that departs from it. Code you typed yourself is never flagged.
Generated from the observers in `server/mindgap/conventions/dimensions/` (their prose from the
`.toml` file beside each module) by
`python -m mindgap.conventions.docs > docs/conventions.md`.

## How rules are mined

- **What is read.** The repository's source files: `git ls-files` (tracked and untracked but
  not ignored), or a folder walk outside git. Vendored folders (`vendor/`, `node_modules/`,
  `third_party/`, `extern/`, `blib2to3/`, `site-packages`, `.venv`, ...), folders below the
  root with a license file of their own and files whose header carries another copyright or
  license than most of the repository's (someone else's code), test data (`testdata/`),
  generated files (a "generated" or "DO NOT EDIT" header), minified files (lines over 1,000
  characters), files over 1 MB and files that are not UTF-8 text do not count; neither does
  code in regions mindgap knows to be foreign, nor the lines passed to `mindgap check
  --inserted`.
- **Votes.** Every site where code chooses between alternatives is one vote: a function
  name in snake_case, a string formatted with an f-string. Names of one lower-case word fit
  snake_case and camelCase alike: they vote for nothing and are never flagged.
- **Scopes.** Votes are counted for the whole repository and separately for tests and for
  the rest of the code. Code is judged by its own scope's rule; the whole repository's rule
  applies to a scope only when that scope's own code does not disagree with it. Tests do not
  vote on logging (debug prints are not a habit) nor on whether functions and classes have
  docstrings (an absence is not a decision), and are not held to those rules. Imports are
  counted per imported module (`import click` and `from werkzeug.x import y` can both be a
  repository's habit). Votes are also counted per package (a top-level source folder, or
  `src/<name>`): a voted rule does not judge a package whose own code (5 sites or more)
  makes another choice.
- **Support and dominance.** A choice is a rule only with at least `convention_min_support`
  sites (default 20) and `convention_min_dominance` of them (default 90%). Below that,
  mindgap says nothing about the aspect: a false alarm costs more than a miss.
- **Configuration wins.** Stated settings beat the vote, in every scope, and a finding says
  where they come from: ruff (`format.quote-style`, `lint.flake8-quotes.inline-quotes`),
  black (normalizes strings to double quotes unless `skip-string-normalization`), isort,
  `.editorconfig` (`quote_type`), prettier (`singleQuote`, `semi`, in `.prettierrc` or
  `package.json`), eslint (`quotes`, `semi`, `eqeqeq`, `no-var`, `prefer-arrow-callback`, in
  JSON-readable config), and mindgap's own table:

  ```toml
  [tool.mindgap.conventions]          # or [conventions] in .mindgap.toml
  quotes = "double"                   # every aspect of a dimension that offers the choice
  naming.function = "snake_case"      # one aspect
  string-format = "off"               # never flag this dimension
  javascript.semicolons = "semicolon" # one language
  ```
- **Cache.** Per-file counts are cached in `conventions.sqlite3` in mindgap's data directory,
  keyed by each file's content; `mindgap learn` and the server re-read only changed files
  (the server on save and on file changes it watches).
- **Findings.** `kind: "convention"`, `code: "convention/<dimension>"`, severity from
  `convention_severity` (default information), message such as "this repository uses
  f-strings for string formatting (212 of 230 sites, 92%); this uses str.format()", evidence
  with the rule, its counts, 2-3 example places (shown as related information in the editor)
  and, where the fix is mechanical, the replacement (a code action applies it; a rename
  changes every use inside the foreign code).

`mindgap learn [--repo DIR] [--format text|json]` prints every rule with its support,
dominance and source.
"""


def render() -> str:
    lines = [HOW_RULES_ARE_MINED.rstrip("\n"), "", "## Dimensions"]
    documented = sorted(
        documented_observers(),
        key=lambda pair: (pair[0].dimension, sorted(pair[0].languages), tuple(pair[0].aspects)),
    )
    for observer, prose in documented:
        languages = ", ".join(sorted(observer.languages))
        lines += ["", f"### {observer.dimension} ({languages})", ""]
        lines += [f"**What it checks.** {prose.what}", "", f"**Why.** {prose.why}", ""]
        aspects = "; ".join(f"`{key}`: {words}" for key, words in observer.aspects.items())
        choices = "; ".join(f"`{key}`: {words}" for key, words in observer.choices.items())
        lines += [f"Aspects: {aspects}.", "", f"Choices: {choices}."]
        fence = _fence(sorted(observer.languages)[0])
        lines += ["", "Departs from the usual convention:", "", fence, prose.example, "```"]
        lines += ["", "Use instead:", "", fence, prose.use_instead, "```"]
    return "\n".join(lines) + "\n"


def _fence(language: str) -> str:
    return "```" + {"tsx": "tsx", "typescript": "ts", "javascript": "js"}.get(language, language)


if __name__ == "__main__":
    sys.stdout.write(render())
