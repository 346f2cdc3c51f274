"""Renames between case styles: words, acronyms, digits and underscores survive."""

from __future__ import annotations

import pytest

from mindgap.conventions import casing
from tests.unit.conventions.python_observe import observations, rewritten


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # UPPER_CASE words are words, not acronyms
        (
            "MAX_RETRIES",
            {"snake_case": "max_retries", "camelCase": "maxRetries", "PascalCase": "MaxRetries"},
        ),
        (
            "_DEFAULT_HTTP_PORT",
            {
                "snake_case": "_default_http_port",
                "camelCase": "_defaultHttpPort",
                "PascalCase": "_DefaultHttpPort",
            },
        ),
        (
            "RETRY_2_TIMES",
            {
                "snake_case": "retry_2_times",
                "camelCase": "retry2Times",
                "PascalCase": "Retry2Times",
            },
        ),
        # in mixed case an all-capital word is an acronym, and keeps its case
        (
            "parseHTTPResponse",
            {
                "snake_case": "parse_http_response",
                "PascalCase": "ParseHTTPResponse",
                "UPPER_CASE": "PARSE_HTTP_RESPONSE",
            },
        ),
        (
            "XMLHttpRequest",
            {
                "snake_case": "xml_http_request",
                "camelCase": "xmlHttpRequest",
                "UPPER_CASE": "XML_HTTP_REQUEST",
            },
        ),
        # digits stay with their word
        (
            "user_id2",
            {"camelCase": "userId2", "PascalCase": "UserId2", "UPPER_CASE": "USER_ID2"},
        ),
        (
            "level_3_cache",
            {
                "camelCase": "level3Cache",
                "PascalCase": "Level3Cache",
                "UPPER_CASE": "LEVEL_3_CACHE",
            },
        ),
        (
            "base64_encode",
            {
                "camelCase": "base64Encode",
                "PascalCase": "Base64Encode",
                "UPPER_CASE": "BASE64_ENCODE",
            },
        ),
    ],
)
def test_rewrites_to_every_other_style(name: str, expected: dict[str, str]) -> None:
    assert casing.rewrites(name) == expected
    for style, renamed in expected.items():
        assert casing.style_of(renamed) in (style, None)  # 'retry2Times' is camelCase


def test_a_rename_to_the_same_style_or_to_a_keyword_is_not_offered() -> None:
    assert casing.convert("max_retries", "snake_case") is None
    assert casing.convert("CLASS", "snake_case") is None  # `class` is a keyword
    assert casing.convert("IS_", "snake_case") == "is_"  # the underscore keeps it valid


def test_lazy_rewrites_are_the_rewrites_worked_out_on_demand() -> None:
    lazy = casing.lazy_rewrites("MAX_RETRIES", (casing.CAMEL, casing.SNAKE))
    assert dict(lazy) == {"camelCase": "maxRetries", "snake_case": "max_retries"}
    assert lazy == {"camelCase": "maxRetries", "snake_case": "max_retries"}
    assert lazy.get("PascalCase") is None


def test_a_python_constant_renamed_to_camel_case_reads_as_words() -> None:
    code = "MAX_RETRIES = 3\n"
    (constant,) = observations("naming", code)
    assert rewritten(code, constant, "camelCase") == "maxRetries = 3\n"
    assert rewritten(code, constant, "PascalCase") == "MaxRetries = 3\n"
