"""Raking (iterative proportional fitting) on the cross-table of the raking variables."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import check_columns, check_type
from surveykit.design import CalibrationRecord, ReplicateDesign, SurveyDesign
from surveykit.errors import ConvergenceError, NonConvergenceWarning
from surveykit.weighting._apply import Base, base_weights, finish, stacked, unstack
from surveykit.weighting._cells import (
    CrossTable,
    Encoded,
    LazyRowValues,
    cross_table,
    encode,
)
from surveykit.weighting._history import StepTimer, WeightingStep
from surveykit.weighting._ipf import IPFResult, cell_multipliers, ipf
from surveykit.weighting._match import check_missing, match_margin
from surveykit.weighting._targets import Margin, normalize_margins

__all__ = ["achieved_frame", "convergence_failure", "prepare_cells", "rake"]

Design = SurveyDesign | ReplicateDesign


def prepare_cells(
    base: Base, margins: list[Margin], *, param: str, partial: bool = False
) -> tuple[list[Encoded], CrossTable, np.ndarray, list[np.ndarray]]:
    """Encode margins, build the cross-table, weighted cell totals and matched targets."""
    check_columns(param, base.data, [v for m in margins for v in m.variables])
    encs = [encode(base.data, m.variables) for m in margins]
    for enc in encs:
        check_missing(base.data, enc, base.active, param)
    table = cross_table(encs)
    cells0 = table.sums(stacked(base))
    full0 = cells0 if cells0.ndim == 1 else cells0[:, 0]
    targets = []
    for m, enc, codes in zip(margins, encs, table.margin_codes, strict=True):
        sample = np.bincount(codes, weights=full0, minlength=enc.size)
        targets.append(match_margin(m, enc, sample, param=param, partial=partial))
    return encs, table, cells0, targets


def achieved_frame(
    margins: Sequence[Margin], encs: Sequence[Encoded], table: CrossTable,
    cells: np.ndarray, targets: Sequence[np.ndarray],
) -> pd.DataFrame:
    """Target and achieved weighted total for every targeted category."""
    full = cells if cells.ndim == 1 else cells[:, 0]
    rows = []
    for m, enc, codes, tgt in zip(margins, encs, table.margin_codes, targets, strict=True):
        got = np.bincount(codes, weights=full, minlength=enc.size)
        keep = np.flatnonzero((tgt > 0) | (got > 0))
        rows.append(pd.DataFrame({"margin": m.name, "variables": [m.variables] * keep.size,
                                  "level": [enc.labels[k] for k in keep],
                                  "target": tgt[keep], "achieved": got[keep]}))
    return pd.concat(rows, ignore_index=True)


def convergence_failure(method: str, names: list[str], misfit: np.ndarray, history: pd.DataFrame,
                        iterations: int, tol: float, allow: bool) -> None:
    """Raise ConvergenceError, or warn when ``allow`` (allow_nonconvergence=True)."""
    per = {n: float(v) for n, v in zip(names, misfit, strict=True)}
    msg = (f"{method}() did not converge in {iterations} iterations: misfit per margin "
           f"{ {k: float(f'{v:.3g}') for k, v in per.items()} } (tol={tol:g}). Sparse or "
           "empty cells in the sample cross-table can make margins unattainable: collapse "
           "categories, raise max_iter, or pass allow_nonconvergence=True to keep the "
           "unconverged weights.")
    if not allow:
        raise ConvergenceError(msg, iterations=iterations, tolerance=float(misfit.max()),
                               history=history, misfit=per)
    warnings.warn(msg, NonConvergenceWarning, stacklevel=3)


def _record(base: Base, encs: list[Encoded], table: CrossTable, res: IPFResult,
            cells0: np.ndarray) -> CalibrationRecord:
    """R's "raking" postStrata: per margin, the weights after its step in the last sweep."""
    full0 = cells0 if cells0.ndim == 1 else cells0[:, 0]
    margins = []
    for enc, step in zip(encs, res.steps, strict=True):
        after = step if step.ndim == 1 else step[:, 0]
        lazy = LazyRowValues(base.w, table, cell_multipliers(after, full0))
        margins.append((enc.codes, lazy))
    # the weights are LazyRowValues (array-like, materialised by np.asarray in the engine)
    return CalibrationRecord("raking", margins=tuple(margins),  # type: ignore[arg-type]
                             info={"method": "rake"})


def rake(
    design: Design,
    margins: Any,
    *,
    population_total: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    allow_nonconvergence: bool = False,
) -> Design:
    """Rake the weights to population margins (iterative proportional fitting).

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design to weight; it is not modified.
    margins : mapping or list of DataFrame
        ``{variable: {level: total}}``; a tuple of variables is a cross-classified margin,
        e.g. ``{("age_group", "sex"): {("20-24", "female"): 2549, ...}}``. Values may also be
        Series or DataFrames (see :func:`surveykit.weighting.population_margins`).
    population_total : float, optional
        When given, margins are proportions (each summing to 1) of this total.
    tol : float
        Convergence: every margin within ``tol`` x population total of its target.
    max_iter : int
        Largest number of sweeps over the margins.
    allow_nonconvergence : bool
        Return the unconverged design (with ``converged=False`` in its history record and a
        :class:`~surveykit.NonConvergenceWarning`) instead of raising.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        A new design; ``weighting_history[-1]`` records the step. Replicate weights are
        raked column by column, all columns at once.

    Raises
    ------
    WeightingError
        Impossible targets (categories missing on either side, disagreeing margin totals,
        missing values or negative weights), listed before iterating.
    ConvergenceError
        No convergence within ``max_iter`` sweeps; carries the misfit per margin and the
        iteration history.

    Notes
    -----
    The rows are counted once into the cross-table of all raking variables; the sweeps run
    on its cells and the result is mapped back, so a sweep costs O(cells). The fixed point
    is R's ``rake()``; R's own stopping rule (``epsilon`` on the change of the cell table,
    default 1 unit) is looser than ``tol`` here. Standard errors use R's raking
    residuals (the ``"raking"`` entry of ``design$postStrata``).

    Examples
    --------
    >>> import surveykit as sk
    >>> df = pd.DataFrame({"sex": ["f", "m", "m", "f"], "age": ["y", "y", "o", "o"],
    ...                    "w": [1.0, 1.0, 1.0, 1.0]})
    >>> d = sk.rake(sk.SurveyDesign(df, weights="w"),
    ...             {"sex": {"f": 60, "m": 40}, "age": {"y": 50, "o": 50}})
    >>> d.weights.round(4).tolist()
    [30.0, 20.0, 20.0, 30.0]

    """
    timer = StepTimer()
    check_type("tol", tol, (int, float), "a positive number")
    base = base_weights(design, "rake")
    ms = normalize_margins(margins, columns=list(base.data.columns), param="margins",
                           population_total=population_total)
    encs, table, cells0, targets = prepare_cells(base, ms, param="margins")
    res = ipf(cells0, table.margin_codes, targets, tol=float(tol), max_iter=int(max_iter))
    names = [m.name for m in ms]
    history = pd.DataFrame(res.history, columns=names,
                           index=pd.RangeIndex(1, res.iterations + 1, name="iteration"))
    if not res.converged:
        convergence_failure("rake", names, res.misfit, history, res.iterations, tol,
                            allow_nonconvergence)
    new = stacked(base) * table.to_rows(cell_multipliers(res.cells, cells0))
    w, rep = unstack(new)
    step = WeightingStep(
        method="rake", targets=achieved_frame(ms, encs, table, res.cells, targets),
        options={"tol": tol, "max_iter": max_iter, "population_total": population_total},
        iterations=res.iterations, tolerance=float(res.misfit.max()),
        converged=res.converged, started=timer.started, seconds=timer.seconds(),
        history=history, details={"cells": table.n_cells},
    )
    cal = None if rep is not None else _record(base, encs, table, res, cells0)
    return finish(design, w, rep, method="rake", record=step, calibration=cal)
