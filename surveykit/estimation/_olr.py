"""Design-based proportional-odds models for ordered responses (R's ``svyolr``).

Model: ``P(y <= j | x) = F(zeta_j - x'beta)`` with the logistic ``F``, cut points
``zeta_1 < ... < zeta_q`` (R's ``zeta``, named ``"a|b"``) and no intercept in ``beta``.

Point estimates maximise the weighted log-likelihood ``sum_i w_i log p_i`` (R's
``svyolr.survey.design2`` and the ``MASS::polr`` call of ``svyolr.svyrep.design`` with the
sampling weights), found by damped Newton steps
(:func:`~surveykit.estimation._olr_fit.fit_olr`) to machine precision (R's ``optim``
BFGS stops at a relative change of 1.5e-8 in the objective, which leaves about 1e-4 relative
error in the estimates: the reference values are computed with a tight ``reltol``).

Variance: for linearisation designs the influence values are the per-row score vectors
times the inverse Hessian (R: ``gmini(...) %*% solve(H)`` passed to ``svyrecvar``); for
replicate designs the model is refitted with each replicate's weights, starting from the
full-sample estimates, and R's ``svrVar`` combines them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit._display import frame_text
from surveykit.design import ReplicateDesign, design_covariance
from surveykit.estimation._glm import GLMResult
from surveykit.estimation._inputs import Design, check_design, variance_name
from surveykit.estimation._model_matrix import model_frame
from surveykit.estimation._olr_fit import OLRFit, fit_olr

__all__ = ["OrdinalGLMResult", "olr"]


@dataclass(frozen=True, eq=False)
class OrdinalGLMResult(GLMResult):
    """A fitted design-based proportional-odds model (R's ``svyolr`` with ``summary``).

    ``terms``, ``estimate``, ``se`` and :meth:`to_frame` list the slopes first, then the
    cut points (R's ``coef(fit)`` order: ``ell``, ``meals``, ``low|mid``, ``mid|high``).
    ``family`` is ``"ordinal"``; ``dispersion`` is NaN (the model has none).

    Attributes
    ----------
    levels : tuple of str
        The response categories in order.
    n_coefficients : int
        Number of slopes (the first ``n_coefficients`` terms).
    deviance : float
        R's ``deviance``: ``-2 sum_i w_i log p_i / mean(w)``.

    """

    levels: tuple[str, ...]
    n_coefficients: int
    deviance: float

    @property
    def coefficients(self) -> pd.Series:
        """Slopes ``beta`` (R's ``coef(fit, intercepts = FALSE)``)."""
        k = self.n_coefficients
        return pd.Series(self.estimate[:k], index=list(self.terms[:k]), name="estimate")

    @property
    def cut_points(self) -> pd.Series:
        """Cut points ``zeta`` named ``"a|b"`` (R's ``fit$zeta``)."""
        k = self.n_coefficients
        return pd.Series(self.estimate[k:], index=list(self.terms[k:]), name="estimate")

    def __repr__(self) -> str:
        head = (f"OrdinalGLMResult({self.formula!r}, {self.variance_method}, "
                f"levels={list(self.levels)}, df_residual={self.df_residual:g})")
        return head + "\n" + frame_text(self.to_frame())


def _level_name(value: object) -> str:
    """R's ``as.character`` of a factor level (``2`` not ``2.0``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _ordered_codes(data: pd.DataFrame, response: str) -> tuple[np.ndarray, list[str]]:
    """Category codes ``0 .. K-1`` (NaN where missing) and level names of the response."""
    if response not in data.columns:
        raise ValueError(f"'formula' response {response!r} is not a column of the design's "
                         "data; use a column name on the left of '~'.")
    col = data[response]
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy().astype(float)
        codes[codes < 0] = np.nan
        return codes, [_level_name(c) for c in col.cat.categories]
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        values = col.to_numpy(dtype=float, na_value=np.nan)
        levels = np.unique(values[~np.isnan(values)])
        codes = np.full(len(values), np.nan)
        ok = ~np.isnan(values)
        codes[ok] = np.searchsorted(levels, values[ok])
        return codes, [_level_name(v) for v in levels]
    raise ValueError(f"'formula' response {response!r} must be an ordered categorical "
                     f"(or numeric codes) for family='ordinal' (got dtype {col.dtype}); "
                     "convert it with pd.Categorical(values, categories=[...], "
                     "ordered=True).")


def _check_levels(y: np.ndarray, used: np.ndarray, levels: list[str], response: str) -> None:
    if len(levels) < 3:
        raise ValueError(f"'formula' response {response!r} must have 3 or more categories for "
                         f"family='ordinal' (found {len(levels)}: {levels!r}); use "
                         "family='binomial' for two.")
    counts = np.bincount(y[used].astype(np.int64), minlength=len(levels))
    empty = [lv for lv, c in zip(levels, counts, strict=True) if c == 0]
    if empty:
        raise ValueError(f"'formula' response {response!r} has categories with no "
                         f"observations in the fit: {empty!r}. Their cut points cannot be "
                         "estimated: drop them (Series.cat.remove_unused_categories()) or "
                         "merge them with a neighbour; set missing-value codes to NA first.")


def _replicate_fn(x: np.ndarray, y: np.ndarray, q: int, start: np.ndarray,
                  used: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    def refit(block: np.ndarray) -> np.ndarray:
        out = np.empty((block.shape[1], start.shape[0]))
        for j in range(block.shape[1]):  # one Newton fit per replicate (not per row)
            wj = np.where(used, block[:, j], 0.0)
            out[j] = fit_olr(x, y, wj / wj[used].mean(), q, start=start).coef
        return out

    return refit


def olr(design: Design, formula: str) -> OrdinalGLMResult:
    """Fit a design-based proportional-odds model (R's ``svyolr``, logistic link).

    Reached through ``sk.glm(design, formula, family="ordinal")``; see
    :func:`surveykit.glm`. The response is an ordered categorical (categories in order;
    every category must occur) or numeric codes (sorted distinct values, as R's
    ``factor()``); missing-value codes must be NA. Rows with a missing value in the model
    leave the domain; the design stays whole.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> df = load_api("apistrat")
    >>> df["apicat"] = pd.cut(df["api00"], [0, 550, 650, 750, 1000],
    ...                       labels=["low", "mid", "high", "top"])
    >>> d = sk.SurveyDesign(df, strata="stype", weights="pw", fpc="fpc")
    >>> m = sk.glm(d, "apicat ~ ell + meals", family="ordinal")
    >>> m.to_frame()[["term", "estimate", "se"]].round(4)  # doctest: +NORMALIZE_WHITESPACE
           term  estimate      se
    0       ell   -0.0252  0.0116
    1     meals   -0.0732  0.0089
    2   low|mid   -6.7510  0.5750
    3  mid|high   -4.3320  0.3621
    4  high|top   -1.9378  0.2771
    >>> # R: svyolr(apicat ~ ell + meals, dstrat): -0.02524 (0.01161), -0.07324 (0.00889), ...

    """
    design = check_design(design)
    data = design.data.reset_index(drop=True)
    lhs, rhs = formula.split("~", 1) if formula.count("~") == 1 else (formula, "")
    response = lhs.strip()
    ycodes, levels = _ordered_codes(data, response)
    # the shared model-frame code builds X and the complete-row mask; the response enters
    # it as its category codes under a name that is not a column
    placeholder = "_olr_codes"
    while placeholder in data.columns:
        placeholder += "_"
    frame = data.assign(**{placeholder: ycodes})
    mf = model_frame(frame, f"{placeholder} ~ {rhs}", binary_response=False)
    keep = [j for j, t in enumerate(mf.terms) if t != "(Intercept)"]
    x, terms = mf.x[:, keep], [mf.terms[j] for j in keep]
    w = design.analysis_weights()
    used = mf.used & (w > 0)
    y = np.where(used, mf.y, 0).astype(np.int64)
    _check_levels(y, used, levels, response)
    q = len(levels) - 1
    wn = np.where(used, w / w[used].mean(), 0.0)
    fit = fit_olr(x, y, wn, q)
    cov = _covariance(design, fit, x, y, q, used)
    return OrdinalGLMResult(
        formula=formula, family="ordinal",
        terms=tuple(terms + [f"{a}|{b}" for a, b in itertools.pairwise(levels)]),
        estimate=fit.coef, se=np.sqrt(np.diag(cov)), cov=cov,
        df_residual=float(_design_df(design, used) - x.shape[1]), dispersion=float("nan"),
        n=int(used.sum()), iterations=fit.iterations, converged=True,
        variance_method=variance_name(design), levels=tuple(levels),
        n_coefficients=x.shape[1], deviance=-2.0 * fit.loglik,
    )


def _design_df(design: Design, used: np.ndarray) -> int:
    if isinstance(design, ReplicateDesign) or used.all():
        return design.df
    return design.subset(used).df


def _covariance(design: Design, fit: OLRFit, x: np.ndarray, y: np.ndarray, q: int,
                used: np.ndarray) -> np.ndarray:
    if isinstance(design, ReplicateDesign):
        return design_covariance(design, None, _replicate_fn(x, y, q, fit.coef, used), fit.coef)
    influence = fit.scores @ np.linalg.inv(-fit.hessian)
    fit_design = design if used.all() else design.subset(used)
    return design_covariance(fit_design, influence, None, fit.coef)
