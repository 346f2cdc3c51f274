"""reanchor: finding stored regions again after the file changed outside the editor."""

from __future__ import annotations

from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.regions import Region

FOREIGN = """def parse_config(path):
    with open(path) as handle:
        data = json.load(handle)
    validate(data)
    return data"""

BEFORE = f"import json\n\n\n{FOREIGN}\n\n\ndef main():\n    pass\n"


def stored_region(text: str = BEFORE, foreign: str = FOREIGN) -> Region:
    start = text.index(foreign)
    return Region(start, start + len(foreign), foreign, "agent-edit", tool="aider")


def test_unchanged_text_keeps_the_region_in_place():
    region = stored_region()
    anchoring = reanchor(region, BEFORE)
    assert anchoring.outcome == "kept"
    assert anchoring.regions == [region]


def test_lines_added_above_move_the_region():
    region = stored_region()
    after = "#!/usr/bin/env python\n# a header\n" + BEFORE
    anchoring = reanchor(region, after)
    assert anchoring.outcome == "moved"
    (moved,) = anchoring.regions
    assert moved.start == region.start + len("#!/usr/bin/env python\n# a header\n")
    assert after[moved.start : moved.end] == FOREIGN
    assert (moved.id, moved.source, moved.tool) == (region.id, "agent-edit", "aider")


def test_lines_removed_above_move_the_region():
    region = stored_region()
    after = BEFORE.replace("import json\n\n\n", "")
    anchoring = reanchor(region, after)
    assert anchoring.outcome == "moved"
    (moved,) = anchoring.regions
    assert moved.start == 0 and after[moved.start : moved.end] == FOREIGN


def test_edited_middle_line_leaves_the_surviving_blocks():
    region = stored_region()
    after = BEFORE.replace(
        "        data = json.load(handle)", "        data = yaml.safe_load(handle)"
    )
    anchoring = reanchor(region, after)
    assert anchoring.outcome == "partial"
    first, second = anchoring.regions
    assert first.text == "def parse_config(path):\n    with open(path) as handle:"
    assert second.text == "validate(data)\n    return data"
    for piece in anchoring.regions:
        assert after[piece.start : piece.end] == piece.text
    assert "yaml" not in first.text + second.text
    assert first.id == region.id and second.id != region.id
    assert first.origin_id == second.origin_id == region.origin_id


def test_reindented_code_is_found_again():
    """A formatter wrapped the code in a class: same lines, new indentation."""
    region = stored_region()
    indented = "\n".join("    " + line for line in FOREIGN.split("\n"))
    after = f"import json\n\n\nclass Loader:\n{indented}\n"
    anchoring = reanchor(region, after)
    assert anchoring.outcome == "partial"
    (piece,) = anchoring.regions
    assert piece.text == indented.strip()
    assert after[piece.start : piece.end] == piece.text


def test_deleted_code_is_gone():
    region = stored_region()
    after = "import json\n\n\ndef main():\n    pass\n"
    anchoring = reanchor(region, after)
    assert anchoring.outcome == "gone"
    assert anchoring.regions == []


def test_a_single_common_surviving_line_does_not_anchor():
    region = stored_region()
    after = "def other():\n    return data\n"
    assert reanchor(region, after).outcome == "gone"


def test_the_nearest_of_two_occurrences_is_chosen():
    snippet = "result = compute(x)\nprint(result)"
    text = f"{snippet}\n# --- middle ---\n{snippet}\n# end\n"
    second = text.rindex(snippet)
    region = Region(second, second + len(snippet), snippet, "paste")
    # three lines inserted between the copies: the region was the second one
    after = text.replace("# --- middle ---\n", "# --- middle ---\n\na = 1\nb = 2\n")
    anchoring = reanchor(region, after)
    assert anchoring.outcome == "moved"
    (moved,) = anchoring.regions
    assert moved.start == after.rindex(snippet)

    first = Region(0, len(snippet), snippet, "paste")
    moved_first = reanchor(first, "# new header\n" + text).regions[0]
    assert moved_first.start == len("# new header\n")


def test_a_lone_surviving_line_of_a_short_region_does_not_anchor():
    """Two lines, one rewritten: the other alone could match anywhere, so it is gone."""
    foreign = "total = compute()\nprint(total)"
    region = Region(0, len(foreign), foreign, "paste")
    after = "total = compute_fast()\nprint(total)\n"
    assert reanchor(region, after).outcome == "gone"


def test_crlf_file_anchors_without_the_carriage_returns():
    region = stored_region()
    after = BEFORE.replace("\n", "\r\n").replace("validate(data)", "check(data)")
    anchoring = reanchor(region, after)
    assert anchoring.outcome == "partial"
    for piece in anchoring.regions:
        assert after[piece.start : piece.end] == piece.text
        assert not piece.text.endswith("\r") and not piece.text.startswith("\r")
    assert anchoring.regions[0].text.startswith("def parse_config(path):")
