"""``surveykit run STUDY.yaml --out DIR``: run a study file end to end."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from surveykit.cli import COMMANDS, add_format_option, add_study_options
from surveykit.errors import StudyError
from surveykit.study import Study, StudyResult

__all__ = ["register", "summary_lines"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help=COMMANDS["run"],
        description="Run a study file (analysis/<study>/study.yaml) end to end and write the "
        "appendix (HTML, DOCX, XLSX), the numeric tables (tables/*.csv), banner.xlsx (when "
        "the study file has banners:), manifest.json "
        "(versions, instrument fingerprints, SHA-256 of every input, weighting history, "
        "seeds) and timings.json to --out. Exit 0 when the run completed, 1 when it stopped "
        "on validation errors (or finished with errors kept by --on-errors continue), 2 on "
        "usage or input errors.",
    )
    parser.add_argument("study", type=Path, help="the study file (study.yaml)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    add_study_options(parser, data_root="(default: the study file's data_root, relative to "
                      "the study file)")
    parser.add_argument("--on-errors", choices=("stop", "exclude", "continue"),
                        help="what validation errors left after exclusion do (default: the "
                        "study file's exclusions.on_errors)")
    add_format_option(parser, "the study file's report.outputs")
    parser.add_argument("--pdf", action="store_true",
                        help="also print the HTML appendix to PDF with headless Chromium")
    parser.add_argument("--allow-symlinked-out", action="store_true",
                        help="accept an output folder that is a symbolic link (refused by "
                        "default: the run would write into the folder it points to)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="processes working at once (default 1; with 2 or more the "
                        "comparisons run beside the estimates and the appendix formats are "
                        "rendered side by side: the same files)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(func=_run)


def summary_lines(result: StudyResult) -> list[str]:
    """One line per wave (rows read, accepted, excluded) and one with the files written."""
    lines = []
    for wid, wave in result.waves.items():
        a = wave.responses.accounting
        lines.append(f"  wave {wid} ({wave.instrument.ref}): read {a.read}, accepted "
                     f"{a.accepted}, excluded {a.excluded}"
                     + (f", rows with errors kept {wave.errors_left}" if wave.errors_left
                        else ""))
    lines.append(f"  wrote {len(result.files)} files to {result.out}: "
                 + ", ".join(f.as_posix() for f in result.files))
    return lines


def _run(args: argparse.Namespace) -> int:
    study = Study.load(args.study)
    try:
        result = study.run(args.out, data_root=args.data_root, on_errors=args.on_errors,
                           outputs=tuple(args.formats) if args.formats else None,
                           pdf=args.pdf, show_progress=not args.quiet,
                           allow_symlink_out=args.allow_symlinked_out,
                           allow_outside=args.allow_outside, processes=args.jobs)
    except StudyError as exc:
        if getattr(exc, "stage", None) != "validate" or args.debug:
            raise
        print(f"surveykit run: {exc}", file=sys.stderr)
        return 1
    print(f"{study.spec.id}: done")
    print("\n".join(summary_lines(result)))
    return 1 if any(w.errors_left for w in result.waves.values()) else 0
