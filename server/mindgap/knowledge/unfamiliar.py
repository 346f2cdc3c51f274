"""Unfamiliar constructs in foreign code: what this developer has not written by hand.

A construct (from the catalogue) or a library API (Python) found in a foreign region is
flagged when the developer's profile has no hand-written evidence of it ("unfamiliar", shown
as Information), only thin and old evidence ("fading", a Hint), or none but related practice
(other APIs of the same library, the same construct family: a lookup, a Hint). Without a
profile nothing is flagged: every construct would look unfamiliar, and a false alarm costs
more than a miss.
"""

from __future__ import annotations

from mindgap.findings import Spot
from mindgap.knowledge.apis import find_api_uses, modules_created_in
from mindgap.knowledge.catalogue import ConstructHit, catalogue, has_catalogue
from mindgap.knowledge.familiarity import Familiarity
from mindgap.knowledge.profile import Profile
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument


def construct_hits(document: SyntaxDocument, start: int, end: int) -> list[ConstructHit]:
    """Catalogue constructs and library APIs starting in text[start:end], in source order."""
    language = document.language
    if language is None or not has_catalogue(language.name):
        return []
    tree = document.tree
    if tree is None:
        return []
    index = document.index
    start_byte, end_byte = index.byte_offset(start), index.byte_offset(end)
    hits = catalogue(language.name).find(tree.root_node, start_byte, end_byte)
    if language.name == "python":
        hits += find_api_uses(tree.root_node, start_byte, end_byte)
    return sorted(hits, key=lambda hit: (hit.start_byte, hit.construct.id))


def has_evidence(profile: Profile | None) -> bool:
    """Whether a profile was built from history: practice and live typing alone say too
    little to call everything else unfamiliar."""
    return profile is not None and bool(profile.repositories)


def unfamiliar_spots(
    document: SyntaxDocument,
    region: Region,
    profile: Profile | None,
    now: float | None,
    local_modules: frozenset[str] = frozenset(),
) -> list[Spot]:
    """Findings for what in the region the profile has no (recent) hand-written evidence of;
    APIs of the repository's own modules (`local_modules`, and the modules the file writes
    itself) are its code, not a library."""
    if profile is None or not has_evidence(profile) or region.state != "pending":
        return []  # no history to compare with, or the developer has dealt with the code
    hits = construct_hits(document, region.start, region.end)
    if document.tree is not None and any(hit.construct.id.startswith("api:") for hit in hits):
        local_modules |= modules_created_in(document.tree.root_node)  # a test's own modules
    hits = [hit for hit in hits if not _is_local_api(hit, local_modules)]
    first_hits: dict[str, ConstructHit] = {}
    occurrences: dict[str, int] = {}
    for hit in hits:
        first_hits.setdefault(hit.construct.key, hit)
        occurrences[hit.construct.key] = occurrences.get(hit.construct.key, 0) + 1
    spots = []
    index = document.index
    repositories = len(profile.repositories)
    for key, hit in first_hits.items():
        verdict = profile.familiarity(key, now)
        if verdict.level == "familiar":
            continue
        start = index.offset_of_point(*hit.start_point)
        end = index.offset_of_point(*hit.end_point)
        spots.append(
            Spot(
                start,
                min(end, region.end) if end > start else end,
                "unfamiliar",
                "unfamiliar-api" if hit.construct.id.startswith("api:") else "unfamiliar-construct",
                "information" if _severe(verdict, profile) else "hint",
                _message(hit, verdict, repositories, _is_lookup(verdict, profile)),
                {
                    "construct": key,
                    "name": hit.construct.name,
                    "family": hit.construct.family,
                    "explanation": hit.construct.explanation,
                    "occurrences_in_region": occurrences[key],
                    "repositories_read": repositories,
                    "familiarity": verdict.model_dump(mode="json"),
                    "region_id": region.id,
                },
            )
        )
    return spots


def _is_local_api(hit: ConstructHit, local_modules: frozenset[str]) -> bool:
    if not hit.construct.id.startswith("api:"):
        return False
    return hit.construct.id[len("api:") :].split(".", 1)[0] in local_modules


def _severe(verdict: Familiarity, profile: Profile) -> bool:
    """Information only for what is new to the developer, with no related practice."""
    return verdict.level == "unfamiliar" and not _is_lookup(verdict, profile)


def _is_lookup(verdict: Familiarity, profile: Profile) -> bool:
    return verdict.count == 0 and verdict.related_familiar


def _message(
    hit: ConstructHit, verdict: Familiarity, repositories: int, lookup: bool = False
) -> str:
    construct = hit.construct
    is_api = construct.id.startswith("api:")
    what = f"`{construct.name}`" if is_api else article(construct.name)
    verb, past = ("used", "used") if is_api else ("written", "wrote")
    where = f"{repositories} repositor{'y' if repositories == 1 else 'ies'}"
    if lookup:
        names = ", ".join(_related_name(key) for key in verdict.related_examples)
        kind = f"the {construct.name.split('.', 1)[0]} library" if is_api else construct.family
        lead = f"New to you, but you know {kind} well ({names}...): a lookup, not a skill."
        return f"{lead} {construct.explanation}"
    if verdict.level == "unfamiliar":
        seen = f"0 times in {where}" if repositories else "no hand-written evidence"
        lead = f"You have not {verb} {what} yourself ({seen})."
        return f"{lead} {construct.explanation} Explain it or hand-write it."
    month = verdict.last_written.strftime("%Y-%m") if verdict.last_written else "long ago"
    times = "once" if verdict.count == 1 else f"{verdict.count} times"
    lead = f"You last {past} {what} in {month} ({times})."
    return f"{lead} {construct.explanation} A quick quiz would refresh it."


def article(noun: str) -> str:
    """ "a lambda expression", "an or-pattern": the article by the sound of the first letter."""
    word = "".join(char for char in noun.lower() if char.isalpha() or char == " ").lstrip()
    letter = word[:1]
    # a vowel letter with a consonant sound ("a union", "a use") takes "a"
    vowel_sound = letter in "aeiou" and not word.startswith(("uni", "use", "usu", "eu", "one"))
    return f"{'an' if vowel_sound and letter else 'a'} {noun}"


def _related_name(key: str) -> str:
    ident = key.partition("/")[2]
    return f"`{ident[4:]}`" if ident.startswith("api:") else ident.replace("-", " ")
