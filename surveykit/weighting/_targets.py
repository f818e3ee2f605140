"""Weighting targets: normalise what users pass into a list of :class:`Margin`.

Accepted forms, for ``rake(margins=...)``, ``calibrate(totals=...)`` and
``poststratify(population=...)``:

* a mapping ``{variable: targets}`` where ``variable`` is a column name or a tuple of column
  names (a cross-classified margin such as ``("age_group", "sex")``) and ``targets`` is a
  mapping ``{level: total}`` (levels are tuples for cross margins), a ``pandas.Series``
  indexed by level (a ``MultiIndex`` for cross margins), a ``DataFrame`` holding the
  variable column(s) and one totals column, or a number (the population total of a
  continuous auxiliary; ``calibrate`` only);
* a ``DataFrame`` (or a list of them) whose columns are variables of the data plus exactly
  one totals column, as R's ``postStratify(population=)``.

With ``population_total=N`` every categorical margin is read as proportions (which must sum
to 1) and every number as a population mean; both are multiplied by ``N``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import WeightingError

__all__ = ["Margin", "margin_total", "normalize_margins"]

#: relative tolerance for proportions summing to 1 and for margins agreeing on the total
AGREEMENT_RTOL = 1e-6


@dataclass(frozen=True)
class Margin:
    """One set of population targets.

    Parameters
    ----------
    variables : tuple of str
        Column name(s); more than one for a cross-classified margin.
    levels : tuple or None
        Target levels (tuples for cross margins); ``None`` for a continuous auxiliary.
    totals : numpy.ndarray
        Population totals, aligned with ``levels`` (length 1 for a continuous auxiliary).

    """

    variables: tuple[str, ...]
    levels: tuple[Any, ...] | None
    totals: np.ndarray

    @property
    def name(self) -> str:
        """Display name: the variable, or ``"a x b"`` for a cross margin."""
        return " x ".join(self.variables)

    @property
    def continuous(self) -> bool:
        """True for the total of a continuous auxiliary variable."""
        return self.levels is None

    def frame(self) -> pd.DataFrame:
        """Return the targets as a frame with columns ``margin``, ``level`` and ``target``."""
        levels = ["(total)"] if self.levels is None else list(self.levels)
        return pd.DataFrame({"margin": self.name, "level": levels, "target": self.totals})


def margin_total(margins: Sequence[Margin]) -> float | None:
    """Return the population total of the categorical margins (None if there are none)."""
    sums = [float(m.totals.sum()) for m in margins if not m.continuous]
    return sums[0] if sums else None


def normalize_margins(
    margins: Any,
    *,
    columns: Sequence[Any],
    param: str,
    population_total: float | None = None,
    allow_continuous: bool = False,
) -> list[Margin]:
    """Turn user targets into a validated list of :class:`Margin`.

    Examples
    --------
    >>> ms = normalize_margins({"sex": {"f": 0.5, "m": 0.5}}, columns=["sex"], param="margins",
    ...                        population_total=200)
    >>> ms[0].totals
    array([100., 100.])

    """
    raw = _split(margins, columns, param)
    if not raw:
        raise WeightingError(f"{param!r} must name at least one margin (got {margins!r}).")
    out = [_one(key, value, param, allow_continuous) for key, value in raw]
    _check_duplicates(out, param)
    if population_total is not None:
        out = [_scale(m, float(population_total), param) for m in out]
    _check_agreement(out, param, population_total)
    return out


def _split(margins: Any, columns: Sequence[Any], param: str) -> list[tuple[Any, Any]]:
    if isinstance(margins, pd.DataFrame):
        return [_frame_key(margins, columns, param)]
    if isinstance(margins, Mapping):
        return list(margins.items())
    if (isinstance(margins, Sequence) and not isinstance(margins, str)
            and all(isinstance(m, pd.DataFrame) for m in margins)):
        return [_frame_key(m, columns, param) for m in margins]
    raise TypeError(
        f"{param!r} must be a mapping {{variable: targets}}, a DataFrame of cells with one "
        f"totals column, or a list of such DataFrames (got {type(margins).__name__})."
    )


def _frame_key(frame: pd.DataFrame, columns: Sequence[Any], param: str) -> tuple[Any, Any]:
    variables = tuple(c for c in frame.columns if c in set(columns))
    others = [c for c in frame.columns if c not in set(columns)]
    if not variables or len(others) != 1:
        raise WeightingError(
            f"{param!r}: a target DataFrame needs the margin's variable column(s), which must "
            f"be columns of the data, plus exactly one totals column (got columns "
            f"{list(frame.columns)!r}; data columns among them: {list(variables)!r})."
        )
    return variables, frame


def _one(key: Any, value: Any, param: str, allow_continuous: bool) -> Margin:
    variables = (key,) if not isinstance(key, tuple) else tuple(key)
    name = " x ".join(map(str, variables))
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        if not allow_continuous or len(variables) != 1:
            raise TypeError(
                f"{param!r}[{name!r}] must be a mapping {{level: total}} (got the number "
                f"{value!r}). Totals of continuous variables are for sk.calibrate."
            )
        return Margin(variables, None, _checked(np.array([float(value)]), name, param))
    levels, totals = _levels_totals(variables, value, param)
    return Margin(variables, levels, _checked(totals, name, param))


def _levels_totals(variables: tuple[Any, ...], value: Any, param: str) -> tuple[tuple, np.ndarray]:
    name = " x ".join(map(str, variables))
    if isinstance(value, pd.DataFrame):
        missing = [v for v in variables if v not in value.columns]
        others = [c for c in value.columns if c not in variables]
        if missing or len(others) != 1:
            raise WeightingError(
                f"{param!r}[{name!r}]: the DataFrame needs columns {list(variables)!r} and one "
                f"totals column (got {list(value.columns)!r})."
            )
        keys = value[list(variables)]
        levels = [tuple(r) if len(variables) > 1 else r[0] for r in keys.itertuples(index=False)]
        return tuple(levels), _as_float(value[others[0]].to_numpy(), name, param)
    if isinstance(value, pd.Series):
        return tuple(value.index), _as_float(value.to_numpy(), name, param)
    if isinstance(value, Mapping):
        return tuple(value.keys()), _as_float(np.array(list(value.values())), name, param)
    raise TypeError(
        f"{param!r}[{name!r}] must be a mapping {{level: total}}, a Series or a DataFrame "
        f"(got {type(value).__name__})."
    )


def _as_float(values: np.ndarray, name: str, param: str) -> np.ndarray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise WeightingError(
            f"{param!r}[{name!r}]: targets must be numbers (got {list(values)[:5]!r})."
        ) from None


def _checked(totals: np.ndarray, name: str, param: str) -> np.ndarray:
    if totals.size == 0:
        raise WeightingError(f"{param!r}[{name!r}] has no targets.")
    bad = ~np.isfinite(totals) | (totals < 0)
    if bad.any():
        raise WeightingError(
            f"{param!r}[{name!r}]: targets must be finite and non-negative (got "
            f"{totals[bad].tolist()!r} at positions {np.flatnonzero(bad).tolist()!r})."
        )
    return totals


def _check_duplicates(margins: list[Margin], param: str) -> None:
    for m in margins:
        if m.levels is not None and len(set(m.levels)) != len(m.levels):
            seen: set[Any] = set()
            dups = [lv for lv in m.levels if lv in seen or seen.add(lv)]  # type: ignore[func-returns-value]
            raise WeightingError(f"{param!r}[{m.name!r}] lists levels twice: {dups!r}.")
    names = [m.variables for m in margins]
    if len(set(names)) != len(names):
        raise WeightingError(f"{param!r} gives the same margin twice: {names!r}.")


def _scale(m: Margin, total: float, param: str) -> Margin:
    if not (np.isfinite(total) and total > 0):
        raise WeightingError(f"'population_total' must be a positive number (got {total!r}).")
    if m.continuous:
        return Margin(m.variables, None, m.totals * total)
    s = float(m.totals.sum())
    if abs(s - 1.0) > AGREEMENT_RTOL:
        raise WeightingError(
            f"{param!r}[{m.name!r}] sums to {s:.10g}, but with 'population_total' given the "
            f"targets are read as proportions that must sum to 1. Pass counts and drop "
            f"'population_total', or divide the targets by their sum."
        )
    return Margin(m.variables, m.levels, m.totals / s * total)


def _check_agreement(margins: list[Margin], param: str, population_total: float | None) -> None:
    sums = {m.name: float(m.totals.sum()) for m in margins if not m.continuous}
    if not sums:
        return
    ref = population_total if population_total is not None else next(iter(sums.values()))
    off = {k: v for k, v in sums.items() if abs(v - ref) > AGREEMENT_RTOL * max(abs(ref), 1.0)}
    if off:
        raise WeightingError(
            f"{param!r}: the margins disagree on the population total: "
            + ", ".join(f"{k!r} sums to {v:.10g}" for k, v in sums.items())
            + ". Every categorical margin must add up to the same population total; fix the "
            "targets (e.g. take them from one source and year)."
        )
