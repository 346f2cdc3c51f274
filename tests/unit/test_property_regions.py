"""Random edit sequences never break a region's claim on its exact text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mindgap.provenance.regions import Region, RegionSet

# The starting text and its foreign regions use lower case; the developer types upper case
# (and emoji), so any upper case inside a region would be typed text wrongly called foreign.
ORIGINAL_ALPHABET = "abcdé漢 \n\t()=:"
TYPED_ALPHABET = "XYZÉ😀 \n\t\r()"
TYPED_MARKERS = set("XYZÉ😀")

texts = st.text(alphabet=ORIGINAL_ALPHABET, min_size=0, max_size=80)
typed = st.text(alphabet=TYPED_ALPHABET, max_size=12)
blank = st.text(alphabet=" \n\t", max_size=4)


@st.composite
def documents(draw):
    text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8, unique=True)))
    regions = RegionSet()
    # consecutive cut points pair up into candidate regions: (c0, c1), (c2, c3), ...
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        regions.add(Region(start, end, text[start:end], draw(st.sampled_from(["paste", "burst"]))))
    return text, regions


@st.composite
def edits(draw, length: int):
    kind = draw(st.sampled_from(["insert", "delete", "replace", "blank", "carve"]))
    start = draw(st.integers(0, length))
    end = start if kind == "insert" else draw(st.integers(start, min(length, start + 15)))
    if kind in ("insert", "replace"):
        new_text = draw(typed)
    elif kind == "blank":
        new_text = draw(blank)
    else:
        new_text = ""
    return kind, start, end, new_text


def check_invariants(text: str, regions: RegionSet) -> None:
    previous_end = -1
    for region in regions:
        assert 0 <= region.start < region.end <= len(text)
        assert text[region.start : region.end] == region.text
        assert region.start >= previous_end, "regions overlap or are out of order"
        previous_end = region.end
        assert region.text.strip(), "a blank region"
        assert region.text == region.text.strip(), "white space at a region's ends"
        assert not TYPED_MARKERS & set(region.text), "typed text became foreign"


@settings(max_examples=200, deadline=None)
@given(document=documents(), data=st.data())
def test_regions_stay_exact_sorted_disjoint_and_trimmed(document, data):
    text, regions = document
    check_invariants(text, regions)
    ids = {region.id for region in regions}
    for _ in range(data.draw(st.integers(1, 12))):
        kind, start, end, new_text = data.draw(edits(len(text)))
        before = list(regions)
        if kind == "carve":
            removals = regions.carve(start, end)
        else:
            removals = regions.apply_edit(start, end, new_text)
            text = text[:start] + new_text + text[end:]
        check_invariants(text, regions)
        for removal in removals:
            assert removal.region in before
            assert removal.removed_text in removal.region.text
            if removal.vanished:
                assert regions.get(removal.region.id) is None
        ids |= {region.id for region in regions}
    assert len(ids) >= len(regions)


@settings(max_examples=200, deadline=None)
@given(document=documents(), data=st.data())
def test_whitespace_edits_never_remove_foreign_code(document, data):
    """Re-indenting and new lines keep every non-blank foreign character foreign."""
    text, regions = document

    def foreign_chars(regions: RegionSet) -> str:
        return "".join("".join(region.text.split()) for region in regions)

    expected = foreign_chars(regions)
    for _ in range(data.draw(st.integers(1, 8))):
        start = data.draw(st.integers(0, len(text)))
        end = start
        while end < len(text) and text[end].isspace() and data.draw(st.booleans()):
            end += 1
        new_text = data.draw(blank)
        assert regions.apply_edit(start, end, new_text) == []
        text = text[:start] + new_text + text[end:]
        check_invariants(text, regions)
        assert foreign_chars(regions) == expected
