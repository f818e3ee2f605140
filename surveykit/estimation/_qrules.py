"""Quantile rules of R's ``svyquantile`` (``qrule=``), vectorised over weight columns.

Every rule takes values ``x`` sorted in ascending order (ties in their original order, as R's
``order``), a weight matrix ``w`` of shape ``(n, k)`` in the same row order and one
probability per column, and returns ``k`` quantiles. A column is one domain or one replicate:
rows with zero weight are left out, exactly as R's ``qrule_*`` functions drop them, so domains
and replicates are columns of one matrix instead of separate calls.

Cumulative weights are summed in extended precision (``numpy.longdouble``) and rounded to
double, as R's ``cumsum`` and ``sum`` do; that keeps R's ties (``cumw == p * sum(w)``, common
with equal weights) exact.

Rules (R survey 4.1.1, ``survey:::qrule_*``):

- ``math`` / ``hf1``: the smallest ``x`` whose cumulative weight share reaches ``p``
  (the inverse of the weighted empirical CDF).
- ``school`` / ``hf2``: as ``math``, but the average of two values where the share equals
  ``p`` exactly.
- ``hf3``: weights aggregated over tied values; the lower value at an exact tie when its
  position is even.
- ``hf4``: linear interpolation between the two values around ``p`` by weight shares.
- ``hf5`` ... ``hf9``: linear interpolation of ``x`` against plotting positions ``p_k``
  built from cumulative weights (Hyndman and Fan 1996 types 5-9 with weights).
- ``shahvaish``: Shah and Vaish (2006): step function at ``(S_k + 0.5 - w_k / 2)/(n + 1)``
  with ``S_k`` the cumulative weights scaled to mean one. As in R, ``w_k`` here is the
  unscaled weight, so this rule (alone) changes when all weights are multiplied by a
  constant.

R's behaviour at the edges is kept too: at ``p = 0`` "math" returns the second-smallest
value and "hf4" extrapolates below the minimum; at ``p = 1`` "hf4" gives NaN.

:class:`SortedVariable` sorts a variable once and runs the rules on each domain's rows (or
each replicate's weights) of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from surveykit.estimation._domains import Domains

__all__ = ["QRULES", "SortedVariable", "apply_qrule"]


def _cumw(w: np.ndarray) -> np.ndarray:
    return np.cumsum(w, axis=0, dtype=np.longdouble).astype(float)


def _row_at_rank(active: np.ndarray, rank: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Row index of the ``target``-th (1-based) active row of every column."""
    return np.argmax(active & (rank == target[None, :]), axis=0)


def _pick(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``values[rows[c], c]`` for a matrix, ``values[rows]`` for a vector."""
    if values.ndim == 1:
        return values[rows]
    return values[rows, np.arange(values.shape[1])]


def _qs(x: np.ndarray, w: np.ndarray, p: np.ndarray
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """R's ``qs``: values and weight shares on either side of ``p``.

    Returns ``(qlow, qup, wlow, wup, ilow)`` per column, ``ilow`` the 1-based position of
    ``qlow`` among the rows with non-zero weight.
    """
    active = w > 0
    cumw = _cumw(w)
    total = cumw[-1]
    n_act = active.sum(axis=0)
    below = (active & (cumw <= (p * total)[None, :])).sum(axis=0)
    ilow = np.maximum(below, 1)
    iup = np.minimum(ilow + 1, n_act)
    rank = np.cumsum(active, axis=0)
    lo = _row_at_rank(active, rank, ilow)
    up = _row_at_rank(active, rank, iup)
    wlow = p - _pick(cumw, lo) / total
    wup = _pick(cumw, up) / total - p
    return x[lo], x[up], wlow, wup, ilow


def _math(x: np.ndarray, w: np.ndarray, p: np.ndarray) -> np.ndarray:
    qlow, qup, wlow, _, _ = _qs(x, w, p)
    return np.where(wlow == 0, qlow, qup)


def _school(x: np.ndarray, w: np.ndarray, p: np.ndarray) -> np.ndarray:
    qlow, qup, wlow, _, _ = _qs(x, w, p)
    return np.where(wlow == 0, (qlow + qup) / 2, qup)


def _hf3(x: np.ndarray, w: np.ndarray, p: np.ndarray) -> np.ndarray:
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    grouped = np.add.reduceat(np.where(w > 0, w, 0.0), starts, axis=0)
    qlow, qup, wlow, _, ilow = _qs(x[starts], grouped, p)
    return np.where((wlow == 0) & (ilow % 2 == 0), qlow, qup)


def _hf4(x: np.ndarray, w: np.ndarray, p: np.ndarray) -> np.ndarray:
    qlow, qup, wlow, wup, _ = _qs(x, w, p)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma = wlow / (wup + wlow)
        return qlow * (1 - gamma) + qup * gamma


def _linear(x: np.ndarray, pk: np.ndarray, active: np.ndarray, p: np.ndarray) -> np.ndarray:
    """R's ``approx(pk, x, p, rule = 2)`` over the active rows (``pk`` increasing on them)."""
    n_act = active.sum(axis=0)
    rank = np.cumsum(active, axis=0)
    below = (active & (pk <= p[None, :])).sum(axis=0)
    first = _row_at_rank(active, rank, np.ones_like(n_act))
    last = _row_at_rank(active, rank, n_act)
    i = _row_at_rank(active, rank, np.maximum(below, 1))
    j = _row_at_rank(active, rank, np.minimum(below + 1, n_act))
    xi, xj, pi, pj = x[i], x[j], _pick(pk, i), _pick(pk, j)
    with np.errstate(invalid="ignore", divide="ignore"):
        inner = np.where(p == pi, xi, xi + (xj - xi) * ((p - pi) / (pj - pi)))
    return np.where(below == 0, x[first], np.where(below >= n_act, x[last], inner))


def _previous(cumw: np.ndarray) -> np.ndarray:
    """Cumulative weight before each row (R's ``c(0, cumw[-n])`` on the active rows)."""
    return np.vstack([np.zeros((1, cumw.shape[1])), cumw[:-1]])


def _last_weight(w: np.ndarray, active: np.ndarray) -> np.ndarray:
    last = w.shape[0] - 1 - np.argmax(active[::-1], axis=0)
    return _pick(w, last)


def _plotting(kind: str) -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    def rule(x: np.ndarray, w: np.ndarray, p: np.ndarray) -> np.ndarray:
        active = w > 0
        cumw = _cumw(w)
        total = cumw[-1]
        prev = _previous(cumw)
        wn = _last_weight(w, active)
        with np.errstate(invalid="ignore", divide="ignore"):
            if kind == "hf5":
                pk = (cumw - w / 2) / total
            elif kind == "hf6":
                pk = cumw / (total + wn)
            elif kind == "hf7":
                last = w.shape[0] - 1 - np.argmax(active[::-1], axis=0)
                pk = prev / _pick(prev, last)
            elif kind == "hf8":
                pk = (prev * 1 / 3 + cumw * 2 / 3) / (total + wn / 3)
            else:
                pk = (prev * 3 / 8 + cumw * 5 / 8) / (total + wn / 4)
        return _linear(x, pk, active, p)

    return rule


def _r_mean(w: np.ndarray, active: np.ndarray) -> np.ndarray:
    """R's ``mean`` (long-double sum, then one correction pass) over the active rows."""
    n = active.sum(axis=0).astype(np.longdouble)
    wl = np.where(active, w, 0.0).astype(np.longdouble)
    s = wl.sum(axis=0) / n
    s = s + np.where(active, wl - s[None, :], 0.0).sum(axis=0) / n
    return s.astype(float)


def _shahvaish(x: np.ndarray, w: np.ndarray, p: np.ndarray) -> np.ndarray:
    active = w > 0
    n_act = active.sum(axis=0)
    wbar = np.where(active, w / _r_mean(w, active)[None, :], 0.0)
    pk = (_cumw(wbar) + 0.5 - w / 2) / (n_act + 1)
    pk = np.where(active, pk, np.inf)
    order = np.argsort(pk, axis=0, kind="stable")
    pk_sorted = np.take_along_axis(pk, order, axis=0)
    x_sorted = x[order]
    below = (pk_sorted <= p[None, :]).sum(axis=0)
    at = np.where(below == 0, 0, below - 1)
    chosen = pk_sorted[at, np.arange(pk.shape[1])]
    tied = pk_sorted == chosen[None, :]
    # R's approx() collapses tied positions to the mean of their values
    return (np.where(tied, x_sorted, 0.0).sum(axis=0) / tied.sum(axis=0))


QRULES: dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]] = {
    "math": _math,
    "school": _school,
    "shahvaish": _shahvaish,
    "hf1": _math,
    "hf2": _school,
    "hf3": _hf3,
    "hf4": _hf4,
    **{f"hf{k}": _plotting(f"hf{k}") for k in range(5, 10)},
}

_MAX_CELLS = 2**22


def apply_qrule(rule: str, x_sorted: np.ndarray, w_sorted: np.ndarray,
                p: np.ndarray | float) -> np.ndarray:
    """Quantiles of every weight column by ``rule`` (columns without weight give NaN).

    Parameters
    ----------
    rule : str
        A key of :data:`QRULES`.
    x_sorted : ndarray
        ``(n,)`` values in ascending order.
    w_sorted : ndarray
        ``(n, k)`` non-negative weights in the same order.
    p : float or ndarray
        Probability, one for all columns or ``(k,)``.

    Returns
    -------
    ndarray
        ``(k,)`` quantiles; processed in column blocks so memory stays bounded.

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0, 4.0])
    >>> w = np.ones((4, 1))
    >>> apply_qrule("math", x, w, 0.5), apply_qrule("school", x, w, 0.5)
    (array([2.]), array([2.5]))
    >>> apply_qrule("hf7", x, w, 0.5)
    array([2.5])

    """
    w_sorted = np.asarray(w_sorted, dtype=float)
    k = w_sorted.shape[1]
    probs = np.broadcast_to(np.asarray(p, dtype=float), (k,))
    out = np.full(k, np.nan)
    fn = QRULES[rule]
    step = max(1, _MAX_CELLS // max(len(x_sorted), 1))
    for start in range(0, k, step):
        block = w_sorted[:, start:start + step]
        ok = (block > 0).any(axis=0)
        if ok.any():
            values = fn(x_sorted, block[:, ok], probs[start:start + step][ok])
            out[start:start + step][ok] = values
    return out


@dataclass(frozen=True, eq=False)
class SortedVariable:
    """One variable sorted once (stable, as R's ``order``), with weights and domain codes.

    ``segments[d]`` lists, in ascending order of the value, the positions (in the sorted
    arrays) of the rows of domain ``d``; quantile rules then run on each domain's rows only.
    """

    x: np.ndarray
    codes: np.ndarray
    order: np.ndarray
    xs: np.ndarray
    ws: np.ndarray
    segments: tuple[np.ndarray, ...]

    @classmethod
    def build(cls, x: np.ndarray, w: np.ndarray, dom: Domains) -> SortedVariable:
        """Sort ``x`` (missing values last) and split the sorted positions by domain."""
        order = np.argsort(x, kind="stable")
        cs = dom.codes[order]
        by_domain = np.argsort(cs, kind="stable")
        bounds = np.searchsorted(cs[by_domain], np.arange(dom.n_domains + 1))
        segments = tuple(by_domain[bounds[d]:bounds[d + 1]] for d in range(dom.n_domains))
        return cls(x, dom.codes, order, x[order], w[order], segments)

    @property
    def n_domains(self) -> int:
        """Number of domains."""
        return len(self.segments)

    def domain_quantiles(self, rule: str, d: int, weights: np.ndarray,
                         p: np.ndarray | float) -> np.ndarray:
        """Quantiles of domain ``d`` for weight columns ``weights`` (rows in sorted order)."""
        seg = self.segments[d]
        return apply_qrule(rule, self.xs[seg], weights[seg], p)

    def quantiles(self, rule: str, p: np.ndarray | float) -> np.ndarray:
        """Quantile at ``p`` (scalar or one per domain) in every domain: ``(D,)``."""
        probs = np.broadcast_to(np.asarray(p, dtype=float), (self.n_domains,))
        w = self.ws[:, None]
        return np.array([self.domain_quantiles(rule, d, w, probs[d])[0]
                         for d in range(self.n_domains)])
