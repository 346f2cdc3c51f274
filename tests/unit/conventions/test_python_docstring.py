"""Python docstrings: presence on public definitions, and the style of parameter docs."""

from __future__ import annotations

from tests.unit.conventions.python_observe import sites

CODE = '''
def documented(a):
    """Add one.

    Args:
        a: the number
    """


def undocumented(a):
    return a


def _private(a):
    return a


def no_parameters():
    """Nothing to lay out, so no style vote."""


class Shop:
    """A shop."""

    def sphinx(self, item):
        """Sell.

        :param item: what
        """

    def numpy(self, item):
        """Sell.

        Parameters
        ----------
        item : str
        """

    def plain(self, item):
        """Sell the item."""

    @property
    def name(self):
        return "shop"

    @name.setter
    def name(self, value):
        pass

    def __len__(self):
        return 0


class _Hidden:
    def visible(self):
        pass


def outer():
    """Outer."""

    def inner(x):
        return x
'''


def test_public_definitions_vote_for_presence_and_parameter_docs_for_style() -> None:
    assert sites("docstring", CODE) == [
        ("function", "documented", "documented"),
        ("style", "google", '"""Add one.\n\n    Args:\n        a: the number\n    """'),
        ("function", "undocumented", "undocumented"),
        ("function", "documented", "no_parameters"),
        ("class", "documented", "Shop"),
        ("function", "documented", "sphinx"),
        ("style", "sphinx", '"""Sell.\n\n        :param item: what\n        """'),
        ("function", "documented", "numpy"),
        (
            "style",
            "numpy",
            '"""Sell.\n\n        Parameters\n        ----------\n        item : str\n        """',
        ),
        ("function", "documented", "plain"),
        ("style", "plain", '"""Sell the item."""'),
        ("function", "undocumented", "name"),
        ("function", "documented", "outer"),
    ]
