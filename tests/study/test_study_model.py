"""Study-file validation: every problem reported with key path, expectation and fix."""

from pathlib import Path

import pytest
import yaml

import surveykit as sk
from surveykit.study import bundled_studies, load_study_file

MINIMAL = {
    "schema": "surveykit.study/1",
    "id": "mini",
    "title": {"en": "Mini"},
    "waves": [{"id": 2026, "instrument": "reputation@2.0.0", "data": "a.csv"}],
}


def _write(tmp_path: Path, content: dict) -> Path:
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["reputation_2026", "needs_assessment", "meeting_places"])
def test_bundled_study_files_validate(name):
    spec = load_study_file(bundled_studies()[name])
    assert spec.id == name
    assert spec.report.language == "nb"
    assert set(spec.report.outputs) == {"html", "docx", "xlsx"}
    assert spec.report.include_free_text is False


def test_defaults_and_wave_ids_as_text():
    spec = sk.StudyFile.model_validate(MINIMAL)
    assert spec.waves[0].id == "2026"
    assert spec.weighting.method == "none"
    assert spec.exclusions.on_errors == "stop"
    assert spec.report.suppress_below == 5


def test_every_problem_is_reported_with_key_path_and_fix(tmp_path):
    bad = {**MINIMAL, "waves": [{"id": "1", "instrument": "reputation", "data": "a.csv",
                                 "colour": "red"}],
           "report": {"language": "de"}}
    with pytest.raises(sk.StudyError) as info:
        sk.Study.load(_write(tmp_path, bad))
    err = info.value
    paths = {p["path"] for p in err.problems}
    assert {"waves[0].instrument", "waves[0].colour", "report.language"} <= paths
    message = str(err)
    assert "study.yaml" in message and "fix:" in message
    assert "expected 'name@version'" in message
    assert "unknown key" in message


def test_missing_key_names_it(tmp_path):
    content = {k: v for k, v in MINIMAL.items() if k != "waves"}
    with pytest.raises(sk.StudyError, match=r"waves: required key is missing"):
        sk.Study.load(_write(tmp_path, content))


def test_comparison_of_unknown_wave(tmp_path):
    content = {**MINIMAL, "analysis": {"comparisons": [{"id": "c", "waves": ["2024", "2026"]}]}}
    with pytest.raises(sk.StudyError, match=r"unknown wave\(s\) \['2024'\]"):
        sk.Study.load(_write(tmp_path, content))


def test_comparison_measure_must_be_known(tmp_path):
    comparison = {"id": "c", "waves": ["2024", "2026"], "measures": {"education": "median"}}
    content = {**MINIMAL, "analysis": {"comparisons": [comparison]}}
    with pytest.raises(sk.StudyError) as info:
        sk.Study.load(_write(tmp_path, content))
    assert "analysis.comparisons[0].measures.education" in str(info.value)
    assert "proportion" in str(info.value)


def test_unknown_exclusion_rule_lists_the_known(tmp_path):
    content = {**MINIMAL, "exclusions": {"rules": ["speedster"]}}
    with pytest.raises(sk.StudyError, match=r"exclusions.rules: unknown rule\(s\) \['speedster'\]"):
        sk.Study.load(_write(tmp_path, content))


def test_derive_needs_exactly_one_rule(tmp_path):
    content = {**MINIMAL, "derive": [{"name": "g", "from": "age", "bins": {"a": [1, 2]},
                                      "map": {"1": "x"}}]}
    with pytest.raises(sk.StudyError, match="give exactly one of 'bins' or 'map'"):
        sk.Study.load(_write(tmp_path, content))


def test_weighting_needs_population_year(tmp_path):
    content = {**MINIMAL, "weighting": {"method": "rake", "population": "p.csv",
                                        "margins": [{"sample": "municipality",
                                                     "population": "knr"}]}}
    with pytest.raises(sk.StudyError, match="'population_year' is needed"):
        sk.Study.load(_write(tmp_path, content))


def test_margin_arity_must_match(tmp_path):
    content = {**MINIMAL, "weighting": {"method": "rake", "population": "p.csv", "margins": [
        {"sample": ["age_group", "sex"], "population": "age_group"}]}}
    with pytest.raises(sk.StudyError, match="'sample' names 2 variable"):
        sk.Study.load(_write(tmp_path, content))


def test_missing_and_non_yaml_files(tmp_path):
    with pytest.raises(sk.StudyError, match="does not exist"):
        sk.Study.load(tmp_path / "nope.yaml")
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(sk.StudyError, match="must be a mapping"):
        sk.Study.load(path)


def test_missing_data_file_names_the_data_root(tmp_path):
    study = sk.Study.load(_write(tmp_path, MINIMAL))
    with pytest.raises(sk.StudyError, match=r"waves\[0\].data: file .*a.csv.* does not exist"):
        study.run(tmp_path / "out")
