"""Linear combinations of estimates with their design-based covariance (R's ``svycontrast``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit.estimation._glm import GLMResult
from surveykit.estimation._results import EstimateTable

__all__ = ["contrast", "estimate_names"]

Weights = Mapping[str, Any] | Sequence[float] | np.ndarray


def _stat_name(row: pd.Series) -> str:
    level = row.get("level")
    if level is None or (isinstance(level, float) and np.isnan(level)):
        return str(row["variable"])
    return f"{row['variable']}{level}"


def estimate_names(est: EstimateTable | GLMResult) -> list[str]:
    """R's coefficient names of the rows of ``est`` (the keys ``contrast`` accepts).

    ``svymean(~api00 + stype)`` gives ``api00``, ``stypeE``, ...; ``svyby`` gives the
    domain values joined by ``.`` (``E``, ``E.Yes``) and, with several statistics per
    domain, ``:`` and the statistic (``E:api00``); a GLM gives its terms.

    Examples
    --------
    >>> t = EstimateTable(labels=pd.DataFrame({"stype": ["E", "H"], "variable": "api00"}),
    ...                   estimate=np.zeros(2), se=np.ones(2), df=np.full(2, 10.0),
    ...                   n=np.ones(2), n_weighted=np.ones(2), cov=np.eye(2),
    ...                   statistic="mean", variance_method="linearization")
    >>> estimate_names(t)
    ['E', 'H']

    """
    if isinstance(est, GLMResult):
        return list(est.terms)
    labels = est.labels.reset_index(drop=True)
    stat_cols = {"variable", "level", "quantile", "denominator"}
    by_cols = [c for c in labels.columns if c not in stat_cols]
    stats = [_stat_name(row) for _, row in labels.iterrows()]
    if not by_cols:
        return stats
    domains = [".".join(str(v) for v in row) for row in labels[by_cols].itertuples(index=False)]
    if len(set(stats)) == 1:
        return domains
    return [f"{d}:{s}" for d, s in zip(domains, stats, strict=True)]


def _one_vector(weights: Any, names: list[str], label: str) -> np.ndarray:
    if isinstance(weights, Mapping):
        unknown = [k for k in weights if k not in names]
        if unknown:
            raise ValueError(f"'weights' of contrast {label!r} name unknown estimates "
                             f"{unknown!r}; the estimates are {names!r}.")
        return np.array([float(weights.get(n, 0.0)) for n in names])
    vec = np.asarray(weights, dtype=float).reshape(-1)
    if vec.shape[0] != len(names):
        raise ValueError(f"'weights' of contrast {label!r} must have one value per estimate "
                         f"({len(names)}: {names!r}); got {vec.shape[0]}.")
    return vec


def _contrast_matrix(weights: Weights, names: list[str]) -> tuple[list[str], np.ndarray]:
    if isinstance(weights, Mapping) and weights and all(
            isinstance(v, Mapping | Sequence | np.ndarray) and not isinstance(v, str)
            for v in weights.values()):
        labels = [str(k) for k in weights]
        return labels, np.vstack([_one_vector(v, names, k) for k, v in weights.items()])
    if isinstance(weights, Mapping) or np.ndim(weights) == 1:
        return ["contrast"], _one_vector(weights, names, "contrast")[None, :]
    mat = np.asarray(weights, dtype=float)
    if mat.ndim != 2 or mat.shape[1] != len(names):
        raise ValueError(f"'weights' must be a dict, a vector of {len(names)} values or a "
                         f"matrix with {len(names)} columns (got shape {mat.shape}).")
    return [f"contrast{i + 1}" for i in range(mat.shape[0])], mat


def contrast(est: EstimateTable | GLMResult, weights: Weights) -> EstimateTable:
    """Linear combinations ``L @ estimate`` with covariance ``L V L^T``.

    Parameters
    ----------
    est : EstimateTable or GLMResult
        Estimates with their covariance (``est.covariance``).
    weights : dict, sequence, ndarray or dict of those
        One contrast as ``{name: coefficient}`` (names as :func:`estimate_names`,
        missing names count as 0) or as one value per row of ``est.to_frame()``; several
        named contrasts as ``{"label": {...} or [...]}``; or a matrix, one row per contrast.

    Returns
    -------
    EstimateTable
        One row per contrast (``variable`` = its label), statistic ``"contrast"``, the
        degrees of freedom of ``est``.

    Notes
    -----
    Matches ``svycontrast(stat, contrasts)`` of R survey 4.1.1 for linear contrasts
    (for ``svyby`` results R needs ``covmat=TRUE`` to use the covariances between domains,
    which surveykit always keeps).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> m = sk.mean(d, ["api00", "api99"])
    >>> c = sk.contrast(m, {"api00": 1, "api99": -1})
    >>> round(float(c.estimate[0]), 4), round(float(c.se[0]), 4)
    (37.1913, 3.0852)
    >>> # R: svycontrast(svymean(~api00 + api99, dclus1), c(api00 = 1, api99 = -1)):
    >>> # 37.19126, SE 3.085197

    """
    names = estimate_names(est)
    labels, mat = _contrast_matrix(weights, names)
    value = mat @ np.asarray(est.estimate, dtype=float)
    cov = mat @ np.asarray(est.cov, dtype=float) @ mat.T
    if isinstance(est, GLMResult):
        df, method = float(est.df_residual), est.variance_method
    else:
        used = np.any(mat != 0, axis=0)
        df = float(np.min(est.df[used])) if used.any() else float(np.min(est.df))
        method = est.variance_method
    k = len(labels)
    return EstimateTable(
        labels=pd.DataFrame({"variable": labels}), estimate=value,
        se=np.sqrt(np.diag(cov)), df=np.full(k, df), n=np.full(k, np.nan),
        n_weighted=np.full(k, np.nan), cov=cov, statistic="contrast",
        variance_method=method,
    )
