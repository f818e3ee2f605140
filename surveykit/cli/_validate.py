"""``surveykit validate FILE --instrument NAME|PATH``: read and validate a response file."""

from __future__ import annotations

import argparse
from pathlib import Path

from surveykit.cli import COMMANDS
from surveykit.ingestion import SOURCES, read_responses

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate",
        help=COMMANDS["validate"],
        description="Read a platform export, validate it against an instrument and print "
        "the accounting and a summary of every problem. Exit 0 when there are no errors, 1 "
        "when validation errors were found, 2 on usage or unreadable input.",
    )
    parser.add_argument("file", type=Path, help="CSV, XLSX, SAV/ZSAV, DTA or Parquet export")
    parser.add_argument("--instrument", required=True,
                        help="bundled instrument name (name or name@version) or YAML path")
    parser.add_argument("--source", default="auto", choices=SOURCES,
                        help="platform layout (default: detected)")
    parser.add_argument("--deployment", type=Path, help="deployment file mapping the export")
    parser.add_argument("--wave", help="wave label to stamp on every row")
    parser.add_argument("--out", type=Path, help="write the full report (one row per problem) "
                        "to this CSV file")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    resp = read_responses(args.file, args.instrument, source=args.source, wave=args.wave,
                          deployment=args.deployment)
    a = resp.accounting
    print(f"{args.file}: {resp.metadata.source} export, instrument "
          f"{resp.metadata.instrument_id}@{resp.metadata.instrument_version}")
    print(f"rows read {a.read}, accepted {a.accepted}, excluded {a.excluded}")
    summary = resp.report.summary()
    if len(summary):
        print(summary.to_string(index=False))
    if args.out is not None:
        resp.report.to_csv(args.out)
        print(f"report written to {args.out} ({len(resp.report)} rows)")
    return 0 if resp.report.ok else 1
