"""Linear and nonlinear combinations of estimates with their covariance (R's ``svycontrast``).

Linear contrasts are ``L @ estimate`` with covariance ``L V L'``; expressions
(``"log(a) - log(b)"``) go through the delta method with exact gradients
(:mod:`surveykit.estimation._expression`), as R's ``nlcon``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit.estimation._expression import evaluate_gradient
from surveykit.estimation._glm import GLMResult
from surveykit.estimation._results import EstimateTable

__all__ = ["contrast", "estimate_names"]

Weights = str | Mapping[str, Any] | Sequence[float] | np.ndarray


def _stat_name(variable: object, level: object) -> str:
    if level is None or (isinstance(level, float) and np.isnan(level)):
        return str(variable)
    return f"{variable}{level}"


def estimate_names(est: EstimateTable | GLMResult) -> list[str]:
    """R's coefficient names of the rows of ``est`` (the keys ``contrast`` accepts).

    ``svymean(~api00 + stype)`` gives ``api00``, ``stypeE``, ...; ``svyby`` gives the
    domain values joined by ``.`` (``E``, ``E.Yes``) and, with several statistics per
    domain, ``:`` and the statistic (``E:api00``); a GLM gives its terms; entries of a
    covariance matrix (``var(..., covariance=True)``) are ``row:column``.

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
    stat_cols = {"variable", "variable2", "level", "quantile", "denominator"}
    by_cols = [c for c in labels.columns if c not in stat_cols]
    levels = labels["level"] if "level" in labels.columns else [None] * len(labels)
    stats = [_stat_name(v, lv) for v, lv in zip(labels["variable"], levels, strict=True)]
    if "variable2" in labels.columns:            # covariance entries: "a:b", as R prints
        stats = [f"{s}:{v}" for s, v in zip(stats, labels["variable2"], strict=True)]
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


def _expressions(weights: object) -> tuple[list[str], list[str]] | None:
    """Labels and texts when ``weights`` are expressions, None for linear contrasts."""
    if isinstance(weights, str):
        return ["contrast"], [weights]
    if not isinstance(weights, Mapping) or not weights:
        return None
    kinds = {isinstance(v, str) for v in weights.values()}
    if kinds == {True}:
        return [str(k) for k in weights], [str(v) for v in weights.values()]
    if True in kinds:
        raise ValueError("contrast weights mix expressions (strings) and coefficients; give "
                         "either {label: 'expression', ...} or linear coefficients, as R's "
                         "svycontrast takes either a list of quote() or of vectors.")
    return None


def contrast(est: EstimateTable | GLMResult, weights: Weights) -> EstimateTable:
    """Linear or nonlinear combinations of estimates with their design-based covariance.

    Parameters
    ----------
    est : EstimateTable or GLMResult
        Estimates with their covariance (``est.covariance``).
    weights : str, dict, sequence, ndarray or dict of those
        Linear: one contrast as ``{name: coefficient}`` (names as :func:`estimate_names`,
        missing names count as 0) or as one value per row of ``est.to_frame()``; several
        named contrasts as ``{"label": {...} or [...]}``; or a matrix, one row per contrast.
        Nonlinear: an expression of the estimate names, ``"log(a) - log(b)"``, or several
        as ``{"label": "expression", ...}``. Expressions use numbers, ``+ - * / ^``
        (or ``**``) and ``exp, log, log2, log10, log1p, expm1, sqrt, sin, cos, tan, asin,
        acos, atan, sinh, cosh, tanh, pnorm, dnorm, lgamma``; names that are not
        identifiers go in backticks, as in R (```E:api00```, ```2024```).

    Returns
    -------
    EstimateTable
        One row per contrast (``variable`` = its label), statistic ``"contrast"``, the
        smallest degrees of freedom of the estimates it uses.

    Notes
    -----
    Matches ``svycontrast(stat, contrasts)`` of R survey 4.1.1 for linear contrasts
    (for ``svyby`` results R needs ``covmat=TRUE`` to use the covariances between domains,
    which surveykit always keeps) and ``svycontrast(stat, quote(expr))`` /
    ``svycontrast(stat, list(label = quote(expr)))`` for expressions: the delta method
    ``J V J'`` with the exact Jacobian ``J`` (R differentiates symbolically with
    ``deriv``; surveykit by forward-mode automatic differentiation, equal to rounding).
    Replicate designs use the delta method on the replicate covariance, as R does by
    default; R evaluates the expression on every replicate instead only for estimates made
    with ``return.replicates=TRUE``, which surveykit does not offer.

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
    >>> r = sk.contrast(m, {"change": "api00 / api99 - 1", "log": "log(api00) - log(api99)"})
    >>> r.estimate.round(6).tolist(), r.se.round(6).tolist()
    ([0.061273, 0.059469], [0.006231, 0.005871])
    >>> # R: svycontrast(svymean(~api00 + api99, dclus1), list(
    >>> #      change = quote(api00/api99 - 1), log = quote(log(api00) - log(api99))))

    """
    values = np.asarray(est.estimate, dtype=float)
    # a coefficient matrix needs only the number of estimates, not their names
    matrix = isinstance(weights, np.ndarray) and weights.ndim == 2
    names = [str(i) for i in range(values.shape[0])] if matrix else estimate_names(est)
    exprs = _expressions(weights)
    if exprs is not None:
        labels = exprs[0]
        value, mat, refs = evaluate_gradient(exprs[1], names, values)
        used = np.isin(names, [r for ref in refs for r in ref])
    else:
        labels, mat = _contrast_matrix(weights, names)
        value = mat @ values
        used = np.any(mat != 0, axis=0)
    cov = mat @ np.asarray(est.cov, dtype=float) @ mat.T
    if isinstance(est, GLMResult):
        df, method = float(est.df_residual), est.variance_method
    else:
        df = float(np.min(est.df[used])) if used.any() else float(np.min(est.df))
        method = est.variance_method
    k = len(labels)
    return EstimateTable(
        labels=pd.DataFrame({"variable": labels}), estimate=value,
        se=np.sqrt(np.diag(cov)), df=np.full(k, df), n=np.full(k, np.nan),
        n_weighted=np.full(k, np.nan), cov=cov, statistic="contrast",
        variance_method=method,
    )
