"""sk.nps and sk.top_box: definitions, domains, missing codes, replicate designs, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import load_api


@pytest.fixture(scope="module")
def api() -> pd.DataFrame:
    df = load_api("apiclus1")
    rec = np.clip(np.floor((df["api00"] - 300) / 45), 0, 10)
    return df.assign(rec=rec, rec_dk=rec.where(df["snum"] % 7 != 0, 98))


def _design(df: pd.DataFrame) -> sk.SurveyDesign:
    return sk.SurveyDesign(df, psu="dnum", weights="pw", fpc="fpc")


def test_nps_is_the_mean_of_the_promoter_score(api) -> None:
    """NPS = 100 (p_9-10 - p_0-6) is the mean of a -100/0/100 score: same estimate and SE."""
    score = 100 * ((api["rec"] >= 9).astype(float) - (api["rec"] <= 6).astype(float))
    d = _design(api.assign(score=score))
    t, m = sk.nps(d, "rec", by="stype"), sk.mean(d, "score", by="stype")
    np.testing.assert_allclose(t.estimate, m.estimate, rtol=1e-12)
    np.testing.assert_allclose(t.se, m.se, rtol=1e-10)
    assert t.statistic == "nps" and list(t.labels["stype"]) == ["E", "H", "M"]
    np.testing.assert_array_equal(t.n, m.n)


def test_missing_codes_leave_the_base(api) -> None:
    """rec_dk has 98 ("don't know") for some schools: same as dropping them from the domain."""
    d = _design(api)
    with_dk = sk.nps(d, "rec_dk", missing=[98])
    domain = sk.nps(d.subset(api["rec_dk"] != 98), "rec")
    assert with_dk.estimate[0] == pytest.approx(domain.estimate[0], rel=1e-12)
    assert with_dk.se[0] == pytest.approx(domain.se[0], rel=1e-10)
    assert with_dk.n[0] == int((api["rec_dk"] != 98).sum())
    with pytest.raises(ValueError, match="nps needs answers 0-10"):
        sk.nps(d, "rec_dk")


def test_nps_on_replicate_designs(api) -> None:
    """JK1 replicates: the contrast of the replicate shares equals the replicate score mean."""
    score = 100 * ((api["rec"] >= 9).astype(float) - (api["rec"] <= 6).astype(float))
    r = _design(api.assign(score=score)).to_replicates("jk1")
    assert sk.nps(r, "rec").se[0] == pytest.approx(sk.mean(r, "score").se[0], rel=1e-10)


def test_top_box_counts_the_top_k_codes(api) -> None:
    d = _design(api)
    top2 = sk.top_box(d, "rec", k=2, scale=(0, 10))
    share = sk.mean(_design(api.assign(t=(api["rec"] >= 9).astype(float))), "t")
    assert top2.estimate[0] == pytest.approx(share.estimate[0], rel=1e-12)
    assert top2.se[0] == pytest.approx(share.se[0], rel=1e-12)
    observed_top = sk.top_box(d, "rec")  # highest observed value is the top box
    assert observed_top.estimate[0] == pytest.approx(
        np.average(api["rec"] == api["rec"].max(), weights=api["pw"]), rel=1e-12)


def test_top_box_errors(api) -> None:
    d = _design(api)
    with pytest.raises(ValueError, match="'k' must be a positive integer"):
        sk.top_box(d, "rec", k=0)
    with pytest.raises(ValueError, match="does not cover"):
        sk.top_box(d, "rec", scale=(1, 5))
    with pytest.raises(TypeError, match="must be numeric"):
        sk.top_box(d, "stype")
    with pytest.raises(KeyError, match="'item'"):
        sk.nps(d, "recommend")
