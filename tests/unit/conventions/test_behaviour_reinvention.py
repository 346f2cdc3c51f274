"""Reinvention by behaviour: a helper re-implemented another way (a loop, a comprehension,
`map` and `str.join`) gives the same results in the sandbox on the quiz planner's inputs; the
tokens and the structure differ too much for the fingerprints to see it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mindgap.conventions.reinvention import BehaviourBudget, FunctionIndex, reinvention_spots
from mindgap.findings import Spot
from mindgap.gate.sandbox import use_sandbox_command
from tests.cli.test_cli import mindgap
from tests.fixtures.gitrepo import GitRepo
from tests.unit.conventions.test_reinvention import parse, repository_sources

# The repository's helper: a loop that builds a string
NAMES = '''"""Name helpers."""


def initials(name):
    """The capital first letters of a name's words: "Ada Lovelace" -> "AL"."""
    letters = ""
    for word in name.split(" "):
        if len(word) == 0:
            continue
        first_letter = word[0]
        letters = letters + first_letter.upper()
    return letters
'''

APP = "def main():\n    return 0\n"

# An assistant's versions: the same results, other tokens and another structure
COMPREHENSION = """

def name_abbreviation(full_name):
    return "".join([part[0].upper() for part in full_name.split()])
"""

MAPPED = """

def monogram(person):
    return "".join(map(lambda chunk: chunk[:1].upper(), person.split()))
"""

# The same on one- and two-word names, not on "a b c"
AT_MOST_TWO = """

def short_initials(full_name):
    return "".join(part[0].upper() for part in full_name.split())[:2]
"""


@pytest.fixture
def names_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "site")
    repo.commit("Name helpers", {"site/names.py": NAMES, "site/app.py": APP})
    return repo


def check(repo: GitRepo, inserted: str, budget: BehaviourBudget | None = None) -> list[Spot]:
    """The spots of `inserted`, appended to site/app.py (as saved) as foreign code."""
    index = FunctionIndex.build(repo.path, repository_sources(repo))
    text = APP + inserted
    (repo.path / "site" / "app.py").write_text(text, encoding="utf-8")
    source = parse("site/app.py", text)
    return reinvention_spots(source, len(APP), len(text), index, budget or BehaviourBudget())


def test_a_helper_rewritten_with_a_comprehension_or_map_is_found_by_behaviour(
    names_repo: GitRepo, os_sandbox: None
) -> None:
    # the fingerprints alone see nothing
    index = FunctionIndex.build(names_repo.path, repository_sources(names_repo))
    text = APP + COMPREHENSION + MAPPED
    assert reinvention_spots(parse("site/app.py", text), len(APP), len(text), index) == []

    spots = check(names_repo, COMPREHENSION + MAPPED)
    assert [spot.evidence["foreign_function"] for spot in spots] == [
        "name_abbreviation",
        "monogram",
    ]
    for spot in spots:
        text = APP + COMPREHENSION + MAPPED
        assert text[spot.start : spot.end] == spot.evidence["foreign_function"]
        assert spot.code == "reinvention/near-duplicate"
        evidence = spot.evidence
        assert evidence["by"] == "behaviour"
        assert (evidence["function"], evidence["file"], evidence["line"]) == (
            "names.initials",
            "site/names.py",
            4,
        )
        assert "gives the same results as names.initials" in spot.message
        # the calls shown as evidence: different results, each the same on both sides
        shown = evidence["same_results"]
        assert len({same["returns"] for same in shown}) == len(shown) >= 3
        for same in shown:
            assert same["existing_call"].startswith("initials(")
            assert same["call"].startswith(f"{evidence['foreign_function']}(")
        calls = {same["existing_call"]: same["returns"] for same in shown}
        assert calls.get("initials('Hello World')", "'HW'") == "'HW'"
        assert evidence["inputs"] >= 4


def test_functions_equal_on_some_inputs_but_not_all_are_not_clones(
    names_repo: GitRepo, os_sandbox: None
) -> None:
    spots = check(names_repo, AT_MOST_TWO + COMPREHENSION)
    # the same comparison ran for both: only the one that agrees everywhere is a clone
    assert [spot.evidence["foreign_function"] for spot in spots] == ["name_abbreviation"]


def test_a_constant_or_a_function_of_other_modules_is_not_a_clone(
    names_repo: GitRepo, os_sandbox: None
) -> None:
    constant = "\n\ndef nothing(name):\n    return ''\n"
    other_names = (
        "\n\nimport string\n\n\ndef letters(name):\n"
        "    return ''.join(c for c in name.split() if c[0] in string.ascii_letters)\n"
    )
    assert check(names_repo, constant + other_names) == []


def test_without_a_sandbox_there_are_no_behaviour_clones(
    names_repo: GitRepo, tmp_path: Path, os_sandbox: None
) -> None:
    try:
        use_sandbox_command([str(tmp_path / "no-such-sandbox")])
        assert check(names_repo, COMPREHENSION) == []
    finally:
        use_sandbox_command([])
    assert len(check(names_repo, COMPREHENSION)) == 1


def test_check_shows_the_calls_that_gave_the_same_results(
    names_repo: GitRepo, tmp_path: Path, os_sandbox: None
) -> None:
    app = names_repo.path / "site" / "app.py"
    app.write_text(APP + COMPREHENSION, encoding="utf-8")
    first = APP.count("\n") + 2
    result = mindgap(
        "check", str(app), "--inserted", f"{app}:{first}-{first + 1}", home=tmp_path / "home"
    )
    assert result.returncode == 1, result.stdout + result.stderr  # reinvention fails CI
    text = result.stdout
    assert "reinvention/near-duplicate gives the same results as names.initials" in text
    assert "existing: site/names.py:4 names.initials (the same results on" in text
    shown = re.findall(r"same: name_abbreviation\((.*)\) and initials\((.*)\) -> (.*)", text)
    assert len(shown) == 3 and all(mine == theirs for mine, theirs, _ in shown), text
    assert len({result for _, _, result in shown}) == 3


def test_a_spent_budget_starts_no_more_comparisons(names_repo: GitRepo, os_sandbox: None) -> None:
    assert check(names_repo, COMPREHENSION, BehaviourBudget(0)) == []
    assert len(check(names_repo, COMPREHENSION, BehaviourBudget(30))) == 1


# click's parser helper; the rewrite indexes its parameter, which the planner reads as a list
SPLIT_OPT = """def split_opt(opt: str) -> tuple[str, str]:
    first = opt[:1]
    if first.isalnum():
        return "", opt
    if opt[1:2] == first:
        return opt[:2], opt[2:]
    return first, opt[1:]
"""

SPLIT_PREFIX = """

def split_prefix(option):
    prefix = ""
    if option and not option[0].isalnum():
        prefix = option[:2] if option[1:2] == option[0] else option[0]
    return prefix, option[len(prefix):]
"""


def test_each_sides_inputs_run_on_both_when_their_parameters_read_differently(
    tmp_path: Path, os_sandbox: None
) -> None:
    repo = GitRepo(tmp_path / "cli")
    repo.commit("Parser", {"site/parser.py": SPLIT_OPT, "site/app.py": APP})
    (spot,) = check(repo, SPLIT_PREFIX)
    assert spot.evidence["function"] == "parser.split_opt"
    returns = {same["call"]: same["returns"] for same in spot.evidence["same_results"]}
    # the paths both take: no prefix, a doubled one, a single one
    assert returns["split_prefix('--all')"] == "('--', 'all')"
    assert returns["split_prefix('-v')"] == "('-', 'v')"
    assert "('', " in " ".join(returns.values())
