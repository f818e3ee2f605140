"""Plan files: the model, compute_plan on a weighted design, the appendix section, the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

import surveykit as sk
from surveykit.cli import main
from surveykit.study import PlanFile, add_plan_section, bundled_studies, load_plan_file
from surveykit.study._plan import compute_plan

PLAN = {
    "schema": "surveykit.plan/1", "id": "p", "title": {"nb": "Plan", "en": "Plan"},
    "study": "study.yaml", "baseline": "1", "next_wave": "2", "domain": "area",
    "net_n": 600,
    "targets": [
        {"id": "top", "share": {"column": "score", "codes": [6, 7]}, "change": 0.08},
        {"id": "score_mean", "mean": "score", "change": 0.3},
    ],
    "allocations": [{"method": "proportional"}, {"method": "equal"},
                    {"method": "minimum", "minimum": 120}],
    "report": {"language": "en", "outputs": ["html"]},
}


@pytest.fixture(scope="module")
def baseline():
    rng = np.random.default_rng(11)
    n = 900
    frame = pd.DataFrame({
        "area": rng.choice(["a", "b", "c"], n, p=[0.6, 0.3, 0.1]),
        "score": rng.integers(1, 8, n).astype(float),
        "w": rng.uniform(0.5, 2.5, n),
    })
    return sk.SurveyDesign(frame, weights="w")


@pytest.fixture(scope="module")
def result(baseline):
    p = PlanFile.model_validate(PLAN)
    pop = pd.Series({"a": 12000.0, "b": 6000.0, "c": 1500.0})
    return compute_plan(p, baseline, pop, dispositions={"I": 900, "R": 500, "NC": 1600},
                        labels={"a": "A-by"})


def test_allocations_add_up_and_power_uses_the_stated_deff(result, baseline):
    alloc = result.allocations
    body = alloc[alloc["stratum"] != "(all)"]
    assert (body.groupby("allocation")["n"].sum() == 600).all()
    assert body.loc[body["allocation"] == "minimum 120", "n"].min() >= 120
    assert (body["gross"] == np.ceil(body["n"] / 0.3)).all()
    row = result.power.query("allocation == 'equal' and target == 'top'").iloc[0]
    kish = alloc.query("allocation == 'equal' and stratum == '(all)'")["kish_deff"].iloc[0]
    base = sk.plan.from_baseline(baseline, shares={"top": ("score", [6, 7])})
    deff = base.value("deff", item="top") * kish
    assert row["deff"] == pytest.approx(deff, rel=1e-12)
    assert row["power"] == pytest.approx(sk.plan.power_for_change(
        600, 0.08, p1=base.value("estimate", item="top"), deff=deff), rel=1e-12)
    assert row["n_needed"] == sk.plan.n_for_change(
        0.08, p1=base.value("estimate", item="top"), deff=deff)
    total = alloc.query("allocation == 'equal' and stratum == '(all)'")["power_top"].iloc[0]
    assert total == pytest.approx(row["power"], rel=1e-12)
    # a municipality's power: its own n in both waves, its level and Kish deff
    by_area = sk.plan.from_baseline(baseline, domain="area", shares={"top": ("score", [6, 7])})
    c = alloc.query("allocation == 'equal' and stratum == 'c'").iloc[0]
    assert c["power_top"] == pytest.approx(sk.plan.power_for_change(
        c["n"], 0.08, p1=by_area.value("estimate", "c", "top"),
        deff=by_area.value("kish_deff", "c")), rel=1e-12)


def test_recommendation_follows_the_stated_rule(result):
    detects = result.power.groupby("allocation")["detects"].all()
    body = result.allocations[result.allocations["stratum"] != "(all)"]
    worst = body.groupby("allocation")["margin_top"].max()
    candidates = worst[detects[worst.index]]
    if candidates.empty:
        assert result.recommended is None
    else:
        assert result.recommended == candidates.idxmin()


def test_section_and_outputs(result, tmp_path):
    app = sk.report.Appendix(title="Plan", language="nb")
    add_plan_section(app, result)
    kinds = [e.kind for e in app.outline()]
    assert kinds.count("figure") == 1 and kinds.count("table") >= 6
    from surveykit.study._plan_report import write_plan_outputs

    files = write_plan_outputs(result, tmp_path, title="Plan", outputs=("html",))
    names = sorted(f.name for f in files)
    assert names == ["plan.html", "plan_allocations.csv", "plan_curves.csv",
                     "plan_inputs.csv", "plan_power.csv", "plan_strata.csv"]
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    # the plan's language is English here; the section above was built in Norwegian
    assert "proportional" in html and "A-by" in html and "Power to detect" in html


@pytest.mark.parametrize(("change", "match"), [
    ({"targets": [{"id": "t", "mean": "x", "change": 0}]}, "change' is 0"),
    ({"allocations": [{"method": "minimum"}]}, "needs 'minimum'"),
    ({"allocations": [{"method": "neyman", "target": "nope"}]}, "nope"),
    ({"adjustment": "bh"}, "expected_rejections"),
    ({"power": 1.0}, "power"),
])
def test_plan_file_errors(tmp_path, change, match):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({**PLAN, **change}), encoding="utf-8")
    with pytest.raises(sk.StudyError, match=match):
        load_plan_file(path)


def test_plan_file_that_is_not_yaml_names_the_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("id: p\nnet_n: [600\n", encoding="utf-8")
    with pytest.raises(sk.StudyError, match="not valid YAML") as err:
        load_plan_file(path)
    assert err.value.problems[0]["file"] == str(path)  # as a study file's error
    with pytest.raises(sk.StudyError, match=r"plan file .* does not exist"):
        load_plan_file(tmp_path / "missing.yaml")


def test_bundled_plan_is_valid():
    p = load_plan_file(bundled_studies()["reputation_2026"].parent / "plan.yaml")
    assert p.baseline == "2024" and p.domain == "municipality"
    assert {t.change for t in p.targets} == {0.05, 0.2}


@pytest.mark.slow
def test_cli_runs_the_bundled_plan(reputation_appendix, tmp_path, capsys):
    plan = bundled_studies()["reputation_2026"].parent / "plan.yaml"
    code = main(["plan", str(plan), "--out", str(tmp_path), "--format", "html",
                 "--data-root", str(reputation_appendix.data_root), "--allow-outside"])
    assert code == 0
    out = capsys.readouterr().out
    assert "recommended: bankier q=0.5" in out
    power = pd.read_csv(tmp_path / "tables" / "plan_power.csv")
    assert set(power["target"]) == {"pulse_feeling_t2b", "pulse_feeling_mean"}
    alloc = pd.read_csv(tmp_path / "tables" / "plan_allocations.csv", dtype={"stratum": str})
    loten = alloc[alloc["stratum"] == "3412"]
    assert len(loten) == 5 and (loten["margin_pulse_feeling_t2b"] > 0).all()
    assert (tmp_path / "plan.html").is_file()
