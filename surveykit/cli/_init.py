"""``surveykit init FOLDER``: write a starter study that ``surveykit run`` accepts as written.

The folder gets an instrument (``instruments/wellbeing/1.0.0.yaml``), a deployment
(``deployments/2026-generic.yaml``), a small synthetic export (``data/2026-generic.csv``, 60
made-up respondents) and the study file (``study.yaml``): the minimal examples of
docs/writing-a-study.md, ready to be edited into one's own study.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from surveykit._writing import write_atomic
from surveykit.cli import COMMANDS

__all__ = ["DEPLOYMENT", "INSTRUMENT", "STUDY", "register", "starter_data", "write_starter"]

INSTRUMENT = """\
# The questionnaire: what was asked, the answer codes and their labels (see
# docs/writing-a-study.md). Change `version` whenever what is asked changes.
schema: surveykit.instrument/1
id: wellbeing
version: 1.0.0
status: draft
title: {nb: "Trivsel i nabolaget", en: "Neighbourhood well-being"}
universe: {nb: "Voksne beboere", en: "Adult residents"}
languages:
  source: en
  targets: [nb]
  names: {en: English, nb: Norsk bokmål}
choice_lists:
  area:
    measure: nominal
    options:
      - {code: 1, label: {en: North, nb: Nord}}
      - {code: 2, label: {en: South, nb: Sør}}
  satisfaction5:
    measure: ordinal
    options:
      - {code: 1, label: {en: Very dissatisfied, nb: Svært misfornøyd}}
      - {code: 2, label: {en: Fairly dissatisfied, nb: Ganske misfornøyd}}
      - {code: 3, label: {en: Neither, nb: Verken eller}}
      - {code: 4, label: {en: Fairly satisfied, nb: Ganske fornøyd}}
      - {code: 5, label: {en: Very satisfied, nb: Svært fornøyd}}
    missing:
      - {code: 98, kind: dont_know, label: {en: "Don't know", nb: Vet ikke}}
items:
  - id: age
    var: age
    type: integer
    required: true
    constraint: {min: 18, max: 99}
    text: {en: "How old are you?", nb: "Hvor gammel er du?"}
  - id: area
    var: area
    type: single
    choices: area
    required: true
    text: {en: "Which part of town do you live in?", nb: "Hvilken del av byen bor du i?"}
  - id: satisfaction
    var: satisfaction
    type: single
    choices: satisfaction5
    required: true
    text:
      en: "How satisfied are you with your neighbourhood?"
      nb: "Hvor fornøyd er du med nabolaget ditt?"
"""

DEPLOYMENT = """\
# How the platform's export maps onto the instrument: which column holds the
# respondent id, and which export column is which instrument variable.
schema: surveykit.deployment/1
instrument: wellbeing@1.0.0
wave: "2026"
platform: generic
respondent_id: id
columns: {q1: age, q2: area, q3: satisfaction}
"""

STUDY = """\
# The study: which data files, read with which instrument and deployment, and what
# to estimate and report. Run it with: surveykit run study.yaml --out build
schema: surveykit.study/1
id: wellbeing_2026
title: {en: "Neighbourhood well-being 2026", nb: "Trivsel i nabolaget 2026"}
waves:
  - id: "2026"
    instrument: instruments/wellbeing/1.0.0.yaml
    data: data/2026-generic.csv
    platform: generic
    deployment: deployments/2026-generic.yaml
analysis:
  domains: [area]
report:
  language: en
  outputs: [html, xlsx]
"""

_SATISFACTION = (4, 5, 3, 4, 2, 98, 5, 4, 3, 1)  # 98: "don't know"


def starter_data(n: int = 60) -> str:
    """Return the starter export as CSV: ``id``, ``q1`` (age), ``q2`` (area), ``q3``.

    Examples
    --------
    >>> starter_data(2).splitlines()
    ['id,q1,q2,q3', 'r001,18,1,4', 'r002,25,2,5']

    """
    rows = ["id,q1,q2,q3"]
    rows += [f"r{k + 1:03d},{18 + (k * 7) % 60},{1 + k % 2},{_SATISFACTION[k % 10]}"
             for k in range(n)]
    return "\n".join(rows) + "\n"


def write_starter(folder: Path) -> list[Path]:
    """Write the starter study into ``folder`` (created; it must be empty if it exists).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_starter(Path(tmp) / "mystudy")]
    ['1.0.0.yaml', '2026-generic.yaml', '2026-generic.csv', 'study.yaml']

    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(f"{folder} exists and is not an empty folder; name a new folder "
                              "(surveykit init never overwrites files).")
    files = {"instruments/wellbeing/1.0.0.yaml": INSTRUMENT,
             "deployments/2026-generic.yaml": DEPLOYMENT,
             "data/2026-generic.csv": starter_data(), "study.yaml": STUDY}
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(write_atomic(path, text))
    return written


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``init`` subcommand."""
    parser = subparsers.add_parser(
        "init",
        help=COMMANDS["init"],
        description="Write a minimal working study into FOLDER: an instrument, a deployment, "
        "a small synthetic export and study.yaml, as described in docs/writing-a-study.md. "
        "Run it with `surveykit run FOLDER/study.yaml --out FOLDER/build`, then edit the "
        "files into your own study. Exit 0 when written, 2 when FOLDER is not empty.",
    )
    parser.add_argument("folder", type=Path, help="new (or empty) folder for the study")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    written = write_starter(args.folder)
    print(f"wrote {len(written)} files to {args.folder}; run it with:")
    print(f"  surveykit run {args.folder / 'study.yaml'} --out {args.folder / 'build'}")
    return 0
