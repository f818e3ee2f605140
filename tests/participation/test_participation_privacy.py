"""No raw e-mail address, phone number or name from the attendance files reaches any output."""

from __future__ import annotations

import re
import zipfile

import matplotlib.pyplot as plt
import pytest
from participation_fixtures import KEY, RAW_IDENTIFIERS, feedback_forms, write_fixtures

import surveykit as sk
from surveykit.participation import (
    EventRegister,
    add_participation_section,
    concept_chart,
    progress_chart,
    read_attendance,
)


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
    texts = {"repr": repr(res) + repr(att) + repr(att.accounting)}
    for name, frame in {**res.tables(), "attendance": att.data,
                        "summary_att": att.summary()}.items():
        texts[f"table:{name}"] = frame.to_csv() + frame.to_string()
    for name, fig in {"progress": progress_chart(res, language="nb"),
                      "concepts": concept_chart(res, language="en")}.items():
        texts[f"chart:{name}"] = "\n".join(t.get_text() for t in fig.findobj(
            lambda a: hasattr(a, "get_text")))
        plt.close(fig)
    for lang in ("nb", "en"):
        app = sk.report.Appendix(title="Meeting places", language=lang)
        add_participation_section(app, res)
        texts[f"html:{lang}"] = app.to_html(folder / f"appendix-{lang}.html")
        xlsx = app.to_xlsx(folder / f"appendix-{lang}.xlsx")
        with zipfile.ZipFile(xlsx) as zf:
            texts[f"xlsx:{lang}"] = "\n".join(zf.read(n).decode("utf-8", "replace")
                                              for n in zf.namelist() if n.endswith(".xml"))
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
    email = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    phone = re.compile(r"(?<![\d.])(?:\+47|0047)?\s?[49]\d(?:\s?\d){6}(?![\d.])")
    for where, text in outputs.items():
        if where.startswith("html"):
            text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
        assert not email.search(text), f"e-mail-like text in {where}: {email.search(text)}"
        assert not phone.search(text), f"phone-like text in {where}: {phone.search(text)}"
