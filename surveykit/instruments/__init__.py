"""surveykit.instruments: instrument files as frozen models, with lint, diff and exports.

An instrument version is a YAML file ``instruments/<name>/<semver>.yaml`` (format:
``instruments/schema/instrument.schema.json``). This package loads it into an immutable
:class:`Instrument`, evaluates its ``relevant``/``constraint`` expressions on data,
fingerprints it, checks it (``surveykit lint``) and writes codebooks and exports.
"""

from surveykit.instruments._evaluate import evaluate_expression
from surveykit.instruments._example import example_instrument_dict
from surveykit.instruments._expressions import Expression, parse_expression
from surveykit.instruments._instrument import Instrument, Variable
from surveykit.instruments._loader import instruments_root, list_instruments, load_instrument
from surveykit.instruments._problems import Problem
from surveykit.instruments._schema import (
    ChoiceList,
    GridRow,
    Index,
    Item,
    Languages,
    MissingCode,
    Option,
)

__all__ = [
    "ChoiceList",
    "Expression",
    "GridRow",
    "Index",
    "Instrument",
    "Item",
    "Languages",
    "MissingCode",
    "Option",
    "Problem",
    "Variable",
    "evaluate_expression",
    "example_instrument_dict",
    "instruments_root",
    "list_instruments",
    "load_instrument",
    "parse_expression",
]

#: names re-exported at the top level (``sk.load_instrument``); their repr reads ``surveykit.X``
TOP_LEVEL = (
    "Instrument",
    "evaluate_expression",
    "list_instruments",
    "load_instrument",
    "parse_expression",
)
for _name in TOP_LEVEL:
    globals()[_name].__module__ = "surveykit"
del _name
