"""Allocation of a net sample across strata (municipalities), and what each allocation buys.

Every method sets a target share ``x_h`` per stratum and gives stratum ``h`` the sample
``n x_h / sum(x)``: proportional ``x_h = N_h``; equal ``x_h = 1``; Neyman ``x_h = N_h S_h``;
Bankier's power allocation ``x_h = N_h**q S_h`` (``q = power_q``; ``q = 1`` is Neyman, ``q =
0`` gives every stratum's mean the same precision when the ``S_h`` are equal, ``0.5`` the usual
compromise between the region's estimate and the municipalities'); and proportional with a
minimum per stratum. Bankier's objective weights the strata's variances, ``sum(N_h**(2q)
Var(ybar_h))``, with variances in points rather than his coefficients of variation, the same
allocation when the strata's means are alike. No stratum gets more than its population or less
than ``minimum``; the excess or shortfall is spread over the others in proportion to their
targets, and the sizes are rounded to whole interviews by largest remainder so that they add to
``n``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from surveykit._display import frame_html
from surveykit._validate import check_option
from surveykit.errors import ArgumentError
from surveykit.planning._checks import (
    check_count,
    check_open_unit,
    check_positive,
    check_unit_interval,
    quantity,
)
from surveykit.planning._precision import z_value

__all__ = ["Allocation", "allocate", "allocation_of", "strata_frame"]

Method = Literal["proportional", "equal", "neyman", "bankier", "minimum"]
METHODS = ("proportional", "equal", "neyman", "bankier", "minimum")


@dataclass(frozen=True)
class Allocation:
    """A sample allocated across strata, with the precision it gives.

    Attributes
    ----------
    method : str
        The allocation method.
    n : int
        Net sample size allocated.
    level : float
        Confidence level of the margins.
    margin : float
        Margin of error of the estimate for all strata together (stratified estimator).
    deff : float
        Kish design effect of the unequal weights ``N_h / n_h`` that the allocation implies,
        ``n sum(N_h**2 / n_h) / N**2`` (1 under proportional allocation).
    table : pandas.DataFrame
        One row per stratum: ``stratum``, ``population``, ``sd`` (the unit standard deviation
        planned for), ``target`` (the unrounded allocation), ``n``, ``share`` (of the sample)
        and ``margin``.

    """

    method: str
    n: int
    level: float
    margin: float
    deff: float
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the per-stratum table.

        Examples
        --------
        >>> a = allocate({"A": 8000, "B": 2000}, 500, method="equal")
        >>> a.to_frame()[["stratum", "n"]].to_dict("list")
        {'stratum': ['A', 'B'], 'n': [250, 250]}

        """
        return self.table.copy()

    def summary(self) -> pd.DataFrame:
        """Return the table the display shows: the same frame as :meth:`to_frame`."""
        return self.to_frame()

    def _repr_html_(self) -> str:
        caption = (f"{self.method} allocation of n = {self.n}: overall margin "
                   f"{self.margin:.4f}, Kish deff {self.deff:.3f}")
        return frame_html(self.summary(), caption)

    def __repr__(self) -> str:
        return (f"Allocation(method={self.method!r}, n={self.n}, margin={self.margin:.4f}, "
                f"deff={self.deff:.3f})\n{self.table.to_string(index=False)}")


def strata_frame(strata: Mapping[Any, float] | pd.DataFrame) -> pd.DataFrame:
    """Return the strata as a frame: ``stratum``, ``population`` (and ``sd``/``p``, ``deff``).

    ``strata`` is a mapping of stratum to population size, or a frame with a ``population``
    column and either a ``stratum`` column or the strata as its index; optional columns ``sd``
    or ``p`` (per-stratum unit standard deviation or proportion) and ``deff``.

    Examples
    --------
    >>> strata_frame({"Hamar": 6200, "Løten": 1500})
      stratum  population
    0   Hamar      6200.0
    1   Løten      1500.0

    """
    if isinstance(strata, pd.DataFrame):
        frame = (strata.copy() if "stratum" in strata
                 else strata.rename_axis("stratum").reset_index())
        if "population" not in frame:
            raise ArgumentError(
                "strata must have a 'population' column (the stratum's population size); found "
                f"columns {list(strata.columns)}."
            )
    elif isinstance(strata, Mapping):
        frame = pd.DataFrame({"stratum": list(strata), "population": list(strata.values())})
    else:
        raise ArgumentError(
            "strata must be a mapping of stratum to population size or a DataFrame with a "
            f"'population' column; found {type(strata).__name__}."
        )
    if frame.empty:
        raise ArgumentError("strata is empty; give at least one stratum and its population.")
    if frame["stratum"].duplicated().any():
        twice = frame.loc[frame["stratum"].duplicated(), "stratum"].tolist()
        raise ArgumentError(f"strata names must be unique; repeated: {twice}.")
    keep = ["stratum", "population"] + [c for c in ("sd", "p", "deff") if c in frame]
    frame = frame[keep].reset_index(drop=True)
    for _, row in frame.iterrows():
        check_positive(f"population of stratum {row['stratum']!r}", row["population"])
    frame["population"] = frame["population"].astype(float)
    return frame


def _unit_sd(frame: pd.DataFrame, sd: float | None, p: float | None) -> np.ndarray:
    if "sd" in frame or "p" in frame:
        column = "sd" if "sd" in frame else "p"
        pairs = zip(frame["stratum"], frame[column], strict=True)
        return np.array([
            math.sqrt(quantity(None, check_positive(f"sd of stratum {name!r}", v))[1])
            if column == "sd" else
            math.sqrt(quantity(check_open_unit(f"p of stratum {name!r}", v), None)[1])
            for name, v in pairs
        ])
    if sd is None and p is None:
        p = 0.5
    return np.full(len(frame), math.sqrt(quantity(p, sd)[1]))


def _targets(method: str, N: np.ndarray, S: np.ndarray, q: float) -> np.ndarray:
    if method in ("proportional", "minimum"):
        return N.copy()
    if method == "equal":
        return np.ones_like(N)
    if method == "neyman":
        return N * S
    return N**q * S


def _spread(x: np.ndarray, n: float, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Share ``n`` in proportion to ``x`` within ``[lower, upper]`` per stratum."""
    fixed = np.full(len(x), np.nan)
    while True:
        free = np.isnan(fixed)
        left = n - np.nansum(fixed)
        weight = x[free].sum()
        share = np.full(len(x), 0.0)
        share[free] = left * x[free] / weight if weight > 0 else left / free.sum()
        over = free & (share > upper + 1e-12)
        under = free & (share < lower - 1e-12)
        if over.any():
            fixed[over] = upper[over]
        elif under.any():
            fixed[under] = lower[under]
        else:
            return np.where(free, share, fixed)


def _round(target: np.ndarray, n: int, upper: np.ndarray) -> np.ndarray:
    whole = np.floor(target + 1e-9).astype(int)
    rest = target - whole
    order = np.argsort(-rest, kind="stable")
    short = n - int(whole.sum())
    out = whole.copy()
    for i in order:
        if short <= 0:
            break
        if out[i] < upper[i]:
            out[i] += 1
            short -= 1
    return out


def _bounds(frame: pd.DataFrame, n: int, method: str, minimum: int | None) -> np.ndarray:
    N = frame["population"].to_numpy(dtype=float)
    if n > N.sum():
        raise ArgumentError(
            f"n ({n}) exceeds the population of all strata together ({N.sum():g}); lower n."
        )
    if method == "minimum" and minimum is None:
        raise ArgumentError(
            "method='minimum' needs minimum=: the smallest net sample any stratum gets."
        )
    low = 0 if minimum is None else check_count("minimum", minimum)
    lower = np.minimum(np.floor(N), low).astype(float)
    if lower.sum() > n:
        raise ArgumentError(
            f"minimum={low} in each of {len(N)} strata needs {lower.sum():g} interviews, more "
            f"than n={n}; lower the minimum or raise n."
        )
    return lower


def allocate(
    strata: Mapping[Any, float] | pd.DataFrame,
    n: int,
    *,
    method: Method = "proportional",
    minimum: int | None = None,
    power_q: float = 0.5,
    sd: float | None = None,
    p: float | None = None,
    deff: float = 1.0,
    level: float = 0.95,
) -> Allocation:
    """Allocate a net sample of ``n`` across strata and report the precision it gives.

    Parameters
    ----------
    strata : mapping or pandas.DataFrame
        Stratum -> population size, or a frame with ``population`` (and ``stratum`` or the
        strata as index) and optionally per-stratum ``sd`` or ``p`` and ``deff``.
    n : int
        Net sample size to allocate.
    method : {"proportional", "equal", "neyman", "bankier", "minimum"}
        See the module notes; ``"minimum"`` is proportional with at least ``minimum`` per
        stratum.
    minimum : int, optional
        Smallest net sample of any stratum (required by ``"minimum"``, a floor for the others).
    power_q : float
        Bankier's power ``q`` in [0, 1].
    sd, p : float, optional
        Unit standard deviation or proportion for every stratum when ``strata`` has no ``sd``
        or ``p`` column; neither given plans for a proportion of 0.5 (the widest margin).
    deff : float
        Design effect within strata (weighting), unless ``strata`` has a ``deff`` column.
    level : float
        Confidence level of the margins.

    Returns
    -------
    Allocation
        The allocation, the margin per stratum and overall, and the Kish design effect of the
        unequal allocation.

    Examples
    --------
    >>> strata = {"Hamar": 6200, "Stange": 4100, "Elverum": 4600, "Løten": 1500}
    >>> a = allocate(strata, 1200, method="bankier")
    >>> a.to_frame()[["stratum", "n", "margin"]].round(4)
       stratum    n  margin
    0    Hamar  379  0.0488
    1   Stange  308  0.0537
    2  Elverum  327  0.0522
    3    Løten  186  0.0673
    >>> round(a.margin, 4), round(a.deff, 3)
    (0.0278, 1.039)

    """
    frame = strata_frame(strata)
    check_option("method", method, METHODS)
    size = check_count("n", n)
    q = check_unit_interval("power_q", power_q)
    N = frame["population"].to_numpy(dtype=float)
    S = _unit_sd(frame, sd, p)
    lower = _bounds(frame, size, method, minimum)
    upper = np.floor(N)
    target = _spread(_targets(method, N, S, q), float(size), lower, upper)
    alloc = _round(target, size, upper.astype(int))
    return _result(frame, method, size, level, N, S, target, alloc, _deffs(frame, deff))


def _deffs(frame: pd.DataFrame, deff: float) -> np.ndarray:
    if "deff" not in frame:
        return np.full(len(frame), check_positive("deff", deff))
    return np.array([check_positive(f"deff of stratum {name!r}", v)
                     for name, v in zip(frame["stratum"], frame["deff"], strict=True)])


def allocation_of(
    strata: Mapping[Any, float] | pd.DataFrame,
    sizes: Mapping[Any, int],
    *,
    sd: float | None = None,
    p: float | None = None,
    deff: float = 1.0,
    level: float = 0.95,
) -> Allocation:
    """Return the precision of a given allocation (``method="given"``), as :func:`allocate`.

    Parameters
    ----------
    strata : mapping or pandas.DataFrame
        As in :func:`allocate` (per-stratum ``sd``/``p`` and ``deff`` columns allowed).
    sizes : mapping
        Stratum -> net sample size; every stratum of ``strata`` needs one.
    sd, p, deff, level
        As in :func:`allocate`.

    Returns
    -------
    Allocation

    Examples
    --------
    >>> a = allocation_of({"Hamar": 6200, "Løten": 1500}, {"Hamar": 300, "Løten": 200})
    >>> a.to_frame()["margin"].round(4).tolist(), round(a.deff, 3)
    ([0.0552, 0.0645], 1.175)

    """
    frame = strata_frame(strata)
    missing = [s for s in frame["stratum"] if s not in sizes]
    if missing:
        raise ArgumentError(f"sizes has no sample size for strata {missing}; give one for each.")
    N = frame["population"].to_numpy(dtype=float)
    alloc = np.array([check_count(f"size of stratum {s!r}", sizes[s]) for s in frame["stratum"]])
    over = [f"{s} ({a} > {n:g})" for s, a, n in zip(frame["stratum"], alloc, N, strict=True)
            if a > n]
    if over:
        raise ArgumentError(f"sizes exceed the population in {over}; lower them.")
    return _result(frame, "given", int(alloc.sum()), level, N, _unit_sd(frame, sd, p),
                   alloc.astype(float), alloc, _deffs(frame, deff))


def _result(frame: pd.DataFrame, method: str, n: int, level: float, N: np.ndarray,
            S: np.ndarray, target: np.ndarray, alloc: np.ndarray,
            inflate: np.ndarray) -> Allocation:
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        var_h = np.where(alloc > 0, inflate * S**2 / alloc * (1 - alloc / N), np.inf)
        W = N / N.sum()
        overall = float(z * math.sqrt(np.sum(W**2 * var_h)))
        kish = float(n * np.sum(np.where(alloc > 0, N**2 / alloc, np.inf)) / N.sum() ** 2)
    table = pd.DataFrame({
        "stratum": frame["stratum"].to_numpy(),
        "population": N,
        "sd": S,
        "target": target,
        "n": alloc.astype(int),
        "share": alloc / n,
        "margin": z * np.sqrt(var_h),
    })
    return Allocation(method, n, float(level), overall, kish, table)
