"""Identity: normalisation of e-mail and phone, keyed pseudonyms, linking, the key rules."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from surveykit import SurveykitWarning
from surveykit.ingestion import pseudonymize
from surveykit.participation import _identity
from surveykit.participation._identity import identify, normalise_email, normalise_phone


@pytest.mark.parametrize("raw", ["91234567", "912 34 567", "+47 912 34 567", "0047 91234567",
                                 "4791234567", "+47-912.345.67", "(+47) 91234567", 91234567,
                                 91234567.0])
def test_norwegian_numbers_are_unified(raw):
    norm, status = normalise_phone(pd.Series([raw], dtype=object))
    assert norm.tolist() == ["+4791234567"]
    assert status.tolist() == ["ok"]


@pytest.mark.parametrize("raw", ["1234", "12345678", "+47 1234", "912345678", "tlf 91234567",
                                 "+4712345678"])
def test_malformed_phone_numbers(raw):
    norm, status = normalise_phone(pd.Series([raw]))
    assert norm.isna().all()
    assert status.tolist() == ["malformed"]


def test_foreign_numbers_keep_their_country_code():
    norm, _ = normalise_phone(pd.Series(["+46 70 123 45 67", "0046701234567"]))
    assert norm.tolist() == ["+46701234567", "+46701234567"]


def test_email_is_trimmed_and_lower_cased():
    norm, status = normalise_email(pd.Series([" Kari.N@Hamar.Kommune.NO ", "mailto:a@b.no",
                                              "a@b", "", None]))
    assert norm.tolist()[:2] == ["kari.n@hamar.kommune.no", "a@b.no"]
    assert status.tolist() == ["ok", "ok", "malformed", "missing", "missing"]


def test_pseudonym_is_the_ingestion_hmac_of_the_normalised_email():
    ids = identify({"email": pd.Series([" Kari@Hamar.NO"])}, None, b"k" * 16)
    expected = pseudonymize(pd.Series(["kari@hamar.no"]), b"k" * 16)[0]
    assert ids["person_id"][0] == expected
    assert len(expected) == 64


def test_rows_sharing_any_identifier_are_one_person():
    raw = {"email": pd.Series(["a@x.no", None, "b@x.no", "c@x.no"]),
           "phone": pd.Series(["91234567", "+4791234567", "98765432", "98765432"])}
    ids = identify(raw, None, b"k" * 16)
    # rows 0/1 share the phone; rows 2/3 share another phone although their e-mails differ
    assert ids["person_id"][0] == ids["person_id"][1]
    assert ids["person_id"][2] == ids["person_id"][3] != ids["person_id"][0]
    assert ids["id_status"].tolist() == ["ok"] * 4


def test_malformed_values_are_described_not_repeated():
    raw = {"email": pd.Series(["kari(at)hamar.no", "ok@x.no"]), "phone": pd.Series([None, "12"])}
    ids = identify(raw, pd.Series(["Kari", "Ola"]), b"k" * 16)
    assert ids["id_status"].tolist() == ["malformed", "ok"]
    assert ids["email_problem"][0] == "no '@'"
    assert ids["phone_problem"][1] == "not a phone number (2 digits)"
    text = ids.to_csv()
    assert "kari(at)hamar.no" not in text and "Kari" not in text and "ok@x.no" not in text


def test_key_from_environment_gives_stable_pseudonyms(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "abc-test-key-not-secret")
    assert _identity.session_key() == b"abc-test-key-not-secret"


def test_without_key_a_session_key_is_used_with_a_warning(monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.setattr(_identity, "_SESSION_KEY", [])
    with pytest.warns(SurveykitWarning, match="random key for this Python session"):
        first = _identity.session_key()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _identity.session_key() == first  # same key, warned once
    assert len(first) == 32
