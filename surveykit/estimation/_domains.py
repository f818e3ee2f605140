"""Domains (``by=``) and the shared ratio-of-totals core used by most estimators.

Domain estimation never drops rows: a domain is an integer code per row (``-1`` outside
every domain), as R's ``svyby`` applied to ``design[byfactor %in% level, ]`` keeps the
design. Estimates in ``D`` domains of ``m`` statistics come from one grouped sum, their
influence values stay in factored form (:class:`~surveykit.design.DomainScores`) and the
replicate estimates come from one product (:func:`~surveykit.design.replicate_totals`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns
from surveykit.design import (
    DomainScores,
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
    present = np.unique(key[in_use])
    codes = np.where(mask, np.searchsorted(present, key), -1)
    codes = np.where(mask & np.isin(key, present), codes, -1)
    label_cols = {}
    rem = present.copy()
    for col, lv in zip(by_cols, levels, strict=True):
        size = max(len(lv), 1)
        label_cols[col] = [lv[i] for i in rem % size]
        rem = rem // size
    return Domains(codes.astype(np.int64), len(present), pd.DataFrame(label_cols))


def _zero_outside(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    out = np.where((codes >= 0)[:, None], values, 0.0)
    return np.nan_to_num(out, nan=0.0)


def ratio_core(design: Design, y: np.ndarray, x: np.ndarray | None,
               dom: Domains) -> tuple[np.ndarray, np.ndarray]:
    """Ratios of domain totals ``sum w y / sum w x`` (totals when ``x`` is None).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design.
    y, x : ndarray
        ``(n, m)`` numerator and denominator values (``x=None``: totals of ``y``).
    dom : Domains
        The domains.

    Returns
    -------
    estimate : ndarray
        ``(D, m)``.
    cov : ndarray
        ``(D*m, D*m)`` covariance, rows in domain-major order.

    """
    codes, n_dom = dom.codes, dom.n_domains
    y = _zero_outside(y, codes)
    xv = None if x is None else _zero_outside(x, codes)
    w = design.analysis_weights()
    ty = group_sums(codes, y * w[:, None], n_dom)
    tx = None if xv is None else group_sums(codes, xv * w[:, None], n_dom)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = ty if tx is None else ty / tx

    def scores() -> DomainScores:
        if tx is None or xv is None:
            return DomainScores(((y * w[:, None], np.ones_like(est)),), codes, n_dom)
        centred = (y - np.where((codes >= 0)[:, None], est[codes], 0.0) * xv) * w[:, None]
        return DomainScores(((centred, 1.0 / tx),), codes, n_dom)

    def thetas() -> np.ndarray:
        assert isinstance(design, ReplicateDesign)
        ry = replicate_totals(design, y, codes, n_dom)
        if xv is None:
            return ry.reshape(design.n_replicates, -1)
        rx = replicate_totals(design, xv, codes, n_dom)
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
