"""Read a design's weights, and hand new weights back: the seam to ``surveykit.design``.

Every weighting step starts from :func:`base_weights` (full-sample and replicate analysis
weights, zero outside a subset's domain, checked) and ends with :func:`finish` (warn about
extreme weights, append the history record and, for linearisation, the calibration record).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from surveykit.design import CalibrationRecord, ReplicateDesign, SurveyDesign
from surveykit.errors import ExtremeWeightWarning, WeightingError

__all__ = ["EXTREME_RATIO", "Base", "base_weights", "finish", "stacked", "unstack"]

#: weights larger than this multiple of the mean weight trigger ExtremeWeightWarning
EXTREME_RATIO = 10.0

Design = SurveyDesign | ReplicateDesign


@dataclass(frozen=True)
class Base:
    """The weights a step starts from (never the design's own arrays: copies)."""

    data: pd.DataFrame
    w: np.ndarray
    rep: np.ndarray | None

    @cached_property
    def active(self) -> np.ndarray:
        """Rows that carry weight (in the domain, with positive weight)."""
        return self.w > 0


def base_weights(design: Any, method: str) -> Base:
    """Full-sample and replicate weights of ``design``; negative or missing weights fail."""
    if not isinstance(design, SurveyDesign | ReplicateDesign):
        raise TypeError(f"{method}(): 'design' must be a SurveyDesign or ReplicateDesign "
                        f"(got {type(design).__name__}).")
    w = np.asarray(design.analysis_weights(), dtype=float)
    if not (np.isfinite(w.sum()) and w.min(initial=0.0) >= 0):
        bad = ~np.isfinite(w) | (w < 0)
        rows = design.data.index[np.flatnonzero(bad)[:10]].tolist()
        raise WeightingError(
            f"{method}(): the base weights must be finite and non-negative; {int(bad.sum())} "
            f"are not (first rows: {rows!r}). Fix the input weights (or bound an earlier "
            f"calibration with bounds=(0, ...)) before this step."
        )
    if not w.max(initial=0.0) > 0:
        raise WeightingError(f"{method}(): every base weight is zero; nothing to weight.")
    rep = design.replicate_weights_array if isinstance(design, ReplicateDesign) else None
    return Base(design.data, w, rep)


def stacked(base: Base) -> np.ndarray:
    """Full-sample weights alone (n,), or full sample and replicates as (n, 1 + R)."""
    return base.w if base.rep is None else np.column_stack([base.w, base.rep])


def unstack(values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Inverse of :func:`stacked` for results shaped like it."""
    if values.ndim == 1:
        return values, None
    return values[:, 0], values[:, 1:]


def warn_extreme(w: np.ndarray, method: str, ratio: float = EXTREME_RATIO) -> None:
    """Warn (ExtremeWeightWarning) about negative weights and weights above ``ratio`` x mean."""
    n_pos = int(np.count_nonzero(w > 0))
    if n_pos == 0:
        return
    mean = float(w.sum() / n_pos)
    if w.max() > ratio * mean or w.min() < 0:
        big = w > ratio * mean
        neg = w < 0
        kish = float(w.size * np.sum(w**2) / np.sum(w) ** 2) if np.sum(w) else float("nan")
        parts = []
        if big.any():
            parts.append(f"{int(big.sum())} of {w.size} weights exceed {ratio:g} x the mean "
                         f"weight {mean:.4g} (largest {w.max():.4g} = {w.max() / mean:.3g} x)")
        if neg.any():
            parts.append(f"{int(neg.sum())} weights are negative (smallest {w.min():.4g})")
        warnings.warn(
            f"{method}(): " + "; ".join(parts) + f". Kish design effect of weighting "
            f"{kish:.3g}. Consider bounds=(lower, upper), collapsing sparse categories, "
            "or sk.trim().", ExtremeWeightWarning, stacklevel=4,
        )


def finish(
    design: Design,
    w: np.ndarray,
    rep: np.ndarray | None,
    *,
    method: str,
    record: Any,
    calibration: CalibrationRecord | None = None,
) -> Design:
    """Return a new design with the new weights, history record and calibration record."""
    warn_extreme(w, method)
    if calibration is not None and design.domain is not None:
        # R weights a subset design after dropping the rows outside it: linearise likewise
        calibration = dataclasses.replace(calibration, rows=np.asarray(design.domain, bool))
    if isinstance(design, ReplicateDesign):
        assert rep is not None
        return design.with_weights(w, rep, record=record)
    return design.with_weights(w, record=record, calibration=calibration)
