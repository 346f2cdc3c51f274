"""docs/questions-static.md and docs/questions-exec.md, generated from the question types:
`python -m mindgap.gate.question_docs` writes both.

Each type is documented by its own module's docstring (what it asks, why answering needs
tracing, when it is not asked, an example) and its generator's marks (kind, whether it
decides a pass, languages). A test keeps the pages and the generators in step, so a new type
is documented the moment it exists, and a page never describes a type that is gone.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mindgap.gate.questions import all_generators
from mindgap.gate.questions.base import QuestionGenerator, decides, runs_code

DOCS = Path(__file__).resolve().parents[3] / "docs"
PACKAGE = "server/mindgap/gate/questions"

LANGUAGE_NAMES = {
    "python": "Python",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
    "tsx": "TSX",
    "go": "Go",
    "rust": "Rust",
    "java": "Java",
}


@dataclass(frozen=True)
class QuestionModule:
    """One module of question types: its file, its docstring and its generators."""

    name: str
    docstring: str
    generators: tuple[QuestionGenerator, ...]

    @property
    def executes(self) -> bool:
        return any(runs_code(g) for g in self.generators)


def question_modules() -> list[QuestionModule]:
    """Every module that defines question generators, in file-name order."""
    by_module: dict[str, list[QuestionGenerator]] = {}
    for generator in all_generators():
        by_module.setdefault(type(generator).__module__, []).append(generator)
    modules = []
    for name in sorted(by_module):
        source = importlib.import_module(name).__file__
        assert source is not None
        tree = ast.parse(Path(source).read_text(encoding="utf-8"))
        modules.append(
            QuestionModule(
                name.rsplit(".", 1)[-1], ast.get_docstring(tree) or "", tuple(by_module[name])
            )
        )
    return modules


def example_lines(docstring: str) -> list[str]:
    """The docstring's example: its indented lines (a question and its choices)."""
    return [line for line in docstring.splitlines() if line.startswith("    ") and line.strip()]


def _languages(generator: QuestionGenerator) -> str:
    if generator.languages is None:
        return "every language"
    return ", ".join(LANGUAGE_NAMES.get(name, name) for name in sorted(generator.languages))


def _marks(generator: QuestionGenerator, executes: bool) -> str:
    decision = "decides a pass" if decides(generator) else "never decides (a warm-up at most)"
    source = "key from sandboxed runs" if executes else "key from the syntax tree"
    return f"{generator.kind}, {decision}; {_languages(generator)}; {source}"


def _section(module: QuestionModule) -> list[str]:
    lines = []
    for generator in module.generators:
        lines.append(f"### `{generator.type}`")
        lines.append("")
        lines.append(f"*{_marks(generator, module.executes)}* - `{PACKAGE}/{module.name}.py`")
        lines.append("")
    lines.append(module.docstring.rstrip())
    lines.append("")
    return lines


def render_page(intro: str, modules: Sequence[QuestionModule], outro: str) -> str:
    lines = [intro.rstrip("\n"), "", "## The types", ""]
    for module in modules:
        lines.extend(_section(module))
    if outro.strip():
        lines.append(outro.rstrip("\n"))
        lines.append("")
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """{file name under docs/: its text}."""
    modules = question_modules()
    return {
        "questions-static.md": render_page(
            STATIC_INTRO, [m for m in modules if not m.executes], STATIC_OUTRO
        ),
        "questions-exec.md": render_page(
            EXEC_INTRO, [m for m in modules if m.executes], EXEC_OUTRO
        ),
    }


def main(argv: list[str]) -> int:
    if argv and (argv[0].startswith("-") or not Path(argv[0]).is_dir()):
        print("usage: python -m mindgap.gate.question_docs [FOLDER] (default: docs/)")
        return 0 if argv[0] in ("-h", "--help") else 2
    folder = Path(argv[0]) if argv else DOCS
    for name, text in pages().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")
    return 0


STATIC_INTRO = """\
# Static question types

Generated from the question modules by `python -m mindgap.gate.question_docs`: each type's
section below is its module's own docstring.

Questions whose key comes from the syntax tree alone: nothing is run, so they work on every
supported language and need no sandbox. Each type is one module in
`server/mindgap/gate/questions/` (every module whose generators do not run code) with its
tests in
`tests/unit/gate/test_<module>.py`; the per-language node names they share are in
`questions/_syntax.py`, whose functions, loops, returns, raises and calls come from the one
table of grammar roles, `server/mindgap/syntax/roles.py` (also read by the explanation facts
and the conventions' fingerprints).

**Which types decide a pass** (GATE.md, the standard a gate question must meet): every type
is marked `kind`: `tracing` or `vocabulary`. Only tracing questions decide a pass: their
answer needs following what the code does (where a false condition goes, where a `break` or
`continue` goes, which assignment a read sees, what a small function returns for given
arguments). Vocabulary questions - a construct's name or purpose, which names the code
calls, how many `return`s it has, which parameter is unused, which variable a loop assigns,
what a branch made of one `raise` or one `return <literal>` gives - can be answered by
knowing a term or searching the text; they never decide a pass, and a quiz holds at most one
of them, as a warm-up, only for a construct this developer has not written. A tracing
question whose key is the only choice written verbatim in the code is demoted too (the
"surface solver" would find it), and a quiz is offered only when guessing all its deciding
answers passes it at most 3% of the time; otherwise the code is explained or hand-written.

Rules every type follows:

- **No ambiguous question.** When the tree does not settle the answer (two lines could raise
  it, an assignment inside an `if` may not run, a closure may change a variable), the
  question is not asked.
- **No accidentally right wrong option.** Wrong options are chosen so that they are wrong
  for a stated reason (never called, never assigned, outside the `try` block, not a base
  class of the answer...), from the most plausible first.
- **Lines** are named `line N`, 1-based in the file; short code is quoted in backticks;
  each question carries an explanation of why its key is right.
- **Deterministic:** all randomness comes from `code.rng` (seeded by the code's hash); tree-sitter
  query captures are sorted before use, and nothing depends on set order, so the same code
  gets the same questions, in any process.
"""

STATIC_OUTRO = """\
Coverage on real code (`tests/unit/gate/test_static_coverage.py`): over the 632 functions of
5+ lines in `rich`, 63% get at least three static questions (asserted: 60%). Speed
(`bench/bench_quiz_static.py`): all static types on one 40-line region take a median of 3.5
to 7.5 ms depending on the language, and at most about 11 ms at the 95th percentile, within
the 20 ms budget.
"""

EXEC_INTRO = """\
# Execution question types (Python)

Generated from the question modules by `python -m mindgap.gate.question_docs`: each type's
section below is its module's own docstring.

Questions whose key comes from running the code, in the sandbox (`server/mindgap/gate/sandbox/`),
never in the server's process. They exist for Python only, next to the
[static types](questions-static.md) that work in every language. Each type is one module in
`server/mindgap/gate/questions/exec_*.py`, with its tests in `tests/unit/gate/test_exec_*.py`;
what they share (which functions can run, with which inputs, one batch per region) is in
`questions/exec_common.py`.

Every execution type is a tracing type and decides a pass (GATE.md):
its key is a value the code computes for given inputs, established by the sandbox twice with
the same result (an `unstable` outcome asks nothing).

## Which code is run, and with what

- **Functions, methods, generators and async functions** of the file that overlap the
  foreign region (also one whose body the region finishes), with at most four required
  parameters, each of a simple kind mindgap can feed: `int`, `float`, `str`, `bool`, a list
  of ints or of strings, a list of `(name, number)` pairs, a `dict`. The kind comes from the
  annotation, the default, how the body uses the parameter (a name sliced into something used
  as a string is a string), and last its name (`count`, `names`...).
  - A **method** runs as a function with a stand-in `self` holding the plain attributes it
    reads (their kinds from the class's annotations, its `__init__`, the method's use); the
    prompt gives them: "With `self.width = 3`, what does `self.shorten('hello')` return?".
    Methods that call other methods of `self`, or pass `self` on, are not run.
  - A **generator** is asked for its first three values (`itertools.islice`, in the sandbox).
  - An **async function** is awaited by the sandbox's child (until that lands, its outcome
    is `unstable` and nothing is asked).
- **Inputs are a test writer's** (`candidate_inputs`): the literals and the separators the
  code looks for (`'a.b.c'` where it splits on `'.'`), both sides of each number it compares
  with, empty and one-element collections, `None` where it checks for `None`, leading signs,
  two equal numbers where two are compared. Every candidate runs; the sandbox reports the
  lines each call executed (`Outcome.lines`), and one input is kept per distinct path (lines,
  the line it ended on, the exception), the richest paths first. A later attempt starts its
  walk further along each pool, so it draws other inputs. A guess of kind that turns out
  wrong (`TypeError`/`AttributeError`) drops the function.
- **One batch per region**: every type adds its calls to one plan, run once, in two child
  processes at once; an outcome that differs between the two is `unstable` and asks nothing.
- The definitions sent are the file with everything blanked except the functions asked
  about and the top-level imports, constants, functions and classes they need; line
  numbers in the outcomes are the file's. A function they import from their own package
  (`from ._compat import strip_ansi`) comes along from its file, with what it needs there,
  when all of it passes the static check.

## The sandbox rules

Code is sent only if a first static check (`check_code`, reading the syntax tree, which runs
nothing) finds it free of file, process, network and import side effects and of
`eval`/`exec`/`__import__`/`open`, dunder and computed-name tricks (`getattr` with a
literal name, gettext's `_("...{name}").format(...)` with plain fields, and a function's own
variable called `code` or `help` pass; the child gives `_`, `gettext` and `ngettext` as
without a catalogue: the English message as written). It then runs
only in the operating-system sandbox: bubblewrap namespaces, seccomp filters, resource limits
(CPU time per call 0.25 s, 3 s per batch, 256 MB of address space, file size 0, no new
processes, 16 open files), wall clocks per call and per batch, bounded output. Without one,
nothing runs. How it is built, what it refuses and how it is tested: [sandbox.md](sandbox.md).
"""

EXEC_OUTRO = """\
The key of each is what the sandbox reported; wrong options are the results of likely
misreadings - the other branch's result, the result for a neighbouring input, the unmutated
result, off by one, reversed, one item short - all of the key's type and shape, never a
second right answer. The `expression` type covers code that cannot run whole (library
methods that take objects): one line's computation, its names given test-writer values.

**Attempts** (`gate/attempts.py`): a question whose answer was shown - the feedback after a
wrong answer, `--with-answers`, a passed quiz - is never asked again about that code (known
by its text's hash); the next attempt draws other inputs and mutants. The same code and the
same attempt number give the same quiz. After two failed attempts hand-writing is suggested;
a third attempt within `quiz_retry_cooldown_minutes` (10) is refused with that advice.

**What it reaches on library code** (`tests/unit/gate/test_surface_solver.py`, over all
1,026 functions of 5+ lines of click and rich): a reader who does not trace passes 0.73% of
the quizzes; 100% of the questions need tracing; 26.0% of the functions get a quiz (three or
more questions) - most of the others delegate to objects, do I/O or build the package's own
objects, and have little of their own to trace: explain or hand-write them.

The same sample calls serve the hand-write check's behaviour level (see [gate.md](gate.md)).
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
