"""``surveykit diff OLD NEW``: what changed between two instrument versions."""

from __future__ import annotations

import argparse

from surveykit.cli import COMMANDS
from surveykit.instruments import Instrument, diff_instruments, load_instrument

__all__ = ["register", "resolve_instrument"]


def resolve_instrument(spec: str, version: str | None = None) -> Instrument:
    """Load ``name``, ``name@version`` or a file path."""
    if "@" in spec and not spec.endswith((".yaml", ".yml")):
        name, _, at_version = spec.partition("@")
        return load_instrument(name, at_version)
    return load_instrument(spec, version)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``diff`` subcommand."""
    parser = subparsers.add_parser(
        "diff",
        help=COMMANDS["diff"],
        description="List item by item what changed (added, removed, wording, choices, "
        "logic, grid_rows, type, var). OLD and NEW are files or name@version.",
    )
    parser.add_argument("old", help="e.g. reputation@1.0.0 or instruments/reputation/1.0.0.yaml")
    parser.add_argument("new", help="e.g. reputation@2.0.0")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    print(diff_instruments(resolve_instrument(args.old), resolve_instrument(args.new)))
    return 0
