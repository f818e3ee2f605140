"""A file read with the wrong instrument version is refused, naming the version that fits."""

from __future__ import annotations

import csv

import pytest
from _ingestion_fixtures import instrument, valid_answers, wide_needs

import surveykit as sk
from surveykit.datasets._exports import write_nettskjema
from surveykit.errors import IngestionError


@pytest.fixture(scope="module")
def export_2026(tmp_path_factory):
    inst = sk.load_instrument("reputation", version="2.0.0")
    frame = sk.generate_responses(inst, 120, seed=5, wave="2026", quality=False)
    path = tmp_path_factory.mktemp("v") / "2026-nettskjema.csv"
    write_nettskjema(frame, inst, path)
    return path


def test_header_of_another_version_is_refused_naming_it(export_2026):
    with pytest.raises(IngestionError, match=r"matches reputation@2\.0\.0 better") as err:
        sk.read_responses(export_2026, "reputation@1.0.0", source="nettskjema")
    assert "instrument='reputation@2.0.0'" in str(err.value)
    assert str(export_2026) in str(err.value)


def test_the_fitting_version_reads_the_file(export_2026):
    resp = sk.read_responses(export_2026, "reputation@2.0.0", source="nettskjema")
    assert resp.accounting.accepted == resp.accounting.read


def test_most_rows_breaking_the_codes_is_refused(tmp_path):
    truth = valid_answers(n=20)
    shifted = truth.assign(sat_region=truth["sat_region"] + 10, svc_housing=0)
    path = tmp_path / "export.csv"
    wide_needs(shifted).to_csv(path, sep=";", index=False, quoting=csv.QUOTE_ALL)
    with pytest.raises(IngestionError, match=r"20 of 20 rows break the value rules of "
                                             r"example@1\.0\.0 \(code: 20 rows\)"):
        sk.read_responses(path, instrument(), source="generic")


def test_a_few_bad_codes_are_reported_not_refused(tmp_path):
    truth = valid_answers(n=20)
    bad = truth.assign(svc_housing=[0] * 3 + truth["svc_housing"].tolist()[3:])
    path = tmp_path / "export.csv"
    wide_needs(bad).to_csv(path, sep=";", index=False, quoting=csv.QUOTE_ALL)
    resp = sk.read_responses(path, instrument(), source="generic")
    assert (resp.report.errors["rule"] == "code").sum() == 3


def test_the_adapter_maps_the_file_once_per_version(export_2026, monkeypatch):
    from dataclasses import replace

    from surveykit.ingestion._platforms import ADAPTERS

    adapter, seen = ADAPTERS["nettskjema"], []

    def convert(raw, fmeta, inst, dep):
        seen.append(inst.ref)
        return adapter.convert(raw, fmeta, inst, dep)

    monkeypatch.setitem(ADAPTERS, "nettskjema", replace(adapter, convert=convert))
    sk.read_responses(export_2026, "reputation@2.0.0", source="nettskjema")
    assert sorted(seen) == ["reputation@1.0.0", "reputation@2.0.0"]  # the header fit reuses it
