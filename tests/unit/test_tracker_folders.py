"""The tracker in a multi-root workspace: a file's regions go to the store of the folder
holding it (its developer's), and its folder's burst thresholds decide what is foreign."""

from __future__ import annotations

from pathlib import Path

from mindgap.ledger.database import Database
from mindgap.provenance.detection import BurstThresholds
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.tracker import Change, ProvenanceTracker
from mindgap.syntax.positions import Pos

BLOCK = "def total(items):\n    return sum(items)\n"


def test_each_folder_keeps_its_regions_under_its_developer_and_uses_its_thresholds(
    tmp_path: Path,
) -> None:
    database = Database(tmp_path / "mindgap.db")
    first, second = RegionStore(database, "ann@a.org"), RegionStore(database, "bob@b.org")
    tracker = ProvenanceTracker(first)
    tracker.use_folder("/work/a", first, BurstThresholds())
    tracker.use_folder("/work/a/vendor", second, BurstThresholds(min_lines=5, min_chars=500))
    for key, path in (("a", "/work/a/app.py"), ("v", "/work/a/vendor/lib.py")):
        tracker.open(key, path, "\n", "python", 1)
        tracker.change(key, 2, [Change(Pos(1, 0), Pos(1, 0), BLOCK)])
    # two lines are a burst in the outer folder, not in the inner one (at least 5 there)
    assert len(list(tracker.documents["a"].regions)) == 1
    assert list(tracker.documents["v"].regions) == []
    tracker.change("v", 3, [Change(Pos(1, 0), Pos(1, 0), BLOCK * 3)])
    assert len(list(tracker.documents["v"].regions)) == 1
    for key in ("a", "v"):
        state = tracker.state_to_save(key)
        assert state is not None
        tracker.store_for(state.path).save(state)  # type: ignore[union-attr]
    assert [r.text for r in first.load("/work/a/app.py")] == [BLOCK.rstrip()]
    assert second.load("/work/a/app.py") == []
    assert [r.text for r in second.load("/work/a/vendor/lib.py")] == [(BLOCK * 3).rstrip()]
    assert first.load("/work/a/vendor/lib.py") == []
    # a file outside every folder, or in a folder whose name only starts the same: the default
    assert tracker.store_for("/work/ab/x.py") is first
    assert tracker.store_for(None) is first
    tracker.forget_folder("/work/a/vendor")
    assert tracker.store_for("/work/a/vendor/lib.py") is first
