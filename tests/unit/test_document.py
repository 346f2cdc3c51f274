"""SyntaxDocument: text, line index and tree stay in step under incremental edits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mindgap.syntax import document as document_module
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import LANGUAGES, language_for, language_named, watched_globs
from mindgap.syntax.positions import UTF8, UTF16, UTF32, LineIndex, Pos

PYTHON = language_named("python")

SOURCE = '''def greet(name):
    """Say hello."""
    message = f"héllo {name} 😀"
    return message


class 漢字:
    value = "字"
'''


def fresh_tree(text: str, language=PYTHON) -> str:
    return str(language.parser().parse(text.encode("utf-8")).root_node)


def doc(text: str = SOURCE, language=PYTHON, encoding: str = UTF16) -> SyntaxDocument:
    return SyntaxDocument("file:///t/example.py", text, language, version=1, encoding=encoding)


def edited(text: str, start: int, end: int, new_text: str) -> str:
    return text[:start] + new_text + text[end:]


class TestIncrementalParsing:
    def test_initial_parse(self):
        document = doc()
        assert document.tree is not None
        assert str(document.tree.root_node) == fresh_tree(SOURCE)
        assert not document.tree.root_node.has_error

    def test_typing_a_statement_reparses_like_a_fresh_parse(self):
        document = doc()
        position = Pos(3, 18)  # end of 'return message'
        edit = document.apply(position, position, "\n    print(message)")
        document.reparse()
        assert document.text == edited(SOURCE, edit.start, edit.end, "\n    print(message)")
        assert str(document.tree.root_node) == fresh_tree(document.text)
        assert "call" in str(document.tree.root_node)

    def test_non_ascii_edit_after_an_emoji_uses_utf16_columns(self):
        document = doc()
        line = document.index.line_text(2)
        # column of the closing quote in UTF-16: the emoji counts twice
        quote = line.rindex('"')
        column = len(line[:quote].encode("utf-16-le")) // 2
        document.apply(Pos(2, column), Pos(2, column), " 漢字é")
        document.reparse()
        assert document.index.line_text(2) == '    message = f"héllo {name} 😀 漢字é"'
        assert str(document.tree.root_node) == fresh_tree(document.text)

    def test_replacing_a_non_ascii_identifier(self):
        document = doc()
        start = document.text.index("漢字")
        document.replace(start, start + 2, "Grüße")
        document.reparse()
        assert "class Grüße:" in document.text
        assert str(document.tree.root_node) == fresh_tree(document.text)
        assert not document.tree.root_node.has_error

    def test_a_batch_of_edits_then_one_reparse(self):
        document = doc()
        expected = SOURCE
        for start_pos, end_pos, new_text in [
            (Pos(0, 4), Pos(0, 9), "salute"),  # rename the function
            (Pos(6, 0), Pos(7, 15), "x = '😀'"),  # replace the class
            (Pos(1, 4), Pos(1, 20), ""),  # delete the docstring
            (Pos(0, 0), Pos(0, 0), "import os\n"),
        ]:
            edit = document.apply(start_pos, end_pos, new_text)
            expected = edited(expected, edit.start, edit.end, new_text)
            assert document.text == expected
        document.reparse()
        assert "def salute(name):" in document.text
        assert str(document.tree.root_node) == fresh_tree(expected)

    def test_edit_that_breaks_then_fixes_the_syntax(self):
        document = doc()
        colon = document.text.index("):") + 1
        document.replace(colon, colon + 1, "")
        document.reparse()
        assert document.tree.root_node.has_error
        assert str(document.tree.root_node) == fresh_tree(document.text)
        document.replace(colon, colon, ":")
        document.reparse()
        assert document.text == SOURCE
        assert str(document.tree.root_node) == fresh_tree(SOURCE)

    def test_change_without_range_replaces_the_whole_text(self):
        document = doc()
        edit = document.apply(None, None, "x = 1\n")
        document.reparse()
        assert edit.old_text == SOURCE
        assert document.text == "x = 1\n"
        assert str(document.tree.root_node) == fresh_tree("x = 1\n")

    def test_reversed_range_is_applied_in_order(self):
        document = doc("abc = 1\n")
        edit = document.apply(Pos(0, 3), Pos(0, 0), "xyz")
        assert (edit.start, edit.end, edit.old_text) == (0, 3, "abc")
        assert document.text == "xyz = 1\n"

    def test_edit_reports_what_it_replaced(self):
        document = doc()
        edit = document.apply(Pos(2, 4), Pos(2, 11), "msg")
        assert edit.old_text == "message"
        assert edit.delta == -4
        assert document.offset(Pos(2, 4)) == edit.start
        assert document.position(edit.start + 3) == Pos(2, 7)

    @pytest.mark.parametrize("encoding", [UTF8, UTF16, UTF32])
    def test_positions_follow_the_negotiated_encoding(self, encoding):
        document = doc("s = '😀'\n", encoding=encoding)
        width = {UTF8: 4, UTF16: 2, UTF32: 1}[encoding]
        end = Pos(0, 5 + width)  # just after the emoji
        document.apply(Pos(0, 5), end, "ok")
        document.reparse()
        assert document.text == "s = 'ok'\n"
        assert str(document.tree.root_node) == fresh_tree("s = 'ok'\n")

    @settings(max_examples=60, deadline=None)
    @given(
        edits=st.lists(
            st.tuples(
                st.integers(0, 200),
                st.integers(0, 12),
                st.sampled_from(
                    [
                        "",
                        "x",
                        "é",
                        "😀",
                        "漢字",
                        "\n",
                        "\r\n",
                        "    ",
                        "(",
                        ")",
                        ":",
                        '"',
                        "def f():\n    pass\n",
                    ]
                ),
            ),
            min_size=1,
            max_size=6,
        ),
        reparse_each=st.booleans(),
    )
    def test_random_edits_give_the_same_tree_as_a_fresh_parse(self, edits, reparse_each):
        document = doc()
        expected = SOURCE
        for position, length, new_text in edits:
            start = min(position, len(expected))
            end = min(start + length, len(expected))
            document.replace(start, end, new_text)
            expected = edited(expected, start, end, new_text)
            if reparse_each:
                document.reparse()
                assert str(document.tree.root_node) == fresh_tree(expected)
        document.reparse()
        assert document.text == expected
        assert document.index.starts == LineIndex(expected).starts
        assert str(document.tree.root_node) == fresh_tree(expected)


class TestUnparsedDocuments:
    def test_unknown_language_still_tracks_text(self):
        document = SyntaxDocument("file:///t/notes.txt", "line one\nline 😀\n", None)
        assert document.tree is None
        document.apply(Pos(1, 5), Pos(1, 7), "two")
        document.reparse()
        assert document.tree is None
        assert document.text == "line one\nline two\n"
        assert document.position(len(document.text)) == Pos(2, 0)

    def test_documents_over_the_size_limit_are_tracked_but_not_parsed(self):
        line = "x = 1\n"
        big = line * (document_module.MAX_PARSED_CHARS // len(line) + 1)
        assert len(big) > document_module.MAX_PARSED_CHARS
        document = doc(big)
        assert document.tree is None
        document.replace(0, 0, "y = 2\n")
        document.reparse()
        assert document.tree is None
        assert document.text.startswith("y = 2\nx = 1\n")
        # shrunk back under the limit: parsed again
        document.apply(None, None, "z = 3\n")
        document.reparse()
        assert document.tree is not None
        assert str(document.tree.root_node) == fresh_tree("z = 3\n")

    def test_growing_past_the_limit_drops_the_tree(self, monkeypatch):
        monkeypatch.setattr(document_module, "MAX_PARSED_CHARS", 100)
        document = doc("x = 1\n")
        assert document.tree is not None
        document.replace(6, 6, "y = 2\n" * 20)
        document.reparse()
        assert document.tree is None
        assert document.text.count("\n") == 21


class TestLanguageRegistry:
    @pytest.mark.parametrize(
        ("path", "name"),
        [
            ("src/app.py", "python"),
            ("stubs/app.pyi", "python"),
            ("SCRIPT.PY", "python"),
            ("web/index.js", "javascript"),
            ("web/module.mjs", "javascript"),
            ("web/config.cjs", "javascript"),
            ("web/view.jsx", "javascript"),
            ("web/app.ts", "typescript"),
            ("web/app.mts", "typescript"),
            ("web/view.tsx", "tsx"),
            ("cmd/main.go", "go"),
            ("src/lib.rs", "rust"),
            ("src/Main.java", "java"),
        ],
    )
    def test_extensions(self, path, name):
        spec = language_for(path=path)
        assert spec is not None and spec.name == name

    @pytest.mark.parametrize(
        ("lsp_id", "name"),
        [
            ("python", "python"),
            ("javascript", "javascript"),
            ("javascriptreact", "javascript"),
            ("typescript", "typescript"),
            ("typescriptreact", "tsx"),
            ("go", "go"),
            ("rust", "rust"),
            ("java", "java"),
        ],
    )
    def test_lsp_language_ids(self, lsp_id, name):
        spec = language_for(lsp_id=lsp_id)
        assert spec is not None and spec.name == name

    def test_lsp_id_wins_over_the_extension(self):
        assert language_for(path="component.js", lsp_id="typescriptreact").name == "tsx"

    def test_unknown_lsp_id_falls_back_to_the_extension(self):
        assert language_for(path="main.go", lsp_id="plaintext").name == "go"

    @pytest.mark.parametrize("path", ["README.md", "Makefile", "data.json", "a.c", None])
    def test_unknown_files_have_no_language(self, path):
        assert language_for(path=path) is None

    def test_watched_globs_cover_every_extension(self):
        (glob,) = watched_globs()
        for spec in LANGUAGES:
            for extension in spec.extensions:
                assert extension.lstrip(".") in glob

    @pytest.mark.parametrize(
        ("name", "snippet", "root_type", "expected_node"),
        [
            ("python", "def f(x):\n    return x\n", "module", "function_definition"),
            ("javascript", "const f = (x) => x;\n", "program", "arrow_function"),
            (
                "typescript",
                "function f(x: number): number { return x; }\n",
                "program",
                "type_annotation",
            ),
            ("tsx", "const a = <div>{x}</div>;\n", "program", "jsx_element"),
            (
                "go",
                "package main\n\nfunc f(x int) int { return x }\n",
                "source_file",
                "function_declaration",
            ),
            ("rust", "fn f(x: i32) -> i32 { x }\n", "source_file", "function_item"),
            ("java", "class A { int f(int x) { return x; } }\n", "program", "method_declaration"),
        ],
    )
    def test_every_grammar_loads_and_parses(self, name, snippet, root_type, expected_node):
        document = SyntaxDocument(f"file:///t/{name}", snippet, language_named(name))
        root = document.tree.root_node
        assert root.type == root_type
        assert not root.has_error
        assert expected_node in str(root)

    def test_typescript_grammar_rejects_jsx_that_tsx_accepts(self):
        snippet = "const a = <div>{x}</div>;\n"
        typescript = SyntaxDocument("file:///t/a.ts", snippet, language_named("typescript"))
        assert typescript.tree.root_node.has_error
