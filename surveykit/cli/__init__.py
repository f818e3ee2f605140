"""The ``surveykit`` command: a thin shell over the public API.

Each subcommand lives in its own module ``surveykit/cli/_<name>.py`` exposing
``register(subparsers)`` (adds its parser and sets ``func``) and is listed in ``COMMANDS``
with its help line. Only the module of the command given is imported (``surveykit --help``
and every command start without the layers they do not use).
Exit codes: 0 ok, 1 findings (e.g. lint problems, validation errors), 2 usage or input errors.
Errors print as one line; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from surveykit._version import __version__
from surveykit.errors import SurveykitError

__all__ = ["main"]

#: subcommand -> its line in ``--help``, in the order ``--help`` lists them
COMMANDS: dict[str, str] = {
    "init": "write a starter study (instrument, deployment, data, study file) to a folder",
    "lint": "check instrument and crosswalk files",
    "codebook": "list the bundled instruments and write codebooks",
    "diff": "what changed between two instrument versions",
    "validate": "validate a response file against an instrument",
    "demo": "generate the synthetic demo data and run every bundled study on it",
    "run": "run a study file: ingest, validate, exclude, weight, estimate, compare, report",
    "weight": "rake a response file to population margins and print weight diagnostics",
    "plan": "plan the next wave: allocation across municipalities, margins, power, invitations",
}


def add_format_option(parser: argparse.ArgumentParser, default: str) -> None:
    """Add ``--format`` (repeatable: html, docx, xlsx), the appendix formats of a run."""
    parser.add_argument("--format", dest="formats", action="append",
                        choices=("html", "docx", "xlsx"),
                        help=f"appendix format (repeatable; default: {default})")


def add_study_options(parser: argparse.ArgumentParser, *, data_root: str) -> None:
    """Add ``--data-root`` and ``--allow-outside``, how a command reads a study's inputs."""
    parser.add_argument("--data-root", type=Path,
                        help=f"folder the study file's data paths are relative to {data_root}")
    parser.add_argument("--allow-outside", action="store_true",
                        help="read study input paths that lead outside the data root and the "
                        "study folder (refused unless the study file allows them)")


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="surveykit",
        description="Survey instruments, ingestion, weighting and design-based estimation.",
    )
    parser.add_argument("--version", action="version", version=f"surveykit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    given = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, line in COMMANDS.items():
        if name == given:
            importlib.import_module(f"surveykit.cli._{name}").register(sub)
        else:  # listed in --help; its module is imported only when it runs
            sub.add_parser(name, help=line)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``surveykit`` command line and return its exit code.

    Examples
    --------
    >>> main(["--version"])  # doctest: +SKIP
    surveykit 0.1.0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(argv)
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
