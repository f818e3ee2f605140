"""``surveykit validate``: exit codes 0 (ok), 1 (validation errors), 2 (usage/unreadable)."""

from __future__ import annotations

import pandas as pd
import yaml
from ingestion._ingestion_fixtures import instrument_dict, valid_answers

from surveykit.cli import main


def _instrument_file(tmp_path):
    p = tmp_path / "example.yaml"
    p.write_text(yaml.safe_dump(instrument_dict(), allow_unicode=True), encoding="utf-8")
    return p


def test_validate_ok_errors_and_unreadable(tmp_path, capsys):
    inst = _instrument_file(tmp_path)
    good = tmp_path / "good.csv"
    valid_answers(6).to_csv(good, sep=";", index=False)
    assert main(["validate", str(good), "--instrument", str(inst)]) == 0
    assert "rows read 6, accepted 6, excluded 0" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    df = valid_answers(6)
    df["sat_region"] = [1, 2, 3, 4, 5, 7]
    df.to_csv(bad, sep=";", index=False)
    out = tmp_path / "report.csv"
    assert main(["validate", str(bad), "--instrument", str(inst), "--out", str(out)]) == 1
    report = pd.read_csv(out)
    assert report.loc[report["rule"] == "code", "row"].tolist() == [6]

    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert main(["validate", str(empty), "--instrument", str(inst)]) == 2
    assert "empty" in capsys.readouterr().err
