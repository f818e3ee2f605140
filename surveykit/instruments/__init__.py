"""surveykit.instruments: instrument files as frozen models, with lint, diff and exports.

An instrument version is a YAML file ``instruments/<name>/<semver>.yaml`` (format:
``instruments/schema/instrument.schema.json``). This package loads it into an immutable
:class:`Instrument`, evaluates its ``relevant``/``constraint`` expressions on data,
fingerprints it, checks it (``surveykit lint``), compares versions (:func:`diff_instruments`),
harmonises data across versions (:func:`load_crosswalk`) and writes codebooks and exports
(Markdown, HTML, XLSX, XLSForm, DDI-Codebook 2.5).
"""

from surveykit.instruments._codebook import codebook, write_codebook
from surveykit.instruments._crosswalk import Crosswalk, CrosswalkItem, load_crosswalk
from surveykit.instruments._ddi import to_ddi
from surveykit.instruments._diff import InstrumentDiff, ItemChange, diff_instruments
from surveykit.instruments._evaluate import evaluate_expression
from surveykit.instruments._example import example_instrument_dict
from surveykit.instruments._expressions import Expression, parse_expression
from surveykit.instruments._instrument import Instrument, Variable
from surveykit.instruments._jsonschema import json_schemas
from surveykit.instruments._lint import LintReport, lint_instruments
from surveykit.instruments._loader import instruments_root, list_instruments, load_instrument
from surveykit.instruments._problems import Problem
from surveykit.instruments._recode import CrosswalkResult, apply_crosswalk
from surveykit.instruments._schema import (
    ChoiceList,
    GridRow,
    Index,
    Item,
    Languages,
    MissingCode,
    Option,
)
from surveykit.instruments._xlsform import write_xlsform, xlsform_version

__all__ = [
    "ChoiceList",
    "Crosswalk",
    "CrosswalkItem",
    "CrosswalkResult",
    "Expression",
    "GridRow",
    "Index",
    "Instrument",
    "InstrumentDiff",
    "Item",
    "ItemChange",
    "Languages",
    "LintReport",
    "MissingCode",
    "Option",
    "Problem",
    "Variable",
    "apply_crosswalk",
    "codebook",
    "diff_instruments",
    "evaluate_expression",
    "example_instrument_dict",
    "instruments_root",
    "json_schemas",
    "lint_instruments",
    "list_instruments",
    "load_crosswalk",
    "load_instrument",
    "parse_expression",
    "to_ddi",
    "write_codebook",
    "write_xlsform",
    "xlsform_version",
]
