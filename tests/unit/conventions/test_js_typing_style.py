"""TypeScript typing style: interface vs type alias, T[] vs Array<T>."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites


def test_object_shapes_vote_interface_or_type_alias() -> None:
    code = """\
    interface User { id: string }
    interface Admin extends User { level: number }
    type Point<T> = { x: T; y: T };
    type Id = string | number;
    declare global { interface Window { app: unknown } }
    """
    assert sites("typescript", "typing-style", code) == [
        ("object-type", "interface", "interface User"),
        ("object-type", "interface", "interface Admin"),
        ("object-type", "type-alias", "type Point<T> ="),
    ]


def test_array_types_vote_and_ambiguous_ones_do_not() -> None:
    code = """\
    let a: string[];
    let b: Array<number>;
    let c: readonly string[];
    let d: (A | B)[];
    let e: Array<A | B>;
    let f: Map<string, number>;
    """
    assert sites("typescript", "typing-style", code) == [
        ("array-type", "brackets", "string[]"),
        ("array-type", "generic", "Array<number>"),
    ]


def test_rewrites_produce_valid_typescript() -> None:
    code = "interface User { id: string }\nlet ids: Array<string>;\ntype P = { x: number };\n"
    interface, generic, alias = observations("typescript", "typing-style", code)
    assert rewritten("typescript", code, interface, "type-alias").startswith(
        "type User = { id: string }\n"
    )
    assert "let ids: string[];" in rewritten("typescript", code, generic, "brackets")
    assert "interface P { x: number };" in rewritten("typescript", code, alias, "interface")


def test_plain_javascript_has_no_typing_style() -> None:
    assert sites("javascript", "typing-style", "let a = [];\n") == []
