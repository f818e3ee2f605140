"""Fuzzing every reader, platform adapter, instrument, deployment and study loader.

The default run mutates a few seeded copies of each valid file (a fixed, small budget); the
``fuzz`` marker runs many more: ``pytest -m fuzz tests/hostile``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest
import yaml
from _fuzz import mutate, run_case

import surveykit as sk
from surveykit.ingestion import load_deployment, read_table
from surveykit.instruments import Instrument, example_instrument_dict
from surveykit.study._model import load_study_file

REPO = Path(__file__).resolve().parents[2]
SMALL_BUDGET = 2
LARGE_BUDGET = 150
SOURCES = ("generic", "nettskjema", "nettskjema_legacy", "questback", "msforms", "kobo",
           "surveyxact")


def _answers() -> pd.DataFrame:
    inst = Instrument.from_dict(example_instrument_dict())
    return sk.generate_responses(inst, n=12, seed=3)


def _seed_file(kind: str, folder: Path) -> Path:
    """Write one valid file of ``kind`` into ``folder`` (the file mutations start from)."""
    frame = _answers()
    plain = frame.drop(columns=["start_time", "end_time"]).astype(
        {c: "float64" for c in frame.columns if str(frame[c].dtype) in ("Int64", "int64")})
    plain = plain.astype({c: object for c in ("status", "needs_oth")}).fillna({"needs_oth": ""})
    f = folder / f"seed.{kind}"
    if kind == "csv":
        frame.to_csv(f, sep=";", index=False)
    elif kind == "xlsx":
        plain.to_excel(f, index=False)
    elif kind in ("sav", "zsav"):
        pyreadstat.write_sav(plain, str(f), compress=kind == "zsav")
    elif kind == "dta":
        pyreadstat.write_dta(plain, str(f))
    elif kind == "parquet":
        pytest.importorskip("pyarrow")
        plain.to_parquet(f)
    elif kind == "instrument":
        f = folder / "1.0.0.yaml"
        f.write_text(yaml.safe_dump(example_instrument_dict(), allow_unicode=True))
    elif kind == "deployment":
        f = folder / "2026-generic.yaml"
        f.write_text("schema: surveykit.deployment/1\ninstrument: example\nwave: '2026'\n"
                     "columns: {resp: respondent_id}\ncodes: {sat_region: {'9': 98}}\n")
    elif kind == "study":
        f = folder / "study.yaml"
        f.write_bytes((REPO / "analysis" / "reputation_2026" / "study.yaml").read_bytes())
    return f


def _instrument() -> Instrument:
    return Instrument.from_dict(example_instrument_dict())


TARGETS: dict[str, tuple[str, Callable[[Path], Any]]] = {
    **{f"read_{k}": (k, read_table) for k in ("csv", "xlsx", "sav", "zsav", "dta", "parquet")},
    **{f"adapter_{s}": ("csv", lambda p, s=s: sk.read_responses(p, _instrument(), source=s))
       for s in SOURCES},
    "adapter_auto_sav": ("sav", lambda p: sk.read_responses(p, _instrument())),
    "instrument": ("instrument", sk.load_instrument),
    "deployment": ("deployment", load_deployment),
    "study": ("study", load_study_file),
}


def _cases(budget: int) -> list[Any]:
    return [(name, seed) for name in TARGETS for seed in range(budget)]


def _run(tmp_path: Path, name: str, seed: int) -> None:
    kind, target = TARGETS[name]
    good = _seed_file(kind, tmp_path)
    bad = good.with_name("m" + good.name if kind not in ("instrument", "deployment")
                         else good.name)
    bad.write_bytes(mutate(good.read_bytes(), seed * 7919 + len(name)))
    outcome, detail = run_case(target, bad)
    assert outcome in ("read", "named"), f"{name} seed {seed}: {outcome}: {detail}"


@pytest.mark.parametrize(("name", "seed"), _cases(SMALL_BUDGET))
def test_fuzz_small_budget(tmp_path: Path, name: str, seed: int) -> None:
    _run(tmp_path, name, seed)


@pytest.mark.fuzz
@pytest.mark.parametrize(("name", "seed"), [(n, SMALL_BUDGET + s) for n, s in
                                            _cases(LARGE_BUDGET)])
def test_fuzz_large_budget(tmp_path: Path, name: str, seed: int) -> None:
    _run(tmp_path, name, seed)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_unmutated_seed_files_read(tmp_path: Path, name: str) -> None:
    kind, target = TARGETS[name]
    outcome, detail = run_case(target, _seed_file(kind, tmp_path))
    expected = "named" if name.startswith("adapter_") and name != "adapter_generic" else "read"
    assert outcome in ("read", expected), f"{name}: {outcome}: {detail}"
