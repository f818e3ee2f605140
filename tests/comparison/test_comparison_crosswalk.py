"""sk.compare through the reputation crosswalk 1.0.0 -> 2.0.0 on small synthetic waves.

Checks every crosswalk status (identical, recoded, transformed, approximate, not_comparable,
new, dropped), allowed/forbidden measures, item look-up by key, grid id, column or source
name, index columns, and that hand computations of the harmonised estimates agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.comparison._table import COLUMNS
from surveykit.datasets import generate_responses


@pytest.fixture(scope="module")
def xw() -> sk.Crosswalk:
    return sk.load_crosswalk("reputation", "1.0.0", "2.0.0")


@pytest.fixture(scope="module")
def frames(xw: sk.Crosswalk) -> dict[str, pd.DataFrame]:
    a = generate_responses(xw.source, 400, seed=11, wave="2024", year=2025)
    b = generate_responses(xw.target, 500, seed=12, wave="2026", year=2026,
                           shifts={"pulse": 0.3})
    rng = np.random.default_rng(3)
    return {"2024": a.assign(w=rng.uniform(0.5, 2.0, len(a))),
            "2026": b.assign(w=rng.uniform(0.5, 2.0, len(b)))}


@pytest.fixture(scope="module")
def designs(frames: dict[str, pd.DataFrame]) -> dict[str, sk.SurveyDesign]:
    return {k: sk.SurveyDesign(f, weights="w") for k, f in frames.items()}


def _row(cmp: sk.ComparisonTable, item: str, level: object = None) -> pd.Series:
    t = cmp.to_frame()
    sel = t["item"] == item
    if level is not None:
        sel &= t["level"] == level
    assert int(sel.sum()) == 1
    return t.loc[sel].iloc[0]


def _wmean(values: pd.Series, w: pd.Series) -> float:
    x = values.astype(float)
    ok = x.notna().to_numpy()
    return float(np.average(x[ok], weights=w[ok]))


def test_impression_is_compared_on_pomp_and_flagged(designs, frames, xw) -> None:
    """5 -> 7 points (approximate, trend break): only ``mean_pomp`` is allowed."""
    row = _row(sk.compare(designs, ["impression"], crosswalk=xw), "impression")
    a, b = frames["2024"], frames["2026"]
    x5 = a["impression5"].where(a["impression5"] != 98)
    x7 = b["impression7"].where(b["impression7"] != 98)
    assert row["measure"] == "mean_pomp"
    assert row["estimate_a"] == pytest.approx(_wmean(100 * (x5 - 1) / 4, a["w"]), rel=1e-12)
    assert row["estimate_b"] == pytest.approx(_wmean(100 * (x7 - 1) / 6, b["w"]), rel=1e-12)
    assert row["n_a"] == x5.notna().sum() and row["n_b"] == x7.notna().sum()
    assert row["status"] == "approximate" and bool(row["comparable"])
    assert row["flags"] == "approximate, trend_break"
    assert "7-point" in row["note"]


@pytest.mark.parametrize("measure", ["proportion", "top_box", "mean"])
def test_measures_the_crosswalk_forbids_are_refused(designs, xw, measure) -> None:
    """impression: forbidden_estimates [category_shares, top_box], allowed only mean_pomp."""
    row = _row(sk.compare(designs, ["impression"], crosswalk=xw, measure=measure),
               "impression")
    assert not row["comparable"] and np.isnan(row["difference"])
    assert "crosswalk" in row["note"] and "mean_pomp" in row["note"]


def test_nps_uses_the_recoded_scale_values(designs, frames, xw) -> None:
    """recommend_live: positions 1-11 (2024) -> values 0-10; 'Vet ikke' 12 -> 98 -> missing."""
    row = _row(sk.compare(designs, ["recommend_live"], crosswalk=xw), "recommend_live")
    a = frames["2024"]
    pos = a["recommend_live"].where(a["recommend_live"] != 12).astype(float)
    value = pos - 1
    score = 100 * ((value >= 9).astype(float) - (value <= 6).astype(float)).where(value.notna())
    assert row["measure"] == "nps" and row["status"] == "transformed"
    assert row["estimate_a"] == pytest.approx(_wmean(score, a["w"]), rel=1e-12)
    assert row["effect_size_kind"] == "d"


def test_recoded_education_merges_upper_secondary(designs, frames, xw) -> None:
    """education: 2024 codes 2 and 3 become 2026 code 2; the shares sum to one."""
    cmp = sk.compare(designs, ["education"], crosswalk=xw, measure="proportion")
    t = cmp.to_frame()
    a = frames["2024"]
    edu = a["education"].where(a["education"] != 97)
    share2 = _wmean(edu.isin([2, 3]).astype(float).where(edu.notna()), a["w"])
    assert list(t["level"]) == [1, 2, 3, 4, 5]
    assert _row(cmp, "education", 2)["estimate_a"] == pytest.approx(share2, rel=1e-12)
    assert t["estimate_a"].sum() == pytest.approx(1.0) and t["estimate_b"].sum() == \
        pytest.approx(1.0)
    assert set(t["effect_size_kind"]) == {"h"} and set(t["status"]) == {"recoded"}


def test_refusals_carry_the_crosswalk_reason(designs, xw) -> None:
    """not_comparable, new and dropped items get one row each, never numbers."""
    cmp = sk.compare(designs, ["intention_stay", "mp_heard", "info_sources"], crosswalk=xw)
    refused = cmp.refused.set_index("item")
    assert list(refused["status"]) == ["not_comparable", "new", "dropped"]
    assert "time horizon" in refused.loc["intention_stay", "note"]
    assert "2026" in refused.loc["mp_heard", "note"]
    assert "removed in 2026" in refused.loc["info_sources", "note"]
    assert refused[["estimate_a", "estimate_b", "difference", "p_value"]].isna().all().all()
    assert cmp.wave_estimates.empty


def test_items_by_key_grid_source_name_and_column(designs, xw) -> None:
    """A grid id expands to its rows; a source column or key follows the crosswalk."""
    grid = sk.compare(designs, ["pulse"], crosswalk=xw).to_frame()
    assert list(grid["item"]) == ["pulse.good_feeling", "pulse.admire_respect", "pulse.trust",
                                  "pulse.overall_reputation"]
    by_source = _row(sk.compare(designs, ["impression5"], crosswalk=xw), "impression5")
    by_key = _row(sk.compare(designs, ["impression"], crosswalk=xw), "impression")
    assert by_source["difference"] == by_key["difference"]
    dropped = sk.compare(designs, ["info_sources__posters"], crosswalk=xw).to_frame()
    assert dropped["status"].tolist() == ["dropped"]
    plain = _row(sk.compare(designs, ["duration_s"], crosswalk=xw), "duration_s")
    assert plain["status"] == "unlisted" and bool(plain["comparable"])


def test_index_columns_inherit_the_least_comparable_status(frames, xw) -> None:
    """'attributes' contains the reworded meeting_places row: approximate, no dagger.

    The trend break is marked on the meeting_places row itself; the index row carries only
    its own (inherited) status.
    """
    def with_indices(f: pd.DataFrame, version: str) -> sk.SurveyDesign:
        attr = [c for c in f.columns if c.startswith("attr_")]
        rows = f[attr].astype(float).where(f[attr] != 98)
        pulse = f[["pulse_feeling", "pulse_admire", "pulse_trust", "pulse_reputation"]]
        return sk.SurveyDesign(f.assign(attributes=rows.mean(axis=1),
                                        pulse=pulse.astype(float).where(pulse != 98)
                                        .mean(axis=1)), weights="w")

    designs = {k: with_indices(f, k) for k, f in frames.items()}
    t = sk.compare(designs, ["attributes", "pulse"], crosswalk=xw).to_frame().set_index("item")
    assert t.loc["attributes", "status"] == "approximate"
    assert t.loc["attributes", "flags"] == "approximate"
    assert "meeting_places" in t.loc["attributes", "note"]
    assert t.loc["pulse", "status"] == "identical" and t.loc["pulse", "flags"] == ""


def test_table_columns_and_wave_estimates(designs, xw) -> None:
    """Fixed columns; wave_estimates mark the trend break on the newer wave only."""
    cmp = sk.compare(designs, ["impression", "pulse.trust"], crosswalk=xw)
    assert list(cmp.to_frame().columns) == COLUMNS
    est = cmp.wave_estimates
    assert list(est["wave"]) == ["2024", "2026", "2024", "2026"]
    assert list(est["trend_break"]) == [False, True, False, False]
    assert (est["ci_low"] < est["estimate"]).all() and (est["estimate"] < est["ci_high"]).all()
    assert cmp.crosswalk == "reputation@1.0.0 -> reputation@2.0.0"
    assert "crosswalk reputation@1.0.0" in cmp._repr_html_()
    assert "impression" in repr(cmp)


def test_stacked_design_is_harmonised_row_by_row(frames, xw) -> None:
    """A stacked design (wave column) gives what the dict path with overlapping gives."""
    a, b = frames["2024"], frames["2026"]
    stacked = sk.SurveyDesign(pd.concat([a.assign(round="2024"), b.assign(round="2026")],
                                        ignore_index=True), weights="w")
    one = sk.compare(stacked, ["impression", "recommend_live"], crosswalk=xw, wave="round")
    two = sk.compare({"2024": sk.SurveyDesign(a, weights="w"),
                      "2026": sk.SurveyDesign(b, weights="w")},
                     ["impression", "recommend_live"], crosswalk=xw, samples="overlapping")
    cols = ["estimate_a", "estimate_b", "difference", "se_difference"]
    np.testing.assert_allclose(one.to_frame()[cols], two.to_frame()[cols], rtol=1e-12)
    assert one.samples == "overlapping"


def test_crosswalk_on_the_newer_wave_is_an_error(designs, xw) -> None:
    with pytest.raises(ValueError, match=r"looks like reputation@2\.0\.0 data"):
        sk.compare(designs, ["impression"], crosswalk={"2024": xw, "2026": xw})


def test_inputs_are_not_modified(designs, frames, xw) -> None:
    before = {k: d.data.copy() for k, d in designs.items()}
    sk.compare(designs, ["impression", "pulse", "education"], crosswalk=xw)
    for k, d in designs.items():
        pd.testing.assert_frame_equal(d.data, before[k])
        assert "impression7" not in frames["2024"].columns


def test_unknown_item_is_named(designs, xw) -> None:
    with pytest.raises(KeyError, match="'trust_idx'"):
        sk.compare(designs, ["trust_idx"], crosswalk=xw)


def test_same_version_waves_with_the_instrument(xw) -> None:
    """No crosswalk: the instrument gives missing codes (98 leaves the base) and the
    multi-select options (one share per substantive option, among those asked)."""
    a = generate_responses(xw.target, 300, seed=31, wave="2026", year=2026)
    b = generate_responses(xw.target, 300, seed=32, wave="2026", year=2026)
    designs = {"x": sk.SurveyDesign(a, weights=np.ones(len(a))),
               "y": sk.SurveyDesign(b, weights=np.ones(len(b)))}
    cmp = sk.compare(designs, ["impression", "mp_concepts"], instrument=xw.target)
    t = cmp.to_frame()
    imp = t[t["item"] == "impression"].iloc[0]
    x7 = a["impression7"].where(a["impression7"] != 98).astype(float)
    assert imp["measure"] == "mean" and imp["status"] == "identical"
    assert imp["estimate_a"] == pytest.approx(x7.mean(), rel=1e-12)
    assert imp["n_a"] == x7.notna().sum()
    multi = t[t["item"] == "mp_concepts"]
    assert list(multi["level"]) == ["open_evening_venue", "activity_night",
                                    "newcomer_networking", "outdoor_meetup", "none"]
    shown = a["mp_concepts__activity_night"].notna()
    assert multi["n_a"].iloc[1] == shown.sum()
    assert multi["estimate_a"].iloc[1] == pytest.approx(
        a.loc[shown, "mp_concepts__activity_night"].astype(float).mean(), rel=1e-12)


def test_scores_from_scale_score_and_index_scores(frames, xw) -> None:
    """Index scores (sk.index_scores) and a user scale (sk.scale_score) per wave."""
    trust = ["pulse.good_feeling", "pulse.trust"]

    def scored(f: pd.DataFrame, inst: sk.Instrument) -> sk.SurveyDesign:
        extra = sk.index_scores(f, inst).assign(
            trust_index=sk.scale_score(f, trust, instrument=inst))
        return sk.SurveyDesign(f.join(extra), weights="w")

    designs = {"2024": scored(frames["2024"], xw.source),
               "2026": scored(frames["2026"], xw.target)}
    t = sk.compare(designs, ["pulse", "attributes", "trust_index"],
                   crosswalk=xw).to_frame().set_index("item")
    assert t.loc["pulse", "status"] == "identical"
    assert t.loc["attributes", "status"] == "approximate"
    assert t.loc["trust_index", "status"] == "unlisted"
    score = designs["2026"].data["trust_index"]
    assert t.loc["trust_index", "estimate_b"] == pytest.approx(
        np.average(score.dropna(), weights=designs["2026"].data.loc[score.notna(), "w"]))
