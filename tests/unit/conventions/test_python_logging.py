"""Python logging: print or a logger in library code, and how the logger is obtained."""

from __future__ import annotations

from tests.unit.conventions.python_observe import observations, rewritten, sites

LIBRARY = """
import logging
import sys

logger = logging.getLogger(__name__)
audit_log = logging.getLogger("shop.audit")
logging.getLogger("urllib3").setLevel(logging.WARNING)
root = logging.getLogger()


class Cart:
    def add(self, item):
        print("adding", item)
        print("warning", file=sys.stderr)
        print(item, file=self.receipt)
        logger.info("added %s", item)
        audit_log.warning("audit %s", item)
        self.log.debug("debug")
        logging.error("to the root logger")
        math.log(2)
"""


def test_library_code_votes_print_against_loggers_and_how_loggers_are_obtained() -> None:
    assert sites("logging", LIBRARY) == [
        ("logger", "name", "logging.getLogger(__name__)"),
        ("logger", "named", 'logging.getLogger("shop.audit")'),
        ("output", "print", "print"),
        ("output", "print", "print"),
        ("output", "logger", "logger.info"),
        ("output", "logger", "audit_log.warning"),
        ("output", "logger", "self.log.debug"),
        ("output", "logging module", "logging.error"),
    ]


def test_a_hand_named_logger_rewrites_to_the_module_name() -> None:
    named = next(o for o in observations("logging", LIBRARY) if o.choice == "named")
    assert named.rewrites == {"name": "logging.getLogger(__name__)"}
    assert "audit_log = logging.getLogger(__name__)\n" in rewritten(LIBRARY, named, "name")


def test_prints_in_scripts_and_command_line_programs_do_not_vote() -> None:
    script = 'def run():\n    print("done")\n\nif __name__ == "__main__":\n    run()\n'
    cli = (
        "import argparse\n\ndef run():\n    argparse.ArgumentParser().parse_args()\n"
        '    print("done")\n'
    )
    commands = 'import click\n\n@click.command()\ndef run():\n    print("done")\n'
    main = 'def main():\n    print("usage")\n'
    assert sites("logging", script) == []
    assert sites("logging", cli) == []
    assert sites("logging", commands) == []
    assert sites("logging", main) == []
    assert sites("logging", 'print("x")\n', path="scripts/release.py") == []
    assert sites("logging", 'print("x")\n', path="pkg/__main__.py") == []
    assert sites("logging", 'print("x")\n', path="pkg/tool.py") == [("output", "print", "print")]


def test_other_logging_libraries() -> None:
    code = """
    import structlog
    from loguru import logger

    events = structlog.get_logger()
    logger.info("loguru")
    events.info("structlog")
    """
    assert sites("logging", code) == [
        ("logger", "loguru", "logger"),
        ("logger", "structlog", "structlog.get_logger()"),
        ("output", "logger", "logger.info"),
        ("output", "logger", "events.info"),
    ]


def test_importing_click_only_for_colours_does_not_make_a_command_line_program() -> None:
    colours = (
        "import click\n\n\ndef started(port):\n"
        "    print(click.style(f'serving on {port}', fg='green'))\n"
    )
    assert sites("logging", colours, path="pkg/server.py") == [("output", "print", "print")]
