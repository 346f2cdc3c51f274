"""Parsing only the statements a change touched (knowledge/outline.py) finds what parsing the
whole file finds: over random edits of Python files (hypothesis), and over a real git history
with edits inside methods, new decorators, class bodies growing, multi-line strings that look
like code, new files, renames, deletions and other authors' commits in between."""

from __future__ import annotations

import difflib
import re
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mindgap.knowledge import catalogue, history, outline
from mindgap.syntax.languages import language_named
from tests.fixtures.gitrepo import ALICE, BOB, GitRepo, days_ago

BASE = '''"""Orders."""
import itertools
from functools import wraps as keep


class Basket(Base):
    """A basket.

def looks_like_code():
    return lambda: 0
"""

    def __enter__(self):
        return self

    @property
    def total(self):
        return sum(item.price for item in self.items if item)

    def grouped(self, items):
        import json
        return {k: list(v) for k, v in itertools.groupby(items)}


def helper(f):
    @keep(f)
    def inner(*args, **kwargs):
        return f(*args, **kwargs)
    return inner
'''

# blocks inserted with the indentation of the line they go before (or of the line before)
BLOCKS = [
    "def __exit__(self, *exc):\n    return False\n",
    "@staticmethod\ndef make(x):\n    return [y for y in x if y]\n",
    "async def fetch(self, session):\n    async with session as s:\n        return await s.get()\n",
    "x = itertools.chain(a, b)  # a comment\n",
    'TEMPLATE = """\ndef fake(self):\n    return lambda: 0\n"""\n',
    "import os.path as osp\n",
    "from collections import OrderedDict\n",
    "try:\n    import numpy as np\nexcept ImportError:\n    np = None\n",
    "if TYPE_CHECKING:\n    def typed(self): ...\nelse:\n    pass\n",
    "match command:\n    case [head, *_]:\n        print(head)\n",
    "class Inner(Exception):\n    def __eq__(self, other):\n        return osp.join(self, other)\n",
    "@property\n",
    "# only a comment\n",
    "\n",
    "value = (1,\n",
    ")\n",
    "else:\n",
    '"""\n',
    "y = 1 + \\\n",
    "return keep(np.array(x))\n",
    "yield from OrderedDict(x)\n",
]


def _indent(lines: list[str], at: int, before: bool) -> str:
    near = lines[at - 1] if before and at > 0 else lines[at] if at < len(lines) else ""
    return near[: len(near) - len(near.lstrip())]


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, int, int, bool]]:
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(["insert", "delete", "indent", "dedent"]),
                st.integers(0, 400),
                st.integers(0, len(BLOCKS) - 1),
                st.booleans(),
            ),
            min_size=1,
            max_size=3,
        )
    )


def _apply(text: str, steps: list[tuple[str, int, int, bool]]) -> str:
    lines = text.splitlines(keepends=True)
    for kind, position, block, before in steps:
        at = position % (len(lines) + 1)
        if kind == "insert":
            indent = _indent(lines, at, before)
            inserted = [
                indent + line if line.strip() else line for line in BLOCKS[block].splitlines(True)
            ]
            lines[at:at] = inserted
        elif at < len(lines) and kind == "delete":
            del lines[at : at + 1 + block % 3]
        elif at < len(lines) and kind == "indent":
            lines[at] = "    " + lines[at]
        elif at < len(lines) and lines[at].startswith("    "):
            lines[at] = lines[at][4:]
    return "".join(lines)


def _hunks(old: bytes, new: bytes) -> list[tuple[int, int, int, int]]:
    """git's -U0 hunks between two texts."""
    matcher = difflib.SequenceMatcher(a=old.split(b"\n"), b=new.split(b"\n"), autojunk=False)
    return [
        (a0 + 1 if a1 > a0 else a0, a1 - a0, b0 + 1 if b1 > b0 else b0, b1 - b0)
        for tag, a0, a1, b0, b1 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _found(reader: history._Reader, change: history._FileChange, data: bytes) -> list[tuple]:
    stats = history.ScanStats()
    return sorted((w.key, w.line) for w in reader._constructs(change, (data, None), stats))


def _starts(kept: outline.Outline | None) -> object:
    """What an outline says about where statements start (its ends may differ by a trailing
    comment, which no region boundary depends on)."""
    if kept is None:
        return None
    return (
        [
            (
                u.first,
                u.column,
                u.name,
                u.body,
                u.indent,
                [(m.first, m.column, m.name) for m in u.placed_members()],
            )
            for u in kept.units
        ],
        kept.imports,
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edits(), min_size=1, max_size=6), st.lists(st.booleans(), max_size=6))
def test_the_changed_statements_parsed_alone_give_what_the_whole_file_gives(
    versions, others_between
):
    scope = history._Scope(Path("."), {}, frozenset())
    fast, whole = history._Reader(scope), history._Reader(scope)
    share, outline.PARTIAL_MAX_SHARE = outline.PARTIAL_MAX_SHARE, 1.0  # a small file: in parts
    try:
        parser = language_named("python").parser()
        text = BASE
        old_blob = "v0"
        for number, steps in enumerate(versions, start=1):
            old, text = text.encode(), _apply(text, steps)
            new = text.encode()
            hunks = _hunks(old, new)
            change = history._FileChange(
                path="shop/orders.py",
                blob=f"v{number}",
                # sometimes another author's commit came in between: the old version is unknown
                old_blob="other"
                if number - 1 < len(others_between) and others_between[number - 1]
                else old_blob,
                added=[(start, count) for _, _, start, count in hunks if count],
                hunks=hunks,
            )
            old_blob = change.blob
            history.PARTIAL_PARSE = True
            try:
                quick = _found(fast, change, new)
            finally:
                history.PARTIAL_PARSE = True
            history.PARTIAL_PARSE, history.INCREMENTAL_PARSE = False, False
            try:
                full = _found(whole, change, new)
            finally:
                history.PARTIAL_PARSE, history.INCREMENTAL_PARSE = True, True
            assert quick == full, text
            tree = parser.parse(new)
            expected = outline.outline_of(change.blob, new.split(b"\n"), tree.root_node)
            kept = fast.outlines.get("shop/orders.py")
            if kept is not None and kept.blob == change.blob:  # this version was parsed
                assert _starts(kept) == _starts(expected), text

    finally:
        outline.PARTIAL_MAX_SHARE = share


def test_a_real_history_read_in_parts_is_the_history_read_whole(tmp_path: Path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    when = days_ago(200)
    orders = BASE
    repo.commit("base", {"shop/orders.py": orders}, when=when)
    steps = [
        (
            "edit inside a method",
            lambda t: t.replace(
                "        return self\n",
                "        self.n = len(list(itertools.repeat(1, 3)))\n        return self\n",
            ),
        ),
        (
            "a decorator on an existing method",
            lambda t: t.replace("    def grouped(", "    @staticmethod\n    def grouped("),
        ),
        (
            "a method at the end of the class",
            lambda t: t.replace(
                "\n\ndef helper",
                "\n    def __exit__(self, *exc):\n        return False\n\n\ndef helper",
            ),
        ),
        (
            "a multi-line string that looks like code",
            lambda t: t.replace(
                "    def __enter__",
                '    SQL = """\n    def fake(self):\n        return lambda: 0\n"""\n\n'
                "    def __enter__",
            ),
        ),
        (
            "the string closed later",
            lambda t: t.replace(
                '        return lambda: 0\n"""\n', '        return lambda: 0\n    """ + """\n"""\n'
            ),
        ),
        (
            "a lazy import used",
            lambda t: t.replace(
                "        import json\n",
                "        import json\n        from os import path as p\n"
                "        print(p.join(json.dumps(items)))\n",
            ),
        ),
        ("a broken version", lambda t: t.replace("    def total(self):", "    def total(self:")),
        ("mended", lambda t: t.replace("    def total(self:", "    def total(self):")),
        (
            "a new top-level function",
            lambda t: (
                t + "\n\nasync def fetch(session):\n    async with session as s:\n"
                "        return [x async for x in s]\n"
            ),
        ),
        (
            "a class header changed",
            lambda t: t.replace("class Basket(Base):", "class Basket(Base, metaclass=Meta):"),
        ),
        ("re-indented lines", lambda t: t.replace("        return sum(", "        return  sum(")),
        (
            "__enter__ and __exit__ changed apart",  # two regions: one tree must hold both
            lambda t: t.replace("def __enter__(self):", "def __enter__(self) -> None:").replace(
                "        return False\n", "        return None\n"
            ),
        ),
    ]
    for message, step in steps:
        orders = step(orders)
        repo.commit(message, {"shop/orders.py": orders}, when=(when := when + timedelta(days=1)))
        if message == "a lazy import used":  # another author's commit comes between
            orders = orders.replace("def helper(f):", "def helper(f, *, strict=False):")
            repo.commit(
                "bob",
                {"shop/orders.py": orders},
                author=BOB,
                when=(when := when + timedelta(days=1)),
            )
    repo.commit(
        "new file",
        {"shop/cart.py": "import os\n\nclass Cart:\n    def __len__(self):\n        return 0\n"},
        when=(when := when + timedelta(days=1)),
    )
    repo.git("mv", "shop/cart.py", "shop/trolley.py")
    repo.commit(
        "rename",
        {
            "shop/trolley.py": "import os\n\nclass Cart:\n    def __len__(self):\n"
            "        return os.cpu_count()\n"
        },
        when=(when := when + timedelta(days=1)),
    )
    (repo.path / "shop" / "orders.py").unlink()
    repo.commit("delete", when=when + timedelta(days=1))

    repository = history.Repository(repo.path)
    commits = repository.commits([ALICE[1]])

    def read() -> list[tuple[str, list[tuple[str, str, int]]]]:
        return [
            (c.sha, sorted((w.key, w.path, w.line) for w in written))
            for c, written in repository.scan(commits, workers=1)
        ]

    monkeypatch.setattr(outline, "PARTIAL_MAX_SHARE", 1.0)  # a small file: in parts all the same
    parsed_alone: list[list[tuple[int, int]]] = []
    original = outline._parse_lines

    def counted(parser, ranges, *rest):
        parsed_alone.append(ranges)
        return original(parser, ranges, *rest)

    monkeypatch.setattr(outline, "_parse_lines", counted)
    quick = read()
    monkeypatch.setattr(history, "PARTIAL_PARSE", False)
    monkeypatch.setattr(history, "INCREMENTAL_PARSE", False)
    whole = read()
    assert quick == whole
    assert sum(len(found) for _, found in whole) > 20
    assert len(parsed_alone) >= 8  # the regions were parsed alone, not the files


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b"a", b"b", b"", b"    pass", b"def f():", b"x = 1"]), max_size=30),
    st.lists(st.tuples(st.integers(0, 40), st.sampled_from([b"a", b"c", b"", b"y"])), max_size=6),
    st.lists(st.integers(0, 40), max_size=4),
)
def test_without_a_diff_every_line_outside_the_edits_is_unchanged(old, inserted, deleted):
    new = list(old)
    for at, line in inserted:
        new.insert(at % (len(new) + 1), line)
    for at in deleted:
        if new:
            del new[at % len(new)]
    old_at = new_at = 0
    for old_first, old_end, new_first, new_end in outline.line_edits_between(old, new):
        assert old_first >= old_at and new_first >= new_at
        assert old[old_at:old_first] == new[new_at:new_first]
        old_at, new_at = old_end, new_end
    assert old[old_at:] == new[new_at:]
    if old == new:
        assert outline.line_edits_between(old, new) == []


def test_the_members_kept_whole_are_the_siblings_the_catalogue_looks_for():
    """A class member's construct that depends on another member (`__enter__` with a sibling
    `__exit__`) is read in one tree with that member: the names must be the catalogue's."""
    source = catalogue._source("python")
    asked = re.findall(r"#has-sibling-method\?\s+@[\w-]+((?:\s+\"[^\"]+\")+)", source)
    seekers = re.findall(
        r"#any-of\?\s+@[\w-]+((?:\s+\"[^\"]+\")+)\)\s*\(#has-sibling-method\?", source
    )
    assert asked and len(seekers) == len(asked)

    def names(groups: list[str]) -> set[bytes]:
        return {name.encode() for group in groups for name in re.findall(r'"([^"]+)"', group)}

    assert names(asked) == outline.SIBLING_NAMES
    assert names(seekers) == outline.SIBLING_SEEKERS


def _parsed_from(old: str, new: str) -> outline.Parsed | None:
    parser = language_named("python").parser()
    old_lines, new_lines = old.encode().split(b"\n"), new.encode().split(b"\n")
    last = outline.outline_of("v0", old_lines, parser.parse(old.encode()).root_node)
    assert last is not None
    edits = outline.line_edits_between(old_lines, new_lines)
    starts = history._line_starts(new_lines)
    return outline.parse_changed(parser, last, "v1", new.encode(), new_lines, starts, edits)


def test_a_context_manager_class_is_parsed_whole_only_when_its_enter_changes():
    """A change in another method of a class with `__enter__` and `__exit__` parses that
    method alone; a change to `__enter__` gets `__exit__` in its tree (the construct needs it)."""
    old = BASE.replace(
        "        return self\n",
        "        return self\n\n    def __exit__(self, *exc):\n        pass\n",
    )
    elsewhere = old.replace("        import json\n", "        import json as j\n")
    parsed = _parsed_from(old, elsewhere)
    assert parsed is not None and len(parsed.regions) == 1
    (region,) = parsed.regions
    grouped = elsewhere.encode()[region.start_byte : region.end_byte]
    assert grouped.lstrip().startswith(b"def grouped(") and b"__exit__" not in grouped

    enter = old.replace("    def __enter__(self):\n", "    def __enter__(self, *a):\n")
    parsed = _parsed_from(old, enter)
    assert parsed is not None
    assert any(
        b"def __exit__" in enter.encode()[region.start_byte : region.end_byte]
        and b"def __enter__" in enter.encode()[region.start_byte : region.end_byte]
        for region in parsed.regions
    )
