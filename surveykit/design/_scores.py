"""Influence values ("scores") handed to the linearisation engine.

An estimator gives the engine its influence values either as a dense ``(n, k)`` array
(:class:`DenseScores`) or, for estimates in many domains, in factored form
(:class:`DomainScores`): column ``d * m + j`` is
``1[domain_i == d] * sum_t coef_t[d, j] * A_t[i, j]``. The factored form never builds the
``n x (D*m)`` matrix: the engine asks only for cluster totals, which are one sparse product
(or ``bincount``) over the combined cluster-and-domain code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from surveykit.design._codes import group_sums

__all__ = ["DenseScores", "DomainScores", "RatioScores", "Scores", "combined_codes"]


class Scores(Protocol):
    """What the linearisation engine needs from influence values."""

    @property
    def n_columns(self) -> int:
        """Number of estimates ``k``."""
        ...

    def dense(self) -> np.ndarray:
        """Return the ``(n, k)`` matrix of influence values (zero outside each column's domain)."""
        ...

    def group_totals(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Totals of the influence values in each group: ``(n_groups, k)``."""
        ...

    def group_presence(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Whether each group has a row in each column's domain: bool ``(n_groups, k)``."""
        ...

    @property
    def n_domains(self) -> int:
        """``D``: columns come in ``D`` domain blocks of ``k / D`` statistics."""
        ...

    def row_values(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the compact form ``(u (n, k/D), domain (n,))``.

        Row ``i`` has the values ``u[i]`` in block ``domain[i]`` and zeros elsewhere (rows
        with domain -1: zeros everywhere).
        """
        ...


def combined_codes(codes: np.ndarray, domain: np.ndarray | None, n_domains: int) -> np.ndarray:
    """Code of (group, domain) pairs, ``codes * n_domains + domain``; -1 outside every domain."""
    if domain is None:
        return codes
    return np.where(domain >= 0, codes * n_domains + domain, -1)


@dataclass(frozen=True, eq=False)
class DenseScores:
    """Dense influence values ``(n, k)`` whose columns share one domain mask.

    Examples
    --------
    >>> s = DenseScores(np.array([[1.0], [2.0], [3.0]]), np.array([True, True, False]))
    >>> s.group_totals(np.array([0, 0, 1]), 2).ravel()
    array([3., 3.])
    >>> s.group_presence(np.array([0, 0, 1]), 2).ravel()
    array([ True, False])

    """

    values: np.ndarray
    domain: np.ndarray | None = None

    @property
    def n_columns(self) -> int:
        """Number of columns."""
        return int(self.values.shape[1])

    def dense(self) -> np.ndarray:
        """Return the values."""
        return self.values

    def group_totals(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Column totals within groups."""
        return group_sums(codes, self.values, n_groups)

    def group_presence(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Flag groups with at least one row in the domain (all groups without a mask)."""
        if self.domain is None:
            present = np.ones(n_groups, dtype=bool)
        else:
            present = np.bincount(codes[self.domain], minlength=n_groups) > 0
        return np.repeat(present[:, None], self.n_columns, axis=1)

    @property
    def n_domains(self) -> int:
        """One block."""
        return 1

    def row_values(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the values, every row in block 0."""
        return self.values, np.zeros(self.values.shape[0], dtype=np.int64)


@dataclass(frozen=True, eq=False)
class DomainScores:
    """Influence values of ``m`` statistics in each of ``D`` domains, in factored form.

    Parameters
    ----------
    terms : tuple of (A, coef)
        ``A`` is ``(n, m)`` per-row values (already multiplied by the weights), ``coef`` is
        ``(D, m)``; column ``d * m + j`` of the scores is
        ``1[domain_codes == d] * sum_t coef_t[d, j] * A_t[:, j]``.
    domain_codes : ndarray of int
        Domain of each row, ``-1`` for rows in no domain.
    n_domains : int
        ``D``.

    Examples
    --------
    >>> s = DomainScores(((np.array([[1.0], [2.0], [4.0]]), np.array([[1.0], [0.5]])),),
    ...                  np.array([0, 1, 1]), 2)
    >>> s.dense()
    array([[1., 0.],
           [0., 1.],
           [0., 2.]])
    >>> s.group_totals(np.array([0, 0, 0]), 1)
    array([[1., 3.]])

    """

    terms: tuple[tuple[np.ndarray, np.ndarray], ...]
    domain_codes: np.ndarray
    n_domains: int

    @property
    def n_stats(self) -> int:
        """``m``, the statistics per domain."""
        return int(self.terms[0][0].shape[1])

    @property
    def n_columns(self) -> int:
        """``D * m``."""
        return self.n_domains * self.n_stats

    def dense(self) -> np.ndarray:
        """Materialise the ``(n, D*m)`` matrix (used only for calibrated designs)."""
        n, m = self.terms[0][0].shape
        out = np.zeros((n, self.n_domains, m))
        rows = np.flatnonzero(self.domain_codes >= 0)
        d = self.domain_codes[rows]
        for a, coef in self.terms:
            out[rows, d, :] += a[rows] * coef[d]
        return out.reshape(n, self.n_domains * m)

    def row_values(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's values in its own domain block."""
        d = np.maximum(self.domain_codes, 0)
        u = sum(a * coef[d] for a, coef in self.terms)
        return np.asarray(u), self.domain_codes

    def _combined(self, codes: np.ndarray) -> np.ndarray:
        return combined_codes(codes, self.domain_codes, self.n_domains)

    def group_totals(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Totals in each group, ``(n_groups, D*m)``, from one grouped sum per term."""
        comb = self._combined(codes)
        total = np.zeros((n_groups, self.n_domains, self.n_stats))
        for a, coef in self.terms:
            sums = group_sums(comb, a, n_groups * self.n_domains)
            total += sums.reshape(n_groups, self.n_domains, self.n_stats) * coef[None]
        return total.reshape(n_groups, self.n_columns)

    def group_presence(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Whether each group has rows of each domain, repeated over the ``m`` statistics."""
        counts = np.bincount(self._combined(codes)[self.domain_codes >= 0],
                             minlength=n_groups * self.n_domains)
        present = counts.reshape(n_groups, self.n_domains) > 0
        return np.repeat(present, self.n_stats, axis=1)


@dataclass(frozen=True, eq=False)
class RatioScores:
    """Influence values of ratios of weighted domain totals, never materialised.

    Column ``d * m + j`` is ``1[domain_i = d] w_i (y_ij - ratio_dj x_ij) * scale_dj``:
    ratios ``sum w y / sum w x`` have ``scale = 1 / sum w x``, means ``x = None`` (ones),
    totals ``ratio = 0`` and ``scale = 1``. Group totals are one weighted sparse product of
    ``y`` (and of ``x``, or a ``bincount`` of the weights), so neither the ``(n, D*m)``
    scores nor a weighted copy of ``y`` is ever built.

    Parameters
    ----------
    y : ndarray
        ``(n, m)`` values, unweighted; rows outside every domain are never read (may be NaN).
    x : ndarray or None
        ``(n, m)`` denominators, or None for ones.
    weights : ndarray
        ``(n,)`` analysis weights.
    ratio, scale : ndarray
        ``(D, m)``.
    domain_codes : ndarray of int or None
        Domain of each row (-1: none); None: every row is in the single domain.
    n_domains : int
        ``D``.

    Examples
    --------
    >>> y = np.array([[1.0], [3.0], [5.0]])
    >>> s = RatioScores(y, None, np.ones(3), np.array([[3.0]]), np.array([[1 / 3]]), None, 1)
    >>> s.dense().ravel()
    array([-0.66666667,  0.        ,  0.66666667])
    >>> s.group_totals(np.array([0, 0, 1]), 2).ravel()
    array([-0.66666667,  0.66666667])

    """

    y: np.ndarray
    x: np.ndarray | None
    weights: np.ndarray
    ratio: np.ndarray
    scale: np.ndarray
    domain_codes: np.ndarray | None
    n_domains: int

    @property
    def n_stats(self) -> int:
        """``m``."""
        return int(self.y.shape[1])

    @property
    def n_columns(self) -> int:
        """``D * m``."""
        return self.n_domains * self.n_stats

    def _domain(self) -> np.ndarray:
        if self.domain_codes is None:
            return np.zeros(self.y.shape[0], dtype=np.int64)
        return self.domain_codes

    def row_values(self) -> tuple[np.ndarray, np.ndarray]:
        """``w_i (y_i - ratio_d x_i) scale_d`` for each row's own domain ``d``."""
        dom = self._domain()
        d = np.maximum(dom, 0)
        x = 1.0 if self.x is None else self.x
        with np.errstate(invalid="ignore"):
            u = (self.y - self.ratio[d] * x) * self.scale[d] * self.weights[:, None]
        return u, dom

    def dense(self) -> np.ndarray:
        """Materialise the ``(n, D*m)`` matrix (used for calibrated designs only)."""
        u, dom = self.row_values()
        n, m = u.shape
        out = np.zeros((n, self.n_domains, m))
        rows = np.flatnonzero(dom >= 0)
        out[rows, dom[rows], :] = u[rows]
        return out.reshape(n, self.n_columns)

    def group_totals(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Totals per group and domain from weighted sums of ``y`` and ``x``."""
        comb = combined_codes(codes, self.domain_codes, self.n_domains)
        size = n_groups * self.n_domains
        ty = group_sums(comb, self.y, size, weights=self.weights)
        if self.x is None:
            tx = group_sums(comb, self.weights, size)
        else:
            tx = group_sums(comb, self.x, size, weights=self.weights)
        d = np.tile(np.arange(self.n_domains), n_groups)
        totals = (ty - self.ratio[d] * tx) * self.scale[d]
        return totals.reshape(n_groups, self.n_columns)

    def group_presence(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """Whether each group has rows of each domain, repeated over the ``m`` statistics."""
        comb = combined_codes(codes, self.domain_codes, self.n_domains)
        counts = np.bincount(comb[comb >= 0], minlength=n_groups * self.n_domains)
        present = counts.reshape(n_groups, self.n_domains) > 0
        return np.repeat(present, self.n_stats, axis=1)
