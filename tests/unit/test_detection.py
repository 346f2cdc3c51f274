"""Detection: bursts, added hunks between two versions, and undo of recent deletions."""

from __future__ import annotations

import pytest

from mindgap.provenance.detection import BurstThresholds, RecentDeletions, added_blocks, is_burst
from mindgap.provenance.regions import Region

DEFAULTS = BurstThresholds()


class TestBursts:
    def test_defaults(self):
        assert (DEFAULTS.min_lines, DEFAULTS.min_chars) == (2, 60)

    @pytest.mark.parametrize(
        "typed",
        [
            "x",  # one keystroke
            "é",
            "\n    ",  # Enter with auto-indent
            "\n",
            "    ",  # Tab as spaces
            "()",  # auto-closed brackets
            "\n\n\n",  # blank lines only
            "print(value)",  # one short line (a word completion)
        ],
    )
    def test_typing_is_not_a_burst(self, typed):
        assert not is_burst(typed, DEFAULTS)

    def test_two_non_blank_lines_are_a_burst(self):
        assert is_burst("a = 1\nb = 2", DEFAULTS)

    def test_one_line_and_blank_lines_is_not(self):
        assert not is_burst("\n\na = 1\n   \n", DEFAULTS)

    def test_sixty_characters_on_one_line_are_a_burst(self):
        line = "x" * 60
        assert is_burst(line, DEFAULTS)
        assert not is_burst("x" * 59, DEFAULTS)

    def test_white_space_does_not_count_toward_the_characters(self):
        assert not is_burst("x " * 59, DEFAULTS)  # 59 characters, 118 with the spaces

    def test_thresholds_are_settings(self):
        strict = BurstThresholds(min_lines=5, min_chars=1000)
        assert not is_burst("a\nb\nc\nd", strict)
        assert is_burst("a\nb\nc\nd\ne", strict)
        assert is_burst("abc", BurstThresholds(min_lines=9, min_chars=3))


OLD = """import os


def load(path):
    with open(path) as handle:
        return handle.read()


def main():
    print(load("a.txt"))
"""


def blocks_text(old: str, new: str) -> list[str]:
    return [new[a:b] for a, b in added_blocks(old, new)]


class TestAddedBlocks:
    def test_unchanged_text_adds_nothing(self):
        assert added_blocks(OLD, OLD) == []

    def test_inserted_lines_are_found(self):
        helper = (
            "def save(path, text):\n"
            '    with open(path, "w") as handle:\n'
            "        handle.write(text)\n"
        )
        new = OLD.replace("\n\ndef main", f"\n\n{helper}\n\ndef main")
        assert blocks_text(OLD, new) == [helper + "\n\n"]
        ((start, end),) = added_blocks(OLD, new)
        assert new[start:end].startswith("def save")

    def test_two_separate_insertions(self):
        new = "import sys\n" + OLD + "\n\nif __name__ == '__main__':\n    main()\n"
        found = blocks_text(OLD, new)
        assert found[0] == "import sys\n"
        assert "main()" in found[-1]
        assert len(found) == 2

    def test_reindented_lines_are_not_added(self):
        new = OLD.replace("    with open", "        with open").replace(
            "        return handle", "            return handle"
        )
        assert new != OLD
        assert added_blocks(OLD, new) == []

    def test_crlf_conversion_adds_nothing(self):
        assert added_blocks(OLD, OLD.replace("\n", "\r\n")) == []

    def test_a_formatter_like_rewrite_is_not_added(self):
        new = OLD.replace('print(load("a.txt"))', "print(load('a.txt'))").replace(
            "def load(path):", "def load(path) :"
        )
        assert added_blocks(OLD, new) == []

    def test_quote_normalisation_of_a_whole_file_adds_nothing(self):
        old = 'x = f("a")\ny = g("b", "c")\nprint(load("a.txt"))\nname = "mindgap"\n'
        assert added_blocks(old, old.replace('"', "'")) == []

    def test_a_rename_inside_a_line_is_not_added(self):
        new = OLD.replace("    with open(path) as handle:", "    with open(path) as stream:")
        assert added_blocks(OLD, new) == []

    def test_a_dissimilar_replacement_is_added(self):
        replacement = (
            "    import pathlib\n    return pathlib.Path(path).read_text(encoding='utf-8')\n"
        )
        new = OLD.replace(
            "    with open(path) as handle:\n        return handle.read()\n", replacement
        )
        assert blocks_text(OLD, new) == [replacement]

    def test_offsets_are_into_the_new_text_with_non_ascii(self):
        new = OLD.replace("import os\n", "import os\n# héllo 漢字 😀\nGREETING = 'hé'\n")
        ((start, end),) = added_blocks(OLD, new)
        assert new[start:end] == "# héllo 漢字 😀\nGREETING = 'hé'\n"

    def test_everything_is_new_when_old_was_empty(self):
        assert added_blocks("", "a = 1\nb = 2\n") == [(0, len("a = 1\nb = 2\n"))]


class TestRecentDeletions:
    def test_reinserting_deleted_text_returns_its_foreign_parts(self):
        deletions = RecentDeletions()
        deleted = "x = 1\ny = compute()\n"
        foreign = [Region(6, 19, "y = compute()", "paste")]
        deletions.remember(deleted, foreign)
        assert deletions.take(deleted) == foreign

    def test_a_deletion_is_taken_only_once(self):
        deletions = RecentDeletions()
        deletions.remember("a = 1\n", [])
        assert deletions.take("a = 1\n") == []
        assert deletions.take("a = 1\n") is None

    def test_same_code_with_other_white_space_gives_no_foreign_parts(self):
        deletions = RecentDeletions()
        deletions.remember("if x:\n    y()\n", [Region(0, 13, "if x:\n    y()", "paste")])
        # moved into a deeper block: the offsets would not fit any more
        assert deletions.take("if x:\n        y()\n") == []

    def test_unknown_text_returns_none(self):
        deletions = RecentDeletions()
        deletions.remember("a = 1\n", [])
        assert deletions.take("b = 2\n") is None
        assert deletions.take("a = 1\n") == []  # still there: the miss took nothing

    def test_blank_text_is_not_remembered(self):
        deletions = RecentDeletions()
        deletions.remember("   \n", [])
        assert deletions.take("   \n") is None

    def test_most_recent_deletion_wins(self):
        deletions = RecentDeletions()
        older = [Region(0, 5, "a = 1", "paste")]
        newer = [Region(0, 5, "a = 1", "inline-completion")]
        deletions.remember("a = 1", older)
        deletions.remember("a = 1", newer)
        assert deletions.take("a = 1") == newer
        assert deletions.take("a = 1") == older

    def test_only_the_last_deletions_are_kept(self):
        deletions = RecentDeletions(size=2)
        for name in ("a", "b", "c"):
            deletions.remember(f"{name} = 1", [])
        assert deletions.take("a = 1") is None
        assert deletions.take("c = 1") == []
