"""Population margins for raking from a long table of population counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

import pandas as pd

from surveykit._validate import check_columns
from surveykit.errors import WeightingError

__all__ = ["population_margins"]


def population_margins(
    population: pd.DataFrame | str | PathLike[str],
    margins: Sequence[str | tuple[str, ...]],
    *,
    count: str,
    where: Mapping[str, Any] | None = None,
) -> dict[str | tuple[str, ...], pd.Series]:
    """Sum a long population table into raking margins.

    Parameters
    ----------
    population : DataFrame or path
        One row per population cell with a count column (a CSV path is read).
    margins : list of str or tuple of str
        The margins to build, e.g. ``["kommune", ("age_group", "sex")]``.
    count : str
        The column with the population counts.
    where : mapping, optional
        Row filters: ``{column: value}`` or ``{column: [values]}``, e.g.
        ``{"year_jan1": 2026, "age_group": ["20-24", "25-29", "30-34", "35-39"]}``.

    Returns
    -------
    dict
        ``{margin: Series of totals}`` (a MultiIndex for cross margins), ready for
        ``sk.rake(design, margins=...)`` or ``sk.calibrate(design, totals=...)``.

    Examples
    --------
    >>> pop = pd.DataFrame({"kommune": ["Hamar", "Hamar", "Løten", "Løten"],
    ...                     "sex": ["female", "male", "female", "male"],
    ...                     "n": [936, 1007, 187, 183]})
    >>> m = population_margins(pop, ["kommune", "sex"], count="n")
    >>> m["kommune"].to_dict()
    {'Hamar': 1943, 'Løten': 370}

    """
    frame = pd.read_csv(population) if not isinstance(population, pd.DataFrame) else population
    keys = [m if isinstance(m, tuple) else (m,) for m in margins]
    check_columns("margins", frame, sorted({v for k in keys for v in k}))
    check_columns("count", frame, [count])
    rows = pd.Series(True, index=frame.index)
    for col, value in (where or {}).items():
        check_columns("where", frame, [col])
        wanted = list(value) if isinstance(value, list | tuple | set) else [value]
        hit = frame[col].isin(wanted)
        if not hit.any():
            seen = sorted(map(str, frame[col].unique()))[:20]
            raise WeightingError(f"'where' {col}={value!r} matches no row of the population "
                                 f"table; values there: {seen}.")
        rows &= hit
    sub = frame.loc[rows]
    out: dict[str | tuple[str, ...], pd.Series] = {}
    for k in keys:
        out[k if len(k) > 1 else k[0]] = sub.groupby(list(k), sort=True)[count].sum()
    return out
