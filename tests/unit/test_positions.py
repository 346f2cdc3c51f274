"""LineIndex: the one conversion between LSP positions, text offsets and tree-sitter bytes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import UTF8, UTF16, UTF32, LineIndex, Pos

# One line with a two-byte accent, three-byte CJK and a four-byte emoji (a surrogate pair in
# UTF-16), then a CRLF line, then a last line without a line break.
TEXT = 's = "é漢😀x"\r\nab\n漢字'
#        0123 4 5 6 7 8 9      (code point offsets on line 0)


def naive_position(text: str, offset: int, encoding: str) -> Pos:
    """An independent oracle: split on '\\n' and measure the prefix in the encoding."""
    before = text[:offset]
    line = before.count("\n")
    prefix = before[before.rfind("\n") + 1 :]
    full_line = text.split("\n")[line].rstrip("\r")
    prefix = prefix[: len(full_line)]  # inside a CRLF: the column stops before '\r'
    if encoding == UTF16:
        column = len(prefix.encode("utf-16-le")) // 2
    elif encoding == UTF8:
        column = len(prefix.encode("utf-8"))
    else:
        column = len(prefix)
    return Pos(line, column)


class TestLspPositions:
    @pytest.mark.parametrize(
        ("offset", "utf16", "utf8", "utf32"),
        [
            (0, 0, 0, 0),
            (5, 5, 5, 5),  # é starts: ASCII before it
            (6, 6, 7, 6),  # 漢: é was one UTF-16 unit, two UTF-8 bytes
            (7, 7, 10, 7),  # 😀: 漢 was three bytes
            (8, 9, 14, 8),  # x: the emoji was two UTF-16 units, four bytes
            (9, 10, 15, 9),  # closing quote
            (10, 11, 16, 10),  # end of line 0 (before '\r')
        ],
    )
    def test_columns_on_a_non_ascii_line(self, offset, utf16, utf8, utf32):
        for encoding, column in ((UTF16, utf16), (UTF8, utf8), (UTF32, utf32)):
            index = LineIndex(TEXT, encoding)
            assert index.position(offset) == Pos(0, column), encoding
            assert index.offset(Pos(0, column)) == offset, encoding

    def test_utf16_is_the_default(self):
        assert LineIndex(TEXT).position(8) == Pos(0, 9)

    def test_column_inside_a_surrogate_pair_rounds_down_to_the_emoji(self):
        index = LineIndex(TEXT)
        assert index.offset(Pos(0, 8)) == 7  # half of 😀 -> its start

    def test_column_inside_a_utf8_sequence_rounds_down(self):
        index = LineIndex(TEXT, UTF8)
        assert index.offset(Pos(0, 8)) == 6  # second byte of 漢
        assert index.offset(Pos(0, 12)) == 7  # third byte of 😀

    def test_crlf_line_break_is_not_part_of_the_line(self):
        index = LineIndex(TEXT)
        assert index.line_count == 3
        assert index.line_text(0) == 's = "é漢😀x"'
        assert index.line_text(1) == "ab"
        assert index.line_text(2) == "漢字"
        # the offsets of '\r' and '\n' both report the end of line 0
        assert index.position(10) == Pos(0, 11)
        assert index.position(11) == Pos(0, 11)
        assert index.position(12) == Pos(1, 0)
        assert index.offset(Pos(1, 0)) == 12

    def test_positions_past_the_end_of_a_line_clamp_to_its_end(self):
        index = LineIndex(TEXT)
        assert index.offset(Pos(0, 500)) == 10  # before the '\r', never inside the break
        assert index.offset(Pos(1, 3)) == 14
        assert index.offset(Pos(2, 99)) == len(TEXT)

    def test_positions_past_the_end_of_the_file_clamp_to_the_end(self):
        index = LineIndex(TEXT)
        assert index.offset(Pos(3, 0)) == len(TEXT)
        assert index.offset(Pos(1000, 5)) == len(TEXT)
        assert index.position(len(TEXT) + 50) == Pos(2, 2)
        assert index.offset(Pos(-1, 4)) == 0
        assert index.position(-3) == Pos(0, 0)

    def test_last_line_after_a_final_newline_is_empty(self):
        index = LineIndex("a\n")
        assert index.line_count == 2
        assert index.position(2) == Pos(1, 0)
        assert index.offset(Pos(1, 7)) == 2

    @pytest.mark.parametrize("encoding", [UTF8, UTF16, UTF32])
    def test_every_offset_matches_an_independent_computation(self, encoding):
        index = LineIndex(TEXT, encoding)
        for offset in range(len(TEXT) + 1):
            expected = naive_position(TEXT, offset, encoding)
            assert index.position(offset) == expected, offset
            if TEXT[offset - 1 : offset] != "\r":  # the '\n' of a CRLF: same position as '\r'
                assert index.offset(expected) == offset, offset


class TestTreeSitterPoints:
    def test_byte_offsets_count_utf8_bytes(self):
        index = LineIndex(TEXT)
        encoded = TEXT.encode("utf-8")
        for offset in range(len(TEXT) + 1):
            assert index.byte_offset(offset) == len(TEXT[:offset].encode("utf-8"))
        assert index.byte_offset(len(TEXT)) == len(encoded)

    def test_points_are_rows_and_utf8_byte_columns(self):
        index = LineIndex(TEXT)
        assert index.point(8) == (0, 14)  # x after 'é漢😀'
        assert index.point(12) == (1, 0)
        assert index.point(len(TEXT)) == (2, 6)

    def test_offset_of_point_inverts_point_everywhere(self):
        index = LineIndex(TEXT)
        for offset in range(len(TEXT) + 1):
            assert index.offset_of_point(*index.point(offset)) == offset, offset

    def test_point_inside_a_character_rounds_down(self):
        index = LineIndex(TEXT)
        assert index.offset_of_point(0, 8) == 6  # inside 漢 (bytes 7..9)
        assert index.offset_of_point(0, 12) == 7  # inside 😀

    def test_point_past_the_end_clamps(self):
        index = LineIndex(TEXT)
        assert index.offset_of_point(9, 0) == len(TEXT)
        assert index.offset_of_point(1, 99) == 14
        assert index.position_of_point(0, 99) == Pos(0, 11)

    def test_position_of_point_converts_bytes_to_utf16(self):
        index = LineIndex(TEXT)
        assert index.position_of_point(0, 14) == Pos(0, 9)
        assert index.position_of_point(2, 3) == Pos(2, 1)


PYTHON_SOURCE = 's = "😀é"; café = 1\n漢字 = café + 2  # naïve\r\nprint(漢字, "ü")\n'


def test_tree_sitter_nodes_land_on_the_positions_an_editor_shows():
    """A node's tree-sitter point, converted, is where the editor puts that text."""
    parser = language_named("python").parser()
    tree = parser.parse(PYTHON_SOURCE.encode("utf-8"))
    assert not tree.root_node.has_error
    index = LineIndex(PYTHON_SOURCE)
    identifiers = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type == "identifier":
            identifiers.append(
                (
                    node.text.decode(),
                    index.position_of_point(*node.start_point),
                    index.position_of_point(*node.end_point),
                )
            )
    # Worked out by hand in UTF-16 units: 😀 is two, every other character one.
    assert sorted(identifiers, key=lambda item: (item[1].line, item[1].character)) == [
        ("s", Pos(0, 0), Pos(0, 1)),
        ("café", Pos(0, 11), Pos(0, 15)),
        ("漢字", Pos(1, 0), Pos(1, 2)),
        ("café", Pos(1, 5), Pos(1, 9)),
        ("print", Pos(2, 0), Pos(2, 5)),
        ("漢字", Pos(2, 6), Pos(2, 8)),
    ]


def test_tree_sitter_points_agree_with_the_oracle_for_every_node():
    parser = language_named("python").parser()
    source = PYTHON_SOURCE.encode("utf-8")
    tree = parser.parse(source)
    for encoding in (UTF8, UTF16, UTF32):
        index = LineIndex(PYTHON_SOURCE, encoding)
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            for byte, point in (
                (node.start_byte, node.start_point),
                (node.end_byte, node.end_point),
            ):
                offset = len(source[:byte].decode("utf-8"))
                assert index.offset_of_point(*point) == offset
                assert index.byte_offset(offset) == byte
                assert index.point(offset) == tuple(point)
                assert index.position_of_point(*point) == naive_position(
                    PYTHON_SOURCE, offset, encoding
                )


def test_a_comment_ending_in_cr_maps_back_to_its_exact_text():
    """tree-sitter counts the '\\r' of a CRLF into a comment; slicing must agree with it."""
    source = "x = 1  # hé\r\ny = 2\r\n"
    tree = language_named("python").parser().parse(source.encode("utf-8"))
    comment = next(n for n in tree.root_node.children if n.type == "comment")
    index = LineIndex(source)
    start = index.offset_of_point(*comment.start_point)
    end = index.offset_of_point(*comment.end_point)
    assert source[start:end] == comment.text.decode("utf-8")
    # for the editor the comment still ends before the line break
    assert index.position_of_point(*comment.end_point) == Pos(0, 11)


class TestReplace:
    @pytest.mark.parametrize(
        ("start", "end", "new_text"),
        [
            (0, 0, "new\nline\n"),  # insert lines at the top
            (4, 4, "😀\n"),  # split line 0 after 's = '
            (10, 12, ""),  # delete the CRLF: join lines 0 and 1
            (11, 12, ""),  # delete only the '\n' of the CRLF
            (0, len(TEXT), ""),  # delete everything
            (3, 15, "é\r\n漢\n"),  # replace across lines with new breaks
            (len(TEXT), len(TEXT), "\n"),  # append a line break
        ],
    )
    def test_line_starts_match_a_fresh_index(self, start, end, new_text):
        index = LineIndex(TEXT)
        index.replace(start, end, new_text)
        expected = TEXT[:start] + new_text + TEXT[end:]
        fresh = LineIndex(expected)
        assert index.text == expected
        assert index.starts == fresh.starts
        for offset in range(len(expected) + 1):
            assert index.position(offset) == fresh.position(offset)

    @settings(max_examples=300, deadline=None)
    @given(
        text=st.text(alphabet="ab é漢😀\n\r", max_size=40),
        edits=st.lists(
            st.tuples(
                st.integers(0, 60), st.integers(0, 60), st.text(alphabet="xé😀\n\r ", max_size=8)
            ),
            max_size=8,
        ),
    )
    def test_edits_keep_line_starts_identical_to_a_fresh_index(self, text, edits):
        index = LineIndex(text)
        for a, b, new_text in edits:
            start, end = sorted((min(a, len(text)), min(b, len(text))))
            index.replace(start, end, new_text)
            text = text[:start] + new_text + text[end:]
            assert index.text == text
            assert index.starts == LineIndex(text).starts
