"""JavaScript/TypeScript declarations: var or let/const, and when var -> let is safe."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites

CODE = """\
var legacy = 1;
function total(items, seed) {
  var sum = 0;
  var seed = 2;
  log(later);
  var later = 3;
  if (items) { var inside = 1; }
  const size = items.length;
  let index = 0;
  return sum + size + index + inside;
}
"""


def test_every_declaration_votes_by_its_keyword() -> None:
    assert sites("javascript", "declarations", CODE) == [
        ("keyword", "var", "var"),
        ("keyword", "var", "var"),
        ("keyword", "var", "var"),
        ("keyword", "var", "var"),
        ("keyword", "var", "var"),
        ("keyword", "let-const", "const"),
        ("keyword", "let-const", "let"),
    ]


def test_var_becomes_let_only_where_scope_cannot_change() -> None:
    legacy, sum_, seed, later, inside, *_ = observations("javascript", "declarations", CODE)
    # module level, a parameter's name, a use before it, a block: all left alone
    assert [o.rewrites for o in (legacy, seed, later, inside)] == [{}, {}, {}, {}]
    assert sum_.rewrites == {"let-const": "let"}
    assert "  let sum = 0;\n" in rewritten("javascript", CODE, sum_, "let-const")


def test_declare_var_is_not_a_choice() -> None:
    assert sites("typescript", "declarations", "declare var process: any;\n") == []
