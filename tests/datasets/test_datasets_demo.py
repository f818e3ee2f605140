"""The demo study end to end: platform files, deployments, reproducibility, read-back."""

from __future__ import annotations

import csv
import hashlib
import json
import re

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from surveykit.datasets import make_demo_study
from surveykit.datasets._demo import DEMO_WAVES, demo_frames
from surveykit.datasets._items import column_specs
from surveykit.datasets._skip import spec_columns
from surveykit.ingestion import load_deployment, read_responses

SEED = 20260301


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, make_demo_study(out, seed=SEED)


@pytest.fixture(scope="module")
def frames():
    return demo_frames(SEED)


def _frame_digest(df: pd.DataFrame) -> str:
    return hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()


def test_manifest_lists_every_study_file(demo):
    out, manifest = demo
    assert set(manifest["files"]) == {
        "reputation_2026/data/2024-questback.sav",
        "reputation_2026/data/2026-nettskjema.csv",
        "needs_assessment_2025/data/2025-surveyxact.xlsx",
        "meeting_places/data/pilot-msforms.xlsx",
    }
    on_disk = json.loads((out / "demo_manifest.json").read_text(encoding="utf-8"))
    assert on_disk["seed"] == SEED
    for name, rec in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == rec["sha256"]
        wave, platform = name.rsplit("/", 1)[1].split(".")[0].split("-")
        dep = load_deployment(out / name.split("/")[0] / "deployments" / f"{wave}-{platform}.yaml")
        assert dep.platform == platform and dep.wave == wave
    assert (out / "population" / "hamarregionen_pop_20_40_2025_2026.csv").exists()


def test_sizes_and_participation(demo):
    files = demo[1]["files"]
    assert files["reputation_2026/data/2024-questback.sav"]["respondents"] == 1200
    assert files["reputation_2026/data/2026-nettskjema.csv"]["respondents"] == 1500
    assert files["needs_assessment_2025/data/2025-surveyxact.xlsx"]["respondents"] == 400
    part = files["meeting_places/data/pilot-msforms.xlsx"]["participation"]
    assert part["participants"] == 300 and part["concepts"] >= 3
    assert part["repeat_participants"] > 50
    assert part["attendances"] > part["participants"]
    lists = part["attendance_files"]
    planted = lists["planted"]
    assert planted["people"] == 300 and planted["attendances"] == part["attendances"]
    assert planted["checkin_rows"] == planted["attendances"]
    assert planted["signed_up_and_came"] + planted["no_shows"] == planted["signup_rows"]
    assert planted["malformed_identifiers"] == 3 and planted["near_duplicate_pairs"] == 1
    assert 0 < planted["phone_only_rows"] < planted["checkin_rows"]
    out = demo[0] / "meeting_places"
    for name in ("signup.csv", "checkin.xlsx"):
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == lists[name]["sha256"]
    assert not (out / "attendance.csv").exists() and not (out / "register.csv").exists()


def test_dispositions_for_aapor_rates(demo):
    files = demo[1]["files"]
    for name in (
        "reputation_2026/data/2024-questback.sav",
        "reputation_2026/data/2026-nettskjema.csv",
    ):
        disp = dict(files[name]["dispositions"])
        invited = disp.pop("invited")
        assert invited == sum(disp.values())
        assert set(disp) == {
            "complete",
            "partial",
            "refusal",
            "non_contact",
            "other",
            "unknown_household",
            "unknown_other",
            "not_eligible",
        }
    assert files["meeting_places/data/pilot-msforms.xlsx"]["dispositions"] is None
    on_disk = json.loads((demo[0] / "reputation_2026" / "dispositions.json").read_text())
    assert set(on_disk["waves"]) == {"2024", "2026"}
    assert on_disk["aapor_classes"]["unknown_other"] == "UO"


def test_known_effects_recorded_with_the_seed(demo):
    manifest = demo[1]
    comp = {c["var"]: c for c in manifest["comparison_2024_2026"]}
    assert set(comp) == {
        "pulse_feeling",
        "pulse_admire",
        "pulse_trust",
        "pulse_reputation",
        "attr_meeting",
    }
    assert all(0.3 < c["expected_difference"] < 0.5 for c in comp.values())
    notes = json.loads((demo[0] / "reputation_2026" / "known_effects.json").read_text())
    assert notes["seed"] == SEED and notes["shifts_latent_sd"] == {
        "pulse": 0.3,
        "attributes.meeting_places": 0.4,
    }


def test_files_are_bit_for_bit_reproducible(demo, tmp_path):
    again = make_demo_study(tmp_path, seed=SEED)
    assert {k: v["sha256"] for k, v in again["files"].items()} == {
        k: v["sha256"] for k, v in demo[1]["files"].items()
    }
    mp = "meeting_places/data/pilot-msforms.xlsx"
    assert (again["files"][mp]["participation"]["attendance_files"]
            == demo[1]["files"][mp]["participation"]["attendance_files"])
    other = make_demo_study(tmp_path / "other", seed=SEED + 1)
    assert (
        other["files"]["reputation_2026/data/2026-nettskjema.csv"]["sha256"]
        != (demo[1]["files"]["reputation_2026/data/2026-nettskjema.csv"]["sha256"])
    )


def test_frames_are_reproducible(frames):
    waves, meeting = demo_frames(SEED)
    for (_, a), (_, b) in zip(waves, frames[0], strict=True):
        assert _frame_digest(a) == _frame_digest(b)
    assert _frame_digest(meeting["feedback"]) == _frame_digest(frames[1]["feedback"])


def test_nettskjema_layout(demo):
    path = demo[0] / "reputation_2026" / "data" / "2026-nettskjema.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]], delimiter=";"))
    assert header[:2] == ["$submission_id", "$created"] and header[-1] == "$answer_time_ms"
    assert "pulse.good_feeling" in header and "mp_concepts.none" in header
    assert all(line.startswith('"') and line.endswith('"') for line in lines[:50])
    first = next(csv.reader([lines[1]], delimiter=";"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", first[1])


def test_questback_layout(demo):
    path = demo[0] / "reputation_2026" / "data" / "2024-questback.sav"
    df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert list(df.columns[:6]) == [
        "lfdn",
        "dispcode",
        "datetime",
        "date_of_last_access",
        "duration",
        "lastpage",
    ]
    assert set(df["dispcode"].unique()) == {22.0, 31.0, 32.0}
    dep = load_deployment(demo[0] / "reputation_2026" / "deployments" / "2024-questback.yaml")
    pulse = next(k for k, v in dep.columns.items() if v == "pulse_trust")
    assert meta.variable_value_labels[pulse][98.0] == "Vet ikke"
    assert {"lo": 98.0, "hi": 98.0} in meta.missing_ranges[pulse]
    partial = df["dispcode"] == 22
    assert not (df.loc[~partial, pulse] == -77).any()  # the grid was shown to all completes
    assert (df.loc[partial, pulse] == -77).any()  # break-offs never reached some of it


def test_surveyxact_and_msforms_layouts(demo):
    sx = pd.read_excel(demo[0] / "needs_assessment_2025" / "data" / "2025-surveyxact.xlsx")
    option_cols = [c for c in sx.columns if re.fullmatch(r"v_\d+_\d+", c)]
    values = set(pd.unique(sx[option_cols].to_numpy().ravel()))
    assert {"Valgt", "Ikke valgt"} <= values
    ms = pd.read_excel(demo[0] / "meeting_places" / "data" / "pilot-msforms.xlsx")
    assert list(ms.columns[:5]) == ["ID", "Start time", "Completion time", "Email", "Name"]
    assert (
        ms["Hvilket tilbud var du på?"]
        .isin(
            [
                "Kveldsåpent møtested",
                "Aktivitetskveld",
                "Nettverkstreff for nye i jobb",
                "Friluftstreff",
            ]
        )
        .all()
    )


def _codes(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None).reset_index(drop=True)


@pytest.mark.parametrize(
    "index",
    [0, 1, 2, 3],
)
def test_read_back_every_row_and_value(demo, frames, index):
    """Each file read by sk.read_responses gives back exactly the generated data."""
    out, manifest = demo
    if index < len(DEMO_WAVES):
        study, _name, _version, wave, platform, _n, _year = DEMO_WAVES[index]
        inst, frame = frames[0][index]
    else:
        study, wave, platform = "meeting_places", "pilot", "msforms"
        inst, frame = frames[1]["instrument"], frames[1]["feedback"]
    name = next(k for k in manifest["files"] if k.startswith(f"{study}/data/{wave}-"))
    resp = read_responses(
        out / name,
        instrument=inst,
        deployment=out / study / "deployments" / f"{wave}-{platform}.yaml",
    )
    acc = resp.accounting
    assert acc.read == len(frame) == acc.accepted + acc.excluded
    data = resp.data
    assert len(data) == len(frame)
    identifiers = {s.var for s in column_specs(inst) if "identifier" in s.role}
    for spec in column_specs(inst):
        for col in spec_columns(spec):
            if col in identifiers:
                continue
            got, want = _codes(data[col]), _codes(frame[col])
            if spec.type == "integer":
                got, want = got.astype(float), want.astype(float)
            pd.testing.assert_series_equal(got, want, check_names=False, check_dtype=False)
    if "duration_s" in data.columns:
        np.testing.assert_allclose(
            data["duration_s"].astype(float), frame["duration_s"].astype(float), atol=1.0
        )
