"""Degrees of freedom and row counts of each domain's design, as R sees a subset design.

R's ``svyciprop`` and ``svyquantile`` use ``degf(design)`` and ``nrow(design)`` of the design
they are given; under ``svyby`` (or after ``subset``) that is the domain's design:

- linearisation designs: ``degf`` counts PSUs minus strata among the rows of the domain with
  non-zero weight; ``nrow`` is the number of rows of the domain (R drops the other rows),
  or of the whole sample for calibrated designs (R keeps them with zero weight);
- replicate designs: R recomputes ``degf`` of the subset as the rank of its replicate
  weights minus one (:meth:`~surveykit.ReplicateDesign.rank_df`, the rule the design's own
  ``df`` follows); ``nrow`` is the number of rows of the domain.
"""

from __future__ import annotations

import numpy as np

from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.design._codes import group_sums
from surveykit.estimation._domains import Domains, build_domains

__all__ = ["domain_df_and_rows", "given_df_and_rows", "object_df_and_rows", "object_rows"]


def domain_df_and_rows(design: SurveyDesign | ReplicateDesign, dom: Domains
                       ) -> tuple[np.ndarray, np.ndarray]:
    """R's ``degf`` and ``nrow`` of each domain's design, ``(D,)`` arrays.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.estimation._domains import build_domains
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
    dfs = np.empty(dom.n_domains)
    if isinstance(design, SurveyDesign):
        for d in range(dom.n_domains):
            dfs[d] = design.subset(codes == d).df
        if design.calibrations:
            rows = np.full(dom.n_domains, float(design.n))
        return dfs, rows
    for d in range(dom.n_domains):
        dfs[d] = design.rank_df(codes == d)
    return dfs, rows


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
    whole = dom if valid is None else build_domains(design, by)
    dfs, rows = domain_df_and_rows(design, whole)
    weighted = group_sums(whole.codes, design.analysis_weights(), whole.n_domains)[:, 0]
    if whole is dom or dom.labels.shape[1] == 0:
        return dfs, rows, weighted
    keys = [tuple(r) for r in whole.labels.itertuples(index=False)]
    pos = [keys.index(tuple(r)) for r in dom.labels.itertuples(index=False)]
    return dfs[pos], rows[pos], weighted[pos]


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
