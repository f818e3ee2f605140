"""Calibration (GREG and its relatives) to totals of categorical and continuous auxiliaries."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import check_columns, check_option
from surveykit.design import CalibrationRecord, ReplicateDesign, SurveyDesign
from surveykit.weighting._apply import base_weights, finish, stacked, unstack
from surveykit.weighting._auxiliary import Auxiliary, build_auxiliary, check_bounds
from surveykit.weighting._calfun import DISTANCES, MethodName
from surveykit.weighting._grake import GrakeResult, grake
from surveykit.weighting._history import StepTimer, WeightingStep
from surveykit.weighting._rake import convergence_failure
from surveykit.weighting._targets import Margin, normalize_margins

__all__ = ["calibrate"]

Design = SurveyDesign | ReplicateDesign


def _bounds(bounds: tuple[float, float] | None) -> tuple[float, float]:
    if bounds is None:
        return (-np.inf, np.inf)
    if not (isinstance(bounds, tuple | list) and len(bounds) == 2):
        raise TypeError(f"'bounds' must be a pair (lower, upper) of g-weight ratios, e.g. "
                        f"(0.3, 3.0) (got {bounds!r}).")
    lo, up = float(bounds[0]), float(bounds[1])
    if not lo < up:
        raise ValueError(f"'bounds' must have lower < upper (got {bounds!r}).")
    return lo, up


def _targets_frame(aux: Auxiliary, g_units: np.ndarray, margins: list[Margin]) -> pd.DataFrame:
    full_w = aux.weights if aux.weights.ndim == 1 else aux.weights[:, 0]
    g = g_units if g_units.ndim == 1 else g_units[:, 0]
    achieved = aux.X_all.T @ (full_w * g)
    variables = {m.name: m.variables for m in margins}
    return pd.DataFrame({"margin": [m for m, _ in aux.labels_all],
                         "variables": [variables.get(m, ()) for m, _ in aux.labels_all],
                         "level": [lv for _, lv in aux.labels_all],
                         "target": aux.totals_all, "achieved": achieved})


def _misfit_by_margin(aux: Auxiliary, res: GrakeResult) -> tuple[list[str], np.ndarray]:
    names = list(dict.fromkeys(m for m, _ in aux.labels))
    per = np.array([max(float(v) for (m, _), v in zip(aux.labels, res.misfit, strict=True)
                        if m == name) for name in names])
    return names, per


def _record(aux: Auxiliary, old: np.ndarray, new: np.ndarray, method: str) -> CalibrationRecord:
    """R's greg_calibration: qr(mm * whalf) and w = g * whalf, whalf = sqrt(old weights)."""
    whalf = np.sqrt(old)
    with np.errstate(divide="ignore", invalid="ignore"):
        gw = np.where(old > 0, new / np.where(old > 0, whalf, 1.0), 0.0)
    # X is R's mm * whalf; for cells a LazyRowValues, materialised by np.asarray in the engine
    return CalibrationRecord("greg", X=aux.rows_matrix(whalf), w=gw,  # type: ignore[arg-type]
                             info={"method": f"calibrate:{method}"})


def calibrate(
    design: Design,
    totals: Any,
    *,
    method: MethodName = "linear",
    bounds: tuple[float, float] | None = None,
    population_total: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 50,
    allow_nonconvergence: bool = False,
) -> Design:
    """Calibrate the weights to population totals (GREG, raking or logit distance).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design to weight; it is not modified.
    totals : mapping or list of DataFrame
        ``{variable: {level: total}}`` for categorical auxiliaries (a tuple of variables is
        a cross-classified margin) and ``{variable: total}`` for continuous ones.
    method : {"linear", "raking", "logit"}
        Calibration distance (R's ``calfun``): ``"linear"`` is GREG, ``"raking"`` the
        multiplicative distance (equal to raking for categorical margins), ``"logit"``
        keeps every g-weight strictly inside finite ``bounds``.
    bounds : (lower, upper), optional
        Bounds on the g-weights (new weight / old weight), as R's ``bounds=``.
    population_total : float, optional
        Also calibrate to this population size; categorical margins are then proportions
        (summing to 1) and continuous totals are population means.
    tol : float
        Convergence, R's criterion: every ``|target - achieved| / (1 + |target|) < tol``.
    max_iter : int
        Largest number of Newton steps.
    allow_nonconvergence : bool
        Return an unconverged design (``converged=False`` in its record) with a warning.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        A new design; replicate columns are calibrated each to the same totals (R's
        ``calibrate.svyrep.design``). Linearisation designs carry R's GREG record so
        standard errors are the calibrated ones.

    Raises
    ------
    WeightingError
        Categories missing on either side, contradictory targets, bounds that cannot be
        met, missing values, negative base weights.
    ConvergenceError
        Newton iterations did not reach ``tol`` within ``max_iter``.

    Notes
    -----
    The Newton iterations are R's ``grake`` (generalised inverse, step halving). With only
    categorical auxiliaries they run on the cells of their cross-table. R rescales the
    weights when every target exceeds 20 x its sample total (and then reinterprets the
    bounds); surveykit does not, so bounds always mean ratios to the input weights.

    Examples
    --------
    >>> import surveykit as sk
    >>> df = pd.DataFrame({"g": ["a", "a", "b"], "x": [1.0, 2.0, 3.0], "w": [1.0, 1.0, 1.0]})
    >>> d = sk.calibrate(sk.SurveyDesign(df, weights="w"), {"g": {"a": 3, "b": 2}, "x": 10})
    >>> d.weights.round(6).tolist()
    [2.0, 1.0, 2.0]

    """
    timer = StepTimer()
    check_option("method", method, tuple(DISTANCES))
    dist = DISTANCES[method]
    lo, up = _bounds(bounds)
    dist.check_bounds(lo, up)
    base = base_weights(design, "calibrate")
    ms = normalize_margins(totals, columns=list(base.data.columns), param="totals",
                           population_total=population_total, allow_continuous=True)
    check_columns("totals", base.data, [v for m in ms for v in m.variables])
    aux = build_auxiliary(base, ms, param="totals", population_total=population_total)
    check_bounds(aux, (lo, up), "totals")
    res = grake(aux.X, aux.weights, aux.totals, dist, bounds=(lo, up), tol=tol,
                max_iter=max_iter)
    names, per = _misfit_by_margin(aux, res)
    history = pd.DataFrame({"misfit": res.history},
                           index=pd.RangeIndex(1, res.history.size + 1, name="iteration"))
    if not res.converged:
        convergence_failure("calibrate", names, per, history, res.iterations, tol,
                            allow_nonconvergence)
    new = stacked(base) * aux.to_rows(res.g)
    w, rep = unstack(new)
    step = WeightingStep(
        method="calibrate", targets=_targets_frame(aux, res.g, ms),
        options={"method": method, "bounds": (lo, up), "tol": tol, "max_iter": max_iter,
                 "population_total": population_total},
        iterations=res.iterations, tolerance=float(per.max()), converged=res.converged,
        started=timer.started, seconds=timer.seconds(), history=history,
        details={"units": int(aux.X.shape[0]), "auxiliaries": int(aux.X.shape[1])},
    )
    cal = None if rep is not None else _record(aux, base.w, w, method)
    return finish(design, w, rep, method="calibrate", record=step, calibration=cal)
