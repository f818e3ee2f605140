"""The likelihood interval of R's ``svyciprop(method="likelihood")``.

R fits ``svyglm(y ~ 1, family=quasibinomial)`` and calls ``confint(method="likelihood")``:
the binomial deviance of the intercept is profiled on a grid (``MASS``-style ``profile``),
scaled by the dispersion, and inverted at a Rao-Scott-adjusted cut-off. For an
intercept-only model every quantity has a closed form, so this module reproduces both the
fit and the profile step by step.

The fit (:func:`intercept_fit`). Two of the numbers read off it carry the fit's iteratively
reweighted least squares (IRLS) history, which has to be replayed to agree with R beyond
about 1e-5:

- the model-based ("naive") variance of the intercept uses the working weights of the last
  IRLS iteration, i.e. the fitted values of the iteration *before* convergence (in the
  first iteration, R's binomial starting values ``(W y + 0.5) / (W + 1)`` row by row);
- the intercept itself is the IRLS value, converged when the deviance changes by less than
  ``1e-8`` relative (R's ``glm.control``).

For an intercept-only model every IRLS step after the first is the scalar Newton step
``b + (p - mu) / (mu (1 - mu))``, so the replay costs one grouped sum and a few scalar
iterations. The dispersion is R's ``svyvar`` of the Pearson residuals
``(y - mu) / sqrt(mu (1 - mu))``.

The profile (:func:`likelihood_interval`):

1. ``W = w / mean(w)`` (R's rescaled weights, summing to the ``n`` rows of the design;
   with ``na.rm=TRUE`` the mean is over the design given, missing rows included, so ``W``
   of the rows fitted sums to less), ``S1 = sum W y``, ``S0 = sum W (1 - y)``; deviance
   ``dev(b) = -2 (S1 log mu(b) + S0 log(1 - mu(b)))`` with ``mu = expit(b)``.
2. ``se = sqrt(var) / (p (1 - p))`` (the sandwich SE of the intercept),
   ``lambda = se^2 n p (1 - p)`` (sandwich over model-based variance) and
   ``alpha = Phi(t_{df, (1-level)/2} sqrt(lambda)) / 2``.
3. ``zmax = sqrt(F^{-1}_{1, n-1}(1 - alpha))`` (computed as the squared ``t_{n-1}``
   quantile, which stays accurate in the far tail), step ``zmax / 5``: up to nine points
   ``b0 -/+ k * step * se`` on each side until ``|z| >= zmax``, with
   ``z = sign * sqrt((dev(b) - dev(b0)) / dispersion)``.
4. An FMM cubic spline of ``z`` against ``b`` evaluated at ``3 * points`` equally spaced
   values, and linear inverse interpolation at ``-/+ Phi^{-1}(2 alpha)``; back-transform by
   ``expit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surveykit._lazy import lazy_module
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.design._codes import group_sums
from surveykit.estimation._domains import Domains, srs_variance

special = lazy_module("scipy.special")
stats = lazy_module("scipy.stats")

__all__ = ["InterceptFit", "f1_upper", "fmm_spline", "intercept_fit", "likelihood_interval"]

_EPS = np.finfo(float).eps



@dataclass(frozen=True, eq=False)
class InterceptFit:
    """The quantities of R's intercept-only quasibinomial fit, one per (domain, level)."""

    p: np.ndarray
    beta: np.ndarray
    var_beta: np.ndarray
    naive_var: np.ndarray
    n_rows: np.ndarray
    dispersion: np.ndarray
    prior_total: np.ndarray | None = None  # sum of R's prior weights; None: n_rows


def _linkinv(eta: np.ndarray) -> np.ndarray:
    e = np.where(eta < -30, _EPS, np.where(eta > 30, 1 / _EPS, np.exp(np.clip(eta, -30, 30))))
    return e / (1 + e)


def _first_iteration(w: np.ndarray, y: np.ndarray, codes: np.ndarray, n_dom: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intercept, working-weight total and deviance from R's binomial starting values."""
    wc = w[:, None]
    mu0 = (wc * y + 0.5) / (wc + 1)
    eta0 = np.log(mu0 / (1 - mu0))
    a = wc * mu0 * (1 - mu0)
    z = eta0 + (y - mu0) / (mu0 * (1 - mu0))
    dev = -2 * wc * (y * np.log(mu0) + (1 - y) * np.log(1 - mu0))
    m = y.shape[1]
    sums = group_sums(codes, np.hstack([a, a * z, dev]), n_dom)
    sa, saz, dev0 = sums[:, :m], sums[:, m:2 * m], sums[:, 2 * m:]
    with np.errstate(invalid="ignore", divide="ignore"):
        return saz / sa, sa, dev0


def _irls(p: np.ndarray, rows: np.ndarray, beta: np.ndarray, weight_sum: np.ndarray,
          dev_old: np.ndarray, maxit: int = 25) -> tuple[np.ndarray, np.ndarray]:
    """Replay the scalar IRLS iterations; return the intercept and last working-weight sum."""
    s1, s0 = p * rows, (1 - p) * rows
    done = np.zeros(p.shape, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for _ in range(maxit):
            mu = _linkinv(beta)
            dev = -2 * (s1 * np.log(mu) + s0 * np.log(1 - mu))
            done |= np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < 1e-8
            done |= ~np.isfinite(beta)
            if done.all():
                break
            step = ~done
            weight_sum = np.where(step, rows * mu * (1 - mu), weight_sum)
            beta = np.where(step, beta + (p - mu) / (mu * (1 - mu)), beta)
            dev_old = np.where(step, dev, dev_old)
    return beta, weight_sum


def intercept_fit(design: SurveyDesign | ReplicateDesign, y: np.ndarray, dom: Domains,
                  est: np.ndarray, var_p: np.ndarray, rows: np.ndarray,
                  n_weighted: np.ndarray, given: tuple[np.ndarray, np.ndarray] | None = None
                  ) -> InterceptFit:
    """R's intercept-only quasibinomial ``svyglm`` of each 0/1 column of ``y`` in each domain.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design.
    y : ndarray
        ``(n, m)`` 0/1 indicators (NaN where missing).
    dom : Domains
        The domains.
    est, var_p : ndarray
        Weighted means ``(D, m)`` and their design-based variances (``D*m``).
    rows, n_weighted : ndarray
        Rows of each domain's design (R's ``nrow``) and its weight total, ``(D,)``.
    given : (rows, weight total), optional
        The same for the design R was given when rows with a missing value left the fit
        (``na.rm=TRUE``): R rescales the prior weights by their mean over those rows, so
        the fit's weights sum to less than its rows and the Pearson residuals (hence the
        dispersion) carry the ratio of the two mean weights.

    Returns
    -------
    InterceptFit
        Arrays of ``D*m`` values in domain-major order.

    """
    codes, n_dom = dom.codes, dom.n_domains
    inside = codes >= 0
    safe = np.maximum(codes, 0)
    scale = rows / n_weighted if given is None else given[0] / given[1]
    w = np.where(inside, design.analysis_weights() * scale[safe], 0.0)
    yz = np.where(inside[:, None], np.nan_to_num(y), 0.0)
    beta, weight_sum, dev0 = _first_iteration(w, yz, codes, n_dom)
    rows_c = np.repeat(rows[:, None], est.shape[1], axis=1)
    fit_rows = np.repeat((n_weighted * scale)[:, None], est.shape[1], axis=1)
    beta, weight_sum = _irls(est, fit_rows, beta, weight_sum, dev0)
    mu = _linkinv(beta)
    with np.errstate(invalid="ignore", divide="ignore"):
        resid = (yz - mu[safe]) / np.sqrt(mu * (1 - mu))[safe]
        resid = np.where(inside[:, None], resid, 0.0)
        dispersion = srs_variance(design, resid, dom)[0] * (fit_rows / rows_c)
        var_beta = var_p / (mu * (1 - mu)).reshape(-1) ** 2
    return InterceptFit(p=est.reshape(-1), beta=beta.reshape(-1), var_beta=var_beta,
                        naive_var=1 / weight_sum.reshape(-1), n_rows=rows_c.reshape(-1),
                        dispersion=dispersion.reshape(-1),
                        prior_total=fit_rows.reshape(-1))


def _mu(eta: float) -> float:
    """R's binomial ``linkinv`` (``exp`` clamped outside [-30, 30])."""
    e = _EPS if eta < -30 else (1 / _EPS if eta > 30 else float(np.exp(eta)))
    return e / (1 + e)


def _deviance(b: float, s1: float, s0: float) -> float:
    mu = _mu(b)
    return -2.0 * (s1 * np.log(mu) + s0 * np.log(1.0 - mu))


def f1_upper(alpha: float, df2: float) -> float:
    """Upper ``alpha`` quantile of ``F(1, df2)``, accurate far into the tail.

    ``F(1, df2)`` is the square of ``t_df2``, so the quantile is ``t.isf(alpha / 2)^2``,
    which stays finite and accurate where ``f.isf`` overflows (alpha below about 1e-20,
    reached when the design effect of the intercept is about 15 or more), as R's
    ``qf(alpha, 1, df2, lower.tail = FALSE)``.

    Examples
    --------
    >>> round(f1_upper(1e-22, 100), 6)  # R: qf(1e-22, 1, 100, lower.tail = FALSE)
    163.052694

    """
    return float(stats.t.isf(alpha / 2.0, df2)) ** 2


def fmm_spline(x: np.ndarray, y: np.ndarray, xout: np.ndarray) -> np.ndarray:
    """Cubic spline with Forsythe-Malcolm-Moler end conditions (R's ``spline(method="fmm")``).

    The end conditions match the third derivative at each end to that of the cubic through
    the four nearest points (none for three points: a parabola; two points: a line).

    Examples
    --------
    >>> x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    >>> fmm_spline(x, x**3, np.array([0.5, 2.5]))
    array([ 0.125, 15.625])

    """
    n = len(x)
    h = np.diff(x)
    slope = np.diff(y) / h
    if n == 2:
        return y[0] + slope[0] * (xout - x[0])
    a = np.zeros((n, n))
    rhs = np.zeros(n)
    inner = np.arange(1, n - 1)
    a[inner, inner - 1] = h[:-1]
    a[inner, inner] = 2.0 * (h[:-1] + h[1:])
    a[inner, inner + 1] = h[1:]
    rhs[inner] = slope[1:] - slope[:-1]
    a[0, :2] = [-h[0], h[0]]
    a[-1, -2:] = [h[-1], -h[-1]]
    if n > 3:
        second = np.diff(slope) / (x[2:] - x[:-2])
        third = np.diff(second) / (x[3:] - x[:-3])
        rhs[0] = h[0] ** 2 * third[0]
        rhs[-1] = -h[-1] ** 2 * third[-1]
    sigma = np.linalg.solve(a, rhs)
    b = np.empty(n)
    b[:-1] = slope - h * (sigma[1:] + 2.0 * sigma[:-1])
    b[-1] = slope[-1] + h[-1] * (sigma[-2] + 2.0 * sigma[-1])
    c = 3.0 * sigma
    d = np.empty(n)
    d[:-1] = np.diff(sigma) / h
    d[-1] = d[-2]
    i = np.clip(np.searchsorted(x, xout, side="right") - 1, 0, n - 1)
    dx = xout - x[i]
    return y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]))


def _inverse_linear(xp: np.ndarray, fp: np.ndarray, xout: np.ndarray) -> np.ndarray:
    """R's ``approx(xp, fp, xout)``: sort by ``xp``, average ties, NaN outside the range."""
    order = np.argsort(xp, kind="stable")
    xs, fs = xp[order], fp[order]
    uniq, inverse = np.unique(xs, return_inverse=True)
    fu = np.bincount(inverse, weights=fs) / np.bincount(inverse)
    out = np.interp(xout, uniq, fu)
    return np.where((xout < uniq[0]) | (xout > uniq[-1]), np.nan, out)


def _profile(b0: float, se: float, prior_total: float, p: float, dispersion: float,
             zmax: float) -> tuple[np.ndarray, np.ndarray]:
    s1, s0 = prior_total * p, prior_total * (1.0 - p)
    dev0 = _deviance(b0, s1, s0)
    step_size = zmax / 5.0
    pars, zs = [b0], [0.0]
    for sign in (-1.0, 1.0):
        step, z = 0, 0.0
        while (step := step + 1) < 10 and abs(z) < zmax:
            b = b0 + sign * step * step_size * se
            zz = (_deviance(b, s1, s0) - dev0) / dispersion
            z = sign * np.sqrt(max(zz, 0.0))
            pars.append(b)
            zs.append(z)
    order = np.argsort(zs, kind="stable")
    return np.asarray(pars)[order], np.asarray(zs)[order]


def _one_interval(fit: tuple[float, ...], level: float, df: float) -> tuple[float, float]:
    p, b0, var_b, naive, n_rows, dispersion, prior_total = fit
    if not (0 < p < 1) or not var_b > 0 or not df > 0 or not dispersion > 0 or n_rows < 2:
        return np.nan, np.nan
    se = float(np.sqrt(var_b))
    a = (1.0 - level) / 2.0
    crit = stats.norm.ppf(a) if np.isinf(df) else stats.t.ppf(a, df)
    alpha = stats.norm.cdf(crit * np.sqrt(var_b / naive)) / 2.0
    zmax = float(np.sqrt(f1_upper(alpha, n_rows - 1)))
    pars, zs = _profile(b0, se, prior_total, p, dispersion, zmax)
    order = np.argsort(pars, kind="stable")
    px, pz = pars[order], zs[order]
    grid = np.linspace(px[0], px[-1], 3 * len(px))
    spline_z = fmm_spline(px, pz, grid)
    cutoff = np.array([stats.norm.ppf(2 * alpha), stats.norm.isf(2 * alpha)])
    lo, hi = special.expit(_inverse_linear(spline_z, grid, cutoff))
    return float(lo), float(hi)


def likelihood_interval(fit: InterceptFit, confidence_level: float, df: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Profile-likelihood limits for each proportion (R's ``method="likelihood"``).

    Parameters
    ----------
    fit : InterceptFit
        R's intercept-only fit in every cell (see :func:`intercept_fit`).
    confidence_level : float
        In (0, 1).
    df : ndarray
        Denominator degrees of freedom (R's ``ddf``), one per cell.

    Returns
    -------
    tuple of ndarray
        Lower and upper limits (NaN where ``p`` is 0 or 1 or the variance is zero).

    """
    prior = fit.n_rows if fit.prior_total is None else fit.prior_total
    cells = np.broadcast_arrays(fit.p, fit.beta, fit.var_beta, fit.naive_var, fit.n_rows,
                                fit.dispersion, prior, np.asarray(df, dtype=float))
    lo = np.full(cells[0].shape, np.nan)
    hi = np.full(cells[0].shape, np.nan)
    for k in range(lo.size):
        values = tuple(float(c.flat[k]) for c in cells)
        lo.flat[k], hi.flat[k] = _one_interval(values[:7], confidence_level, values[7])
    return lo, hi
