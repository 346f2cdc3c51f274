"""Python test style: pytest or unittest assertions, expected exceptions and test shapes."""

from __future__ import annotations

from tests.unit.conventions.python_observe import observations, rewritten, sites

TESTS = """
import unittest

import pytest


def test_total():
    assert total([1, 2]) == 3
    with pytest.raises(ValueError):
        total(None)


class TestCart:
    def test_empty(self):
        assert not Cart().items


class CartTest(unittest.TestCase):
    def test_add(self):
        self.assertEqual(Cart().add(1), 1)
        with self.assertRaises(KeyError):
            Cart().remove(2)

    def helper(self):
        self.fail("never")
"""


def test_test_files_vote_on_assertions_raises_and_test_shapes() -> None:
    assert sites("test-style", TESTS, path="tests/test_cart.py", is_test=True) == [
        ("tests", "functions", "test_total"),
        ("assertion", "assert", "assert"),
        ("raises", "pytest.raises", "pytest.raises(ValueError)"),
        ("tests", "classes", "test_empty"),
        ("assertion", "assert", "assert"),
        ("tests", "TestCase", "test_add"),
        ("assertion", "unittest", "self.assertEqual(Cart().add(1), 1)"),
        ("raises", "assertRaises", "self.assertRaises(KeyError)"),
        ("assertion", "unittest", 'self.fail("never")'),
    ]


def test_code_outside_test_files_is_not_observed() -> None:
    assert sites("test-style", TESTS, path="pkg/checks.py", is_test=False) == []


def test_unittest_assertions_rewrite_to_plain_asserts() -> None:
    code = """
    class T(unittest.TestCase):
        def test_it(self):
            self.assertEqual(a + b, 3)
            self.assertIsNone(result.error)
            self.assertNotIn(x, items)
            self.assertIsInstance(value, int)
            self.assertFalse(x or y)
            self.assertEqual(a, b, "with a message")
            checked = self.assertTrue(x)
    """
    calls = [o for o in observations("test-style", code, is_test=True) if o.aspect == "assertion"]
    assert [o.rewrites.get("assert") for o in calls] == [
        "assert (a + b) == 3",
        "assert result.error is None",
        "assert x not in items",
        "assert isinstance(value, int)",
        "assert not (x or y)",
        None,
        None,
    ]
    for call in calls[:5]:
        rewritten(code, call, "assert")
