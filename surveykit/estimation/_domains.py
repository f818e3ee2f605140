"""Domains (``by=``), the design R sees in each, and the ratio-of-totals core of most estimators.

Domain estimation never drops rows: a domain is an integer code per row (``-1`` outside
every domain), as R's ``svyby`` applied to ``design[byfactor %in% level, ]`` keeps the
design. Estimates in ``D`` domains of ``m`` statistics come from one grouped sum, their
influence values stay in factored form (:class:`~surveykit.design.RatioScores`) and the
replicate estimates come from one product (:func:`~surveykit.design.replicate_totals`).

Degrees of freedom and row counts of each domain's design, as R sees a subset design: R's
``svyciprop`` and ``svyquantile`` use ``degf(design)`` and ``nrow(design)`` of the design
they are given; under ``svyby`` (or after ``subset``) that is the domain's design:

- linearisation designs: ``degf`` counts PSUs minus strata among the rows of the domain with
  non-zero weight; ``nrow`` is the number of rows of the domain (R drops the other rows),
  or of the whole sample for calibrated designs (R keeps them with zero weight);
- replicate designs: R recomputes ``degf`` of the subset as the rank of its replicate
  weights minus one (:meth:`~surveykit.ReplicateDesign.rank_df`, the rule the design's own
  ``df`` follows); ``nrow`` is the number of rows of the domain.
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
from surveykit.design._codes import group_sums, indicator, sorted_codes

__all__ = ["Domains", "build_domains", "domain_df_and_rows", "given_df_and_rows",
           "object_df_and_rows", "object_rows", "ratio_core", "srs_variance"]

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
    as R does. The domains of the whole design (no ``valid``) are built once per design
    and returned again (read-only arrays): every item is estimated in the same domains.
    """
    by_cols = tuple(check_columns("by", design.data, as_column_list("by", by)))
    whole, keys = design._cached(("domains", by_cols),
                                 lambda: _whole_domains(design, by_cols))
    if valid is None:
        return whole
    present, codes = _domain_keys(design, by_cols, valid)
    same = np.array_equal(present, keys)
    return Domains(codes, len(present),
                   whole.labels if same else _domain_labels(design, by_cols, present))


def _whole_domains(design: Design, by_cols: tuple[str, ...]) -> tuple[Domains, np.ndarray]:
    """Build the domains of the whole design and their keys (see :func:`_domain_keys`)."""
    present, codes = _domain_keys(design, by_cols, None)
    codes.flags.writeable = False
    return Domains(codes, len(present), _domain_labels(design, by_cols, present)), present


def _by_codes(design: Design, column: str) -> tuple[np.ndarray, list[object]]:
    """Sorted codes and levels of a ``by`` column (once per design, read-only)."""
    return design._cached(("by codes", column), lambda: sorted_codes(design.data[column]))


def _domain_keys(design: Design, by_cols: tuple[str, ...], valid: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys of the domains present and each row's domain code (-1: none).

    A domain's key combines the level codes of the ``by`` columns, the first fastest.
    """
    mask = np.ones(design.n, dtype=bool) if design.domain is None else design.domain
    if valid is not None:
        mask = mask & valid
    if not by_cols:
        return np.zeros(1, dtype=np.int64), np.where(mask, 0, -1).astype(np.int64)
    key = np.zeros(design.n, dtype=np.int64)
    stride = 1
    for col in by_cols:
        codes, lv = _by_codes(design, col)
        mask = mask & (codes >= 0)
        key += codes * stride
        stride *= max(len(lv), 1)
    in_use = mask & (design.analysis_weights() != 0)
    present, codes = _dense_codes(np.where(mask, key, 0), in_use, mask, stride)
    return present, codes.astype(np.int64)


def _domain_labels(design: Design, by_cols: tuple[str, ...], present: np.ndarray
                   ) -> pd.DataFrame:
    """Return the ``by`` values of the domains with keys ``present`` (one row each)."""
    if not by_cols:
        return pd.DataFrame(index=[0])
    label_cols = {}
    rem = present.copy()
    for col in by_cols:
        lv = _by_codes(design, col)[1]
        size = max(len(lv), 1)
        label_cols[col] = [lv[i] for i in rem % size]
        rem = rem // size
    return pd.DataFrame(label_cols)


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
    # the numerator and denominator totals share one weighted indicator of the domains
    ind = None if dcodes is None or y.shape[1] == 1 else indicator(codes, n_dom, w)
    ty = (w @ y)[None, :] if dcodes is None else group_sums(codes, y, n_dom, weights=w,
                                                            ind=ind)
    if x is None:
        est, ratio, scale = ty, np.zeros_like(ty), np.ones_like(ty)
    else:
        tx = (group_sums(codes, w, n_dom) if xv is None
              else group_sums(codes, xv, n_dom, weights=w, ind=ind))
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


def domain_df_and_rows(design: SurveyDesign | ReplicateDesign, dom: Domains
                       ) -> tuple[np.ndarray, np.ndarray]:
    """R's ``degf`` and ``nrow`` of each domain's design, ``(D,)`` arrays.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"st": [1, 1, 2, 2], "psu": [1, 2, 3, 4], "g": list("aabb")})
    >>> d = SurveyDesign(df, weights=pd.Series([1.0] * 4), strata="st", psu="psu")
    >>> domain_df_and_rows(d, build_domains(d, "g"))
    (array([1., 1.]), array([2., 2.]))

    """
    codes = dom.codes
    full = bool((codes == 0).all()) and dom.n_domains == 1
    if full:
        return np.array([float(design.df)]), np.array([float(design.n)])
    rows = dom.counts().astype(float)
    if isinstance(design, SurveyDesign):
        if design.calibrations:
            rows = np.full(dom.n_domains, float(design.n))
        return _domain_degf(design, dom), rows
    dfs = np.empty(dom.n_domains)
    for d in range(dom.n_domains):
        dfs[d] = design.rank_df(codes == d)
    return dfs, rows


def _domain_degf(design: SurveyDesign, dom: Domains) -> np.ndarray:
    """``design.subset(dom.codes == d).df`` of every domain ``d`` at once.

    R's ``degf`` of a subset: first-stage PSUs minus strata among the domain's rows with
    non-zero weight, counted as the distinct (domain, PSU) and (domain, stratum) pairs.
    """
    st = design._stages[0]
    use = (dom.codes >= 0) & (design.analysis_weights() != 0)

    def count(groups: np.ndarray, n_groups: int) -> np.ndarray:
        pairs = np.unique(dom.codes[use] * n_groups + groups[use])
        return np.bincount(pairs // n_groups, minlength=dom.n_domains)

    return (count(st.clusters, st.n_clusters) - count(st.strata, st.n_strata)).astype(float)


def given_df_and_rows(design: SurveyDesign | ReplicateDesign, by: str | list[str] | None,
                      dom: Domains, valid: np.ndarray | None
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R's ``degf``, ``nrow`` and weight total of the design each domain was given, ``(D,)``.

    ``dom`` is built with rows that have a missing value left out (``valid``); R's
    ``svyciprop(..., na.rm=TRUE)`` still takes its degrees of freedom and row count from
    the design it was given, where the rows with a missing value count (only ``svymean``
    inside it drops them). Without missing values these are :func:`domain_df_and_rows`
    and the domains' weight totals.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"st": [1, 1, 2, 2], "psu": [1, 2, 3, 4], "y": [1.0, None, 0, 1]})
    >>> d = SurveyDesign(df, weights=pd.Series([1.0] * 4), strata="st", psu="psu")
    >>> valid = df["y"].notna().to_numpy()
    >>> given_df_and_rows(d, None, build_domains(d, None, valid), valid)
    (array([2.]), array([4.]), array([4.]))

    """
    whole = build_domains(design, by)
    dfs, rows, weighted = design._cached(("given", tuple(as_column_list("by", by))),
                                         lambda: _df_rows_weighted(design, whole))
    if valid is None or dom.labels.shape[1] == 0:
        return dfs, rows, weighted
    # every row of a domain of ``dom`` lies in the domain of ``whole`` with the same labels
    inside = np.flatnonzero(dom.codes >= 0)
    pos = np.zeros(dom.n_domains, dtype=np.int64)
    pos[dom.codes[inside]] = whole.codes[inside]
    return dfs[pos], rows[pos], weighted[pos]


def _df_rows_weighted(design: Design, dom: Domains
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`domain_df_and_rows` and the weight total of each domain."""
    dfs, rows = domain_df_and_rows(design, dom)
    return dfs, rows, group_sums(dom.codes, design.analysis_weights(), dom.n_domains)[:, 0]


def object_rows(design: SurveyDesign | ReplicateDesign) -> np.ndarray:
    """Rows of the design object R holds, whatever their weight (a boolean mask).

    A subset of a calibrated or post-stratified linearisation design keeps all rows (R
    gives the others zero weight); a subset of any other design only its own rows.
    """
    if isinstance(design, SurveyDesign) and design.calibrations:
        return np.ones(design.n, dtype=bool)
    return np.ones(design.n, dtype=bool) if design.domain is None else design.domain


def object_df_and_rows(design: SurveyDesign | ReplicateDesign) -> tuple[float, int]:
    """PSUs minus strata, and rows, of the design object R holds (``svychisq``'s ``nu``, ``N``).

    R's ``svychisq`` counts every PSU and row of the design object (:func:`object_rows`),
    whatever its weight: PSUs whose rows all have zero weight still count. Replicate
    designs: ``design.df`` and the rows of the domain.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"st": [1, 1, 2, 2], "psu": [1, 2, 3, 4]})
    >>> d = SurveyDesign(df, weights=pd.Series([1.0, 0.0, 1.0, 1.0]), strata="st", psu="psu")
    >>> object_df_and_rows(d), d.df
    ((2.0, 4), 1)

    """
    rows = object_rows(design)
    if isinstance(design, ReplicateDesign):
        return float(design.df), int(rows.sum())
    st = design._stages[0]
    n_psu = np.unique(st.clusters[rows]).shape[0]
    n_strata = np.unique(st.strata[rows]).shape[0]
    return float(n_psu - n_strata), int(rows.sum())
