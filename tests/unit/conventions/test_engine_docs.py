"""docs/conventions.md is generated from the observers and must stay in step with them."""

from __future__ import annotations

from pathlib import Path

from mindgap.conventions.dimensions import all_observers, documented_observers
from mindgap.conventions.docs import render

PAGE = Path(__file__).resolve().parents[3] / "docs" / "conventions.md"


def test_the_page_is_what_the_observers_generate() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/conventions.md is stale: run "
        "`python -m mindgap.conventions.docs > docs/conventions.md`"
    )


def test_every_observer_documents_what_it_checks_why_and_an_example() -> None:
    page = render()
    documented = documented_observers()
    assert [observer for observer, _ in documented] == list(all_observers())
    for observer, prose in documented:
        assert prose.what and prose.why, observer.dimension
        assert prose.example and prose.use_instead, observer.dimension
        assert prose.what in page
        assert f"### {observer.dimension} (" in page
