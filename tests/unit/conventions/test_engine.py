"""The convention engine on real git repositories: learning, rules, checking foreign code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mindgap.analysis import AnalysisContext, analyse
from mindgap.conventions.cache import ConventionCache
from mindgap.conventions.repository import RepositoryConventions, learn
from mindgap.findings import Finding
from mindgap.ledger.database import Database
from mindgap.provenance.persistence import FileState, RegionStore
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_for
from tests.fixtures.gitrepo import GitRepo

SNAKE_MODULE = """
def load_{n}(source_path):
    raw_text = source_path.read_text()
    return f"{{raw_text}}-{n}"


def save_{n}(target_path, new_text):
    target_path.write_text(new_text)
"""
CAMEL_MODULE = """
def fetchItem{n}(sourcePath):
    rawText = sourcePath.read()
    return rawText


def storeItem{n}(targetPath, newText):
    targetPath.write(newText)
"""
FOREIGN = """

def parseRecord(rawLine):
    fieldName, _, value = rawLine.partition(":")
    return fieldName, value


def parse_header(raw_line):
    return raw_line.strip()
"""


def snake_repo(root: Path, modules: int = 12) -> GitRepo:
    """24 snake_case functions in 12 files (and tests that name things the same way)."""
    repo = GitRepo(root)
    files: dict[str, str | bytes] = {
        f"pkg/module_{n}.py": SNAKE_MODULE.format(n=n) for n in range(modules)
    }
    repo.commit("Modules", files)
    return repo


def check(root: Path, conventions: RepositoryConventions, name: str, text: str, first: int):
    """Findings for the file `name` whose lines from `first` (1-based) on are foreign."""
    path = root / name
    path.write_text(text, encoding="utf-8")
    document = SyntaxDocument(path.as_uri(), text, language_for(name))
    start = document.index.starts[first - 1]
    region = Region(start, len(text), text[start:], source="paste")
    context = AnalysisContext(conventions=conventions)
    return analyse(str(path), document, [region], "information", context)


def conventions_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.kind == "convention"]


def test_a_dominant_naming_convention_becomes_a_rule_with_evidence(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    conventions = learn(repo.path, 20, 0.9)
    rule = conventions.rules[("python", "naming", "function", "all")]
    assert (rule.choice, rule.count, rule.support, rule.dominance) == ("snake_case", 24, 24, 1.0)
    assert rule.source == "vote"
    # examples come from different files, with 1-based lines and the line's text
    assert [(e.file, e.line) for e in rule.examples] == [
        ("pkg/module_0.py", 2),
        ("pkg/module_1.py", 2),
        ("pkg/module_10.py", 2),
    ]
    assert rule.examples[0].text == "def load_0(source_path):"
    # 12 f-strings are too few for a rule (support 20)
    assert ("python", "string-format", "formatting", "all") not in conventions.rules


def test_foreign_code_that_breaks_the_convention_is_flagged_and_code_that_keeps_it_is_not(
    tmp_path: Path,
) -> None:
    repo = snake_repo(tmp_path / "repo")
    conventions = learn(repo.path, 20, 0.9)
    text = "import os\n" + FOREIGN
    findings = conventions_of(check(repo.path, conventions, "pkg/new.py", text, 2))
    flagged = {(f.dimension, f.evidence["rule"]["aspect"], f.range.start.line) for f in findings}
    # parseRecord (function) and rawLine (parameter) on line 4; parse_header and raw_line
    # keep the convention; local variables (12 sites) are too few for a rule
    assert flagged == {("naming", "function", 3), ("naming", "parameter", 3)}
    function = next(f for f in findings if f.evidence["rule"]["aspect"] == "function")
    assert function.code == "convention/naming"
    assert function.range.start.character == 4 and function.range.end.character == 15
    assert function.message == (
        "this repository uses snake_case for function names (24 of 24 sites, 100%); "
        "this uses camelCase"
    )
    assert function.evidence["fix"] == {"replacement": "parse_record", "choice": "snake_case"}
    assert function.evidence["source"] == "vote"
    assert function.evidence["examples"][0] == {
        "file": "pkg/module_0.py",
        "line": 2,
        "text": "def load_0(source_path):",
    }


def test_without_a_dominant_convention_nothing_is_flagged(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo", modules=6)
    repo.commit("Other style", {f"pkg/other_{n}.py": CAMEL_MODULE.format(n=n) for n in range(6)})
    conventions = learn(repo.path, 20, 0.9)
    votes = conventions.votes[("python", "naming", "function", "all")]
    assert votes.counts == {"snake_case": 12, "camelCase": 12}
    assert not [key for key in conventions.rules if key[1] == "naming"]
    assert not conventions_of(check(repo.path, conventions, "pkg/new.py", FOREIGN, 1))


def test_configuration_wins_over_the_vote_and_can_switch_a_dimension_off(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    repo.commit(
        "Configure",
        {"pyproject.toml": '[tool.mindgap.conventions]\nnaming.function = "camelCase"\n'},
    )
    conventions = learn(repo.path, 20, 0.9)
    rule = conventions.rules[("python", "naming", "function", "all")]
    assert (rule.choice, rule.source, rule.count, rule.support) == ("camelCase", "config", 0, 24)
    assert rule.configured_by == "pyproject.toml [tool.mindgap.conventions] naming.function"
    findings = conventions_of(check(repo.path, conventions, "pkg/new.py", FOREIGN, 1))
    functions = [f for f in findings if f.evidence["rule"]["aspect"] == "function"]
    assert [f.evidence["choice"] for f in functions] == ["snake_case"]  # parse_header
    assert functions[0].evidence["source"] == "config"
    assert functions[0].message.startswith(
        "this repository uses camelCase for function names (configured in pyproject.toml"
    )

    repo.write("pyproject.toml", '[tool.mindgap.conventions]\nnaming = "off"\n')
    silenced = learn(repo.path, 20, 0.9)
    assert not [key for key in silenced.rules if key[1] == "naming"]
    assert not conventions_of(check(repo.path, silenced, "pkg/new.py", FOREIGN, 1))


def test_tests_keep_their_own_convention(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    repo.commit(
        "camelCase tests",
        {f"tests/test_{n}.py": CAMEL_MODULE.format(n=n) for n in range(3)},
    )
    conventions = learn(repo.path, 20, 0.9)
    # the code's rule does not judge the tests, where 6 of 6 functions disagree with it
    assert conventions.rule_for("python", "naming", "function", is_test=False) is not None
    assert conventions.rule_for("python", "naming", "function", is_test=True) is None
    assert not conventions_of(check(repo.path, conventions, "tests/test_new.py", FOREIGN, 1))
    assert conventions_of(check(repo.path, conventions, "pkg/new.py", FOREIGN, 1))


def test_vendored_generated_minified_and_undecodable_files_do_not_vote(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo", modules=10)  # 20 snake_case functions
    camel = CAMEL_MODULE.format(n=0)
    repo.commit(
        "Other people's code",
        {
            "vendor/lib.py": camel,
            "node_modules/x/y.py": camel,
            "tests/testdata/sample.py": camel,  # data for tests, as Go's tooling treats it
            "pkg/generated_pb2.py": "# Generated by the protocol buffer compiler.  DO NOT EDIT!\n"
            + camel,
            "pkg/minified.py": camel + "X = [" + "1, " * 600 + "]\n",
            "pkg/latin1.py": camel.encode("utf-8") + b"# caf\xe9\n",
        },
    )
    repo.write(".gitignore", "ignored/\n")
    repo.write("ignored/local.py", camel)
    conventions = learn(repo.path, 20, 0.9)
    votes = conventions.votes[("python", "naming", "function", "all")]
    assert votes.counts == {"snake_case": 20}
    assert conventions.stats.skipped == {"binary or not UTF-8": 1, "generated": 1, "minified": 1}


def test_regions_known_to_be_foreign_do_not_vote(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo", modules=10)
    camel = "".join(CAMEL_MODULE.format(n=n) for n in range(3))  # 6 camelCase functions
    text = SNAKE_MODULE.format(n=99) + camel
    repo.commit("Pasted", {"pkg/pasted.py": text})
    database = Database(tmp_path / "home" / "mindgap.sqlite3")
    store = RegionStore(database, "alice@example.com")
    path = str((repo.path / "pkg/pasted.py").resolve())
    start = text.index(camel)
    region = Region(start, len(text), text[start:], source="paste")
    store.save(FileState(path, [region], [(8, text.count("\n"))], text))

    without_store = learn(repo.path, 20, 0.9)
    assert without_store.votes[("python", "naming", "function", "all")].counts == {
        "snake_case": 22,
        "camelCase": 6,
    }
    with_store = learn(repo.path, 20, 0.9, store=store)
    assert with_store.votes[("python", "naming", "function", "all")].counts == {"snake_case": 22}
    assert with_store.rules[("python", "naming", "function", "all")].choice == "snake_case"
    database.close()


@pytest.fixture
def cache(tmp_path: Path):
    opened = ConventionCache(tmp_path / "cache" / "conventions.sqlite3", "test")
    yield opened
    opened.close()


def test_relearning_reads_only_the_files_that_changed(tmp_path: Path, cache) -> None:
    repo = snake_repo(tmp_path / "repo")
    first = learn(repo.path, 20, 0.9, cache=cache)
    assert (first.stats.files, first.stats.read) == (12, 12)

    again = learn(repo.path, 20, 0.9, cache=cache)
    assert again.stats.read == 0
    assert again.rules == first.rules

    repo.write("pkg/module_3.py", CAMEL_MODULE.format(n=3))
    repo.write("pkg/added.py", SNAKE_MODULE.format(n=77))
    (repo.path / "pkg/module_4.py").unlink()
    changed = learn(repo.path, 20, 0.9, cache=cache)
    assert changed.stats.read == 2
    assert changed.votes[("python", "naming", "function", "all")].counts == {
        "snake_case": 22,
        "camelCase": 2,
    }


def test_a_refresh_folds_one_changed_file_into_the_rules(tmp_path: Path, cache) -> None:
    repo = snake_repo(tmp_path / "repo", modules=10)
    conventions = learn(repo.path, 20, 0.9, cache=cache)
    assert conventions.rules[("python", "naming", "function", "all")].support == 20

    repo.write("pkg/module_0.py", CAMEL_MODULE.format(n=0) + CAMEL_MODULE.format(n=1))
    updates = conventions.refresh([repo.path / "pkg/module_0.py", tmp_path / "elsewhere.py"])
    assert [update.path for update in updates] == ["pkg/module_0.py"]
    assert conventions.votes[("python", "naming", "function", "all")].counts == {
        "snake_case": 18,
        "camelCase": 4,
    }
    assert ("python", "naming", "function", "all") not in conventions.rules  # 82% < 90%

    # the refreshed tally is what the cache now holds: a later learn reads nothing
    assert learn(repo.path, 20, 0.9, cache=cache).stats.read == 0


def test_a_corrupt_cache_is_set_aside_and_learning_works(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "conventions.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"not a database" * 100)
    broken = ConventionCache(path, "test")
    repo = snake_repo(tmp_path / "repo")
    assert learn(repo.path, 20, 0.9, cache=broken).rules
    assert [p.name.startswith("conventions.sqlite3.broken-") for p in path.parent.iterdir()]
    broken.close()


def test_a_syntax_error_in_a_repository_file_costs_only_its_own_sites(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    repo.commit("Broken", {"pkg/broken.py": "def half_done(:\n    x = \n"})
    conventions = learn(repo.path, 20, 0.9)
    assert conventions.rules[("python", "naming", "function", "all")].choice == "snake_case"


def test_unknown_languages_are_not_mined(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    repo.commit("Docs", {"README.md": "# x\n", "script.lua": "function doThing() end\n"})
    conventions = learn(repo.path, 20, 0.9)
    assert conventions.stats.files == 12
    assert textwrap.dedent("") == ""


INVENTED_IMPORT = (
    "\nimport fastjsonish\n\n\ndef dump(value):\n    return fastjsonish.dumps(value)\n"
)


def dependency_findings(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.evidence["package"]) for f in findings if f.kind == "dependency"]


def test_imports_inside_foreign_code_are_not_the_repository_s_own_use(tmp_path: Path) -> None:
    """An invented package pasted into one file must not vouch for itself in the next."""
    repo = snake_repo(tmp_path / "repo", modules=2)
    pasted = SNAKE_MODULE.format(n=5) + INVENTED_IMPORT
    repo.commit("Pasted", {"pkg/pasted.py": pasted})
    first_foreign_line = SNAKE_MODULE.format(n=5).count("\n") + 1
    absolute = str((repo.path / "pkg/pasted.py").resolve())
    foreign = {absolute: [(first_foreign_line, pasted.count("\n"))]}
    text = "import os\n" + INVENTED_IMPORT

    trusting = learn(repo.path, 20, 0.9)  # not told that the paste is foreign
    assert dependency_findings(check(repo.path, trusting, "pkg/new.py", text, 2)) == []

    conventions = learn(repo.path, 20, 0.9, foreign_lines=foreign)
    findings = check(repo.path, conventions, "pkg/new.py", text, 2)
    assert dependency_findings(findings) == [("dependency/unknown-package", "fastjsonish")]
    assert next(f for f in findings if f.kind == "dependency").evidence["imported_elsewhere"] == 0


def test_a_refreshed_file_s_foreign_imports_do_not_count_either(tmp_path: Path, cache) -> None:
    """The server refreshes a saved file with its live foreign spans."""
    repo = snake_repo(tmp_path / "repo", modules=2)
    conventions = learn(repo.path, 20, 0.9, cache=cache)
    pasted = SNAKE_MODULE.format(n=5) + INVENTED_IMPORT
    repo.write("pkg/pasted.py", pasted)
    absolute = repo.path / "pkg/pasted.py"
    start = pasted.index(INVENTED_IMPORT)
    conventions.apply(
        conventions.prepare_refresh([absolute], {str(absolute): (pasted, [(start, len(pasted))])})
    )
    findings = check(repo.path, conventions, "pkg/new.py", "import os\n" + INVENTED_IMPORT, 2)
    assert dependency_findings(findings) == [("dependency/unknown-package", "fastjsonish")]

    conventions.refresh([absolute])  # saved again, the paste now known as hand-written
    findings = check(repo.path, conventions, "pkg/new.py", "import os\n" + INVENTED_IMPORT, 2)
    assert dependency_findings(findings) == []


def test_a_manifest_edit_reaches_the_dependency_index_on_refresh(tmp_path: Path, cache) -> None:
    repo = snake_repo(tmp_path / "repo", modules=2)
    repo.commit("Manifest", {"pyproject.toml": '[project]\nname = "pkg"\ndependencies = []\n'})
    conventions = learn(repo.path, 20, 0.9, cache=cache)
    text = "import os\n" + INVENTED_IMPORT
    findings = check(repo.path, conventions, "pkg/new.py", text, 2)
    assert dependency_findings(findings) == [("dependency/unknown-package", "fastjsonish")]

    repo.write("pyproject.toml", '[project]\nname = "pkg"\ndependencies = ["fastjsonish>=1"]\n')
    updates = conventions.prepare_refresh([repo.path / "pyproject.toml"])  # off the loop
    assert [type(update).__name__ for update in updates] == ["ConfigurationUpdate"]
    conventions.apply(updates)
    assert dependency_findings(check(repo.path, conventions, "pkg/new.py", text, 2)) == []

    # requirements files in a requirements/ folder are manifests too
    repo.write("pyproject.toml", '[project]\nname = "pkg"\ndependencies = []\n')
    conventions.refresh([repo.path / "pyproject.toml"])
    assert dependency_findings(check(repo.path, conventions, "pkg/new.py", text, 2)) != []
    repo.write("requirements/base.txt", "fastjsonish==1.0\n")
    conventions.refresh([repo.path / "requirements/base.txt"])
    assert dependency_findings(check(repo.path, conventions, "pkg/new.py", text, 2)) == []
