"""Python async: which event-loop library the code calls, asyncio, trio or anyio.

A site is a call into one of them (`asyncio.gather(...)`, `trio.sleep(...)`,
`anyio.create_task_group()`, or a name imported from them, `gather(...)`) and a test
marked for one (`@pytest.mark.asyncio`, `@pytest.mark.anyio`, `@pytest.mark.trio`).
`async def` and `await` alone are no vote: all three run them.
"""

from __future__ import annotations

from collections.abc import Iterator

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    CALLS,
    PYTHON,
    captures,
    imports_of,
    observe,
    register,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "async"
ASPECT = "library"
_LIBRARIES = frozenset({"asyncio", "trio", "anyio"})
_QUERY = register(
    """
(decorator (attribute
  object: (attribute object: (identifier) @pytest (#eq? @pytest "pytest")
                     attribute: (identifier) @mark (#eq? @mark "mark"))
  attribute: (identifier) @library (#any-of? @library "asyncio" "trio" "anyio")) @marker)
"""
)


def _observe(source: SourceFile) -> Iterator[Observation]:
    imports = imports_of(source)
    bound = {
        local for local, module in imports.modules.items() if module.split(".")[0] in _LIBRARIES
    } | {local for local, name in imports.names.items() if name.split(".")[0] in _LIBRARIES}
    found = captures(source, _QUERY)
    for marker in found.get("marker", []):
        library = text(marker.child_by_field_name("attribute"))
        yield observe(source, DIMENSION, ASPECT, library, marker)
    for function in captures(source, CALLS).get("function", []) if bound else []:
        head = imports.head(function)
        if head is None or text(head) not in bound:
            continue
        library = imports.qualified(function).split(".")[0]
        if library in _LIBRARIES:
            yield observe(source, DIMENSION, ASPECT, library, function)


_WORDS = words_of(__name__)  # python_async.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
