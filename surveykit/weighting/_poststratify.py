"""Post-stratification to known cell totals (R's ``postStratify``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit.design import CalibrationRecord, ReplicateDesign, SurveyDesign
from surveykit.errors import WeightingError
from surveykit.weighting._apply import base_weights, finish, stacked, unstack
from surveykit.weighting._history import StepTimer, WeightingStep
from surveykit.weighting._ipf import cell_multipliers
from surveykit.weighting._rake import achieved_frame, prepare_cells
from surveykit.weighting._targets import normalize_margins

__all__ = ["poststratify"]

Design = SurveyDesign | ReplicateDesign


def _one_margin(population: Any) -> Any:
    if isinstance(population, pd.Series) and all(n is not None for n in population.index.names):
        names = tuple(population.index.names)
        return {names if len(names) > 1 else names[0]: population}
    return population


def poststratify(
    design: Design,
    population: Any,
    *,
    partial: bool = False,
    population_total: float | None = None,
) -> Design:
    """Post-stratify the weights to known population cell totals.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design to weight; it is not modified.
    population : DataFrame, Series or mapping
        The cells and their totals: a DataFrame whose columns are the cell variables (columns
        of the data) plus one totals column (R's ``postStratify(population=)``); a Series
        with a named (Multi)Index; or ``{variable(s): {level: total}}`` with one entry.
    partial : bool
        Ignore population cells absent from the sample (R's ``partial=TRUE``), with a
        warning, instead of raising.
    population_total : float, optional
        When given, the cell values are proportions (summing to 1) of this total.

    Returns
    -------
    SurveyDesign or ReplicateDesign
        A new design whose weights sum to the cell totals; replicate columns are
        post-stratified each to the same totals. Standard errors of linearisation designs
        use R's post-stratification residuals.

    Raises
    ------
    WeightingError
        Population cells absent from the sample (unless ``partial``), sample cells absent
        from the population, missing values in cell variables, or negative base weights.

    Notes
    -----
    Matches ``survey::postStratify(design, ~stype, pop.types)``: each row's weight is
    multiplied by ``N_c / sum of weights in cell c``.

    Examples
    --------
    >>> import surveykit as sk
    >>> df = pd.DataFrame({"sex": ["f", "m", "m"], "w": [1.0, 1.0, 1.0]})
    >>> cells = pd.DataFrame({"sex": ["f", "m"], "N": [60.0, 40.0]})
    >>> sk.poststratify(sk.SurveyDesign(df, weights="w"), cells).weights.tolist()
    [60.0, 20.0, 20.0]

    """
    timer = StepTimer()
    base = base_weights(design, "poststratify")
    ms = normalize_margins(_one_margin(population), columns=list(base.data.columns),
                           param="population", population_total=population_total)
    if len(ms) != 1:
        raise WeightingError(
            f"'population' must hold one table of cells (got {len(ms)} margins: "
            f"{[m.name for m in ms]!r}). Use sk.rake for several margins, or cross the "
            f"variables into one table of cells."
        )
    encs, table, cells0, targets = prepare_cells(base, ms, param="population",
                                                 partial=partial)
    tgt = targets[0] if cells0.ndim == 1 else targets[0][:, None]
    fitted = np.where(cells0 > 0, tgt, 0.0)
    new = stacked(base) * table.to_rows(cell_multipliers(fitted, cells0))
    w, rep = unstack(new)
    step = WeightingStep(
        method="poststratify", targets=achieved_frame(ms, encs, table, fitted, targets),
        options={"partial": partial, "population_total": population_total},
        iterations=1, tolerance=0.0, converged=True, started=timer.started,
        seconds=timer.seconds(), details={"cells": int(np.count_nonzero(targets[0]))},
    )
    cal = None
    if rep is None:
        cal = CalibrationRecord("poststratify", cells=encs[0].codes, weights=w,
                                oldweights=base.w, info={"method": "poststratify"})
    return finish(design, w, rep, method="poststratify", record=step, calibration=cal)
