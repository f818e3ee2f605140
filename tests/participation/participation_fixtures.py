"""Small attendance fixtures written at test time (imported by the participation tests).

Five real people, across four concepts, with the traps organisers' lists really contain:
the same person written differently (case, spaces, +47/0047/47 prefixes, a check-in sheet with
only the phone), a malformed e-mail, a malformed phone next to a valid e-mail, a row with no
identifier, an unknown event, an event before the project period, a no-show and a namesake with
the same birth year and another e-mail. The expected figures are worked out by hand in
``EXPECTED``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import surveykit as sk
from surveykit.participation import (
    EventRegister,
    ParticipationResult,
    add_participation_section,
    concept_chart,
    progress_chart,
    read_attendance,
)

KEY = "test-key-not-secret"

REGISTER_YAML = """\
# example event register (test fixture)
events:
  - {event_id: KV-01, concept: open_evening_venue, date: 2025-09-04, municipality: 3403,
     venue: Kulturhuset, format: drop-in, organiser: Hamar kommune}
  - {event_id: AK-01, concept: activity_night, date: 2025-09-10, municipality: 3411}
  - {event_id: NT-01, concept: newcomer_networking, date: 2025-10-01, municipality: 3403}
  - {event_id: FR-01, concept: outdoor_meetup, date: 2025-10-15, municipality: 3413}
  - {event_id: OLD-01, concept: activity_night, date: 2024-12-01, municipality: 3412}
"""

SIGNUP_CSV = """\
Arrangement;Navn;E-post;Mobil;Fødselsår;Kommune;Møtt
KV-01;Kari Nordmann;Kari@Hamar.no ;912 34 567;1995;Hamar;ja
KV-01;Ingrid Berg;ingrid(at)hamar.no;;1992;Ringsaker;ja
KV-01;Lars Lie;lars.lie@example.no;;1990;3403;nei
AK-01;Kari Nordmann;kari@hamar.no;;1995;Hamar;ja
AK-01;Per Hansen;per.hansen@example.com;;1980;Stange;ja
XX-99;Per Hansen;per.hansen@example.com;;1980;Stange;ja
OLD-01;Ola Nordmann;;0047 98765432;2000;Løten;ja
"""

CHECKIN_ROWS = {  # the check-in sheet of KV-01 (no event column)
    "Name": ["Kari Nordmann", "Siri Dahl", "Tor Berg"],
    "Phone": ["+47 91234567", "12 34", None],
    "Email": [None, "siri.dahl@example.no", None],
}

OTHER_CSV = """\
event_id,name,email,phone,birth_year,municipality
NT-01,Ola Nordmann,,4798765432,2000,Løten
FR-01,Per Hansen,PER.HANSEN@example.com,,1980,Stange
FR-01,Kari Nordmann,kari.nordmann@gmail.com,,1995,Hamar
FR-01,Siri Dahl,siri.dahl@example.no,,1993,Hamar
"""

#: every raw identifier of the fixtures, in the forms that must never reach an output
RAW_IDENTIFIERS = (
    "Kari@Hamar.no", "kari@hamar.no", "ingrid(at)hamar.no", "ingrid", "lars.lie@example.no",
    "per.hansen@example.com", "PER.HANSEN@example.com", "kari.nordmann@gmail.com",
    "siri.dahl@example.no", "912 34 567", "91234567", "+47 91234567", "+4791234567",
    "0047 98765432", "98765432", "4798765432", "+4798765432", "12 34",
    "Kari Nordmann", "Ingrid Berg", "Lars Lie", "Per Hansen", "Ola Nordmann", "Siri Dahl",
    "Tor Berg", "Nordmann", "Hansen",
)

EXPECTED = {
    "read": 14, "accepted": 10, "excluded": 4, "unidentified": 2,
    "excluded_by": {"unknown_event": 1, "date_outside_period": 1, "no_show": 1,
                    "duplicate_within_event": 1},
    "participants": 5,
    "participants_by_concept": {"open_evening_venue": 2, "activity_night": 2,
                                "newcomer_networking": 1, "outdoor_meetup": 3},
    "attendances_by_event": {"KV-01": 4, "AK-01": 2, "NT-01": 1, "FR-01": 3, "OLD-01": 0},
    "first_time_by_event": {"KV-01": 2, "AK-01": 1, "NT-01": 1, "FR-01": 1, "OLD-01": 0},
    "repeat": {"1": 2, "2": 3},
    "share_20_40": 0.8,
    "municipality": {"3403": 3, "3413": 1, "3412": 1},
}


def write_fixtures(folder: Path) -> dict[str, Path]:
    """Write the register (YAML), the sign-up CSV, the check-in XLSX and another CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "register": folder / "events.yaml",
        "signup": folder / "signup.csv",
        "checkin": folder / "checkin-KV-01.xlsx",
        "other": folder / "other.csv",
    }
    paths["register"].write_text(REGISTER_YAML, encoding="utf-8")
    paths["signup"].write_text(SIGNUP_CSV, encoding="utf-8")
    paths["other"].write_text(OTHER_CSV, encoding="utf-8")
    pd.DataFrame(CHECKIN_ROWS).to_excel(paths["checkin"], index=False)
    return paths


def feedback_forms() -> pd.DataFrame:
    """Feedback forms as read_responses gives them (codes; 98 = don't know)."""
    return pd.DataFrame({
        "concept": ["open_evening_venue"] * 5 + ["activity_night"] * 4 + ["outdoor_meetup"] * 3,
        "event_id": ["KV-01"] * 5 + ["AK-01", None, "AK-01", "AK-01"] + ["FR-01"] * 3,
        "satisfaction": [5, 4, 3, 98, 5, 2, 4, 5, 3, 4, 4, 5],
        "come_again": [1, 2, 3, 1, 98, 4, 1, 2, 3, 1, 2, 2],
        "recommend": [10, 9, 6, 8, 98, 3, 9, 10, 7, 9, 10, 5],
    })


#: e-mail- and phone-shaped text (mobiles, the demo's 4000 block, +47/0047, spaced digits)
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_RE = re.compile(r"(?<![\d.])(?:\+47|0047)? ?[49]\d(?: ?\d){6}(?![\d.])")
#: keyed pseudonyms (hex digests): their digit runs are not phone numbers
PSEUDONYM_RE = re.compile(r"\b[0-9a-f]{32,}\b")


def output_texts(res, att, folder: Path) -> dict[str, str]:
    """Every text a participation result can produce: repr, tables, charts, HTML and XLSX."""
    texts = {"repr": repr(res) + repr(att) + repr(att.accounting)}
    for name, frame in {**res.tables(), "attendance": att.data,
                        "summary_att": att.summary()}.items():
        texts[f"table:{name}"] = frame.to_csv() + frame.to_string()
    for name, fig in {"progress": progress_chart(res, language="nb"),
                      "concepts": concept_chart(res, language="en")}.items():
        texts[f"chart:{name}"] = "\n".join(t.get_text() for t in fig.findobj(
            lambda a: hasattr(a, "get_text")))
    for lang in ("nb", "en"):
        app = sk.report.Appendix(title="Meeting places", language=lang)
        add_participation_section(app, res)
        html = app.to_html(folder / f"appendix-{lang}.html")
        texts[f"html:{lang}"] = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
        xlsx = app.to_xlsx(folder / f"appendix-{lang}.xlsx")
        with zipfile.ZipFile(xlsx) as zf:
            texts[f"xlsx:{lang}"] = "\n".join(zf.read(n).decode("utf-8", "replace")
                                              for n in zf.namelist() if n.endswith(".xml"))
    return texts


def fixture_result(folder: Path) -> ParticipationResult:
    """Indicators from the fixture files (written to ``folder``) with the test key."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SURVEYKIT_PSEUDONYM_KEY", KEY)
    try:
        files = write_fixtures(folder)
        reg = EventRegister.load(files["register"])
        att = read_attendance([files["signup"], files["checkin"], files["other"]], reg,
                              event_id="KV-01")
        return sk.participation(reg, att, feedback_forms())
    finally:
        mp.undo()
