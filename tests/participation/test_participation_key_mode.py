"""Without a configured key the appendix does not claim keyed pseudonyms; the mode is recorded."""

from __future__ import annotations

import warnings

import pytest
from participation_fixtures import KEY, feedback_forms, write_fixtures

import surveykit as sk
from surveykit.participation import EventRegister, add_participation_section, read_attendance


def _result(folder, monkeypatch, key: str | None):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)
    if key is None:
        monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY", raising=False)
    else:
        monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", key)
    files = write_fixtures(folder)
    reg = EventRegister.load(files["register"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.SurveykitWarning)
        att = read_attendance([files["signup"], files["checkin"], files["other"]], reg,
                              event_id="KV-01")
    return att, sk.participation(reg, att, feedback_forms())


def _paragraphs(result, language: str) -> str:
    app = sk.report.Appendix(title="Vedlegg", language=language)
    sec = add_participation_section(app, result)
    return " ".join(b.text for b in sec.content if type(b).__name__ == "Paragraph")


@pytest.mark.parametrize(("key", "mode"), [(KEY, "configured"), (None, "session")])
def test_key_mode_follows_the_configuration(tmp_path, monkeypatch, key, mode):
    att, res = _result(tmp_path, monkeypatch, key)
    assert att.key_mode == mode and res.key_mode == mode
    en, nb = _paragraphs(res, "en"), _paragraphs(res, "nb")
    notes = " ".join(res.notes)
    if mode == "configured":
        assert "keyed pseudonyms" in en and "keyed pseudonyms" in notes
        assert "nøkkelbaserte pseudonymer" in nb
    else:
        assert "keyed" not in en and "keyed" not in notes
        assert "nøkkelbaserte" not in nb
        assert "random key used for this run only" in en and "random key" in notes
        assert "tilfeldig nøkkel" in nb
