"""What the static first filter lets through so that real library code gets questions -
gettext's `_("...").format(...)`, `getattr(obj, "literal")`, a function's own variable named
like a module or builtin (`code`, `help`), the computing members of os, sys and inspect
(`os.path.basename(p)`, `sys.platform`), `self.code`, numbers in `Literal[1, -1]` - and the
same shapes used for an escape, which it still refuses. The code that passes is then run in
the OS sandbox, where the child provides gettext as without a catalogue, a getattr that
refuses dunders again, and facades of os, sys and inspect holding those members alone."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from mindgap.gate.quiz import build_quiz
from mindgap.gate.sandbox import Sandbox, check_code
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named

pytestmark = pytest.mark.usefixtures("os_sandbox")

ACCEPTED = {
    "gettext template with named fields and a conversion": (
        "def f(name):\n    return _('No such option {name!r}.').format(name=name)\n"
    ),
    "gettext template with positional fields and a spec": (
        "def f(x):\n    return gettext('{} of {0:>4}').format(x)\n"
    ),
    "ngettext templates": (
        "def f(n):\n    return ngettext('{n} value', '{n} values', n).format(n=n)\n"
    ),
    "gettext in a method, with _ bound in the class body": (
        "class C:\n    _ = 1\n\n    def f(self, n):\n        return _('{}').format(n)\n"
    ),
    "literal template reading a plain attribute": "def f(n):\n    return '{0.real}'.format(n)\n",
    "getattr with a literal name": "def f(s):\n    return getattr(s, 'encoding', None)\n",
    "getattr with a private literal name": "def f(s):\n    return getattr(s, '_meta', {})\n",
    "a parameter named like a module": "def f(code):\n    return code.upper()\n",
    "a parameter named like a builtin": "def f(help=None):\n    return help or 'none'\n",
    "a local named like a module": "def f(x):\n    io = [x]\n    return io\n",
    "a comprehension variable named like a module": (
        "def f(xs):\n    return [code * 2 for code in xs]\n"
    ),
    "a walrus in a comprehension binding a function's local": (
        "def f(xs):\n    [(code := x) for x in xs]\n    return code\n"
    ),
    "a string of underscores": "FRAMES = ['|____________|', '|_|\\\\__________|']\n",
    "a relative import in a function's body": (
        "def f(text):\n    from ._emoji_codes import EMOJI\n    return EMOJI.get(text)\n"
    ),
    "a relative import of private names in a method": (
        "class C:\n    def f(self):\n        from .. import _util, _SIGNS\n        return _SIGNS\n"
    ),
    # the child's facades of os, sys and inspect: members that compute, on unbound names
    "os.path's string functions": (
        "def stem(p):\n    return os.path.splitext(os.path.basename(p))[0]\n"
    ),
    "os.PathLike and os.fspath": (
        "def f(v):\n    return os.fspath(v) if isinstance(v, os.PathLike) else v\n"
    ),
    "sys.platform at the top level": "WIN = sys.platform.startswith('win')\n",
    "sys.version_info sliced and read": (
        "def f():\n    return sys.version_info[:2] >= (3, 9), sys.version_info.major\n"
    ),
    "sys.getfilesystemencoding in a method": (
        "class C:\n    def f(self, b):\n        return b.decode(sys.getfilesystemencoding())\n"
    ),
    "inspect.cleandoc": "def f(text):\n    return inspect.cleandoc(text)\n",
    "a facade's members imported by name": (
        "from os.path import basename, splitext\nfrom inspect import isclass as is_class\n"
    ),
    "contextlib": (
        "import contextlib\n\n@contextlib.contextmanager\ndef f():\n"
        "    with contextlib.suppress(KeyError):\n        yield {}['x']\n"
    ),
    "an attribute named code on self": (
        "class C:\n    def f(self):\n        return self.code.count('x') + len(self.code)\n"
    ),
    "an attribute named code on an exception caught": (
        "def f(g):\n    try:\n        g()\n    except SystemExit as error:\n"
        "        return error.code\n"
    ),
    "os.path.pathsep in a class body": "class P:\n    splitter = os.path.pathsep\n",
    "errno's numbers": "import errno\n\ndef f(e):\n    return e.errno == errno.EPIPE\n",
    "numbers in a Literal annotation": (
        "import typing as t\n\ndef f(d: t.Literal[1, -1], o: t.Literal[True]) -> int:\n"
        "    return d\n"
    ),
}

REFUSED = {
    # facades: only the listed members, only read, only where the code binds no such name
    "os.environ read": "def f():\n    return os.environ.get('HOME')\n",
    "os.getenv": "def f():\n    return os.getenv('HOME')\n",
    "os.environ written": "def f():\n    os.environ['X'] = '1'\n",
    "os.path.exists": "def f(p):\n    return os.path.exists(p)\n",
    "os.path.realpath (reads links)": "def f(p):\n    return os.path.realpath(p)\n",
    "os.path.expanduser (reads the environment)": "def f():\n    return os.path.expanduser('~')\n",
    "os.path as a value": "def f():\n    p = os.path\n    return p.exists('/')\n",
    "os itself as a value": "def f():\n    return os\n",
    "os.listdir": "def f():\n    return os.listdir('/')\n",
    "sys.modules": "def f():\n    return sys.modules['io']\n",
    "sys.stdout written": "def f():\n    sys.stdout.write('x')\n",
    "sys._getframe": "def f():\n    return sys._getframe(0)\n",
    "inspect.currentframe": "def f():\n    return inspect.currentframe()\n",
    "a facade member's globals": "def f():\n    return os.path.join.__globals__\n",
    "a facade member rebound": "def f():\n    os.path.basename = str\n",
    "a facade member deleted": "def f():\n    del sys.platform\n",
    "a facade by getattr": "def f():\n    return getattr(sys, 'platform')\n",
    "os imported by the code": "import os\n\ndef f(p):\n    return os.path.basename(p)\n",
    "os bound at the top level": "os = 1\n\ndef f(p):\n    return os.path.basename(p)\n",
    "os.path's reading member imported by name": "from os.path import exists\n",
    "a facade's member imported with one it lacks": "from inspect import cleandoc, stack\n",
    "os.path imported as a module": "from os import path\n",
    "contextlib.chdir": "import contextlib\n\ndef f():\n    return contextlib.chdir('/')\n",
    "contextlib.chdir imported": "from contextlib import chdir\n",
    "a facade member in a format field": "def f():\n    return '{0.path}'.format(os)\n",
    # `.code` and the like: on a function's own variable, only names no allowed module holds
    "code on a module-level name": "M = 1\n\ndef f():\n    return M.code\n",
    "types on self": "class C:\n    def f(self):\n        return self.types\n",
    "sys through a local alias of typing": (
        "import typing\n\ndef f():\n    alias = typing\n    return alias.sys\n"
    ),
    "a string holding code in a Literal": (
        "import typing as t\n\ndef f(d: t.Literal['open(1)']) -> int:\n    return d\n"
    ),
    # relative imports: in a function's body only, names only, never a denied one
    "a string naming a dunder among underscores": "NAME = '_____class__'\n",
    "a relative import at the top level": "from .util import helper\n",
    "a relative import in a class body": "class C:\n    from .util import helper\n",
    "a relative import renamed": "def f():\n    from .util import helper as h\n    return h\n",
    "a relative import of everything": "def f():\n    from .util import *\n",
    "a relative import of a dunder": "def f():\n    from . import __builtins__\n",
    "a relative import of a builtin's name, then used": (
        "def f():\n    from .util import open\n    return open('x').read()\n"
    ),
    "a relative import of a module's name": "def f():\n    from . import os\n    return os\n",
    "a relative import of getattr": "def f(o):\n    from . import getattr\n    return getattr\n",
    "a relative import of gettext's _ to format a field": (
        "def f(g):\n    from .i18n import _\n    return _('{0.gi_frame}').format(g)\n"
    ),
    # gettext: only the child's own, only literal templates, only plain fields
    "gettext field reading an attribute": "def f(n):\n    return _('{0.real}').format(n)\n",
    "gettext field indexing": "def f(n):\n    return _('{0[0]}').format(n)\n",
    "gettext with a computed template": "def f(n, t):\n    return _(t).format(n)\n",
    "gettext with a template built from parts": (
        "def f(n):\n    return _('{0' + '.real}').format(n)\n"
    ),
    "ngettext with a computed plural": (
        "def f(n, p):\n    return ngettext('{}', p, n).format(n)\n"
    ),
    "gettext with a second argument": "def f(n):\n    return _('{}', n).format(n)\n",
    "_ defined in the file": "def _(m):\n    return m\n\ndef f(n):\n    return _('{}').format(n)\n",
    "_ assigned at module level": "_ = str\n\ndef f(n):\n    return _('{}').format(n)\n",
    "_ a loop variable of the function": (
        "def f(n):\n    for _ in range(2):\n        pass\n    return _('{}').format(n)\n"
    ),
    "_ a parameter of an enclosing function": (
        "def g(_):\n    def f(n):\n        return _('{}').format(n)\n    return f\n"
    ),
    "_ rebound through a global declaration": (
        "def g():\n    global _\n    _ = str\n\ndef f(n):\n    return _('{}').format(n)\n"
    ),
    "_ rebound by a walrus at module level": (
        "[(_ := str) for x in [1]]\n\ndef f(n):\n    return _('{}').format(n)\n"
    ),
    "_ imported under that name": (
        "from string import capwords as _\n\ndef f(n):\n    return _('{}').format(n)\n"
    ),
    "literal template walking a frame": "def f(g):\n    return '{0.gi_frame.f_back}'.format(g)\n",
    "literal template reaching a module": "def f(m):\n    return '{0.os}'.format(m)\n",
    "literal template with a dunder in an index": "def f(m):\n    return '{0[__x__]}'.format(m)\n",
    "nested field reaching a frame": "def f(g):\n    return '{0:{1.gi_frame}}'.format(1, g)\n",
    # getattr: a literal, non-dunder name that obj.name could read, nothing else
    "getattr with a computed name": "def f(x, n):\n    return getattr(x, n)\n",
    "getattr with a dunder name": "def f(x):\n    return getattr(x, '__class__')\n",
    "getattr with a frame attribute": "def f(g):\n    return getattr(g, 'gi_frame')\n",
    "getattr of a module": "def f(m):\n    return getattr(m, 'sys')\n",
    "getattr with a keyword": "def f(x):\n    return getattr(x, name='a')\n",
    "getattr as a value": "def f(x):\n    g = getattr\n    return g(x, 'a')\n",
    "getattr as a default argument": ("def f(x, n, getattr=getattr):\n    return getattr(x, n)\n"),
    "getattr called under a parameter's name": (
        "def f(x, n, getattr):\n    return getattr(x, n)\n"
    ),
    # a module or builtin named where it is not the function's own variable
    "a module read in a default argument": "def f(x, code=code):\n    return code\n",
    "a module in a comprehension's first iterable": (
        "def f():\n    return [x for os in os.environ for x in os]\n"
    ),
    "a module name that is a class attribute, read in a method": (
        "class C:\n    os = 1\n\n    def f(self):\n        return os.environ\n"
    ),
    "a module name declared global": ("def f():\n    global code\n    code = 1\n    return code\n"),
    "a module name bound by a walrus inside a lambda": (
        "def f():\n    [lambda: (os := 1) for x in [1]]\n    return os.environ\n"
    ),
    "eval as a parameter": "def f(eval):\n    return eval('1')\n",
    "a dunder name bound locally": "def f(__builtins__):\n    return __builtins__\n",
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted(name: str) -> None:
    verdict = check_code(ACCEPTED[name])
    assert verdict.safe, verdict.reason


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused(name: str) -> None:
    verdict = check_code(REFUSED[name])
    assert not verdict.safe, name
    assert verdict.reason


def test_the_child_runs_gettext_as_written_in_english_and_getattr_by_literal_names() -> None:
    code = (
        "def describe(name, nargs):\n"
        "    if nargs < 0:\n"
        "        return _('Argument {name!r} takes any number.').format(name=name)\n"
        "    return ngettext('{n} value for {name}', '{n} values for {name}', nargs).format(\n"
        "        n=nargs, name=name\n"
        "    )\n"
        "\n"
        "def encoding(value):\n"
        "    return getattr(value, 'real', None), getattr(value, 'missing', 'none')\n"
    )
    with Sandbox(rounds=1) as sandbox:
        outcomes = sandbox.run(
            code, ["describe('x', -1)", "describe('x', 1)", "describe('x', 2)", "encoding(3)"]
        )
    assert [o.value for o in outcomes] == [
        "\"Argument 'x' takes any number.\"",
        "'1 value for x'",
        "'2 values for x'",
        "(3, 'none')",
    ]


def test_the_child_s_getattr_refuses_dunders_computed_past_the_filter() -> None:
    code = "def grab(f):\n    return getattr(f, '_' * 2 + 'globals' + '_' * 2)\n"
    with Sandbox(rounds=1) as sandbox:
        (checked,) = sandbox.run(code, ["grab(grab)"])
        (unchecked,) = sandbox.run_unchecked(code, ["grab(grab)"])
    assert checked.kind == "refused"
    assert unchecked.kind == "raised" and unchecked.exception == "AttributeError"


def test_the_child_gives_a_relative_import_from_the_definitions_only() -> None:
    definitions = (
        "EMOJI = {'smile': ':)'}\n\n\n"
        "def found(name):\n    from ._emoji_codes import EMOJI\n\n"
        "    return EMOJI.get(name, '?')\n\n\n"
        "def missing(name):\n    try:\n        from ._emoji_codes import MISSING\n"
        "    except ImportError:\n        return 'caught'\n    return MISSING\n"
    )
    assert check_code(definitions)
    with Sandbox(rounds=1) as sandbox:
        smile, other, missing = sandbox.run(
            definitions, ["found('smile')", "found('x')", "missing('x')"]
        )
        # past the first filter: a dunder is not given, whatever the definitions hold
        (dunder,) = sandbox.run_unchecked(
            "def f():\n    from . import __builtins__\n    return 1\n", ["f()"]
        )
    assert (smile.value, other.value) == ("':)'", "'?'")
    # a name the definitions lack: no outcome, even though the code caught the ImportError
    assert missing.kind == "error"
    assert dunder.kind == "error"


def test_everyday_attribute_names_are_held_by_no_allowed_module() -> None:
    """`self.code` is allowed because no module the sandbox imports has a `code`: a variable
    cannot have reached the code module through one."""
    import importlib

    from mindgap.gate.sandbox.policy import ALLOWED_MODULES, EVERYDAY_ATTRIBUTE_NAMES

    for module in sorted(ALLOWED_MODULES):
        held = set(vars(importlib.import_module(module))) & EVERYDAY_ATTRIBUTE_NAMES
        assert not held, (module, held)


FACADES = """\
import contextlib
from os.path import dirname

WIN = sys.platform.startswith("win")


def stem(p):
    return os.path.splitext(os.path.basename(p))[0]


def facts():
    return WIN, os.sep, sys.getfilesystemencoding(), sys.version_info[0], os.fspath("a/b")


def doc(text):
    with contextlib.suppress(AttributeError):
        return inspect.cleandoc(text), dirname("/srv/app/x.py")
    return "not text"


def members():
    return sorted(n for n in os.__dict__ if n[0] != "_"), sorted(os.path.__dict__)
"""


def test_the_child_gives_os_sys_and_inspect_holding_only_what_computes() -> None:
    assert check_code(FACADES.split("\n\n\ndef members")[0])
    with Sandbox(rounds=1) as sandbox:
        stem, facts, doc, not_text = sandbox.run(
            FACADES.split("\n\n\ndef members")[0],
            ["stem('/srv/app/report.tar.gz')", "facts()", "doc('  Title\\n\\n  body')", "doc(1)"],
        )
        # past the first filter (it refuses dunders): what the facades hold
        (held,) = sandbox.run_unchecked(FACADES, ["members()"])
    assert stem.value == "'report.tar'"
    # this machine's facts: the sandbox runs only on Linux, with a UTF-8 interpreter
    assert facts.value == "(False, '/', 'utf-8', 3, 'a/b')"
    assert doc.value == repr(("Title\n\nbody", "/srv/app"))
    assert not_text.value == "'not text'"
    assert held.kind == "value", held
    os_members, path_members = ast.literal_eval(held.value or "")
    assert "environ" not in os_members and "system" not in os_members
    assert "path" in os_members and "exists" not in path_members
    assert set(path_members) - {"__name__", "__doc__", "__package__", "__loader__", "__spec__"} == {
        "basename", "commonprefix", "dirname", "isabs", "join", "normcase", "normpath", "sep",
        "split", "splitext", "pathsep", "extsep", "curdir", "pardir", "altsep",
    }  # fmt: skip


def test_what_one_call_does_to_a_facade_the_next_call_does_not_find() -> None:
    code = (
        "def spoil():\n    os.path.basename = str.upper\n    return 1\n\n"
        "def name(p):\n    return os.path.basename(p)\n"
    )
    assert not check_code(code)  # the first filter refuses the store
    with Sandbox(rounds=1) as sandbox:
        _, after = sandbox.run_unchecked(code, ["spoil()", "name('/a/b')"])
    assert after.value == "'b'"


def test_click_s_get_short_help_str_gets_questions_whose_keys_click_confirms() -> None:
    """click's Command.get_short_help_str calls `inspect.cleandoc(self.short_help)`: refused
    before the inspect facade, it now gets return-value questions from real runs. Each key is
    checked here against click itself, on an object holding what the prompt gives."""
    core = pytest.importorskip("click.core")
    path = Path(core.__file__)
    text = path.read_text(encoding="utf-8")
    command = next(n for n in ast.parse(text).body if getattr(n, "name", "") == "Command")
    assert isinstance(command, ast.ClassDef)
    method = next(n for n in command.body if getattr(n, "name", "") == "get_short_help_str")
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: method.lineno - 1])
    end = sum(len(line) for line in lines[: method.end_lineno])
    assert "inspect.cleandoc(" in text[start:end]
    document = SyntaxDocument(path.as_uri(), text, language_named("python"))
    asked = [q for q in build_quiz(document, start, end).questions if q.type == "return-value"]
    assert asked
    for question in asked:
        given = {
            name: ast.literal_eval(value)
            for name, value in re.findall(r"`self\.(\w+) = ([^`]+)`", question.prompt)
        }
        call = re.search(r"`self\.get_short_help_str\(([^)]*)\)`", question.prompt)
        assert call is not None, question.prompt
        arguments = ast.literal_eval(f"({call.group(1)},)") if call.group(1) else ()
        self = SimpleNamespace(short_help=None, help=None, deprecated=False)
        vars(self).update(given)
        assert question.answer == repr(core.Command.get_short_help_str(self, *arguments))
