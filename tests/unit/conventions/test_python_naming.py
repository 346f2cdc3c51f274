"""Python naming: which names vote (and may be flagged), in which style, and their renames."""

from __future__ import annotations

from mindgap.conventions import casing
from tests.unit.conventions.python_observe import observations, rewritten, sites


def test_each_kind_of_name_is_observed_with_its_style() -> None:
    code = """
    MAX_RETRIES = 3
    defaultTimeout = 2.5
    log = make_logger()

    class HttpClient:
        def fetch_page(self, page_url, retryCount=1):
            raw_body = page_url
            parsedBody, extra_info = raw_body, 1
            for line_no in range(retryCount):
                pass
            return parsedBody

    def loadConfig(config_path):
        with open(config_path) as config_file:
            return config_file
    """
    assert sites("naming", code) == [
        ("constant", "UPPER_CASE", "MAX_RETRIES"),
        ("constant", "camelCase", "defaultTimeout"),
        ("class", "PascalCase", "HttpClient"),
        ("method", "snake_case", "fetch_page"),
        ("parameter", "snake_case", "page_url"),
        ("parameter", "camelCase", "retryCount"),
        ("variable", "snake_case", "raw_body"),
        ("variable", "camelCase", "parsedBody"),
        ("variable", "snake_case", "extra_info"),
        ("variable", "snake_case", "line_no"),
        ("function", "camelCase", "loadConfig"),
        ("parameter", "snake_case", "config_path"),
        ("variable", "snake_case", "config_file"),
    ]


def test_one_word_names_dunders_and_dictated_names_do_not_vote() -> None:
    code = """
    import unittest
    from typing import override

    __all__ = ["run"]
    VERSION = "1"
    VERSION = "2"
    def run(items, n):
        total = 0
        return total

    class Case(unittest.TestCase):
        def setUp(self):
            self.x = 1
        def __init__(self, methodName):
            pass
        @override
        def doSomething(self, someArg):
            pass
    """
    found = sites("naming", code)
    assert ("class", "PascalCase", "Case") in found
    names = {name for _, _, name in found}
    # run, items, n, total: one lower-case word; VERSION: bound twice, not a constant;
    # setUp: unittest's; __init__: a dunder; doSomething/someArg: an override keeps its names
    assert names == {"Case", "methodName"}


def test_renames_keep_underscores_and_acronyms() -> None:
    assert casing.rewrites("_parseHTTPHeader") == {
        "snake_case": "_parse_http_header",
        "PascalCase": "_ParseHTTPHeader",
        "UPPER_CASE": "_PARSE_HTTP_HEADER",
    }
    assert casing.convert("user_id", "camelCase") == "userId"
    assert casing.convert("HTTPServer", "snake_case") == "http_server"
    assert casing.convert("class_", "PascalCase") == "Class_"
    assert casing.style_of("total") is None
    assert casing.style_of("URL") is None
    assert casing.style_of("get_HTTPValue") is None


def test_a_rewrite_produces_valid_code_with_the_name_in_the_other_style() -> None:
    code = "def loadConfig(path):\n    return path\n"
    (function,) = observations("naming", code)
    assert function.choice == "camelCase"
    assert rewritten(code, function, "snake_case").startswith("def load_config(path):")


def test_a_wrapper_named_after_the_api_it_wraps_takes_its_case() -> None:
    code = """
    def GetStdHandle(handle):
        return _GetStdHandle(handle)


    def SetConsoleMode(handle, mode):
        return kernel32.SetConsoleMode(handle, mode)


    def parseHeader(raw):
        return raw.strip()
    """
    functions = [s for s in sites("naming", code) if s[0] == "function"]
    assert functions == [("function", "camelCase", "parseHeader")]


def test_a_method_delegating_to_its_namesake_on_self_is_still_a_naming_choice() -> None:
    code = """
    class Printer:
        def getStyle(self, name):
            return self.console.getStyle(name)
    """
    assert [s for s in sites("naming", code) if s[0] == "method"] == [
        ("method", "camelCase", "getStyle")
    ]
