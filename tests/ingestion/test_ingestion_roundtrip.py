"""Writers (.sav round trip, .dta, Parquet) and the real bundled instruments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from _ingestion_fixtures import check_accounting, instrument, valid_answers

import surveykit as sk

STAMPS = ["source_sha256"]


def _answers_for(inst, n=8):
    """One valid answer per data column of ``inst``, varied over rows (instrument-driven)."""
    cols = {"respondent_id": [f"r{k}" for k in range(n)]}
    for v in inst.variables:
        item = v.item
        if v.option is not None:
            opts = [o for o in v.choices.options if not o.exclusive]
            cols[v.var] = [int(v.option.code == opts[k % len(opts)].code) for k in range(n)]
        elif v.choices is not None:
            codes = list(v.choices.codes)
            ok = [c for c in codes if c != 9999]
            cols[v.var] = [ok[(k + len(cols)) % len(ok)] for k in range(n)]
        elif v.type in ("integer", "decimal"):
            c = item.constraint
            lo = getattr(c, "min", None) if c is not None and not isinstance(c, str) else None
            hi = getattr(c, "max", None) if c is not None and not isinstance(c, str) else None
            lo = lo if lo is not None else 1
            hi = hi if hi is not None else lo + 10
            cols[v.var] = [int(lo + (k % max(1, int(hi - lo) + 1))) for k in range(n)]
        elif v.type == "date":
            cols[v.var] = ["2026-03-01"] * n
        else:
            cols[v.var] = [f"svar {k}" for k in range(n)]
    return pd.DataFrame(cols)


@pytest.mark.parametrize("name", ["reputation@1.0.0", "reputation@2.0.0", "needs_assessment",
                                  "meeting_place_feedback"])
def test_bundled_instruments_read_validate_and_roundtrip(tmp_path, name):
    inst = sk.ingestion._read.resolve_instrument(name)
    df = _answers_for(inst)
    p = tmp_path / "answers.csv"
    df.to_csv(p, sep=";", index=False)
    resp = sk.read_responses(p, name, wave="2026")
    check_accounting(resp)
    bad = resp.report.errors
    assert bad.empty, bad.to_string()
    assert set(resp.data["instrument_fingerprint"]) == {inst.fingerprint}
    for var, cols in resp.metadata.multi.items():
        assert all(c in resp.data.columns for c in cols), var
    out = tmp_path / "typed.sav"
    resp.to_sav(out)
    back = sk.read_responses(out, inst, wave="2026")
    check_accounting(back)
    pdt.assert_frame_equal(back.data.drop(columns=STAMPS), resp.data.drop(columns=STAMPS),
                           check_dtype=False)
    assert back.report.errors.empty


def test_sav_roundtrip_with_instrument_keeps_labels_missing_codes_and_measures(tmp_path):
    import pyreadstat

    inst = instrument()
    src = tmp_path / "a.csv"
    valid_answers(10).to_csv(src, index=False)
    resp = sk.read_responses(src, inst, wave="2024")
    out = tmp_path / "out.sav"
    resp.to_sav(out)
    _, meta = pyreadstat.read_sav(str(out), user_missing=True, metadataonly=True)
    assert meta.variable_value_labels["sat_region"][98.0] == "Vet ikke"
    assert meta.missing_ranges["sat_region"] == [{"lo": 98.0, "hi": 98.0}]
    assert meta.variable_measure["sat_region"] == "ordinal"
    assert meta.variable_measure["age"] == "scale"
    assert meta.variable_value_labels["needs__jobs"] == {0.0: "Ikke valgt", 1.0: "Valgt"}
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["svc_leisure"].endswith(": Fritidstilbud")
    back = sk.read_responses(out, inst, wave="2024")
    check_accounting(back)
    pdt.assert_frame_equal(back.data.drop(columns=STAMPS), resp.data.drop(columns=STAMPS),
                           check_dtype=False)
    assert back.data["sat_region"].dtype == resp.data["sat_region"].dtype


def test_sav_roundtrip_without_instrument_is_identical(tmp_path):
    import pyreadstat

    df = pd.DataFrame({"kjonn": [1.0, 2.0, 9.0], "tilfreds": [5.0, 98.0, 3.0],
                       "alder": [25.0, np.nan, 40.0], "tekst": ["a", None, "c"]})
    src = tmp_path / "src.sav"
    pyreadstat.write_sav(df, str(src), column_labels={"kjonn": "Kjønn"},
                         variable_value_labels={"kjonn": {1: "Mann", 2: "Kvinne"},
                                                "tilfreds": {5: "Svært fornøyd", 98: "Vet ikke"}},
                         missing_ranges={"tilfreds": [98]},
                         variable_measure={"kjonn": "nominal", "tilfreds": "ordinal",
                                           "alder": "scale", "tekst": "nominal"})
    first = sk.read_responses(src)
    for suffix in (".sav", ".zsav"):
        out = tmp_path / f"again{suffix}"
        first.to_sav(out)
        second = sk.read_responses(out)
        check_accounting(second)
        pdt.assert_frame_equal(second.data, first.data)
        assert second.metadata.file.value_labels == first.metadata.file.value_labels
        assert second.metadata.file.missing_ranges == first.metadata.file.missing_ranges
        assert second.metadata.variable_labels == first.metadata.variable_labels
        assert second.metadata.measure == first.metadata.measure


def test_dta_and_parquet_writers(tmp_path):
    import pyreadstat

    inst = instrument()
    src = tmp_path / "a.csv"
    valid_answers(6).to_csv(src, index=False)
    resp = sk.read_responses(src, inst)
    resp.to_dta(tmp_path / "out.dta")
    df, meta = pyreadstat.read_dta(str(tmp_path / "out.dta"))
    assert df["age"].tolist() == resp.data["age"].tolist()
    assert meta.variable_value_labels["sat_region"][98] == "Vet ikke"
    resp.to_parquet(tmp_path / "out.parquet")
    back = sk.read_responses(tmp_path / "out.parquet", inst)
    check_accounting(back)
    pdt.assert_frame_equal(back.data.drop(columns=STAMPS), resp.data.drop(columns=STAMPS),
                           check_dtype=False)
    plain = sk.read_responses(tmp_path / "out.parquet")
    assert plain.metadata.file.value_labels["sat_region"][98] == "Vet ikke"
