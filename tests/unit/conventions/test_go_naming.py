"""Go naming: MixedCaps vs under_scores per kind, and the case of initialisms."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites

CODE = """\
package store

const MaxItems, default_limit, MAX_LEN = 10, 5, 3

var userCache map[string]int

type item_list []string

func (s *Store) loadAll() {}

func parse_row(line string) {
	fieldCount, rest := 1, line
	_ = rest
}

func TestParse_EmptyLine(t *testing.T) {}
func count() {}
"""


def test_names_vote_mixed_caps_or_under_scores_by_kind() -> None:
    assert sites("go", "naming", CODE) == [
        ("constant", "MixedCaps", "MaxItems"),
        ("constant", "snake_case", "default_limit"),
        ("constant", "UPPER_CASE", "MAX_LEN"),
        ("variable", "MixedCaps", "userCache"),
        ("type", "snake_case", "item_list"),
        ("method", "MixedCaps", "loadAll"),
        ("function", "snake_case", "parse_row"),
        ("variable", "MixedCaps", "fieldCount"),
    ]


def test_renames_keep_whether_a_name_is_exported() -> None:
    found = {
        o.choice + ":" + o.rewrites.get("MixedCaps", "") for o in observations("go", "naming", CODE)
    }
    assert "snake_case:defaultLimit" in found
    assert "UPPER_CASE:MaxLen" in found  # exported stays exported
    assert "snake_case:itemList" in found


def test_initialisms_vote_all_caps_or_capitalised() -> None:
    code = """\
    package web

    var userID, requestId, parseURLQuick, urlPath, HTTPServer int
    """
    assert [s for s in sites("go", "naming", code) if s[0] == "initialism"] == [
        ("initialism", "all-caps", "userID"),
        ("initialism", "capitalised", "requestId"),
        ("initialism", "all-caps", "parseURLQuick"),
        ("initialism", "all-caps", "HTTPServer"),
    ]


def test_initialism_rename_is_valid_go() -> None:
    code = "package web\n\nfunc fetchUrl() {}\n"
    (observation,) = [o for o in observations("go", "naming", code) if o.aspect == "initialism"]
    assert observation.rewrites == {"all-caps": "fetchURL"}
    assert rewritten("go", code, observation, "all-caps").endswith("func fetchURL() {}\n")
