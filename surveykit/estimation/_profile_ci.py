"""The likelihood interval of R's ``svyciprop(method="likelihood")``.

R fits ``svyglm(y ~ 1, family=quasibinomial)`` and calls ``confint(method="likelihood")``:
the binomial deviance of the intercept is profiled on a grid (``MASS``-style ``profile``),
scaled by the dispersion, and inverted at a Rao-Scott-adjusted cut-off. For an
intercept-only model every quantity has a closed form, so this module reproduces that
procedure step by step without fitting anything:

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
   ``z = sign * sqrt((dev(b) - dev(b0)) / dispersion)``; ``dispersion`` is R's
   ``svyvar`` of the Pearson residuals.
4. An FMM cubic spline of ``z`` against ``b`` evaluated at ``3 * points`` equally spaced
   values, and linear inverse interpolation at ``-/+ Phi^{-1}(2 alpha)``; back-transform by
   ``expit``.

The only difference from R is that R's intercept comes from iteratively reweighted least
squares (converged to about 1e-8 relative), where here it is ``logit(p)`` exactly.
"""

from __future__ import annotations

import numpy as np

from surveykit._lazy import lazy_module
from surveykit.estimation._intercept_fit import InterceptFit

special = lazy_module("scipy.special")
stats = lazy_module("scipy.stats")

__all__ = ["f1_upper", "fmm_spline", "likelihood_interval"]

_EPS = np.finfo(float).eps


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
