"""adjust_pvalues against statsmodels' multipletests and R's p.adjust."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

import surveykit as sk

SM_METHODS = {"bh": "fdr_bh", "holm": "holm", "bonferroni": "bonferroni"}


@pytest.mark.parametrize("method", sorted(SM_METHODS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_statsmodels(method: str, seed: int) -> None:
    """statsmodels: ``multipletests(p, method=...)[1]`` (same as R's ``p.adjust``)."""
    rng = np.random.default_rng(seed)
    p = np.concatenate([rng.uniform(0, 0.05, 5), rng.uniform(0, 1, 25), [0.5, 0.5, 1.0]])
    rng.shuffle(p)
    expected = multipletests(p, method=SM_METHODS[method])[1]
    np.testing.assert_allclose(sk.adjust_pvalues(p, method), expected, rtol=1e-14)


def test_matches_r_p_adjust() -> None:
    """R: ``p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH")`` is 0.05 for all five and
    ``p.adjust(..., "holm")`` is 0.05, 0.08, 0.09, 0.09, 0.09."""
    p = [0.01, 0.02, 0.03, 0.04, 0.05]
    np.testing.assert_allclose(sk.adjust_pvalues(p), [0.05] * 5)
    np.testing.assert_allclose(sk.adjust_pvalues(p, "holm"), [0.05, 0.08, 0.09, 0.09, 0.09])


def test_nan_entries_are_outside_the_family() -> None:
    p = np.array([0.01, np.nan, 0.04])
    out = sk.adjust_pvalues(p, "bonferroni")
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2]], [0.02, 0.08])
    np.testing.assert_array_equal(sk.adjust_pvalues(p, "none"), p)
    assert sk.adjust_pvalues([], "bh").size == 0


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="'method' must be one of"):
        sk.adjust_pvalues([0.1], "fdr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        sk.adjust_pvalues([0.1, 1.5])


@pytest.mark.parametrize(("method", "expected"), [
    ("bh", [0.04, 0.04, 0.04, np.nan, 0.048, 0.048, 0.5]),
    ("holm", [0.06, 0.1, 0.1, np.nan, 0.12, 0.12, 0.5]),
    ("bonferroni", [0.06, 0.12, 0.12, np.nan, 0.24, 0.24, 1.0]),
])
def test_ties_and_nan_match_r(method: str, expected: list[float]) -> None:
    """R: ``p.adjust(c(0.01, 0.02, 0.02, NA, 0.04, 0.04, 0.5), method)``: tied p-values get
    one adjusted value, the NA stays NA and is not counted in the family."""
    p = [0.01, 0.02, 0.02, np.nan, 0.04, 0.04, 0.5]
    np.testing.assert_allclose(sk.adjust_pvalues(p, method), expected, rtol=1e-15)
    assert np.isnan(sk.adjust_pvalues([np.nan, np.nan], method)).all()


def test_holm_equals_statsmodels_without_a_garbage_collection(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from surveykit.comparison._multiplicity import adjust_pvalues as adjust

    rng = np.random.default_rng(7)
    families = [np.round(rng.uniform(0, 1, rng.integers(1, 25)) ** 2, 3) for _ in range(200)]
    expected = [multipletests(p, method="holm")[1] for p in families]

    def refuse() -> int:
        raise AssertionError("a full garbage collection per family (statsmodels' Holm path)")

    monkeypatch.setattr(gc, "collect", refuse)
    for p, want in zip(families, expected, strict=True):
        np.testing.assert_array_equal(adjust(p, "holm"), want)


@pytest.mark.parametrize("method", sorted(SM_METHODS))
def test_every_method_equals_statsmodels_to_the_bit(method: str) -> None:
    rng = np.random.default_rng(11)
    families = [np.round(rng.uniform(0, 1, rng.integers(1, 40)) ** 3, 3) for _ in range(200)]
    for p in families:
        np.testing.assert_array_equal(sk.adjust_pvalues(p, method),
                                      multipletests(p, method=SM_METHODS[method])[1])


def test_adjusting_imports_neither_statsmodels_nor_scipy_stats() -> None:
    # statsmodels.stats loads all of scipy.stats (over a second) for a few divisions
    import subprocess
    import sys

    probe = ("import sys\n"
             "from surveykit.comparison._multiplicity import adjust_pvalues\n"
             "for method in ('bh', 'holm', 'bonferroni'):\n"
             "    adjust_pvalues([0.01, 0.2, 0.03], method)\n"
             "print([m for m in ('statsmodels', 'scipy.stats') if m in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def _padjust_cases() -> list[dict[str, object]]:
    import json
    from pathlib import Path

    path = Path(__file__).parents[1] / "reference" / "ref_padjust.json"
    return json.loads(path.read_text())["cases"]


R_METHODS = {"holm": "holm", "hochberg": "hochberg", "hommel": "hommel",
             "bonferroni": "bonferroni", "BH": "bh", "BY": "by"}


@pytest.mark.parametrize("case", _padjust_cases(), ids=lambda c: f"{c['family']}-{c['method']}")
def test_every_p_adjust_method_matches_r(case: dict[str, object]) -> None:
    """R: ``p.adjust(p, method)`` for every method on families with ties, NA, ones, one test
    (tests/reference/ref_padjust.R)."""
    p = np.array([np.nan if v is None else v for v in np.atleast_1d(case["p"])], dtype=float)
    want = np.array([np.nan if v is None else v for v in np.atleast_1d(case["adjusted"])],
                    dtype=float)
    got = sk.adjust_pvalues(p, R_METHODS[str(case["method"])])  # type: ignore[arg-type]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
