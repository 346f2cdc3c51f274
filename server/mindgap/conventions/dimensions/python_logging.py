"""Python logging: print or a logger for messages, and how the logger is obtained.

Aspect "output": a message goes out through `print(...)`, a logger (`logger.info(...)`,
`self.log.warning(...)`), or the logging module's own functions (`logging.info(...)`, which
write to the root logger). `print` is the interface of a command-line program, not a
choice there: prints are not counted in scripts (a `__main__` block, `__main__.py`,
`cli.py`, setup/manage/noxfile, files under scripts/, bin/, examples/, docs/, tools/),
in files that parse a command line (a parser, a command or option decorator of argparse,
click, typer, fire, docopt - importing click for `click.style` alone is not one), in functions
named `main`, nor when they write to a file (`file=` other than sys.stdout/sys.stderr).

Aspect "logger": a logger bound to a name (`logger = logging.getLogger(__name__)`) is
obtained by module name, by a hand-written name, from structlog, or is loguru's. A bare
`getLogger()` (the root logger) and getLogger calls whose result is not kept in a
logger-like name (configuring a library's logger) are not a choice of one's own logger.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    FUNCTION_SCOPES,
    PYTHON,
    Imports,
    captures,
    enclosing,
    file_captures,
    imports_of,
    observe,
    register,
    text,
    word_anchor,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "logging"

_LEVELS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})
_LEVEL_WORDS = " ".join(f'"{level}"' for level in sorted(_LEVELS))
_QUERY = register(  # only calls of a level's name: a file has ten times more other calls
    f"""
(call function: (identifier) @print (#eq? @print "print")) @print_call
(call function: (attribute
    object: (_) @receiver
    attribute: (identifier) @level (#any-of? @level {_LEVEL_WORDS}))) @log_call
(import_from_statement) @from_import
"""
)
# What the whole file says, even when only a region of it is observed: whether it is a
# script, and the names it binds loggers to. Each match contains its anchor word.
_MAIN_QUERY = register(
    """
(if_statement condition: (comparison_operator
   (identifier) @dunder (#eq? @dunder "__name__")
   (string (string_content) @main (#eq? @main "__main__"))))
"""
)
_MAIN_WORD = re.compile(rb"__main__")
_OBTAIN_QUERY = register("(assignment left: (_) @target right: (call) @obtain)")
_LOGGER_FUNCTIONS = frozenset({"logging.getLogger", "structlog.get_logger", "structlog.getLogger"})
_LOGGER_NAMES = frozenset({"logger", "log", "_logger", "_log", "LOGGER", "LOG", "_LOGGER", "_LOG"})
_CLI_MODULES = frozenset({"argparse", "click", "typer", "fire", "docopt", "optparse"})
_SCRIPT_FILES = frozenset(
    {"__main__.py", "cli.py", "setup.py", "manage.py", "noxfile.py", "tasks.py", "fabfile.py"}
)
_SCRIPT_FOLDERS = frozenset(
    {"scripts", "script", "bin", "examples", "example", "docs", "doc", "tools", "demo", "bench"}
)
_CONSOLE_STREAMS = frozenset({"sys.stdout", "sys.stderr"})
# What a module that parses a command line contains: a parser, a command, a CLI entry
_DEFINES_A_CLI = re.compile(
    r"ArgumentParser\(|OptionParser\(|add_argument\(|parse_args\("
    r"|@\s*[\w.]*\b(?:command|group|option|argument|version_option|pass_context)\b"
    r"|\bTyper\(|\bFire\(|\bdocopt\(|\bclick\.(?:command|group|Command|Group)\b"
)


def _is_script(source: SourceFile, imports: Imports) -> bool:
    path = PurePosixPath(source.path)
    if path.name in _SCRIPT_FILES or _SCRIPT_FOLDERS.intersection(path.parts[:-1]):
        return True
    if file_captures(source, _MAIN_QUERY, _MAIN_WORD).get("main"):
        return True
    imported = {module.split(".")[0] for module in imports.modules.values()}
    imported |= {name.split(".")[0] for name in imports.names.values()}
    # importing click only for its colours (`click.style`) does not make a command line
    return bool(imported & _CLI_MODULES) and bool(_DEFINES_A_CLI.search(source.text))


def _writes_to_file(call: tree_sitter.Node) -> bool:
    arguments = call.child_by_field_name("arguments")
    for argument in arguments.named_children if arguments else []:
        if (
            argument.type == "keyword_argument"
            and text(argument.child_by_field_name("name")) == "file"
        ):
            return text(argument.child_by_field_name("value")) not in _CONSOLE_STREAMS
    return False


def _in_main_function(node: tree_sitter.Node) -> bool:
    scope = enclosing(node, FUNCTION_SCOPES)
    while scope is not None and scope.type == "function_definition":
        if text(scope.child_by_field_name("name")) == "main":
            return True
        scope = enclosing(scope, FUNCTION_SCOPES)
    return False


def _obtaining_calls(source: SourceFile, imports: Imports) -> list[tuple[tree_sitter.Node, str]]:
    """The calls whose result is assigned to something that obtain a logger, with how
    (`_obtained_how`): their function is named getLogger or get_logger, or imported as one of
    them - a file assigns thousands of calls, so the name is looked at before the imports."""
    words = {"getLogger", "get_logger"} | {
        local
        for local, qualified in (*imports.names.items(), *imports.modules.items())
        if qualified in _LOGGER_FUNCTIONS
    }
    found = []
    for call in file_captures(source, _OBTAIN_QUERY, word_anchor(*words)).get("obtain", []):
        function = call.child_by_field_name("function")
        if function is not None and function.type == "attribute":
            function = function.child_by_field_name("attribute")
        if function is None or function.type != "identifier" or text(function) not in words:
            continue  # `imports.qualified` of it is not one of _LOGGER_FUNCTIONS
        how = _obtained_how(call, imports)
        if how is not None:
            found.append((call, how))
    return found


def _logger_names(obtaining: list[tuple[tree_sitter.Node, str]], imports: Imports) -> set[str]:
    """Names this file binds to a logger, besides the usual ones."""
    names = set(_LOGGER_NAMES)
    for call, _how in obtaining:
        target = call.parent.child_by_field_name("left") if call.parent else None
        names.add(text(target))
    names.update(
        local for local, qualified in imports.names.items() if qualified == "loguru.logger"
    )
    return names


def _is_logger(receiver: tree_sitter.Node, logger_names: set[str]) -> bool:
    if receiver.type == "identifier":
        return text(receiver) in logger_names
    if receiver.type == "attribute":
        owner = receiver.child_by_field_name("object")
        attribute = text(receiver.child_by_field_name("attribute"))
        return owner is not None and text(owner) in ("self", "cls") and attribute in _LOGGER_NAMES
    return False


def _obtained_how(call: tree_sitter.Node, imports: Imports) -> str | None:
    function = call.child_by_field_name("function")
    qualified = imports.qualified(function) if function is not None else ""
    if qualified not in _LOGGER_FUNCTIONS:
        return None
    if qualified != "logging.getLogger":
        return "structlog"
    arguments = call.child_by_field_name("arguments")
    values = arguments.named_children if arguments else []
    if not values:
        return None  # the root logger: configuration, not a module's own logger
    return "name" if text(values[0]) == "__name__" else "named"


def _observe(source: SourceFile) -> Iterator[Observation]:
    found = captures(source, _QUERY)
    imports = imports_of(source)
    obtaining = _obtaining_calls(source, imports)
    if not _is_script(source, imports):
        for call in found.get("print_call", []):
            if not _writes_to_file(call) and not _in_main_function(call):
                yield observe(
                    source,
                    DIMENSION,
                    "output",
                    "print",
                    call.child_by_field_name("function") or call,
                )
    logger_names = _logger_names(obtaining, imports)
    for call in found.get("log_call", []):
        function = call.child_by_field_name("function")
        if function is None or text(function.child_by_field_name("attribute")) not in _LEVELS:
            continue
        receiver = function.child_by_field_name("object")
        if receiver is None:
            continue
        if imports.qualified(receiver) == "logging":
            yield observe(source, DIMENSION, "output", "logging module", function)
        elif _is_logger(receiver, logger_names):
            yield observe(source, DIMENSION, "output", "logger", function)
    for call, how in obtaining:
        target = call.parent.child_by_field_name("left") if call.parent else None
        if target is None:
            continue
        if how != "structlog" and "log" not in text(target).lower():
            continue  # `urllib3_handle = getLogger("urllib3")`: configuring a library
        rewrites = {}
        if how == "named":
            rewrites["name"] = f"{text(call.child_by_field_name('function'))}(__name__)"
        yield observe(source, DIMENSION, "logger", how, call, rewrites)
    for statement in found.get("from_import", []):
        if text(statement.child_by_field_name("module_name")) != "loguru":
            continue
        for item in statement.children_by_field_name("name"):
            if text(item).split(" ")[0] == "logger":
                yield observe(source, DIMENSION, "logger", "loguru", item)


_WORDS = words_of(__name__)  # python_logging.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
