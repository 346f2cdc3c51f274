"""JavaScript/TypeScript function style: arrows or function expressions where both work."""

from __future__ import annotations

from tests.unit.conventions.other_observe import observations, rewritten, sites


def test_callbacks_and_assigned_functions_vote() -> None:
    code = """\
    items.map((item) => item.id);
    items.forEach(function (item) { console.log(item); });
    const load = async (id) => fetch(id);
    const save = function (record) { return store(record); };
    """
    assert sites("javascript", "function-style", code) == [
        ("callback", "arrow", "(item) =>"),
        ("callback", "function", "function (item)"),
        ("assigned", "arrow", "async (id) =>"),
        ("assigned", "function", "function (record)"),
    ]


def test_functions_that_are_not_interchangeable_are_no_vote() -> None:
    code = """\
    button.on('click', function () { this.classList.toggle('on'); });
    list.map(function named(x) { return x; });
    const gen = function* () { yield 1; };
    const sum = function () { return arguments.length; };
    handler.bind(() => this.value);
    (function () { setup(); })();
    export default function () {}
    """
    assert sites("javascript", "function-style", code) == []


def test_function_to_arrow_rewrite_keeps_types_and_async() -> None:
    code = "const parse = async function (raw: string): Promise<number> { return 1; };\n"
    (observation,) = observations("typescript", "function-style", code)
    assert observation.rewrites == {"arrow": "async (raw: string): Promise<number> =>"}
    assert rewritten("typescript", code, observation, "arrow") == (
        "const parse = async (raw: string): Promise<number> => { return 1; };\n"
    )
