"""Weight trimming: cap weights at bounds and share the excess out, until stable."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.errors import WeightingError
from surveykit.weighting._apply import base_weights, finish, stacked, unstack
from surveykit.weighting._history import StepTimer, WeightingStep

__all__ = ["trim", "trim_weights"]

Design = SurveyDesign | ReplicateDesign


@dataclass(frozen=True)
class TrimResult:
    """Trimmed weights, rounds, and per-column counts of capped weights and weight moved."""

    weights: np.ndarray
    rounds: int
    n_high: np.ndarray
    n_low: np.ndarray
    moved: np.ndarray
    stable: bool


def trim_weights(w: np.ndarray, lower: float, upper: float, *, strict: bool = True,
                 max_rounds: int = 100) -> TrimResult:
    """Cap (n,) or (n, k) weights to ``[lower, upper]``, sharing the excess equally.

    Each round caps the weights outside the bounds and adds the trimmed amount, in equal
    shares, to the weights inside them (R survey 4.1's ``trimWeights``; the shares are
    additive, so totals are kept; a weight capped earlier sits at the bound and shares).
    With ``strict`` rounds repeat until no weight is outside.
    Zero weights (rows outside a domain, deleted PSUs of a replicate) are left alone.

    Examples
    --------
    >>> trim_weights(np.array([1.0, 1.0, 1.0, 9.0]), 0.0, 4.0).weights.tolist()
    [2.666666666666667, 2.666666666666667, 2.666666666666667, 4.0]
    >>> trim_weights(np.array([1.0, 1.0, 6.0, 12.0]), 0.0, 6.0).weights.tolist()
    [4.0, 4.0, 6.0, 6.0]

    """
    W = np.array(w, dtype=float, ndmin=2).reshape(w.shape[0], -1).copy()
    live = W > 0
    capped = np.zeros_like(live)
    moved = np.zeros(W.shape[1])
    rounds = 0
    while rounds < max_rounds:
        outside = live & ((lower > W) | (upper < W))
        if not outside.any():
            break
        rounds += 1
        new = np.where(outside, np.clip(W, lower, upper), W)
        excess = (W - new).sum(axis=0)
        moved += np.abs(W - new).sum(axis=0)
        capped |= outside
        receivers = live & ~outside
        share = np.divide(excess, receivers.sum(axis=0), out=np.zeros_like(excess),
                          where=receivers.any(axis=0))
        W = new + receivers * share
        if not strict:
            break
    stable = not (live & ((lower > W) | (upper < W))).any() or not strict
    out = W[:, 0] if w.ndim == 1 else W
    n_high = (capped & (upper <= W)).sum(axis=0)
    n_low = (capped & (lower >= W)).sum(axis=0)
    return TrimResult(out, rounds, n_high, n_low, moved, bool(stable))


def _absolute_bounds(w: np.ndarray, lower: float | None, upper: float | None,
                     absolute: bool) -> tuple[float, float]:
    lo = -np.inf if lower is None else float(lower)
    up = np.inf if upper is None else float(upper)
    if lower is None and upper is None:
        raise ValueError("trim() needs 'upper', 'lower' or both (got neither).")
    if not lo < up:
        raise ValueError(f"'lower' must be below 'upper' (got lower={lower!r}, upper={upper!r}).")
    if absolute:
        return lo, up
    mean = float(w[w > 0].mean())
    return lo * mean, up * mean


def _check_feasible(w: np.ndarray, lo: float, up: float) -> None:
    pos = w[w > 0]
    total, n = float(pos.sum()), pos.size
    if n * up < total * (1 - 1e-12) or n * lo > total * (1 + 1e-12):
        raise WeightingError(
            f"trim(): bounds ({lo:.6g}, {up:.6g}) cannot be met: {n} positive weights summing "
            f"to {total:.6g} need a mean weight of {total / n:.6g}, outside the bounds. "
            f"Widen the bounds."
        )


def trim(
    design: Design,
    *,
    upper: float | None = None,
    lower: float | None = None,
    absolute: bool = False,
    strict: bool = True,
    max_rounds: int = 100,
) -> Design:
    """Trim extreme weights, sharing the trimmed weight out among the others.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design to trim; it is not modified.
    upper, lower : float, optional
        Bounds on the weights: multiples of the mean (positive) weight, or with
        ``absolute=True`` weights on the scale of the design (R's ``trimWeights`` bounds).
    absolute : bool
        Read ``upper`` and ``lower`` as weights rather than multiples of the mean weight.
    strict : bool
        Repeat capping and redistribution until no weight is outside the bounds (R's
        ``strict=TRUE``); otherwise one round.
    max_rounds : int
        Largest number of rounds.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        A new design with the same weight total; every replicate column is trimmed to the
        same bounds. Calibration records of earlier steps are kept, as R does, so standard
        errors still use the calibration residuals.

    Raises
    ------
    WeightingError
        When the bounds cannot hold the weight total (``n * upper < sum`` or
        ``n * lower > sum``).

    Notes
    -----
    Matches ``survey::trimWeights(design, upper=, lower=, strict=)`` of survey 4.1: the
    trimmed excess is added in equal shares to the weights inside the bounds, round after
    round (survey 4.4 and later stop sharing with weights once capped, which can end at a
    slightly different fixed point). Zero weights are not raised to ``lower``.

    Examples
    --------
    >>> import surveykit as sk
    >>> df = pd.DataFrame({"w": [1.0, 1.0, 1.0, 9.0]})
    >>> sk.trim(sk.SurveyDesign(df, weights="w"), upper=4.0, absolute=True).weights.tolist()
    [2.666666666666667, 2.666666666666667, 2.666666666666667, 4.0]

    """
    timer = StepTimer()
    base = base_weights(design, "trim")
    lo, up = _absolute_bounds(base.w, lower, upper, absolute)
    _check_feasible(base.w, lo, up)
    res = trim_weights(stacked(base), lo, up, strict=strict, max_rounds=max_rounds)
    w, rep = unstack(res.weights)
    step = WeightingStep(
        method="trim", targets=pd.DataFrame(columns=["margin", "level", "target", "achieved"]),
        options={"upper": upper, "lower": lower, "absolute": absolute, "strict": strict},
        iterations=res.rounds, tolerance=0.0, converged=res.stable, started=timer.started,
        seconds=timer.seconds(),
        details={"lower_weight": lo, "upper_weight": up, "n_trimmed_high": int(res.n_high[0]),
                 "n_trimmed_low": int(res.n_low[0]), "weight_moved": float(res.moved[0])},
    )
    return finish(design, w, rep, method="trim", record=step)
