"""Replicate variance engine: R's ``svrVar`` plus memory-bounded replicate estimation."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from surveykit._lazy import lazy_module
from surveykit.design._blas import blas_threads
from surveykit.design._codes import group_sums
from surveykit.design._jackknife import JackknifeMultipliers
from surveykit.design._replicate_design import _CHUNK_BYTES, ReplicateDesign
from surveykit.errors import DesignError, SurveykitWarning

if TYPE_CHECKING:
    import scipy.sparse as sp
else:
    sp = lazy_module("scipy.sparse")

__all__ = ["replicate_covariance", "replicate_estimates", "replicate_totals"]


def replicate_covariance(design: ReplicateDesign, thetas: np.ndarray,
                         full_estimate: np.ndarray) -> np.ndarray:
    """R's ``svrVar``: ``scale * sum_r rscales_r (theta_r - c)(theta_r - c)^T``.

    Parameters
    ----------
    design : ReplicateDesign
        Supplies ``scale``, ``rscales`` and ``mse``.
    thetas : ndarray
        Replicate estimates, ``(R, k)``.
    full_estimate : ndarray
        Full-sample estimate, ``(k,)``; the centre when ``design.mse`` is True, otherwise
        the mean of the replicates with positive ``rscales`` is used.

    Returns
    -------
    ndarray
        ``(k, k)`` covariance. Replicates with a missing estimate are dropped with a
        warning, as R does.

    Notes
    -----
    An estimate whose replicate values are all equal has variance exactly zero: R centres
    on ``colMeans`` (accumulated in extended precision, so the mean of equal values is that
    value), while a floating mean can miss it by one unit in the last place and leave a
    standard error of about 1e-16 times the estimate, enough to move a Woodruff interval of
    a quantile across a tie of cumulative weights. Deviations of at most 8 units in the
    last place of the largest replicate value are therefore treated as zero.

    """
    thetas = np.asarray(thetas, dtype=float).reshape(design.n_replicates, -1)
    rscales = design.rscales
    bad = np.isnan(thetas).any(axis=1)
    if bad.any():
        if bad.all():
            raise DesignError("All replicates gave missing estimates.")
        warnings.warn(f"{int(bad.sum())} replicates gave NA results and were discarded.",
                      SurveykitWarning, stacklevel=3)
        thetas, rscales = thetas[~bad], rscales[~bad]
    if design.mse:
        centre = np.asarray(full_estimate, dtype=float).reshape(-1)
    else:
        centre = thetas[rscales > 0].mean(axis=0)
    dev = (thetas - centre) * np.sqrt(rscales)[:, None]
    dev[:, _flat_columns(thetas, centre)] = 0.0
    with blas_threads(dev.shape[0] * dev.shape[1] ** 2):
        return np.asarray(dev.T @ dev) * design.scale


def _flat_columns(thetas: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Columns whose replicate values (and centre) agree to rounding error."""
    if thetas.shape[0] == 0:
        return np.zeros(thetas.shape[1], dtype=bool)
    hi = np.maximum(thetas.max(axis=0), centre)
    lo = np.minimum(thetas.min(axis=0), centre)
    size = np.maximum(np.abs(hi), np.abs(lo))
    with np.errstate(invalid="ignore"):
        return (hi - lo) <= 8.0 * np.finfo(float).eps * size


def replicate_estimates(design: ReplicateDesign,
                        estimator: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Call ``estimator(weights (n, r)) -> (r, k)`` on memory-bounded chunks of replicates.

    Returns the stacked ``(R, k)`` replicate estimates.
    """
    parts = [np.asarray(estimator(block), dtype=float).reshape(block.shape[1], -1)
             for _, block in design.replicate_chunks()]
    return np.concatenate(parts, axis=0)


def replicate_totals(design: ReplicateDesign, values: np.ndarray,
                     domain_codes: np.ndarray | None = None, n_domains: int = 1) -> np.ndarray:
    """Weighted totals of ``values`` under every replicate weight, by domain.

    Parameters
    ----------
    design : ReplicateDesign
        The design.
    values : ndarray
        ``(n, m)`` per-row values (not yet weighted). Rows outside every domain (code -1 or
        outside ``design.domain``) are never read, so they may hold NaN.
    domain_codes : ndarray of int, optional
        Domain of each row (``-1``: none); default one domain (the design's).
    n_domains : int
        ``D``.

    Returns
    -------
    ndarray
        ``(R, D, m)`` totals. Compressed designs start from PSU-by-domain totals:
        jackknife designs take each replicate's total from its stratum's and deleted PSU's
        totals (``O(PSUs + R)`` per column, no multiplier array), the others use one
        product of the per-PSU multipliers with them; full replicate weights one BLAS product
        ``(r, n) @ (n, m)`` per memory-bounded chunk of replicates (with several domains,
        one sparse product of the domain-spread values per chunk).

    """
    values = np.asarray(values, dtype=float)
    values = values[:, None] if values.ndim == 1 else values
    n, m = values.shape
    codes = np.zeros(n, dtype=np.int64) if domain_codes is None else domain_codes
    if design.domain is not None:
        codes = np.where(design.domain, codes, -1)
    mult = design._rep_psu
    if mult is not None and design._rep_index is not None:
        g = mult.shape[0]
        comb = np.where(codes >= 0, design._rep_index * n_domains + codes, -1)
        psu_tot = group_sums(comb, values, g * n_domains,
                             weights=design._w).reshape(g, n_domains * m)
        if isinstance(mult, JackknifeMultipliers):
            out = mult.totals(psu_tot)
        else:
            with blas_threads(mult.size * n_domains * m):
                out = mult.T @ psu_tot
        return out.reshape(design.n_replicates, n_domains, m)
    assert design._rep_full is not None
    keep = codes >= 0
    clean = values if keep.all() else np.where(keep[:, None], values, 0.0)
    right = clean if n_domains == 1 else _spread(clean, np.maximum(codes, 0), n_domains)
    out = np.empty((design.n_replicates, n_domains * m))
    step = max(1, int(_CHUNK_BYTES // (8 * max(n, 1))))
    for start in range(0, design.n_replicates, step):  # chunks of replicates
        block = design._rep_full[:, start:start + step]
        part = block.T @ clean if n_domains == 1 else (right.T @ block).T
        out[start:start + block.shape[1]] = part
    return out.reshape(design.n_replicates, n_domains, m)


def _spread(values: np.ndarray, codes: np.ndarray, n_domains: int) -> sp.csr_matrix:
    """Sparse ``(n, D*m)``: row ``i`` holds ``values[i]`` in the columns of its domain.

    Built directly (``m`` entries per row, no sorting); its transpose is CSC, whose product
    with a replicate block reads each row of the block once.
    """
    n, m = values.shape
    cols = (codes[:, None] * m + np.arange(m)[None, :]).reshape(-1)
    return sp.csr_matrix((np.ascontiguousarray(values).reshape(-1), cols,
                          np.arange(0, n * m + 1, m)), shape=(n, n_domains * m))
