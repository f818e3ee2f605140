"""What estimators derive from a design is built once per design and equals a fresh build."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.design._codes import sorted_codes
from surveykit.estimation._domains import (
    build_domains,
    domain_df_and_rows,
    given_df_and_rows,
)
from surveykit.estimation._inputs import expand_variables


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 240
    st = np.repeat(np.arange(4), n // 4)
    psu = st * 10 + rng.integers(0, 5, n)
    w = rng.uniform(1, 4, n)
    w[rng.random(n) < 0.05] = 0.0  # rows with zero weight leave degf, as in R
    grp = pd.Categorical(rng.choice(["a", "b", "c"], n), categories=["z", "c", "a", "b"])
    y = pd.Categorical(rng.choice(["lo", "mid", "hi"], n), categories=["lo", "mid", "hi"])
    y[rng.random(n) < 0.1] = np.nan
    x = rng.normal(size=n)
    x[(grp == "c") & (rng.random(n) < 0.3)] = np.nan
    return pd.DataFrame({"st": st, "psu": psu, "w": w, "grp": grp, "y": y, "x": x,
                         "z": rng.normal(size=n)})


@pytest.fixture(scope="module")
def design(frame: pd.DataFrame) -> sk.SurveyDesign:
    return sk.SurveyDesign(frame, weights="w", strata="st", psu="psu", nest=True)


def test_cache_is_per_design_and_never_inherited(design):
    calls = []
    assert design._cached(("probe",), lambda: calls.append(1) or 7) == 7
    assert design._cached(("probe",), lambda: calls.append(1) or 8) == 7
    assert calls == [1]
    for other in (design.subset(design.data["st"] > 0), design.with_columns(v=1.0),
                  design.with_weights(design.analysis_weights() * 2)):
        assert other._cached(("probe",), lambda: 9) == 9


def test_domain_degrees_of_freedom_are_those_of_each_subset_design(design):
    for d in (design, design.subset(design.data["st"] != 1)):
        dom = build_domains(d, "grp")
        dfs, rows = domain_df_and_rows(d, dom)
        expected = [d.subset(dom.codes == k).df for k in range(dom.n_domains)]
        np.testing.assert_array_equal(dfs, expected)
        np.testing.assert_array_equal(rows, dom.counts())


def test_given_df_follows_each_domain_when_a_domain_has_no_valid_row(design):
    valid = design.data["grp"].ne("b").to_numpy()  # domain "b" loses every row
    dom = build_domains(design, "grp", valid)
    whole = build_domains(design, "grp")
    assert dom.labels["grp"].tolist() == ["c", "a"]
    assert whole.labels["grp"].tolist() == ["c", "a", "b"]
    dfs, rows, weighted = given_df_and_rows(design, "grp", dom, valid)
    for k, level in enumerate(["c", "a"]):
        sub = design.subset(design.data["grp"].eq(level).to_numpy())
        assert dfs[k] == sub.df
        assert rows[k] == (design.data["grp"] == level).sum()
        assert weighted[k] == pytest.approx(sub.analysis_weights().sum(), rel=1e-15)


def test_cached_arrays_are_read_only_and_repeat_estimates_bit_for_bit(design):
    first = sk.proportion(design, "y", by="grp", nan_policy="omit")
    again = sk.proportion(design, "y", by="grp", nan_policy="omit")
    pd.testing.assert_frame_equal(first.to_frame(), again.to_frame(), check_exact=True)
    assert first.labels is not again.labels
    fresh = sk.proportion(design.with_columns(v=0.0), "y", by="grp", nan_policy="omit")
    pd.testing.assert_frame_equal(first.to_frame(), fresh.to_frame(), check_exact=True)
    dom = build_domains(design, "grp")
    with pytest.raises(ValueError, match="read-only"):
        dom.codes[0] = 5
    m1 = sk.mean(design, ["x", "z"], by="grp", nan_policy="omit")
    m2 = sk.mean(design.with_columns(v=0.0), ["x", "z"], by="grp", nan_policy="omit")
    pd.testing.assert_frame_equal(m1.to_frame(), m2.to_frame(), check_exact=True)


def test_numeric_columns_come_as_the_frame_would_give_them(frame):
    values, labels = expand_variables(frame, ["x", "z", "w"])
    np.testing.assert_array_equal(values, frame[["x", "z", "w"]].to_numpy(dtype=float))
    assert values.flags.f_contiguous
    assert labels["variable"].tolist() == ["x", "z", "w"]


def test_sorted_codes_drop_unused_categories_as_pandas(frame):
    codes, levels = sorted_codes(frame["grp"])
    pandas = frame["grp"].cat.remove_unused_categories()
    np.testing.assert_array_equal(codes, pandas.cat.codes.to_numpy())
    assert levels == list(pandas.cat.categories) == ["c", "a", "b"]
