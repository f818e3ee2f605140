"""The ``surveykit`` command: a thin shell over the public API.

Each subcommand lives in its own module ``surveykit/cli/_<name>.py`` exposing
``register(subparsers)`` (adds its parser and sets ``func``) and is listed in ``_COMMANDS``.
Exit codes: 0 ok, 1 findings (e.g. lint problems, validation errors), 2 usage or input errors.
Errors print as one line; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from surveykit._version import __version__
from surveykit.errors import SurveykitError

__all__ = ["main"]

#: subcommand modules, in the order ``--help`` lists them
_COMMANDS: tuple[str, ...] = ("lint", "codebook", "diff", "validate", "demo", "run", "weight",
                               "plan")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="surveykit",
        description="Survey instruments, ingestion, weighting and design-based estimation.",
    )
    parser.add_argument("--version", action="version", version=f"surveykit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        importlib.import_module(f"surveykit.cli._{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``surveykit`` command line and return its exit code.

    Examples
    --------
    >>> main(["--version"])  # doctest: +SKIP
    surveykit 0.1.0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (SurveykitError, OSError, KeyError, ValueError, TypeError) as exc:
        if args.debug:
            raise
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"surveykit {args.command}: error: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
