"""Significance letters: design-based tests of every pair of columns of one banner variable.

The domain estimates of one row question in all columns of one banner variable come from
one :func:`surveykit.mean` with their full covariance (linearization or replicates); the
difference of two columns on a display row is a linear contrast of them, tested by
:func:`surveykit.contrast` (R's ``svycontrast`` on ``svyby(..., covmat=TRUE)``) and a
two-sided t test at the design's degrees of freedom.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from surveykit._lazy import lazy_module
from surveykit.comparison import adjust_pvalues
from surveykit.estimation import EstimateTable, contrast

stats = lazy_module("scipy.stats")

__all__ = ["PairTests", "assign_letters", "pair_tests"]


@dataclass(frozen=True, eq=False)
class PairTests:
    """Differences ``column i - column j`` of every display row, with raw and adjusted p."""

    pairs: tuple[tuple[int, int], ...]
    difference: np.ndarray
    p_value: np.ndarray
    p_adjusted: np.ndarray


def pair_tests(table: EstimateTable, coefficients: np.ndarray, present: np.ndarray,
               eligible: np.ndarray, adjustment: str) -> PairTests:
    """Test every pair of eligible columns on every display row.

    Parameters
    ----------
    table : EstimateTable
        ``surveykit.mean`` of the row question's analysis columns by the banner variable:
        ``m`` statistics in each of its domains, domain-major.
    coefficients : ndarray
        ``(r, m)``: each display row as a combination of the ``m`` means.
    present : ndarray of int
        Banner column of each domain of ``table``.
    eligible : ndarray of bool
        One per banner column: tested (not a small base, not suppressed).
    adjustment : str
        Multiplicity adjustment over the pairs of one display row.

    Returns
    -------
    PairTests
        ``difference``, ``p_value`` and ``p_adjusted`` of shape ``(r, pairs)``.

    """
    r = coefficients.shape[0]
    slot = {int(c): k for k, c in enumerate(present)}
    cols = [c for c in sorted(slot) if eligible[c]]
    pairs = tuple(combinations(cols, 2))
    if not pairs:
        empty = np.empty((r, 0))
        return PairTests((), empty, empty, empty)
    n_dom = len(present)
    diff_mat = np.zeros((len(pairs), n_dom))
    for k, (i, j) in enumerate(pairs):
        diff_mat[k, slot[i]], diff_mat[k, slot[j]] = 1.0, -1.0
    # rows ordered (pair, display row): one contrast of the whole table
    weights = np.kron(diff_mat, coefficients)
    c = contrast(table, weights)
    diff = np.asarray(c.estimate, dtype=float).reshape(len(pairs), r).T
    se = np.asarray(c.se, dtype=float).reshape(len(pairs), r).T
    df = np.asarray(c.df, dtype=float).reshape(len(pairs), r).T
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.abs(diff) / se
    p = np.where(np.isnan(t), np.nan, 2.0 * stats.t.sf(t, df))
    adjusted = np.vstack([adjust_pvalues(row, adjustment) for row in p])  # type: ignore[arg-type]
    return PairTests(pairs, diff, p, adjusted)


def assign_letters(tests: PairTests, letters: tuple[str, ...], level: float,
                   second_level: float | None) -> list[list[str]]:
    """Letters of each (display row, banner column): the columns it is higher than.

    Upper-case where the adjusted p-value is below ``1 - level``, lower-case where it is
    below ``1 - second_level`` only; in column order.
    """
    r = tests.difference.shape[0]
    marks: list[list[list[tuple[int, str]]]] = [[[] for _ in letters] for _ in range(r)]
    alpha = 1.0 - level
    alpha2 = None if second_level is None else 1.0 - second_level
    for row in range(r):
        for k, (i, j) in enumerate(tests.pairs):
            p, d = tests.p_adjusted[row, k], tests.difference[row, k]
            if np.isnan(p) or d == 0:
                continue
            hi, lo = (i, j) if d > 0 else (j, i)
            if p < alpha:
                marks[row][hi].append((lo, letters[lo]))
            elif alpha2 is not None and p < alpha2:
                marks[row][hi].append((lo, letters[lo].lower()))
    return [["".join(s for _, s in sorted(cell)) for cell in row] for row in marks]
