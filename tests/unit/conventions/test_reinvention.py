"""Reinvention: functions in foreign code that nearly duplicate one the repository has, found
by winnowed fingerprints over real repositories and real packages."""

from __future__ import annotations

import json
import sysconfig
from pathlib import Path

import pytest

from mindgap.conventions.fingerprints import function_prints
from mindgap.conventions.model import SourceFile
from mindgap.conventions.reinvention import FunctionIndex, reinvention_spots
from mindgap.findings import Spot
from mindgap.syntax.languages import language_for
from mindgap.syntax.positions import LineIndex
from tests.fixtures.gitrepo import GitRepo

TEXT_HELPERS = '''"""Text helpers."""

import re


def slugify(title, separator="-"):
    """A URL-safe slug of a title."""
    slug = title.lower().strip()
    slug = re.sub(r"[^a-z0-9]+", separator, slug)
    slug = re.sub(r"-{2,}", separator, slug)
    if len(slug) > 60:
        slug = slug[:60]
    return slug.strip(separator)


def chunked(items, size):
    """Consecutive lists of `size` items."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
'''

# An assistant's version: every name changed, the same steps
REINVENTED_SLUG = """

def make_url_name(heading, sep="-"):
    # build a slug for the page
    result = heading.lower().strip()
    result = re.sub(r"[^a-z0-9]+", sep, result)
    result = re.sub(r"-+", sep, result)
    if len(result) > 80:
        result = result[:80]
    return result.strip(sep)
"""

UNRELATED = """

def parse_config(lines, defaults=None):
    settings = dict(defaults or {})
    for line in lines:
        key, _, value = line.partition("=")
        if not key.strip() or key.startswith("#"):
            continue
        settings[key.strip()] = value.strip()
    return settings


def retry(action, attempts=3):
    last_error = None
    for attempt in range(attempts):
        try:
            return action()
        except OSError as error:
            last_error = error
            time.sleep(2 ** attempt)
    raise RuntimeError("gave up") from last_error
"""


def parse(path: str, text: str) -> SourceFile:
    spec = language_for(path)
    assert spec is not None, path
    return SourceFile(path, spec.name, LineIndex(text), spec.parser().parse(text.encode()), False)


def repository_sources(repo: GitRepo) -> list[SourceFile]:
    return [
        parse(path, (repo.path / path).read_text(encoding="utf-8"))
        for path in repo.git("ls-files").splitlines()
        if language_for(path) is not None
    ]


def check(index: FunctionIndex, path: str, before: str, inserted: str) -> list[Spot]:
    text = before + inserted
    spots = reinvention_spots(parse(path, text), len(before), len(text), index)
    for spot in spots:
        assert len(before) <= spot.start < spot.end <= len(text)
    return spots


@pytest.fixture
def helpers_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "site")
    repo.commit(
        "Helpers and an app",
        {
            "site/text_utils.py": TEXT_HELPERS,
            "site/app.py": "import re\n\n\ndef main():\n    return 0\n",
        },
    )
    return repo


def test_a_renamed_reimplementation_is_flagged_with_a_link_and_a_percentage(
    helpers_repo: GitRepo,
) -> None:
    index = FunctionIndex.build(helpers_repo.path, repository_sources(helpers_repo))
    before = "import re\n\n\ndef main():\n    return 0\n"
    spots = check(index, "site/app.py", before, REINVENTED_SLUG)
    assert len(spots) == 1
    spot = spots[0]
    text = before + REINVENTED_SLUG
    assert text[spot.start : spot.end] == "make_url_name"
    assert spot.kind == "reinvention" and spot.code == "reinvention/near-duplicate"
    evidence = spot.evidence
    assert evidence["function"] == "text_utils.slugify"
    assert evidence["file"] == "site/text_utils.py"
    assert evidence["line"] == 6  # 1-based: `def slugify` in TEXT_HELPERS
    assert 70 <= evidence["similarity"] <= 100
    assert spot.message.startswith(
        f"nearly the same as text_utils.slugify ({evidence['similarity']}%) - reuse it?"
    )


def test_a_helper_that_is_itself_foreign_code_is_not_the_repositorys_own(
    helpers_repo: GitRepo,
) -> None:
    """Two assistants' copies of one function: the first is not a helper to reuse."""
    sources = repository_sources(helpers_repo)
    helpers = next(source for source in sources if source.path == "site/text_utils.py")
    slug_start = helpers.text.index("def slugify")
    slug_end = helpers.text.index("def chunked")
    foreign = {"site/text_utils.py": [(slug_start, slug_end)]}
    index = FunctionIndex.build(helpers_repo.path, sources, foreign)
    assert not check(index, "site/app.py", "import re\n", REINVENTED_SLUG)

    index.update_file(helpers, helpers.path)  # the developer made it theirs
    assert check(index, "site/app.py", "import re\n", REINVENTED_SLUG)


def test_unrelated_functions_of_similar_length_are_not_flagged(helpers_repo: GitRepo) -> None:
    index = FunctionIndex.build(helpers_repo.path, repository_sources(helpers_repo))
    assert check(index, "site/app.py", "import time\n", UNRELATED) == []


def test_a_function_is_never_its_own_duplicate(helpers_repo: GitRepo) -> None:
    # the foreign code is already committed (so indexed) in the file it is checked in
    helpers_repo.commit("Pasted", {"site/extra.py": UNRELATED})
    index = FunctionIndex.build(helpers_repo.path, repository_sources(helpers_repo))
    assert check(index, "site/extra.py", "", UNRELATED) == []
    # the same code in another file is a duplicate of the committed one
    spots = check(index, "site/more.py", "", UNRELATED)
    assert {spot.evidence["function"] for spot in spots} == {
        "extra.parse_config",
        "extra.retry",
    }
    assert all(spot.evidence["similarity"] == 100 for spot in spots)


def test_trivial_functions_are_never_compared(helpers_repo: GitRepo) -> None:
    getter = "\n\ndef get_name(self):\n    return self.name\n"
    helpers_repo.commit("Getter", {"site/model.py": getter})
    index = FunctionIndex.build(helpers_repo.path, repository_sources(helpers_repo))
    assert check(index, "site/other.py", "", getter) == []


def test_javascript_arrow_functions_are_compared_too(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "web")
    repo.commit(
        "Helpers",
        {
            "src/strings.js": "export function titleCase(sentence) {\n"
            "  const words = sentence.split(' ');\n"
            "  const out = [];\n"
            "  for (const word of words) {\n"
            "    out.push(word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());\n"
            "  }\n"
            "  return out.join(' ');\n"
            "}\n"
        },
    )
    index = FunctionIndex.build(repo.path, repository_sources(repo))
    inserted = (
        "const capitalizeWords = function (text) {\n"
        "  const parts = text.split(' ');\n"
        "  const result = [];\n"
        "  for (const p of parts) {\n"
        "    result.push(p.charAt(0).toUpperCase() + p.slice(1).toLowerCase());\n"
        "  }\n"
        "  return result.join(' ');\n"
        "};\n"
    )
    spots = check(index, "src/page.ts", "", inserted)
    assert [spot.evidence["function"] for spot in spots] == ["strings.titleCase"]
    # other languages are never compared with JavaScript
    assert check(index, "src/page.py", "", REINVENTED_SLUG) == []


def test_json_round_trip_and_incremental_updates(helpers_repo: GitRepo) -> None:
    index = FunctionIndex.build(helpers_repo.path, repository_sources(helpers_repo))
    restored = FunctionIndex.from_json(json.loads(json.dumps(index.to_json())))
    assert check(restored, "site/app.py", "", REINVENTED_SLUG) == check(
        index, "site/app.py", "", REINVENTED_SLUG
    )
    assert len(restored) == len(index) == 2

    # deleted: nothing left to duplicate
    index.update_file(None, "site/text_utils.py")
    assert check(index, "site/app.py", "", REINVENTED_SLUG) == []
    # added elsewhere: found there
    index.update_file(parse("lib/slugs.py", TEXT_HELPERS), "lib/slugs.py")
    spots = check(index, "site/app.py", "", REINVENTED_SLUG)
    assert [spot.evidence["file"] for spot in spots] == ["lib/slugs.py"]
    # changed into something else: gone
    index.update_file(parse("lib/slugs.py", UNRELATED), "lib/slugs.py")
    assert check(index, "site/app.py", "", REINVENTED_SLUG) == []
    assert [f.name for f in index.functions_in("lib/slugs.py")] == ["parse_config", "retry"]


def _package_sources(name: str) -> list[SourceFile]:
    folder = Path(sysconfig.get_paths()["purelib"]) / name
    if not folder.is_dir():
        pytest.skip(f"{name} is not installed as plain source")
    sources = []
    for path in sorted(folder.rglob("*.py")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        sources.append(parse(path.relative_to(folder.parent).as_posix(), text))
    return sources


def test_false_alarms_between_two_real_packages_are_rare() -> None:
    """Every function of pygls checked against an index of every function of rich (both
    installed with mindgap): unrelated code by different authors, so each flag is false."""
    index = FunctionIndex.build(Path("/"), _package_sources("rich"))
    assert len(index) > 300
    checked = flagged = 0
    for source in _package_sources("pygls"):
        for function in function_prints(source):
            checked += 1
            flagged += bool(reinvention_spots(source, function.start, function.end, index))
    assert checked > 100
    assert flagged / checked < 0.01


def test_variants_of_one_function_in_its_file_are_not_duplicates(tmp_path: Path) -> None:
    """`@overload` signatures and a redefinition share a name in one file: one function."""
    variant = UNRELATED.replace("OSError", "ValueError")
    repo = GitRepo(tmp_path / "variants")
    repo.commit("Retry", {"jobs.py": UNRELATED})
    index = FunctionIndex.build(repo.path, repository_sources(repo))
    assert check(index, "jobs.py", UNRELATED, variant) == []
    assert len(check(index, "other.py", "", variant)) == 2


# The same structure, other calls and attributes: casefold for lower, regex for re, rstrip
# for strip - tokens differ too much to be a near-duplicate, the shape is the same
RESTRUCTURED_SLUG = """

def make_url_name(heading, sep="-"):
    result = heading.casefold().lstrip()
    result = regex.subn(r"[^a-z0-9]+", sep, result)
    result = regex.subn(r"-+", sep, result)
    if len(result) > 80:
        result = result[:80]
    return result.rstrip(sep)
"""


def test_the_same_structure_with_other_calls_is_flagged_by_structure(
    helpers_repo: GitRepo,
) -> None:
    index = FunctionIndex.build(helpers_repo.path, repository_sources(helpers_repo))
    before = "import regex\n\n\ndef main():\n    return 0\n"
    (spot,) = check(index, "site/app.py", before, RESTRUCTURED_SLUG)
    evidence = spot.evidence
    assert evidence["by"] == "structure" and evidence["function"] == "text_utils.slugify"
    assert evidence["token_similarity"] < 70 <= evidence["structure_similarity"]
    assert spot.message.startswith("the same structure as text_utils.slugify (")


def test_structure_alone_does_not_make_unrelated_loops_duplicates(helpers_repo: GitRepo) -> None:
    """`chunked` and a loop that filters lines have similar shapes but share little else."""
    index = FunctionIndex.build(helpers_repo.path, repository_sources(helpers_repo))
    filtering = """

def keep_long(lines, limit):
    kept = []
    for line in lines:
        kept.append(line.rstrip())
        if len(kept) > limit:
            print(kept)
            kept = []
    if kept:
        print(kept)
"""
    assert check(index, "site/app.py", "import re\n", filtering) == []
