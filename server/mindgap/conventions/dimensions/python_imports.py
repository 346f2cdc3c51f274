"""Python imports: relative or absolute within the package, `from` or plain, usual aliases.

Aspect "package": an import of the file's own package is relative (`from .models import
User`) or absolute (`from shop.models import User`). Absolute imports count only when their
first name is a folder on the file's own path (`shop/` in `src/shop/views.py`): that is
how we know the module is the repository's own. The absolute form can be rewritten to the
relative one from the file's path alone; the reverse needs the package root, so it is not
offered.

Aspect "form/<module>": `import x` or `from x import y`, counted per imported top-level
module (`form/click`, `form/typing`, `form/flask`): how a repository imports a module depends
on the module (flask does `import click` but `from werkzeug.x import y`), so the standard
library, third-party modules and the repository's own are never counted together. Relative
imports and `__future__` can only be written as `from` imports; star imports are a different
matter; none of them count.

Aspect "alias": a module with an alias everyone uses (numpy as np, pandas as pd,
matplotlib.pyplot as plt, ...) is imported under it, under another alias, or without one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import PYTHON, captures, observe, register, text
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "imports"
_QUERY = register(
    """
(import_statement) @import
(import_from_statement) @from
"""
)
CONVENTIONAL_ALIASES = {
    "numpy": "np",
    "pandas": "pd",
    "polars": "pl",
    "matplotlib.pyplot": "plt",
    "matplotlib": "mpl",
    "seaborn": "sns",
    "tensorflow": "tf",
    "networkx": "nx",
    "scipy": "sp",
    "sqlalchemy": "sa",
    "jax.numpy": "jnp",
    "torch.nn.functional": "F",
    "xarray": "xr",
    "dask.dataframe": "dd",
    "plotly.express": "px",
    "plotly.graph_objects": "go",
    "statsmodels.api": "sm",
}


def form_aspect(module: str) -> str:
    """The aspect an import of `module` is counted under: its top-level module's."""
    return f"form/{module.split('.')[0]}"


def _package_parts(path: str) -> tuple[str, ...]:
    """The folders of a file's path, innermost last: 'src/shop/views.py' -> (src, shop)."""
    return PurePosixPath(path).parts[:-1]


def _relative_form(module: str, folders: tuple[str, ...]) -> str | None:
    """`shop.cart.models` seen from src/shop/views.py -> `.cart.models`."""
    parts = module.split(".")
    if parts[0] not in folders:
        return None
    root = len(folders) - 1 - folders[::-1].index(parts[0])  # the innermost folder of that name
    package = folders[root:]  # the file's package, as a dotted path from parts[0]
    common = 0
    while common < min(len(parts), len(package)) and parts[common] == package[common]:
        common += 1
    if common == 0:
        return None
    ups = len(package) - common
    rest = ".".join(parts[common:])
    return "." * (ups + 1) + rest


def _observe_from(
    source: SourceFile, statement: tree_sitter.Node, folders: tuple[str, ...]
) -> Iterator[Observation]:
    module_node = statement.child_by_field_name("module_name")
    if module_node is None:
        return
    if module_node.type == "relative_import":
        yield observe(source, DIMENSION, "package", "relative", module_node)
        return
    module = text(module_node)
    if module == "__future__" or any(c.type == "wildcard_import" for c in statement.children):
        return
    yield observe(source, DIMENSION, form_aspect(module), "from", statement)
    if module.split(".")[0] in folders:
        relative = _relative_form(module, folders)
        yield observe(
            source,
            DIMENSION,
            "package",
            "absolute",
            module_node,
            {"relative": relative} if relative else {},
        )


def _observe_import(source: SourceFile, statement: tree_sitter.Node) -> Iterator[Observation]:
    names = statement.children_by_field_name("name")
    modules = dict.fromkeys(text(n.child_by_field_name("name") or n) for n in names)
    for aspect in dict.fromkeys(form_aspect(module) for module in modules):
        yield observe(source, DIMENSION, aspect, "import", statement)
    for item in statement.children_by_field_name("name"):
        if item.type == "aliased_import":
            module = text(item.child_by_field_name("name"))
            alias: str | None = text(item.child_by_field_name("alias"))
        else:
            module, alias = text(item), None
        usual = CONVENTIONAL_ALIASES.get(module)
        if usual is None:
            continue
        choice = "conventional" if alias == usual else "other alias" if alias else "no alias"
        yield observe(source, DIMENSION, "alias", choice, item)


def _observe(source: SourceFile) -> Iterator[Observation]:
    found = captures(source, _QUERY)
    folders = _package_parts(source.path)
    for statement in found.get("from", []):
        yield from _observe_from(source, statement, folders)
    for statement in found.get("import", []):
        yield from _observe_import(source, statement)


_WORDS = words_of(__name__)  # python_imports.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
