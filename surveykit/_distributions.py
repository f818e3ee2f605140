"""Quantiles and tail probabilities of the t and normal distributions, without ``scipy.stats``.

Confidence limits and p-values need only ``t`` and normal quantiles and tails. Importing
``scipy.stats`` for them costs about half a second in every process, and each call through
its distribution objects checks arguments in Python; these functions call the same
``scipy.special`` routines as ``scipy.stats.t`` and ``scipy.stats.norm`` with the same
treatment of the edges (probability 0 or 1, degrees of freedom not positive or missing,
missing values), so they return the same numbers, bit for bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from surveykit._lazy import lazy_module

if TYPE_CHECKING:
    import scipy.special as special
else:
    special = lazy_module("scipy.special")

__all__ = ["norm_ppf", "norm_sf", "t_ppf", "t_sf"]


def _result(out: np.ndarray) -> Any:
    return out[()] if out.ndim == 0 else out


def _ppf(q: Any, df: Any | None) -> Any:
    q = np.asarray(q, dtype=float)
    valid = np.asarray(True) if df is None else np.asarray(df, dtype=float) > 0
    shape = np.broadcast_shapes(q.shape, valid.shape)
    q, valid = np.broadcast_to(q, shape), np.broadcast_to(valid, shape)
    out = np.full(shape, np.nan)
    out[valid & (q == 0)] = -np.inf
    out[valid & (q == 1)] = np.inf
    good = valid & (q > 0) & (q < 1)
    if good.any():
        if df is None:
            values = special.ndtri(q[good])
        else:
            values = special.stdtrit(np.broadcast_to(np.asarray(df, dtype=float), shape)[good],
                                     q[good])
        out[good] = values * 1.0 + 0.0  # as scipy.stats: scale and location (no -0.0)
    return _result(out)


def _sf(x: Any, df: Any | None) -> Any:
    x = np.asarray(x, dtype=float)
    valid = np.asarray(True) if df is None else np.asarray(df, dtype=float) > 0
    shape = np.broadcast_shapes(x.shape, valid.shape)
    x, valid = np.broadcast_to(x, shape), np.broadcast_to(valid, shape)
    out = np.zeros(shape)
    out[~valid | np.isnan(x)] = np.nan
    out[valid & (x == -np.inf)] = 1.0
    good = valid & np.isfinite(x)
    if good.any():
        if df is None:
            out[good] = special.ndtr(-x[good])
        else:
            out[good] = special.stdtr(np.broadcast_to(np.asarray(df, dtype=float), shape)[good],
                                      -x[good])
    return _result(out)


def t_ppf(q: Any, df: Any) -> Any:
    """Quantile of Student's t with ``df`` degrees of freedom (``scipy.stats.t.ppf``).

    NaN where ``df`` is not positive or missing, or ``q`` is outside [0, 1].

    Examples
    --------
    >>> round(float(t_ppf(0.975, 10.0)), 6)
    2.228139
    >>> t_ppf([0.0, 1.0, 0.5], [5.0, 5.0, 0.0])
    array([-inf,  inf,  nan])
    """
    return _ppf(q, df)


def norm_ppf(q: Any) -> Any:
    """Quantile of the standard normal distribution (``scipy.stats.norm.ppf``).

    Examples
    --------
    >>> round(float(norm_ppf(0.975)), 6)
    1.959964
    """
    return _ppf(q, None)


def t_sf(x: Any, df: Any) -> Any:
    """Upper tail probability of Student's t (``scipy.stats.t.sf``).

    Examples
    --------
    >>> round(float(t_sf(2.228139, 10.0)), 6)
    0.025
    """
    return _sf(x, df)


def norm_sf(x: Any) -> Any:
    """Upper tail probability of the standard normal distribution (``scipy.stats.norm.sf``).

    Examples
    --------
    >>> round(float(norm_sf(1.959964)), 6)
    0.025
    """
    return _sf(x, None)
