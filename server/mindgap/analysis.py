"""From foreign regions to findings: the one pipeline behind the CLI and the server.

Today a finding per foreign region; the knowledge and convention engines add theirs here.
"""

from __future__ import annotations

from mindgap.findings import Finding, Severity, foreign_region_finding
from mindgap.provenance.regions import Region
from mindgap.syntax.positions import LineIndex


def analyse(
    file: str, index: LineIndex, regions: list[Region], severity: Severity
) -> list[Finding]:
    return [foreign_region_finding(file, index, region, severity) for region in regions]
