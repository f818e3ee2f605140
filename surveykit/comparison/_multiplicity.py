"""Adjusted p-values for a family of tests: every method of R's ``p.adjust``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from surveykit._validate import check_option

__all__ = ["ADJUST_METHODS", "adjust_pvalues"]

AdjustMethod = Literal["bh", "holm", "bonferroni", "hochberg", "hommel", "by", "none"]
ADJUST_METHODS = ("bh", "holm", "bonferroni", "hochberg", "hommel", "by", "none")
# the methods statsmodels computes (imported on first use: it loads scipy.stats)
_STATSMODELS = {"hochberg": "simes-hochberg", "hommel": "hommel", "by": "fdr_by"}


def adjust_pvalues(p_values: Sequence[float] | np.ndarray,
                   method: AdjustMethod = "bh") -> np.ndarray:
    """Adjust p-values for multiple comparisons (R's ``p.adjust``).

    Parameters
    ----------
    p_values : array-like of float
        Raw p-values. NaN entries (e.g. comparisons that were refused) are not part of the
        family and stay NaN.
    method : {"bh", "holm", "bonferroni", "hochberg", "hommel", "by", "none"}, default "bh"
        ``"bh"``: Benjamini-Hochberg step-up (controls the false discovery rate);
        ``"holm"``: Holm step-down and ``"bonferroni"`` (both control the family-wise
        error rate); ``"hochberg"`` (step-up) and ``"hommel"`` (family-wise, for
        independent or positively dependent tests); ``"by"``: Benjamini-Yekutieli (false
        discovery rate under any dependence); ``"none"``: the raw p-values. The names are
        R's ``p.adjust`` methods in lower case.

    Returns
    -------
    ndarray
        Adjusted p-values, capped at 1, in the order given.

    Notes
    -----
    With ``m`` tests and p-values sorted ascending ``p_(1) <= ... <= p_(m)``:
    BH gives ``min_{j >= i} min(1, m p_(j) / j)``; Holm gives
    ``max_{j <= i} min(1, (m - j + 1) p_(j))``; Bonferroni ``min(1, m p_i)``. The arithmetic
    is statsmodels' ``multipletests(p, method="fdr_bh" | "holm" | "bonferroni")[1]`` on the
    non-NaN entries; it matches R's ``p.adjust(p, "BH" | "holm" | "bonferroni")`` (BH to the
    last bit or so: R computes ``(m / j) p``, statsmodels ``p / (j / m)``). These three,
    which studies and banner tables use, are computed here with statsmodels' arithmetic
    (bit-identical, tested) because importing ``statsmodels.stats`` loads all of
    ``scipy.stats``; Hochberg, Hommel and Benjamini-Yekutieli are statsmodels'
    ``multipletests`` (``"simes-hochberg"``, ``"hommel"``, ``"fdr_by"``), checked against
    ``p.adjust`` to 1e-12.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.20]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.2]
    >>> adjust_pvalues([0.01, 0.04, 0.03, float("nan")], "holm").round(4).tolist()
    [0.03, 0.06, 0.06, nan]
    >>> adjust_pvalues([0.01, 0.02, 0.03, 0.04, 0.05], "hommel").round(4).tolist()
    [0.05, 0.05, 0.05, 0.05, 0.05]

    """
    check_option("method", method, ADJUST_METHODS)
    p = np.asarray(p_values, dtype=float).reshape(-1)
    finite = ~np.isnan(p)
    if np.any((p[finite] < 0) | (p[finite] > 1)):
        bad = p[finite & ((p < 0) | (p > 1))][:5].tolist()
        raise ValueError(f"'p_values' must lie in [0, 1] (got {bad}).")
    out = p.copy()
    if not finite.any() or method == "none":
        return out
    kept = p[finite]
    out[finite] = _ADJUST[method](kept) if method in _ADJUST else _statsmodels(kept, method)
    return out


def _statsmodels(p: np.ndarray, method: str) -> np.ndarray:
    """Return statsmodels' ``multipletests`` adjustment of ``p`` for ``method``."""
    from statsmodels.stats.multitest import multipletests

    return np.asarray(multipletests(p, method=_STATSMODELS[method])[1], dtype=float)


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg: statsmodels' ``fdrcorrection`` arithmetic, bit for bit.

    ``p_(j) / (j / m)`` on the sorted p-values, then the running minimum from the largest
    down, capped at 1. Computed here so that a study does not import ``statsmodels.stats``
    (which loads all of ``scipy.stats``, over a second) for a few divisions.
    """
    order = np.argsort(p)
    ecdf = np.arange(1, p.size + 1) / float(p.size)
    adjusted = np.minimum.accumulate((np.take(p, order) / ecdf)[::-1])[::-1]
    adjusted[adjusted > 1] = 1
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


def _bonferroni(p: np.ndarray) -> np.ndarray:
    """Bonferroni: ``m p``, capped at 1 (statsmodels' arithmetic)."""
    adjusted = p * float(p.size)
    adjusted[adjusted > 1] = 1
    return adjusted


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment: statsmodels' arithmetic, without its ``gc.collect()``.

    statsmodels' ``multipletests(method="holm")`` runs a full garbage collection on every
    call (about 85 ms in a study run); a banner table adjusts hundreds of small families,
    so the same sorted products and running maximum are computed here.
    """
    order = np.argsort(p)
    adjusted = np.maximum.accumulate(p[order] * np.arange(p.size, 0, -1))
    adjusted[adjusted > 1] = 1
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


_ADJUST = {"bh": _bh, "holm": _holm, "bonferroni": _bonferroni}
