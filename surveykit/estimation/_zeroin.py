"""Brent's root finder with the stopping rule and step sequence of R's ``uniroot``.

R's score interval for quantiles (``svyquantile(interval.type="score")``) solves a step
function with ``uniroot``; which side of a data value the root lands on decides the interval,
so the iterates must follow R's (Brent 1973, ``zeroin``): inverse quadratic or secant steps
when they fall well inside the bracket, bisection otherwise, each step at least
``2 eps |b| + tol / 2``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["uniroot"]

_EPS = float(np.finfo(float).eps)


def _interpolated_step(a: float, b: float, c: float, fa: float, fb: float, fc: float
                       ) -> tuple[float, float]:
    """Numerator and denominator of the secant / inverse quadratic step from ``b``."""
    cb = c - b
    if a == c:
        t1 = fb / fa
        p = cb * t1
        q = 1.0 - t1
    else:
        q, t1, t2 = fa / fc, fb / fc, fb / fa
        p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
        q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
    return (p, -q) if p > 0 else (-p, q)


def uniroot(f: Callable[[float], float], lower: float, upper: float, *, tol: float,
            maxiter: int = 1000) -> float:
    """Find a root of ``f`` in ``[lower, upper]`` as R's ``uniroot(f, c(lower, upper), tol=)``.

    Returns NaN when ``f`` does not change sign over the interval (R stops with an error).

    Examples
    --------
    >>> round(uniroot(lambda x: x * x - 2, 0.0, 2.0, tol=1e-10), 9)
    1.414213562

    """
    a, b = float(lower), float(upper)
    fa, fb = float(f(a)), float(f(b))
    if np.isnan(fa) or np.isnan(fb) or np.sign(fa) * np.sign(fb) > 0:
        return np.nan
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    c, fc = a, fa
    for _ in range(maxiter + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * _EPS * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            p, q = _interpolated_step(a, b, c, fa, fb, fc)
            if p < 0.75 * (c - b) * q - abs(tol_act * q) / 2 and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = float(f(b))
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b
