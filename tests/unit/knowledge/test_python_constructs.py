"""The Python construct catalogue, one case per construct: this file is its documentation.

Each case is a snippet that contains the construct, with `# <-` at the end of the line where
the construct starts, and a near miss: the closest code that does not contain it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pytest

from mindgap.knowledge.catalogue import ConstructHit, catalogue
from mindgap.syntax.languages import language_named
from tests.unit.knowledge.catalogue_checks import assert_metadata, assert_one_case_per_construct

MARKER = "# <-"


@dataclass(frozen=True)
class Case:
    construct: str
    snippet: str
    near_miss: str


CASES = [
    # Comprehensions and generators
    Case(
        "list-comprehension",
        "squares = [n * n for n in range(10)]  # <-",
        "squares = [0, 1, 4, 9]",
    ),
    Case(
        "dict-comprehension",
        "index = {user.id: user for user in users}  # <-",
        "index = {'a': 1, 'b': 2}",
    ),
    Case(
        "set-comprehension",
        "names = {user.name for user in users}  # <-",
        "names = {'ada', 'grace'}",
    ),
    Case(
        "generator-expression",
        "total = sum(n * n for n in range(10))  # <-",
        "total = sum([1, 2, 3])",
    ),
    Case(
        "nested-comprehension",
        "pairs = [(a, b) for a in xs for b in ys]  # <-",
        "pairs = [(a, a) for a in xs if a]",
    ),
    Case(
        "generator-function",
        """
        def countdown(n):
            while n:
                yield n  # <-
                n -= 1
        """,
        """
        def countdown(n):
            return list(range(n, 0, -1))
        """,
    ),
    Case(
        "yield-from",
        """
        def chain(*iterables):
            for it in iterables:
                yield from it  # <-
        """,
        """
        def chain(*iterables):
            for it in iterables:
                yield it
        """,
    ),
    Case(
        "generator-send",
        """
        def averager():
            total = count = 0
            while True:
                value = yield total / max(count, 1)  # <-
                total += value
        """,
        """
        def averager(values):
            for value in values:
                yield value
        """,
    ),
    # Functions
    Case("lambda", "square = lambda n: n * n  # <-", "def square(n):\n    return n * n"),
    Case(
        "lambda-sort-key",
        "ordered = sorted(users, key=lambda u: u.age)  # <-",
        "ordered = sorted(users, key=by_age, reverse=lambda: 0)",
    ),
    Case(
        "closure",
        """
        def make_counter():
            count = 0
            def increment():  # <-
                nonlocal count
                count += 1
            increment()
        """,
        """
        def make_counter():
            def increment(count):
                return count + 1
            return increment(0)
        """,
    ),
    Case(
        "global-statement",
        """
        def reset():
            global cache  # <-
            cache = {}
        """,
        """
        def reset():
            cache = {}
            return cache
        """,
    ),
    Case(
        "nonlocal-statement",
        """
        def outer():
            n = 0
            def bump():
                nonlocal n  # <-
                n += 1
        """,
        """
        def outer():
            n = 0
            def bump(n):
                return n + 1
        """,
    ),
    # Decorators
    Case(
        "decorator",
        "@app.route  # <-\ndef index():\n    pass",
        "def index():\n    pass\napp.route(index)",
    ),
    Case(
        "decorator-with-arguments",
        "@lru_cache(maxsize=128)  # <-\ndef fib(n):\n    pass",
        "@lru_cache\ndef fib(n):\n    pass",
    ),
    Case(
        "decorator-definition",
        """
        def logged(func):  # <-
            def wrapper(*args, **kwargs):
                print(func.__name__)
                return func(*args, **kwargs)
            return wrapper
        """,
        """
        def logged(func):
            def describe():
                return func.__name__
            return describe()
        """,
    ),
    # Parameters
    Case(
        "variadic-positional",
        "def total(*numbers):  # <-\n    pass",
        "def total(numbers):\n    pass",
    ),
    Case(
        "variadic-keyword",
        "def configure(**options):  # <-\n    pass",
        "def configure(options=None):\n    pass",
    ),
    Case(
        "keyword-only-parameters",
        "def connect(host, *, timeout=10):  # <-\n    pass",
        "def connect(host, timeout=10):\n    pass",
    ),
    Case(
        "positional-only-parameters",
        "def clamp(value, low, high, /):  # <-\n    pass",
        "def clamp(value, low, high):\n    pass",
    ),
    # Expressions
    Case(
        "conditional-expression",
        "label = 'adult' if age >= 18 else 'minor'  # <-",
        "if age >= 18:\n    label = 'adult'",
    ),
    Case("chained-comparison", "ok = 0 <= index < size  # <-", "ok = 0 <= index and index < size"),
    Case(
        "walrus",
        "if (match := pattern.search(line)) is not None:  # <-\n    pass",
        "match = pattern.search(line)\nif match is not None:\n    pass",
    ),
    Case(
        "percent-formatting",
        "message = 'user %s has %d items' % (name, count)  # <-",
        "remainder = count % 7",
    ),
    Case("matrix-multiplication", "product = weights @ inputs  # <-", "product = weights * inputs"),
    # Unpacking and slicing
    Case("tuple-unpacking", "low, high = bounds  # <-", "low = bounds[0]"),
    Case("star-unpacking", "first, *rest = items  # <-", "first, rest = items[0], items[1:]"),
    Case("star-arguments", "print(*lines, sep='\\n')  # <-", "print(lines, sep='\\n')"),
    Case(
        "keyword-arguments-unpacking",
        "connect(host, **options)  # <-",
        "connect(host, options=options)",
    ),
    Case("star-in-literal", "merged = [*left, *right]  # <-", "merged = left + right"),
    Case("dict-unpacking", "config = {**defaults, **overrides}  # <-", "config = dict(defaults)"),
    Case("slice-step", "evens = numbers[::2]  # <-", "head = numbers[1:5]"),
    # Context managers
    Case(
        "with-statement",
        "with open(path) as handle:  # <-\n    data = handle.read()",
        """
        async def load():
            async with session.get(url) as response:
                return await response.text()
        """,
    ),
    Case(
        "context-manager-class",
        """
        class Timer:
            def __enter__(self):  # <-
                return self
            def __exit__(self, *exc):
                return False
        """,
        """
        class Timer:
            def __enter__(self):
                return self
            def stop(self):
                pass
        """,
    ),
    Case(
        "contextmanager-decorator",
        """
        @contextlib.contextmanager  # <-
        def working_directory(path):
            yield path
        """,
        """
        @functools.cache
        def working_directory(path):
            return path
        """,
    ),
    # Async
    Case(
        "async-def",
        "async def fetch(url):  # <-\n    pass",
        "def fetch(url):\n    pass",
    ),
    Case(
        "await",
        "async def main():\n    body = await fetch(url)  # <-",
        "async def main():\n    body = fetch(url)",
    ),
    Case(
        "async-with",
        "async def main():\n    async with lock:  # <-\n        pass",
        "def main():\n    with lock:\n        pass",
    ),
    Case(
        "async-for",
        "async def main():\n    async for row in cursor:  # <-\n        pass",
        "def main():\n    for row in cursor:\n        pass",
    ),
    Case(
        "async-comprehension",
        "async def main():\n    rows = [row async for row in cursor]  # <-",
        "async def main():\n    rows = [row for row in await cursor.all()]",
    ),
    # Pattern matching
    Case(
        "match-statement",
        "match command:  # <-\n    case 'quit':\n        pass",
        "match = command == 'quit'",
    ),
    Case(
        "class-pattern",
        "match shape:\n    case Point(x=0, y=y):  # <-\n        pass",
        "match shape:\n    case 0:\n        pass",
    ),
    Case(
        "mapping-pattern",
        "match event:\n    case {'type': 'click', 'pos': pos}:  # <-\n        pass",
        "match event:\n    case 'click':\n        pass",
    ),
    Case(
        "sequence-pattern",
        "match args:\n    case [first, *rest]:  # <-\n        pass",
        "match args:\n    case first:\n        pass",
    ),
    Case(
        "or-pattern",
        "match status:\n    case 401 | 403:  # <-\n        pass",
        "match status:\n    case 401:\n        pass",
    ),
    Case(
        "case-guard",
        "match point:\n    case (x, y) if x == y:  # <-\n        pass",
        "match point:\n    case (x, y):\n        pass",
    ),
    Case(
        "case-as-pattern",
        "match value:\n    case [_, _] as pair:  # <-\n        pass",
        "match value:\n    case [_, _]:\n        pass",
    ),
    # Strings
    Case(
        "fstring-format-spec",
        "line = f'{name:>10} {price:.2f}'  # <-",
        "line = f'{name} {price}'",
    ),
    Case("fstring-conversion", "text = f'got {value!r}'  # <-", "text = f'got {value}'"),
    Case(
        "fstring-self-documenting",
        "print(f'{total=}')  # <-",
        "print(f'total={total == 1}')",
    ),
    # Exceptions
    Case(
        "try-else",
        """
        try:
            value = int(text)
        except ValueError:
            value = 0
        else:  # <-
            print(value)
        """,
        """
        try:
            value = int(text)
        except ValueError:
            value = 0
        """,
    ),
    Case(
        "try-finally",
        """
        try:
            run()
        finally:  # <-
            cleanup()
        """,
        """
        try:
            run()
        except Exception:
            cleanup()
        """,
    ),
    Case(
        "except-group",
        """
        try:
            run()
        except* ValueError as group:  # <-
            pass
        """,
        """
        try:
            run()
        except ValueError as error:
            pass
        """,
    ),
    Case(
        "raise-from",
        """
        try:
            config = load()
        except OSError as error:
            raise ConfigError(path) from error  # <-
        """,
        """
        try:
            config = load()
        except OSError as error:
            raise ConfigError(path)
        """,
    ),
    Case(
        "re-raise",
        """
        try:
            run()
        except Exception:
            log.exception('failed')
            raise  # <-
        """,
        """
        try:
            run()
        except Exception as error:
            raise RuntimeError('failed')
        """,
    ),
    Case(
        "custom-exception",
        "class QuotaExceeded(RuntimeError):  # <-\n    pass",
        "class Quota(Limit):\n    pass",
    ),
    Case(
        "assert", "assert count >= 0, 'negative count'  # <-", "if count < 0:\n    raise ValueError"
    ),
    Case(
        "optional-import",
        """
        try:  # <-
            import ujson as json
        except ImportError:
            import json
        """,
        """
        try:
            import ujson as json
        except ValueError:
            json = None
        """,
    ),
    # Loops
    Case(
        "loop-else",
        """
        for item in items:
            if item.ok:
                break
        else:  # <-
            raise LookupError
        """,
        """
        for item in items:
            if item.ok:
                break
        """,
    ),
    # Classes
    Case(
        "dataclass",
        """
        @dataclass(frozen=True)  # <-
        class Point:
            x: int
            y: int
        """,
        """
        class Point:
            def __init__(self, x, y):
                self.x, self.y = x, y
        """,
    ),
    Case(
        "dataclass-post-init",
        """
        @dataclass
        class Range:
            low: int
            def __post_init__(self):  # <-
                pass
        """,
        """
        @dataclass
        class Range:
            low: int
            def __init__(self):
                pass
        """,
    ),
    Case(
        "property",
        """
        class Circle:
            @property  # <-
            def area(self):
                return 3.14 * self.r ** 2
        """,
        """
        class Circle:
            def area(self):
                return 3.14 * self.r ** 2
        """,
    ),
    Case(
        "property-setter",
        """
        class Circle:
            @radius.setter  # <-
            def radius(self, value):
                self._r = value
        """,
        """
        class Circle:
            @property
            def radius(self):
                return self._r
        """,
    ),
    Case(
        "classmethod",
        """
        class Date:
            @classmethod  # <-
            def parse(cls, text):
                pass
        """,
        """
        class Date:
            def parse(self, text):
                pass
        """,
    ),
    Case(
        "staticmethod",
        """
        class Date:
            @staticmethod  # <-
            def is_leap(year):
                pass
        """,
        """
        class Date:
            @classmethod
            def is_leap(cls, year):
                pass
        """,
    ),
    Case(
        "super-call",
        """
        class Child(Parent):
            def __init__(self):
                super().__init__()  # <-
        """,
        """
        class Child(Parent):
            def __init__(self):
                Parent.__init__(self)
        """,
    ),
    Case(
        "multiple-inheritance",
        "class Sprite(Drawable, Movable):  # <-\n    pass",
        "class Sprite(Drawable, metaclass=Registry):\n    pass",
    ),
    Case(
        "slots",
        "class Point:\n    __slots__ = ('x', 'y')  # <-",
        "class Point:\n    fields = ('x', 'y')",
    ),
    Case(
        "metaclass",
        "class Model(Base, metaclass=ModelMeta):  # <-\n    pass",
        "class Model(Base, registry=models):\n    pass",
    ),
    Case(
        "metaclass-definition",
        "class Registry(type):  # <-\n    pass",
        "class Registry(dict):\n    pass",
    ),
    Case(
        "init-subclass",
        """
        class Plugin:
            def __init_subclass__(cls, **kwargs):  # <-
                registry.append(cls)
        """,
        """
        class Plugin:
            def __init__(self, **kwargs):
                registry.append(self)
        """,
    ),
    Case(
        "abstract-base-class",
        "class Shape(ABC):  # <-\n    pass",
        "class Shape(Base):\n    pass",
    ),
    Case(
        "abstract-method",
        """
        class Shape(ABC):
            @abstractmethod  # <-
            def area(self): ...
        """,
        """
        class Shape(ABC):
            def area(self):
                raise NotImplementedError
        """,
    ),
    Case(
        "enum",
        "class Color(enum.Enum):  # <-\n    RED = 1",
        "class Color:\n    RED = 1",
    ),
    Case(
        "named-tuple",
        "Point = collections.namedtuple('Point', 'x y')  # <-",
        "Point = tuple(['x', 'y'])",
    ),
    # Special methods
    Case(
        "equality-methods",
        "class Money:\n    def __eq__(self, other):  # <-\n        pass",
        "class Money:\n    def equals(self, other):\n        pass",
    ),
    Case(
        "ordering-methods",
        "class Version:\n    def __lt__(self, other):  # <-\n        pass",
        "class Version:\n    def less_than(self, other):\n        pass",
    ),
    Case(
        "operator-overloading",
        "class Vector:\n    def __radd__(self, other):  # <-\n        pass",
        "class Vector:\n    def __init__(self, other):\n        pass",
    ),
    Case(
        "container-protocol",
        "class Deck:\n    def __getitem__(self, index):  # <-\n        pass",
        "class Deck:\n    def get_item(self, index):\n        pass",
    ),
    Case(
        "iterator-protocol",
        "class Countdown:\n    def __next__(self):  # <-\n        pass",
        "class Countdown:\n    def next_value(self):\n        pass",
    ),
    Case(
        "callable-object",
        "class Multiplier:\n    def __call__(self, x):  # <-\n        pass",
        "class Multiplier:\n    def call(self, x):\n        pass",
    ),
    Case(
        "attribute-hooks",
        "class Proxy:\n    def __getattr__(self, name):  # <-\n        pass",
        "class Proxy:\n    def get_attribute(self, name):\n        pass",
    ),
    Case(
        "string-representation",
        "class Money:\n    def __repr__(self):  # <-\n        pass",
        "class Money:\n    def describe(self):\n        pass",
    ),
    Case(
        "custom-new",
        "class Singleton:\n    def __new__(cls):  # <-\n        pass",
        "class Singleton:\n    def __init__(self):\n        pass",
    ),
    Case(
        "descriptor",
        "class Positive:\n    def __get__(self, obj, owner=None):  # <-\n        pass",
        "class Positive:\n    def get(self, obj, owner=None):\n        pass",
    ),
    # Typing
    Case(
        "protocol",
        "class SupportsClose(Protocol):  # <-\n    def close(self) -> None: ...",
        "class SupportsClose(Closable):\n    def close(self) -> None: ...",
    ),
    Case(
        "typed-dict",
        "class Movie(TypedDict):  # <-\n    title: str",
        "class Movie(dict):\n    title: str",
    ),
    Case("typevar", "T = TypeVar('T', bound=Hashable)  # <-", "T = Hashable"),
    Case("paramspec", "P = ParamSpec('P')  # <-", "P = TypeVar('P')"),
    Case(
        "generic-base-class",
        "class Box(Generic[T]):  # <-\n    pass",
        "class Box(Base[T]):\n    pass",
    ),
    Case(
        "generic-function",
        "def first[T](items: list[T]) -> T:  # <-\n    pass",
        "def first(items: list[T]) -> T:\n    pass",
    ),
    Case(
        "generic-class",
        "class Box[T]:  # <-\n    pass",
        "class Box(list[T]):\n    pass",
    ),
    Case(
        "type-alias-statement",
        "type Pairs = list[tuple[int, int]]  # <-",
        "Pairs = list[tuple[int, int]]",
    ),
    Case(
        "overload",
        "@typing.overload  # <-\ndef parse(text: str) -> int: ...",
        "@typing.final\ndef parse(text: str) -> int: ...",
    ),
    Case(
        "union-type-operator",
        "def find(key: str) -> Item | None:  # <-\n    pass",
        "def find(key: str) -> Optional[Item]:\n    flags = READ | WRITE",
    ),
    Case(
        "type-checking-guard",
        "if TYPE_CHECKING:  # <-\n    from .models import User",
        "if DEBUG:\n    from .models import User",
    ),
    # Imports and reflection
    Case("relative-import", "from .models import User  # <-", "from app.models import User"),
    Case("wildcard-import", "from math import *  # <-", "from math import pi"),
    Case(
        "dynamic-attribute",
        "handler = getattr(self, 'on_' + event, None)  # <-",
        "handler = self.handlers.get(event)",
    ),
    Case("eval-exec", "result = eval(expression)  # <-", "result = literal_eval(expression)"),
]


def parse(source: str):
    return language_named("python").parser().parse(source.encode("utf-8")).root_node


def hits_of(construct: str, source: str) -> list[ConstructHit]:
    return [hit for hit in catalogue("python").find(parse(source)) if hit.construct.id == construct]


def marked_line(source: str) -> int:
    lines = [number for number, line in enumerate(source.splitlines()) if MARKER in line]
    assert len(lines) == 1, "a case marks exactly one line with '# <-'"
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=[case.construct for case in CASES])
def test_construct_is_found_where_it_starts(case: Case) -> None:
    source = textwrap.dedent(case.snippet).strip("\n")
    hits = hits_of(case.construct, source)
    assert hits, f"{case.construct} not found in:\n{source}"
    assert marked_line(source) in {hit.start_point[0] for hit in hits}


@pytest.mark.parametrize("case", CASES, ids=[case.construct for case in CASES])
def test_near_miss_is_not_found(case: Case) -> None:
    source = textwrap.dedent(case.near_miss).strip("\n")
    assert MARKER not in source
    assert not parse(source).has_error, "a near miss is valid Python"
    assert hits_of(case.construct, source) == [], f"{case.construct} found in:\n{source}"


@pytest.mark.parametrize("case", CASES, ids=[case.construct for case in CASES])
def test_snippet_is_valid_python(case: Case) -> None:
    assert not parse(textwrap.dedent(case.snippet)).has_error


def test_every_construct_has_exactly_one_case() -> None:
    assert_one_case_per_construct("python", [case.construct for case in CASES])


def test_the_catalogue_loads_with_its_metadata() -> None:
    assert_metadata("python", at_least=60)


def test_helper_captures_are_not_constructs() -> None:
    source = "class Timer:\n    def __enter__(self): ...\n    def __exit__(self, *a): ...\n"
    for hit in catalogue("python").find(parse(source)):
        assert not hit.construct.id.startswith("_")


def test_text_predicates_are_honoured() -> None:
    # #eq? / #any-of? / #match? are applied by the bindings in QueryCursor.captures: without
    # them every call would be a getattr call and every with statement an async one.
    source = "setattr(a, 'b', 1)\nprint(a)\nwith lock:\n    pass\n"
    found = {
        (hit.construct.id, hit.start_point[0]) for hit in catalogue("python").find(parse(source))
    }
    assert ("dynamic-attribute", 0) in found
    assert ("dynamic-attribute", 1) not in found
    assert ("with-statement", 2) in found


def test_a_byte_range_limits_hits_to_constructs_starting_inside_it() -> None:
    source = "a = [x for x in y]\nb = {k: v for k, v in z}\nc = {x for x in y}\n"
    root = parse(source)
    start = source.index("b =")
    end = source.index("c =")
    ids = [hit.construct.id for hit in catalogue("python").find(root, start, end)]
    assert ids == ["dict-comprehension"]
