"""Meeting-place pilots: events, participants who attend one or more events, feedback forms.

Participants come from the population frame; each has a main concept and attends one to five
events (most one or two), some of other concepts. About 72 % of attendances produce a
feedback form. A participant's age, municipality and e-mail are the same on every form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from surveykit.datasets._generate import generate_responses
from surveykit.datasets._meeting_lists import organiser_lists
from surveykit.datasets._timing import TIMEZONE

__all__ = ["simulate_meeting_places"]

_PREFIX = {
    "open_evening_venue": "KV",
    "activity_night": "AK",
    "newcomer_networking": "NT",
    "outdoor_meetup": "FR",
}
_EVENTS_PER_CONCEPT = 6
_FEEDBACK_SHARE = 0.72


def _events(concepts: list[str], first_day: dt.date) -> pd.DataFrame:
    rows = []
    for c_idx, concept in enumerate(concepts):
        for k in range(_EVENTS_PER_CONCEPT):
            day = first_day + dt.timedelta(days=20 + 3 * c_idx + 35 * k)
            prefix = _PREFIX.get(concept, concept[:2].upper())
            rows.append({"event_id": f"{prefix}-{k + 1:02d}", "concept": concept, "date": day})
    return pd.DataFrame(rows)


def _visits(n_people: int, events: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    concepts = list(dict.fromkeys(events["concept"]))
    main = rng.choice(len(concepts), n_people, p=_shares(len(concepts)))
    k = 1 + np.minimum(rng.poisson(0.6, n_people), 4)
    person = np.repeat(np.arange(n_people), k)
    own = rng.random(len(person)) < 0.7
    concept = np.where(own, main[person], rng.integers(0, len(concepts), len(person)))
    slot = rng.integers(0, _EVENTS_PER_CONCEPT, len(person))
    visits = pd.DataFrame({"person": person, "event": concept * _EVENTS_PER_CONCEPT + slot})
    visits = visits.drop_duplicates().reset_index(drop=True)
    ev = events.iloc[visits["event"].to_numpy()].reset_index(drop=True)
    visits = pd.concat([visits, ev], axis=1).sort_values(["date", "person"], kind="stable")
    visits["first_visit"] = ~visits.duplicated("person")
    return visits.reset_index(drop=True)


def _shares(k: int) -> np.ndarray:
    base = np.array([0.35, 0.25, 0.2, 0.2][:k] + [0.2] * max(0, k - 4))
    return base / base.sum()


def simulate_meeting_places(
    instrument: Any, n_participants: int, *, seed: int, population: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Simulate events, attendance and feedback forms for the meeting-place pilots.

    Returns ``{"events", "register", "attendance", "feedback", "signup", "checkin",
    "planted"}``: ``attendance`` is the truth (one row per attendance, with the person's
    ``participant_id``); ``signup`` and ``checkin`` are the organisers' exports of it (see
    :func:`organiser_lists`, which ``planted`` counts); ``feedback`` is in the canonical
    layout of :func:`generate_responses` (one row per form, no participant id: the form is
    anonymous apart from an optional e-mail).
    """
    rng = np.random.default_rng(seed)
    concepts = [str(c) for c in instrument.choice_lists["mp_concept"].codes]
    events = _events(concepts, instrument.released or dt.date(2025, 8, 15))
    people = generate_responses(
        instrument, n_participants, seed=seed + 1, population=population, quality=False
    )
    people = people.sample(frac=1.0, random_state=seed % 2**32).reset_index(drop=True)
    register = pd.DataFrame(
        {
            "participant_id": [f"P{i + 1:04d}" for i in range(n_participants)],
            "age": people["age"].to_numpy(),
            "municipality": people["municipality"].to_numpy(),
        }
    )
    visits = _visits(n_participants, events, rng)
    visits["participant_id"] = register["participant_id"].to_numpy()[visits["person"]]
    answered = visits[rng.random(len(visits)) < _FEEDBACK_SHARE].reset_index(drop=True)
    forms = generate_responses(
        instrument,
        len(answered),
        seed=seed + 2,
        population=population,
        quality={
            "partial": 0.0,
            "outside_universe": 0.0,
            "duplicate": 0.0,
            "straightliner": 0.0,
            "speeder": 0.02,
        },
    )
    feedback = _personalise(forms, answered, people, rng)
    attendance = visits[["participant_id", "event_id", "concept", "date"]]
    lists = organiser_lists(visits, register, events, seed=seed + 3)
    return {"events": events, "register": register, "attendance": attendance,
            "feedback": feedback, **lists}


def _personalise(
    forms: pd.DataFrame, visits: pd.DataFrame, people: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Give each form its visit's concept, event, first-visit answer, person and time."""
    out = forms.copy()
    person = visits["person"].to_numpy()
    for col in ("age", "municipality", "email"):
        out[col] = people[col].to_numpy()[person]
    out["concept"] = pd.array(visits["concept"].to_numpy(), dtype="string")
    typed = rng.random(len(out)) < 0.9  # the code is prefilled from the QR link, mostly
    out["event_id"] = visits["event_id"].astype("string").where(typed).array
    first = np.where(visits["first_visit"], 1, 2)
    out["first_visit"] = pd.array(np.where(rng.random(len(out)) < 0.03, 98, first), dtype="Int64")
    evening = pd.to_datetime(visits["date"]).dt.tz_localize(TIMEZONE) + pd.Timedelta(hours=18)
    end = evening + pd.to_timedelta(rng.uniform(5400, 12600, len(out)).round(), unit="s")
    start = end - pd.to_timedelta(out["duration_s"].round().to_numpy(), unit="s")
    out["end_time"] = end.array
    out["start_time"] = start.array
    order = np.argsort(out["end_time"].to_numpy(), kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    out["respondent_id"] = np.arange(1, len(out) + 1, dtype=np.int64)
    new_id = dict(zip(forms["respondent_id"].to_numpy()[order], out["respondent_id"], strict=True))
    rec = forms.attrs["surveykit.synthetic"]
    rec = {
        **rec,
        "flags": {k: sorted(int(new_id[i]) for i in v) for k, v in rec["flags"].items()},
        "participants": int(visits["person"].nunique()),
    }
    out.attrs["surveykit.synthetic"] = rec
    return out
