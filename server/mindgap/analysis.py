"""From foreign regions to findings: the one pipeline behind the CLI and the server.

Every region gets its `foreign-region` finding at once (cheap, on every edit). The deeper
analyses - unfamiliar constructs, deviations from the repository's conventions, imports of
packages the repository does not use, functions it already has - need the syntax tree; they
return `Spot`s located by text offsets, so that the server can keep showing them while
their region moves and re-run them only for regions whose code changed. Only foreign regions
are ever analysed: code the developer wrote by hand is never flagged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from mindgap.conventions.checking import convention_spots
from mindgap.conventions.dependencies import dependency_spots
from mindgap.conventions.files import is_test_path
from mindgap.conventions.model import SourceFile
from mindgap.conventions.reinvention import BehaviourBudget, reinvention_spots
from mindgap.conventions.repository import RepositoryConventions
from mindgap.findings import Finding, Severity, Spot, foreign_region_finding
from mindgap.knowledge.profile import Profile
from mindgap.knowledge.unfamiliar import unfamiliar_spots
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.limits import refusal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalysisContext:
    """What the deeper analyses know about the developer and the moment."""

    profile: Profile | None = None  # None: no familiarity profile, nothing is "unfamiliar"
    now: float | None = None  # None: the current time
    local_modules: frozenset[str] = frozenset()  # the repository's own top-level modules
    # The repository's mined conventions and its dependency and function indexes (None:
    # not learned yet - nothing is compared with the repository)
    conventions: RepositoryConventions | None = None
    convention_severity: Severity = "information"
    # Reinvention by behaviour: foreign functions run beside the repository's in the sandbox,
    # within this run-wide budget (seconds): `mindgap check` asks for it, the editor's typing
    # path does not (None)
    behaviour_clones: BehaviourBudget | None = None


def analyse_region(
    document: SyntaxDocument, region: Region, context: AnalysisContext
) -> list[Spot]:
    """The deeper findings of one region (parses the document if its tree is stale). Code
    past the limits of bounded work (a line too long, nesting too deep) gets one finding
    that says why it was not analysed, instead of the others."""
    refused = refusal(document, region.start, region.end)
    if refused is not None:
        return [not_analysed(region, refused)]
    spots = unfamiliar_spots(document, region, context.profile, context.now, context.local_modules)
    if context.conventions is not None:
        spots += repository_spots(
            document,
            region,
            context.conventions,
            context.convention_severity,
            behaviour_clones=context.behaviour_clones,
        )
    return spots


def not_analysed(region: Region, reason: str) -> Spot:
    return Spot(
        region.start,
        region.end,
        kind="foreign-region",
        code="not-analysed",
        severity="information",
        message=reason,
        evidence={"region_id": region.id},
    )


def source_file(document: SyntaxDocument, conventions: RepositoryConventions) -> SourceFile | None:
    """The document as the convention observers see it (None: no grammar or no tree)."""
    tree = document.tree
    if document.language is None or tree is None:
        return None
    path = _document_path(document.uri)
    shown = _shown_path(conventions, path) if path else ""
    return SourceFile(
        path=shown,
        language=document.language.name,
        index=document.index,
        tree=tree,
        is_test=is_test_path(shown),
    )


_SHOWN_PATHS: dict[tuple[str, str], str] = {}  # (repository, file) -> the path findings show
_MAX_SHOWN_PATHS = 4096


def _shown_path(conventions: RepositoryConventions, path: str) -> str:
    """The file's repository-relative path (its name when outside), resolved once per file:
    the analysis of every paste needs it, and resolving costs a system call per folder."""
    key = (conventions.key, path)
    shown = _SHOWN_PATHS.get(key)
    if shown is None:
        if len(_SHOWN_PATHS) >= _MAX_SHOWN_PATHS:
            _SHOWN_PATHS.clear()
        shown = _SHOWN_PATHS[key] = conventions.relative(path) or Path(path).name
    return shown


def repository_spots(
    document: SyntaxDocument,
    region: Region,
    conventions: RepositoryConventions,
    severity: Severity,
    behaviour_clones: BehaviourBudget | None = None,
) -> list[Spot]:
    """Where the region departs from the repository: its conventions, its dependencies,
    the functions it already has."""
    source = source_file(document, conventions)
    if source is None:
        return []
    spots = convention_spots(source, region.start, region.end, conventions, severity)
    for analysis in (
        lambda: dependency_spots(source, region.start, region.end, conventions.dependencies),
        lambda: reinvention_spots(
            source, region.start, region.end, conventions.functions, behaviour_clones
        ),
    ):
        try:
            spots += analysis()
        except Exception:  # one failing analysis must not take the others' findings away
            log.exception("analysis of %s failed", document.uri)
    return sorted(spots, key=lambda spot: (spot.start, spot.end, spot.code))


def _document_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return url2pathname(parsed.path) if parsed.path else None


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

    def needs_analysis(self, regions: list[Region]) -> bool:
        """Whether `refresh` would analyse any of these regions (new, or code changed)."""
        return any(
            (entry := self._entries.get(region.id)) is None or entry[0] != region.fingerprint
            for region in regions
        )

    def spots(self, region: Region) -> list[Spot]:
        """The region's findings where its code now is; none while it awaits re-analysis."""
        entry = self._entries.get(region.id)
        if entry is None or entry[0] != region.fingerprint:
            return []
        _, start, spots = entry
        return [spot.shifted(region.start - start) for spot in spots]

    def clear(self) -> None:
        self._entries.clear()
