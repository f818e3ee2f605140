"""Significance letters: design-based tests of every pair of columns of one banner variable.

The domain estimates of one row question in all columns of one banner variable come from
one :func:`surveykit.mean` (or :func:`surveykit.nps`) with their full covariance
(linearization or replicates); the difference of two columns on a display row is a linear
contrast of them, tested by :func:`surveykit.contrast` (R's ``svycontrast`` on
``svyby(..., covmat=TRUE)``) and a two-sided t test at the design's degrees of freedom.
All the pairs of a (row question, banner variable) go through one contrast matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from surveykit._distributions import t_sf
from surveykit.comparison import adjust_pvalues
from surveykit.estimation import EstimateTable

__all__ = ["PairTests", "adjusted_tests", "assign_letters", "pair_matrix", "pair_tests"]


@dataclass(frozen=True, eq=False)
class PairTests:
    """Differences ``column i - column j`` of every display row, with raw and adjusted p."""

    pairs: tuple[tuple[int, int], ...]
    difference: np.ndarray
    p_value: np.ndarray
    p_adjusted: np.ndarray


def pair_matrix(coefficients: np.ndarray, present: np.ndarray, eligible: np.ndarray
                ) -> tuple[tuple[tuple[int, int], ...], np.ndarray]:
    """Pairs of eligible columns and the contrast of each (pair, display row).

    Parameters
    ----------
    coefficients : ndarray
        ``(r, m)``: each display row as a combination of the ``m`` means of a column.
    present : ndarray of int
        Banner column of each domain of the estimate table (domain-major, ``m`` each).
    eligible : ndarray of bool
        One per banner column: tested (not a small base, not suppressed).

    Returns
    -------
    pairs : tuple of (int, int)
        Banner columns ``(i, j)``, ``i < j``.
    weights : ndarray
        ``(pairs * r, domains * m)``: row ``k * r + row`` is ``column i - column j`` on
        display row ``row``.

    """
    slot = {int(c): k for k, c in enumerate(present)}
    cols = [c for c in sorted(slot) if eligible[c]]
    pairs = tuple(combinations(cols, 2))
    diff_mat = np.zeros((len(pairs), len(present)))
    for k, (i, j) in enumerate(pairs):
        diff_mat[k, slot[i]], diff_mat[k, slot[j]] = 1.0, -1.0
    return pairs, np.kron(diff_mat, coefficients)


def pair_tests(differences: EstimateTable | None, pairs: tuple[tuple[int, int], ...], rows: int,
               adjustment: str) -> PairTests:
    """Two-sided t tests of the differences ``column i - column j`` of every display row.

    Parameters
    ----------
    differences : EstimateTable or None
        :func:`surveykit.contrast` of the domain means with the weights of
        :func:`pair_matrix` (rows ordered pair-major); None when there is no pair.
    pairs : tuple of (int, int)
        The pairs, as :func:`pair_matrix` returns them.
    rows : int
        Number of display rows ``r``.
    adjustment : str
        Multiplicity adjustment over the pairs of one display row.

    Returns
    -------
    PairTests
        ``difference``, ``p_value`` and ``p_adjusted`` of shape ``(r, pairs)``.

    """
    if differences is None or not pairs:
        empty = np.empty((rows, 0))
        return PairTests((), empty, empty, empty)
    shape = (len(pairs), rows)
    diff = np.asarray(differences.estimate, dtype=float).reshape(shape).T
    se = np.asarray(differences.se, dtype=float).reshape(shape).T
    df = np.asarray(differences.df, dtype=float).reshape(shape).T
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.abs(diff) / se
    p = np.where(np.isnan(t), np.nan, 2.0 * t_sf(t, df))
    return adjusted_tests(pairs, diff, p, adjustment)


def adjusted_tests(pairs: tuple[tuple[int, int], ...], difference: np.ndarray,
                   p_value: np.ndarray, adjustment: str) -> PairTests:
    """:class:`PairTests` of ``(r, pairs)`` differences and p-values, adjusted per row.

    Each display row's pairs are one family; NaN p-values (a pair that could not be
    tested) stay NaN and are not counted.
    """
    adjusted = (np.vstack([adjust_pvalues(row, adjustment)  # type: ignore[arg-type]
                           for row in p_value]) if pairs else p_value)
    return PairTests(pairs, difference, p_value, adjusted)


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
