"""Wave columns of sk.banner (two reputation waves through the crosswalk), codes nobody
has, attention checks, and the Likert mean row.

The wave letters must say what the comparison of the waves says: the same p-value as
sk.compare for the same item and row (its measure: shares, mean, POMP mean or NPS).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.banner._rows import resolve_rows
from surveykit.banner._waves import wave_columns, wave_tests

ROWS = ["impression", "recommend_live", "pulse.trust", "attributes.jobs", "mp_heard"]


def _wave(inst: sk.Instrument, n: int, seed: int, wave: str, year: int) -> pd.DataFrame:
    frame = sk.generate_responses(inst, n=n, seed=seed, wave=wave, year=year)
    keep = frame["status"].eq("complete") if "status" in frame else np.ones(len(frame), bool)
    out = frame.loc[keep].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    return out.assign(w=rng.uniform(0.5, 2.0, len(out)))


@pytest.fixture(scope="module")
def xw() -> sk.Crosswalk:
    return sk.load_crosswalk("reputation", "1.0.0", "2.0.0")


@pytest.fixture(scope="module")
def waves(xw: sk.Crosswalk) -> dict[str, sk.SurveyDesign]:
    old = _wave(xw.source, 400, 11, "2024", 2025)
    new = _wave(xw.target, 450, 12, "2026", 2026)
    return {"2024": sk.SurveyDesign(old, weights="w"), "2026": sk.SurveyDesign(new, weights="w")}


@pytest.fixture(scope="module")
def table(waves: dict[str, sk.SurveyDesign], xw: sk.Crosswalk) -> sk.BannerTable:
    return sk.banner(waves["2026"], rows=ROWS, banner=["wave", "sex"], instrument=xw.target,
                     waves=waves, crosswalk=xw, language="en", min_base=0)


def _cells(table: sk.BannerTable, item: str, wave: str) -> pd.DataFrame:
    f = table.to_frame()
    return f[(f.row_variable == item) & (f.banner_category == wave)].reset_index(drop=True)


def test_wave_columns_come_where_banner_names_them_with_their_own_letters(table):
    cols = table.columns
    assert cols["banner_variable"].tolist()[:3] == ["total", "wave", "wave"]
    assert cols["banner_category"].tolist()[1:3] == ["2024", "2026"]
    assert cols["banner_label"].iloc[1] == "Wave"
    assert cols["column_letter"].tolist()[1:4] == ["A", "B", "C"]  # sex follows: C, D...
    f = table.to_frame()
    assert set("".join(f.loc[f.banner_variable == "wave", "letters"])) <= set("ABab")


def test_each_wave_column_is_that_wave_on_its_own_design(table, waves, xw):
    # the newest wave's column is the total; the older one is svymean on its design
    new = _cells(table, "pulse.trust", "2026")
    total = table.to_frame().query("row_variable == 'pulse.trust' and banner_variable == "
                                   "'total'").reset_index(drop=True)
    np.testing.assert_allclose(new["estimate"], total["estimate"], rtol=1e-12)
    old = _cells(table, "pulse.trust", "2024")
    data = xw.apply(waves["2024"].data).data
    y = data["pulse_trust"].where(data["pulse_trust"] != 98)
    share = sk.mean(sk.SurveyDesign(data.assign(top=(y >= 6).astype(float).where(y.notna())),
                                    weights="w"), "top", nan_policy="omit")
    top2 = old.loc[old.row_category == "Top 2 (net)", "estimate"].iloc[0]
    assert top2 == pytest.approx(100 * float(share.estimate[0]), rel=1e-12)
    assert old["base_unweighted"].iloc[0] == int(y.notna().sum())


@pytest.mark.parametrize(("item", "measure", "kind"), [
    ("pulse.trust", "proportion", "category"),   # every share
    ("attributes.jobs", "mean", "mean"),         # the mean of the codes
    ("impression", "mean_pomp", "mean"),         # 5 -> 7 points: POMP, same test as the mean
    ("recommend_live", "nps", "nps"),            # 1-11 stored codes -> 0-10
])
def test_wave_letters_have_the_p_value_of_compare(waves, xw, item, measure, kind):
    (q,) = resolve_rows(waves["2026"].data, [item], xw.target, None, "top2", "en")
    wc = wave_columns(waves["2026"], waves, xw, "en")
    pairs, diff, p = wave_tests(q, wc)
    assert pairs == ((0, 1),)
    cmp = sk.compare(waves, [item], crosswalk=xw, measure=measure).to_frame()
    rows = [i for i, r in enumerate(q.rows) if r.kind == kind]
    assert len(rows) == len(cmp)
    np.testing.assert_allclose(p[rows, 0], cmp["p_value"], rtol=1e-9)
    # the banner's difference is 2024 - 2026 in its own units; compare's 2026 - 2024
    # (shares 0-1; POMP: 100 / 6 per code of the 1-7 scale)
    factor = {"proportion": 100.0, "mean": 1.0, "mean_pomp": 6.0 / 100.0, "nps": 1.0}
    np.testing.assert_allclose(-diff[rows, 0], cmp["difference"] * factor[measure],
                               rtol=1e-9)


def test_rows_the_crosswalk_forbids_or_a_wave_lacks_are_empty_with_a_note(table):
    imp = _cells(table, "impression", "2024")
    assert imp.loc[imp.row_kind != "mean", "estimate"].isna().all()
    assert imp.loc[imp.row_kind == "mean", "estimate"].notna().all()
    assert (imp["letters"] == "").all()
    heard = _cells(table, "mp_heard", "2024")
    assert heard["estimate"].isna().all() and (heard["base_unweighted"] == 0).all()
    assert _cells(table, "mp_heard", "2026")["estimate"].notna().all()
    notes = " ".join(table.notes)
    assert "impression, wave 2024: the shares, the nets not shown" in notes
    assert "mp_heard: not in wave 2024" in notes
    assert "impression: only approximately comparable between waves" in notes
    assert "independent samples" in notes and "crosswalk" in notes


def test_wave_arguments_are_checked(waves, xw):
    d = waves["2026"]
    with pytest.raises(ValueError, match="'design' must be one of the designs in 'waves'"):
        sk.banner(d, rows=["pulse.trust"], banner=["sex"], instrument=xw.target,
                  waves={"2024": waves["2024"], "copy": sk.SurveyDesign(d.data, weights="w")},
                  crosswalk=xw)
    with pytest.raises(ValueError, match="pass waves="):
        sk.banner(d, rows=["pulse.trust"], banner=["sex"], instrument=xw.target, crosswalk=xw)
    with pytest.raises(TypeError, match="at least two waves"):
        sk.banner(d, rows=["pulse.trust"], banner=["sex"], instrument=xw.target,
                  waves={"2026": d})


def test_codes_nobody_has_are_no_columns_and_letters_run_on(waves, xw):
    d = waves["2026"]
    inside = d.subset(d.data["municipality"].ne(9999).to_numpy())
    bt = sk.banner(inside, rows=["pulse.trust"], banner=["municipality", "sex"],
                   instrument=xw.target, language="en", min_base=0)
    cols = bt.columns
    shown = cols.loc[cols.banner_variable == "municipality", "banner_category"].tolist()
    assert "Another municipality" not in shown and len(shown) == 4
    assert cols["column_letter"].tolist()[1:] == [chr(65 + i) for i in range(len(cols) - 1)]
    f = bt.to_frame()
    assert set(f["column_letter"]) == set(cols["column_letter"])
    assert (f.loc[f.banner_variable != "total", "base_unweighted"].groupby(
        f["banner_category"]).max() > 0).all()


def test_a_grid_leaves_out_its_attention_check_as_the_study_does(waves, xw):
    bt = sk.banner(waves["2026"], rows=["attributes"], banner=["sex"], instrument=xw.target,
                   language="en")
    items = bt.frame["row_variable"].unique().tolist()
    assert "attributes.attention" not in items and len(items) == 8
    named = sk.banner(waves["2026"], rows=["attributes.attention"], banner=["sex"],
                      instrument=xw.target, language="en")
    assert named.frame["row_variable"].unique().tolist() == ["attributes.attention"]
