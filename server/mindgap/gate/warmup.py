"""Which constructs of a region may get a warm-up question: those this developer has not
written by hand (or not recently), from their familiarity profile. A warm-up (vocabulary)
question teaches; it never decides a pass, and a quiz holds at most one (GATE.md)."""

from __future__ import annotations

from mindgap.knowledge.profile import Profile
from mindgap.knowledge.unfamiliar import construct_hits, has_evidence
from mindgap.syntax.document import SyntaxDocument


def unfamiliar_constructs(
    document: SyntaxDocument, start: int, end: int, profile: Profile | None
) -> frozenset[str] | None:
    """Catalogue keys in document.text[start:end] the profile does not know as familiar;
    None without a profile with evidence (then no warm-up: nothing says what is new)."""
    if profile is None or not has_evidence(profile):
        return None
    keys = {hit.construct.key for hit in construct_hits(document, start, end)}
    return frozenset(k for k in keys if profile.familiarity(k).level != "familiar")
