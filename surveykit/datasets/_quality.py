"""Data-quality problems planted in synthetic data, so that the checks have something to find.

Groups of respondents are disjoint and of exact size (``round(share * n)``): break-offs
(partials), speeders (random answers on ordinal items, very short duration), straightliners
(one code down every straightlining grid) and screener-outside-universe cases (age 41 or
19). Duplicates (a second submission of an existing answer vector under a new id) are added
on top of the ``n`` respondents.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from surveykit.datasets._items import ColumnSpec

__all__ = [
    "QUALITY_DEFAULTS",
    "assign_groups",
    "break_off",
    "check_quality",
    "durations",
    "speed",
    "straightline",
]

#: Default shares of planted problems (of the ``n`` respondents).
QUALITY_DEFAULTS: Mapping[str, float] = {
    "partial": 0.03,
    "speeder": 0.02,
    "straightliner": 0.02,
    "outside_universe": 0.005,
    "duplicate": 0.01,
}


def check_quality(quality: Mapping[str, float] | bool | None) -> dict[str, float]:
    """Validate the ``quality`` argument and return the full share mapping.

    Examples
    --------
    >>> check_quality(False)["speeder"]
    0.0
    >>> check_quality({"speeder": 0.05})["speeder"]
    0.05

    """
    if quality is None or quality is True:
        return dict(QUALITY_DEFAULTS)
    if quality is False:
        return dict.fromkeys(QUALITY_DEFAULTS, 0.0)
    unknown = sorted(set(quality) - set(QUALITY_DEFAULTS))
    if unknown:
        raise ValueError(
            f"'quality' keys must be among {sorted(QUALITY_DEFAULTS)} (got unknown {unknown})."
        )
    out = {**QUALITY_DEFAULTS, **{k: float(v) for k, v in quality.items()}}
    bad = {k: v for k, v in out.items() if not 0.0 <= v <= 0.2}
    if bad or sum(v for k, v in out.items() if k != "duplicate") > 0.5:
        raise ValueError(
            f"'quality' shares must each lie in [0, 0.2] and the disjoint groups sum to at "
            f"most 0.5 (got {out})."
        )
    return out


def assign_groups(n: int, shares: Mapping[str, float], rng: np.random.Generator) -> pd.Series:
    """Return each respondent's planted-problem group (``""`` for none), disjoint, exact sizes."""
    order = rng.permutation(n)
    group = np.full(n, "", dtype=object)
    start = 0
    for name in ("partial", "speeder", "straightliner", "outside_universe"):
        size = round(shares[name] * n)
        group[order[start : start + size]] = name
        start += size
    return pd.Series(group, dtype=object)


def straightline(values: dict[str, np.ndarray], specs: list[ColumnSpec], rows: np.ndarray) -> None:
    """Give ``rows`` the first row's answer on every row of each straightlining grid."""
    grids: dict[str, list[ColumnSpec]] = {}
    for s in specs:
        if s.grid is not None and s.quality_straightlining:
            grids.setdefault(s.grid, []).append(s)
    for members in grids.values():
        first = values[members[0].var]
        for s in members[1:]:
            values[s.var] = np.where(rows, first, values[s.var])


def speed(
    values: dict[str, np.ndarray],
    specs: list[ColumnSpec],
    rows: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Replace ordinal answers of ``rows`` by codes drawn uniformly (answers without reading)."""
    for s in specs:
        if s.is_ordinal and not s.concept.startswith("demography."):
            codes = np.array(s.choices.codes, dtype=object)
            random = codes[rng.integers(0, len(codes), len(rows))]
            values[s.var] = np.where(rows, random, values[s.var])


def break_off(
    frame: pd.DataFrame, columns: list[list[str]], rows: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Blank every variable from a random break-off point on (30-90 % of the way through)."""
    out = frame.copy()
    where = np.flatnonzero(rows)
    cut = np.floor(rng.uniform(0.3, 0.9, len(where)) * len(columns)).astype(int)
    for pos, cols in enumerate(columns):
        hit = where[cut <= pos]
        if len(hit):
            out.loc[out.index[hit], cols] = pd.NA
    return out


def durations(
    frame: pd.DataFrame, columns: list[str], speeders: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Seconds spent: 30 s plus about 6 s per answered variable, log-normal.

    Speeders take 15-40 % of the others' median, below the usual flag of half the median.
    """
    answered = frame[columns].notna().sum(axis=1).to_numpy(dtype=float)
    seconds = 30.0 + 6.0 * answered * rng.lognormal(0.0, 0.25, len(frame))
    typical = float(np.median(seconds[~speeders])) if (~speeders).any() else 0.0
    fast = rng.uniform(0.15, 0.40, len(frame)) * typical
    return np.round(np.where(speeders, fast, seconds), 1)
