"""From foreign regions to findings: the one pipeline behind the CLI and the server.

Every region gets its `foreign-region` finding at once (cheap, on every edit). The deeper
analyses - unfamiliar constructs today, conventions next - need the syntax tree; they
return `Spot`s located by text offsets, so that the server can keep showing them while
their region moves and re-run them only for regions whose code changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from mindgap.findings import Finding, Severity, Spot, foreign_region_finding
from mindgap.knowledge.profile import Profile
from mindgap.knowledge.unfamiliar import unfamiliar_spots
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument


@dataclass(frozen=True)
class AnalysisContext:
    """What the deeper analyses know about the developer and the moment."""

    profile: Profile | None = None  # None: no familiarity profile, nothing is "unfamiliar"
    now: float | None = None  # None: the current time
    local_modules: frozenset[str] = frozenset()  # the repository's own top-level modules


def analyse_region(
    document: SyntaxDocument, region: Region, context: AnalysisContext
) -> list[Spot]:
    """The deeper findings of one region (parses the document if its tree is stale)."""
    return unfamiliar_spots(document, region, context.profile, context.now, context.local_modules)


def analyse(
    file: str,
    document: SyntaxDocument,
    regions: list[Region],
    severity: Severity,
    context: AnalysisContext | None = None,
) -> list[Finding]:
    """Every finding for the regions of a document, in order: as `mindgap check` shows them."""
    context = context or AnalysisContext()
    findings = []
    for region in regions:
        findings.append(foreign_region_finding(file, document.index, region, severity))
        spots = analyse_region(document, region, context)
        findings.extend(spot.finding(file, document.index) for spot in spots)
    return findings


class AnalysisCache:
    """The deeper findings of one document's regions, kept while a region's code is unchanged.

    The server shows them on every publish, moved with their region, and re-runs the
    analyses (when typing pauses) only for regions that are new or whose code changed.
    """

    def __init__(self) -> None:
        # region id -> (fingerprint of its code, its start when analysed, spots)
        self._entries: dict[str, tuple[str, int, list[Spot]]] = {}

    def refresh(
        self, document: SyntaxDocument, regions: list[Region], context: AnalysisContext
    ) -> int:
        """Analyse the regions that need it; returns how many did."""
        current = {region.id for region in regions}
        for stale in self._entries.keys() - current:
            del self._entries[stale]
        analysed = 0
        for region in regions:
            entry = self._entries.get(region.id)
            if entry is None or entry[0] != region.fingerprint:
                spots = analyse_region(document, region, context)
                self._entries[region.id] = (region.fingerprint, region.start, spots)
                analysed += 1
        return analysed

    def spots(self, region: Region) -> list[Spot]:
        """The region's findings where its code now is; none while it awaits re-analysis."""
        entry = self._entries.get(region.id)
        if entry is None or entry[0] != region.fingerprint:
            return []
        _, start, spots = entry
        return [spot.shifted(region.start - start) for spot in spots]

    def clear(self) -> None:
        self._entries.clear()
