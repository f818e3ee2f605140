"""``surveykit plan PLAN.yaml --out DIR``: plan the next wave of a study from its baseline."""

from __future__ import annotations

import argparse
from pathlib import Path

from surveykit.cli import COMMANDS, add_format_option, add_study_options
from surveykit.study import run_plan

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``plan`` subcommand."""
    parser = subparsers.add_parser(
        "plan",
        help=COMMANDS["plan"],
        description="Run a plan file (analysis/<study>/plan.yaml): weight the baseline wave of "
        "its study, take design effects, item variances and the AAPOR response rate from it "
        "(each with its source), allocate the net sample across the strata by every "
        "allocation listed, and write the margins per stratum, the power to detect each "
        "target change, the invitations needed and the recommended allocation to --out: "
        "tables/plan_*.csv and the planning appendix plan.html/.docx/.xlsx. Exit 0 ok, 2 on "
        "usage or input errors.",
    )
    parser.add_argument("plan", type=Path, help="the plan file (plan.yaml)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    add_study_options(parser, data_root="(default: the study file's data_root)")
    add_format_option(parser, "the plan's report.outputs")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    result = run_plan(args.plan, args.out, data_root=args.data_root,
                      outputs=tuple(args.formats) if args.formats else None,
                      allow_outside=args.allow_outside)
    p = result.plan
    print(f"{p.id}: net n {p.net_n} per wave, baseline wave {p.baseline}")
    for (name, block) in result.power.groupby("allocation", sort=False):
        parts = ", ".join(f"{r.target} power {r.power:.1%} (n needed {r.n_needed})"
                          for r in block.itertuples())
        print(f"  {name}: {parts}")
    print(f"  recommended: {result.recommended or 'none reaches the power sought'}")
    print(f"  wrote {len(result.files)} files to {args.out}")
    return 0
