"""Java imports: single-type (`import java.util.List;`) or on-demand wildcard
(`import java.util.*;`) imports, separately for type imports and static imports.

There is no mechanical rewrite: replacing a wildcard needs to know which names the file
uses, which is the compiler's job.
"""

from __future__ import annotations

from collections.abc import Iterator

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    shared_query,
    span,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

WILDCARD = "wildcard"
SINGLE = "single"
_QUERY = shared_query(
    frozenset({"java"}),
    "(import_declaration) @import",
)


def observe(source: SourceFile) -> Iterator[Observation]:
    for declaration in _QUERY.captures(source).get("import", ()):
        if declaration.has_error:
            continue
        kinds = {child.type for child in declaration.children}
        aspect = "static-import" if "static" in kinds else "type-import"
        choice = WILDCARD if "asterisk" in kinds else SINGLE
        yield Observation("imports", aspect, choice, *span(source, declaration))


_WORDS = words_of(__name__)  # java_imports.toml
OBSERVERS = [
    Observer(
        dimension="imports",
        languages=frozenset({"java"}),
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
