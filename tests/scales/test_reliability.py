"""sk.reliability against R's psych 2.2.9 / factanal, pingouin, and an exact one-factor case.

R reference: ``tests/reference/ref_reliability.R`` -> ``ref_reliability.json``:
``psych::alpha(X)`` (raw_alpha, std.alpha, item.stats r.drop/mean/sd, alpha.drop),
``psych::fa(cor(X), nfactors = 1, fm = "minres" | "ml")``, ``factanal(covmat = cor(X),
factors = 1)`` and ``psych::omega(X, nfactors = 1, fm = "minres")$omega.tot``.
Alpha and item statistics are closed-form: rel 1e-9. Loadings come from iterative fits
(psych and factanal stop at their optimisers' tolerances, measured <= 2.7e-6): abs 1e-5.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pingouin
import pytest

import surveykit as sk
from surveykit._exact_csv import read_csv_exact

REF = Path(__file__).resolve().parents[1] / "reference"
LOADING_ABS = 1e-5


@cache
def _doc() -> dict[str, Any]:
    with open(REF / "ref_reliability.json", encoding="utf-8") as fh:
        return json.load(fh)


def _case(case_id: str) -> dict[str, Any]:
    return next(c for c in _doc()["cases"] if c["id"] == case_id)


def _fit(case_id: str, method: str = "minres") -> sk.ReliabilityResult:
    if case_id == "belonging":
        inst = sk.load_instrument("needs_assessment", version="1.0.0")
        df = read_csv_exact(REF / "data" / "reliability_belonging.csv")
        return sk.reliability(df, instrument=inst, index="belonging",
                              factor_method=method)  # type: ignore[arg-type]
    df = read_csv_exact(REF / "data" / "reliability_sim.csv")
    return sk.reliability(df, list(df.columns), factor_method=method)  # type: ignore[arg-type]


@pytest.mark.parametrize("case_id", ["belonging", "simulated"])
def test_alpha_and_item_statistics_match_psych_alpha(case_id: str) -> None:
    """R: ``psych::alpha(X)``: raw_alpha, std.alpha, r.drop, alpha.drop, item mean and sd."""
    ref, got = _case(case_id), _fit(case_id)
    assert got.n == ref["n"] and list(got.items) == ref["items"]
    assert got.alpha == pytest.approx(ref["alpha"], rel=1e-9)
    assert got.standardized_alpha == pytest.approx(ref["std_alpha"], rel=1e-9)
    np.testing.assert_allclose(got.item_rest_correlation, ref["r_drop"], rtol=1e-9)
    np.testing.assert_allclose(got.alpha_if_deleted, ref["alpha_drop"], rtol=1e-9)
    np.testing.assert_allclose(got.item_mean, ref["mean"], rtol=1e-9)
    np.testing.assert_allclose(got.item_sd, ref["sd"], rtol=1e-9)


@pytest.mark.parametrize("case_id", ["belonging", "simulated"])
def test_loadings_match_psych_fa_and_factanal(case_id: str) -> None:
    """R: ``psych::fa(cor(X), 1, fm = "minres")``, ``fm = "ml"`` and ``factanal``."""
    ref = _case(case_id)
    np.testing.assert_allclose(_fit(case_id).loadings, ref["loadings_minres"],
                               atol=LOADING_ABS)
    ml = _fit(case_id, "ml").loadings
    np.testing.assert_allclose(ml, ref["loadings_ml"], atol=LOADING_ABS)
    np.testing.assert_allclose(ml, ref["loadings_factanal"], atol=LOADING_ABS)


@pytest.mark.parametrize("case_id", ["belonging", "simulated"])
def test_omega_matches_psych(case_id: str) -> None:
    """Omega from psych's loadings; psych::omega's omega.tot = 1 - sum(1 - l^2) / sum(R)."""
    ref, got = _case(case_id), _fit(case_id)
    load = np.asarray(ref["loadings_minres"])
    expected = load.sum() ** 2 / (load.sum() ** 2 + np.sum(1 - load**2))
    assert got.omega_total == pytest.approx(expected, abs=1e-6)
    k = len(got.items)
    # sum(R) from the item statistics: k + 2 * sum_{i<j} r_ij, via alpha's identity
    rbar = got.standardized_alpha / (k - got.standardized_alpha * (k - 1))
    total_r = k + k * (k - 1) * rbar
    psych_style = 1 - np.sum(1 - got.loadings**2) / total_r
    assert psych_style == pytest.approx(ref["psych_omega_tot"], abs=1e-6)


def _exact_one_factor_data(load: np.ndarray, n: int, seed: int) -> pd.DataFrame:
    """Data whose sample correlation matrix is exactly ``l l' + diag(1 - l^2)``."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, len(load)))
    z -= z.mean(axis=0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False)).T)  # cov(z) = I
    target = np.outer(load, load) + np.diag(1 - load**2)
    x = z @ np.linalg.cholesky(target).T * 2.0 + 3.0
    return pd.DataFrame(x, columns=[f"q{i}" for i in range(len(load))])


@pytest.mark.parametrize("method", ["minres", "ml"])
def test_known_loadings_are_recovered_exactly(method: str) -> None:
    """A constructed case with known loadings: loadings and omega exact to 1e-6."""
    load = np.array([0.8, 0.7, 0.6, 0.5, 0.4])
    df = _exact_one_factor_data(load, 250, seed=4)
    got = sk.reliability(df, list(df.columns), factor_method=method)  # type: ignore[arg-type]
    np.testing.assert_allclose(got.loadings, load, atol=1e-6)
    omega = load.sum() ** 2 / (load.sum() ** 2 + np.sum(1 - load**2))
    assert got.omega_total == pytest.approx(omega, abs=1e-6)
    # with equal loadings (parallel items, standardised) omega equals standardized alpha
    equal = _exact_one_factor_data(np.full(4, 0.6), 120, seed=5)
    par = sk.reliability(equal, list(equal.columns), factor_method=method)  # type: ignore[arg-type]
    assert par.omega_total == pytest.approx(par.standardized_alpha, abs=1e-8)


def test_alpha_and_interval_match_pingouin() -> None:
    """``pingouin.cronbach_alpha``: alpha equal; its CI is rounded to 3 decimals."""
    df = read_csv_exact(REF / "data" / "reliability_sim.csv")
    got = sk.reliability(df, list(df.columns), confidence_level=0.90)
    alpha, ci = pingouin.cronbach_alpha(df, ci=0.90)
    assert got.alpha == pytest.approx(alpha, rel=1e-12)
    assert got.alpha_ci_low == pytest.approx(ci[0], abs=5e-4)
    assert got.alpha_ci_high == pytest.approx(ci[1], abs=5e-4)
    assert got.alpha_ci_low < got.alpha < got.alpha_ci_high


def test_result_frames_and_unpacking() -> None:
    got = _fit("belonging")
    alpha, omega = got
    assert (alpha, omega) == (got.alpha, got.omega_total)
    items = got.to_frame()
    assert list(items.columns) == ["item", "mean", "sd", "item_rest_correlation",
                                   "alpha_if_deleted", "loading"]
    assert list(items["item"]) == list(got.items)
    assert got.scale_frame().loc[0, "n"] == got.n
    assert "omega total" in got._repr_html_() and "alpha=" in repr(got)
    with pytest.raises(AttributeError):
        got.alpha = 0.5  # type: ignore[misc]


def test_missing_rows_and_bad_arguments() -> None:
    df = pd.DataFrame({"a": [1, 2, 3, 4, np.nan], "b": [2, 2, 4, 5, 1], "c": [1, 3, 3, 5, 2]})
    assert sk.reliability(df, ["a", "b", "c"]).n_incomplete == 1
    with pytest.raises(ValueError, match="nan_policy='omit'"):
        sk.reliability(df, ["a", "b", "c"], nan_policy="raise")
    with pytest.raises(ValueError, match="at least two items"):
        sk.reliability(df, ["a"])
    with pytest.raises(ValueError, match="'factor_method' must be one of"):
        sk.reliability(df, ["a", "b"], factor_method="pca")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="do not vary"):
        sk.reliability(df.assign(d=1.0), ["a", "b", "d"])
    with pytest.raises(ValueError, match="not both"):
        sk.reliability(df, ["a"], index="belonging")
