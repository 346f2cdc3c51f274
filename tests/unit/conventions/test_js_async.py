"""JavaScript/TypeScript async: await or .then()."""

from __future__ import annotations

from tests.unit.conventions.other_observe import sites


def test_await_and_then_vote() -> None:
    code = """\
    async function load() {
      const response = await fetch(url);
      return response.json().then((body) => body.items);
    }
    const then = 1;
    promise.catch(report);
    """
    assert sites("typescript", "async", code) == [
        ("promise", "await", "await"),
        ("promise", "then", "then"),
    ]
