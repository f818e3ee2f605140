"""The demo study's baseline (2024, reputation 1.0.0) against 2026 (2.0.0): does compare
recover the shifts the synthetic generator planted?

Both waves are cleaned as an analyst would (completes only, no duplicates, speeders,
straightliners or respondents outside the four municipalities) and raked to the population
margins of their year (municipality, age group, sex; respondents who gave another or no
gender keep their sample share). The generator shifted the latent traits behind the four
RepTrak Pulse rows (0.3 SD) and behind attributes.meeting_places (0.4 SD); its
``known_effects`` are the implied population differences of the item means. Everything
else is unchanged by construction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import surveykit as sk
from surveykit.datasets import generate_responses, load_population
from surveykit.datasets._demo import DEMO_SHIFTS, demo_frames

SEED = 20260301
ITEMS = ["impression", "recommend_live", "recommend_work", "pulse", "attributes", "education",
         "intention_stay", "mp_heard", "info_sources"]
KOMMUNE = {3403: "Hamar", 3411: "Ringsaker", 3412: "Løten", 3413: "Stange"}


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Completes in the target population without the planted quality problems."""
    flags = frame.attrs["surveykit.synthetic"]["flags"]
    bad = set().union(*(flags[k] for k in ("duplicate", "speeder", "straightliner",
                                           "outside_universe", "partial")))
    keep = (~frame["respondent_id"].isin(bad) & (frame["status"] == "complete")
            & frame["municipality"].isin(list(KOMMUNE)))
    out = frame.loc[keep].reset_index(drop=True)
    return out.assign(
        kommune=out["municipality"].map(KOMMUNE).astype(str),
        age_group=pd.cut(out["age"], [19, 24, 29, 34, 39, 40],
                         labels=["20-24", "25-29", "30-34", "35-39", "40"]).astype(str),
        sex_group=out["sex"].map({1: "male", 2: "female"}).fillna("other").astype(str))


def raked_design(frame: pd.DataFrame, year: int) -> sk.SurveyDesign:
    """Rake base weights (all 1) to the margins of ``year`` (SSB 07459, 1 January)."""
    f = clean(frame)
    pop = load_population(year)
    other = float((f["sex_group"] == "other").mean())
    sex = pop.groupby("sex")["count"].sum() * (1 - other)
    sex["other"] = pop["count"].sum() * other
    margins = {"kommune": pop.groupby("kommune")["count"].sum(),
               "age_group": pop.groupby("age_group")["count"].sum(), "sex_group": sex}
    return sk.rake(sk.SurveyDesign(f, weights=np.ones(len(f))), margins)


@pytest.fixture(scope="module")
def demo() -> tuple[sk.ComparisonTable, dict[str, float]]:
    waves, _ = demo_frames(SEED)
    (_, base), (_, follow) = waves[0], waves[1]
    designs = {"2024": raked_design(base, 2025), "2026": raked_design(follow, 2026)}
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    known = {e["item_id"]: e["difference"]
             for e in follow.attrs["surveykit.synthetic"]["known_effects"]}
    return sk.compare(designs, ITEMS, crosswalk=xw), known


def test_shifted_items_are_recovered(demo) -> None:
    """Every shifted item rises significantly after BH adjustment, and no known effect lies
    outside its 99.9 % interval.

    With this seed the 2024 Pulse level sits about 2.3 SD (of its spread over seeds) above
    its average, and the four Pulse rows share one latent factor, so the known effect lies
    inside the 95 % interval for three of the five items (good_feeling, admire_respect,
    meeting_places) and just outside for trust and overall_reputation. The calibration of
    the 95 % intervals is checked over replications in ``test_known_effects_coverage``.
    """
    cmp, known = demo
    t = cmp.to_frame().set_index("item")
    assert set(known) == {"pulse.good_feeling", "pulse.admire_respect", "pulse.trust",
                          "pulse.overall_reputation", "attributes.meeting_places"}
    for item, effect in known.items():
        row = t.loc[item]
        assert row["difference"] > 0 and row["p_adjusted"] < 0.05, item
        z = (row["difference"] - effect) / row["se_difference"]
        assert abs(z) < stats.norm.ppf(0.9995), (item, z)
    assert t.loc["attributes.meeting_places", "flags"] == "approximate, trend_break"


def test_unchanged_items_are_mostly_not_significant(demo) -> None:
    """Items the generator left alone (identical, recoded or transformed) are not significant
    after BH adjustment, except at most one.
    """
    cmp, known = demo
    t = cmp.to_frame()
    null = t[t["comparable"] & ~t["item"].isin(list(known)) & (t["status"] != "approximate")]
    # 2 NPS items, 7 attribute rows (the grid id leaves out its attention check), and
    # education, an ordered category compared as the share in each of its 5 levels
    assert len(null) == 14
    assert "attributes.attention" not in set(t["item"])
    assert (null.loc[null["item"] == "education", "measure"] == "proportion").sum() == 5
    assert int((null["p_adjusted"] < 0.05).sum()) <= 1


def test_incomparable_items_are_refused(demo) -> None:
    cmp, _ = demo
    refused = cmp.refused.set_index("item")["status"].to_dict()
    assert refused == {"intention_stay": "not_comparable", "mp_heard": "new",
                       "info_sources": "dropped"}


@pytest.mark.slow
def test_known_effects_coverage() -> None:
    """Over 20 independent pairs of demo-sized waves (seeds 1000+r and 2000+r), the 95 %
    intervals cover the known effects at close to the nominal rate and the standardised
    errors ``(difference - known) / se`` are centred on zero."""
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    covered, z = [], []
    for r in range(20):
        a = generate_responses(xw.source, 1200, seed=1000 + r, wave="2024", year=2025)
        b = generate_responses(xw.target, 1500, seed=2000 + r, wave="2026", year=2026,
                               shifts=DEMO_SHIFTS)
        known = {e["item_id"]: e["difference"]
                 for e in b.attrs["surveykit.synthetic"]["known_effects"]}
        t = sk.compare({"2024": raked_design(a, 2025), "2026": raked_design(b, 2026)},
                       list(known), crosswalk=xw).to_frame().set_index("item")
        for item, effect in known.items():
            covered.append(t.loc[item, "ci_low"] <= effect <= t.loc[item, "ci_high"])
            z.append((t.loc[item, "difference"] - effect) / t.loc[item, "se_difference"])
    assert np.mean(covered) >= 0.85
    assert abs(np.mean(z)) < 0.5 and 0.7 < np.std(z) < 1.3
