"""Platform writers outside the demo study: Kobo CSV round trip and argument checks."""

from __future__ import annotations

import pandas as pd
import pytest

import surveykit.instruments as si
from surveykit.datasets import PLATFORMS, generate_responses, write_platform_export
from surveykit.ingestion import read_responses


@pytest.fixture(scope="module")
def rep2_frame():
    inst = si.load_instrument("reputation", version="2.0.0")
    return inst, generate_responses(inst, 150, seed=5, quality={"partial": 0.0})


def test_kobo_packs_multi_select_with_spaces_and_reads_back(rep2_frame, tmp_path):
    inst, frame = rep2_frame
    path = tmp_path / "2026-kobo.csv"
    dep = write_platform_export(frame, inst, path, "kobo", wave="2026")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert {"start", "end", "_id", "_uuid", "_submission_time", "_index"} <= set(raw.columns)
    shown = frame["mp_concepts__none"].notna().to_numpy()
    assert (raw.loc[~shown, "mp_concepts"] == "").all()
    assert raw.loc[shown, "mp_concepts"].str.len().gt(0).all()
    assert raw["mp_concepts"].str.contains(" ").any()
    resp = read_responses(path, instrument=inst, deployment=dep)
    assert resp.accounting.read == len(frame) == resp.accounting.accepted
    for col in [c for c in frame.columns if c.startswith("mp_concepts__")] + ["pulse_trust"]:
        got = resp.data[col].astype(object).where(resp.data[col].notna(), None)
        want = frame[col].astype(object).where(frame[col].notna(), None)
        assert got.reset_index(drop=True).equals(want.reset_index(drop=True)), col


def test_every_platform_returns_a_deployment(rep2_frame, tmp_path):
    inst, frame = rep2_frame
    for platform, (_writer, ext) in PLATFORMS.items():
        dep = write_platform_export(frame, inst, tmp_path / f"x{ext}", platform, wave="2026")
        assert dep["schema"] == "surveykit.deployment/1"
        assert dep["instrument"] == "reputation@2.0.0" and dep["platform"] == platform
        assert "pulse_trust" in dep["columns"].values()


def test_writer_arguments_are_checked(rep2_frame, tmp_path):
    inst, frame = rep2_frame
    with pytest.raises(ValueError, match="'platform'"):
        write_platform_export(frame, inst, tmp_path / "x.csv", "qualtrics")
    with pytest.raises(ValueError, match="'frame' lacks columns"):
        write_platform_export(frame.drop(columns=["age"]), inst, tmp_path / "x.csv", "kobo")
