"""SurveyDesign.with_columns / ReplicateDesign.with_columns: new analysis columns, same design."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import DesignError


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "st": [1, 1, 1, 2, 2, 2], "cl": [1, 2, 3, 4, 5, 6], "N": [30, 30, 30, 40, 40, 40],
        "w": [10.0, 10.0, 10.0, 13.0, 13.0, 14.0], "y": [1.0, 2.0, 3.0, 4.0, 6.0, 8.0],
    }, index=[10, 11, 12, 13, 14, 15])


def test_adds_and_replaces_without_mutating(frame):
    before = frame.copy()
    d = sk.SurveyDesign(frame, weights="w", strata="st", psu="cl", fpc="N")
    d2 = d.with_columns(high=(frame["y"] > 2).to_numpy(), y=frame["y"] * 2, wave="w1")
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is untouched
    assert list(d.data.columns) == list(before.columns)  # so is the old design
    assert d.data["y"].tolist() == before["y"].tolist()
    assert list(d2.data.columns) == [*before.columns, "high", "wave"]
    assert d2.data["y"].tolist() == [2.0, 4.0, 6.0, 8.0, 12.0, 16.0]
    assert d2.data["wave"].tolist() == ["w1"] * 6
    assert d2.data.index.equals(frame.index)
    assert type(d2) is sk.SurveyDesign
    np.testing.assert_array_equal(d2.analysis_weights(), d.analysis_weights())
    assert d2.df == d.df
    # same design: the mean of 2*y has twice the estimate and four times the variance
    m1, m2 = sk.mean(d, "y"), sk.mean(d2, "y")
    assert m2.estimate[0] == pytest.approx(2 * m1.estimate[0], rel=1e-12)
    assert m2.cov[0, 0] == pytest.approx(4 * m1.cov[0, 0], rel=1e-12)


def test_series_is_aligned_by_index_label(frame):
    d = sk.SurveyDesign(frame, weights="w")
    shuffled = pd.Series(["a", "b", "c", "d", "e", "f"], index=frame.index)[::-1]
    assert d.with_columns(z=shuffled).data["z"].tolist() == ["a", "b", "c", "d", "e", "f"]
    with pytest.raises(DesignError, match="index does not match"):
        d.with_columns(z=pd.Series(range(6)))
    with pytest.raises(DesignError, match=r"one value per row \(6\); got shape \(5,\)"):
        d.with_columns(z=np.arange(5))


def test_domain_and_weighting_are_kept(frame):
    d = sk.SurveyDesign(frame, weights="w", strata="st").subset("y > 1")
    d = d.with_weights(frame["w"].to_numpy() * 2, record="doubled")
    d2 = d.with_columns(z=np.arange(6.0))
    np.testing.assert_array_equal(d2.domain, d.domain)
    np.testing.assert_array_equal(d2.analysis_weights(), d.analysis_weights())
    assert d2.weighting_history == ("doubled",)


@pytest.mark.parametrize("column", ["w", "st", "cl", "N"])
def test_design_columns_cannot_be_replaced(frame, column):
    d = sk.SurveyDesign(frame, weights="w", strata="st", psu="cl", fpc="N")
    with pytest.raises(DesignError, match=f"cannot replace '{column}': it defines the design"):
        d.with_columns(**{column: 1})


def test_probability_and_new_weight_columns_are_design_columns(frame):
    df = frame.assign(p=1 / frame["w"], w2=frame["w"] * 1.1)
    with pytest.raises(DesignError, match="'p'"):
        sk.SurveyDesign(df, probs="p").with_columns(p=0.5)
    reweighted = sk.SurveyDesign(df, weights="w").with_weights("w2")
    with pytest.raises(DesignError, match="'w', 'w2'"):
        reweighted.with_columns(w=1.0, w2=1.0, y=0.0)


def test_replicate_design(frame):
    reps = pd.DataFrame(np.array([[0, 1.5, 1.5], [1.5, 0, 1.5], [1.5, 1.5, 0]]).repeat(2, 0),
                        columns=["r1", "r2", "r3"], index=frame.index)
    df = pd.concat([frame, reps], axis=1)
    before = df.copy()
    r = sk.ReplicateDesign(df, weights="w", replicate_weights=["r1", "r2", "r3"],
                           method="jk1")
    r2 = r.with_columns(y2=df["y"] ** 2)
    pd.testing.assert_frame_equal(df, before)
    assert type(r2) is sk.ReplicateDesign and r2.n_replicates == 3 and r2.df == r.df
    assert r2.data["y2"].tolist() == (before["y"] ** 2).tolist()
    np.testing.assert_array_equal(r2.replicate_weights_array, r.replicate_weights_array)
    for column in ("w", "r2"):
        with pytest.raises(DesignError, match=f"'{column}'"):
            r.with_columns(**{column: 0.0})


def test_replicates_built_from_a_design_keep_its_design_columns(frame):
    d = sk.SurveyDesign(frame, weights="w", strata="st", psu="cl")
    r = d.to_replicates("jkn")
    assert r.with_columns(z=1).data["z"].tolist() == [1] * 6
    with pytest.raises(DesignError, match="'st'"):
        r.with_columns(st=0)
