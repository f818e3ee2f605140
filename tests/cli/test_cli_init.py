"""``surveykit init`` writes a starter study that ``surveykit run`` accepts as written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from surveykit.cli import main
from surveykit.cli._init import DEPLOYMENT, INSTRUMENT, STUDY

DOC = Path(__file__).parents[2] / "docs" / "writing-a-study.md"


def test_init_then_run(tmp_path, capsys) -> None:
    folder = tmp_path / "mystudy"
    assert main(["init", str(folder)]) == 0
    assert main(["lint", str(folder / "instruments")]) == 0
    assert main(["run", str(folder / "study.yaml"), "--out", str(folder / "build"),
                 "--quiet"]) == 0
    # the same run with the formats rendered side by side writes the same files
    assert main(["run", str(folder / "study.yaml"), "--out", str(folder / "jobs"),
                 "--quiet", "--jobs", "2"]) == 0
    written = sorted(p.relative_to(folder / "build") for p in (folder / "build").rglob("*")
                     if p.is_file() and p.name != "timings.json")
    assert Path("appendix.xlsx") in written
    for name in written:
        assert (folder / "jobs" / name).read_bytes() == (folder / "build" / name).read_bytes()
    estimates = pd.read_csv(folder / "build" / "tables" / "estimates.csv")
    assert {"area", "satisfaction"} <= set(estimates["key"].astype(str))
    assert set(estimates["domain"]) >= {"(all)", "area"}
    assert (folder / "build" / "appendix.html").stat().st_size > 0
    capsys.readouterr()
    assert main(["init", str(folder)]) == 2  # never overwrites
    assert "not an empty folder" in capsys.readouterr().err


def test_the_guide_shows_the_files_init_writes() -> None:
    guide = DOC.read_text(encoding="utf-8")
    for text in (INSTRUMENT, DEPLOYMENT, STUDY):
        assert text in guide
