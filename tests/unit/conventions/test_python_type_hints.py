"""Python type hints: annotated functions, Optional or `| None`, typing's or builtin generics."""

from __future__ import annotations

from tests.unit.conventions.python_observe import observations, rewritten, sites


def test_functions_are_fully_partly_or_not_annotated() -> None:
    code = """
    def full(a: int, *args: str, b: int = 1, **kw: object) -> int: ...
    def partial(a: int, b): ...
    def no_return(a: int): ...
    def bare(a, b=1): ...
    def nothing(): ...

    class Box:
        def __init__(self, size: int): ...
        def method(self) -> None: ...
        @classmethod
        def make(cls, n): ...
    """
    assert [s for s in sites("type-hints", code) if s[0] == "functions"] == [
        ("functions", "annotated", "full"),
        ("functions", "partly annotated", "partial"),
        ("functions", "partly annotated", "no_return"),
        ("functions", "unannotated", "bare"),
        ("functions", "unannotated", "nothing"),
        ("functions", "annotated", "__init__"),
        ("functions", "annotated", "method"),
        ("functions", "unannotated", "make"),
    ]


def test_optional_types_in_annotations_and_in_aliases() -> None:
    code = """
    import typing
    from typing import Optional, Union

    Alias = Optional[int]
    Pair = int | str | None

    def f(a: Optional[str], b: typing.Optional[dict[str, int]], c: "int | None",
          d: Union[int, None], e: Union[int, str], g: list[int] | None) -> None | int: ...
    """
    assert [s for s in sites("type-hints", code) if s[0] == "optional"] == [
        ("optional", "Optional", "Optional[int]"),
        ("optional", "pipe", "int | str | None"),
        ("optional", "Optional", "Optional[str]"),
        ("optional", "Optional", "typing.Optional[dict[str, int]]"),
        ("optional", "Optional", "Union[int, None]"),
        ("optional", "pipe", "list[int] | None"),
        ("optional", "pipe", "None | int"),
    ]


def test_generic_collections_from_typing_or_builtins() -> None:
    code = """
    from typing import Dict, List
    import typing as t

    class List2(list): ...

    def f(a: List[int], b: t.Tuple[int, ...], c: dict[str, int]) -> Dict[str, List[int]]: ...
    x = List2[int]
    """
    assert [s for s in sites("type-hints", code) if s[0] == "generics"] == [
        ("generics", "typing", "List[int]"),
        ("generics", "typing", "t.Tuple[int, ...]"),
        ("generics", "builtin", "dict[str, int]"),
        ("generics", "typing", "Dict[str, List[int]]"),
        ("generics", "typing", "List[int]"),
    ]


def test_a_name_that_is_not_typings_does_not_vote() -> None:
    code = (
        "from mylib import List, Optional\n\ndef f(a: List[int], b: Optional[int]) -> None: ...\n"
    )
    assert [s for s in sites("type-hints", code) if s[0] != "functions"] == []


def test_rewrites_to_the_modern_spelling_are_valid_code() -> None:
    code = (
        "from typing import List, Optional, Union\n\n"
        "def f(a: Optional[List[int]], b: Union[int, str, None]) -> List[str]: ...\n"
    )
    found = {(o.choice, code[o.start : o.end]): o for o in observations("type-hints", code)}
    optional = found[("Optional", "Optional[List[int]]")]
    assert optional.rewrites == {"pipe": "List[int] | None"}
    union = found[("Optional", "Union[int, str, None]")]
    assert union.rewrites == {"pipe": "int | str | None"}
    generic = found[("typing", "List[str]")]
    assert generic.rewrites == {"builtin": "list[str]"}
    for observation in (optional, union, generic):
        rewritten(code, observation, next(iter(observation.rewrites)))


def test_a_forward_reference_is_not_rewritten_into_a_runtime_error() -> None:
    code = 'from typing import Optional\n\ndef f(a: Optional["Node"]) -> None: ...\n'
    optional = next(o for o in observations("type-hints", code) if o.aspect == "optional")
    assert optional.rewrites == {}
