"""Iterative proportional fitting on the cells of a cross-table (pure numpy).

The rows never enter the loop: each sweep post-stratifies the cell totals to one margin
after another, so a sweep costs O(cells), not O(rows). Several weight columns (the full
sample and every replicate) are fitted together as the columns of a (cells, k) array.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from surveykit._lazy import lazy_module

sp = lazy_module("scipy.sparse")

__all__ = ["IPFResult", "cell_multipliers", "ipf"]


@dataclass(frozen=True)
class IPFResult:
    """Outcome of :func:`ipf`.

    Attributes
    ----------
    cells : numpy.ndarray
        Fitted cell totals, shaped like the input.
    steps : list of numpy.ndarray
        Cell totals right after each margin's step in the final sweep (R's ``rake`` keeps the
        weights after each margin of its last sweep; the linearization engine uses them).
    iterations : int
        Sweeps run.
    misfit : numpy.ndarray
        Final largest |achieved - target| / population total, per margin.
    history : numpy.ndarray
        ``(iterations, margins)``: the misfit per margin after every sweep.
    converged : bool
        Whether every misfit fell to ``tol`` or below within ``max_iter`` sweeps.

    """

    cells: np.ndarray
    steps: list[np.ndarray]
    iterations: int
    misfit: np.ndarray
    history: np.ndarray
    converged: bool


def _summer(codes: np.ndarray, size: int, two_d: bool):
    if not two_d:
        return lambda t: np.bincount(codes, weights=t, minlength=size)
    ind = sp.csr_matrix((np.ones(codes.size), (codes, np.arange(codes.size))),
                        shape=(size, codes.size))
    return lambda t: np.asarray(ind @ t)


def _misfit(sums: np.ndarray, target: np.ndarray, total: float) -> float:
    tgt = target if sums.ndim == 1 else target[:, None]
    live = sums > 0  # a category a replicate lost entirely cannot be fitted: left out
    return float(np.max(np.abs(np.where(live, sums - tgt, 0.0)), initial=0.0)) / max(total, 1e-300)


def ipf(
    cells: np.ndarray,
    margin_codes: Sequence[np.ndarray],
    targets: Sequence[np.ndarray],
    *,
    tol: float,
    max_iter: int,
) -> IPFResult:
    """Rake cell totals to the margins.

    Parameters
    ----------
    cells : numpy.ndarray
        ``(C,)`` or ``(C, k)`` initial weighted cell totals.
    margin_codes : sequence of numpy.ndarray
        For each margin, the category (``0 .. K_m - 1``) of every cell.
    targets : sequence of numpy.ndarray
        For each margin, the ``K_m`` population totals.
    tol, max_iter : float, int
        Stop when every margin's misfit (largest |achieved - target| / total) is at most
        ``tol``; give up after ``max_iter`` sweeps.

    Examples
    --------
    >>> cells = np.array([10.0, 20.0, 30.0, 40.0])          # 2 x 2 table, row-major
    >>> res = ipf(cells, [np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])],
    ...           [np.array([50.0, 50.0]), np.array([60.0, 40.0])], tol=1e-12, max_iter=100)
    >>> res.converged, np.round(res.cells, 4).tolist()
    (True, [27.5765, 22.4235, 32.4235, 17.5765])

    """
    two_d = cells.ndim == 2
    summers = [_summer(c, t.size, two_d) for c, t in zip(margin_codes, targets, strict=True)]
    totals = [float(t.sum()) for t in targets]
    t = cells.astype(float, copy=True)
    history: list[np.ndarray] = []
    steps: list[np.ndarray] = []
    for _ in range(max_iter):
        steps = []
        for codes, target, summer in zip(margin_codes, targets, summers, strict=True):
            sums = summer(t)
            tgt = target if not two_d else target[:, None]
            factor = np.divide(tgt, sums, out=np.ones_like(sums), where=sums > 0)
            t = t * factor[codes]
            steps.append(t)
        misfit = np.array([_misfit(s(t), tg, n) for s, tg, n in zip(summers, targets, totals,
                                                                    strict=True)])
        history.append(misfit)
        if misfit.max(initial=0.0) <= tol:
            break
    hist = np.array(history).reshape(len(history), len(targets))
    return IPFResult(t, steps, len(history), hist[-1], hist, bool(hist[-1].max() <= tol))


def cell_multipliers(fitted: np.ndarray, initial: np.ndarray) -> np.ndarray:
    """Ratio fitted / initial per cell; 1 where the initial total is 0 (empty cells).

    Examples
    --------
    >>> cell_multipliers(np.array([2.0, 0.0]), np.array([1.0, 0.0])).tolist()
    [2.0, 1.0]

    """
    return np.divide(fitted, initial, out=np.ones_like(fitted), where=initial != 0)
