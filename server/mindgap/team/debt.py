"""The team's understanding debt, from the attestations in the repository's notes.

An attestation counts when its lines are found in HEAD (docs/debt.md, "Team"): on the
commit it hangs on (anchored) or, when that commit was rewritten away, by fingerprint
(re-anchored). Code no longer in HEAD has left the debt, as deleted code does for one
developer. Per developer, the newest attestation about each piece of code counts. For the
team, each piece of code counts once: understood if any developer has shown they
understand it, else pending if anyone still has it pending, else waived.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

from mindgap.report.debt import CurrentRegion, file_debts, state_lines
from mindgap.report.model import Attestations, DeveloperDebt, TeamReport
from mindgap.team.anchoring import CodeLocator
from mindgap.team.notes import Attestation, NotesSnapshot, newest

_TEAM_STATE_ORDER = ("understood", "pending", "waived")


def present_attestations(
    snapshot: NotesSnapshot, reachable: set[str], locator: CodeLocator
) -> tuple[list[Attestation], Attestations]:
    """The newest attestation per developer and code whose code is in HEAD, and the counts."""
    on_reachable: set[tuple[str, str, str]] = set()
    for commit, attestation in snapshot.pairs:
        if commit in reachable:
            on_reachable.add(attestation.key)
    kept = newest(attestation for _, attestation in snapshot.pairs)
    counts = Attestations(
        notes=snapshot.notes, attestations=len(kept), unreadable=snapshot.unreadable
    )
    locator.prepare((a.path, a.span) for a in kept.values())  # each file's windows: one pass
    present = []
    for key, attestation in kept.items():
        if locator.locate(attestation.path, attestation.span, attestation.line_fingerprint) is None:
            counts.gone += 1
            continue
        if key in on_reachable:
            counts.anchored += 1
        else:
            counts.reanchored += 1
        present.append(attestation)
    return present, counts


def _region(attestation: Attestation, state: str | None = None) -> CurrentRegion:
    return CurrentRegion(
        id=attestation.fingerprint,
        origin_id=attestation.fingerprint,
        path=attestation.path,
        state=state or attestation.state,
        lines=attestation.lines,
        source=attestation.source,
    )


def team_report(
    repository: str,
    head: str | None,
    snapshot: NotesSnapshot,
    reachable: set[str],
    locator: CodeLocator,
    now: float,
) -> TeamReport:
    present, counts = present_attestations(snapshot, reachable, locator)
    by_developer: dict[str, list[Attestation]] = defaultdict(list)
    by_code: dict[tuple[str, str], list[Attestation]] = defaultdict(list)
    for attestation in present:
        by_developer[attestation.developer.lower()].append(attestation)
        by_code[(attestation.path, attestation.line_fingerprint)].append(attestation)
    developers = []
    for developer, attested in sorted(by_developer.items()):
        regions = [_region(a) for a in attested]
        developers.append(
            DeveloperDebt(
                developer=developer,
                current=state_lines(regions),
                files=file_debts(regions),
                last_shared=datetime.fromtimestamp(
                    max(a.time for a in attested), timezone.utc
                ).isoformat(timespec="seconds"),
            )
        )
    developers.sort(key=lambda d: (-d.current.debt_lines, d.developer))
    team_regions = []
    for attested in by_code.values():
        states = {a.state for a in attested}
        state = next(s for s in _TEAM_STATE_ORDER if s in states)
        widest = max(attested, key=lambda a: a.lines)
        team_regions.append(_region(widest, state))
    return TeamReport(
        repository=repository,
        head=head,
        generated_at=datetime.fromtimestamp(now, timezone.utc).isoformat(timespec="seconds"),
        team=state_lines(team_regions),
        developers=developers,
        files=file_debts(team_regions),
        attestations=counts,
    )
