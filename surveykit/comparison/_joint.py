"""Estimates of one item in every wave with their joint covariance, and their differences.

Independent waves: the joint covariance is block-diagonal (the variance of a difference is
the sum of the wave variances). Overlapping waves: one stacked design with the wave as a
domain gives the covariance between waves from the shared PSUs, as R's
``svyby(~y, ~wave, design, svymean, covmat=TRUE)`` followed by
``svycontrast(..., c(-1, 1))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit._distributions import norm_sf, t_sf
from surveykit._lazy import lazy_module
from surveykit.comparison._statistics import ItemEstimates
from surveykit.estimation._results import wald_interval

linalg = lazy_module("scipy.linalg")

__all__ = ["Joint", "differences", "joint_independent", "joint_stacked"]

Key = tuple[object, ...]


@dataclass(frozen=True, eq=False)
class Joint:
    """All waves' estimates of one item: flat arrays, covariance, and where each row is.

    ``index[wave][key]`` is the position of (domain..., level) ``key`` of ``wave``;
    ``keys`` lists every key once, in order of first appearance (oldest wave first).
    """

    estimate: np.ndarray
    cov: np.ndarray
    n: np.ndarray
    sd: np.ndarray
    df: dict[str, float]
    index: dict[str, dict[Key, int]]
    keys: list[Key]
    key_columns: list[str]
    stacked: bool

    def positions(self, wave: str) -> np.ndarray:
        """Position of every key in ``wave`` (-1 where the wave lacks it)."""
        where = self.index[wave]
        return np.array([where.get(k, -1) for k in self.keys], dtype=np.int64)

    def pair_df(self, a: str, b: str) -> float:
        """Degrees of freedom of a difference: the stacked design's, or the sum of both."""
        return self.df[a] if self.stacked else self.df[a] + self.df[b]


def _keys(labels: pd.DataFrame, columns: Sequence[str]) -> list[Key]:
    return [tuple(r) for r in labels[list(columns)].itertuples(index=False)]


def _ordered(keysets: Sequence[Sequence[Key]]) -> list[Key]:
    return list(dict.fromkeys(k for ks in keysets for k in ks))


def joint_independent(parts: Sequence[tuple[str, ItemEstimates]], by: Sequence[str]) -> Joint:
    """Combine independently estimated waves (block-diagonal covariance)."""
    cols = [*by, "level"]
    index: dict[str, dict[Key, int]] = {}
    offset = 0
    keysets = []
    for label, est in parts:
        keys = _keys(est.labels, cols)
        index[label] = {k: offset + i for i, k in enumerate(keys)}
        keysets.append(keys)
        offset += len(keys)
    cat = np.concatenate
    return Joint(cat([e.estimate for _, e in parts]), linalg.block_diag(*[e.cov for _, e in parts]),
                 cat([e.n for _, e in parts]), cat([e.sd for _, e in parts]),
                 {label: e.df for label, e in parts}, index, _ordered(keysets), cols, False)


def joint_stacked(est: ItemEstimates, wave: str, labels: Sequence[str],
                  by: Sequence[str]) -> Joint:
    """Split the estimates of a stacked design (``wave`` among its domains) by wave."""
    cols = [*by, "level"]
    keys = _keys(est.labels, cols)
    waves = est.labels[wave].tolist()
    index: dict[str, dict[Key, int]] = {label: {} for label in labels}
    for i, (w, k) in enumerate(zip(waves, keys, strict=True)):
        if w in index:
            index[w][k] = i
    keysets = [list(index[label]) for label in labels]
    return Joint(est.estimate, est.cov, est.n, est.sd, dict.fromkeys(labels, est.df), index,
                 _ordered(keysets), cols, True)


def differences(joint: Joint, a: str, b: str, confidence_level: float,
                df_override: float | None = None) -> pd.DataFrame:
    """Per key: both waves' estimates and the difference ``b - a`` with its test.

    ``df_override`` replaces the degrees of freedom (``inf``: normal, as R's ``confint``).
    """
    ia, ib = joint.positions(a), joint.positions(b)
    ok = (ia >= 0) & (ib >= 0)
    ga, gb = np.where(ia >= 0, ia, 0), np.where(ib >= 0, ib, 0)
    var = np.diag(joint.cov)

    def pick(values: np.ndarray, idx: np.ndarray, present: np.ndarray) -> np.ndarray:
        return np.where(present, values[idx], np.nan)

    cross = joint.cov[ga, gb] if joint.stacked else np.zeros(len(ga))
    vdiff = np.where(ok, var[ga] + var[gb] - 2.0 * cross, np.nan)
    diff = pick(joint.estimate, gb, ok) - pick(joint.estimate, ga, ok)
    se = np.sqrt(np.maximum(vdiff, 0.0))
    df = np.full(len(ia), joint.pair_df(a, b) if df_override is None else df_override)
    lo, hi = wald_interval(diff, se, confidence_level, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = diff / se
        dist_p = np.where(np.isinf(df), 2 * norm_sf(np.abs(tstat)),
                          2 * t_sf(np.abs(tstat), np.where(df > 0, df, np.nan)))
    pval = np.where(se > 0, dist_p, np.where(diff == 0, 1.0, np.nan))
    return pd.DataFrame({
        "estimate_a": pick(joint.estimate, ga, ia >= 0), "se_a": np.sqrt(pick(var, ga, ia >= 0)),
        "n_a": pick(joint.n, ga, ia >= 0), "estimate_b": pick(joint.estimate, gb, ib >= 0),
        "se_b": np.sqrt(pick(var, gb, ib >= 0)), "n_b": pick(joint.n, gb, ib >= 0),
        "difference": diff, "se_difference": np.where(ok, se, np.nan), "ci_low": lo,
        "ci_high": hi, "statistic": tstat, "df": df, "p_value": pval,
        "sd_a": pick(joint.sd, ga, ia >= 0), "sd_b": pick(joint.sd, gb, ib >= 0),
        "present": ok,
    })
