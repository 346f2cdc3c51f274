"""What is called unfamiliar in a foreign region, and how it is said."""

from __future__ import annotations

import time

from mindgap.knowledge.profile import Profile, Tally
from mindgap.knowledge.unfamiliar import article, unfamiliar_spots
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named

YEAR = 365 * 24 * 3600
SOURCE = (
    "import itertools\nimport shop\n\n\n"
    "def groups(rows):\n"
    "    shop.audit(rows)\n"
    "    key = lambda row: row.kind\n"
    "    return {k: list(g) for k, g in itertools.groupby(rows, key)}\n"
)


def spots_for(profile: Profile, local: frozenset[str] = frozenset()):
    document = SyntaxDocument("file:///groups.py", SOURCE, language_named("python"))
    start = SOURCE.index("def groups")
    region = Region(start, len(SOURCE) - 1, SOURCE[start:-1], "paste")
    return unfamiliar_spots(document, region, profile, time.time(), local)


def profile_with(**written: Tally) -> Profile:
    return Profile("dev@example.com", written=dict(written), repositories=("/src/a", "/src/b"))


def test_never_written_is_information_and_says_how_often() -> None:
    spots = {spot.evidence["construct"]: spot for spot in spots_for(profile_with())}
    lam = spots["python/lambda"]
    assert lam.severity == "information" and lam.code == "unfamiliar-construct"
    assert lam.message.startswith(
        "You have not written a lambda expression yourself (0 times in 2 repositories)."
    )
    api = spots["python/api:itertools.groupby"]
    assert api.code == "unfamiliar-api"
    assert api.message.startswith("You have not used `itertools.groupby` yourself")
    assert SOURCE[api.start : api.end].startswith("itertools.groupby")


def test_written_long_ago_is_a_gentle_hint_with_the_month() -> None:
    five_years_ago = time.time() - 5 * YEAR
    old = Tally(1, five_years_ago, five_years_ago, {"/src/a"})
    spots = {
        spot.evidence["construct"]: spot
        for spot in spots_for(profile_with(**{"python/lambda": old}))
    }
    lam = spots["python/lambda"]
    assert lam.severity == "hint"
    month = time.strftime("%Y-%m", time.gmtime(five_years_ago))
    assert f"You last wrote a lambda expression in {month} (once)." in lam.message


def test_familiar_constructs_and_the_projects_own_modules_are_not_flagged() -> None:
    recent = Tally(40, time.time() - YEAR / 12, time.time() - 3600, {"/src/a"})
    profile = profile_with(**{"python/lambda": recent})
    flagged = {spot.evidence["construct"] for spot in spots_for(profile, frozenset({"shop"}))}
    assert "python/lambda" not in flagged
    assert "python/api:shop.audit" not in flagged
    assert "python/api:itertools.groupby" in flagged
    unfiltered = {spot.evidence["construct"] for spot in spots_for(profile)}
    assert "python/api:shop.audit" in unfiltered


def test_without_a_history_nothing_is_unfamiliar() -> None:
    assert spots_for(Profile("dev@example.com")) == []


def test_heavily_practised_five_years_ago_is_not_flagged() -> None:
    now = time.time()
    practised = Tally(100, now - 8 * YEAR, now - 5 * YEAR, {"/src/a"})
    flagged = {
        spot.evidence["construct"]
        for spot in spots_for(profile_with(**{"python/lambda": practised}))
    }
    assert "python/lambda" not in flagged


def test_written_once_five_years_ago_is_a_hint() -> None:
    once = Tally(1, time.time() - 5 * YEAR, time.time() - 5 * YEAR, {"/src/a"})
    spots = {
        spot.evidence["construct"]: spot
        for spot in spots_for(profile_with(**{"python/lambda": once}))
    }
    assert spots["python/lambda"].severity == "hint"
    assert "(once)" in spots["python/lambda"].message


def test_a_never_used_api_of_a_library_the_developer_knows_is_a_lookup_hint() -> None:
    recent = time.time() - YEAR / 12
    used = Tally(30, recent - 2 * YEAR, recent, {"/src/a"})
    profile = profile_with(**{f"python/api:itertools.{name}": used for name in ("chain", "islice")})
    spots = {spot.evidence["construct"]: spot for spot in spots_for(profile)}
    groupby = spots["python/api:itertools.groupby"]
    assert groupby.severity == "hint"
    assert groupby.message.startswith("New to you, but you know the itertools library well")
    assert "`itertools.chain`" in groupby.message
    # a construct with no related practice stays Information
    assert spots["python/lambda"].severity == "information"


def test_an_or_pattern_takes_an() -> None:
    source = "def f(x):\n    match x:\n        case 1 | 2:\n            return x\n"
    document = SyntaxDocument("file:///m.py", source, language_named("python"))
    region = Region(0, len(source) - 1, source[:-1], "paste")
    spots = unfamiliar_spots(document, region, profile_with(), time.time())
    messages = [spot.message for spot in spots if spot.evidence["construct"].endswith("or-pattern")]
    assert messages and messages[0].startswith("You have not written an or-pattern")


def test_the_article_follows_the_sound() -> None:
    assert article("or-pattern") == "an or-pattern"
    assert article("`else` clause of a loop") == "an `else` clause of a loop"
    assert article("union type with `|`") == "a union type with `|`"
    assert article("lambda expression") == "a lambda expression"
