"""Own-code noise: the developer's own lines, checked as if foreign, against their profile.

Every line `git blame -w -M` gives to the developer was written by them (blame looks through
commits that only reformat: knowledge/authorship.py), so every "unfamiliar" finding on it is
a false alarm by definition. `measure_own_code` runs the same
analysis `mindgap check` runs (knowledge/unfamiliar.py) over those lines and counts what it
says, per 1,000 lines: the figure the tests and bench/bench_own_code.py hold to <= 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mindgap.knowledge.apis import local_top_level_modules
from mindgap.knowledge.authorship import blame
from mindgap.knowledge.profile import Profile, developer_key
from mindgap.knowledge.unfamiliar import unfamiliar_spots
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_for


@dataclass
class OwnCodeNoise:
    lines: int = 0  # lines blamed to the developer, in the files measured
    files: int = 0
    # each false alarm: path, 1-based line, severity, message
    findings: list[tuple[str, int, str, str]] = field(default_factory=list)

    @property
    def per_thousand(self) -> float:
        return 1000.0 * len(self.findings) / self.lines if self.lines else 0.0


def blamed_lines(repo: Path, path: str, emails: Iterable[str]) -> list[int]:
    """1-based lines of `path` at HEAD whose author (git blame -w -M, looking through
    commits that only reformatted the file) is one of `emails`."""
    wanted = {developer_key(email) for email in emails}
    return [
        blamed.line
        for blamed in blame(repo, path, "HEAD", ignore_whitespace=True, follow_moves=True)
        if developer_key(blamed.author_email) in wanted
    ]


def _runs(lines: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for line in sorted(set(lines)):
        if runs and line == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], line)
        else:
            runs.append((line, line))
    return runs


def measure_own_code(
    repo: Path, paths: Iterable[str], profile: Profile, now: float | None = None
) -> OwnCodeNoise:
    """Check every line of `paths` (relative to `repo`) blamed to the profile's developer as
    foreign code, the way `mindgap check --inserted` does."""
    noise = OwnCodeNoise()
    local = local_top_level_modules(repo)
    for path in paths:
        language = language_for(path)
        if language is None:
            continue
        try:
            text = (repo / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = blamed_lines(repo, path, [profile.developer])
        if not lines:
            continue
        noise.files += 1
        noise.lines += len(lines)
        document = SyntaxDocument((repo / path).as_uri(), text, language)
        index = document.index
        for first, last in _runs(lines):
            start = index.starts[first - 1]
            end = index.starts[last] - 1 if last < index.line_count else len(text)
            if end <= start:
                continue
            region = Region(start, end, text[start:end], "unknown")
            for spot in unfamiliar_spots(document, region, profile, now, local):
                line = index.line_of(spot.start) + 1
                noise.findings.append((path, line, spot.severity, spot.message))
    return noise
