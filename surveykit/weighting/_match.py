"""Match targets to the sample's categories; impossible targets fail here, cells listed.

Checked before any iteration: a target category absent from the sample, a sample category
absent from the targets (or with target 0), and missing values in a weighting variable among
the rows that carry weight.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import SurveykitWarning, WeightingError
from surveykit.weighting._cells import Encoded
from surveykit.weighting._targets import Margin

__all__ = ["check_missing", "match_margin"]

_SHOW = 20


def _show(items: list[str]) -> str:
    more = f", ... ({len(items) - _SHOW} more)" if len(items) > _SHOW else ""
    return "[" + ", ".join(items[:_SHOW]) + more + "]"


def check_missing(data: pd.DataFrame, enc: Encoded, active: np.ndarray, param: str) -> None:
    """Raise if a row that carries weight has a missing value in a weighting variable."""
    if not enc.has_missing:
        return
    bad = (enc.codes < 0) & active
    if bad.any():
        rows = data.index[np.flatnonzero(bad)[:10]].tolist()
        raise WeightingError(
            f"{param!r}: {int(bad.sum())} rows with positive weight have missing values in "
            f"{list(enc.variables)!r} (first rows: {rows!r}). Impute or recode them (e.g. an "
            f"explicit 'unknown' category with its own target), or drop them from the design."
        )


def _positions(labels: list[Any], levels: tuple[Any, ...]) -> np.ndarray:
    index = pd.Index(labels)
    wanted = pd.Index(list(levels)) if levels else pd.Index([])
    pos = np.asarray(index.get_indexer(wanted))
    if (pos < 0).any():  # e.g. codes 3403 in the data and "3403" in the targets
        alt = pd.Index([str(x) for x in labels]).get_indexer(pd.Index([str(x) for x in levels]))
        pos = np.where(pos < 0, np.asarray(alt), pos)
    return pos


def match_margin(
    margin: Margin,
    enc: Encoded,
    sample: np.ndarray,
    *,
    param: str,
    partial: bool = False,
) -> np.ndarray:
    """Targets in the category space of ``enc`` (length ``enc.size``).

    ``sample`` holds the weighted sample count of each category. Raises
    :class:`~surveykit.WeightingError` listing every impossible cell.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.weighting._cells import encode
    >>> enc = encode(pd.DataFrame({"s": ["a", "b", "a"]}), ["s"])
    >>> m = Margin(("s",), ("b", "a"), np.array([30.0, 70.0]))
    >>> match_margin(m, enc, np.array([2.0, 1.0]), param="margins")
    array([70., 30.])

    """
    assert margin.levels is not None
    pos = _positions(enc.labels, margin.levels)
    found = pos >= 0
    present = np.zeros(len(margin.levels), dtype=bool)
    present[found] = sample[pos[found]] > 0
    absent = ~present & (margin.totals > 0)
    if absent.any():
        cells = [f"{margin.levels[i]!r} (target {margin.totals[i]:g})"
                 for i in np.flatnonzero(absent)]
        if not partial:
            raise WeightingError(
                f"{param!r}: margin {margin.name!r}: target categories absent from the sample: "
                f"{_show(cells)}. Collapse them with a neighbouring category in both the data "
                f"and the targets, or drop them from the targets"
                f" (sk.poststratify(partial=True) ignores them)."
            )
        warnings.warn(f"{param!r}: margin {margin.name!r}: target categories absent from the "
                      f"sample were ignored (partial=True): {_show(cells)}.",
                      SurveykitWarning, stacklevel=4)
    target = np.zeros(enc.size)
    keep = found & present
    target[pos[keep]] = margin.totals[keep]
    _check_untargeted(margin, enc, sample, target, param)
    return target


def _check_untargeted(
    margin: Margin, enc: Encoded, sample: np.ndarray, target: np.ndarray, param: str
) -> None:
    orphan = (sample > 0) & (target <= 0)
    if orphan.any():
        cells = [f"{enc.labels[k]!r} (weighted count {sample[k]:.6g})"
                 for k in np.flatnonzero(orphan)]
        raise WeightingError(
            f"{param!r}: margin {margin.name!r}: sample categories without a positive target: "
            f"{_show(cells)}. Add their population totals, recode them into a targeted "
            f"category, or drop those rows from the design."
        )
