"""Power to detect a change between two waves, the n it needs, and the smallest detectable change.

The test planned for is two-sided at level ``alpha`` on the difference of the two waves'
estimates, under the normal approximation. The unit variance of the difference (times ``deff``)
is, for ``n`` completed interviews per wave of which a share ``overlap`` are the same people
(a panel) whose answers correlate ``correlation`` across the waves (``r = overlap *
correlation``):

- a mean: ``2 sd**2 (1 - r)`` (the same ``sd`` in both waves);
- a proportion, ``test="wald"`` (the default): ``p1 q1 + p2 q2 - 2 r sqrt(p1 q1 p2 q2)``
  under the alternative and under the null: the unpooled standard error that a design-based
  comparison of two waves uses (``sk.compare``); R's ``pwr::pwr.norm.test`` with
  ``d = delta / sqrt(v)`` gives the same power;
- ``test="pooled"``: the null variance ``2 pbar qbar (1 - r)`` with ``pbar = (p1 + p2) / 2``
  and the unpooled one under the alternative, as ``stats::power.prop.test(strict = TRUE)``;
- ``test="arcsine"``: Cohen's ``h = 2 asin(sqrt(p2)) - 2 asin(sqrt(p1))`` with variance
  ``2 (1 - r)``, as ``pwr::pwr.2p.test(h = ES.h(p2, p1))``.

``power = Phi((e sqrt(n) - z sqrt(v0)) / sqrt(v1)) + Phi((-e sqrt(n) - z sqrt(v0)) /
sqrt(v1))``, both tails counted (``e`` the change or ``h``, ``z`` the normal quantile of
``1 - alpha / 2`` after any multiple-comparison adjustment, ``v0``/``v1`` the unit variances
under the null and the alternative). A t test (``stats::power.t.test``) needs a few more
interviews when n is small; with the design's degrees of freedom in the hundreds the difference
is below one interview.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from surveykit._distributions import norm_ppf
from surveykit._lazy import lazy_module
from surveykit._validate import check_option
from surveykit.errors import ArgumentError
from surveykit.planning._alpha import Adjustment, adjusted_alpha
from surveykit.planning._checks import (
    check_open_unit,
    check_positive,
    check_unit_interval,
    quantity,
)
from surveykit.planning._precision import round_up

__all__ = ["mde", "n_for_change", "power_for_change"]

optimize = lazy_module("scipy.optimize")

Test = Literal["wald", "pooled", "arcsine"]
_TESTS = ("wald", "pooled", "arcsine")


@dataclass(frozen=True)
class _Spread:
    """The planned change's effect on the test scale and its unit variances (null, alternative)."""

    effect: float
    v0: float
    v1: float

    def power(self, n: float, z: float) -> float:
        root = math.sqrt(n) * self.effect
        return (_phi((root - z * math.sqrt(self.v0)) / math.sqrt(self.v1))
                + _phi((-root - z * math.sqrt(self.v0)) / math.sqrt(self.v1)))


def _phi(x: float) -> float:
    """Return the standard normal distribution function, accurate in both tails (as ``ndtr``)."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _test_scale(alpha: float, comparisons: int, adjustment: Adjustment,
                expected_rejections: int | None, overlap: float,
                correlation: float) -> tuple[float, float]:
    """Return ``(z, r)``: the two-sided normal quantile at the adjusted level, and ``r``.

    ``r = overlap * correlation``, the correlation of the two waves' estimates per unit; the
    options are checked here once for :func:`power_for_change`, :func:`n_for_change` and
    :func:`mde`.
    """
    level = adjusted_alpha(alpha, comparisons, adjustment, expected_rejections)
    share = check_unit_interval("overlap", overlap)
    rho = float(correlation)
    if not -1 <= rho <= 1:
        raise ArgumentError(f"correlation must lie in [-1, 1]; found {correlation!r}.")
    return float(norm_ppf(1 - level / 2)), share * rho


def _spread(delta: float, p1: float | None, sd: float | None, r: float, deff: float,
            test: str) -> _Spread:
    check_option("test", test, _TESTS)
    if isinstance(delta, bool) or not isinstance(delta, int | float) or not math.isfinite(delta):
        raise ArgumentError(f"delta must be a finite number; found {delta!r}.")
    if delta == 0:
        raise ArgumentError(
            "delta is 0: no sample size detects a change of zero. Give the smallest change "
            "worth detecting, e.g. 0.05 for five points of a share or 0.2 for a mean."
        )
    kind, v = quantity(p1, sd)
    inflate = check_positive("deff", deff)
    if kind == "mean":
        if test != "wald":
            raise ArgumentError(f"test={test!r} applies to proportions; a mean uses test='wald'.")
        var = 2 * v * (1 - r)
        return _Spread(abs(delta), var * inflate, var * inflate) if var > 0 else _bad_var()
    assert p1 is not None
    p2 = p1 + delta
    if not 0 < p2 < 1:
        raise ArgumentError(
            f"p1 + delta = {p1:g} + {delta:g} = {p2:g} lies outside (0, 1); the second wave's "
            f"proportion must be a share strictly between 0 and 1."
        )
    a, b = p1 * (1 - p1), p2 * (1 - p2)
    alternative = a + b - 2 * r * math.sqrt(a * b)
    if alternative <= 0 or r >= 1:
        return _bad_var()
    if test == "arcsine":
        h = abs(2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1)))
        return _Spread(h, 2 * (1 - r) * inflate, 2 * (1 - r) * inflate)
    pbar = (p1 + p2) / 2
    null = 2 * pbar * (1 - pbar) * (1 - r) if test == "pooled" else alternative
    return _Spread(abs(delta), null * inflate, alternative * inflate)


def _bad_var() -> _Spread:
    raise ArgumentError(
        "overlap * correlation leaves no variance in the difference (a full panel with "
        "correlation 1); lower the overlap or the correlation."
    )


def power_for_change(
    n: float,
    delta: float,
    *,
    p1: float | None = None,
    sd: float | None = None,
    alpha: float = 0.05,
    deff: float = 1.0,
    overlap: float = 0.0,
    correlation: float = 0.0,
    comparisons: int = 1,
    adjustment: Adjustment = "none",
    expected_rejections: int | None = None,
    test: Test = "wald",
) -> float:
    """Return the power of a two-sided test to detect a change ``delta`` with ``n`` per wave.

    Parameters
    ----------
    n : float
        Net sample size in each wave.
    delta : float
        The change: ``p2 - p1`` for a proportion (a fraction, 0.05 for five points), the
        difference of the means otherwise.
    p1 : float, optional
        The first wave's proportion (planning a share); ``p2 = p1 + delta``.
    sd : float, optional
        The standard deviation of the item in both waves (planning a mean).
    alpha : float
        Two-sided significance level before any adjustment.
    deff : float
        Design effect of each wave's estimate.
    overlap : float
        Share of each wave's respondents who answer in both waves (a panel), in [0, 1].
    correlation : float
        Correlation of a panel member's answers across the waves.
    comparisons, adjustment, expected_rejections
        Adjustment for multiple comparisons, see :func:`adjusted_alpha`.
    test : {"wald", "pooled", "arcsine"}
        The test of a proportion's change (see the module notes); a mean uses ``"wald"``.

    Returns
    -------
    float
        The probability of rejecting "no change" when the change is ``delta``.

    Examples
    --------
    >>> round(power_for_change(800, 0.05, p1=0.5), 4)
    0.518
    >>> round(power_for_change(200, 0.2, sd=0.9, overlap=0.5, correlation=0.6), 4)
    0.7568

    """
    size = check_positive("n", n)
    z, r = _test_scale(alpha, comparisons, adjustment, expected_rejections, overlap,
                       correlation)
    return _spread(delta, p1, sd, r, deff, test).power(size, z)


def n_for_change(
    delta: float,
    *,
    p1: float | None = None,
    sd: float | None = None,
    power: float = 0.8,
    alpha: float = 0.05,
    deff: float = 1.0,
    overlap: float = 0.0,
    correlation: float = 0.0,
    comparisons: int = 1,
    adjustment: Adjustment = "none",
    expected_rejections: int | None = None,
    test: Test = "wald",
) -> int:
    """Return the net n per wave that detects a change ``delta`` with the given power.

    The smallest whole n whose :func:`power_for_change` reaches ``power``; it starts from the
    textbook ``n = (z_(1-a/2) sqrt(v0) + z_power sqrt(v1))**2 / delta**2`` and steps down
    while the opposite tail still carries the power.

    Parameters
    ----------
    delta, p1, sd, alpha, deff, overlap, correlation, comparisons, adjustment
        As in :func:`power_for_change`.
    expected_rejections, test
        As in :func:`power_for_change`.
    power : float
        Target power, strictly between 0 and 1.

    Returns
    -------
    int
        Net sample size per wave.

    Examples
    --------
    >>> n_for_change(0.05, p1=0.5)
    1562
    >>> n_for_change(0.05, p1=0.5, test="pooled"), n_for_change(0.05, p1=0.5, test="arcsine")
    (1565, 1565)
    >>> n_for_change(0.2, sd=1.0, deff=1.4, comparisons=5, adjustment="bonferroni")
    818

    """
    target = check_open_unit("power", power)
    z, r = _test_scale(alpha, comparisons, adjustment, expected_rejections, overlap,
                       correlation)
    spread = _spread(delta, p1, sd, r, deff, test)
    top = z * math.sqrt(spread.v0) + float(norm_ppf(target)) * math.sqrt(spread.v1)
    n = max(round_up((top / spread.effect) ** 2), 1) if top > 0 else 1
    while n > 1 and spread.power(n - 1, z) >= target:
        n -= 1
    return n


def mde(
    n: float,
    *,
    p1: float | None = None,
    sd: float | None = None,
    power: float = 0.8,
    alpha: float = 0.05,
    deff: float = 1.0,
    overlap: float = 0.0,
    correlation: float = 0.0,
    comparisons: int = 1,
    adjustment: Adjustment = "none",
    expected_rejections: int | None = None,
    test: Test = "wald",
) -> float:
    """Return the minimum detectable effect: the smallest change detected with ``power``.

    The inverse of :func:`n_for_change`: the ``delta`` whose :func:`power_for_change` at ``n``
    equals ``power``. For a proportion it is the increase from ``p1`` (a decrease from ``p1``
    is the increase from ``1 - p1``).

    Parameters
    ----------
    n : float
        Net sample size per wave.
    p1, sd, power, alpha, deff, overlap, correlation, comparisons, adjustment
        As in :func:`n_for_change`.
    expected_rejections, test
        As in :func:`n_for_change`.

    Returns
    -------
    float
        The detectable change (a fraction for a proportion; units of the mean otherwise).

    Examples
    --------
    >>> round(mde(1565, p1=0.5), 4)
    0.05
    >>> round(mde(500, sd=1.0, deff=1.3), 4)
    0.202

    """
    size = check_positive("n", n)
    target = check_open_unit("power", power)
    z, r = _test_scale(alpha, comparisons, adjustment, expected_rejections, overlap,
                       correlation)

    def gap(delta: float) -> float:
        return _spread(delta, p1, sd, r, deff, test).power(size, z) - target

    if p1 is not None:
        top = 1 - check_open_unit("p1", p1) - 1e-12
        if gap(top) < 0:
            raise ArgumentError(
                f"With n = {size:g} per wave no increase from p1 = {p1:g} is detected with power "
                f"{target:g}; raise n or lower the power."
            )
    else:
        _, v = quantity(p1, sd)
        top = 2 * (z + 10) * math.sqrt(2 * v * check_positive("deff", deff) / size)
    return float(optimize.brentq(gap, top * 1e-9, top, xtol=1e-13, rtol=1e-13))
