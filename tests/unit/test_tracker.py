"""The provenance engine as an editor drives it: changes, reports, undo, disk, trees."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from mindgap.ledger.database import Database
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.tracker import MAX_LIVE_TREES, Change, ProvenanceTracker
from mindgap.syntax.positions import Pos

APP = '"""The app."""\n\n\ndef main():\n    return 0\n'
BLOCK = "def total(items):\n    return sum(items)\n"


def spans(tracker: ProvenanceTracker, key: str = "u") -> list[tuple[int, int, str]]:
    tracked = tracker.documents[key]
    return [(r.start, r.end, r.source) for r in tracked.regions]


def kinds(tracker: ProvenanceTracker) -> list[str]:
    return [event.kind for event in tracker.drain_events()]


def opened(text: str = APP) -> ProvenanceTracker:
    tracker = ProvenanceTracker(None)
    tracker.open("u", None, text, "python", 1)
    return tracker


def test_neovim_style_undo_and_redo_keep_the_code_foreign() -> None:
    tracker = opened()
    # Neovim 0.7 sends a line insertion as a replacement of the newline before it
    insert = Change(Pos(2, 0), Pos(3, 0), "\n" + BLOCK)
    tracker.change("u", 2, [insert])
    assert spans(tracker) == [(17, 56, "burst")]
    tracker.change("u", 3, [Change(Pos(3, 0), Pos(5, 0), "")])  # u
    assert spans(tracker) == []
    tracker.change("u", 4, [insert])  # <C-r>
    assert spans(tracker) == [(17, 56, "burst")]
    assert kinds(tracker) == ["inserted", "deleted", "restored"]  # not a second insertion


def test_moving_own_code_by_cut_and_paste_is_not_foreign() -> None:
    text = (
        APP
        + "\n\ndef helper(values):\n    cleaned = [v for v in values if v]\n    return cleaned\n"
    )
    tracker = opened(text)
    lines = text.split("\n")
    start = lines.index("def helper(values):")
    moved = "\n".join(lines[start : start + 3]) + "\n"
    tracker.change("u", 2, [Change(Pos(start, 0), Pos(start + 3, 0), "")])
    tracker.change("u", 3, [Change(Pos(0, 0), Pos(0, 0), moved)])
    assert spans(tracker) == []


def test_a_report_after_a_burst_reclassifies_the_same_region() -> None:
    tracker = opened()
    tracker.change("u", 2, [Change(Pos(5, 0), Pos(5, 0), BLOCK)])
    (burst,) = tracker.documents["u"].regions
    region = tracker.report_insertion("u", 2, Pos(5, 0), Pos(7, 0), "inline-completion", "Copilot")
    assert region is not None
    assert (region.id, region.source, region.tool) == (burst.id, "inline-completion", "Copilot")
    assert kinds(tracker) == ["inserted", "reclassified"]


def test_a_report_for_an_older_version_is_mapped_through_later_edits() -> None:
    tracker = opened()
    tracker.change("u", 2, [Change(Pos(5, 0), Pos(5, 0), "x = 1")])
    tracker.change("u", 3, [Change(Pos(0, 0), Pos(0, 0), "# one\n# two\n")])
    tracker.change("u", 4, [Change(Pos(7, 0), Pos(7, 0), "y = 0; ")])  # typed before it
    region = tracker.report_insertion("u", 2, Pos(5, 0), Pos(5, 5), "paste", None)
    assert region is not None and region.text == "x = 1"
    assert tracker.documents["u"].document.position(region.start) == Pos(7, 7)
    assert tracker.report_insertion("u", 99, Pos(0, 0), Pos(0, 3), "paste", None) is None


def test_a_formatter_rewriting_the_whole_text_adds_nothing_foreign() -> None:
    source = "def f(a,b):\n    return {'a':a,'b':b}\n\n\ndef g():\n    return f(1,2)\n"
    formatted = 'def f(a, b):\n    return {"a": a, "b": b}\n\n\ndef g():\n    return f(1, 2)\n'
    tracker = opened(source)
    tracker.change("u", 2, [Change(None, None, formatted)])
    assert spans(tracker) == []
    # ...while a whole-text replacement that brings a new function marks just that function
    added = formatted + "\n\ndef h(values):\n    return sorted(set(values), key=str.lower)\n"
    tracker.change("u", 3, [Change(None, None, added)])
    ((start, end, source_name),) = spans(tracker)
    assert added[start:end].startswith("def h(values):") and source_name == "burst"


def test_deleting_and_retyping_foreign_code_are_recorded() -> None:
    tracker = opened()
    tracker.change("u", 2, [Change(Pos(5, 0), Pos(5, 0), BLOCK)])
    tracker.change("u", 3, [Change(Pos(6, 4), Pos(6, 21), "return 0")])  # retype a line
    tracker.change("u", 4, [Change(Pos(5, 0), Pos(6, 0), "")])  # delete the rest
    assert spans(tracker) == []
    events = tracker.drain_events()
    assert [e.kind for e in events] == ["inserted", "retyped", "deleted"]
    assert events[-1].detail["vanished"] is True


def test_agent_edits_on_disk_without_a_store(tmp_path) -> None:
    path = str(tmp_path / "app.py")
    tracker = ProvenanceTracker(None)
    tracker.open("file://" + path, path, APP, "python", 1)
    tracker.close("file://" + path)
    assert tracker.has_seen(path)

    created = tracker.disk_changed(path, APP + "\n\n" + BLOCK)
    assert [(r.source, r.text) for r in created] == [("agent-edit", BLOCK.strip())]
    assert tracker.disk_changed(path, APP + "\n\n" + BLOCK + "\nx = 1\n", from_git=True) == []
    assert tracker.disk_changed(str(tmp_path / "never-seen.py"), BLOCK) == []


def test_a_file_open_in_the_editor_is_not_diffed_on_disk(tmp_path) -> None:
    path = str(tmp_path / "app.py")
    tracker = ProvenanceTracker(None)
    tracker.open("k", path, APP, "python", 1)
    assert tracker.disk_changed(path, APP + "\n\n" + BLOCK) == []  # the editor reports it


def test_only_the_most_recent_trees_stay_in_memory() -> None:
    tracker = ProvenanceTracker(None)
    keys = [f"doc{i}" for i in range(MAX_LIVE_TREES + 4)]
    for key in keys:
        tracker.open(key, None, "x = 1\n", "python", 1)
        tracker.parse(key)
    live = [key for key in keys if tracker.documents[key].document.has_current_tree]
    assert live == keys[-MAX_LIVE_TREES:]
    dropped = tracker.documents[keys[0]].document
    assert dropped.tree is not None and str(dropped.tree.root_node).startswith("(module")


EDIT_TEXTS = st.sampled_from(
    ["x", " ", "\n", "é", "😀", "\n    ", "y = 2\n", "", BLOCK, "\n\n" + BLOCK, "漢字 = 1\n"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), EDIT_TEXTS), min_size=1, max_size=25))
def test_every_region_holds_exactly_the_text_it_claims(edits) -> None:
    """Random typing, pasting, deleting and undoing through the engine, as an editor sends it."""
    tracker = opened(APP + BLOCK)
    tracker.report_insertion("u", 1, Pos(5, 0), Pos(7, 0), "paste", None)
    tracked = tracker.documents["u"]
    for version, (a, b, text) in enumerate(edits, start=2):
        document = tracked.document
        first, second = sorted((int(a * len(document.text)), int(b * len(document.text))))
        change = Change(document.position(first), document.position(second), text)
        tracker.change("u", version, [change])
        regions = list(tracked.regions)
        for region in regions:
            assert document.text[region.start : region.end] == region.text
            assert region.text == region.text.strip() and region.text
        assert all(left.end <= right.start for left, right in pairwise(regions))


def test_foreign_code_replaced_by_foreign_code_is_deleted_not_retyped() -> None:
    tracker = opened()
    tracker.change("u", 2, [Change(Pos(5, 0), Pos(5, 0), BLOCK)])
    rewrite = "class Basket:\n    capacity = 10\n"
    tracker.change("u", 3, [Change(Pos(5, 0), Pos(7, 0), rewrite)])
    assert [e.kind for e in tracker.drain_events()] == ["inserted", "deleted", "inserted"]


def test_a_file_deleted_on_disk_closes_its_regions_with_events(tmp_path) -> None:
    store = RegionStore(Database(tmp_path / "store.sqlite3"), "dev@example.com")
    path = str(tmp_path / "app.py")
    tracker = ProvenanceTracker(store)
    tracker.open("k", path, APP, "python", 1)
    tracker.change("k", 2, [Change(Pos(5, 0), Pos(5, 0), BLOCK)])
    state = tracker.state_to_save("k")
    assert state is not None
    store.save(state)
    tracker.close("k")
    tracker.drain_events()

    assert tracker.disk_changed(path, None) == []
    events = tracker.drain_events()
    assert [(e.kind, e.detail["reason"]) for e in events] == [("deleted", "file deleted")]
    assert store.load(path) == [] and not tracker.has_seen(path)
