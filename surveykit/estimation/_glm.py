"""Design-based generalised linear models (R's ``svyglm``).

Point estimates: a GLM fitted by IRLS with the sampling weights (rescaled to mean one) as
prior weights, exactly as R's ``glm.fit``. Variance: the sandwich ``A^-1 B A^-1`` where ``B``
is the design covariance of the estimating-function scores (R's ``svy.varcoef``), computed by
the shared linearisation engine; for replicate designs the model is refitted with each
replicate's weights (starting from the full-sample coefficients) and R's ``svrVar`` combines
them. Rows with a missing value in the model leave the domain; the design stays whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._display import frame_html, frame_text
from surveykit._lazy import lazy_module
from surveykit._validate import check_option, check_probability, check_type
from surveykit.design import ReplicateDesign, SurveyDesign, design_covariance
from surveykit.errors import EstimationError
from surveykit.estimation._domains import object_rows
from surveykit.estimation._families import FAMILY_NAMES, Family, make_family
from surveykit.estimation._glm_model import FittedModel
from surveykit.estimation._inputs import Design, check_design, variance_name
from surveykit.estimation._irls import IRLSFit, irls
from surveykit.estimation._model_matrix import ModelFrame, Offset, model_frame
from surveykit.estimation._results import ConfidenceInterval

stats = lazy_module("scipy.stats")

__all__ = ["GLMResult", "glm"]

FamilyName = Literal["gaussian", "binomial", "quasibinomial", "poisson", "quasipoisson",
                     "gamma", "inverse_gaussian", "ordinal"]


@dataclass(frozen=True, eq=False)
class GLMResult:
    """A fitted design-based GLM (R's ``svyglm`` with ``summary``).

    Attributes
    ----------
    formula, family : str
        The model.
    link : str
        The link function (``""`` for the ordinal model, whose link is the logistic).
    terms : tuple of str
        Coefficient names in R's spelling (``(Intercept)``, ``stypeH``, ``ell:meals``).
    estimate, se : ndarray
        Coefficients and their design-based standard errors.
    cov : ndarray
        Covariance matrix of the coefficients.
    df_residual : float
        R's ``df.residual``: design df + 1 - number of coefficients.
    dispersion : float
        R's ``summary.svyglm`` dispersion: the design-weighted variance of the Pearson
        residuals.
    n : int
        Observations used.
    iterations : int
        IRLS iterations (R's ``iter``).
    converged : bool
    variance_method : str
        "linearization" or the replicate method.
    model : FittedModel or None
        What prediction needs (design, model frame, family); not shown.

    """

    formula: str
    family: str
    terms: tuple[str, ...]
    estimate: np.ndarray
    se: np.ndarray
    cov: np.ndarray
    df_residual: float
    dispersion: float
    n: int
    iterations: int
    converged: bool
    variance_method: str
    link: str = field(default="", kw_only=True)
    model: FittedModel | None = field(default=None, kw_only=True, repr=False)

    def __iter__(self) -> Iterator[np.ndarray]:
        """Unpack as ``estimate, se = result``."""
        return iter((self.estimate, self.se))

    @property
    def statistic(self) -> np.ndarray:
        """``estimate / se`` (t statistics)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.estimate / self.se

    @property
    def p_value(self) -> np.ndarray:
        """Two-sided p-values on ``df_residual`` degrees of freedom (NaN when df <= 0)."""
        if self.df_residual <= 0:
            return np.full(self.estimate.shape, np.nan)
        return 2.0 * stats.t.sf(np.abs(self.statistic), self.df_residual)

    @property
    def covariance(self) -> pd.DataFrame:
        """Covariance matrix labelled by term."""
        return pd.DataFrame(self.cov, index=list(self.terms), columns=list(self.terms))

    def confidence_interval(self, confidence_level: float | None = None,
                            df: float | None = None) -> ConfidenceInterval:
        """Wald limits ``estimate -/+ t_df se`` (R's ``confint.svyglm``).

        ``confidence_level`` defaults to 0.95; ``df`` defaults to ``df_residual``;
        ``float("inf")`` gives normal limits.
        """
        level = check_probability("confidence_level",
                                  0.95 if confidence_level is None else confidence_level)
        ddf = self.df_residual if df is None else float(df)
        if ddf <= 0:
            nan = np.full(self.estimate.shape, np.nan)
            return ConfidenceInterval(nan, nan.copy())
        q = stats.norm.ppf((1 + level) / 2) if np.isinf(ddf) else stats.t.ppf((1 + level) / 2,
                                                                            ddf)
        return ConfidenceInterval(self.estimate - q * self.se, self.estimate + q * self.se)

    def to_frame(self, confidence_level: float = 0.95) -> pd.DataFrame:
        """Columns term, estimate, se, statistic, p_value, ci_low, ci_high."""
        ci = self.confidence_interval(confidence_level)
        return pd.DataFrame({"term": list(self.terms), "estimate": self.estimate,
                             "se": self.se, "statistic": self.statistic,
                             "p_value": self.p_value, "ci_low": ci.low, "ci_high": ci.high})

    def summary(self) -> pd.DataFrame:
        """Return the coefficient table the display shows (:meth:`to_frame` at 95 %)."""
        return self.to_frame()

    def __repr__(self) -> str:
        head = (f"GLMResult({self.formula!r}, family={self.family!r}, "
                f"{self.variance_method}, df_residual={self.df_residual:g}, "
                f"dispersion={self.dispersion:.6g})")
        return head + "\n" + frame_text(self.summary())

    def _repr_html_(self) -> str:
        caption = f"{self.formula} ({self.family}, {self.variance_method})"
        return frame_html(self.summary(), caption)


def _scores(mf: ModelFrame, fit: IRLSFit) -> np.ndarray:
    """Influence values ``estfun %*% A^-1`` (R's ``svy.varcoef``), zero for unused rows."""
    estfun = mf.x * (fit.working_residuals * fit.working_weights)[:, None]
    return estfun @ fit.xtwx_inv


def _replicate_fn(mf: ModelFrame, family: Family, beta0: np.ndarray,
                  used: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    def refit(block: np.ndarray) -> np.ndarray:
        out = np.empty((block.shape[1], beta0.shape[0]))
        for j in range(block.shape[1]):  # one IRLS per replicate (not per row)
            wj = np.where(used, block[:, j], 0.0)
            out[j] = irls(mf.x, mf.y, wj / wj.sum(), family, start=beta0, offset=mf.offset,
                          rows=used).coef
        return out

    return refit


def _start(start: Sequence[float] | np.ndarray | None, terms: list[str]) -> np.ndarray | None:
    if start is None:
        return None
    values = np.asarray(start, dtype=float).reshape(-1)
    if values.shape[0] != len(terms):
        raise EstimationError(f"'start' must have one value per coefficient ({len(terms)}: "
                              f"{terms!r}); got {values.shape[0]}.")
    return values


def _dispersion(design: Design, mf: ModelFrame, fit: IRLSFit, family: Family,
                prior: np.ndarray, used: np.ndarray) -> float:
    """Return R's dispersion.

    ``summary.svyglm``: ``svyvar`` of the Pearson residuals; ``summary.svrepglm``: the
    weighted mean of their squares.
    """
    w = design.analysis_weights()
    u = used & (w > 0)
    wu = w[u]
    resid = (mf.y[u] - fit.mu[u]) * np.sqrt(prior[u]) / np.sqrt(family.variance(fit.mu[u]))
    if isinstance(design, ReplicateDesign):
        # residuals.svrepglm divides by sqrt(pweights / sum(pweights)) of the used rows
        r = resid / np.sqrt(wu / wu.sum())
        return float(np.sum(wu * r**2) / wu.sum())
    # residuals.svyglm: (y - mu) sqrt(prior / pw) / sqrt(V(mu)), where the prior weights are
    # rescaled to mean one over the rows of R's design object (zero weights included) and
    # pw over the rows left after dropping those with a missing value (a calibrated design
    # keeps them, with weight zero)
    rows = object_rows(design)
    kept = rows if isinstance(design, SurveyDesign) and design.calibrations else rows & mf.used
    ratio = (w[kept & mf.used].sum() / kept.sum()) / (w[rows].sum() / rows.sum())
    r = (mf.y[u] - fit.mu[u]) * np.sqrt(ratio) / np.sqrt(family.variance(fit.mu[u]))
    n = int(u.sum())
    rbar = float(np.sum(wu * r) / wu.sum())
    return float(n / (n - 1) * np.sum(wu * (r - rbar) ** 2) / wu.sum())


def glm(design: Design, formula: str, *, family: FamilyName = "gaussian",
        link: str | None = None, offset: Offset = None,
        start: Sequence[float] | np.ndarray | None = None) -> GLMResult:
    """Fit a design-based generalised linear model (R's ``svyglm``).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    formula : str
        R-style model formula, ``"y ~ x1 + x2"``; categorical predictors get treatment
        contrasts against their first (sorted) level, ``a*b`` adds the interaction, and
        column names with dots may be used as they are (``"api00 ~ acs.k3"``), R's
        ``log``, ``exp`` and ``sqrt`` too (``"y ~ log(enroll)"``); ``offset(expr)`` terms
        enter the linear predictor with coefficient one (``"+ offset(log(exposure))"``).
    family : str, default "gaussian"
        ``"gaussian"``, ``"binomial"`` (R's ``quasibinomial()``; a two-category response
        counts its second sorted level as success, proportions in [0, 1] are allowed),
        ``"poisson"`` (R's ``quasipoisson()``), ``"gamma"`` (R's ``Gamma()``, positive
        response), ``"inverse_gaussian"`` (R's ``inverse.gaussian()``) or ``"ordinal"``.
        ``"quasibinomial"`` and ``"quasipoisson"`` are accepted as other names for
        ``"binomial"`` and ``"poisson"``: ``svyglm`` gives the same numbers for both.
        ``"ordinal"`` is the proportional-odds model of R's ``svyolr`` (logistic link)
        for an ordered categorical response, or numeric codes ordered by value; every
        category must occur and missing-value codes must be NA.
    link : str, optional
        The link function, as R's ``family(link = ...)``; default the family's default
        (identity, logit, log, inverse, 1/mu^2). Binomial: ``"logit"``, ``"probit"``,
        ``"cloglog"``, ``"cauchit"``, ``"log"``; poisson: ``"log"``, ``"identity"``,
        ``"sqrt"``; gamma: ``"inverse"``, ``"identity"``, ``"log"``; inverse Gaussian:
        ``"1/mu^2"``, ``"inverse"``, ``"identity"``, ``"log"``; gaussian: ``"identity"``,
        ``"log"``, ``"inverse"``.
    offset : str or array-like, optional
        R's ``offset=``: a column name or an expression over the data
        (``"log(exposure)"``), or one value per row; added to the formula's ``offset()``
        terms. A row with a missing offset leaves the fit.
    start : sequence of float, optional
        Starting coefficients, in the order of the terms (R's ``start=``); by default
        IRLS starts from the family's starting means, as R.

    Returns
    -------
    GLMResult
        An ``OrdinalGLMResult`` (a ``GLMResult`` whose terms end with the cut points
        ``"a|b"``) for ``family="ordinal"``.

    Notes
    -----
    Matches ``svyglm(formula, design, family=...)`` of R survey 4.1.1 with
    ``summary()``: coefficients, standard errors, t statistics and p-values on
    ``df.residual`` degrees of freedom, ``confint()`` (Wald, t on ``df.residual``) and
    the dispersion. Binomial and quasibinomial give identical results in ``svyglm``.
    IRLS runs as R's ``glm.fit`` (same starting values, step halving at the boundary of
    the family's range, convergence rule), so iterations and coefficients agree with R.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> m = sk.glm(d, "api00 ~ ell + meals + mobility")
    >>> m.to_frame()[["term", "estimate", "se"]].round(4)  # doctest: +NORMALIZE_WHITESPACE
              term  estimate       se
    0  (Intercept)  819.2791  21.3900
    1          ell   -0.5167   0.3240
    2        meals   -3.1232   0.2781
    3     mobility   -0.1689   0.4449
    >>> # R: svyglm(api00 ~ ell + meals + mobility, dclus1): 819.2791 (21.39), ...
    >>> g = sk.glm(d, "api00 ~ ell", family="gamma", link="log")
    >>> [round(float(v), 6) for v in (*g.estimate, *g.se)]
    [6.627265, -0.005947, 0.040449, 0.000772]
    >>> # R: svyglm(api00 ~ ell, dclus1, family = Gamma(link = "log")):
    >>> # 6.6272648 (0.04044873), -0.0059473941 (0.00077240346)
    >>> rate = sk.glm(d, "enroll ~ ell", family="poisson", offset="log(api.stu)")
    >>> round(float(rate.estimate[0]), 6), round(float(rate.se[0]), 6)
    (0.161928, 0.009668)
    >>> # R: svyglm(enroll ~ ell + offset(log(api.stu)), dclus1, family = quasipoisson):
    >>> # 0.16192803 (0.0096684353)

    """
    design = check_design(design)
    check_type("formula", formula, str, "a formula string such as 'y ~ x1 + x2'")
    check_option("family", family, (*FAMILY_NAMES, "ordinal"))
    if family == "ordinal":
        from surveykit.estimation._olr import olr  # _olr subclasses GLMResult: no cycle

        if link not in (None, "logit") or offset is not None or start is not None:
            raise EstimationError("family='ordinal' is R's svyolr with the logistic link, no "
                                  "offset and its own start; leave 'link', 'offset' and "
                                  "'start' out.")
        return olr(design, formula)
    fam = make_family(family, link)
    mf = model_frame(design.data, formula, binary_response=fam.kind == "binomial",
                     offset=offset)
    w = design.analysis_weights()
    in_domain = w > 0
    used = mf.used & in_domain
    fam.check_response(mf.y[used], mf.response)
    prior = np.where(in_domain, w / w[in_domain].mean(), 0.0)
    fit = irls(mf.x, mf.y, np.where(used, prior, 0.0), fam, offset=mf.offset,
               start=_start(start, mf.terms))
    p = mf.x.shape[1]
    if isinstance(design, ReplicateDesign):
        cov = design_covariance(design, None, _replicate_fn(mf, fam, fit.coef, used), fit.coef)
        df_resid = design.df + 1 - p
    else:
        fit_design = design if used.all() else design.subset(used)
        cov = design_covariance(fit_design, _scores(mf, fit), None, fit.coef)
        df_resid = fit_design.df + 1 - p
    return GLMResult(
        formula=formula, family=family, terms=tuple(mf.terms), estimate=fit.coef,
        se=np.sqrt(np.diag(cov)), cov=cov, df_residual=float(df_resid),
        dispersion=_dispersion(design, mf, fit, fam, prior, used), n=int(used.sum()),
        iterations=fit.iterations, converged=fit.converged,
        variance_method=variance_name(design), link=fam.link.name,
        model=FittedModel(design, mf, fam, fit.coef, used, offset),
    )
