"""Estimates over multiply imputed data combined by Rubin's rules (mitools' ``MIcombine``).

Each of ``m`` completed data sets gives estimates ``theta_j`` with covariance ``W_j``. The
combined estimate is their mean; its covariance ``T = Wbar + (1 + 1/m) B``, with ``Wbar``
the mean within-imputation covariance and ``B`` the covariance of the ``theta_j`` between
imputations. Degrees of freedom are Rubin's ``(m - 1)(1 + 1/r)^2`` with
``r = (1 + 1/m) B / Wbar``, shrunk towards the complete-data df when one is given, exactly
as ``MIcombine(df.complete=)`` does (its own small-sample formula, not Barnard-Rubin's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import EstimationError
from surveykit.estimation._glm import GLMResult
from surveykit.estimation._results import EstimateTable

__all__ = ["MIEstimateTable", "mi_combine", "with_imputations"]

Result = EstimateTable | GLMResult


@dataclass(frozen=True, eq=False)
class MIEstimateTable(EstimateTable):
    """An :class:`EstimateTable` combined over imputations, with Rubin's parts.

    ``cov`` is the total covariance ``T``, ``se`` its root diagonal, ``df`` Rubin's degrees of
    freedom (confidence limits are Wald limits on them, as ``summary(MIcombine(...))``).

    Attributes
    ----------
    n_imputations : int
        ``m``, the number of completed data sets.
    within : ndarray
        Mean within-imputation covariance ``Wbar``.
    between : ndarray
        Between-imputation covariance ``B`` of the estimates.
    missing_info : ndarray
        Fraction of missing information per estimate (``MIcombine``'s ``missinfo``);
        also a column of :meth:`to_frame`.

    """

    n_imputations: int = 0
    within: np.ndarray | None = None
    between: np.ndarray | None = None
    missing_info: np.ndarray | None = None

    def to_frame(self) -> pd.DataFrame:
        """Return the columns of :meth:`EstimateTable.to_frame` and ``missing_info``."""
        frame = super().to_frame()
        frame["missing_info"] = self.missing_info
        return frame


def _parts(result: object, j: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    if isinstance(result, GLMResult):
        return (pd.DataFrame({"variable": list(result.terms)}), np.asarray(result.estimate),
                np.asarray(result.cov))
    if isinstance(result, EstimateTable):
        return result.labels.reset_index(drop=True), np.asarray(result.estimate), \
            np.asarray(result.cov)
    raise EstimationError(f"'results'[{j}] is a {type(result).__name__}; mi_combine needs "
                          "EstimateTable or GLMResult objects, one per completed data set.")


def _check_alike(labels: list[pd.DataFrame]) -> None:
    first = labels[0]
    for j, other in enumerate(labels[1:], start=1):
        if not first.astype(str).equals(other.astype(str)):
            raise EstimationError(
                f"'results'[{j}] has other rows than 'results'[0] ({len(other)} vs "
                f"{len(first)}: {other.astype(str).agg(' | '.join, axis=1).tolist()[:5]} vs "
                f"{first.astype(str).agg(' | '.join, axis=1).tolist()[:5]}). Every completed "
                "data set must give the same estimates in the same order; keep categorical "
                "levels and domains identical across imputations.")


def _rubin_df(r: np.ndarray, m: int, within: np.ndarray, between: np.ndarray,
              df_complete: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (m - 1) * (1.0 + 1.0 / r) ** 2
        if np.isfinite(df_complete):
            dfobs = (df_complete + 1) / (df_complete + 3) * df_complete * within / (
                within + between)
            df = 1.0 / (1.0 / dfobs + 1.0 / df)
    return np.asarray(df, dtype=float)


def mi_combine(results: Sequence[Result], *, df_complete: float = float("inf")
               ) -> MIEstimateTable:
    """Combine estimates from multiply imputed data by Rubin's rules (mitools' ``MIcombine``).

    Parameters
    ----------
    results : sequence of EstimateTable or GLMResult
        One result per completed data set (at least two), each from the same estimator
        with the same arguments, so that rows line up.
    df_complete : float, default inf
        Complete-data degrees of freedom (``MIcombine(df.complete=)``), e.g. the design's
        df; infinite gives Rubin's large-sample df.

    Returns
    -------
    MIEstimateTable
        Mean estimates with Rubin's total covariance, degrees of freedom and fraction of
        missing information; labels of the first result (a GLM's terms as ``variable``).

    Raises
    ------
    EstimationError
        Fewer than two results, or results whose rows differ.

    Notes
    -----
    Matches ``MIcombine(with(svyimputationList, estimator))`` of mitools 2.4 with
    survey 4.1.1: estimates, ``vcov``, ``df``, ``missinfo`` and the limits of ``summary``.
    ``MIcombine`` also uses the full between-imputation covariance; for ``svyby`` results
    it pairs it with within-imputation variances only (R's ``vcov`` of ``svyby`` without
    ``covmat=TRUE``), so off-diagonal covariances differ there, standard errors do not.
    Intervals are Wald intervals on Rubin's df even where the estimator's own interval is
    not (proportions, quantiles). ``n`` and ``n_weighted`` are averages over imputations.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(1)
    >>> base = pd.DataFrame({"w": rng.uniform(1, 3, 40), "x": rng.normal(10, 2, 40)})
    >>> gaps = base.index % 5 == 0                      # x is missing here, imputed 3 times
    >>> fills = [base.assign(x=base["x"].where(~gaps, rng.normal(10, 2, 40)))
    ...          for _ in range(3)]
    >>> tabs = [sk.mean(sk.SurveyDesign(f, weights="w"), "x") for f in fills]
    >>> combined = sk.mi_combine(tabs)
    >>> bool(np.isclose(combined.estimate[0], np.mean([t.estimate[0] for t in tabs])))
    True
    >>> bool(combined.se[0] >= np.sqrt(np.mean([t.se[0] ** 2 for t in tabs])))
    True

    """
    if isinstance(results, EstimateTable | GLMResult) or len(results) < 2:
        got = len(results) if isinstance(results, Sequence) else type(results).__name__
        raise EstimationError("'results' must be a list of at least two results, one per "
                              f"completed data set (got {got}).")
    parts = [_parts(r, j) for j, r in enumerate(results)]
    _check_alike([p[0] for p in parts])
    m = len(parts)
    thetas = np.vstack([p[1] for p in parts])
    within = np.mean([p[2] for p in parts], axis=0)
    between = np.atleast_2d(np.cov(thetas, rowvar=False, ddof=1))
    total = within + between * (m + 1) / m
    w_d, b_d = np.diag(within), np.diag(between)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (1.0 + 1.0 / m) * b_d / w_d
        df = _rubin_df(r, m, w_d, b_d, float(df_complete))
        missing = (r + 2.0 / (df + 3.0)) / (r + 1.0)
    return _table(results, parts[0][0], thetas.mean(axis=0), total, df,
                  n_imputations=m, within=within, between=between, missing_info=missing)


def _table(results: Sequence[Result], labels: pd.DataFrame, estimate: np.ndarray,
           total: np.ndarray, df: np.ndarray, **mi: Any) -> MIEstimateTable:
    first = results[0]
    k = len(estimate)
    if isinstance(first, GLMResult):
        n = np.full(k, float(np.mean([r.n for r in results])))
        n_weighted, statistic = np.full(k, np.nan), "coefficient"
        level = 0.95
    else:
        tabs = [r for r in results if isinstance(r, EstimateTable)]
        n = np.mean([t.n for t in tabs], axis=0)
        n_weighted = np.mean([t.n_weighted for t in tabs], axis=0)
        statistic, level = first.statistic, first.confidence_level
    return MIEstimateTable(
        labels=labels, estimate=estimate, se=np.sqrt(np.diag(total)), df=df, n=n,
        n_weighted=n_weighted, cov=total, statistic=statistic,
        variance_method=first.variance_method, confidence_level=level, **mi)


def with_imputations(designs: Sequence[Any], estimator: Callable[..., Result], *args: Any,
                     df_complete: float = float("inf"), **kwargs: Any) -> MIEstimateTable:
    """Run ``estimator`` on every completed design and combine by Rubin's rules.

    R's ``MIcombine(with(svyimputationList, estimator(...)))``.

    Parameters
    ----------
    designs : sequence of SurveyDesign or ReplicateDesign
        One design per completed data set (same design columns, imputed values filled in).
    estimator : callable
        A surveykit estimator taking the design first (``sk.mean``, ``sk.total``,
        ``sk.proportion``, ``sk.ratio``, ``sk.glm``, ...).
    *args, **kwargs
        Passed to ``estimator`` after the design.
    df_complete : float, default inf
        As for :func:`mi_combine`.

    Returns
    -------
    MIEstimateTable

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(2)
    >>> frames = [pd.DataFrame({"w": np.ones(30), "x": rng.normal(5, 1, 30),
    ...                         "g": np.repeat(["a", "b"], 15)}) for _ in range(4)]
    >>> designs = [sk.SurveyDesign(f, weights="w") for f in frames]
    >>> t = sk.with_imputations(designs, sk.mean, "x", by="g")
    >>> t.to_frame()[["g", "variable"]].values.tolist(), t.n_imputations
    ([['a', 'x'], ['b', 'x']], 4)

    """
    if len(designs) < 2:
        raise EstimationError(f"'designs' must hold at least two completed designs "
                              f"(got {len(designs)}).")
    return mi_combine([estimator(d, *args, **kwargs) for d in designs],
                      df_complete=df_complete)
