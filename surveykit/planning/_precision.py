"""Precision of a planned sample: the margin of error for a net n, and the n for a margin.

The margin is the half-width of a normal-approximation confidence interval,
``z * sqrt(deff * v / n * (1 - n / N))``, where ``v`` is the unit variance (``p (1 - p)`` for a
proportion, ``sd**2`` for a mean), ``deff`` the design effect, ``N`` the population (the finite
population correction is dropped when no population is given) and ``z`` the normal quantile of
the confidence level.
"""

from __future__ import annotations

import math

from surveykit._distributions import norm_ppf
from surveykit.errors import ArgumentError
from surveykit.planning._checks import check_open_unit, check_positive, quantity

__all__ = ["margin_of_error", "n_for_margin", "round_up", "z_value"]



def z_value(level: float) -> float:
    """Return the two-sided normal quantile of confidence ``level``.

    Examples
    --------
    >>> round(z_value(0.95), 4)
    1.96

    """
    return float(norm_ppf(1 - (1 - check_open_unit("level", level)) / 2))


def round_up(value: float) -> int:
    """Round a planned sample size up, ignoring floating-point noise below 1e-9.

    Examples
    --------
    >>> round_up(384.1459), round_up(400.0000000000001)
    (385, 400)

    """
    return math.ceil(round(value, 9))


def _population(population: float | None, n: float | None = None) -> float | None:
    if population is None:
        return None
    size = check_positive("population", population)
    if n is not None and n > size:
        raise ArgumentError(
            f"n ({n:g}) exceeds the population ({size:g}); a sample without replacement cannot "
            f"be larger than the population. Lower n or check the population size."
        )
    return size


def margin_of_error(
    n: float,
    *,
    p: float | None = None,
    sd: float | None = None,
    deff: float = 1.0,
    population: float | None = None,
    level: float = 0.95,
) -> float:
    """Return the expected margin of error (half-width of the CI) for a net sample of ``n``.

    Parameters
    ----------
    n : float
        Net sample size (completed interviews).
    p, sd : float, optional
        Give exactly one: the expected proportion (the margin of a share) or the expected
        standard deviation (the margin of a mean).
    deff : float
        Design effect (weighting and clustering) that inflates the variance.
    population : float, optional
        Population size ``N``; adds the finite population correction ``1 - n / N``.
    level : float
        Confidence level.

    Returns
    -------
    float
        ``z * sqrt(deff * v / n * (1 - n / N))``, in the units of ``p`` (a fraction) or of the
        mean.

    Examples
    --------
    >>> round(margin_of_error(1000, p=0.5), 4)
    0.031
    >>> round(margin_of_error(400, sd=1.2, deff=1.5, population=5000), 4)
    0.1381

    """
    size = check_positive("n", n)
    _, v = quantity(p, sd)
    fpc = 1.0 if (N := _population(population, size)) is None else 1 - size / N
    return z_value(level) * math.sqrt(check_positive("deff", deff) * v / size * fpc)


def n_for_margin(
    margin: float,
    *,
    p: float | None = None,
    sd: float | None = None,
    deff: float = 1.0,
    population: float | None = None,
    level: float = 0.95,
) -> int:
    """Return the net n whose expected margin of error is at most ``margin``.

    Solves ``margin = z * sqrt(deff * v * (1 / n - 1 / N))`` for ``n``: ``n0 = z**2 deff v /
    margin**2`` without a population, ``n0 / (1 + n0 / N)`` with one, rounded up.

    Parameters
    ----------
    margin : float
        Target half-width of the confidence interval (a fraction for a proportion, e.g. 0.05
        for 5 points; units of the mean otherwise).
    p, sd, deff, population, level
        As in :func:`margin_of_error`.

    Returns
    -------
    int
        Net sample size, rounded up.

    Examples
    --------
    >>> n_for_margin(0.05, p=0.5)
    385
    >>> n_for_margin(0.05, p=0.5, deff=1.3, population=2000)
    400

    """
    target = check_positive("margin", margin)
    _, v = quantity(p, sd)
    n0 = z_value(level) ** 2 * check_positive("deff", deff) * v / target**2
    N = _population(population)
    return round_up(n0 if N is None else n0 / (1 + n0 / N))
