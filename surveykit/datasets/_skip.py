"""Apply skip logic to generated answers: every variable whose ``relevant`` is false is NA."""

from __future__ import annotations

import pandas as pd

from surveykit.datasets._items import ColumnSpec
from surveykit.instruments import evaluate_expression

__all__ = ["apply_relevance", "spec_columns"]


def spec_columns(spec: ColumnSpec) -> list[str]:
    """Return the data columns of one variable (``var__code`` per option for multi-select items)."""
    if spec.type == "multi":
        return [f"{spec.var}__{code}" for code in spec.choices.codes]
    return [spec.var]


def apply_relevance(frame: pd.DataFrame, specs: list[ColumnSpec]) -> pd.DataFrame:
    """Blank the variables of rows where their ``relevant`` expression is false.

    Items are processed in file order, so an item hidden by an earlier item's skip logic
    hides the items that depend on it in turn (as a web form does). Returns a new frame.
    """
    out = frame.copy()
    multi = {s.var: list(s.choices.codes) for s in specs if s.type == "multi"}
    for spec in specs:
        if not spec.relevant:
            continue
        shown = evaluate_expression(spec.relevant, out, multi=multi).to_numpy()
        cols = spec_columns(spec)
        out.loc[~shown, cols] = pd.NA
    return out
