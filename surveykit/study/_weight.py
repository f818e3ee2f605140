"""Study stage 4: build the design of a wave and weight it to the population margins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.errors import StudyError, WeightingError
from surveykit.study._model import DesignSpec, MarginSpec, WeightingSpec
from surveykit.weighting import population_margins, poststratify, rake, trim

__all__ = ["build_design", "margins_for", "weight_design"]

MarginKey = str | tuple[str, ...]
Design = SurveyDesign | ReplicateDesign


def _as_key(value: str | tuple[str, ...]) -> MarginKey:
    return value if isinstance(value, str) else (value[0] if len(value) == 1 else tuple(value))


def _relabel(series: pd.Series, mapping: dict[str, str] | None, names: MarginKey) -> pd.Series:
    """Name the index levels after the sample variables and map population levels."""
    out = series.copy()
    if mapping:
        def conv(v: Any) -> Any:
            return mapping.get(str(v), v)
        if isinstance(out.index, pd.MultiIndex):
            out.index = pd.MultiIndex.from_tuples([tuple(conv(x) for x in t) for t in out.index])
        else:
            out.index = pd.Index([conv(v) for v in out.index])
        out = out.groupby(level=list(range(out.index.nlevels)), sort=True).sum()
    out.index = out.index.set_names(list(names) if isinstance(names, tuple) else [names])
    return out


def margins_for(spec: WeightingSpec, year: int | None, root: Path) -> dict[MarginKey, pd.Series]:
    """Return the population margins of a wave, keyed by the sample variables (stage 4a).

    The population table (``spec.population``, relative to ``root``) is filtered by
    ``spec.where`` and, when ``spec.year_column`` is set, by ``year``; each margin is summed
    over the population columns and relabelled to the sample's variables and levels.
    """
    path = root / str(spec.population)
    if not path.is_file():
        raise StudyError(f"weighting.population: file {str(path)!r} does not exist (relative to "
                         f"the data root {str(root)!r}).")
    where: dict[str, Any] = dict(spec.where)
    if spec.year_column:
        where[spec.year_column] = year
    pop_keys = [_as_key(m.population) for m in spec.margins]
    try:
        found = population_margins(path, pop_keys, count=spec.count, where=where)
    except (WeightingError, ValueError) as exc:
        raise StudyError(f"weighting.population ({path.name}): {exc}") from exc
    out: dict[MarginKey, pd.Series] = {}
    for m, key in zip(spec.margins, pop_keys, strict=True):
        sample = _as_key(m.sample)
        out[sample] = _relabel(found[key], m.map, sample)
    return out


def build_design(frame: pd.DataFrame, spec: DesignSpec) -> SurveyDesign:
    """Build the unweighted design of a wave: base weight 1 each, strata/PSU as given."""
    return SurveyDesign(frame, weights=np.ones(len(frame)), strata=spec.strata, psu=spec.psu,
                        fpc=spec.fpc, lonely_psu=spec.lonely_psu)


def _check_sample(frame: pd.DataFrame, margins: list[MarginSpec]) -> None:
    names = [v for m in margins for v in ([m.sample] if isinstance(m.sample, str)
                                          else m.sample)]
    missing = [v for v in names if v not in frame.columns]
    if missing:
        raise StudyError(f"weighting.margins: sample variable(s) {missing} are not in the data; "
                         "name instrument variables or derived variables (derive:).")


def weight_design(design: Design, spec: WeightingSpec,
                  margins: dict[MarginKey, pd.Series]) -> Design:
    """Apply the study's weighting method and trimming to a design (stage 4b).

    ``rake`` rakes to every margin; ``poststratify`` uses the one (crossed) margin;
    trimming caps weights at ``trim.upper``/``trim.lower`` times the mean weight and then
    rakes again so the margins hold (the history records every step).
    """
    if spec.method == "none":
        return design
    _check_sample(design.data, list(spec.margins))
    try:
        if spec.method == "poststratify":
            weighted = poststratify(design, margins)
        else:
            weighted = rake(design, margins, tol=spec.tol, max_iter=spec.max_iter)
        if spec.trim is not None:
            weighted = trim(weighted, upper=spec.trim.upper, lower=spec.trim.lower)
            if spec.method == "rake":
                weighted = rake(weighted, margins, tol=spec.tol, max_iter=spec.max_iter)
    except WeightingError as exc:
        raise StudyError(f"weighting ({spec.method}): {exc}") from exc
    return weighted
