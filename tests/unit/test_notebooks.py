"""Notebook cells as code: magics masked in place, cells joined and found again."""

from __future__ import annotations

import pytest

from mindgap.notebooks import (
    Cell,
    installed_packages,
    mask_magics,
    split_cell_address,
    virtual_document,
)


@pytest.mark.parametrize(
    ("source", "masked"),
    [
        ("%matplotlib inline\nx = 1\n", "#matplotlib inline\nx = 1\n"),
        ("    !pip install a\n", "    #pip install a\n"),
        ("files = !ls -la\n", "#iles = !ls -la\n"),
        ("np.array?\n", "#p.array?\n"),
        ("%%time\ntotal = sum(x)\n", "#%time\ntotal = sum(x)\n"),
        ("%%bash\necho hi\nls\n", "#%bash\n#cho hi\n#s\n"),
        # Python that only looks like IPython is left alone
        ("ok = a != b\n", "ok = a != b\n"),
        ('print("100%")\n', 'print("100%")\n'),
        ("x = 1  # why?\n", "x = 1  # why?\n"),
        ("", ""),
    ],
)
def test_magics_become_comments_of_the_same_length(source: str, masked: str) -> None:
    assert mask_magics(source) == masked
    assert len(mask_magics(source)) == len(source)


def test_pip_installs_declare_their_packages() -> None:
    source = "%pip install -q Requests_Toolbelt==1.0 pandas[excel]\n!pip3 install ./local\n"
    assert installed_packages(source) == {"requests-toolbelt", "pandas"}


def test_cells_are_joined_on_their_own_lines_and_found_again() -> None:
    cells = [
        Cell(0, "markdown", "# Title"),
        Cell(1, "code", "import os"),  # no final newline: one is added between cells
        Cell(2, "code", "%time f()\nx = 1\n"),
        Cell(3, "raw", "raw text"),
        Cell(4, "code", "y = 2\n"),
    ]
    joined = virtual_document(cells)
    assert joined.text == "import os\n#time f()\nx = 1\ny = 2\n"
    assert joined.cell_indexes == [1, 2, 4]
    assert joined.cell_at_line(2) == (2, 1)  # `x = 1` is line 1 (0-based) of cell 2
    assert joined.offset(4, 0) == joined.text.index("y = 2")
    through = virtual_document(cells, through=2)
    assert through.text == "import os\n#time f()\nx = 1\n"


@pytest.mark.parametrize(
    ("address", "parsed"),
    [
        ("nb.ipynb#3", ("nb.ipynb", 3)),
        ("dir/My Notebook.IPYNB#12", ("dir/My Notebook.IPYNB", 12)),
        ("nb.ipynb", ("nb.ipynb", None)),
        ("script.py#3", ("script.py#3", None)),
        ("nb.ipynb#٣", ("nb.ipynb#٣", None)),  # ASCII digits only
    ],
)
def test_cell_addresses(address: str, parsed: tuple) -> None:
    assert split_cell_address(address) == parsed
