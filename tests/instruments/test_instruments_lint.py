"""surveykit lint: every kind of mistake in tests/instruments/fixtures/broken is reported
with its file, key path and a fix; clean fixtures and the bundled instruments pass."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import surveykit as sk
from surveykit.cli import main
from surveykit.instruments._loader import source_root

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"

# case folder -> (key path of the problem, words of the message, words of the fix)
CASES = {
    "yaml_syntax": ("", "YAML syntax error at line", "indentation"),
    "duplicate_key": ("", "'text' appears twice", "remove or rename"),
    "unknown_key": ("items[5].relevent", "unknown key 'relevent'", "to 'relevant'"),
    "bad_type": ("items[1].type", "found 'singel'", "'single'"),
    "duplicate_item_id": ("items[1].id", "item id 'age' is also used by items[0]", "unique"),
    "duplicate_var": ("items[2].var", "data column 'sex' is also produced", "unique var"),
    "missing_translation": ("items[1].text", "['en']", "add the en text"),
    "unknown_choice_list": ("items[1].choices", "'gender' is not defined", "define it"),
    "relevant_unknown_ref": ("items[5].relevant", "${agee} is not a variable", "${age}"),
    "relevant_later_ref": ("items[1].relevant", "comes later", "move the referenced item"),
    "relevant_syntax": ("items[5].relevant", "character 11: expected a value", "syntax"),
    "duplicate_code": ("choice_lists.sex.options[2].code", "code 2 appears twice", "unique"),
    "exclusive_in_single": ("choice_lists.sex.options[2].exclusive", "only applies to multi",
                            "remove 'exclusive'"),
    "unquoted_boolean": ("choice_lists.needs.options[3].code", "found False", "quote"),
    "selected_unknown_option": ("items[5].relevant", "'nothing' is not an option", "option"),
    "released_without_date": ("released", "needs its release date", "YYYY-MM-DD"),
    "grid_with_var": ("items[3].var", "a grid has no var", "move the var to the rows"),
    "min_selected_on_single": ("items[1].min_selected", "not allowed on a single item",
                               "remove 'min_selected'"),
    "attention_without_expected": ("items[1]", "no 'expected' answer", "expected: <code>"),
    "wrong_version_in_name": ("version", "named 1.0.0.yaml but says version 1.0.1", "rename"),
    "constraint_min_above_max": ("items[0].constraint", "min 40 is larger than max 20", "swap"),
    "index_unknown_item": ("indices[0].items[2]", "'services.leisur' is not an item key",
                           "services.leisure"),
    "changed_released": ("", "has changed: fingerprint", "new version"),
    "no_crosswalk": ("", "but no crosswalk", "crosswalk/1.0.0__2.0.0.yaml"),
}
CROSSWALK_CASES = [
    ("items.gender", "'gender' is not an item key"),
    ("items.needs.options.housing", "['housing_own'] are not codes"),
    ("items.services.leisure", "changed (wording"),
    ("items.needs.status", "called identical but changed"),
]


@pytest.fixture(scope="module")
def broken_report() -> sk.instruments.LintReport:
    return sk.lint_instruments(BROKEN)


def test_good_fixtures_are_clean() -> None:
    report = sk.lint_instruments(GOOD)
    assert report.ok, str(report)
    assert len(report.files) == 3


def test_every_broken_fixture_is_covered(broken_report) -> None:
    cases = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    assert cases == set(CASES) | {"crosswalk_gaps"}
    assert len(cases) >= 12


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_fixture_reports_path_message_and_fix(broken_report, case: str) -> None:
    path, words, fix = CASES[case]
    found = [p for p in broken_report.problems if f"/broken/{case}/" in p.file]
    assert found, f"no problem reported for {case}"
    match = [p for p in found if p.path == path and words in p.message]
    assert match, f"{case}: expected {path!r} / {words!r}, got {[str(p) for p in found]}"
    assert fix in match[0].fix


@pytest.mark.parametrize(("path", "words"), CROSSWALK_CASES)
def test_crosswalk_problems_are_reported(broken_report, path: str, words: str) -> None:
    found = [p for p in broken_report.problems if "/crosswalk_gaps/crosswalk/" in p.file]
    assert any(p.path == path and words in p.message for p in found), [str(p) for p in found]


def test_cli_lint_exits_1_without_traceback_and_names_everything() -> None:
    proc = subprocess.run([sys.executable, "-m", "surveykit", "lint", str(BROKEN)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    for case, (path, _, _) in CASES.items():
        assert f"broken/{case}/" in proc.stdout
        if path:
            assert f"  {path}:" in proc.stdout
    assert proc.stdout.count("fix: ") >= len(CASES) + len(CROSSWALK_CASES)


def test_cli_lint_exit_codes(capsys) -> None:
    assert main(["lint", str(GOOD)]) == 0
    assert main(["lint", str(BROKEN / "bad_type")]) == 1
    assert main(["lint", "no/such/folder"]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_bundled_instruments_lint_clean() -> None:
    root = source_root()
    if not any(root.glob("*/*.yaml")):
        pytest.skip("no instrument files in the repository yet")
    report = sk.lint_instruments(root)
    assert report.ok, str(report)


def test_record_adds_but_never_overwrites(tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "root")
    root = tmp_path / "root"
    (root / "fingerprints.yaml").write_text("demo:\n  1.0.0: " + "a" * 64 + "\n")
    report = sk.lint_instruments(root, record=True)
    table = yaml.safe_load((root / "fingerprints.yaml").read_text())
    assert report.recorded == ("demo@2.0.0",)
    assert table["demo"]["1.0.0"] == "a" * 64  # kept, and still reported as changed
    assert [p.path for p in report.problems] == [""]
    assert "has changed" in report.problems[0].message
    assert table["demo"]["2.0.0"] == sk.load_instrument(root / "demo" / "2.0.0.yaml").fingerprint


def test_editing_a_released_file_fails_lint(tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "root")
    file = tmp_path / "root" / "demo" / "1.0.0.yaml"
    file.write_text(file.read_text().replace("Svært fornøyd", "Meget fornøyd", 1))
    report = sk.lint_instruments(tmp_path / "root")
    assert any("demo@1.0.0 has changed" in p.message for p in report.problems)


def test_reformatting_a_released_file_keeps_it_clean(tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "root")
    file = tmp_path / "root" / "demo" / "1.0.0.yaml"
    data = yaml.safe_load(file.read_text())
    file.write_text(yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=60))
    assert sk.lint_instruments(tmp_path / "root").ok


def test_lint_report_frame(broken_report) -> None:
    frame = broken_report.to_frame()
    assert list(frame.columns) == ["file", "path", "message", "fix"]
    assert len(frame) == len(broken_report.problems)
    assert frame["fix"].str.len().min() > 5
