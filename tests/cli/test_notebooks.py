"""Notebooks on the command line: real .ipynb files written by nbformat (magics, markdown
cells, outputs, execution counts, with and without nbformat 4.5 cell ids), checked, learned
and quizzed by the real `mindgap` process."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from tests.cli.test_cli import mindgap
from tests.fixtures.gitrepo import GitRepo

SETUP = "%matplotlib inline\n%pip install requests-toolbelt\nimport os\n!ls -la\nfiles = !ls\n"
HELPERS = "RATE = 3\n\n\ndef scale(value):\n    return value * RATE\n"
FOREIGN = (
    "%%time\n"
    "import requests_toolbelt\n"
    "import fancyhallucinatedpkg\n"
    "\n"
    "\n"
    "def total(items):\n"
    "    result = 0\n"
    "    for item in items:\n"
    "        if item > 2:\n"
    "            result += scale(item)\n"
    "        else:\n"
    "            result -= 1\n"
    "    return result\n"
)


def write_notebook(path: Path, cells: list, *, with_ids: bool = True) -> Path:
    notebook = v4.new_notebook()
    notebook.cells = cells
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    if not with_ids:  # an nbformat 4.4 notebook: cells have no ids
        notebook.nbformat_minor = 4
        for cell in notebook.cells:
            cell.pop("id", None)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path


def analysis_notebook(path: Path, *, with_ids: bool = True) -> Path:
    """Cells: 0 markdown, 1 magics and imports (with an output), 2 helpers, 3 foreign code
    that uses them, 4 raw."""
    return write_notebook(
        path,
        [
            v4.new_markdown_cell("# Analysis\n\nWe `import os` and call `total()` below.\n"),
            v4.new_code_cell(
                SETUP,
                execution_count=1,
                outputs=[v4.new_output("stream", name="stdout", text="total 0\n")],
            ),
            v4.new_code_cell(HELPERS, execution_count=2),
            v4.new_code_cell(FOREIGN, execution_count=3),
            v4.new_raw_cell("def not_code(:\n"),
        ],
        with_ids=with_ids,
    )


@pytest.mark.parametrize("with_ids", [True, False], ids=["nbformat-4.5-ids", "no-ids"])
def test_check_places_findings_in_the_cell_with_earlier_cells_as_context(
    tmp_path: Path, with_ids: bool
) -> None:
    notebook = analysis_notebook(tmp_path / "work" / "nb.ipynb", with_ids=with_ids)
    result = mindgap(
        "check",
        str(notebook),
        "--inserted",
        f"{notebook}#3:2-13",
        "--format",
        "json",
        home=tmp_path / "home",
    )
    assert result.returncode == 1, result.stderr  # the invented package fails the check
    findings = json.loads(result.stdout)["findings"]
    assert {f["cell"] for f in findings} == {3}
    region = next(f for f in findings if f["kind"] == "foreign-region")
    assert region["range"] == {
        "start": {"line": 1, "character": 0},
        "end": {"line": 12, "character": 17},
    }
    assert region["message"].startswith("10 lines inserted")
    dependencies = [f for f in findings if f["kind"] == "dependency"]
    # `%pip install requests-toolbelt` in cell 1 declares it; the invented name is caught
    assert [f["evidence"]["package"] for f in dependencies] == ["fancyhallucinatedpkg"]
    assert dependencies[0]["range"] == {
        "start": {"line": 2, "character": 7},
        "end": {"line": 2, "character": 27},
    }


def test_all_foreign_covers_code_cells_only_and_magics_are_not_misparsed(tmp_path: Path) -> None:
    notebook = analysis_notebook(tmp_path / "nb.ipynb")
    result = mindgap(
        "check", str(notebook), "--all-foreign", "--format", "json", home=tmp_path / "home"
    )
    findings = json.loads(result.stdout)["findings"]
    regions = [f for f in findings if f["kind"] == "foreign-region"]
    assert [f["cell"] for f in regions] == [1, 2, 3]  # not the markdown or raw cells
    assert not [f for f in findings if f["code"] == "not-analysed"]
    # the magics are neither imports nor code: only the invented package is a problem
    dependencies = [f["evidence"]["package"] for f in findings if f["kind"] == "dependency"]
    assert dependencies == ["fancyhallucinatedpkg"]


def test_text_output_names_the_cell(tmp_path: Path) -> None:
    notebook = analysis_notebook(tmp_path / "nb.ipynb")
    result = mindgap(
        "check", str(notebook), "--inserted", f"{notebook}#3:3-3", home=tmp_path / "home"
    )
    assert f"{notebook}#3:3:1-3:28 information foreign-region" in result.stdout
    assert f"{notebook}#3:3:8-3:28 warning dependency/unknown-package" in result.stdout


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("this is not json", "not a notebook: not valid JSON"),
        ('{"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "cells": []}', "nbformat 3"),
        ('{"metadata": {}}', "no 'cells'"),
        ('{"nbformat": 4, "cells": [{"cell_type": "widget"}]}', "unknown cell_type"),
        ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 7}]}', "neither text"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_an_invalid_notebook_gets_one_line(tmp_path: Path, content: str, says: str) -> None:
    notebook = tmp_path / "broken.ipynb"
    notebook.write_text(content, encoding="utf-8")
    for command in (["check", str(notebook), "--all-foreign"], ["quiz", f"{notebook}#0:1-1"]):
        result = mindgap(*command, home=tmp_path / "home")
        assert result.returncode == 2
        problem = [line for line in result.stderr.splitlines() if "profile" not in line]
        assert len(problem) == 1 and says in problem[0], result.stderr
        assert "Traceback" not in result.stderr


def test_a_huge_notebook_is_refused_before_it_is_read(tmp_path: Path) -> None:
    notebook = tmp_path / "huge.ipynb"
    with notebook.open("wb") as handle:
        handle.truncate(30_000_000)
    result = mindgap("check", str(notebook), "--all-foreign", home=tmp_path / "home")
    assert result.returncode == 2
    assert "too large" in result.stderr and "Traceback" not in result.stderr


def test_cells_that_are_no_code_or_do_not_exist_are_named(tmp_path: Path) -> None:
    notebook = analysis_notebook(tmp_path / "nb.ipynb")
    for target, says in [
        (f"{notebook}#0:1-2", "cell 0 is a markdown cell"),
        (f"{notebook}#4:1-1", "cell 4 is a raw cell"),
        (f"{notebook}#9:1-1", "no cell 9"),
        (f"{notebook}#2:40-41", "past the end of cell 2"),
    ]:
        result = mindgap("check", str(notebook), "--inserted", target, home=tmp_path / "home")
        assert result.returncode == 2 and says in result.stderr, result.stderr
    result = mindgap(
        "check", str(notebook), "--inserted", f"{notebook}:3-4", home=tmp_path / "home"
    )
    assert result.returncode == 2 and "nb.ipynb#CELL:START-END" in result.stderr


def test_quiz_on_a_cell_runs_with_the_earlier_cells_definitions(
    tmp_path: Path, os_sandbox: None
) -> None:
    notebook = analysis_notebook(tmp_path / "nb.ipynb")
    result = mindgap(
        "quiz",
        f"{notebook}#3:6-13",
        "--format",
        "json",
        "--with-answers",
        home=tmp_path / "home",
    )
    assert result.returncode == 0, result.stderr
    questions = json.loads(result.stdout)["questions"]
    returns = [q for q in questions if q["type"] == "return-value"]
    assert returns, [q["type"] for q in questions]
    # scale() and RATE come from cell 2: total([1, 2, 3, 4]) is -1 - 1 + 9 + 12
    assert any(q["answer"] == "19" and "total([1, 2, 3, 4])" in q["prompt"] for q in returns)
    # the prompts speak of the cell's own lines
    assert any("line 13" in q["explanation"] or "line 6" in q["prompt"] for q in questions)


def test_quiz_does_not_run_code_that_needs_the_kernels_state(
    tmp_path: Path, os_sandbox: None
) -> None:
    notebook = write_notebook(
        tmp_path / "nb.ipynb",
        [
            v4.new_code_cell("%run setup.py\n"),
            v4.new_code_cell(
                "def above(items):\n"
                "    kept = []\n"
                "    for item in items:\n"
                "        if item > limit_from_kernel:\n"
                "            kept.append(item)\n"
                "    return kept\n"
            ),
        ],
    )
    result = mindgap(
        "quiz", f"{notebook}#1:1-6", "--format", "json", "--with-answers", home=tmp_path / "home"
    )
    assert result.returncode == 0, result.stderr
    questions = json.loads(result.stdout)["questions"]
    executed = {"return-value", "empty-input", "mutation", "loop-count", "which-input"}
    assert not [q for q in questions if q["type"] in executed]
    assert not [q for q in questions if "NameError" in json.dumps(q)]


def fstring_notebook(n: int) -> list:
    code = "\n".join(f'label_{n}_{i} = f"item {{{i}}}"' for i in range(12))
    return [v4.new_markdown_cell("notes"), v4.new_code_cell(code + "\n")]


def test_learn_reads_notebooks_and_check_holds_a_cell_to_their_conventions(
    tmp_path: Path,
) -> None:
    repo = GitRepo(tmp_path / "repo")
    for n in range(3):  # 36 f-strings, all in notebooks; the script has none
        write_notebook(repo.path / "analysis" / f"explore_{n}.ipynb", fstring_notebook(n))
    repo.write("pkg/util.py", 'def slugify(text):\n    return "-".join(text.lower().split())\n')
    repo.write("pyproject.toml", '[project]\nname = "pkg"\ndependencies = []\n')
    repo.commit("notebooks")
    learned = mindgap("learn", "--format", "json", home=tmp_path / "home", cwd=repo.path)
    assert learned.returncode == 0, learned.stderr
    description = json.loads(learned.stdout)
    assert description["files"] == 4  # three notebooks and the script
    rules = json.dumps(description["rules"])
    assert "string-format" in rules and "f-string" in rules
    # its examples name the notebook's cell and the line in it (cell 1: after the markdown)
    shown = mindgap("learn", home=tmp_path / "home", cwd=repo.path).stdout
    assert "analysis/explore_0.ipynb#1:1 label_0_0 = f" in shown

    foreign = write_notebook(
        repo.path / "analysis" / "new.ipynb",
        [
            v4.new_code_cell("import os\n"),
            v4.new_code_cell('greeting = "hello {}".format(os.name)\n'),
        ],
    )
    result = mindgap(
        "check",
        str(foreign),
        "--inserted",
        f"{foreign}#1:1-1",
        "--format",
        "json",
        home=tmp_path / "home",
        cwd=repo.path,
    )
    findings = json.loads(result.stdout)["findings"]
    conventions = [f for f in findings if f["kind"] == "convention"]
    assert [(f["dimension"], f["cell"]) for f in conventions] == [("string-format", 1)]
    assert conventions[0]["range"]["start"]["line"] == 0


def test_a_cell_that_reinvents_a_script_helper_is_flagged(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(
        "pkg/text.py",
        "def slugify(title, separator):\n"
        "    words = []\n"
        "    for word in title.lower().split():\n"
        "        cleaned = ''.join(ch for ch in word if ch.isalnum())\n"
        "        if cleaned:\n"
        "            words.append(cleaned)\n"
        "    return separator.join(words)\n",
    )
    repo.commit("helpers")
    foreign = write_notebook(
        repo.path / "nb.ipynb",
        [
            v4.new_markdown_cell("# Titles"),
            v4.new_code_cell(
                "def make_slug(name, sep):\n"
                "    parts = []\n"
                "    for part in name.lower().split():\n"
                "        kept = ''.join(c for c in part if c.isalnum())\n"
                "        if kept:\n"
                "            parts.append(kept)\n"
                "    return sep.join(parts)\n"
            ),
        ],
    )
    result = mindgap(
        "check", str(foreign), "--all-foreign", "--format", "json", home=tmp_path / "home"
    )
    (found,) = [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "reinvention"]
    assert found["cell"] == 1 and found["evidence"]["function"].endswith("slugify")
    assert found["range"]["start"] == {"line": 0, "character": 4}


def test_unfamiliar_constructs_in_a_cell(tmp_path: Path) -> None:
    from tests.cli.test_check_unfamiliar import FOREIGN as PICK
    from tests.fixtures.gitrepo import ALICE, two_author_repo

    repo = two_author_repo(tmp_path / "repo")  # Alice writes lambdas; only others write `match`
    home = tmp_path / "home"
    built = mindgap(
        "profile", "--developer", ALICE[1], "--repo", str(repo.path), home=home, cwd=repo.path
    )
    assert built.returncode == 0, built.stderr
    notebook = write_notebook(
        repo.path / "pick.ipynb",
        [
            v4.new_markdown_cell("# Picking"),
            v4.new_code_cell("%load_ext autoreload\n"),
            v4.new_code_cell(PICK),
        ],
    )
    result = mindgap(
        "check",
        str(notebook),
        "--inserted",
        f"{notebook}#2:1-6",
        "--developer",
        ALICE[1],
        "--format",
        "json",
        home=home,
        cwd=repo.path,
    )
    findings = json.loads(result.stdout)["findings"]
    unfamiliar = {f["evidence"]["construct"]: f for f in findings if f["kind"] == "unfamiliar"}
    assert "python/lambda" not in unfamiliar  # she writes lambdas herself
    match = unfamiliar["python/match-statement"]
    assert match["cell"] == 2 and match["range"]["start"] == {"line": 2, "character": 4}


def store_cell_region(home: Path, developer: str, notebook: Path, index: int, snippet: str):
    """What the server stores after a completion is accepted in a cell: the region, keyed by
    the notebook and the cell's nbformat id."""
    from mindgap.ledger.database import DATABASE_NAME, Database
    from mindgap.notebooks import cell_key, read_notebook
    from mindgap.provenance.persistence import RegionStore
    from mindgap.provenance.regions import Region
    from mindgap.provenance.tracker import file_state

    cell = read_notebook(notebook).cells[index]
    start = cell.source.index(snippet)
    region = Region(start, start + len(snippet), snippet, "inline-completion", "copilot")
    database = Database(home / DATABASE_NAME)
    try:
        key = cell_key(str(notebook.resolve()), cell)
        RegionStore(database, developer).save(file_state(key, [region], cell.source))
    finally:
        database.close()


def test_the_commit_gate_holds_pending_code_in_a_staged_cell(tmp_path: Path) -> None:
    from tests.fixtures.gitrepo import ALICE

    repo = GitRepo(tmp_path / "repo")
    write_notebook(repo.path / "nb.ipynb", [v4.new_markdown_cell("# N"), v4.new_code_cell(HELPERS)])
    repo.commit("start", {".mindgap.toml": 'commit_gate = "pending"\n'})
    home = tmp_path / "home"
    notebook = nbformat.read(str(repo.path / "nb.ipynb"), as_version=4)
    notebook.cells.append(v4.new_code_cell(FOREIGN.split("\n", 3)[3]))  # total(), no magics
    nbformat.write(notebook, str(repo.path / "nb.ipynb"))
    store_cell_region(home, ALICE[1], repo.path / "nb.ipynb", 2, "def total(items):")
    repo.git("add", "nb.ipynb")

    gated = mindgap("check", "--staged", "--gate", home=home, cwd=repo.path)
    assert gated.returncode == 1, gated.stdout + gated.stderr
    assert "nb.ipynb#2:3-3  1 line(s) from inline-completion, copilot" in gated.stderr
    assert "mindgap quiz nb.ipynb#2:3-3" in gated.stderr

    # a quiz about the cell's function, passed in the terminal, clears it
    from tests.cli.ledger_fixtures import mindgap as mindgap_with_input

    keys = mindgap(
        "quiz",
        "nb.ipynb#2:3-10",
        "--format",
        "json",
        "--with-answers",
        home=tmp_path / "answer-key",
        cwd=repo.path,
    )
    answers = "\n".join(q["answer"] for q in json.loads(keys.stdout)["questions"]) + "\n"
    quiz = mindgap_with_input("quiz", "nb.ipynb#2:3-10", home=home, cwd=repo.path, stdin=answers)
    assert quiz.returncode == 0, quiz.stdout + quiz.stderr
    assert "passed: the code counts as understood" in quiz.stdout
    passed = mindgap("check", "--staged", "--gate", home=home, cwd=repo.path)
    assert passed.returncode == 0 and "commit gate passed" in passed.stdout

    # the cell that was already committed holds nothing new: only its own code counts
    repo.git("commit", "-q", "--no-verify", "-m", "foreign")
    repo.write(".mindgap.toml", 'commit_gate = "pending"\n# touched\n')
    repo.git("add", ".mindgap.toml", "nb.ipynb")
    assert mindgap("check", "--staged", "--gate", home=home, cwd=repo.path).returncode == 0


def test_what_a_developer_wrote_in_notebooks_counts_in_their_profile(tmp_path: Path) -> None:
    from tests.fixtures.gitrepo import ALICE

    repo = GitRepo(tmp_path / "repo")
    write_notebook(
        repo.path / "mine.ipynb",
        [
            v4.new_markdown_cell("# Lambdas are not used here: `key=lambda x: x`"),
            v4.new_code_cell("%matplotlib inline\nimport os\n"),
            v4.new_code_cell(
                "def describe(command):\n"
                "    match command:\n"
                "        case 'go':\n"
                "            return 'going'\n"
                "    return 'waiting'\n"
            ),
        ],
    )
    repo.commit("explore", author=ALICE)
    home = tmp_path / "home"
    built = mindgap(
        "profile", "--developer", ALICE[1], "--repo", str(repo.path), home=home, cwd=repo.path
    )
    assert built.returncode == 0, built.stderr
    foreign = write_notebook(
        repo.path / "new.ipynb",
        [
            v4.new_code_cell(
                "def pick(items, command):\n"
                "    best = sorted(items, key=lambda item: item.rank)\n"
                "    match command:\n"
                "        case 'first':\n"
                "            return best[0]\n"
                "    return None\n"
            )
        ],
    )
    result = mindgap(
        "check",
        str(foreign),
        "--all-foreign",
        "--developer",
        ALICE[1],
        "--format",
        "json",
        home=home,
        cwd=repo.path,
    )
    findings = json.loads(result.stdout)["findings"]
    unfamiliar = {f["evidence"]["construct"] for f in findings if f["kind"] == "unfamiliar"}
    assert "python/match-statement" not in unfamiliar  # she wrote one, in a notebook cell
    assert "python/lambda" in unfamiliar  # only a markdown cell of hers names a lambda


FORMATS = (
    "import os\n"
    'first = "a {}".format(os.name)\n'
    'second = "b {}".format(os.sep)\n'
    'third = "c {}".format(os.curdir)\n'
)


@pytest.mark.parametrize("how", ["inserted", "stored by the editor"])
def test_foreign_cells_do_not_vote_on_the_conventions_they_are_held_to(
    tmp_path: Path, how: str
) -> None:
    """20 f-strings by hand, 3 .format() calls in a foreign cell: were the foreign cell to
    vote, f-strings would hold 87% of the sites - no convention, nothing to say."""
    from tests.fixtures.gitrepo import ALICE

    repo = GitRepo(tmp_path / "repo")
    code = "\n".join(f'label_{i} = f"item {{{i}}}"' for i in range(20)) + "\n"
    write_notebook(repo.path / "human.ipynb", [v4.new_code_cell(code)])
    notebook = write_notebook(
        repo.path / "mixed.ipynb", [v4.new_markdown_cell("# Mixed"), v4.new_code_cell(FORMATS)]
    )
    repo.commit("notebooks", author=ALICE)
    home = tmp_path / "home"
    if how == "inserted":
        args = ["--inserted", f"{notebook}#1:1-4"]
    else:
        store_cell_region(home, ALICE[1], notebook, 1, FORMATS.rstrip("\n"))
        args = []
    result = mindgap(
        "check",
        str(notebook),
        *args,
        "--developer",
        ALICE[1],
        "--format",
        "json",
        home=home,
        cwd=repo.path,
    )
    findings = json.loads(result.stdout)["findings"]
    formats = [f for f in findings if f.get("dimension") == "string-format"]
    assert [(f["cell"], f["range"]["start"]["line"]) for f in formats] == [(1, 1), (1, 2), (1, 3)]


def test_convention_examples_in_a_notebook_name_the_cell_and_the_line_in_it(
    tmp_path: Path,
) -> None:
    """Not the line of the joined code cells (a line of the .ipynb JSON to an editor)."""
    repo = GitRepo(tmp_path / "repo")
    for n in range(3):  # a code cell of three lines before the f-strings' cell
        cells = fstring_notebook(n)
        write_notebook(
            repo.path / "analysis" / f"explore_{n}.ipynb",
            [v4.new_code_cell("import os\n\nroot = os.getcwd()\n"), *cells],
        )
    repo.commit("notebooks")
    learned = mindgap("learn", "--format", "json", home=tmp_path / "home", cwd=repo.path)
    rules = json.loads(learned.stdout)["rules"]
    formats = [r for r in rules if r["dimension"] == "string-format" and r["scope"] == "all"]
    assert formats[0]["examples"][0] == {
        "file": "analysis/explore_0.ipynb",
        "line": 1,
        "text": 'label_0_0 = f"item {0}"',
        "cell": 2,
    }
    foreign = write_notebook(
        repo.path / "analysis" / "new.ipynb",
        [v4.new_code_cell("import os\n"), v4.new_code_cell('name = "a {}".format(os.sep)\n')],
    )
    args = ["check", str(foreign), "--inserted", f"{foreign}#1:1-1"]
    result = mindgap(*args, "--format", "json", home=tmp_path / "home", cwd=repo.path)
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "convention"]
    example = finding["evidence"]["examples"][0]
    assert (example["file"], example["cell"], example["line"]) == ("analysis/explore_0.ipynb", 2, 1)
    text = mindgap(*args, home=tmp_path / "home", cwd=repo.path).stdout
    assert f"e.g. {repo.path / 'analysis' / 'explore_0.ipynb'}#2:1  label_0_0" in text
