"""``surveykit demo --out build/demo``: synthetic demo data, then every bundled study on it."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from surveykit.cli import COMMANDS, add_format_option
from surveykit.study import DEMO_DATA_DIRS, write_demo

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help=COMMANDS["demo"],
        description="Write the synthetic data of the demo study (platform exports, "
        "deployments, dispositions, population margins) to OUT/data with "
        "surveykit.make_demo_study, then run the bundled studies (analysis/reputation_2026, "
        "analysis/needs_assessment, analysis/meeting_places) against it into OUT/<study>/: "
        "appendix.html/.docx/.xlsx, tables/*.csv, manifest.json, timings.json. Exit 0 when "
        "every study ran, 2 on errors.",
    )
    parser.add_argument("--out", type=Path, default=Path("build/demo"),
                        help="output directory (default: build/demo)")
    parser.add_argument("--seed", type=int, default=20260301,
                        help="master seed of the synthetic data (default: 20260301)")
    parser.add_argument("--study", action="append", choices=sorted(DEMO_DATA_DIRS),
                        help="run only this bundled study (repeatable; default: all)")
    add_format_option(parser, "each study's outputs")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="studies run at once in separate processes (default: the CPU "
                        "cores, at most one per study; 1: one after the other)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    print(f"surveykit demo: writing synthetic data to {args.out / 'data'}")
    written = write_demo(args.out, seed=args.seed, studies=args.study,
                         formats=tuple(args.formats) if args.formats else None,
                         show_progress=not args.quiet, processes=args.jobs)
    for name, files in written.items():
        print(f"{name}: {len(files)} files in {args.out / name}")
    print(f"surveykit demo: done in {time.perf_counter() - t0:.1f} s; open "
          f"{args.out / 'reputation_2026' / 'appendix.html'}")
    return 0
