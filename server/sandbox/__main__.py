"""Run the sandbox: `python -m server.sandbox [--port 8765] [fault options]`."""

from __future__ import annotations

import argparse
import sys

from .http import serve
from .options import add_arguments, config_from_arguments


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m server.sandbox",
        description="Serve a local GoTo Training sandbox with seeded demo data.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        config = config_from_arguments(args)
        serve(args.host, args.port, config, allow_non_loopback=args.allow_non_loopback)
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
