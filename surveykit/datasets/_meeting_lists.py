"""Meeting-place attendance as organisers export it: a sign-up list and a check-in sheet.

Every simulated attendance (a person at an event) is one row of the check-in sheet, which is
what counts: attendances are the checked-in rows. Most attendances were signed up for first
(the sign-up list marks them ``Møtt: ja``), the rest are walk-ins; sign-ups for events the
person did not come to are no-shows (``Møtt: nei``). Identifiers are fake: names from a
small fixed list, e-mail addresses on the reserved domains ``example.org``/``example.no`` and
phone numbers from the block 4000 0000 + i, in the formats organisers' lists really mix. The
traps a reader must handle are planted and counted in the returned record:

- check-in rows with the phone only, and e-mail addresses with other casing and spaces;
- malformed identifiers (kept and reported), each on a row whose other identifier is valid
  and links the row to its person, so the distinct count is unaffected;
- one near-duplicate: two different people with the same name and birth year (and their
  own e-mail and phone), to be listed for review and never merged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit.datasets._timing import TIMEZONE

__all__ = ["organiser_lists"]

_FIRST = ("Kari", "Ola", "Ingrid", "Lars", "Siri", "Per", "Nora", "Jonas", "Emma", "Elias",
          "Sara", "Jakob", "Ida", "Henrik", "Maja", "Aksel", "Thea", "Magnus", "Vilde",
          "Sander")
_LAST = ("Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen",
         "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Berg", "Haugen", "Dahl", "Lie")
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
_SIGNED_UP = 0.8  # share of attendances that were signed up for
_NO_SHOWS = 0.12  # no-show sign-ups per attendance
_PHONE_ONLY = 0.2  # check-in rows with the phone only
_MESSY_EMAIL = 0.25  # e-mail addresses written with other casing and spaces


def _people(register: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Name, e-mail, phone and birth year per person; one planted near-duplicate pair."""
    n = len(register)
    if n > len(_FIRST) * len(_LAST):
        raise ValueError(f"at most {len(_FIRST) * len(_LAST)} demo participants (got {n})")
    combo = rng.permutation(len(_FIRST) * len(_LAST))[:n]
    first = np.array(_FIRST)[combo % len(_FIRST)]
    last = np.array(_LAST)[combo // len(_FIRST)]
    local = pd.Series(first).str.lower() + "." + pd.Series(last).str.lower().str.translate(_ASCII)
    domain = np.where(rng.random(n) < 0.5, "example.org", "example.no")
    people = pd.DataFrame({
        "name": pd.Series(first) + " " + pd.Series(last),
        "email": local + (np.arange(n) + 1).astype(str) + "@" + domain,
        "phone": (40000000 + np.arange(n) + 1).astype(str),
        "birth_year": 2025 - register["age"].to_numpy().astype(int),
        "municipality": register["municipality"].astype(str).to_numpy(),
    })
    a, b = rng.choice(n, 2, replace=False)  # b: another person with a's name and birth year
    people.loc[b, ["name", "birth_year"]] = people.loc[a, ["name", "birth_year"]].to_numpy()
    return people.assign(near_pair=np.isin(np.arange(n), [a, b]))


def _phone_text(phone: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Write 8-digit numbers as +47 4000 0012, 004740000012, 40000012 or 400 00 012."""
    style = rng.integers(0, 4, len(phone))
    forms = np.select(
        [style == 0, style == 1, style == 2],
        ["+47 " + phone.str[:4] + " " + phone.str[4:], "0047" + phone, phone],
        phone.str[:3] + " " + phone.str[3:5] + " " + phone.str[5:],
    )
    return pd.Series(forms, index=phone.index)


def _messy(email: pd.Series, rng: np.random.Generator) -> tuple[pd.Series, int]:
    """Capitalise some addresses and pad them with spaces, as typed at the door."""
    pick = rng.random(len(email)) < _MESSY_EMAIL
    loud = " " + email.str.title() + " "
    return email.where(~pick, loud), int(pick.sum())


def _no_shows(visits: pd.DataFrame, n_events: int, rng: np.random.Generator) -> pd.DataFrame:
    n = round(_NO_SHOWS * len(visits))
    cand = pd.DataFrame({"person": rng.choice(visits["person"].unique(), n),
                         "event": rng.integers(0, n_events, n)}).drop_duplicates()
    came = cand.merge(visits[["person", "event"]], how="left", indicator=True)
    return cand[(came["_merge"] == "left_only").to_numpy()].reset_index(drop=True)


def _checkin(visits: pd.DataFrame, people: pd.DataFrame, signed: np.ndarray,
             rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, int]]:
    who = people.iloc[visits["person"].to_numpy()].reset_index(drop=True)
    email, messy = _messy(who["email"], rng)
    phone_only = rng.random(len(who)) < _PHONE_ONLY
    email = email.where(~phone_only, "")
    phone = _phone_text(who["phone"], rng)
    # malformed identifiers: two e-mails without '@' next to a valid phone, one short phone
    # next to a valid e-mail on a signed-up attendance (the sign-up row links both)
    with_mail = np.flatnonzero(~phone_only & signed)
    bad = rng.choice(with_mail, min(3, len(with_mail)), replace=False)
    mail, tel = bad[:2], bad[2:]
    email.iloc[mail] = who["email"].iloc[mail].str.replace("@", "(at)", regex=False)
    phone.iloc[tel] = who["phone"].iloc[tel].str[:3] + " " + who["phone"].iloc[tel].str[-2:]
    evening = pd.to_datetime(visits["date"]) + pd.Timedelta(hours=18)
    arrive = evening + pd.to_timedelta(rng.integers(0, 5400, len(who)), unit="s")
    sheet = pd.DataFrame({
        "Arrangement": visits["event_id"].to_numpy(), "Navn": who["name"],
        "E-post": email, "Mobil": phone, "Fødselsår": who["birth_year"],
        "Kommune": who["municipality"],
        "Innsjekket tid": arrive.dt.strftime("%d.%m.%Y %H:%M").to_numpy(),
    })
    counts = {"phone_only_rows": int(phone_only.sum()), "messy_email_rows": messy,
              "malformed_email_rows": len(mail), "malformed_phone_rows": len(tel)}
    return sheet, counts


def _signup(visits: pd.DataFrame, signed: np.ndarray, no_show: pd.DataFrame,
            people: pd.DataFrame, events: pd.DataFrame,
            rng: np.random.Generator) -> pd.DataFrame:
    rows = pd.concat([visits.loc[signed, ["person", "event"]].assign(came=True),
                      no_show.assign(came=False)], ignore_index=True)
    ev = events.iloc[rows["event"].to_numpy()].reset_index(drop=True)
    who = people.iloc[rows["person"].to_numpy()].reset_index(drop=True)
    before = pd.to_timedelta(rng.integers(3600, 21 * 86400, len(rows)), unit="s")
    when = (pd.to_datetime(ev["date"]) + pd.Timedelta(hours=18) - before).dt.tz_localize(TIMEZONE)
    out = pd.DataFrame({
        "Påmeldt": when.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
        "Arrangement": ev["event_id"].to_numpy(), "Navn": who["name"], "E-post": who["email"],
        "Mobil": _phone_text(who["phone"], rng), "Fødselsår": who["birth_year"],
        "Kommune": who["municipality"], "Møtt": np.where(rows["came"], "ja", "nei"),
    })
    return out.sort_values("Påmeldt", kind="stable").reset_index(drop=True)


def organiser_lists(visits: pd.DataFrame, register: pd.DataFrame, events: pd.DataFrame, *,
                    seed: int) -> dict[str, Any]:
    """Return ``{"signup", "checkin", "planted"}`` for the simulated attendances.

    ``visits`` has one row per attendance (``person``, ``event``, ``event_id``, ``date``);
    ``register`` one row per person (``age``, ``municipality``). ``planted`` counts what a
    reader must recover: people, attendances, sign-ups, no-shows, walk-ins, phone-only and
    messy e-mail rows, malformed identifiers and near-duplicate pairs.

    Examples
    --------
    >>> events = pd.DataFrame({"event_id": ["KV-01", "KV-02"], "date": ["2025-09-04",
    ...                        "2025-10-09"], "concept": "open_evening_venue"})
    >>> visits = pd.DataFrame({"person": [0, 1, 2, 3, 0, 2], "event": [0, 0, 0, 0, 1, 1]})
    >>> visits = visits.join(events, on="event")
    >>> register = pd.DataFrame({"age": [25, 31, 28, 22], "municipality": [3403] * 4})
    >>> lists = organiser_lists(visits, register, events, seed=1)
    >>> lists["planted"]["people"], lists["planted"]["attendances"], len(lists["checkin"])
    (4, 6, 6)

    """
    rng = np.random.default_rng(seed)
    people = _people(register, rng)
    visits = visits.reset_index(drop=True)
    signed = rng.random(len(visits)) < _SIGNED_UP
    checkin, counts = _checkin(visits, people, signed, rng)
    no_show = _no_shows(visits, len(events), rng)
    signup = _signup(visits, signed, no_show, people, events, rng)
    planted = {
        "people": int(visits["person"].nunique()),
        "attendances": len(checkin),
        "signup_rows": len(signup),
        "checkin_rows": len(checkin),
        "signed_up_and_came": int(signed.sum()),
        "walk_ins": int((~signed).sum()),
        "no_shows": len(no_show),
        **counts,
        "malformed_identifiers": counts["malformed_email_rows"] + counts["malformed_phone_rows"],
        "near_duplicate_pairs": 1,
        "near_duplicate_people": int(people["near_pair"].sum()),
        "near_duplicate_rows": int(people["near_pair"].to_numpy()[visits["person"]].sum()),
    }
    return {"signup": signup, "checkin": checkin, "planted": planted}
