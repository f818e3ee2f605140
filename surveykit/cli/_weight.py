"""``surveykit weight DATA``: rake a response file to population margins, print diagnostics."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from surveykit._spreadsheet import csv_frame
from surveykit._writing import write_atomic
from surveykit.cli import COMMANDS, add_study_options
from surveykit.ingestion import SOURCES, read_responses
from surveykit.study import Study, StudyFile
from surveykit.weighting import weight_diagnostics

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``weight`` subcommand."""
    parser = subparsers.add_parser(
        "weight",
        help=COMMANDS["weight"],
        description="Weight one response file. Either take everything from a study file "
        "(--study STUDY.yaml --wave ID: instrument, deployment, exclusions, derived "
        "variables, margins, trimming), or give it here: --instrument, --population (long "
        "CSV such as analysis/population/hamarregionen_pop_20_40_2025_2026.csv), --year and "
        "one --margin SAMPLE=POPULATION per margin (crossed margins as a:b=c:d). Prints "
        "the Kish design effect, effective n and target vs achieved per margin; --out "
        "writes row, respondent_id and weight as CSV. Exit 0 ok, 2 on usage or input "
        "errors (e.g. unattainable margins).",
    )
    parser.add_argument("data", type=Path, nargs="?",
                        help="response file (default with --study: the wave's data file)")
    parser.add_argument("--study", type=Path, help="take the settings from this study file")
    parser.add_argument("--wave", help="wave of the study file (default: its last wave)")
    add_study_options(parser, data_root="(default: the study file's data_root)")
    parser.add_argument("--instrument", help="bundled instrument (name@version) or YAML path")
    parser.add_argument("--deployment", type=Path, help="deployment file of the export")
    parser.add_argument("--source", default="auto", choices=SOURCES, help="platform layout")
    parser.add_argument("--population", type=Path, help="long population table (CSV)")
    parser.add_argument("--count", default="pop_jan1_n", help="population count column")
    parser.add_argument("--year", type=int, help="population year (column year_jan1)")
    parser.add_argument("--margin", action="append", default=[],
                        help="SAMPLE=POPULATION column(s), e.g. municipality=knr or "
                        "age_group:sex=age_group:sex (repeatable)")
    parser.add_argument("--universe", help="expression true for rows in the universe, e.g. "
                        "'${municipality} != 9999' (others are excluded)")
    parser.add_argument("--exclude", action="append", default=[],
                        help="validation rule whose rows are excluded, e.g. partial or speeder "
                        "(repeatable)")
    parser.add_argument("--trim", type=float, help="trim weights above this multiple of the "
                        "mean weight (then rake again)")
    parser.add_argument("--out", type=Path, help="write row, respondent_id, weight to CSV")
    parser.set_defaults(func=_run)


def _margins(specs: list[str]) -> list[dict[str, Any]]:
    out = []
    for text in specs:
        if "=" not in text:
            raise ValueError(f"'--margin' must be SAMPLE=POPULATION (got {text!r}), e.g. "
                             "municipality=knr or age_group:sex=age_group:sex.")
        sample, pop = text.split("=", 1)
        out.append({"sample": sample.split(":") if ":" in sample else sample,
                    "population": pop.split(":") if ":" in pop else pop})
    return out


def _direct(args: argparse.Namespace) -> tuple[object, str]:
    if not (args.data and args.instrument and args.population and args.margin):
        raise ValueError("without --study, give DATA, --instrument, --population and at "
                         "least one --margin (see surveykit weight --help).")
    resp = read_responses(args.data, args.instrument, source=args.source,
                          deployment=args.deployment)
    spec = {"method": "rake", "population": str(args.population.resolve()),
            "count": args.count, "year_column": "year_jan1" if args.year else None,
            "margins": _margins(args.margin)}
    if args.trim:
        spec["trim"] = {"upper": args.trim}
    study = Study(StudyFile.model_validate({
        "schema": "surveykit.study/1", "id": "weight", "title": {"en": "weight"},
        "allow_outside": True,  # the paths are this command's own arguments
        "waves": [{"id": "data", "instrument": f"{resp.metadata.instrument_id}@"
                   f"{resp.metadata.instrument_version}", "data": str(args.data.resolve()),
                   "platform": args.source, "population_year": args.year,
                   "deployment": str(args.deployment.resolve()) if args.deployment else None}],
        "exclusions": {"rules": args.exclude, "universe": args.universe},
        "weighting": spec}), None)
    return study.weighted_design("data", data_root=Path.cwd()), "data"


def _run(args: argparse.Namespace) -> int:
    if args.study is not None:
        study = Study.load(args.study)
        wave = args.wave or study.spec.waves[-1].id
        design = study.weighted_design(wave, data_root=args.data_root, data=args.data,
                                       allow_outside=args.allow_outside)
    else:
        design, wave = _direct(args)
    diag = weight_diagnostics(design)
    print(f"wave {wave}: n {diag.n}, sum of weights {diag.sum_weights:.1f}, Kish deff "
          f"{diag.kish_deff:.3f}, effective n {diag.effective_n:.1f}, weights "
          f"{diag.distribution['min']:.3f}-{diag.distribution['max']:.3f}")
    if len(diag.margins):
        last = diag.margins[diag.margins["step"] == diag.margins["step"].max()]
        cols = ["margin", "level", "target", "achieved_now", "relative_difference"]
        print(last[cols].to_string(index=False))
    if args.out is not None:
        data = design.data
        frame = pd.DataFrame({"row": data.index,
                              "respondent_id": data.get("respondent_id"),
                              "weight": design.weights.to_numpy()})
        write_atomic(args.out, csv_frame(frame).to_csv(index=False, lineterminator="\n"))
        print(f"weights written to {args.out} ({len(frame)} rows)")
    return 0
