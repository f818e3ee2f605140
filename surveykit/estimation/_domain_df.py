"""Degrees of freedom and row counts of each domain's design, as R sees a subset design.

R's ``svyciprop`` and ``svyquantile`` use ``degf(design)`` and ``nrow(design)`` of the design
they are given; under ``svyby`` (or after ``subset``) that is the domain's design:

- linearisation designs: ``degf`` counts PSUs minus strata among the rows of the domain with
  non-zero weight; ``nrow`` is the number of rows of the domain (R drops the other rows),
  or of the whole sample for calibrated designs (R keeps them with zero weight);
- replicate designs: R recomputes ``degf`` of the subset as the rank of its replicate
  weights minus one; ``nrow`` is the number of rows of the domain.
"""

from __future__ import annotations

import numpy as np

from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.estimation._domains import Domains

__all__ = ["domain_df_and_rows"]


def _rank(a: np.ndarray) -> int:
    """Numerical rank with the rule ``ReplicateDesign.df`` uses (singular values > 1e-5 s_max)."""
    if a.size == 0:
        return 0
    s = np.linalg.svd(a, compute_uv=False)
    return int((s > 1e-5 * s[0]).sum()) if s[0] > 0 else 0


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
    reps = design.replicate_weights_array
    for d in range(dom.n_domains):
        dfs[d] = _rank(reps[codes == d]) - 1
    return dfs, rows
