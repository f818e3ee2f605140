"""Helpers shared by the platform writers: labels, local times, item numbering."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit.datasets._items import ColumnSpec, column_specs, instrument_spec
from surveykit.datasets._timing import TIMEZONE

__all__ = ["item_text", "label_map", "local_naive", "numbered_specs", "specs_of"]


def specs_of(instrument: Any) -> list[ColumnSpec]:
    """Return the instrument's variables in file order."""
    return column_specs(instrument)


def local_naive(times: pd.Series) -> pd.Series:
    """Timestamps as naive local (Oslo) wall-clock times, as spreadsheets and SPSS hold them."""
    return times.dt.tz_convert(TIMEZONE).dt.tz_localize(None)


def label_map(spec: ColumnSpec, language: str = "nb") -> dict[Any, str]:
    """``{code: label}`` of the spec's choice list, missing codes included."""
    if spec.choices is None:
        return {}
    entries = (*spec.choices.options, *spec.choices.missing)
    return {e.code: e.label.get(language, str(e.code)) for e in entries}


def item_text(instrument: Any, spec: ColumnSpec, language: str = "nb") -> str:
    """Question text of a variable (a grid row: the row's text)."""
    spec_obj = instrument_spec(instrument)
    item = next(i for i in spec_obj.items if i.id == (spec.grid or spec.item_id))
    if spec.grid is not None:
        row = next(r for r in item.rows or () if r.var == spec.var)
        return str(row.text.get(language, row.var))
    return str(item.text.get(language, spec.var))


def numbered_specs(instrument: Any) -> list[tuple[int, int | None, ColumnSpec]]:
    """``(item number, row number or None, spec)``: items numbered 1.. in file order."""
    out: list[tuple[int, int | None, ColumnSpec]] = []
    number, last_grid = 0, None
    for spec in specs_of(instrument):
        if spec.grid is None or spec.grid != last_grid:
            number += 1
            row = 0
        last_grid = spec.grid
        if spec.grid is not None:
            row += 1
            out.append((number, row, spec))
        else:
            out.append((number, None, spec))
    return out


def as_object(values: pd.Series) -> np.ndarray:
    """Values as Python objects with ``None`` for missing (for cell-by-cell writers)."""
    return np.asarray(values.astype(object).where(values.notna(), None), dtype=object)
