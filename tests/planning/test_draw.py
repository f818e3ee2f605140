"""sk.plan.draw: stratified SRS, systematic and Poisson draws from a frame."""

from __future__ import annotations

import builtins
import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.planning._selection import srswor_rows, systematic_positions

KEY = "a-test-key-of-32-bytes-0123456789"
ALLOC = {"Hamar": 12, "Løten": 5, "Stange": 8}


def _no_key(monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    sizes = {"Hamar": 60, "Løten": 15, "Stange": 40}
    muni = np.repeat(list(sizes), list(sizes.values()))
    rng.shuffle(muni)
    n = muni.size
    return pd.DataFrame({"municipality": muni, "age": rng.integers(20, 41, n),
                         "sex": rng.choice(["female", "male"], n),
                         "y": rng.normal(50, 10, n).round(1)},
                        index=pd.RangeIndex(100, 100 + n))


@pytest.mark.parametrize("method", ["srswor", "systematic"])
def test_fixed_size_methods_take_the_allocation_with_its_design_columns(frame, method):
    d = sk.plan.draw(frame, ALLOC, method=method, seed=11)
    s = d.sample
    assert s.groupby("municipality").size().to_dict() == ALLOC
    assert (s["stratum"] == s["municipality"]).all()
    big = frame["municipality"].value_counts()
    expected_n = s["municipality"].map(ALLOC)
    assert (s["stratum_size"] == s["municipality"].map(big)).all()
    assert np.allclose(s["inclusion_prob"], expected_n / s["stratum_size"], rtol=1e-15)
    assert np.allclose(s["design_weight"], s["stratum_size"] / expected_n, rtol=1e-15)
    # selected rows are the frame's rows, index kept, values unchanged
    pd.testing.assert_frame_equal(s[frame.columns], frame.loc[s.index])
    assert s.index.is_monotonic_increasing
    table = d.to_frame()
    assert table["n"].tolist() == table["n_planned"].tolist() == [12, 5, 8]
    assert table["N"].tolist() == [60, 15, 40]


def test_the_same_seed_gives_the_same_sample_whatever_the_allocation_order(frame):
    a = sk.plan.draw(frame, ALLOC, seed=3).sample
    b = sk.plan.draw(frame, dict(reversed(list(ALLOC.items()))), seed=3).sample
    pd.testing.assert_frame_equal(a, b)
    assert not a.index.equals(sk.plan.draw(frame, ALLOC, seed=4).sample.index)


@pytest.mark.parametrize("method", ["srswor", "systematic", "poisson"])
def test_the_frame_is_never_modified(frame, method):
    before = frame.copy(deep=True)
    d = sk.plan.draw(frame, ALLOC, method=method, seed=5,
                     sort_by="age" if method == "systematic" else None)
    s = d.sample
    s.iloc[:, 0] = "changed"           # the sample is a new frame, not a view
    d.design()
    pd.testing.assert_frame_equal(frame, before)
    assert "changed" not in d.sample.iloc[:, 0].tolist()


def test_srswor_gives_every_person_the_same_inclusion_probability():
    codes = np.repeat([0, 1], [8, 5])
    sizes = np.array([3, 2])
    rng = np.random.default_rng(99)
    hits = np.zeros(codes.size)
    reps = 4000
    for _ in range(reps):
        rows = srswor_rows(codes, sizes, rng)
        assert np.bincount(codes[rows], minlength=2).tolist() == [3, 2]
        hits[rows] += 1
    pi = np.where(codes == 0, 3 / 8, 2 / 5)
    se = np.sqrt(pi * (1 - pi) / reps)
    assert np.all(np.abs(hits / reps - pi) < 4 * se)


def test_systematic_walks_the_sorted_frame_from_the_recorded_start(frame):
    d = sk.plan.draw(frame, ALLOC, method="systematic", sort_by=["age", "sex"], seed=8)
    table = d.to_frame().set_index("stratum")
    for label, n in ALLOC.items():
        people = frame[frame["municipality"] == label]
        ordered = people.sort_values(["age", "sex"], kind="mergesort")
        pos = systematic_positions(len(ordered), n, table.loc[label, "start"])
        expected = ordered.index[pos].sort_values()
        got = d.sample.index[d.sample["municipality"] == label]
        assert got.equals(expected)
    assert table["interval"].tolist() == [60 / 12, 15 / 5, 40 / 8]
    assert d.sort_by == ("age", "sex")


def test_systematic_positions_take_exactly_n_for_any_start():
    for big, n in [(10, 3), (7, 7), (13, 1), (100, 37), (5, 0)]:
        for u in (0.0, 0.25, 0.5, 0.999999):
            pos = systematic_positions(big, n, u)
            assert pos.size == n and np.unique(pos).size == n
            assert np.all((pos >= 0) & (pos < big))


def test_poisson_has_a_random_size_with_the_planned_probabilities(frame):
    sizes = [sk.plan.draw(frame, ALLOC, method="poisson", seed=s).n for s in range(20)]
    assert len(set(sizes)) > 3
    assert abs(np.mean(sizes) - sum(ALLOC.values())) < 4 * np.std(sizes) / np.sqrt(20)
    d = sk.plan.draw(frame, ALLOC, method="poisson", seed=1)
    assert d.summary().loc["n_planned", "value"] == 25
    assert np.allclose(d.sample["inclusion_prob"],
                       d.sample["municipality"].map(ALLOC) / d.sample["stratum_size"])


def test_the_design_is_stratified_srs_with_fpc(frame):
    d = sk.plan.draw(frame, ALLOC, seed=21)
    des = d.design()
    assert des.strata_column == "stratum" and des.fpc_columns == ["stratum_size"]
    s = d.sample
    by = s.groupby("stratum")["y"]
    big = s.groupby("stratum")["stratum_size"].first()
    n = by.size()
    var = (big**2 * (1 - n / big) * by.var(ddof=1) / n).sum()
    est = sk.total(des, "y")
    assert est.estimate[0] == pytest.approx((big * by.mean()).sum(), rel=1e-12)
    assert est.se[0] == pytest.approx(np.sqrt(var), rel=1e-12)
    assert des.df == len(s) - 3


def test_the_poisson_design_has_the_horvitz_thompson_variance(frame):
    d = sk.plan.draw(frame, ALLOC, method="poisson", seed=2)
    s = d.sample
    pi, y = s["inclusion_prob"].to_numpy(), s["y"].to_numpy()
    est = sk.total(d.design(), "y")
    assert est.estimate[0] == pytest.approx((y / pi).sum(), rel=1e-12)
    assert est.se[0] == pytest.approx(np.sqrt(((1 - pi) * (y / pi) ** 2).sum()), rel=1e-12)
    given = d.design(conditional=True)           # given the realised sizes: N_h / n_h
    realised = s.groupby("stratum")["stratum"].transform("size")
    assert np.allclose(given.weights, s["stratum_size"] / realised, rtol=1e-15)
    assert given.fpc_columns == ["stratum_size"] and given.pps is None


def test_a_stratum_of_zero_and_a_census_stratum(frame):
    d = sk.plan.draw(frame, {"Hamar": 0, "Løten": 15, "Stange": 4}, seed=1)
    assert set(d.sample["municipality"]) == {"Løten", "Stange"}
    assert d.sample.loc[d.sample["municipality"] == "Løten", "inclusion_prob"].eq(1).all()
    table = d.to_frame()
    assert table["n"].tolist() == [0, 15, 4] and np.isnan(table["design_weight"][0])
    assert sk.total(d.design(), "y").se[0] > 0


def test_strata_left_out_of_the_allocation_are_outside_the_draw(frame):
    d = sk.plan.draw(frame, {"Hamar": 5}, seed=1)
    assert set(d.sample["municipality"]) == {"Hamar"}
    assert d.unallocated.to_dict() == {"Løten": 15, "Stange": 40}
    assert "outside the draw" in d._repr_html_()


def test_an_allocation_from_allocate(frame):
    population = frame["municipality"].value_counts().to_dict()
    alloc = sk.plan.allocate(population, 30, method="proportional")
    d = sk.plan.draw(frame, alloc, seed=1)
    planned = alloc.to_frame().set_index("stratum")["n"]
    assert d.sample.groupby("municipality").size().to_dict() == planned.to_dict()


# --- errors ------------------------------------------------------------------------------

def test_too_small_strata_are_named_with_their_shortfall(frame):
    with pytest.raises(sk.ArgumentError) as err:
        sk.plan.draw(frame, {"Hamar": 61, "Løten": 20, "Stange": 3}, seed=1)
    msg = str(err.value)
    assert "'Hamar' needs 61 but has 60 (short by 1)" in msg
    assert "'Løten' needs 20 but has 15 (short by 5)" in msg
    assert "Stange" not in msg


@pytest.mark.parametrize(("alloc", "match"), [
    ({"Hamar": 5, "Oslo": 3}, r"not values of 'municipality'.*\['Oslo'\]"),
    ({"Hamar": -1}, "negative"),
    ({"Hamar": 2.5}, "whole number"),
    ({"Hamar": float("nan")}, "whole number"),
    ({"Hamar": True}, "whole number"),
    ({}, "empty"),
])
def test_bad_allocations(frame, alloc, match):
    with pytest.raises(sk.ArgumentError, match=match):
        sk.plan.draw(frame, alloc, seed=1)


def test_missing_stratum_values_are_counted_and_located(frame):
    broken = frame.copy()
    broken.loc[[103, 140], "municipality"] = None
    with pytest.raises(sk.ArgumentError, match=r"missing for 2 of 115 .*\[103, 140\]"):
        sk.plan.draw(broken, {"Hamar": 3}, seed=1)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"method": "pps"}, sk.ArgumentError, "'method' must be one of"),
    ({"seed": 1.5}, TypeError, "non-negative integer"),
    ({"seed": -3}, sk.ArgumentError, "non-negative integer"),
    ({"seed": True}, TypeError, "non-negative integer"),
    ({"sort_by": "age"}, sk.ArgumentError, "systematic"),
    ({"strata": "kommune"}, sk.ColumnError, "kommune"),
    ({"method": "systematic", "sort_by": "alder"}, sk.ColumnError, "alder"),
])
def test_bad_arguments(frame, kwargs, error, match):
    args = {"seed": 1, **kwargs}
    with pytest.raises(error, match=match):
        sk.plan.draw(frame, {"Hamar": 3}, **args)


def test_the_seed_is_required(frame):
    with pytest.raises(TypeError, match="seed"):
        sk.plan.draw(frame, {"Hamar": 3})  # type: ignore[call-arg]


def test_a_frame_column_the_draw_would_overwrite_is_refused(frame):
    with pytest.raises(sk.ArgumentError, match="design_weight"):
        sk.plan.draw(frame.assign(design_weight=1.0), {"Hamar": 3}, seed=1)


# --- identifiers -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def register(frame) -> pd.DataFrame:
    n = len(frame)
    return frame.assign(person=[f"P{i:05d}" for i in range(n)],
                        fnr=[f"{i:011d}" for i in range(10**9, 10**9 + n)],
                        navn=[f"Person {i}" for i in range(n)])


def test_identifiers_become_keyed_pseudonyms(register, monkeypatch):
    _no_key(monkeypatch)
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
    d = sk.plan.draw(register, ALLOC, seed=1, id_column="person")
    s = d.sample
    assert d.identifiers == {"person": "pseudonymised", "fnr": "pseudonymised",
                             "navn": "pseudonymised"}
    raw = register.loc[s.index]
    for col in ("person", "fnr", "navn"):
        assert s[col].tolist() == sk.pseudonymize(raw[col], KEY).tolist()
        assert not set(raw[col]) & set(s[col])
    assert d.invitations is None
    assert "pseudonymised" in d._repr_html_() and "P0" not in d._repr_html_()


def test_without_a_key_identifiers_are_dropped_with_a_warning_for_the_id_column(
        register, monkeypatch):
    _no_key(monkeypatch)
    with pytest.warns(sk.SurveykitWarning, match="'person' is dropped"):
        d = sk.plan.draw(register, ALLOC, seed=1, id_column="person")
    assert not {"person", "fnr", "navn"} & set(d.sample.columns)
    assert d.identifiers == dict.fromkeys(["person", "fnr", "navn"], "dropped")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet = sk.plan.draw(register, ALLOC, seed=1)   # detected columns: dropped quietly
    assert not {"fnr", "navn"} & set(quiet.sample.columns)


def test_keep_ids_returns_the_invitation_list_apart(register, monkeypatch):
    _no_key(monkeypatch)
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
    d = sk.plan.draw(register, ALLOC, seed=1, id_column="person", keep_ids=True)
    inv = d.invitations
    assert inv is not None and inv.index.equals(d.sample.index)
    pd.testing.assert_frame_equal(inv, register.loc[d.sample.index,
                                                    ["municipality", "person", "fnr", "navn"]])
    assert not set(inv["person"]) & set(d.sample["person"])
    assert "kept apart" in d._repr_html_()


def test_keep_ids_without_an_identifier_column_is_refused(frame):
    with pytest.raises(sk.ArgumentError, match="id_column"):
        sk.plan.draw(frame, ALLOC, seed=1, keep_ids=True)


def test_an_identifier_index_is_replaced_by_row_positions(register, monkeypatch):
    _no_key(monkeypatch)
    keyed = register.set_index("fnr")
    d = sk.plan.draw(keyed, ALLOC, seed=1)
    assert not set(keyed.index) & set(map(str, d.sample.index))
    assert "navn" not in d.sample
    plain = sk.plan.draw(register.drop(columns="fnr"), ALLOC, seed=1)
    assert (d.sample.index == plain.sample.index - 100).all()


# --- files -------------------------------------------------------------------------------

def test_a_csv_frame_keeps_codes_as_text_and_sorts_numbers(tmp_path):
    f = tmp_path / "frame.csv"
    rows = ["knr;age"] + [f"0301;{a}" for a in (9, 10, 30, 11)] + ["3403;20", "3403;21"]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = f.read_bytes()
    d = sk.plan.draw(f, {"0301": 2, "3403": 1}, strata="knr", method="systematic",
                     sort_by="age", seed=1)
    assert f.read_bytes() == before
    assert d.sample.groupby("knr").size().to_dict() == {"0301": 2, "3403": 1}
    assert d.sample["age"].dtype.kind in "iuf"
    with pytest.raises(sk.ArgumentError, match="'0301'"):
        sk.plan.draw(f, {301: 2}, strata="knr", seed=1)


def test_a_parquet_frame(frame, tmp_path):
    pytest.importorskip("pyarrow")
    f = tmp_path / "frame.parquet"
    frame.to_parquet(f, index=False)
    a = sk.plan.draw(f, ALLOC, seed=9).sample
    b = sk.plan.draw(frame.reset_index(drop=True), ALLOC, seed=9).sample
    pd.testing.assert_frame_equal(a, b)


def test_parquet_without_pyarrow_says_how_to_install_it(frame, tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    f = tmp_path / "frame.parquet"
    frame.to_parquet(f)
    real = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(sk.IngestionError, match=r"surveykit\[parquet\]"):
        sk.plan.draw(f, ALLOC, seed=9)


def test_a_frame_of_the_wrong_type(frame):
    with pytest.raises(TypeError, match="DataFrame or the path"):
        sk.plan.draw(frame.to_dict(), ALLOC, seed=1)  # type: ignore[arg-type]


def test_numeric_and_categorical_strata_keep_their_values(frame):
    codes = {"Hamar": 3403, "Løten": 3412, "Stange": 3413}
    numeric = frame.assign(municipality=frame["municipality"].map(codes))
    d = sk.plan.draw(numeric, {3403: 4, 3412: 2}, seed=1)
    assert d.sample["stratum"].tolist() == d.sample["municipality"].tolist()
    assert set(d.sample["stratum"]) == {3403, 3412}
    cats = frame.assign(municipality=pd.Categorical(frame["municipality"],
                                                    categories=[*ALLOC, "Åmot"]))
    with pytest.raises(sk.ArgumentError, match=r"not values of 'municipality'.*\['Åmot'\]"):
        sk.plan.draw(cats, {"Åmot": 0}, seed=1)
    assert sk.plan.draw(cats, ALLOC, seed=1).sample.groupby(
        "municipality", observed=True).size().to_dict() == ALLOC
