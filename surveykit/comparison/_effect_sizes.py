"""Standardised effect sizes of differences between waves: Cohen's h and Cohen's d."""

from __future__ import annotations

import numpy as np

__all__ = ["cohens_d", "cohens_h", "effect_size"]


def cohens_h(p_a: np.ndarray, p_b: np.ndarray) -> np.ndarray:
    """Cohen's h for two proportions, ``2 asin(sqrt(p_b)) - 2 asin(sqrt(p_a))``.

    The arcsine transform makes differences comparable across the range of ``p``; Cohen's
    benchmarks are 0.2 (small), 0.5 (medium) and 0.8 (large). Proportions are clipped to
    [0, 1] first (estimates can leave the range only through rounding).

    Examples
    --------
    >>> round(float(cohens_h(np.array(0.5), np.array(0.6))), 4)
    0.2014

    """
    pa = np.clip(np.asarray(p_a, dtype=float), 0.0, 1.0)
    pb = np.clip(np.asarray(p_b, dtype=float), 0.0, 1.0)
    return 2.0 * np.arcsin(np.sqrt(pb)) - 2.0 * np.arcsin(np.sqrt(pa))


def cohens_d(m_a: np.ndarray, m_b: np.ndarray, sd_a: np.ndarray,
             sd_b: np.ndarray) -> np.ndarray:
    """Cohen's d, ``(m_b - m_a) / sqrt((sd_a^2 + sd_b^2) / 2)``.

    The standardiser is the root mean square of the two waves' (weighted) standard
    deviations, Cohen's ``d_av``: with survey weights and unequal wave sizes it does not
    let the larger wave dominate. NaN where both standard deviations are zero.

    Examples
    --------
    >>> round(float(cohens_d(np.array(3.0), np.array(3.5), np.array(1.0), np.array(1.0))), 4)
    0.5

    """
    pooled = np.sqrt((np.asarray(sd_a, float) ** 2 + np.asarray(sd_b, float) ** 2) / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (np.asarray(m_b, float) - np.asarray(m_a, float)) / pooled
    return np.where(pooled > 0, d, np.nan)


def effect_size(kind: str, est_a: np.ndarray, est_b: np.ndarray, sd_a: np.ndarray,
                sd_b: np.ndarray) -> np.ndarray:
    """Cohen's ``h`` (``kind="h"``, proportions) or ``d`` (``kind="d"``, means and scores)."""
    if kind == "h":
        return cohens_h(est_a, est_b)
    return cohens_d(est_a, est_b, sd_a, sd_b)
