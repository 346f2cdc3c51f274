"""Checks every language's catalogue tests share: each construct is documented by exactly one
test case, and its metadata reads well."""

from __future__ import annotations

from mindgap.knowledge.catalogue import catalogue


def assert_one_case_per_construct(language: str, tested: list[str]) -> None:
    declared = set(catalogue(language).constructs)
    assert sorted(declared - set(tested)) == [], "constructs without a test case"
    assert sorted(set(tested) - declared) == [], "cases for undeclared constructs"
    assert len(tested) == len(set(tested)), "one case per construct"


def assert_metadata(language: str, at_least: int) -> None:
    constructs = catalogue(language).constructs
    assert len(constructs) >= at_least
    for construct in constructs.values():
        assert construct.language == language
        assert construct.key == f"{language}/{construct.id}"
        assert construct.name and construct.family and construct.explanation
        assert len(construct.name) <= 60
        assert "\n" not in construct.explanation
        assert construct.explanation.endswith(".")
