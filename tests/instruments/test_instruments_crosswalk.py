"""diff_instruments and crosswalks on the demo 1.0.0 -> 2.0.0 fixture pair."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.fixture(scope="module")
def xw() -> sk.Crosswalk:
    return sk.load_crosswalk("demo", "1.0.0", "2.0.0", root=GOOD)


def test_diff_kinds() -> None:
    old = sk.load_instrument("demo", "1.0.0", root=GOOD)
    new = sk.load_instrument("demo", "2.0.0", root=GOOD)
    diff = sk.diff_instruments(old, new)
    kinds = {key: diff.kinds(key) for key in diff.changed_keys}
    assert kinds == {
        "satisfaction_region": {"var", "choices"},
        "services.leisure": {"wording"},
        "needs": {"choices"},
        "needs_other": {"added"},
        "culture_offer": {"removed"},
    }
    frame = diff.to_frame()
    assert list(frame.columns) == ["key", "kind", "detail"]
    assert "codes [1, 2, 3, 4, 5] -> [1, 2, 3, 4, 5, 6, 7]" in frame["detail"].tolist()
    assert sk.diff_instruments(old, old).is_empty


def test_diff_grid_rows_and_logic() -> None:
    d1 = sk.instruments.example_instrument_dict()
    d2 = sk.instruments.example_instrument_dict()
    d2["items"][2]["rows"].append({"id": "leisure", "var": "svc_leisure",
                                   "text": {"nb": "Fritid", "en": "Leisure"}})
    d2["items"][4]["relevant"] = "selected(${needs}, 'other') or selected(${needs}, 'jobs')"
    d2["items"][0]["constraint"] = {"min": 18, "max": 40}
    diff = sk.diff_instruments(sk.Instrument.from_dict(d1), sk.Instrument.from_dict(d2))
    assert [(c.key, c.kind) for c in diff.changes] == [
        ("age", "logic"), ("services.leisure", "grid_rows"), ("needs_other", "logic")]


def test_crosswalk_model(xw: sk.Crosswalk) -> None:
    assert xw.source.version == "1.0.0" and xw.target.version == "2.0.0"
    assert xw.status("satisfaction_region") == "approximate"
    assert xw.status("needs_other") == "new"
    assert xw.trend_breaks == ["satisfaction_region"]
    frame = xw.to_frame()
    assert frame.loc[frame["status"] == "dropped", "from"].tolist() == ["culture_offer"]


def _old_data() -> pd.DataFrame:
    return pd.DataFrame({
        "resp_id": [1, 2, 3, 4],
        "age": [22, 35, 40, 29],
        "sex": [1, 2, 3, 2],
        "sat_region": [1, 3, 5, 9],
        "svc_housing": [1, 2, 9, 4],
        "svc_transport": [5, 5, 4, 7],          # 7 is not a code: reported
        "svc_leisure": [2, 3, 4, 5],
        "needs__housing_rent": [1, 0, 0, np.nan],
        "needs__housing_buy": [0, 1, 0, np.nan],
        "needs__jobs": [1, 0, 0, np.nan],
        "needs__other": [0, 0, 0, np.nan],
        "needs__none": [0, 0, 1, np.nan],
        "culture": [3, 4, 5, 1],
    })


def test_apply_recodes_into_target_coding(xw: sk.Crosswalk) -> None:
    old = _old_data()
    before = old.copy()
    result = xw.apply(old)
    pd.testing.assert_frame_equal(old, before)  # input untouched
    out = result.data
    assert list(out.columns) == ["resp_id", *xw.target.data_columns]
    # linear stretch 1..5 -> 1..7: y = 1 + 6 (x - 1) / 4; missing 9 -> 98
    assert out["sat_region7"].tolist() == [1.0, 4.0, 7.0, 98.0]
    # multi-select merge by logical OR; NA stays NA where the item was not shown
    assert out["needs__housing"].tolist()[:3] == [1, 1, 0]
    assert pd.isna(out["needs__housing"].iloc[3])
    assert out["needs__none"].tolist()[:3] == [0, 0, 1]
    assert out["svc_housing"].tolist() == [1, 2, 9, 4]
    assert out["svc_transport"].tolist()[:3] == [5, 5, 4] and pd.isna(out["svc_transport"][3])
    assert out["needs_oth"].isna().all()
    assert "culture" not in out.columns
    assert result.not_harmonised == ("needs_other",)
    assert result.trend_breaks == ("satisfaction_region",)


def test_apply_reports_unmapped_codes(xw: sk.Crosswalk) -> None:
    old = _old_data()
    old.loc[0, "sat_region"] = 6   # outside the source range 1..5
    result = xw.apply(old)
    report = result.report.set_index("target_var")
    assert report.loc["svc_transport", ["problem", "code", "count"]].tolist() == [
        "unmapped_code", 7, 1]
    assert report.loc["sat_region7", ["problem", "code", "count"]].tolist() == [
        "unmapped_code", 6, 1]
    assert not result.ok
    assert len(result.unmapped) == 2


def test_apply_reports_missing_columns(xw: sk.Crosswalk) -> None:
    result = xw.apply(_old_data().drop(columns=["sex", "needs__housing_buy"]))
    missing = result.report[result.report["problem"] == "missing_column"]
    assert missing["source_var"].tolist() == ["sex"]
    assert result.data["sex"].isna().all()
    # housing is still the OR of the remaining source option
    assert result.data["needs__housing"].tolist()[:3] == [1, 0, 0]


def test_pomp_transform() -> None:
    from surveykit.instruments._crosswalk import CrosswalkItem, Transform
    from surveykit.instruments._recode import _transform

    inst = sk.load_instrument("demo", "1.0.0", root=GOOD)
    src = inst.variable("sat_region")
    entry = CrosswalkItem.model_validate({"from": "satisfaction_region",
                                          "status": "transformed", "missing": {9: 98}})
    values, bad = _transform(pd.Series([1, 2, 5, 9, 0]), Transform(method="pomp",
                             source_range=(1, 5)), entry, src)
    assert values.tolist()[:4] == [0.0, 25.0, 100.0, 98.0]
    assert bad.tolist() == [False, False, False, False, True]


def test_bundled_crosswalks_load() -> None:
    root = sk.instruments.instruments_root()
    files = sorted(root.glob("*/crosswalk/*__*.yaml"))
    if not files:
        pytest.skip("no crosswalks in the repository yet")
    for file in files:
        xw = sk.load_crosswalk(file)
        assert xw.target.version_info > xw.source.version_info
