"""Python imports: relative or absolute within the package, import forms, usual aliases."""

from __future__ import annotations

from tests.unit.conventions.python_observe import observations, rewritten, sites

VIEWS = "src/shop/cart/views.py"


def test_own_package_imports_are_relative_or_absolute() -> None:
    code = """
    from . import models
    from ..payments.stripe import charge
    from shop.cart.models import Item
    from shop.utils import slugify
    """
    assert [s for s in sites("imports", code, path=VIEWS) if s[0] == "package"] == [
        ("package", "relative", "."),
        ("package", "relative", "..payments.stripe"),
        ("package", "absolute", "shop.cart.models"),
        ("package", "absolute", "shop.utils"),
    ]


def test_absolute_imports_rewrite_to_the_relative_form_from_the_files_path() -> None:
    code = (
        "from shop.cart.models import Item\nfrom shop.utils import slugify\nfrom shop import app\n"
    )
    absolute = [o for o in observations("imports", code, path=VIEWS) if o.aspect == "package"]
    assert [o.rewrites["relative"] for o in absolute] == [".models", "..utils", ".."]
    assert rewritten(code, absolute[0], "relative").startswith("from .models import Item\n")


def test_import_forms_are_counted_per_imported_module_without_forced_forms() -> None:
    code = """
    from __future__ import annotations
    import os
    from typing import Any
    from . import models
    from requests import *
    import httpx
    from attrs import define
    import click, os.path
    """
    assert sorted(s for s in sites("imports", code, path=VIEWS) if s[0].startswith("form")) == [
        ("form/attrs", "from", "from attrs import define"),
        ("form/click", "import", "import click, os.path"),
        ("form/httpx", "import", "import httpx"),
        ("form/os", "import", "import click, os.path"),
        ("form/os", "import", "import os"),
        ("form/typing", "from", "from typing import Any"),
    ]


def test_well_known_libraries_get_their_usual_alias_or_not() -> None:
    code = """
    import numpy as np
    import pandas
    import matplotlib.pyplot as pyplot
    import requests as r
    """
    assert [s for s in sites("imports", code) if s[0] == "alias"] == [
        ("alias", "conventional", "numpy as np"),
        ("alias", "no alias", "pandas"),
        ("alias", "other alias", "matplotlib.pyplot as pyplot"),
    ]
