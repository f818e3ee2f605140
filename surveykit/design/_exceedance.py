"""Linearised variance of a domain's weighted share above every threshold, in one sweep.

The score (Francisco-Fuller) interval of a quantile inverts the test of the share of a
domain's weight above ``theta``, ``a(theta) = A(theta) / W``, whose influence values are
``w_i (1{x_i > theta} - a) / W``. Its variance through :func:`linearized_covariance` is,
for every stage used and with ``g_h``, the centring and ``n_h`` of the engine,

    ``V = sum_h g_h^2 (sum_c t_c^2 - (2 c_h - c_h^2) S_h^2 / n_h)``,
    ``t_c = (B_c - a C_c) / W``, ``S_h = sum_{c in h} t_c``,

where ``B_c`` is the weight of the cluster's domain rows above ``theta`` and ``C_c`` all
of its domain weight. Expanding the squares leaves sums of ``B_c^2``, ``B_c C_c`` and their
stratum totals, which change by one row at a time as ``theta`` falls through the sorted
values: cumulative sums give the variance at every threshold in ``O(n log n)``, against a
pass over the design per threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from surveykit.design._linearization import _next_multiplier, _stage_weights
from surveykit.design._survey_design import SurveyDesign

if TYPE_CHECKING:
    from surveykit.design._stages import Stage

__all__ = ["ExceedanceSweep"]


def _exclusive_cumsum(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` over the earlier positions of the same group, for each position."""
    order = np.argsort(groups, kind="stable")
    v = values[order]
    total = np.cumsum(v) - v
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    first = np.repeat(total[starts], np.diff(np.r_[starts, g.shape[0]]))
    out = np.empty_like(values)
    out[order] = total - first
    return out


@dataclass(frozen=True, eq=False)
class ExceedanceSweep:
    """Weighted share of a domain above every threshold and its linearised variance.

    Build it with :meth:`build`; ``weight_above[r]`` and ``variance[r]`` belong to the
    thresholds with exactly ``r`` domain rows above them (``r = 0 .. n_d``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"psu": [1, 2, 3, 4], "x": [3.0, 1.0, 4.0, 2.0]})
    >>> d = SurveyDesign(df, weights=np.ones(4), psu="psu")
    >>> sweep = ExceedanceSweep.build(d, df["x"].to_numpy(), np.ones(4, dtype=bool))
    >>> sweep.above(2.5), float(sweep.weight_above[2] / sweep.total_weight)
    (2, 0.5)
    >>> round(float(sweep.variance[2]), 6)  # the variance of a mean of a 0/1 variable
    0.083333

    """

    values: np.ndarray
    weight_above: np.ndarray
    variance: np.ndarray
    total_weight: float

    @staticmethod
    def applies(design: SurveyDesign) -> bool:
        """Tell whether the sweep reproduces the design's variance.

        Not for calibrated designs (residuals mix rows) nor PPS designs (their variance does
        not come from stratum-centred totals).
        """
        return not design.calibrations and design.pps is None

    @classmethod
    def build(cls, design: SurveyDesign, x: np.ndarray, rows: np.ndarray) -> ExceedanceSweep:
        """Sweep the domain ``rows`` (bool mask) of ``x`` (see :meth:`applies`)."""
        if not cls.applies(design):
            raise ValueError("ExceedanceSweep needs a design without calibration records "
                             "and without PPS.")
        idx = np.flatnonzero(rows)
        down = idx[np.argsort(-x[idx], kind="stable")]    # descending: rows join one by one
        w = design.analysis_weights()[down]
        total = float(w.sum())
        x1 = np.zeros(down.shape[0])
        x2 = np.zeros(down.shape[0])
        x3 = 0.0
        stages = design._stages
        used = stages if (stages[0].has_fpc and len(stages) > 1) else stages[:1]
        mult = np.ones(used[0].n_strata)
        for s, stage in enumerate(used):
            a1, a2, c3 = _stage_terms(design, stage, mult, s + 1, idx, down, w)
            x1 += a1
            x2 += a2
            x3 += c3
            if s + 1 < len(used):
                mult = _next_multiplier(stage, mult)
        above = np.r_[0.0, np.cumsum(w)]
        share = above / total
        q1 = np.r_[0.0, np.cumsum(x1)]
        q2 = np.r_[0.0, np.cumsum(x2)]
        variance = (q1 - 2 * share * q2 + share**2 * x3) / total**2
        return cls(np.sort(x[idx]), above, np.maximum(variance, 0.0), total)

    def above(self, theta: float) -> int:
        """Count the domain rows with a value above ``theta``."""
        return int(self.values.shape[0] - np.searchsorted(self.values, theta, side="right"))


def _stage_terms(design: SurveyDesign, stage: Stage, mult: np.ndarray, stage_no: int,
                 idx: np.ndarray, down: np.ndarray, w: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, float]:
    """Per-row increments of ``sum g^2 (B^2 + k S_B^2)`` and ``sum g^2 (B C + k S_B S_C)``."""
    present = np.bincount(stage.clusters[idx], minlength=stage.n_clusters) > 0
    nsub = np.bincount(stage.cluster_stratum[present], minlength=stage.n_strata)
    centre, g = _stage_weights(stage, nsub[:, None], mult, design.lonely_psu,
                               design.adjust_domain_lonely, stage_no)
    c = centre[:, 0].astype(float)
    kappa = (c * c - 2 * c) / stage.npsu
    g2 = g[:, 0] ** 2
    cl = stage.clusters[down]
    h = stage.cluster_stratum[cl]
    cc = np.bincount(cl, weights=w, minlength=stage.n_clusters)        # C_c
    sc = np.bincount(stage.cluster_stratum, weights=cc, minlength=stage.n_strata)  # S_C
    b_prev = _exclusive_cumsum(cl, w)
    s_prev = _exclusive_cumsum(h, w)
    a1 = g2[h] * (2 * b_prev * w + w * w + kappa[h] * (2 * s_prev * w + w * w))
    a2 = g2[h] * (w * cc[cl] + kappa[h] * w * sc[h])
    c3 = float(np.sum(g2 * (np.bincount(stage.cluster_stratum, weights=cc * cc,
                                        minlength=stage.n_strata) + kappa * sc * sc)))
    return a1, a2, c3
