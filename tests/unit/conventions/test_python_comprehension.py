"""Python comprehensions: append loops a comprehension could replace, and comprehensions."""

from __future__ import annotations

from tests.unit.conventions.python_observe import observations, rewritten, sites


def test_loops_filling_an_empty_collection_and_kept_comprehensions_vote() -> None:
    code = """
    def f(users):
        names = []
        for user in users:
            if user.active:
                names.append(user.name)
        ids = {u.id for u in users}
        by_id = {}
        for user in users:
            by_id[user.id] = user
        return [u.email for u in users]
    """
    assert sites("comprehension", code) == [
        (
            "collections",
            "loop",
            "names = []\n    for user in users:\n        if user.active:\n"
            "            names.append(user.name)",
        ),
        ("collections", "comprehension", "{u.id for u in users}"),
        (
            "collections",
            "loop",
            "by_id = {}\n    for user in users:\n        by_id[user.id] = user",
        ),
        ("collections", "comprehension", "[u.email for u in users]"),
    ]


def test_loops_and_comprehensions_the_other_form_cannot_express_do_not_vote() -> None:
    code = """
    def f(rows):
        seen = []
        for row in rows:
            if row not in seen:
                seen.append(row)
        out = []
        for row in rows:
            out.append(row)
        else:
            out.append(None)
        total = []
        log("start")
        for row in rows:
            total.append(row)
        pairs = []
        for row in rows:
            pairs.append(row)
            count(row)
        nested = [c for row in rows for c in row]
        print([r for r in rows])
    """
    assert sites("comprehension", code) == []


def test_the_rewrite_is_the_comprehension_and_keeps_the_annotation() -> None:
    code = """
    def f(rows, limit):
        names: list[str] = []
        for key, value in rows.items():
            if value > limit:
                names.append(key.upper())
        lookup = {}
        for a, b in rows:
            lookup[a] = b if b else None
        return names, lookup
    """
    loop, mapping = observations("comprehension", code)
    assert loop.rewrites == {
        "comprehension": "names: list[str] = "
        "[key.upper() for key, value in rows.items() if value > limit]"
    }
    assert mapping.rewrites == {
        "comprehension": "lookup = {a: (b if b else None) for a, b in rows}"
    }
    rewritten(code, loop, "comprehension")
    rewritten(code, mapping, "comprehension")


def test_a_loop_with_comments_votes_but_is_not_rewritten() -> None:
    code = """
    def f(rows):
        out = []
        for row in rows:
            # keep every row
            out.append(row)
    """
    (loop,) = observations("comprehension", code)
    assert loop.choice == "loop"
    assert loop.rewrites == {}
