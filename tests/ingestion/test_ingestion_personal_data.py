"""Personal data: identifier columns protected whatever their role, found by header and content."""

from __future__ import annotations

import pandas as pd
import pytest
from _ingestion_fixtures import check_accounting, instrument, valid_answers

import surveykit as sk
from surveykit._masking import mask_identifiers

INST = instrument()
KEY = "personal-data-test-key-not-secret"
FNR = ["01010012356", "15076500565", "29029600013"]  # valid check digits (synthetic)


def _no_key(monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)


def _email_ids(tmp_path, n=6):
    df = valid_answers(n).drop(columns=["respondent_id"]).astype(object)
    df.insert(0, "email", [f"person{k}@hamar.kommune.no" for k in range(n)])
    df.loc[1, "age"] = "kari@hamar.no"  # a mistyped cell holding an address
    p = tmp_path / "answers.csv"
    df.to_csv(p, sep=";", index=False)
    return p


@pytest.mark.parametrize("key", [KEY, None])
def test_an_email_respondent_id_becomes_the_keyed_pseudonym(tmp_path, monkeypatch, key):
    _no_key(monkeypatch)
    if key is not None:
        monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", key)
    p = _email_ids(tmp_path)
    resp = sk.read_responses(p, INST, deployment={"respondent_id": "email"})
    check_accounting(resp)
    ids = resp.data["respondent_id"]
    if key is None:
        assert ids.tolist() == [str(k) for k in range(1, 7)]
    else:
        expected = sk.pseudonymize(pd.Series(["person0@hamar.kommune.no"]), key)[0]
        assert ids.iloc[0] == expected and ids.str.len().eq(64).all()
    out = tmp_path / "report.csv"
    resp.report.to_csv(out)
    for text in (resp.data.to_string(), resp.report.to_frame().to_string(),
                 out.read_text(encoding="utf-8")):
        assert "@hamar" not in text
    assert "identifier" in resp.report.to_frame()["rule"].tolist()
    typ = resp.report.select(rule="type")
    assert typ["value"].tolist() == ["<e-mail>"]


NETTSKJEMA = pd.DataFrame({
    "Navn": ["Kari Nordmann", "Ola Hansen", "Per Berg"],
    "Fornavn": ["Kari", "Ola", "Per"], "Etternavn": ["Nordmann", "Hansen", "Berg"],
    "Fullt navn": ["Kari Nordmann", "Ola Hansen", "Per Berg"],
    "Telefonnummer": ["912 34 567", "+47 41234567", None],
    "Mobilnr": [91234567, 41234567, 93456789],
    "E-postadresse": ["kari@hamar.no", None, None],
    "Fødselsnummer": FNR, "Bursdag": ["1990-01-02", "1985-03-04", "1970-05-06"],
    "Fødselsdato": ["02.01.1990", "04.03.1985", "06.05.1970"],
    "Adresse": ["Storgata 1", "Vangsvegen 2", "Torggata 3"],
    "Postnummer": ["2317", "2318", "2319"],
    "Full name": ["Kari Nordmann", "Ola Hansen", "Per Berg"],
    "Date of birth": ["1990-01-02", "1985-03-04", "1970-05-06"],
    "Phone number": ["912 34 567", "41234567", "93456789"],
    "kontakt": ["912 34 567", "413 45 678", "+47 93456789"],
    "ref": [int(f) for f in FNR],
    "ref2": FNR,
    "Kommune": ["Hamar", "Stange", "Løten"], "q1": [1, 2, 3],
})


def test_identifier_columns_found_by_header_and_content_without_instrument(tmp_path, monkeypatch):
    _no_key(monkeypatch)
    p = tmp_path / "nettskjema.csv"
    NETTSKJEMA.to_csv(p, sep=";", index=False)
    resp = sk.read_responses(p)
    check_accounting(resp)
    assert list(resp.data.columns) == ["Kommune", "q1"]
    dropped = set(NETTSKJEMA.columns) - {"Kommune", "q1"}
    assert resp.metadata.identifiers == dict.fromkeys(dropped, "dropped")
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
    keyed = sk.read_responses(p)
    assert keyed.data["Mobilnr"].str.len().eq(64).all()  # read as numbers, still protected
    assert "Nordmann" not in keyed.data.to_string()


def test_a_column_of_eleven_digit_numbers_without_check_digits_is_kept(tmp_path, monkeypatch):
    _no_key(monkeypatch)
    p = tmp_path / "codes.csv"
    pd.DataFrame({"kode": ["01010012345", "15076500566", "29029600014"]}).to_csv(p, index=False)
    assert list(sk.read_responses(p).data.columns) == ["kode"]


def test_identifier_looking_values_are_masked_in_errors_and_reports():
    assert mask_identifiers("'ola.nordmann@example.org' in row 3") == "'<e-mail>' in row 3"
    assert mask_identifiers("912 34 567 / 01010012356") == "<phone> / <national id>"
    assert mask_identifiers("limit 50000000 bytes, 01010012345") == \
        "limit 50000000 bytes, 01010012345"
    err = sk.IngestionError("row 2: found 'kari@hamar.no'")
    assert "kari" not in str(err)
