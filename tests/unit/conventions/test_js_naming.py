"""JavaScript/TypeScript naming: which names vote for which case, and the renames."""

from __future__ import annotations

import pytest

from tests.unit.conventions.other_observe import observations, rewritten, sites

JS_CODE = """\
const MAX_RETRIES = 3;
export const defaultTimeout = 30;
const request_count = 0, total = 1;
const fetchUser = async (userId) => null;
const load_items = function () {};
const UserCard = () => null;
const { first_name } = person;
const child_process = require('child_process');
let pending_jobs = [];
function parse_header(raw) { let fieldName = raw; return fieldName; }
class job_queue {
  drainAll() {}
  flush_now() {}
  constructor() {}
}
const CONFIG = { a: 1 };
"""


def test_javascript_names_vote_by_kind() -> None:
    assert sites("javascript", "naming", JS_CODE) == [
        ("constant", "UPPER_CASE", "MAX_RETRIES"),
        ("constant", "camelCase", "defaultTimeout"),
        ("constant", "snake_case", "request_count"),
        ("function", "camelCase", "fetchUser"),
        ("function", "snake_case", "load_items"),
        ("variable", "snake_case", "pending_jobs"),
        ("function", "snake_case", "parse_header"),
        ("variable", "camelCase", "fieldName"),
        ("class", "snake_case", "job_queue"),
        ("method", "camelCase", "drainAll"),
        ("method", "snake_case", "flush_now"),
    ]


def test_one_word_components_destructuring_and_requires_are_no_vote() -> None:
    # `total`, `raw`, `constructor`: one word fits both styles; `UserCard` is a component;
    # `first_name` follows the object's key; `child_process` the module's name;
    # `CONFIG` is an object, not a literal constant, and UPPER_CASE variables are deliberate
    names = {text for _, _, text in sites("javascript", "naming", JS_CODE)}
    assert names.isdisjoint({"total", "raw", "UserCard", "first_name", "child_process", "CONFIG"})


def test_typescript_override_methods_and_declaration_files_are_left_out() -> None:
    code = """\
    abstract class base_shape {
      abstract computeArea(): number;
      override render_now(): void {}
      draw_outline(): void {}
    }
    """
    assert sites("typescript", "naming", code) == [
        ("class", "snake_case", "base_shape"),
        ("method", "snake_case", "draw_outline"),
    ]
    assert (
        sites(
            "typescript",
            "naming",
            "declare function parse_it(a_b: string): void;\n",
            path="types/index.d.ts",
        )
        == []
    )


def test_tsx_components_are_not_judged_as_functions() -> None:
    code = """\
    const ProfilePage = () => <div />;
    const render_row = (row: Row) => <tr />;
    """
    assert sites("tsx", "naming", code) == [("function", "snake_case", "render_row")]


@pytest.mark.parametrize(
    ("name", "choice", "renamed"),
    [
        ("parse_header", "camelCase", "parseHeader"),
        ("fetchUser", "snake_case", "fetch_user"),
    ],
)
def test_function_rename_is_valid_code(name: str, choice: str, renamed: str) -> None:
    code = f"function {name}(value) {{ return value; }}\n"
    (observation,) = observations("javascript", "naming", code)
    assert observation.rewrites == {choice: renamed}
    assert rewritten("javascript", code, observation, choice) == (
        f"function {renamed}(value) {{ return value; }}\n"
    )


def test_upper_case_constant_renames_by_words() -> None:
    code = "const MAX_RETRIES = 3;\n"
    (observation,) = observations("javascript", "naming", code)
    assert observation.rewrites["camelCase"] == "maxRetries"
    assert rewritten("javascript", code, observation, "camelCase") == "const maxRetries = 3;\n"
