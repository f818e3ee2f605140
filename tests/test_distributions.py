"""t and normal quantiles and tails without scipy.stats: the same bits as scipy.stats."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from surveykit._distributions import norm_ppf, norm_sf, t_ppf, t_sf

RNG = np.random.default_rng(14)
EDGE_Q = np.array([0.0, 1.0, 0.5, -0.1, 1.1, np.nan, 1e-300, 1 - 1e-16, 0.025, 0.975])
EDGE_DF = np.array([1.0, 2.5, 1e6, np.inf, 0.0, -3.0, np.nan, 30.0, 1110.0, 0.5])
EDGE_X = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, 40.0, -40.0, 1.96, -1.0])


def _same_bits(a: object, b: object) -> None:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    assert a.tobytes() == b.tobytes()  # equal values, NaN where NaN and the sign of zero


@pytest.mark.parametrize("q", [EDGE_Q, RNG.uniform(size=200), 0.975, 0.5])
@pytest.mark.parametrize("df", [EDGE_DF, RNG.uniform(0.2, 2000.0, size=10), 12.0, np.inf])
def test_t_ppf_is_scipy_stats_bit_for_bit(q: object, df: object) -> None:
    if np.ndim(q) and np.ndim(df) and np.shape(q) != np.shape(df):
        q = np.asarray(q)[:, None]
    with np.errstate(all="ignore"):
        _same_bits(t_ppf(q, df), stats.t.ppf(q, df))


@pytest.mark.parametrize("x", [EDGE_X, RNG.normal(scale=4.0, size=200), 2.0, -0.0])
@pytest.mark.parametrize("df", [EDGE_DF, 12.0, np.inf])
def test_t_sf_is_scipy_stats_bit_for_bit(x: object, df: object) -> None:
    if np.ndim(x) and np.ndim(df) and np.shape(x) != np.shape(df):
        x = np.asarray(x)[:, None]
    with np.errstate(all="ignore"):
        _same_bits(t_sf(x, df), stats.t.sf(x, df))


@pytest.mark.parametrize("q", [EDGE_Q, RNG.uniform(size=200), 0.5, 0.975])
def test_norm_ppf_is_scipy_stats_bit_for_bit(q: object) -> None:
    _same_bits(norm_ppf(q), stats.norm.ppf(q))


@pytest.mark.parametrize("x", [EDGE_X, RNG.normal(scale=4.0, size=200), -0.0, 1.5])
def test_norm_sf_is_scipy_stats_bit_for_bit(x: object) -> None:
    _same_bits(norm_sf(x), stats.norm.sf(x))


def test_scalars_come_back_as_numpy_scalars_like_scipy() -> None:
    assert type(t_ppf(0.975, 10.0)) is type(stats.t.ppf(0.975, 10.0))
    assert type(norm_sf(1.0)) is type(stats.norm.sf(1.0))
