"""The sandbox's first filter and its Python-level walls, and how runs behave.

Escape attempts are tried twice: through the public path (`prepare_sandbox`, `Sandbox.run`),
where the static check refuses them so nothing runs and no question is asked, and straight
into the child (`run_unchecked`, which skips the check) to show the child's Python-level walls
(restricted builtins and imports, the audit hook) turn honest I/O into "refused". That the
operating system's wall holds by itself, with every Python-level wall off, is shown by
tests/cli/test_sandbox_attacks.py through the real `mindgap quiz`. Every test looks for files
afterwards: in the current directory and at the absolute paths the snippets aim at.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mindgap.gate.questions import all_generators
from mindgap.gate.questions.base import CodeUnderQuiz
from mindgap.gate.sandbox import (
    Limits,
    Outcome,
    Sandbox,
    check_code,
    check_expression,
    prepare_sandbox,
    runner,
)
from mindgap.syntax.languages import language_named

pytestmark = pytest.mark.usefixtures("os_sandbox")


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private current directory and a target folder; the test fails if anything is left
    in either, or at the paths the snippets aim at."""
    (tmp_path / "cwd").mkdir()
    (tmp_path / "target").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    yield tmp_path
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert left == ["cwd", "target"], f"traces on disk: {left}"


# Generous on purpose: on a loaded machine CPU-second limits take longer in wall-clock time;
# what is proved is that it ends, by itself.
WITHIN_A_FEW_SECONDS = 10


def unchecked(source: str, calls: list[str]) -> list[Outcome]:
    """Runs code in the child WITHOUT the static check: the child's walls stand."""
    with Sandbox(rounds=1) as sandbox:
        return sandbox.run_unchecked(source, calls)


# -- the static check --------------------------------------------------------------------

REFUSED = {
    "import os": "import os\ndef f():\n    return os.listdir('.')\n",
    "import sys": "import sys\n",
    "import subprocess": "import subprocess\nsubprocess.run(['ls'])\n",
    "import socket": "import socket\n",
    "import shutil": "import shutil\n",
    "import pathlib": "from pathlib import Path\n",
    "import ctypes": "import ctypes\n",
    "relative import": "from . import helpers\n",
    "submodule not listed": "import os.path\n",
    "os without import": "def f():\n    os.system('ls')\n",
    "open": "def f():\n    return open('x', 'w')\n",
    "eval": "eval('1 + 1')\n",
    "exec": "exec('x = 1')\n",
    "compile": "compile('1', 'f', 'eval')\n",
    "__import__": "__import__('os')\n",
    "globals": "globals()\n",
    "locals": "locals()\n",
    "vars": "vars()\n",
    "getattr": "getattr(object, name)\n",
    "setattr": "setattr(object, 'x', 1)\n",
    "delattr": "delattr(object, 'x')\n",
    "input": "input()\n",
    "breakpoint": "breakpoint()\n",
    "exit": "exit()\n",
    "quit": "quit()\n",
    "subclasses": "().__class__.__bases__[0].__subclasses__()\n",
    "function globals": "def f():\n    pass\nf.__globals__\n",
    "__builtins__": "__builtins__['open']\n",
    "frames": "def g():\n    yield 1\ng().gi_frame.f_back.f_globals\n",
    "tracebacks": "try:\n    1 / 0\nexcept Exception as e:\n    e.__traceback__.tb_frame\n",
    "dunder in a format string": "'{0.__class__.__bases__}'.format(1)\n",
    "module's imports": "import typing\ntyping.sys.modules\n",
    "module's private names": "import random\nrandom._os\n",
    "match on a dunder": "match 1:\n    case int(__class__=c):\n        pass\n",
    "attrgetter": "import operator\noperator.attrgetter('__class__')\n",
    "get_type_hints": "from typing import get_type_hints\n",
    "string.Formatter": "import string\nstring.Formatter().get_field('0.x', [1], {})\n",
    "path write": "def f(p):\n    p.write_text('x')\n",
    "fork": "import os\nos.fork()\n",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_static_check_refuses(name: str) -> None:
    verdict = check_code(REFUSED[name])
    assert not verdict.safe, name
    assert verdict.reason
    assert prepare_sandbox(REFUSED[name]) is None


ACCEPTED = {
    "plain function": "def f(xs):\n    return sum(x * x for x in xs)\n",
    "pure imports": "import math, itertools, functools, re\nfrom collections import Counter\n"
    "import collections.abc\nfrom dataclasses import dataclass, field\nimport enum, typing\n",
    "class with protocol dunders": "class A:\n    __slots__ = ('x',)\n\n"
    "    def __init__(self, x):\n        super().__init__()\n        self.x = x\n\n"
    "    def __repr__(self):\n        return f'{self.__class__.__name__}({self.x})'\n",
    "main guard": "def main():\n    return 1\n\nif __name__ == '__main__':\n    main()\n",
    "docstring naming a dunder": 'def f():\n    """Like __init__ but lazier."""\n    return 1\n',
    "re.compile": "import re\nPATTERN = re.compile(r'a+')\n",
    "indented fragment": "    total = 0\n    for x in xs:\n        total += x\n",
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_static_check_accepts_pure_code(name: str) -> None:
    assert check_code(ACCEPTED[name]).safe, check_code(ACCEPTED[name]).reason
    assert prepare_sandbox(ACCEPTED[name]) is not None


def test_verdict_names_the_reason_and_line() -> None:
    verdict = check_code("x = 1\ny = 2\nimport socket\n")
    assert not verdict
    assert "socket" in verdict.reason
    assert verdict.line == 3


def test_expressions_are_checked_too() -> None:
    assert check_expression("f([3, 1])")
    assert not check_expression("__import__('os').system('ls')")
    assert not check_expression("open('x')")


def test_code_that_does_not_parse_is_refused() -> None:
    assert not check_code("def f(:\n")


# -- running ------------------------------------------------------------------------------


def test_values_exceptions_lines_and_output(disk: Path) -> None:
    source = "def f(xs):\n    print('summing', len(xs))\n    return sum(xs) / len(xs)\n"
    value, raised = Sandbox().run(source, ["f([3, 1])", "f([])"])
    assert value == Outcome("value", value="2.0", line=3, output="summing 2\n", lines=(2, 3))
    assert raised.kind == "raised"
    assert raised.exception == "ZeroDivisionError"
    assert raised.message == "division by zero"
    assert raised.line == 3
    assert value.describe() == "returns 2.0"
    assert raised.describe() == "raises ZeroDivisionError"


def test_code_never_runs_in_this_process(disk: Path) -> None:
    marker = "mindgap_sandbox_marker"
    Sandbox().run(f"import math\nmath.{marker} = 1\n", ["math.pi"])
    assert not hasattr(math, marker)


def test_each_call_gets_fresh_definitions(disk: Path) -> None:
    source = (
        "seen = []\n\n"
        "def f(x, acc=[]):\n    acc.append(x)\n    seen.append(x)\n"
        "    return len(acc) + len(seen)\n"
    )
    assert [o.value for o in Sandbox().run(source, ["f(1)", "f(2)", "f(3)"])] == ["2", "2", "2"]


def test_pure_modules_work_inside(disk: Path) -> None:
    source = (
        "from dataclasses import dataclass, field\n"
        "import enum, collections, collections.abc, typing, re, math\n"
        "@dataclass(order=True)\n"
        "class P:\n"
        "    x: int\n"
        "    ys: list[int] = field(default_factory=list)\n"
        "    z: typing.ClassVar[int] = 3\n"
        "class Color(enum.Enum):\n"
        "    RED = 1\n"
        "Pair = collections.namedtuple('Pair', 'a b')\n"
    )
    calls = [
        "sorted([P(2), P(1)])",
        "Color(1)",
        "Pair(1, 2)",
        "isinstance({}, collections.abc.Mapping)",
        "re.findall('a+', 'caab')",
        "math.gcd(12, 18)",
    ]
    assert [o.value for o in Sandbox().run(source, calls)] == [
        "[P(x=1, ys=[]), P(x=2, ys=[])]",
        "<Color.RED: 1>",
        "Pair(a=1, b=2)",
        "True",
        "['aa']",
        "6",
    ]


def test_module_copies_hide_what_the_module_imported(disk: Path) -> None:
    # the static check would refuse these spellings; the copies are the second wall
    outcomes = unchecked("import typing, random\n", ["typing.sys", "random._os", "typing.List"])
    assert [o.exception for o in outcomes[:2]] == ["AttributeError", "AttributeError"]
    assert outcomes[2].value == "typing.List"


def test_unstable_results_are_flagged(disk: Path) -> None:
    source = "import random\nclass Thing:\n    pass\ndef roll():\n    return random.random()\n"
    calls = ["roll()", "{'pear', 'fig', 'apple', 'kiwi'}", "Thing()", "{3, 1, 2}"]
    roll, strings, thing, ints = Sandbox().run(source, calls)
    assert roll.kind == "unstable"  # two processes, two seeds
    assert strings.kind == "unstable"  # hash order of strings differs between processes
    assert thing.kind == "unstable"  # an address in the repr
    assert ints == Outcome("value", value="{1, 2, 3}")


def test_refused_calls_and_definitions(disk: Path) -> None:
    good, bad = Sandbox().run("def f(x):\n    return x\n", ["f(1)", "open('x', 'w')"])
    assert good.value == "1"
    assert bad.kind == "refused" and "open" in bad.message
    outcomes = Sandbox().run("import os\ndef f():\n    return 1\n", ["f()", "f()"])
    assert [o.kind for o in outcomes] == ["refused", "refused"]


def test_a_failing_statement_only_loses_its_own_names(disk: Path) -> None:
    source = "x = undefined_name\n\ndef f(a: Unknown) -> Unknown:\n    return a\n"
    assert Sandbox().run(source, ["f(2)", "x"]) == [
        Outcome("value", value="2", line=4, lines=(4,)),
        Outcome("raised", exception="NameError", message="name 'x' is not defined"),
    ]


def test_what_a_batch_leaves_in_its_temporary_folder_is_gone_for_the_next(disk: Path) -> None:
    with Sandbox(rounds=1, python_walls=False) as sandbox:
        made = sandbox.run_unchecked(
            "import os\ndef leave():\n    os.mkdir('/tmp/left')\n    open('/tmp/left/f', 'w')\n"
            "    return sorted(os.listdir('/tmp'))\n",
            ["leave()"],
        )
        assert made[0].value == "['left']"
        after = sandbox.run_unchecked(
            "import os\ndef look():\n    return os.listdir('/tmp')\n", ["look()"]
        )
        assert after[0].value == "[]"


def test_no_calls_start_no_process(disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started")

    runner.shutdown_pool()
    monkeypatch.setattr(runner.subprocess, "Popen", fail)
    assert Sandbox().run("def f():\n    return 1\n", []) == []


# -- escapes: refused by the check, contained by the child ------------------------------


def write_snippets(target: Path) -> dict[str, str]:
    return {
        "relative": "def attack():\n    open('pwned.txt', 'w').write('x')\n",
        "absolute": f"def attack():\n    open({str(target / 'pwned.txt')!r}, 'w').write('x')\n",
        "pathlib": "from pathlib import Path\n"
        "def attack():\n    Path('pwned.txt').write_text('x')\n",
        "os": "import os\ndef attack():\n    os.mkdir('pwned')\n",
    }


@pytest.mark.parametrize("name", ["relative", "absolute", "pathlib", "os"])
def test_file_write_is_refused_and_leaves_nothing(disk: Path, name: str) -> None:
    snippet = write_snippets(disk / "target")[name]
    assert prepare_sandbox(snippet) is None
    assert questions_for(snippet) == []
    assert Sandbox().run(snippet, ["attack()"])[0].kind == "refused"


def test_file_write_is_contained_even_unchecked(disk: Path) -> None:
    target = disk / "target"
    source = (
        "def plain():\n    open('pwned.txt', 'w')\n"
        f"def walk():\n    file_io()({str(target / 'x')!r}, 'w')\n"
        + f"def through_sys():\n    sys_module().modules['_io'].open({str(target / 'y')!r}, 'w')\n"
        + FILE_IO
        + SYS_MODULE
    )
    plain, walk, through_sys = unchecked(source, ["plain()", "walk()", "through_sys()"])
    assert plain.exception == "NameError"  # no open among the builtins
    assert walk.kind == "refused" and "open" in walk.message  # the audit hook
    assert through_sys.kind == "refused"


# Finds the real `sys` through a builtin class's function globals: the classic way out.
SYS_MODULE = """
def sys_module():
    for klass in ().__class__.__bases__[0].__subclasses__():
        try:
            found = klass.__init__.__globals__
        except AttributeError:
            continue
        if 'sys' in found:
            return found['sys']
"""


# Finds FileIO among all the classes there are, without naming anything.
FILE_IO = """
def file_io():
    todo = [().__class__.__bases__[0]]
    while todo:
        klass = todo.pop()
        if klass.__name__ == 'FileIO':
            return klass
        try:
            todo.extend(klass.__subclasses__())
        except TypeError:
            pass
"""


def test_subprocess_and_os_system_are_refused(disk: Path) -> None:
    target = disk / "target" / "touched"
    for snippet in (
        f"import subprocess\ndef attack():\n    subprocess.run(['touch', {str(target)!r}])\n",
        f"import os\ndef attack():\n    os.system('touch {target}')\n",
    ):
        assert prepare_sandbox(snippet) is None
        assert questions_for(snippet) == []
    source = (
        SYS_MODULE + "def system():\n"
        f"    sys_module().modules['posix'].system('touch {target}')\n"
        "def popen():\n"
        "    imp = sys_module().modules['builtins'].__import__\n"
        f"    imp('subprocess').run(['touch', {str(target)!r}])\n"
    )
    system, popen = unchecked(source, ["system()", "popen()"])
    assert system.kind == "refused" and "os.system" in system.message
    assert popen.kind == "refused" and "subprocess" in popen.message
    assert not target.exists()


def test_socket_is_refused(disk: Path) -> None:
    snippet = "import socket\ndef attack():\n    socket.create_connection(('example.com', 80))\n"
    assert prepare_sandbox(snippet) is None
    source = (
        SYS_MODULE + "def attack():\n"
        "    imp = sys_module().modules['builtins'].__import__\n"
        "    return imp('socket').socket()\n"
    )
    (outcome,) = unchecked(source, ["attack()"])
    assert outcome.kind == "refused" and "socket" in outcome.message


def test_dunder_import_is_refused(disk: Path) -> None:
    snippet = "def attack():\n    return __import__('os').getcwd()\n"
    assert prepare_sandbox(snippet) is None
    assert questions_for(snippet) == []
    (outcome,) = unchecked(snippet, ["attack()"])
    assert outcome.exception == "ImportError"  # the child's own __import__ refuses os


def test_attribute_tricks_to_reach_builtins(disk: Path) -> None:
    snippets = [
        "def attack():\n    return ().__class__.__bases__[0].__subclasses__()\n",
        "def attack():\n    return (lambda: 0).__globals__['__builtins__']\n",
        "def attack(f=len):\n    return f.__self__.open\n",
        "def attack():\n    return '{0.__class__.__mro__}'.format(())\n",
    ]
    for snippet in snippets:
        assert prepare_sandbox(snippet) is None, snippet
        assert questions_for(snippet) == []
    # unchecked, the walk does reach `sys`; what it then tries is refused
    source = SYS_MODULE + "def attack():\n    return sys_module().modules['posix'].listdir('/')\n"
    target = disk / "target"
    source += f"def remove():\n    sys_module().modules['posix'].rmdir({str(target)!r})\n"
    listing, remove = unchecked(source, ["len(attack())", "remove()"])
    assert listing.kind == "refused"  # only the standard library's folders may be listed
    assert remove.kind == "refused"
    assert target.exists()


def test_open_eval_and_exec_are_refused(disk: Path) -> None:
    for snippet in (
        "def attack():\n    return open('/etc/passwd').read()\n",
        "def attack():\n    return eval('1 + 1')\n",
        "def attack():\n    exec('x = 1')\n",
    ):
        assert prepare_sandbox(snippet) is None
        assert questions_for(snippet) == []
    source = (
        "def reader():\n    return open('/etc/passwd').read()\n"
        "def evaluator():\n    return eval('1 + 1')\n"
        "def executor():\n    exec('x = 1')\n"
    )
    outcomes = unchecked(source, ["reader()", "evaluator()", "executor()"])
    assert [o.exception for o in outcomes] == ["NameError"] * 3
    reading = unchecked(SYS_MODULE, ["sys_module().modules['_io'].open('/etc/passwd').read()"])
    assert reading[0].kind == "refused"  # outside the standard library: not even for reading


def test_infinite_loop_ends_by_timeout(disk: Path) -> None:
    snippet = "def spin():\n    while True:\n        pass\n\ndef ok():\n    return 1\n"
    assert check_code(snippet)  # legal code: the sandbox must stop it
    started = time.monotonic()
    spin, ok = Sandbox().run(snippet, ["spin()", "ok()"])
    assert spin.kind == "timeout"
    assert ok.value == "1"  # the batch goes on after a call that timed out
    assert time.monotonic() - started < WITHIN_A_FEW_SECONDS


def test_a_call_that_times_out_spares_the_rest_of_its_group(disk: Path) -> None:
    snippet = "def spin(n):\n    while True:\n        n += 1\n\ndef ok(n):\n    return n\n"
    calls = ["spin(1)", "spin(2)", "spin(3)", "ok(4)"]
    outcomes = Sandbox().run(snippet, calls, groups=["spin", "spin", "spin", "ok"])
    assert [o.kind for o in outcomes] == ["timeout", "timeout", "timeout", "value"]
    assert outcomes[1].message == "its group timed out"  # one timeout paid, not three


def test_a_loop_that_swallows_the_timeout_is_killed(disk: Path) -> None:
    snippet = (
        "def stubborn():\n"
        "    while True:\n"
        "        try:\n"
        "            while True:\n"
        "                pass\n"
        "        except BaseException:\n"
        "            pass\n"
    )
    started = time.monotonic()
    (outcome,) = Sandbox().run(snippet, ["stubborn()"])
    assert outcome.kind == "timeout"
    assert time.monotonic() - started < WITHIN_A_FEW_SECONDS


def test_the_whole_batch_has_a_deadline(disk: Path) -> None:
    snippet = "def slow(n):\n    while True:\n        n += 1\n"
    started = time.monotonic()
    calls = [f"slow({n})" for n in range(6)]
    outcomes = Sandbox(Limits(call_seconds=0.3, run_seconds=0.5)).run(snippet, calls)
    assert {o.kind for o in outcomes} == {"timeout"}
    assert time.monotonic() - started < WITHIN_A_FEW_SECONDS


def test_huge_memory_is_contained(disk: Path) -> None:
    snippet = (
        "def hog():\n    return len([0] * (10 ** 10))\n\n"
        "def grow():\n    return len(bytearray(2 ** 31))\n"
    )
    assert check_code(snippet)
    for outcome in Sandbox().run(snippet, ["hog()", "grow()"]):
        assert outcome.kind in {"raised", "timeout"}
        if outcome.kind == "raised":
            assert outcome.exception == "MemoryError"


def test_fork_bomb_is_refused_or_contained(disk: Path) -> None:
    bomb = "import os\ndef bomb():\n    while True:\n        os.fork()\n"
    assert prepare_sandbox(bomb) is None
    source = (
        SYS_MODULE + "def bomb():\n    while True:\n        sys_module().modules['posix'].fork()\n"
    )
    (outcome,) = unchecked(source, ["bomb()"])
    assert outcome.kind == "refused" and "fork" in outcome.message


def test_recursion_without_end_is_an_answer_not_a_crash(disk: Path) -> None:
    (outcome,) = Sandbox().run("def f(n):\n    return f(n + 1)\n", ["f(0)"])
    assert outcome.exception == "RecursionError"


def test_a_finalizer_that_never_ends_is_the_call_s_timeout(disk: Path) -> None:
    source = (
        "class Sticky:\n"
        "    def __del__(self):\n"
        "        while True:\n"
        "            pass\n"
        "def make():\n"
        "    sticky = Sticky()\n"
        "    sticky.me = sticky\n"  # a cycle: freed by the collector, not at once
        "    return 1\n"
        "def ok():\n"
        "    return 3\n"
    )
    started = time.monotonic()
    make, ok = Sandbox().run(source, ["make()", "ok()"])
    assert make.kind == "timeout"
    assert ok.value == "3"
    assert time.monotonic() - started < WITHIN_A_FEW_SECONDS


def test_output_is_capped(disk: Path) -> None:
    snippet = "def chatty():\n    for i in range(100000):\n        print('x' * 100)\n    return 1\n"
    (outcome,) = Sandbox().run(snippet, ["chatty()"])
    assert outcome.value == "1"
    assert len(outcome.output) <= 2000


def test_long_values_come_back_truncated(disk: Path) -> None:
    (outcome,) = Sandbox().run("def f():\n    return list(range(10000))\n", ["f()"])
    assert outcome.kind == "value" and outcome.message == "truncated"
    assert outcome.value is not None and len(outcome.value) <= Limits().repr_chars


def test_the_protocol_is_json_not_pickle() -> None:
    for source in (runner.CHILD_SOURCE, Path(runner.__file__).read_text(encoding="utf-8")):
        assert "import pickle" not in source and "pickle.loads" not in source


# -- no question, no trace ---------------------------------------------------------------


def questions_for(snippet: str) -> list[object]:
    """Every question the generators ask about a snippet, with the sandbox the quiz would
    give it (None when the check refuses it)."""
    source = snippet.encode()
    tree = language_named("python").parser().parse(source)
    code = CodeUnderQuiz(
        "python", source, tree, 0, len(source), 1, random.Random(0), prepare_sandbox(snippet)
    )
    exec_types = {"return-value", "empty-input", "loop-count", "raises-on", "return-line"}
    found: list[object] = []
    for generator in all_generators():
        if generator.type in exec_types:
            found += generator.generate(code)
    return found


def test_a_function_that_never_ends_gets_no_question_and_costs_one_timeout(disk: Path) -> None:
    snippet = (
        "def spin(n):\n    while n != 0:\n        n += 1\n    return n\n\n\n"
        "def double(n):\n    return n * 2\n"
    )
    started = time.monotonic()
    questions = questions_for(snippet)
    assert questions  # about double
    assert all("spin" not in q.prompt for q in questions)  # type: ignore[attr-defined]
    assert time.monotonic() - started < WITHIN_A_FEW_SECONDS


def test_an_attempt_anywhere_in_the_region_means_no_exec_question(disk: Path) -> None:
    snippet = (
        "def total(xs):\n    return sum(xs)\n\n"
        f"def save(xs):\n    open({str(disk / 'target' / 'out')!r}, 'w').write(str(xs))\n"
    )
    assert questions_for(snippet) == []
    assert questions_for("def total(xs):\n    return sum(xs)\n") != []
    assert not os.path.exists(disk / "target" / "out")


def test_a_definition_that_needs_a_later_one_runs_once_the_others_have(disk: Path) -> None:
    # package code brought from several modules: a subclass may come before its base
    source = (
        "class Loud(Quiet):\n    def say(self):\n        return self.word().upper()\n\n\n"
        "class Quiet:\n    def word(self):\n        return 'hi'\n\n\n"
        "MISSING = undefined_anywhere + 1\n"
    )
    said, missing = Sandbox().run(source, ["Loud().say()", "MISSING"])
    assert said.value == "'HI'"
    assert missing.exception == "NameError"  # run twice, and still missing: only it is lost


def test_a_call_that_goes_on_past_a_missing_name_is_no_outcome(disk: Path) -> None:
    # package code not brought along leaves a name undefined: a call that catches the
    # NameError and goes on does not do what the package does
    source = (
        "def width(text):\n    try:\n        return measure(text)\n"
        "    except Exception:\n        return len(text)\n\n\n"
        "def plain(text):\n    return measure(text)\n\n\n"
        "def unbound(flag):\n    if flag:\n        value = 1\n    return value\n"
    )
    caught, uncaught, own = Sandbox().run(source, ["width('ab')", "plain('ab')", "unbound(False)"])
    assert caught.kind == "error"
    assert uncaught.exception == "NameError"
    assert own.exception == "UnboundLocalError"  # the code's own mistake is an outcome
