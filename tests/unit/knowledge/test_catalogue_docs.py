from pathlib import Path

from mindgap.knowledge.catalogue_docs import render

PAGE = Path(__file__).resolve().parents[3] / "docs" / "constructs.md"


def test_the_construct_page_matches_the_catalogues() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/constructs.md is out of date: run "
        "`python -m mindgap.knowledge.catalogue_docs > docs/constructs.md`"
    )
