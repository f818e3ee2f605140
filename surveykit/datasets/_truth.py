"""Known effects of latent shifts, computed exactly from the model and the population."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from surveykit._distributions import norm_sf
from surveykit.datasets._answers import item_shift, trait_mean
from surveykit.datasets._items import ColumnSpec, column_specs
from surveykit.datasets._latent import FACTORS, factor_means, ordinal_cutpoints

__all__ = ["expected_item_mean", "known_effects"]


def expected_item_mean(spec: ColumnSpec, population: pd.DataFrame, shift: float) -> float:
    """Return the population mean of an ordinal item's code under a latent shift.

    Within a population cell the item's latent response is normal with unit variance and
    mean ``trait_mean``; category probabilities follow from the cut points, and the cells
    are weighted by their population counts. Planted quality problems (speeders answer at
    random, ~2 %) and "don't know" answers are outside this expectation.
    """
    means = factor_means(
        population["sex"].to_numpy(),
        population["age_group"].to_numpy(),
        population["knr"].to_numpy(),
    )[:, FACTORS.index(spec.factor)]
    codes = np.asarray(spec.choices.codes, dtype=float)
    cuts = ordinal_cutpoints(spec.item_id, len(codes))
    m = trait_mean(spec, means, shift)[:, None]
    cdf = norm_sf(m - cuts[None, :])  # = norm.cdf(cuts - m), bit for bit
    cdf = np.column_stack([np.zeros(len(m)), cdf, np.ones(len(m))])
    per_cell = (np.diff(cdf, axis=1) * codes[None, :]).sum(axis=1)
    weights = population["count"].to_numpy(dtype=float)
    return float(np.sum(per_cell * weights) / weights.sum())


def known_effects(
    instrument: Any, shifts: Mapping[str, float], population: pd.DataFrame
) -> list[dict[str, Any]]:
    """Return one record per ordinal variable that a shift moves.

    Each record has ``item_id, var, latent_shift`` (SD units, trait direction),
    ``mean_without``, ``mean_with`` and ``difference`` (population means of the item's codes
    without and with the shift, on this instrument's code scale). Items not listed are
    unchanged by construction.
    """
    out = []
    for spec in column_specs(instrument):
        if not spec.is_ordinal or spec.concept.startswith("demography."):
            continue
        shift = item_shift(spec, shifts)
        if shift == 0.0:
            continue
        without = expected_item_mean(spec, population, 0.0)
        with_ = expected_item_mean(spec, population, shift)
        out.append(
            {
                "item_id": spec.item_id,
                "var": spec.var,
                "latent_shift": shift,
                "mean_without": without,
                "mean_with": with_,
                "difference": with_ - without,
            }
        )
    return out
