"""table() of a wave comparison: both waves, change, adjusted p, bases, trend-break notes."""

import numpy as np
import pytest

import surveykit as sk
from surveykit import report


@pytest.fixture(scope="module")
def comparison():
    old = sk.load_instrument("reputation", version="1.0.0")
    new = sk.load_instrument("reputation", version="2.0.0")
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    designs = {}
    for wave, inst, seed in (("2024", old, 11), ("2026", new, 12)):
        df = sk.generate_responses(inst, 300, seed=seed, wave=wave, quality=False)
        df["w"] = 1.0
        designs[wave] = sk.SurveyDesign(df, weights="w")
    cmp = sk.compare(designs, ["impression", "attributes.meeting_places", "pulse.trust"],
                     crosswalk=xw, instrument=new)
    return new, cmp


def test_comparison_table_nb(comparison):
    inst, cmp = comparison
    t = cmp.to_frame()
    ft = report.table(cmp, instrument=inst, language="nb")
    cols = ft.display.columns.tolist()
    assert cols[-5:] == ["Endring", "KI endring", "Justert p", "n 2024", "n 2026"]
    broken = t["flags"].fillna("").str.contains("trend_break").to_numpy()
    assert broken.any()
    marked = ft.display["Spørsmål"].str.endswith("†").to_numpy()
    assert marked.tolist() == broken.tolist()
    assert any(n.startswith("† Brudd i tidsserien") for n in ft.notes)
    assert any("Benjamini–Hochberg" in n for n in ft.notes)
    ok = ~ft.suppressed & t["comparable"].astype(bool).to_numpy()
    assert ft.numeric.loc[ok, "Justert p"].to_numpy() == pytest.approx(
        t.loc[ok, "p_adjusted"].to_numpy())
    assert all("," in s or s.startswith("<") for s in ft.display.loc[ok, "Justert p"])
    label = inst.variables_of("pulse.trust")[0].text["nb"]
    assert label in ft.display["Spørsmål"].tolist()


def test_comparison_small_bases_suppressed(comparison):
    inst, cmp = comparison
    t = cmp.to_frame()
    threshold = int(np.nanmin(np.fmin(t["n_a"], t["n_b"]))) + 1
    ft = report.table(cmp, instrument=inst, language="en", suppress_below=threshold)
    assert ft.suppressed.any()
    assert (ft.display.loc[ft.suppressed, "Change"] == ":").all()
    assert ft.numeric.loc[ft.suppressed, "Change"].isna().all()


def test_index_rows_labelled_by_the_index_with_their_own_marker():
    """'pulse' is both a grid and an index: the index row says what it estimates."""
    old = sk.load_instrument("reputation", version="1.0.0")
    new = sk.load_instrument("reputation", version="2.0.0")
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    designs = {}
    for wave, inst, seed in (("2024", old, 21), ("2026", new, 22)):
        df = sk.generate_responses(inst, 200, seed=seed, wave=wave, quality=False)
        scores = sk.index_scores(df, inst)
        designs[wave] = sk.SurveyDesign(df.join(scores).assign(w=1.0), weights="w")
    cmp = sk.compare(designs, ["pulse", "attributes"], crosswalk=xw, instrument=new)
    ft = report.table(cmp, instrument=new, language="nb")
    labels = ft.display["Spørsmål"].tolist()
    pulse, attributes = (next(i for i in new.indices if i.id == k) for k in
                         ("pulse", "attributes"))
    assert labels == [pulse.label["nb"], attributes.label["nb"] + " ‡"]
    assert not any("†" in n for n in ft.notes)
