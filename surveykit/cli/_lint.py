"""``surveykit lint [PATHS] [--record]``: check instrument and crosswalk files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from surveykit.cli import COMMANDS
from surveykit.instruments import lint_instruments

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``lint`` subcommand."""
    parser = subparsers.add_parser(
        "lint",
        help=COMMANDS["lint"],
        description="Check instrument and crosswalk files and report every problem with its "
        "file, key path and fix. Exit 0 when clean, 1 when problems were found, 2 on usage "
        "errors.",
    )
    parser.add_argument("paths", nargs="*", type=Path,
                        help="files or folders (default: the bundled instruments)")
    parser.add_argument("--record", action="store_true",
                        help="record fingerprints of released versions that have none yet")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"surveykit lint: error: no such file or folder: {', '.join(missing)}",
              file=sys.stderr)
        return 2
    report = lint_instruments(args.paths or None, record=args.record)
    print(report)
    return 0 if report.ok else 1
