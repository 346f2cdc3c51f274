"""Rust imports: nested or separate `use`s, crate:: or relative paths."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites

CODE = """\
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::io::Write;
pub use std::io::Seek;
use std::fmt;
use crate::config::Settings;
use super::parser::{self, Token};
use super::*;
"""


def test_use_declarations_vote_on_nesting_and_paths() -> None:
    assert sites("rust", "imports", CODE) == [
        ("nesting", "nested", "use std::collections::{HashMap, HashSet};"),
        ("nesting", "separate", "use std::io::Read;\nuse std::io::Write;"),
        ("path", "crate", "crate"),
        ("nesting", "nested", "use super::parser::{self, Token};"),
        ("path", "relative", "super"),
    ]


def test_nesting_rewrites_are_valid_rust() -> None:
    nested, separate, *_ = observations("rust", "imports", CODE)
    assert nested.rewrites == {
        "separate": "use std::collections::HashMap;\nuse std::collections::HashSet;"
    }
    assert rewritten("rust", CODE, nested, "separate").startswith(
        "use std::collections::HashMap;\nuse std::collections::HashSet;\n"
    )
    assert separate.rewrites == {"nested": "use std::io::{Read, Write};"}
    assert "use std::io::{Read, Write};\npub use" in rewritten("rust", CODE, separate, "nested")


def test_a_list_with_self_has_no_mechanical_split() -> None:
    *_, self_list, _ = observations("rust", "imports", CODE)
    assert self_list.choice == "nested" and self_list.rewrites == {}
