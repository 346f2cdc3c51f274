"""What the static first filter lets through so that real library code gets questions -
gettext's `_("...").format(...)`, `getattr(obj, "literal")`, a function's own variable named
like a module or builtin (`code`, `help`) - and the same shapes used for an escape, which it
still refuses. The code that passes is then run in the OS sandbox, where the child provides
gettext as without a catalogue and a getattr that refuses dunders again."""

from __future__ import annotations

import pytest

from mindgap.gate.sandbox import Sandbox, check_code

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
}

REFUSED = {
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
