"""Domains (``by=``) and the shared ratio-of-totals core used by most estimators.

Domain estimation never drops rows: a domain is an integer code per row (``-1`` outside
every domain), as R's ``svyby`` applied to ``design[byfactor %in% level, ]`` keeps the
design. Estimates in ``D`` domains of ``m`` statistics come from one grouped sum, their
influence values stay in factored form (:class:`~surveykit.design.RatioScores`) and the
replicate estimates come from one product (:func:`~surveykit.design.replicate_totals`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns
from surveykit.design import (
    RatioScores,
    ReplicateDesign,
    SurveyDesign,
    design_covariance,
    replicate_totals,
)
from surveykit.design._codes import group_sums, sorted_codes

__all__ = ["Domains", "build_domains", "ratio_core", "srs_variance"]

Design = SurveyDesign | ReplicateDesign


@dataclass(frozen=True, eq=False)
class Domains:
    """Domain code of every row and the ``by`` values of each domain.

    Attributes
    ----------
    codes : ndarray of int
        Per-row domain code, ``-1`` outside every domain (and outside a subset).
    n_domains : int
        ``D``.
    labels : pandas.DataFrame
        ``D`` rows, one column per ``by`` variable (no columns without ``by``).

    """

    codes: np.ndarray
    n_domains: int
    labels: pd.DataFrame

    def counts(self) -> np.ndarray:
        """Rows in each domain."""
        return np.bincount(self.codes[self.codes >= 0], minlength=self.n_domains)


def build_domains(design: Design, by: str | list[str] | None,
                  valid: np.ndarray | None = None) -> Domains:
    """Domains from ``by`` columns, ordered as R's ``svyby`` (first variable fastest).

    Rows outside ``design.domain``, rows where ``valid`` is False and rows with a missing
    ``by`` value belong to no domain. Domains whose rows all have zero weight are dropped,
    as R does.
    """
    data = design.data
    by_cols = check_columns("by", data, as_column_list("by", by))
    mask = np.ones(len(data), dtype=bool) if design.domain is None else design.domain
    if valid is not None:
        mask = mask & valid
    if not by_cols:
        return Domains(np.where(mask, 0, -1).astype(np.int64), 1, pd.DataFrame(index=[0]))
    key = np.zeros(len(data), dtype=np.int64)
    stride = 1
    levels = []
    for col in by_cols:
        codes, lv = sorted_codes(data[col])
        mask = mask & (codes >= 0)
        key += codes * stride
        stride *= max(len(lv), 1)
        levels.append(lv)
    in_use = mask & (design.analysis_weights() != 0)
    present, codes = _dense_codes(np.where(mask, key, 0), in_use, mask, stride)
    label_cols = {}
    rem = present.copy()
    for col, lv in zip(by_cols, levels, strict=True):
        size = max(len(lv), 1)
        label_cols[col] = [lv[i] for i in rem % size]
        rem = rem // size
    return Domains(codes.astype(np.int64), len(present), pd.DataFrame(label_cols))


def _dense_codes(key: np.ndarray, in_use: np.ndarray, mask: np.ndarray,
                 n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys present among ``in_use`` rows and each masked row's rank among them.

    A ``bincount`` lookup table (O(n), no sort) when the key space is small, else sorting.
    """
    if n_keys <= 4 * key.shape[0] + 1024:
        present = np.flatnonzero(np.bincount(key[in_use], minlength=n_keys))
        lookup = np.full(n_keys, -1, dtype=np.int64)
        lookup[present] = np.arange(present.shape[0])
        return present, np.where(mask, lookup[key], -1)
    present = np.unique(key[in_use])
    if present.shape[0] == 0:
        return present, np.full(key.shape[0], -1, dtype=np.int64)
    rank = np.minimum(np.searchsorted(present, key), present.shape[0] - 1)
    return present, np.where(mask & (present[rank] == key), rank, -1)


def _zero_outside(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    out = np.where((codes >= 0)[:, None], values, 0.0)
    return np.nan_to_num(out, nan=0.0)


def _denominator(x: np.ndarray | float | None, m: int) -> np.ndarray | None:
    """``x`` as an ``(n, m)`` array, or None for a constant 1 (means) or no ratio (totals)."""
    if x is None or np.isscalar(x):
        return None
    return np.asarray(x, dtype=float)


def ratio_core(design: Design, y: np.ndarray, x: np.ndarray | float | None,
               dom: Domains) -> tuple[np.ndarray, np.ndarray]:
    """Ratios of domain totals ``sum w y / sum w x`` (totals when ``x`` is None).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design.
    y : ndarray
        ``(n, m)`` numerator values.
    x : ndarray, 1.0 or None
        ``(n, m)`` denominator values; the scalar ``1.0`` for means (no ones matrix is
        built); None for totals of ``y``.
    dom : Domains
        The domains.

    Returns
    -------
    estimate : ndarray
        ``(D, m)``.
    cov : ndarray
        ``(D*m, D*m)`` covariance, rows in domain-major order.

    Notes
    -----
    Rows outside every domain are never read (they may hold NaN) and ``y`` is never
    copied: the influence values ``w (y - R x) / sum(w x)`` stay factored
    (:class:`~surveykit.design.RatioScores`), the engine asks only for their cluster
    totals.

    """
    if x is not None and np.isscalar(x) and float(x) != 1.0:  # type: ignore[arg-type]
        raise ValueError("A scalar denominator must be 1.0 (means).")
    codes, n_dom = dom.codes, dom.n_domains
    w = design.analysis_weights()
    y = np.asarray(y, dtype=float)
    xv = _denominator(x, y.shape[1])
    dcodes = None if n_dom == 1 and bool((codes == 0).all()) else codes
    ty = (w @ y)[None, :] if dcodes is None else group_sums(codes, y, n_dom, weights=w)
    if x is None:
        est, ratio, scale = ty, np.zeros_like(ty), np.ones_like(ty)
    else:
        tx = group_sums(codes, w if xv is None else xv, n_dom,
                        weights=None if xv is None else w)
        with np.errstate(divide="ignore", invalid="ignore"):
            est = ty / tx
            scale = np.broadcast_to(1.0 / tx, ty.shape)
        ratio = est

    def scores() -> RatioScores:
        return RatioScores(y, xv, w, ratio, scale, dcodes, n_dom)

    def thetas() -> np.ndarray:
        assert isinstance(design, ReplicateDesign)
        ry = replicate_totals(design, y, codes, n_dom)
        if x is None:
            return ry.reshape(design.n_replicates, -1)
        ones = np.ones((y.shape[0], 1))
        rx = replicate_totals(design, ones if xv is None else xv, codes, n_dom)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (ry / rx).reshape(design.n_replicates, -1)

    cov = design_covariance(design, scores, None, est.reshape(-1), replicate_thetas=thetas)
    return est, cov


def srs_variance(design: Design, values: np.ndarray, dom: Domains
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R's ``svyvar`` of ``values`` in each domain with the counts deff needs.

    Returns ``(s2 (D, m), nobs (D,), psum (D,))`` where ``nobs`` follows R: rows with
    non-zero weight for linearisation designs, all rows of the domain for replicate designs.
    """
    codes, n_dom = dom.codes, dom.n_domains
    w = design.analysis_weights()
    v = _zero_outside(values, codes)
    psum = np.bincount(codes[codes >= 0], weights=w[codes >= 0], minlength=n_dom)
    mean = group_sums(codes, v * w[:, None], n_dom) / psum[:, None]
    dev = np.where((codes >= 0)[:, None], v - mean[np.maximum(codes, 0)], 0.0)
    ss = group_sums(codes, dev**2 * w[:, None], n_dom) / psum[:, None]
    if isinstance(design, ReplicateDesign):
        nobs = dom.counts().astype(float)
    else:
        nz = (codes >= 0) & (w != 0)
        nobs = np.bincount(codes[nz], minlength=n_dom).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = ss * (nobs / (nobs - 1))[:, None]
    return s2, nobs, psum
