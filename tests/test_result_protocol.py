"""Every public result class follows the one result protocol of ``surveykit/_result.py``.

``to_frame()`` and ``summary()`` return DataFrames, ``_repr_html_()`` and ``repr`` return
text, and results with confidence limits answer ``confidence_interval()`` at any level.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingestion._ingestion_fixtures import instrument, valid_answers
from participation.participation_fixtures import KEY, fixture_result, write_fixtures

import surveykit as sk
from surveykit._result import IntervalResult, Result
from surveykit.study import PlanFile, bundled_studies
from surveykit.study._estimate import Block
from surveykit.study._plan import compute_plan

PLAN = {
    "schema": "surveykit.plan/1", "id": "p", "title": {"nb": "Plan", "en": "Plan"},
    "study": "study.yaml", "baseline": "1", "next_wave": "2", "domain": "stype",
    "net_n": 120, "targets": [{"id": "score", "mean": "api00", "change": 20.0}],
    "allocations": [{"method": "proportional"}], "report": {"language": "en"},
}


@pytest.fixture(scope="module")
def design() -> sk.SurveyDesign:
    return sk.SurveyDesign(sk.load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")


def _estimation(d: sk.SurveyDesign) -> dict[str, object]:
    m = sk.mean(d, ["api00", "api99"])
    return {
        "EstimateTable": m, "contrast": sk.contrast(m, [1.0, -1.0]),
        "CrosstabTable": sk.crosstab(d, "stype", "sch.wide"),
        "MIEstimateTable": sk.mi_combine([m, sk.mean(d.with_columns(
            api00=d.data["api00"] + 1.0), ["api00", "api99"])]),
        "GLMResult": sk.glm(d, "api00 ~ ell"),
        "OrdinalGLMResult": sk.glm(d.with_columns(band=np.digitize(
            d.data["api00"], [600, 700]).astype(float)), "band ~ ell", family="ordinal"),
        "TTestResult": sk.ttest(d, "api00", by="sch.wide"),
        "nps": sk.nps(d.with_columns(score=(d.data["api00"] // 100).clip(0, 10)), "score"),
    }


def _others(d: sk.SurveyDesign, tmp: Path) -> dict[str, object]:
    old = sk.load_instrument("reputation", version="1.0.0")
    new = sk.load_instrument("reputation", version="2.0.0")
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    answers = tmp / "answers.csv"
    valid_answers().to_csv(answers, sep=";", index=False)
    responses = sk.read_responses(answers, instrument())
    files = write_fixtures(tmp / "participation")
    register = sk.EventRegister.load(files["register"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
        attendance = sk.read_attendance([files["signup"]], register)
    appendix = sk.report.Appendix(title="A", language="en")
    appendix.section("Method")
    study = sk.Study.load(bundled_studies()["reputation_2026"])
    return {
        "WeightDiagnostics": sk.weight_diagnostics(d),
        "Responses": responses, "ValidationReport": responses.report,
        "Accounting": responses.accounting,
        "InstrumentDiff": sk.diff_instruments(old, new),
        "LintReport": sk.lint_instruments(Path(__file__).parent / "instruments" / "fixtures"
                                          / "good"),
        "CrosswalkResult": xw.apply(sk.generate_responses(old, 20, seed=1)),
        "ComparisonTable": sk.compare({"a": d, "b": d}, ["api00", "sch.wide"]),
        "ReliabilityResult": sk.reliability(d.data, ["api00", "api99", "meals"]),
        "BannerTable": sk.banner(d, rows=["sch.wide"], banner=["stype"], language="en"),
        "Allocation": sk.plan.allocate({"A": 8000, "B": 2000}, 500),
        "Draw": sk.plan.draw(pd.DataFrame({"municipality": ["A"] * 6 + ["B"] * 4}),
                             {"A": 3, "B": 2}, seed=1),
        "BaselineInputs": sk.plan.from_baseline(d, domain="stype", means=["api00"]),
        "Appendix": appendix,
        "FormattedTable": sk.report.table(sk.mean(d, "api00")),
        "ParticipationResult": fixture_result(tmp / "participation-result"),
        "Attendance": attendance, "AttendanceAccounting": attendance.accounting,
        "StudyResult": sk.StudyResult(
            study=study, out=tmp, data_root=tmp, waves={}, designs={"1": d},
            estimates=[Block("1", "mean", "api00", None, sk.mean(d, "api00"))],
            files=[Path("tables/estimates.csv")]),
        "PlanResult": compute_plan(PlanFile.model_validate(PLAN), d,
                                   pd.Series({"E": 4421.0, "H": 755.0, "M": 1018.0})),
    }


@pytest.fixture(scope="module")
def results(design, tmp_path_factory) -> dict[str, object]:
    return {**_estimation(design), **_others(design, tmp_path_factory.mktemp("results"))}


def _public_result_classes() -> set[type]:
    """Classes that a public function of a public namespace says it returns."""
    participation = importlib.import_module("surveykit.participation")  # sk.participation:
    spaces = (sk, sk.plan, sk.report, sk.study, sk.instruments, participation)  # a function
    found: set[type] = set()
    for space in spaces:
        for name in space.__all__:
            obj = getattr(space, name)
            if not inspect.isfunction(obj):
                continue
            ann = str(inspect.signature(obj).return_annotation)
            for cand in re.findall(r"[A-Za-z_][\w.]*", ann):
                for where in spaces:
                    if cand in where.__all__ and isinstance(cls := getattr(where, cand), type):
                        found.add(cls)
    return found


def test_every_public_result_class_is_walked(results) -> None:
    walked = {type(r) for r in results.values()}
    not_results = {sk.Instrument, sk.Crosswalk, sk.ingestion.Deployment,
                   sk.report.Section, sk.study.PlanFile, sk.StudyFile, sk.InputLimits,
                   sk.instruments.Expression}
    missing = {c.__name__ for c in _public_result_classes() - not_results - walked}
    assert missing == set()
    assert len(walked) >= 25


def test_every_result_follows_the_protocol(results) -> None:
    for name, result in results.items():
        assert isinstance(result, Result), name
        frame, summary = result.to_frame(), result.summary()
        assert isinstance(frame, pd.DataFrame) and len(frame.columns), name
        assert isinstance(summary, pd.DataFrame) and len(summary.columns), name
        assert result.to_frame() is not frame, name  # a new frame each call
        shown = result._repr_html_()
        assert isinstance(shown, str) and shown.startswith("<"), name
        assert "<table" in shown or summary.empty, name
        assert isinstance(repr(result), str) and repr(result).strip(), name


def test_results_with_intervals_answer_confidence_interval(results) -> None:
    with_limits = {n for n, r in results.items() if isinstance(r, IntervalResult)}
    assert {"EstimateTable", "contrast", "CrosstabTable", "MIEstimateTable", "GLMResult",
            "OrdinalGLMResult", "TTestResult", "nps", "ComparisonTable"} <= with_limits
    for name in with_limits:
        result = results[name]
        frame = result.to_frame()
        low, high = result.confidence_interval()
        if "ci_low" in frame.columns:  # the table's own limits, in its row order
            np.testing.assert_allclose(low, frame["ci_low"].to_numpy(dtype=float),
                                       rtol=1e-12, err_msg=name)
        wide_low, wide_high = result.confidence_interval(0.99)
        ok = np.isfinite(low) & np.isfinite(wide_low) & np.isfinite(wide_high)
        assert ok.any() and (wide_low[ok] < low[ok]).all(), name
        assert (wide_high[ok] > high[ok]).all(), name
        normal_low, _ = result.confidence_interval(df=float("inf"))
        assert np.isfinite(normal_low[ok]).all(), name
        assert len(low) == len(high) == len(frame), name


def test_summaries_are_frames_where_they_used_to_be_series(results) -> None:
    diag = results["WeightDiagnostics"]
    assert diag.summary().loc["kish_deff", "value"] == diag.kish_deff
    assert set(diag.summary().index) <= set(diag.to_frame()["statistic"])
    assert results["Draw"].summary().loc["n", "value"] == results["Draw"].n
    assert results["ReliabilityResult"].summary().equals(
        results["ReliabilityResult"].scale_frame())
    study = results["StudyResult"]
    assert study.estimates_frame().equals(study.to_frame())
