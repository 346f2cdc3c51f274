"""The `mindgap` command line: the parser; each command's `run` lives in mindgap.commands.

A command's module is imported only when that command runs (see `_command`), so that a
quick command does not pay for the imports of a heavy one.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable

import mindgap
from mindgap.errors import EXIT_USAGE, UsageError
from mindgap.messages import one_line

Run = Callable[[argparse.Namespace], int]


def _command(module: str) -> Run:
    """The `run` of mindgap.commands.<module>, imported when the command is run."""

    def run(args: argparse.Namespace) -> int:
        command: Run = importlib.import_module(f"mindgap.commands.{module}").run
        return command(args)

    return run


class _Version(argparse.Action):
    """`--version`, looked up only when asked for: the version comes from importlib.metadata,
    which costs ~15 ms at every start (issue 12: `mindgap quiz` as a process)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"mindgap {mindgap.__version__}")  # on standard output, as argparse's own
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mindgap", description="Notice code you did not write, and keep you in command of it."
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to standard error")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    serve.set_defaults(run=_command("serve"))
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    serve.add_argument(
        "--stdio", action="store_true", help="use stdio (the default; clients often pass it)"
    )
    serve.add_argument("--log-file", metavar="PATH", help="write the server's log here")

    check = commands.add_parser("check", help="analyse files as the server would")
    check.set_defaults(run=_command("check"))
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument(
        "--inserted",
        action="append",
        default=[],
        metavar="FILE:START-END",
        help="1-based inclusive lines to treat as foreign (repeatable)",
    )
    check.add_argument("--all-foreign", action="store_true", help="treat whole files as foreign")
    check.add_argument("--developer", metavar="EMAIL", help="whose regions and profile to use")
    check.add_argument("--repo", metavar="DIR", help="the repository (default: the current folder)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--fail-on",
        metavar="KINDS",
        default=None,
        help="comma-separated finding kinds that make the exit code 1: convention, dependency,"
        " reinvention, pending-unfamiliar (the default), unfamiliar (hints too),"
        " foreign-region, all, none",
    )
    check.add_argument(
        "--staged", action="store_true", help="check the foreign code that `git add` staged"
    )
    check.add_argument(
        "--gate",
        action="store_true",
        help="with --staged: refuse (exit 1) when staged foreign code is still pending",
    )

    learn = commands.add_parser(
        "learn", help="mine the repository's conventions; print them with their evidence"
    )
    learn.set_defaults(run=_command("learn"))
    learn.add_argument("--repo", metavar="DIR", help="the repository (default: the current folder)")
    learn.add_argument("--format", choices=("text", "json"), default="text")

    profile = commands.add_parser(
        "profile", help="build or show a developer's familiarity profile from git history"
    )
    profile.set_defaults(run=_command("profile"))
    profile.add_argument(
        "--developer",
        action="append",
        metavar="EMAIL",
        help="whose profile (default: git user.email); repeat to add more of their emails",
    )
    profile.add_argument(
        "--repo",
        action="append",
        metavar="DIR",
        help="a repository to read (repeatable; default: the current folder)",
    )
    profile.add_argument("--format", choices=("text", "json"), default="text")

    quiz = commands.add_parser("quiz", help="a quiz about some code, in the terminal or as JSON")
    quiz.set_defaults(run=_command("quiz"))
    quiz.add_argument("target", metavar="FILE:START-END", help="1-based inclusive lines")
    quiz.add_argument("--format", choices=("text", "json"), default="text")
    quiz.add_argument("--with-answers", action="store_true", help="JSON: include the keys")
    quiz.add_argument("--developer", metavar="EMAIL", help="whose ledger records the result")

    explain = commands.add_parser(
        "explain", help="check an explanation of some code; a follow-up question decides"
    )
    explain.set_defaults(run=_command("explain"))
    explain.add_argument("target", metavar="FILE:START-END", help="1-based inclusive lines")
    explain.add_argument("--text", help="the explanation (default: read from standard input)")
    explain.add_argument(
        "--answer", help="the answer to the follow-up question (default: asked in the terminal)"
    )
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.add_argument("--developer", metavar="EMAIL", help="whose ledger records the result")

    report = commands.add_parser("report", help="the understanding debt report")
    report.set_defaults(run=_command("report"))
    report.add_argument("--developer", metavar="EMAIL", help="whose (default: git user.email)")
    report.add_argument(
        "--team", action="store_true", help="everyone's, from the repository's shared notes"
    )
    report.add_argument(
        "--repo", metavar="DIR", help="the repository (default: the current folder)"
    )
    report.add_argument("--format", choices=("text", "json", "html"), default="text")
    report.add_argument("--output", metavar="PATH", help="write the report here")

    share = commands.add_parser(
        "share", help="attach your attestations to commits as git notes (refs/notes/mindgap)"
    )
    share.set_defaults(run=_command("share"))
    share.add_argument("--repo", metavar="DIR", help="the repository (default: the current folder)")
    share.add_argument("--developer", metavar="EMAIL", help="whose (default: git user.email)")
    share.add_argument(
        "--with-explanations", action="store_true", help="also share your explanations"
    )

    hook = commands.add_parser("hook", help="the commit gate as a git pre-commit hook")
    hook.set_defaults(run=_command("hook"))
    hook.add_argument("action", choices=("install", "uninstall"))
    hook.add_argument("--repo", metavar="DIR", help="the repository (default: the current folder)")

    agent = commands.add_parser(
        "agent", help="hooks for coding agents: install, uninstall, status; record is the hook"
    )
    agent.set_defaults(run=_command("agent"))
    agent.add_argument("action", choices=("install", "uninstall", "status", "record", "wait"))
    agent.add_argument("agent", nargs="?", choices=("claude-code", "cursor", "gemini", "codex"))
    scope = agent.add_mutually_exclusive_group()
    scope.add_argument(
        "--project", dest="scope", action="store_const", const="project", help="this repository"
    )
    scope.add_argument(
        "--user", dest="scope", action="store_const", const="user", help="your user settings"
    )
    agent.add_argument("--session", help="wait: only the code of this agent session")
    agent.add_argument(
        "--timeout",
        type=float,
        default=110,  # under the two minutes an agent's shell tool waits by default
        help="wait: give up after this many seconds",
    )

    import_ = commands.add_parser(
        "import", help="lines of your AI-marked commits still in HEAD become foreign regions"
    )
    import_.set_defaults(run=_command("import_"))
    import_.add_argument("--since", metavar="DATE", help="only commits after DATE (git's format)")
    import_.add_argument(
        "--repo", metavar="DIR", help="the repository (default: the current folder)"
    )
    import_.add_argument("--developer", metavar="EMAIL", help="whose (default: git user.email)")

    demo = commands.add_parser("demo", help="show the whole loop on a small example repository")
    demo.set_defaults(run=_command("demo"))
    demo.add_argument("--keep", action="store_true", help="keep the example folder afterwards")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    # pydantic looks for plugins in every installed distribution's entry points when the
    # first model is built (tens of ms at each start); mindgap's models use none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if arguments[:2] == ["agent", "record"] and not {"-h", "--help"} & set(arguments):
        # an agent's hook, once per edit: start light
        from mindgap.commands.agent import run_record

        return run_record(arguments[2:])
    try:
        code = _run(argv)
        if not sys.stdout.closed:  # here, not at exit: a closed pipe is still ours to handle
            sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`mindgap profile | head`): nothing left to say to it
        _silence_stdout()
        return EXIT_USAGE
    except SystemExit as exit:
        # rich ends a write to a closed pipe with SystemExit(1) (stdout already pointed at
        # /dev/null); here 1 would mean "findings"
        if exit.code == 1:
            return EXIT_USAGE
        raise
    return code


def _run(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setLevel(logging.INFO if args.verbose else logging.WARNING)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        handlers=[to_stderr],
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not hasattr(args, "run"):  # no command given
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"mindgap: {one_line(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        raise
    except KeyboardInterrupt:
        print("mindgap: interrupted", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # the contract: one line, exit 2; the traceback only with -v
        if args.verbose:
            logging.getLogger("mindgap").exception("%s failed", args.command)
        print(
            f"mindgap: {args.command} failed: {one_line(f'{type(error).__name__}: {error}')}"
            + ("" if args.verbose else " (run `mindgap -v ...` for the details)"),
            file=sys.stderr,
        )
        return EXIT_USAGE


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it at exit raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
