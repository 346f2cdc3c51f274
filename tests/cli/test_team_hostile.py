"""Team notes are input from anybody who can push: `report --team` validates them like any
untrusted input. A bad attestation is skipped with one warning naming its commit; the report
never breaks and the good attestations still count."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mindgap.cli import main
from mindgap.team.anchoring import line_fingerprint
from tests.cli.ledger_fixtures import mindgap, record_foreign
from tests.fixtures.gitrepo import GitRepo

CODE_LINES = [f"value_{n} = {n} * 2" for n in range(1500)]


def good(first: int = 0, span: int = 3, developer: str = "alice@example.com") -> dict:
    return {
        "developer": developer,
        "path": "app.py",
        "fingerprint": "f" * 24,
        "lineFingerprint": line_fingerprint(CODE_LINES, first, first + span - 1),
        "span": span,
        "lines": span,
        "state": "pending",
        "time": 1_760_000_000.0,
        "source": "paste",
    }


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repository = GitRepo(tmp_path / "repo")
    repository.write("app.py", "\n".join(CODE_LINES) + "\n")
    repository.git("add", "app.py")
    repository.git("commit", "-q", "-m", "start")
    return repository


def attach(repo: GitRepo, lines: list[str], commit: str = "HEAD") -> str:
    note = repo.path.parent / "note.jsonl"
    note.write_text("\n".join(lines) + "\n", encoding="utf-8")
    repo.git("notes", "--ref=mindgap", "add", "-f", "-F", str(note), commit)
    return repo.git("rev-parse", commit)


def team_report(repo: GitRepo) -> tuple[dict, list[str]]:
    result = mindgap(
        "report", "--team", "--format", "json", home=repo.path.parent / "home", cwd=repo.path
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout), result.stderr.splitlines()


def with_field(**changes: object) -> str:
    return json.dumps({**good(first=10), **changes})


BAD_LINES = {
    "a time of 1e300": with_field(time=1e300),
    "an infinite time": with_field(time=float("inf")),  # json.dumps writes Infinity
    "a NaN time": with_field(time=float("nan")),
    "deep nesting": '{"developer": ' * 100_000 + "1" + "}" * 100_000,
    "a path outside the repository": with_field(path="../../../../etc/passwd"),
    "an absolute path": with_field(path="/etc/passwd"),
    "1e30 lines": with_field(lines=1e30),
    "more lines than the span": with_field(lines=50),
    "a line break in the path": with_field(path="app.py\nHEAD:app.py"),
    "not JSON": "{not json",
}


@pytest.mark.parametrize("bad", list(BAD_LINES.values()), ids=list(BAD_LINES))
def test_a_bad_attestation_is_skipped_with_one_warning_naming_its_commit(
    repo: GitRepo, bad: str
) -> None:
    commit = attach(repo, [json.dumps(good()), bad])
    report, errors = team_report(repo)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"mindgap: warning: the mindgap note on commit {commit[:12]}")
    assert "invalid attestation, skipped" in errors[0]
    assert report["team"]["foreignLines"] == 3  # the good attestation still counts
    assert report["attestations"]["unreadable"] == 1


def test_1499_attestations_with_distinct_spans_on_one_file(repo: GitRepo) -> None:
    """Each span needs its own index of the file's windows: they are built in one pass."""
    attach(repo, [json.dumps(good(first=0, span=span)) for span in range(1, 1500)])
    report, errors = team_report(repo)
    assert errors == []
    assert report["attestations"]["anchored"] == 1499
    assert report["team"]["foreignLines"] == 1499 * 1500 // 2


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["../x.py", "/etc/passwd", "app.py", "pending", "understood", ""]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
_field_names = st.sampled_from([*good(), "explanation", "extra"])
_attestations = st.builds(
    lambda base, changes: json.dumps({**base, **changes}),
    st.builds(good, st.integers(0, 1400), st.integers(1, 99)),
    st.dictionaries(_field_names, _values, max_size=3),
)
_lines = st.one_of(
    _attestations, st.text(alphabet=string.printable + '{}[]":,é\u2028', max_size=200)
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(_lines, min_size=1, max_size=12))
def test_report_team_never_raises_over_random_attestation_lines(
    repo: GitRepo, lines: list[str], capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("MINDGAP_HOME", str(repo.path.parent / "home"))
    attach(repo, [line.replace("\n", " ").replace("\r", " ") for line in lines])
    for output in ("json", "text", "html"):
        code = main(["report", "--team", "--repo", str(repo.path), "--format", output])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert "Traceback" not in captured.err
        if output == "json":
            assert "team" in json.loads(captured.out)


def test_share_keeps_going_past_a_hostile_note_and_keeps_its_lines(repo: GitRepo) -> None:
    home = repo.path.parent / "home"
    repo.git("config", "user.email", "alice@example.com")
    app = repo.path / "app.py"
    record_foreign(home, "alice@example.com", app, CODE_LINES[3] + "\n" + CODE_LINES[4])
    hostile = [BAD_LINES["deep nesting"], BAD_LINES["a time of 1e300"]]
    attach(repo, hostile)
    result = mindgap("share", home=home, cwd=repo.path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "shared 1 attestation(s)" in result.stdout
    note = repo.git("notes", "--ref=mindgap", "show", "HEAD").splitlines()
    assert set(hostile) <= set(note)  # somebody else's lines are not ours to drop
    assert len(note) == 3
    report, _ = team_report(repo)
    assert report["team"]["foreignLines"] == 2


def test_a_span_too_long_to_look_for_is_one_warning_not_minutes(tmp_path: Path) -> None:
    """Indexing windows of 19,000 lines in a 20,000-line file is ~2e8 hash updates: the
    attestation is not looked for, and the report says so."""
    lines = [f"value_{n} = {n} * 2" for n in range(20_000)]
    repo = GitRepo(tmp_path / "big")
    repo.write("app.py", "\n".join(lines) + "\n")
    repo.git("add", "app.py")
    repo.git("commit", "-q", "-m", "start")
    huge = {**good(), "span": 19_000, "lines": 19_000}
    huge["lineFingerprint"] = line_fingerprint(lines, 0, 18_999)
    small = {**good(), "lineFingerprint": line_fingerprint(lines, 5, 7)}
    attach(repo, [json.dumps(huge), json.dumps(small)])
    report, errors = team_report(repo)
    assert errors == [
        "mindgap: warning: app.py: attestations spanning 19,000 lines or more in its 20,000 "
        "lines were not looked for (the work would not be bounded)"
    ]
    assert report["team"]["foreignLines"] == 3


def test_a_file_too_large_to_read_is_not_read_for_the_team_report(repo: GitRepo) -> None:
    repo.write("big.py", "value = 1\n" * 600_000)  # 6 MB: past what mindgap reads
    repo.git("add", "big.py")
    repo.git("commit", "-q", "-m", "big")
    on_big = {**good(), "path": "big.py", "span": 1, "lines": 1}
    on_big["lineFingerprint"] = line_fingerprint(["value = 1"], 0, 0)
    attach(repo, [json.dumps(good()), json.dumps(on_big)])
    report, errors = team_report(repo)
    assert errors == []
    assert report["team"]["foreignLines"] == 3
    assert report["attestations"]["gone"] == 1
