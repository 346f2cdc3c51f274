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


def analyse_region(
    document: SyntaxDocument, region: Region, context: AnalysisContext
) -> list[Spot]:
    """The deeper findings of one region (parses the document if its tree is stale)."""
    return unfamiliar_spots(document, region, context.profile, context.now)


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
