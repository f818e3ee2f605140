"""No raw e-mail address, phone number or name from the attendance files reaches any output."""

from __future__ import annotations

import pytest
from participation_fixtures import (
    EMAIL_RE,
    KEY,
    PHONE_RE,
    PSEUDONYM_RE,
    RAW_IDENTIFIERS,
    feedback_forms,
    output_texts,
    write_fixtures,
)

import surveykit as sk
from surveykit.participation import EventRegister, read_attendance


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
    folder = tmp_path_factory.mktemp("privacy")
    files = write_fixtures(folder)
    reg = EventRegister.load(files["register"])
    att = read_attendance([files["signup"], files["checkin"], files["other"]], reg,
                          event_id="KV-01")
    res = sk.participation(reg, att, feedback_forms())
    texts = output_texts(res, att, folder)
    mp.undo()
    return texts


def test_outputs_are_not_empty(outputs):
    assert "KV-01" in outputs["table:per_event"]
    assert "Møteplasser" in outputs["html:nb"] and "Meeting places" in outputs["html:en"]
    assert "NPS" in outputs["chart:concepts"]


@pytest.mark.parametrize("raw", RAW_IDENTIFIERS)
def test_no_raw_identifier_anywhere(outputs, raw):
    for where, text in outputs.items():
        assert raw.lower() not in text.lower(), f"{raw!r} found in {where}"


def test_no_email_or_phone_shaped_text(outputs):
    for where, text in outputs.items():
        text = PSEUDONYM_RE.sub("", text)
        assert not EMAIL_RE.search(text), f"e-mail-like text in {where}: {EMAIL_RE.search(text)}"
        assert not PHONE_RE.search(text), f"phone-like text in {where}: {PHONE_RE.search(text)}"
