"""RegionSet: foreign regions move with edits; what the developer types inside is theirs."""

from __future__ import annotations

from mindgap.provenance.regions import Region, RegionSet, Removal, fingerprint, trimmed

FOREIGN = "def helper(items):\n    total = sum(items)\n    return total"
TEXT = f"import os\n\n{FOREIGN}\n\nprint(helper([1]))\n"
START = TEXT.index(FOREIGN)
END = START + len(FOREIGN)


class Buffer:
    """A text and its regions, edited together; every edit checks that regions stay exact."""

    def __init__(self, text: str, spans: list[tuple[int, int]], source: str = "paste") -> None:
        self.text = text
        self.regions = RegionSet([Region(a, b, text[a:b], source) for a, b in spans])

    def edit(self, start: int, end: int, new_text: str) -> list[Removal]:
        removals = self.regions.apply_edit(start, end, new_text)
        self.text = self.text[:start] + new_text + self.text[end:]
        self.check()
        return removals

    def insert(self, at: int, new_text: str) -> list[Removal]:
        return self.edit(at, at, new_text)

    def check(self) -> None:
        for region in self.regions:
            assert self.text[region.start : region.end] == region.text

    def foreign(self) -> list[str]:
        return [region.text for region in self.regions]


def one_region() -> Buffer:
    return Buffer(TEXT, [(START, END)])


class TestMovingWithEdits:
    def test_edit_before_shifts_the_region(self):
        buffer = one_region()
        (region,) = buffer.regions
        assert buffer.insert(0, "import sys\n") == []
        (moved,) = buffer.regions
        assert (moved.start, moved.end) == (START + 11, END + 11)
        assert moved.text == FOREIGN and moved.id == region.id

    def test_deletion_before_shifts_the_region_back(self):
        buffer = one_region()
        assert buffer.edit(0, 10, "") == []  # delete 'import os\n'
        (region,) = buffer.regions
        assert region.start == START - 10 and region.text == FOREIGN

    def test_edit_after_leaves_the_region_alone(self):
        buffer = one_region()
        (region,) = buffer.regions
        assert buffer.edit(END + 2, len(TEXT), "x = 1\n") == []
        assert buffer.regions.regions == [region]

    def test_insertion_exactly_at_the_start_is_not_foreign(self):
        buffer = one_region()
        buffer.insert(START, "@cache\n")
        (region,) = buffer.regions
        assert region.start == START + 7 and region.text == FOREIGN
        assert buffer.regions.at(START) is None

    def test_typing_right_after_the_region_is_not_foreign(self):
        buffer = one_region()
        buffer.insert(END, " * 2")
        (region,) = buffer.regions
        assert (region.start, region.end, region.text) == (START, END, FOREIGN)
        assert buffer.text[END : END + 4] == " * 2"
        assert buffer.regions.at(END) is None


class TestTypingInside:
    def test_non_blank_typing_splits_the_region(self):
        buffer = one_region()
        (original,) = buffer.regions
        at = START + FOREIGN.index("sum")
        assert buffer.insert(at, "my") == []  # nothing foreign was removed
        left, right = buffer.regions
        assert left.text == "def helper(items):\n    total ="
        assert right.text == "sum(items)\n    return total"
        assert right.start == at + 2  # the typed 'my' belongs to neither
        assert buffer.text[left.end : right.start] == " my"
        assert left.id == original.id
        assert right.id != original.id
        assert left.origin_id == right.origin_id == original.origin_id
        assert left.source == right.source == "paste"

    def test_retyping_a_word_inside_records_what_was_removed(self):
        buffer = one_region()
        (original,) = buffer.regions
        at = START + FOREIGN.index("total =")
        (removal,) = buffer.edit(at, at + 5, "result")
        assert removal == Removal(original, "total", vanished=False)
        assert buffer.foreign() == ["def helper(items):", "= sum(items)\n    return total"]

    def test_whitespace_typing_inside_is_absorbed(self):
        buffer = one_region()
        (original,) = buffer.regions
        at = START + FOREIGN.index("\n    return")  # end of the middle line
        assert buffer.insert(at, "\n") == []  # Enter: a new line inside the foreign code
        assert buffer.insert(at + 1, "    ") == []  # the editor indents it
        (region,) = buffer.regions
        assert region.id == original.id
        assert region.start == START and region.end == END + 5
        assert region.text == FOREIGN.replace("\n    return", "\n    \n    return")

    def test_deleting_whitespace_inside_is_absorbed(self):
        buffer = one_region()
        at = START + FOREIGN.index("    total")
        assert buffer.edit(at, at + 4, "") == []  # dedent one line
        (region,) = buffer.regions
        assert region.text == FOREIGN.replace("    total", "total")

    def test_whitespace_typed_at_the_region_start_stays_outside(self):
        buffer = one_region()
        buffer.insert(START, "    ")
        (region,) = buffer.regions
        assert region.start == START + 4 and region.text == FOREIGN

    def test_replacing_whitespace_with_code_inside_splits(self):
        buffer = one_region()
        at = START + FOREIGN.index("\n    return")
        assert buffer.edit(at, at + 1, " ; ") == []
        assert buffer.foreign() == ["def helper(items):\n    total = sum(items)", "return total"]


class TestRemovingForeignCode:
    def test_replacing_the_whole_region_makes_it_vanish(self):
        buffer = one_region()
        (original,) = buffer.regions
        (removal,) = buffer.edit(START, END, "def helper(items):\n    return sum(items)")
        assert removal.vanished and removal.removed_text == FOREIGN
        assert removal.region == original
        assert len(buffer.regions) == 0

    def test_deleting_a_larger_range_than_the_region(self):
        buffer = one_region()
        (removal,) = buffer.edit(START - 2, END + 2, "")
        assert removal.vanished and removal.removed_text == FOREIGN
        assert len(buffer.regions) == 0

    def test_replacing_the_start_keeps_the_rest_and_its_id(self):
        buffer = one_region()
        (original,) = buffer.regions
        cut_at = START + FOREIGN.index("(items)")
        (removal,) = buffer.edit(0, cut_at, "def mine")
        (region,) = buffer.regions
        assert removal.removed_text == "def helper" and not removal.vanished
        assert region.text == "(items):\n    total = sum(items)\n    return total"
        assert region.start == len("def mine")
        assert region.id == original.id

    def test_deleting_the_end_leaves_no_trailing_whitespace(self):
        buffer = one_region()
        at = START + FOREIGN.index("return")
        (removal,) = buffer.edit(at, END, "")
        (region,) = buffer.regions
        assert removal.removed_text == "return total"
        assert region.text == "def helper(items):\n    total = sum(items)"
        assert region.end == START + len(region.text)

    def test_deleting_across_two_regions(self):
        text = "first_line()\nsecond_line()\nmine()\nthird_line()\nfourth_line()\n"
        a_end = text.index("\nmine")
        b_start = text.index("third")
        buffer = Buffer(text, [(0, a_end), (b_start, len(text) - 1)])
        first, second = buffer.regions
        start, end = text.index("second"), text.index("fourth")
        removals = buffer.edit(start, end, "")
        assert [r.removed_text for r in removals] == ["second_line()", "third_line()\n"]
        assert [r.region.id for r in removals] == [first.id, second.id]
        assert not any(r.vanished for r in removals)
        assert buffer.foreign() == ["first_line()", "fourth_line()"]
        assert [r.id for r in buffer.regions] == [first.id, second.id]

    def test_deleting_everything_between_and_including_two_regions(self):
        buffer = Buffer("a1 b2 c3\n", [(0, 2), (6, 8)])
        removals = buffer.edit(0, 9, "")
        assert [(r.removed_text, r.vanished) for r in removals] == [("a1", True), ("c3", True)]
        assert len(buffer.regions) == 0

    def test_adjacent_regions_and_an_insertion_between_them(self):
        buffer = Buffer("aaabbb", [(0, 3), (3, 6)])
        buffer.insert(3, "X")
        assert buffer.foreign() == ["aaa", "bbb"]
        assert [(r.start, r.end) for r in buffer.regions] == [(0, 3), (4, 7)]


class TestCarveAndAdd:
    def test_carve_marks_part_of_a_region_as_mine(self):
        buffer = one_region()
        (original,) = buffer.regions
        line_start = START + FOREIGN.index("    total")
        line_end = START + FOREIGN.index("\n    return")
        (removal,) = buffer.regions.carve(line_start, line_end)
        buffer.check()  # the text did not change
        assert removal.removed_text == "    total = sum(items)" and not removal.vanished
        assert buffer.foreign() == ["def helper(items):", "return total"]
        assert buffer.regions.regions[0].id == original.id

    def test_carve_the_whole_region(self):
        buffer = one_region()
        (removal,) = buffer.regions.carve(0, len(TEXT))
        assert removal.vanished and removal.removed_text == FOREIGN
        assert len(buffer.regions) == 0

    def test_carve_elsewhere_changes_nothing(self):
        buffer = one_region()
        assert buffer.regions.carve(0, START) == []
        assert buffer.foreign() == [FOREIGN]

    def test_add_replaces_the_coverage_it_overlaps(self):
        buffer = one_region()
        (old,) = buffer.regions
        start = START + FOREIGN.index("    total")
        end = len(TEXT) - 1
        added = buffer.regions.add(Region(start, end, TEXT[start:end], "chat-edit", tool="copilot"))
        buffer.check()
        assert added is not None
        assert added.text.startswith("total = sum(items)")  # trimmed of its indentation
        assert added.text.endswith("print(helper([1]))")
        assert [(r.source, r.id) for r in buffer.regions] == [
            ("paste", old.id),
            ("chat-edit", added.id),
        ]
        assert buffer.foreign()[0] == "def helper(items):"

    def test_add_inside_an_existing_region_splits_it(self):
        buffer = one_region()
        start = START + FOREIGN.index("sum")
        end = start + len("sum(items)")
        buffer.regions.add(Region(start, end, TEXT[start:end], "inline-completion"))
        buffer.check()
        assert [r.source for r in buffer.regions] == ["paste", "inline-completion", "paste"]
        assert buffer.foreign() == [
            "def helper(items):\n    total =",
            "sum(items)",
            "return total",
        ]

    def test_adding_blank_text_adds_nothing(self):
        regions = RegionSet()
        assert regions.add(Region(0, 3, " \n ", "paste")) is None
        assert len(regions) == 0

    def test_regions_stay_sorted(self):
        text = "one two three"
        regions = RegionSet()
        for word in ("three", "one", "two"):
            at = text.index(word)
            regions.add(Region(at, at + len(word), word, "paste"))
        assert [r.text for r in regions] == ["one", "two", "three"]
        assert regions.get(regions.regions[1].id).text == "two"
        assert regions.get("missing") is None


class TestRegionBasics:
    def test_trimmed(self):
        region = Region(10, 20, "  x = 1\n  ", "paste")
        piece = trimmed(region)
        assert (piece.start, piece.end, piece.text) == (12, 17, "x = 1")
        assert piece.id == region.id
        assert trimmed(Region(0, 2, "\n\n", "paste")) is None

    def test_line_count_skips_blank_lines(self):
        assert Region(0, 0, "a\n\n  b\n", "paste").line_count == 2

    def test_fingerprint_ignores_reindenting_but_not_code(self):
        assert fingerprint("if x:\n    y()") == fingerprint("if x:\n        y()")
        assert fingerprint("if x:\n    y()") != fingerprint("if x:\n    z()")

    def test_fragments_share_the_origin(self):
        region = Region(0, 3, "abc", "paste")
        assert region.origin_id == region.id
