"""Parsing only the statements of a Python file that a change touched, into the trees a parse
of the whole file gives them.

Most changes in a long history add a few lines to one method of a large file: parsing the file
whole for them costs ten to fifty times what parsing that method does. A file's *outline* -
its top-level statements and, for each top-level class, the statements of its body, as line
ranges with the column they start at, and the names its imports bind - is kept from its last
version. The next version is parsed in *regions*: each run of changed lines widened to the
statements it overlaps, at module level, or inside one class with that class's header lines
before it (tree-sitter's `included_ranges`), so that the statements in the region get the
ancestors the construct patterns look for. When a region is not complete statements it is
tried again with the statement before it (lines added after a statement may belong to it)
and the one after it (lines added before a def may be its decorators).

Why such a region parses to the subtrees the whole file has: the text before it is the last
version's, which the outline says ends with complete statements at that level; the text after
it is the last version's too, starting with a statement at that level (a continuation keyword
such as `else` never starts a statement of an error-free file). So the parser enters and
leaves the region in the states it would in the whole file, provided that

- the region parses without a syntax error, its statements starting at the level's column
  (a first one more indented would continue the statement before: tree-sitter, unlike
  Python, accepts a dedent to a column between two levels),
- the statement after the region starts at the level's column or left of it (else it might
  continue the region's last statement), and the region does not end on a backslash,
- for a class's members, all of them lie in the class (a line back at column 0 ends it).

Anything else falls back to parsing the whole file, as does a change whose regions cover over
half of it; files with a syntax error keep no outline. The one construct that looks beyond a
class member, `__enter__` with a sibling `__exit__`, gets the whole class unless both are in
the one region. When another author's commit came between the kept version and this one,
the two are compared here (`line_edits_between`) instead of by git's hunks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from itertools import accumulate

import tree_sitter

from mindgap.knowledge.apis import Import, import_statements, imported_names

# what tree-sitter puts between statements without being one
_EXTRAS = frozenset({"comment", "line_continuation"})
# names of class members that a construct pattern looks for as siblings of another member
# (catalogue.py's `#has-sibling-method?`: `__enter__` next to `__exit__`), and the names of
# the members that pattern captures
SIBLING_NAMES = frozenset({b"__exit__", b"__aexit__"})
SIBLING_SEEKERS = frozenset({b"__enter__", b"__aenter__"})
OUTLINES_KEPT_BYTES = 48_000_000  # source text of the outlines a reader keeps
PARTIAL_MAX_SHARE = 0.5  # past this share of the lines, the file is parsed whole


@dataclass
class Unit:
    """A statement as whole lines (0-based, `end` exclusive); a top-level class whose body
    starts on a line of its own also has its body's statements."""

    first: int
    end: int
    column: int = 0  # where its first token is
    name: bytes = b""  # a function's name
    body: int = -1  # a class's first line after its header
    indent: int = 0  # the column its body's statements start at
    members: list[Unit] | None = None
    members_moved: int = 0  # lines the members moved since they were listed (applied lazily)

    def placed_members(self) -> list[Unit]:
        """Its body's statements where they are now."""
        members = self.members or []
        return (
            [_moved(member, self.members_moved) for member in members]
            if self.members_moved
            else members
        )


@dataclass
class Outline:
    blob: str
    lines: list[bytes]  # its text, split at line ends
    size: int  # bytes
    units: list[Unit]
    imports: list[tuple[int, tuple[tuple[str, Import], ...]]]  # (line, what it binds)

    def bindings(self) -> dict[str, Import]:
        """The names the file's imports bind, a later import of a name winning."""
        bound: dict[str, Import] = {}
        for _, names in self.imports:
            bound.update(names)
        return bound


@dataclass
class Region:
    """A part of the new version parsed alone: its tree, and its bytes."""

    tree: tree_sitter.Tree
    start_byte: int
    end_byte: int
    imports: list[tree_sitter.Node] | None = None  # its import statements (None: not looked for)


@dataclass
class Parsed:
    regions: list[Region] = field(default_factory=list)
    outline: Outline | None = None
    whole: bool = False  # the whole file parsed (its imports are in the one tree)


def outline_of(blob: str, lines: list[bytes], root: tree_sitter.Node) -> Outline | None:
    """The outline of a whole file's tree; None when the file has a syntax error."""
    if root.has_error:
        return None
    units = _units(root.named_children, members=True)
    imports = [_import_entry(statement) for statement in import_statements(root)]
    return Outline(blob, lines, root.end_byte, units, imports)


def _import_entry(statement: tree_sitter.Node) -> tuple[int, tuple[tuple[str, Import], ...]]:
    return statement.start_point.row, tuple(imported_names(statement, [statement]).items())


def _end_line(node: tree_sitter.Node) -> int:
    row, column = node.end_point
    return max(row + 1 if column else row, node.start_point.row + 1)


def _units(nodes: list[tree_sitter.Node], members: bool) -> list[Unit]:
    units: list[Unit] = []
    for node in nodes:
        if node.type in _EXTRAS:
            continue
        unit = Unit(node.start_point.row, _end_line(node), node.start_point.column)
        definition = (
            node.child_by_field_name("definition") if node.type == "decorated_definition" else node
        )
        if definition is not None and definition.type == "function_definition":
            unit.name = definition.child_by_field_name("name").text or b""  # type: ignore[union-attr]
        elif members and definition is not None and definition.type == "class_definition":
            body = definition.child_by_field_name("body")
            colon = body.prev_sibling if body is not None else None
            inner = _units(body.named_children, members=False) if body is not None else []
            if colon is not None and inner and inner[0].first > colon.end_point.row:
                unit.body = colon.end_point.row + 1
                unit.members = inner
                first = next(n for n in body.named_children if n.type not in _EXTRAS)  # type: ignore[union-attr]
                unit.indent = first.start_point.column
        if units and unit.first < units[-1].end:  # statements sharing a line: one unit
            units[-1] = Unit(units[-1].first, max(units[-1].end, unit.end), units[-1].column)
        else:
            units.append(unit)
    return units


def line_edits_between(old: list[bytes], new: list[bytes]) -> list[tuple[int, int, int, int]]:
    """Where two versions differ, when no diff says it (0-based, half-open: old first, old
    end, new first, new end), in order. Runs of equal lines are skipped (compared in C);
    after a difference, the next line found once in each version (further on in the old
    one) is where they meet again, with the equal lines just before it. Not always the
    smallest diff, but every line outside the edits is equal to its counterpart, which is
    all parsing needs."""
    head = _equal_run(old, 0, new, 0)
    if head == len(old) == len(new):
        return []
    tail = _equal_run(old[head:][::-1], 0, new[head:][::-1], 0)
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    old_counts, new_counts = Counter(old_middle), Counter(new_middle)
    where = dict(zip(old_middle, range(len(old_middle)), strict=True))  # a unique line's place
    edits: list[tuple[int, int, int, int]] = []
    old_at = new_at = 0
    while True:
        run = _equal_run(old_middle, old_at, new_middle, new_at)
        old_at, new_at = old_at + run, new_at + run
        if old_at == len(old_middle) or new_at == len(new_middle):
            break
        for new_line in range(new_at, len(new_middle)):
            line = new_middle[new_line]
            old_line = where.get(line, -1)
            if old_line >= old_at and old_counts[line] == 1 == new_counts[line]:
                break
        else:
            break  # they do not meet again: the rest is one edit
        back = _equal_run(
            old_middle[old_at:old_line][::-1], 0, new_middle[new_at:new_line][::-1], 0
        )
        edits.append((head + old_at, head + old_line - back, head + new_at, head + new_line - back))
        old_at, new_at = old_line, new_line
    if (old_at, new_at) != (len(old_middle), len(new_middle)):
        edits.append((head + old_at, head + len(old_middle), head + new_at, head + len(new_middle)))
    return edits


def _equal_run(old: list[bytes], old_at: int, new: list[bytes], new_at: int) -> int:
    """How many lines are equal from these places on (compared in growing slices, in C)."""
    limit = min(len(old) - old_at, len(new) - new_at)
    run, step = 0, 8
    while run < limit:
        size = min(step, limit - run)
        if old[old_at + run : old_at + run + size] == new[new_at + run : new_at + run + size]:
            run, step = run + size, step * 2
        elif size == 1:
            break
        else:
            step = max(1, size // 2)
    return run


class _LineMap:
    """Old line numbers outside the edits -> the new version's."""

    def __init__(self, edits: list[tuple[int, int, int, int]]) -> None:
        self.ends = [edit[1] for edit in edits]
        self.shifts = list(accumulate((ne - nf) - (oe - of) for of, oe, nf, ne in edits))
        self.starts = {of: nf for of, _, nf, _ in edits}
        self.stops = {oe: ne for _, oe, _, ne in edits}

    def line(self, old: int) -> int:
        at = bisect_right(self.ends, old)
        return old + (self.shifts[at - 1] if at else 0)

    def start(self, old: int) -> int:
        return self.starts.get(old, self.line(old))

    def stop(self, old: int) -> int:
        return self.stops.get(old, self.line(old))


def _regions(
    units: list[Unit], edits: list[tuple[int, int, int, int]], wide: bool
) -> list[tuple[int, int]]:
    """The old line ranges to parse again at one level: each edit widened to the statements
    it overlaps; `wide`, also to the one before it (lines added after a statement may belong
    to it) and the one starting where it ends (lines added before a def may be its
    decorators); merged. Each holds whole statements."""
    firsts = [unit.first for unit in units]
    regions: list[tuple[int, int]] = []
    for old_first, old_end, _, _ in edits:
        if wide:
            before = bisect_left(firsts, old_first) - 1
            last = bisect_right(firsts, old_end) - 1
        else:  # the last statement starting before the edit, if it reaches into it
            before = bisect_left(firsts, old_first) - 1
            if before >= 0 and units[before].end <= old_first:
                before += 1
            last = bisect_left(firsts, max(old_end, old_first + 1)) - 1
        start, stop = old_first, old_end
        if max(before, 0) <= last:
            start = min(start, units[max(before, 0)].first)
            stop = max(stop, units[last].end)
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(regions[-1][1], stop))
        else:
            regions.append((start, stop))
    return regions


def parse_changed(
    parser: tree_sitter.Parser,
    last: Outline,
    blob: str,
    data: bytes,
    lines: list[bytes],
    starts: list[int],
    edits: list[tuple[int, int, int, int]],
) -> Parsed | None:
    """The new version's changed statements parsed in regions, and its outline; None when a
    region cannot be shown to parse as in the whole file (then parse that). The regions are
    the changed statements alone, or when one is not complete, with their neighbours."""
    for wide in (False, True):
        parsed = _parse_regions(parser, last, blob, data, lines, starts, edits, wide)
        if parsed is not None:
            return parsed
    return None


def _parse_regions(
    parser: tree_sitter.Parser,
    last: Outline,
    blob: str,
    data: bytes,
    lines: list[bytes],
    starts: list[int],
    edits: list[tuple[int, int, int, int]],
    wide: bool,
) -> Parsed | None:
    lines_map = _LineMap(edits)
    parsed = Parsed()
    units: list[Unit] = []
    kept_imports: list[tuple[int, tuple[tuple[str, Import], ...]]] = []
    replaced: list[tuple[int, int]] = []  # old line ranges parsed again
    firsts = [unit.first for unit in last.units]
    plan = []
    for region in _regions(last.units, edits, wide):
        at, after = bisect_left(firsts, region[0]), bisect_left(firsts, region[1])
        plan.append((region, at, after, _class_regions(last.units[at:after], region, edits, wide)))
    planned = sum(
        sum(stop - start for start, stop in in_class[2]) if in_class else region[1] - region[0]
        for region, _, _, in_class in plan
    )
    if planned > PARTIAL_MAX_SHARE * len(lines):
        return None  # parsed in pieces, it would cost more than whole
    done = 0  # old units before this index are placed
    for region, at, after, in_class in plan:
        units.extend(_shifted(last.units[done:at], lines_map))
        done = after
        if in_class is not None:
            unit, members, member_regions = in_class
            result = _parse_members(
                parser, unit, members, member_regions, data, lines, starts, lines_map
            )
            if result is not None:
                parsed.regions.extend(result[0])
                units.append(result[1])
                replaced.extend(member_regions)
                continue
            if not wide:
                return None  # its neighbours may complete the members
            # else the class is parsed whole, as a statement of the module
        if after < len(last.units) and last.units[after].column > 0:
            return None  # the statement after might continue the region's last one
        first, end = lines_map.start(region[0]), lines_map.stop(region[1])
        replaced.append(region)
        if first == end:  # statements deleted: the ones around them meet as they were
            continue
        tree = _parse_lines(parser, [(first, end)], data, lines, starts)
        statements = [n for n in tree.root_node.named_children if n.type not in _EXTRAS]
        if not _complete(tree, statements, 0, lines, first, end):
            return None
        parsed.regions.append(Region(tree, starts[first], starts[end]))
        units.extend(_units(statements, members=True))
    units.extend(_shifted(last.units[done:], lines_map))
    replaced_starts = [start for start, _ in replaced]  # in order, apart
    for line, names in last.imports:
        at = bisect_right(replaced_starts, line) - 1
        if at < 0 or line >= replaced[at][1]:
            kept_imports.append((lines_map.line(line), names))
    for part in parsed.regions:
        part.imports = [
            statement
            for statement in import_statements(part.tree.root_node)
            if part.start_byte <= statement.start_byte < part.end_byte
        ]
        kept_imports.extend(map(_import_entry, part.imports))
    kept_imports.sort(key=lambda entry: entry[0])
    parsed.outline = Outline(blob, lines, len(data), units, kept_imports)
    return parsed


def _class_regions(
    inside: list[Unit],
    region: tuple[int, int],
    edits: list[tuple[int, int, int, int]],
    wide: bool,
) -> tuple[Unit, list[Unit], list[tuple[int, int]]] | None:
    """When a region's changes all lie in the body of one top-level class (after its
    header), that class and the old line ranges to parse again among its members."""
    if len(inside) != 1 or inside[0].members is None:
        return None
    unit = inside[0]
    members = unit.placed_members()
    touched = [edit for edit in edits if region[0] <= edit[0] and edit[1] <= region[1]]
    if not touched or min(edit[0] for edit in touched) < unit.body:
        return None
    return unit, members, _regions(members, touched, wide)


def _parse_members(
    parser: tree_sitter.Parser,
    unit: Unit,
    old_members: list[Unit],
    member_regions: list[tuple[int, int]],
    data: bytes,
    lines: list[bytes],
    starts: list[int],
    lines_map: _LineMap,
) -> tuple[list[Region], Unit] | None:
    """Each run of changed members parsed after the class's header lines; the class's new
    unit."""
    header = (lines_map.line(unit.first), lines_map.line(unit.body))
    regions: list[Region] = []
    parsed_lines: list[tuple[int, int]] = []  # each region's new lines
    members: list[Unit] = []
    firsts = [member.first for member in old_members]
    done = 0
    for region in member_regions:
        at, after = bisect_left(firsts, region[0]), bisect_left(firsts, region[1])
        members.extend(_shifted(old_members[done:at], lines_map))
        done = after
        if after < len(old_members) and old_members[after].column > unit.indent:
            return None  # the member after might continue the region's last statement
        first, end = lines_map.start(region[0]), lines_map.stop(region[1])
        if first < header[1]:
            return None
        if first == end:  # members deleted
            continue
        tree = _parse_lines(parser, [header, (first, end)], data, lines, starts)
        tops = [n for n in tree.root_node.named_children if n.type not in _EXTRAS]
        if len(tops) != 1 or tops[0].start_byte != starts[header[0]]:
            return None  # the region left the class, or is no part of it
        definition = tops[0]
        if definition.type == "decorated_definition":
            definition = definition.child_by_field_name("definition") or definition
        body = definition.child_by_field_name("body")
        if definition.type != "class_definition" or body is None:
            return None
        statements = [n for n in body.named_children if n.type not in _EXTRAS]
        if not _complete(tree, statements, unit.indent, lines, first, end):
            return None
        if statements and statements[0].start_byte < starts[first]:
            return None
        regions.append(Region(tree, starts[first], starts[end]))
        parsed_lines.append((first, end))
        members.extend(_units(statements, members=False))
    members.extend(_shifted(old_members[done:], lines_map))
    for first, end in parsed_lines:
        # an `__enter__` in a region is a construct only with an `__exit__` beside it: every
        # such sibling must be in the same tree
        if any(
            member.name in SIBLING_SEEKERS for member in members if first <= member.first < end
        ) and any(
            member.name in SIBLING_NAMES and not first <= member.first < end for member in members
        ):
            return None
    new = Unit(header[0], header[1], unit.column, body=header[1], indent=unit.indent)
    new.members = members
    new.end = max([header[1], *(member.end for member in members)])
    return regions, new


def _complete(
    tree: tree_sitter.Tree,
    statements: list[tree_sitter.Node],
    column: int,
    lines: list[bytes],
    first: int,
    end: int,
) -> bool:
    """Whether a region parsed alone is complete statements at its level: no syntax error,
    each starting at the level's column (the one a block's first statement sets: a first
    one deeper would continue the statement before the region), not ending on a backslash
    continuation."""
    if tree.root_node.has_error:
        return False
    if any(statement.start_point.column != column for statement in statements):
        return False
    for line in reversed(lines[first:end]):
        stripped = line.rstrip()
        if stripped:
            return not stripped.endswith(b"\\")
    return True


def _parse_lines(
    parser: tree_sitter.Parser,
    ranges: list[tuple[int, int]],
    data: bytes,
    lines: list[bytes],
    starts: list[int],
) -> tree_sitter.Tree:
    """The text of these line ranges (0-based, half-open) parsed as if nothing else were in
    the file; nodes keep their places in it."""
    last = len(lines)
    parser.included_ranges = [
        tree_sitter.Range(
            (first, 0),
            (end, 0) if end < last else (last - 1, len(lines[-1])),
            starts[first],
            starts[end] if end < last else starts[last] - 1,
        )
        for first, end in ranges
        if first < end
    ]
    try:
        return parser.parse(data)
    finally:
        parser.included_ranges = []


def _shifted(units: list[Unit], lines_map: _LineMap) -> list[Unit]:
    """Statements between two regions (or before the first, after the last) in the new
    version's lines: no edit lies among them, so all move by the same number of lines."""
    if not units:
        return []
    delta = lines_map.line(units[0].first) - units[0].first
    return units if not delta else [_moved(unit, delta) for unit in units]


def _moved(unit: Unit, delta: int) -> Unit:
    return Unit(
        unit.first + delta,
        unit.end + delta,
        unit.column,
        unit.name,
        unit.body + delta if unit.body >= 0 else -1,
        unit.indent,
        unit.members,
        unit.members_moved + delta if unit.members is not None else 0,
    )


class Outlines:
    """The outline of the last version of recently changed Python files, by path."""

    def __init__(self) -> None:
        self._by_path: OrderedDict[str, Outline] = OrderedDict()
        self._bytes = 0

    def get(self, path: str) -> Outline | None:
        return self._by_path.get(path)

    def put(self, path: str, outline: Outline | None) -> None:
        dropped = self._by_path.pop(path, None)
        if dropped is not None:
            self._bytes -= dropped.size
        if outline is None:
            return
        self._by_path[path] = outline
        self._bytes += outline.size
        while self._bytes > OUTLINES_KEPT_BYTES and len(self._by_path) > 1:
            _, old = self._by_path.popitem(last=False)
            self._bytes -= old.size
