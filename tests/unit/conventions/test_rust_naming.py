"""Rust naming: case per kind, with names chosen elsewhere left out."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites


def test_names_vote_by_kind() -> None:
    code = """\
    const MAX_SIZE: usize = 8;
    static defaultName: &str = "x";
    struct http_client;
    enum ParseError { Empty }
    fn parseLine(raw: &str) {
        let mut field_count = 0;
        let (first_part, rest) = split(raw);
    }
    impl Display for ParseError { fn fmtInner(&self) {} }
    impl Parser { fn next_token(&mut self) {} }
    #[no_mangle]
    pub fn exportedName() {}
    extern "C" fn callbackFn() {}
    """
    assert sites("rust", "naming", code) == [
        ("constant", "UPPER_CASE", "MAX_SIZE"),
        ("constant", "camelCase", "defaultName"),
        ("type", "snake_case", "http_client"),
        ("type", "PascalCase", "ParseError"),
        ("function", "camelCase", "parseLine"),
        ("variable", "snake_case", "field_count"),
        ("variable", "snake_case", "first_part"),
        ("function", "snake_case", "next_token"),
    ]


def test_rename_to_snake_case_is_valid_rust() -> None:
    code = "fn parseLine() {}\n"
    (observation,) = observations("rust", "naming", code)
    assert rewritten("rust", code, observation, "snake_case") == "fn parse_line() {}\n"
