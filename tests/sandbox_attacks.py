"""Attacks on the sandbox, as AI-written code could carry them, and the world they aim at.

Each attack is the body of `def attack(n: int) -> str`, a function the quiz's planner calls
with an int. The first group needs the Python-level first filter to be OFF
(`MINDGAP_SANDBOX_PYTHON_WALLS=0`) to reach the operating system at all: with it off they run
with the full power of Python, so what stops them is the operating system's wall alone. The
second group are the ways around the Python-level walls that were found by an attack run;
they run with every wall up.

`World` plants what the attacks aim at - canary files with a secret, a folder to write into,
TCP, UDP and Unix listeners on this machine - and checks afterwards that nothing leaked,
nothing changed, nothing connected and the parent lives, its priority unchanged.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

FORGED = "777777"  # the value forged records claim; it must never become a key

# -- the operating system's wall alone (Python-level walls off) ----------------------------

OS_ATTACKS: dict[str, str] = {
    "read a canary file by its absolute path": "return open(CANARY).read()",
    "read a canary through a standard-library path with ..": (
        "import os\n"
        "return open(os.path.dirname(os.__file__) + '/../../../../../../../..' + CANARY).read()"
    ),
    "read the parent's environment in /proc": "return open('/proc/%d/environ' % PARENT).read()",
    "read its own environment in /proc": "return open('/proc/self/environ').read()",
    "list the processes in /proc": "import os\nreturn str(os.listdir('/proc'))",
    "list the folder holding the canary": "import os\nreturn str(os.listdir(HOME))",
    "read a secret from the environment": "import os\nreturn str(dict(os.environ))",
    "read a private key in the home folder": "return open(HOME + '/.ssh/id_ed25519').read()",
    "walk the whole file system for the secret": (
        "import os\n"
        "found = []\n"
        "for root, dirs, files in os.walk('/'):\n"
        "    if root.startswith('/usr') or len(found) > 3:\n"
        "        dirs[:] = []\n"
        "        continue\n"
        "    for name in files:\n"
        "        try:\n"
        "            found.append(open(os.path.join(root, name)).read(200))\n"
        "        except Exception:\n"
        "            pass\n"
        "return str(found)"
    ),
    "create a file in the target folder": "open(TARGET + '/pwned', 'w').write('x')\nreturn 'done'",
    "truncate the canary": "open(CANARY, 'w').close()\nreturn 'done'",
    "append to the canary": "open(CANARY, 'a').write('pwned')\nreturn 'done'",
    "create a file in the host's /tmp": (
        "open('/tmp/' + MARKER, 'w').write('x')\nreturn str(__import__('os').listdir('/tmp'))"
    ),
    "write a large file in its temp folder": (
        "open('/tmp/big', 'wb').write(b'x' * 10_000_000)\nreturn 'done'"
    ),
    "mknod a device node": "import os\nos.mknod(TARGET + '/node')\nreturn 'done'",
    "mknod in its own temp folder": (
        "import os, stat\nos.mknod('/tmp/n', stat.S_IFCHR | 0o600, os.makedev(1, 3))\nreturn 'done'"
    ),
    "mkfifo in the target folder": "import os\nos.mkfifo(TARGET + '/fifo')\nreturn 'done'",
    "mkfifo in its own temp folder": "import os\nos.mkfifo('/tmp/fifo')\nreturn 'done'",
    "symlink to the canary in the temp folder, then read it": (
        "import os\nos.symlink(CANARY, '/tmp/link')\nreturn open('/tmp/link').read()"
    ),
    "hard-link the canary into the temp folder": (
        "import os\nos.link(CANARY, '/tmp/hard')\nreturn open('/tmp/hard').read()"
    ),
    "chroot out": "import os\nos.chroot('/tmp')\nreturn 'done'",
    "run a shell with os.system": (
        "import os\nos.system('touch ' + TARGET + '/spawned')\nreturn 'done'"
    ),
    "run a shell with subprocess": (
        "import subprocess\n"
        "subprocess.run(['/bin/sh', '-c', 'touch ' + TARGET + '/spawned'])\n"
        "return 'done'"
    ),
    "replace itself with execv": (
        "import os\nos.execv('/bin/sh', ['sh', '-c', 'touch ' + TARGET + '/spawned'])"
    ),
    "fork a child that writes": (
        "import os\n"
        "if os.fork() == 0:\n"
        "    open(TARGET + '/forked', 'w')\n"
        "    os._exit(0)\n"
        "return 'done'"
    ),
    "fork bomb": "import os\nwhile True:\n    os.fork()",
    "start a raw thread": (
        "import _thread\n_thread.start_new_thread(lambda: None, ())\nreturn 'started'"
    ),
    "start a threading.Thread": (
        "import threading\nthreading.Thread(target=lambda: None).start()\nreturn 'started'"
    ),
    "kill the parent": "import os\nos.kill(PARENT, 9)\nreturn 'killed'",
    "stop the parent with SIGSTOP": "import os\nos.kill(PARENT, 19)\nreturn 'stopped'",
    "kill the parent's process group": (
        "import os\nos.killpg(os.getpgid(PARENT), 9)\nreturn 'killed'"
    ),
    "kill every process it may": "import os\nos.kill(-1, 9)\nreturn 'killed'",
    "kill a range of pids": (
        "import os\n"
        "for pid in range(1, 500):\n"
        "    try:\n"
        "        os.kill(pid, 9)\n"
        "    except OSError:\n"
        "        pass\n"
        "return 'tried'"
    ),
    "kill the parent through a pidfd": (
        "import os, signal\nsignal.pidfd_send_signal(os.pidfd_open(PARENT), 9)\nreturn 'killed'"
    ),
    "renice the parent": "import os\nos.setpriority(os.PRIO_PROCESS, PARENT, 19)\nreturn 'reniced'",
    "renice every process of the user": (
        "import os\nos.setpriority(os.PRIO_USER, os.getuid(), 19)\nreturn 'reniced'"
    ),
    "connect to a TCP listener": (
        "import socket\n"
        "socket.create_connection(('127.0.0.1', PORT), timeout=2).sendall(b'pwned')\n"
        "return 'connected'"
    ),
    "send a UDP datagram": (
        "import socket\n"
        "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'pwned', ('127.0.0.1', UDP))\n"
        "return 'sent'"
    ),
    "connect to a Unix socket": (
        "import socket\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        "s.connect(UNIX)\n"
        "s.sendall(b'pwned')\n"
        "return 'connected'"
    ),
    "ptrace the parent through ctypes": (
        "import ctypes\nreturn str(ctypes.CDLL(None).ptrace(16, PARENT, 0, 0))"
    ),
    "run a shell through libc's system": (
        "import ctypes\n"
        "ctypes.CDLL(None).system(('touch ' + TARGET + '/spawned').encode())\n"
        "return 'done'"
    ),
    "leave its user namespace with unshare": (
        "import ctypes\nreturn str(ctypes.CDLL(None).unshare(0x10000000))"
    ),
    "mount /proc": (
        "import ctypes\nreturn str(ctypes.CDLL(None).mount(b'proc', b'/tmp', b'proc', 0, None))"
    ),
    "raise its memory limit back": (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
        "return str(bytearray(2 ** 31)[:1])"
    ),
    "flood fd 1 and block on a lock": (
        "import os, threading\n"
        "os.write(1, b'[' * 200000)\n"
        "lock = threading.Lock()\n"
        "lock.acquire()\n"
        "lock.acquire()\n"
        "return 'never'"
    ),
    "forge result lines on fd 1 and exit": (
        "import os, json\n"
        "for i in range(300):\n"
        "    line = json.dumps({'i': i, 'kind': 'value', 'value': FORGED}).encode()\n"
        "    os.write(1, line + b'\\n')\n"
        "os._exit(0)"
    ),
    "deep JSON nesting on every descriptor": (
        "import os\n"
        "for fd in range(0, 64):\n"
        "    try:\n"
        "        os.write(fd, (65535).to_bytes(4, 'big') + b'[' * 65535)\n"
        "    except OSError:\n"
        "        pass\n"
        "return 'nested'"
    ),
    "an oversized frame header": (
        "import os\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        os.write(fd, (2 ** 31).to_bytes(4, 'big'))\n"
        "    except OSError:\n"
        "        pass\n"
        "return 'oversized'"
    ),
    "memory bomb": "x = bytearray(10 ** 11)\nreturn str(len(x))",
    "memory bomb by growth": "x = []\nwhile True:\n    x.append(' ' * 10 ** 6)",
    "CPU spin": "while True:\n    pass",
    "sleep forever": "import time\ntime.sleep(10 ** 6)\nreturn 'woke'",
    "wait for a signal": "import signal\nsignal.pause()\nreturn 'woke'",
    "ignore the CPU timer and spin": (
        "import signal\nsignal.signal(signal.SIGPROF, signal.SIG_IGN)\nwhile True:\n    pass"
    ),
    "close every descriptor": "import os\nos.closerange(0, 1024)\nreturn 'closed'",
    "exit the process early": "import os\nos._exit(3)",
    "a huge return value": "return 'x' * 10 ** 7",
    "reach the network through /dev": "return open('/dev/tcp/127.0.0.1/%d' % PORT, 'w').write('x')",
}

# Code that has broken out of the Python-level walls runs in the worker that reports its own
# batch's outcomes, so it can make up those outcomes - and nothing else: the channel to
# mindgap is held only by the supervisor, so no other code's outcomes, no other batch.
SELF_FORGING: dict[str, str] = {
    "forge framed records on every descriptor and exit": (
        "import os, json\n"
        "for fd in range(0, 64):\n"
        "    for i in range(64):\n"
        "        data = json.dumps({'i': i, 'kind': 'value', 'value': FORGED}).encode()\n"
        "        try:\n"
        "            os.write(fd, len(data).to_bytes(4, 'big') + data)\n"
        "        except OSError:\n"
        "            pass\n"
        "os._exit(0)"
    ),
    "forge its own record, then end the call normally": (
        "import os, json\n"
        "for fd in range(3, 64):\n"
        "    data = json.dumps({'i': 0, 'kind': 'value', 'value': FORGED}).encode()\n"
        "    try:\n"
        "        os.write(fd, len(data).to_bytes(4, 'big') + data)\n"
        "    except OSError:\n"
        "        pass\n"
        "return 'ordinary'"
    ),
}

# -- ways around the Python-level walls (every wall up) --------------------------------------

ESCAPES: dict[str, str] = {
    "computed-name attribute access through functools.update_wrapper": (
        "import functools, random\n"
        "class Grab:\n"
        "    pass\n"
        "name = '_' * 2 + 'glob' + 'als' + '_' * 2\n"
        "grab = Grab()\n"
        "functools.update_wrapper(grab, random.Random.shuffle, assigned=(name,), updated=())\n"
        "os_module = vars(grab)[name]['_os']\n"
        "return os_module.read(os_module.open(CANARY, 0), 200).decode()"
    ),
    "frame walking to the audit hook's closure": (
        "import sys\n"
        "frame = sys._getframe()\n"
        "while frame.f_back is not None:\n"
        "    frame = frame.f_back\n"
        "return str(frame.f_globals.get('__builtins__'))[:50] + open(CANARY).read()"
    ),
    "generator frame reached by a computed attribute name": (
        "def gen():\n"
        "    yield 1\n"
        "g = gen()\n"
        "name = 'gi' + '_frame'\n"
        "frame = vars(type(g)).get(name).__get__(g)\n"
        "return str(frame.f_back.f_globals)[:300] + open(CANARY).read()"
    ),
    "ForwardRef evaluation of a string": (
        "import typing\n"
        "hint = typing.List['open(CANARY).read()']\n"
        "return str(typing.get_type_hints(hint))"
    ),
    "typing evaluates a subscript string": (
        "from typing import List\nreturn str(List[\"__import__('os').listdir('/')\"])"
    ),
    "singledispatch registers a run-time-built annotation": (
        "import functools\n"
        "@functools.singledispatch\n"
        "def handle(x):\n"
        "    return 'plain'\n"
        "def special(x):\n"
        "    return 'special'\n"
        "special.__annotations__ = {'x': 'open(' + repr(CANARY) + ').read()'}\n"
        "handle.register(special)\n"
        "return handle(1)"
    ),
    "format-string attribute access": (
        "template = '{0.' + '_' * 2 + 'globals' + '_' * 2 + '}'\n"
        "return template.format(attack)[:400]"
    ),
    "gc.get_objects to find the os module": (
        "import gc\n"
        "for thing in gc.get_objects():\n"
        "    if type(thing).__name__ == 'module' and thing.__name__ == 'posix':\n"
        "        return thing.read(thing.open(CANARY, 0), 200).decode()\n"
        "return 'none'"
    ),
    "string.Formatter().get_field by a computed name": (
        "import string\n"
        "name = '0.' + '_' * 2 + 'globals' + '_' * 2\n"
        "return str(string.Formatter().get_field(name, [attack], {}))[:400]"
    ),
    "operator.attrgetter by a computed name": (
        "import operator\n"
        "return str(operator.attrgetter('_' * 2 + 'globals' + '_' * 2)(attack))[:400]"
    ),
    "a translated message whose format field walks a frame": (
        "def gen():\n    yield 1\nreturn _('{0.gi_frame.f_back.f_globals}').format(gen())[:400]"
    ),
    "_ rebound to build the template at run time": (
        "def _(message):\n"
        "    return '{0.' + '_' * 2 + 'globals' + '_' * 2 + '}'\n"
        "return _('{0}').format(attack)[:400]"
    ),
    "_ rebound at module level through a global declaration": (
        "global _\n"
        "_ = lambda message: '{0.' + '_' * 2 + 'globals' + '_' * 2 + '}'\n"
        "return _('{0}').format(attack)[:400]"
    ),
    "getattr with a computed dunder name": (
        "import random\n"
        "namespace = getattr(random.Random.shuffle, '_' * 2 + 'globals' + '_' * 2)\n"
        "os_module = namespace['_os']\n"
        "return os_module.read(os_module.open(CANARY, 0), 200).decode()"
    ),
    "getattr of a frame by a literal name": (
        "def gen():\n"
        "    yield 1\n"
        "frame = getattr(getattr(gen(), 'gi_frame'), 'f_back')\n"
        "return str(getattr(frame, 'f_globals'))[:400]"
    ),
    "getattr smuggled in as a default argument": (
        "import random\n"
        "def look(target, name, getattr=getattr):\n"
        "    return getattr(target, name)\n"
        "namespace = look(random.Random.shuffle, '_' * 2 + 'globals' + '_' * 2)\n"
        "os_module = namespace['_os']\n"
        "return os_module.read(os_module.open(CANARY, 0), 200).decode()"
    ),
    "a local variable named os used for the os module": (
        "import random\n"
        "os = getattr(random.Random.shuffle, '_' * 2 + 'globals' + '_' * 2)['_os']\n"
        "return os.read(os.open(CANARY, 0), 200).decode()"
    ),
    "a relative import renaming a builtin past the name check": (
        "from . import open as reader\nreturn reader(CANARY).read()"
    ),
    "a relative import of getattr shadowing the check of its name": (
        "from .helpers import getattr\n"
        "return str(getattr(attack, '_' * 2 + 'globals' + '_' * 2))[:400]"
    ),
    "a relative import in a class body inside the function": (
        "class Grab:\n    from . import os\nreturn Grab.os.popen('cat ' + CANARY).read()"
    ),
    # the child's facades of os, sys and inspect (what `os.path.basename(p)` runs with)
    "the os facade's function reaches the real os through its globals": (
        "real = getattr(os.path.join, '_' * 2 + 'globals' + '_' * 2)['os']\n"
        "return real.popen('cat ' + CANARY).read()"
    ),
    "a format field walks from a facade function to the real os": (
        "template = '{0.' + '_' * 2 + 'globals' + '_' * 2 + '[os].environ}'\n"
        "return template.format(os.path.join) + str(os.path.join)"
    ),
    "the environment read through the os facade": "return str(dict(os.environ))",
    "the environment written through the os facade, then a file opened by it": (
        "os.environ['HOME'] = CANARY\nreturn open(os.path.expanduser('~')).read()"
    ),
    "a file's existence probed through the os facade": (
        "return str(os.path.exists(CANARY)) + str(os.stat(CANARY))"
    ),
    "sys.modules through the sys facade": (
        "return sys.modules['io'].FileIO(CANARY).read().decode()"
    ),
    "a member the sys facade lacks, by a literal getattr": (
        "return getattr(sys, 'modules')['io'].FileIO(CANARY).read().decode()"
    ),
    "the inspect facade's cleandoc reaches frames through its globals": (
        "real = getattr(inspect.cleandoc, '_' * 2 + 'globals' + '_' * 2)['sys']\n"
        "return str(real._getframe(0).f_back.f_globals)[:400] + open(CANARY).read()"
    ),
    "a facade import of a member the facade lacks": (
        "from os import system\nreturn str(system('cat ' + CANARY + ' > ' + TARGET + '/x'))"
    ),
    "a facade import of os.path's member that reads the disk": (
        "from os.path import exists, getsize\nreturn str(exists(CANARY)) + str(getsize(CANARY))"
    ),
    "contextlib's sys through the module": (
        "import contextlib\nreturn contextlib.sys.modules['io'].FileIO(CANARY).read().decode()"
    ),
    "contextlib.chdir to read the canary by a relative path": (
        "import contextlib\n"
        "with contextlib.chdir(HOME):\n"
        "    return str(list(contextlib.closing(iter([CANARY]))))"
    ),
    "typing's sys reached through a local alias": (
        "import typing\n"
        "alias = typing\n"
        "return alias.sys.modules['io'].FileIO(CANARY).read().decode()"
    ),
    "subclasses walk to a loader that reads files": (
        "for klass in ().__class__.__bases__[0].__subclasses__():\n"
        "    if klass.__name__ == 'FileLoader':\n"
        "        return klass('x', CANARY).get_data(CANARY).decode()\n"
        "return 'none'"
    ),
}


# -- package code brought along with the attacked function ----------------------------------
# Each is a module `helpers.py` of a package whose `attack.py` runs `grab(n)` from it (a
# relative import): the quiz brings `grab` and what it needs from the package (classes with
# the methods the first filter refuses made to raise instead), so these run with every wall
# up, through code the first filter saw only piece by piece.

PACKAGE_ESCAPES: dict[str, str] = {
    "a refused method of a brought class, caught by the caller": (
        "class Store:\n"
        "    def size(self, n):\n"
        "        return n + 1\n\n"
        "    def read(self):\n"
        "        return open(CANARY).read()\n\n\n"
        "def grab(n):\n"
        "    try:\n"
        "        return Store().read()\n"
        "    except BaseException as error:\n"
        "        return type(error).__name__ + str(Store().size(n))\n"
    ),
    "a decorator smuggled onto a method the filter refuses": (
        "class Store:\n"
        "    @__import__('os').system('cat ' + CANARY).setter\n"
        "    def read(self):\n"
        "        return open(CANARY).read()\n\n\n"
        "def grab(n):\n"
        "    return Store().read()\n"
    ),
    "a base class that reads the canary as it is defined": (
        "class Base:\n"
        "    secret = open(CANARY).read()\n\n\n"
        "class Store(Base):\n"
        "    def read(self):\n"
        "        return self.secret\n\n\n"
        "def grab(n):\n"
        "    return Store().read()\n"
    ),
    "a helper whose name clashes with one it would replace": (
        "from .attack import CANARY as CANARY\n\n"
        "PARENT = 'not the number'\n\n\n"
        "def grab(n):\n"
        "    return str(PARENT)\n"
    ),
    "a module above the package, reached by a relative import": (
        "from ..outside import forged\n\n\ndef grab(n):\n    return forged(n)\n"
    ),
    "a function importing, in its body, a helper that does I/O": (
        "def grab(n):\n    from .tools import run\n    return run('cat ' + CANARY)\n"
    ),
    "a function importing, in its body, a name the module does not define": (
        "SECRET = CANARY\n\n\n"
        "def grab(n):\n"
        "    from .tools import SECRET\n"
        "    return open(SECRET).read()\n"
    ),
    "a method that needs a module importing os": (
        "from .tools import run\n\n\n"
        "class Store:\n"
        "    def read(self):\n"
        "        return run('cat ' + CANARY)\n\n"
        "    def size(self, n):\n"
        "        return n * 2\n\n\n"
        "def grab(n):\n"
        "    try:\n"
        "        return Store().read()\n"
        "    except BaseException:\n"
        "        return str(Store().size(n))\n"
    ),
}


def plant_package(world: World, helpers: str) -> Path:
    """The package of a PACKAGE_ESCAPES attack under the world's root; the attacked file's
    path. Next to the package: a module that forges a key, reachable only from above it."""
    package = world.root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    constants = attack_source("return grab(n)", world).split("\n\n\ndef attack")[0]
    (package / "helpers.py").write_text(constants + "\n\n\n" + helpers, encoding="utf-8")
    (package / "tools.py").write_text(
        "import os\n\n\ndef run(command):\n    return os.popen(command).read()\n",
        encoding="utf-8",
    )
    (world.root / "outside.py").write_text(
        f"def forged(n):\n    return {FORGED!r}\n", encoding="utf-8"
    )
    attack = package / "attack.py"
    attack.write_text(
        "from .helpers import grab\n\n\n" + attack_source("return grab(n)", world),
        encoding="utf-8",
    )
    return attack


def attack_lines(path: Path) -> tuple[int, int]:
    """The 1-based lines of `def attack` in a planted file (the region a quiz is about)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, start=1) if line.startswith("def attack("))
    return first, len(lines)


def attack_source(body: str, world: World) -> str:
    """The attack as a file: its constants, then `attack` with the body."""
    indented = "\n".join("    " + line if line else line for line in body.splitlines())
    return (
        f"CANARY = {str(world.canary)!r}\n"
        f"HOME = {str(world.home)!r}\n"
        f"TARGET = {str(world.target)!r}\n"
        f"MARKER = {world.marker!r}\n"
        f"FORGED = {FORGED!r}\n"
        f"PARENT = {os.getpid()}\n"
        f"PORT = {world.tcp_port}\n"
        f"UDP = {world.udp_port}\n"
        f"UNIX = {str(world.unix_path)!r}\n"
        "\n\n"
        "def attack(n: int) -> str:\n"
        f"{indented}\n"
    )


@dataclass
class World:
    """What the attacks aim at, planted in `root`; `check()` lists every breach."""

    root: Path
    secret: str = field(default_factory=lambda: "canary-" + secrets.token_hex(12))
    marker: str = field(default_factory=lambda: "mindgap-attack-" + secrets.token_hex(6))
    connections: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.home = self.root / "home"
        self.target = self.root / "target"
        self.home.mkdir()
        self.target.mkdir()
        (self.home / ".ssh").mkdir()
        self.canary = self.home / "canary.txt"
        self.canary.write_text(self.secret)
        (self.home / ".ssh" / "id_ed25519").write_text(self.secret)
        self.canary_stat = self.canary.stat()
        self.nice = os.getpriority(os.PRIO_PROCESS, os.getpid())
        self.tmp_before = set(os.listdir("/tmp"))
        self._tcp = socket.create_server(("127.0.0.1", 0))
        self._tcp.settimeout(0.2)
        self.tcp_port = self._tcp.getsockname()[1]
        self._udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._udp.bind(("127.0.0.1", 0))
        self._udp.settimeout(0.2)
        self.udp_port = self._udp.getsockname()[1]
        self.unix_path = self.root / "listener.sock"
        self._unix = socket.socket(socket.AF_UNIX)
        self._unix.bind(str(self.unix_path))
        self._unix.listen()
        self._unix.settimeout(0.2)
        self._stop = threading.Event()
        self._listener = threading.Thread(target=self._listen, daemon=True)
        self._listener.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            for server, kind in ((self._tcp, "tcp"), (self._unix, "unix")):
                with contextlib.suppress(OSError):
                    connection, _ = server.accept()
                    self.connections.append(kind)
                    connection.close()
            with contextlib.suppress(OSError):
                data, _ = self._udp.recvfrom(100)
                self.connections.append(f"udp {data!r}")

    def close(self) -> None:
        self._stop.set()
        self._listener.join(timeout=2)
        for server in (self._tcp, self._udp, self._unix):
            server.close()

    def check(self, output: str) -> list[str]:
        """Every breach: leaked secret, changed canary, new files, connections, a stopped or
        reniced parent, a forged key."""
        breaches = []
        if self.secret in output:
            breaches.append("the canary's secret reached the output")
        if FORGED in output:
            breaches.append("a forged value reached the output")
        stat = self.canary.stat()
        if (stat.st_size, stat.st_mtime_ns) != (
            self.canary_stat.st_size,
            self.canary_stat.st_mtime_ns,
        ):
            breaches.append("the canary changed")
        if self.canary.read_text() != self.secret:
            breaches.append("the canary's content changed")
        if list(self.target.iterdir()):
            breaches.append(f"files appeared in the target: {list(self.target.iterdir())}")
        new_in_tmp = {n for n in set(os.listdir("/tmp")) - self.tmp_before if self.marker in n}
        if new_in_tmp:
            breaches.append(f"files appeared in /tmp: {new_in_tmp}")
        if self.connections:
            breaches.append(f"connections reached the listeners: {self.connections}")
        if os.getpriority(os.PRIO_PROCESS, os.getpid()) != self.nice:
            breaches.append("the parent was reniced")
        return breaches


def interpreter() -> str:
    return sys.executable
