"""JavaScript/TypeScript async style: `await` or `.then()` chains for waiting on promises."""

from __future__ import annotations

from collections.abc import Iterator

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    JS_FAMILY,
    shared_query,
    span,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

AWAIT = "await"
THEN = "then"
_QUERY = shared_query(
    JS_FAMILY,
    """
(await_expression "await" @await)
(call_expression
  function: (member_expression property: (property_identifier) @property (#eq? @property "then")))
""",
)


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _QUERY.captures(source)
    sites = [(node, AWAIT) for node in found.get("await", ())]
    sites += [(node, THEN) for node in found.get("property", ())]
    sites.sort(key=lambda site: site[0].start_byte)
    for node, choice in sites:
        yield Observation("async", "promise", choice, *span(source, node))


_WORDS = words_of(__name__)  # js_async.toml
OBSERVERS = [
    Observer(
        dimension="async",
        languages=JS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
