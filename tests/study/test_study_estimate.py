"""Stage 5 estimates: every item mean and index score on its own available cases."""

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.study._estimate import ItemPlan, estimate_wave
from surveykit.study._model import AnalysisSpec


@pytest.fixture
def design() -> sk.SurveyDesign:
    rng = np.random.default_rng(7)
    n = 60
    data = pd.DataFrame({
        "a.num": rng.integers(1, 6, n).astype(float),
        "b.num": rng.integers(1, 8, n).astype(float),
        "region": rng.choice(["north", "south"], n),
        "w": rng.uniform(1, 3, n),
    })
    a, b = data["a.num"].to_numpy(copy=True), data["b.num"].to_numpy(copy=True)
    a[:12] = np.nan       # a and b missing on different rows: listwise deletion would
    b[40:55] = np.nan     # leave 33 rows for both
    data["a.num"], data["b.num"] = a, b
    return sk.SurveyDesign(data, weights="w")


@pytest.mark.parametrize("domain", [None, "region"])
def test_item_means_use_each_items_available_cases(design, domain):
    plan = ItemPlan(categorical=(), multi=(), numeric=("a", "b"))
    spec = AnalysisSpec(domains=(domain,) if domain else ())
    blocks = [b for b in estimate_wave(design, "w1", plan, [], spec)
              if b.kind == "mean" and b.domain == domain]
    got = blocks[0].table.to_frame()
    for var in ("a.num", "b.num"):
        alone = sk.mean(design, var, by=domain, nan_policy="omit").to_frame()
        rows = got[got["variable"] == var].reset_index(drop=True)
        np.testing.assert_allclose(rows["estimate"], alone["estimate"], rtol=1e-12)
        np.testing.assert_allclose(rows["se"], alone["se"], rtol=1e-12)
        assert rows["n"].tolist() == alone["n"].tolist()
    if domain is None:
        assert got["n"].tolist() == [48, 45]
    else:  # domain-major rows, as a multi-variable table
        assert got["region"].tolist() == ["north", "north", "south", "south"]


def test_index_scores_use_each_indexs_available_cases(design):
    plan = ItemPlan(categorical=(), multi=(), numeric=())
    block = estimate_wave(design, "w1", plan, ["a.num", "b.num"], AnalysisSpec())[0]
    assert block.kind == "index"
    assert block.table.n.tolist() == [48, 45]


def _plan(measures: dict | None = None) -> ItemPlan:
    from surveykit.study._estimate import plan_items

    inst = sk.load_instrument("reputation", version="1.0.0")
    return plan_items(inst, AnalysisSpec(measures=measures or {}),
                      pd.Index(inst.data_columns))


def test_means_only_for_interval_items_shares_for_every_category():
    plan = _plan()
    assert {"education", "stay_2y", "sex", "municipality"}.isdisjoint(plan.numeric)
    assert {"age", "impression5", "pulse_feeling", "attr_jobs"} <= set(plan.numeric)
    # 1.0.0 stored the 0-10 recommendation answers as positions 1-11: no mean of the codes
    assert {"recommend_live", "recommend_work"}.isdisjoint(plan.numeric)
    assert {"recommend_live", "recommend_work"} <= set(plan.categorical)
    assert {"education", "stay_2y", "pulse_feeling"} <= set(plan.categorical)


def test_the_studys_measures_override_the_instrument():
    plan = _plan({"education": "interval", "pulse": "ordinal", "age": "ordinal"})
    assert "education" in plan.numeric
    assert not {"pulse_feeling", "pulse_trust", "age"} & set(plan.numeric)


def test_unknown_item_under_measures_is_refused():
    from surveykit.errors import StudyError
    from surveykit.study._estimate import check_measures

    inst = sk.load_instrument("reputation", version="1.0.0")
    with pytest.raises(StudyError, match=r"analysis.measures: \['educaton'\]"):
        check_measures(AnalysisSpec(measures={"educaton": "nominal"}), [inst])


@pytest.mark.parametrize("domain_name", ["region", "kind"])
def test_blocks_frame_stacks_the_blocks_with_their_leading_columns(design, domain_name):
    from surveykit.study._estimate import Block, blocks_frame

    data = design.data.rename(columns={"region": domain_name})
    d = sk.SurveyDesign(data, weights="w")
    shares = sk.proportion(d, domain_name)
    blocks = [Block("w1", "mean", "a", None, sk.mean(d, "a.num", nan_policy="omit")),
              Block("w1", "mean", "a", domain_name,
                    sk.mean(d, "a.num", by=domain_name, nan_policy="omit")),
              Block("w2", "frequency", domain_name, None, shares)]
    if domain_name == "region":  # a domain table filed without its domain keeps its column
        blocks.append(Block("w2", "mean", "a", None,
                            sk.mean(d, "a.num", by=domain_name, nan_policy="omit")))
    got = blocks_frame(blocks)
    parts = []
    for b in blocks:  # one block at a time, as a reader would put them together
        f = b.table.to_frame()
        if "level" in f.columns:
            f["level"] = [str(v) for v in f["level"].astype(object)]
        levels = (["(all)"] * len(f) if b.domain is None
                  else [str(v) for v in f.pop(b.domain).astype(object)])
        head = pd.DataFrame({"wave": b.wave, "kind": b.kind, "key": b.key,
                             "domain": b.domain or "(all)", "domain_level": levels})
        parts.append(pd.concat([head, f], axis=1))
    want = pd.concat(parts, ignore_index=True)
    want["level"] = want["level"].astype(object).where(want["level"].notna(), "")
    pd.testing.assert_frame_equal(got, want)
    assert got["domain_level"].tolist()[:3] == ["(all)", "north", "south"]
