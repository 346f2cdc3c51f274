"""The catalogue loader: the .scm metadata format, its errors, and `Catalogue.find`."""

from __future__ import annotations

from pathlib import Path

import pytest

from mindgap.knowledge import catalogue as catalogue_module
from mindgap.knowledge.catalogue import CatalogueError, catalogue, has_catalogue
from mindgap.syntax.languages import language_named

LIST_COMPREHENSION = """
; @construct list-comprehension
; @name list comprehension
; @family comprehensions
; @explains Builds a list in one expression.
(list_comprehension) @list-comprehension
"""


@pytest.fixture
def query_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write constructs.scm files for languages and load them, bypassing the cache."""

    def load(files: dict[str, str], language: str = "python"):
        for name, text in files.items():
            (tmp_path / name).mkdir(parents=True, exist_ok=True)
            (tmp_path / name / "constructs.scm").write_text(text, encoding="utf-8")
        return catalogue.__wrapped__(language)

    monkeypatch.setattr(
        catalogue_module, "_query_file", lambda language: tmp_path / language / "constructs.scm"
    )
    return load


def parse(source: str):
    return language_named("python").parser().parse(source.encode("utf-8")).root_node


def test_the_python_catalogue_exists_and_loads() -> None:
    assert has_catalogue("python")
    assert not has_catalogue("cobol")
    loaded = catalogue("python")
    assert loaded.language == "python"
    assert catalogue("python") is loaded  # loaded once


def test_a_block_of_comments_declares_a_construct(query_files) -> None:
    loaded = query_files({"python": LIST_COMPREHENSION})
    construct = loaded.constructs["list-comprehension"]
    assert (construct.name, construct.family, construct.explanation) == (
        "list comprehension",
        "comprehensions",
        "Builds a list in one expression.",
    )
    assert construct.key == "python/list-comprehension"


def test_a_missing_field_is_an_error_naming_the_construct(query_files) -> None:
    text = LIST_COMPREHENSION.replace("; @family comprehensions\n", "")
    with pytest.raises(CatalogueError, match="'list-comprehension' needs @construct"):
        query_files({"python": text})


def test_a_construct_declared_twice_is_an_error(query_files) -> None:
    with pytest.raises(CatalogueError, match="declared twice"):
        query_files({"python": LIST_COMPREHENSION + LIST_COMPREHENSION})


def test_a_capture_without_metadata_is_an_error(query_files) -> None:
    with pytest.raises(CatalogueError, match=r"captures without metadata: \['lambda'\]"):
        query_files({"python": LIST_COMPREHENSION + "(lambda) @lambda\n"})


def test_metadata_without_a_capture_is_an_error(query_files) -> None:
    text = LIST_COMPREHENSION.replace("(list_comprehension) @list-comprehension", "")
    text += "(lambda) @_helper\n"
    with pytest.raises(CatalogueError, match="declared but never captured"):
        query_files({"python": text})


def test_an_invalid_query_is_an_error_naming_the_file(query_files) -> None:
    text = LIST_COMPREHENSION.replace("(list_comprehension)", "(no_such_node)")
    with pytest.raises(CatalogueError, match=r"python/constructs\.scm"):
        query_files({"python": text})


def test_an_include_puts_the_other_language_first(query_files) -> None:
    lambda_block = LIST_COMPREHENSION.replace("list-comprehension", "lambda").replace(
        "(list_comprehension)", "(lambda)"
    )
    loaded = query_files({"base": LIST_COMPREHENSION, "python": "; @include base\n" + lambda_block})
    assert set(loaded.constructs) == {"list-comprehension", "lambda"}


def test_an_include_loop_is_an_error(query_files) -> None:
    with pytest.raises(CatalogueError, match="loops"):
        query_files({"python": "; @include other\n", "other": "; @include python\n"})


def test_find_reports_each_node_once_in_source_order(query_files) -> None:
    text = LIST_COMPREHENSION + "(list_comprehension body: (_)) @list-comprehension\n"
    loaded = query_files({"python": text})
    source = "b = [y for y in x]\na = [x for x in [z for z in w]]\n"
    hits = loaded.find(parse(source))
    assert [(hit.construct.id, hit.start_point) for hit in hits] == [
        ("list-comprehension", (0, 4)),
        ("list-comprehension", (1, 4)),
        ("list-comprehension", (1, 16)),
    ]
    assert source.encode()[hits[2].start_byte : hits[2].end_byte] == b"[z for z in w]"


def test_find_reports_constructs_that_start_inside_the_range(query_files) -> None:
    loaded = query_files({"python": LIST_COMPREHENSION})
    source = "a = [x for x in [z for z in w]]\nb = [y for y in x]\n"
    root = parse(source)
    inner = source.index("[z")
    hits = loaded.find(root, inner, source.index("b ="))
    assert [hit.start_byte for hit in hits] == [inner]
    assert loaded.find(root, source.index("b ="), len(source))[0].start_point == (1, 4)


def test_a_context_manager_class_needs_both_methods_in_the_same_class_in_any_order():
    source = (
        b"class Session:\n"
        b"    async def __aexit__(self, *exc):\n"
        b"        return False\n"
        b"    async def __aenter__(self):\n"
        b"        return self\n"
        b"class Half:\n"
        b"    def __enter__(self):\n"
        b"        return self\n"
        b"    class Inner:\n"
        b"        def __exit__(self, *exc):\n"
        b"            return False\n"
    )
    tree = language_named("python").parser().parse(source)
    hits = [
        hit.start_point[0] + 1
        for hit in catalogue("python").find(tree.root_node)
        if hit.construct.id == "context-manager-class"
    ]
    assert hits == [4]  # Session's __aenter__; Half's __exit__ belongs to another class
