"""`mindgap serve`: the language server, on stdio (the default) or TCP."""

from __future__ import annotations

import argparse
import logging
import re

from mindgap.errors import EXIT_CLEAN, UsageError


def run(args: argparse.Namespace) -> int:
    address = _tcp_address(args.tcp) if args.tcp else None
    if args.log_file:
        # The file gets everything; standard error (which editors often log as errors)
        # still gets only warnings unless --verbose.
        try:
            to_file = logging.FileHandler(args.log_file, encoding="utf-8")
        except OSError as error:
            raise UsageError(
                f"--log-file {args.log_file}: cannot write it: {error.strerror or error}"
            ) from error
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger().addHandler(to_file)
        logging.getLogger().setLevel(logging.INFO)
    from mindgap.lsp.server import build_server

    server = build_server()
    if address is not None:
        try:
            server.start_tcp(*address)
        except OSError as error:
            raise UsageError(
                f"--tcp {args.tcp}: cannot listen there: {error.strerror or error}"
            ) from error
    else:
        server.start_io()
    return EXIT_CLEAN


def _tcp_address(spec: str) -> tuple[str, int]:
    match = re.fullmatch(r"(.+):([0-9]{1,5})", spec, re.ASCII)
    if not match or not 0 < int(match.group(2)) < 65536:
        raise UsageError(f"--tcp wants HOST:PORT with a port from 1 to 65535, got {spec!r}")
    return match.group(1), int(match.group(2))
