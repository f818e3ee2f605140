"""``participation(register, attendance, feedback=None)``: the indicators against the target."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveykit._display import object_html
from surveykit.participation import _tables as tables
from surveykit.participation._attendance import Attendance, AttendanceAccounting, read_attendance
from surveykit.participation._concept_tests import concept_tests
from surveykit.participation._feedback import Feedback, feedback_frame, feedback_indicators
from surveykit.participation._register import EventRegister

__all__ = ["NOTES", "TARGET", "ParticipationResult", "participation"]

#: the project's participation target (distinct young adults over the project period)
TARGET = 300

#: the caveats every report of these indicators carries
NOTES: dict[str, str] = {
    "census": "Participation figures count every person on the attendance lists (a census "
              "of participants, not a sample): they have no sampling error and no intervals.",
    "identity": "A person is counted once across events and concepts: e-mail addresses and "
                "phone numbers are normalised and replaced by keyed pseudonyms, and rows "
                "sharing any of them are the same person. Attendances without a valid "
                "identifier count for their event but not as distinct participants.",
    "identity_session": "A person is counted once across events and concepts: e-mail "
                        "addresses and phone numbers are normalised and replaced by "
                        "pseudonyms under a random key used for this run only (no pseudonym "
                        "key was configured), so they cannot be linked to any other run or "
                        "file. Attendances without a valid identifier count for their event "
                        "but not as distinct participants.",
    "near_duplicates": "Possible duplicates (same name and birth year, different e-mail or "
                       "phone) are listed for review and not merged, so the distinct count "
                       "can be slightly too high.",
    "feedback": "Feedback-form respondents chose to answer (a self-selected sample of "
                "attendances). Their answers are not weighted to the participants or the "
                "population; the intervals are computed on an unweighted design of the forms "
                "and describe sampling variation only, not self-selection. AAPOR advises "
                "against a response rate for such samples; the number of forms per "
                "attendance is shown instead.",
}


@dataclass(frozen=True)
class ParticipationResult:
    """Meeting-place participation indicators (all tables are tidy DataFrames of numbers).

    Attributes
    ----------
    indicators : pandas.DataFrame
        ``indicator``, ``value``: participants, target, share of target, attendances,
        unidentified attendances, events, concepts, returning participants, share 20-40...
    progress : pandas.DataFrame
        Per month: ``attendances``, ``new_participants``, ``cumulative_participants``,
        ``target`` and ``even_pace`` (the target spread evenly over the period).
    by_concept, by_municipality, by_age_band, by_newcomer : pandas.DataFrame
        Participants per concept (with events, attendances, first-time participants), per
        municipality code, per age band at the first attendance (``share_of_known``) and,
        when recorded, by newcomer status (else None).
    first_time_returning, per_event, repeat_visits : pandas.DataFrame
        Attendances by first-time/returning per concept; one row per registered event;
        participants by the number of events attended.
    feedback : pandas.DataFrame or None
        Per concept and ``"all"``: ``indicator`` (satisfaction_mean, satisfaction_top2,
        come_again, nps), ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``df``, ``n``.
    accounting, report, near_duplicates
        From :class:`Attendance` (row accounting, problems, people to review).
    target, period, confidence_level, notes
        The target, the project period, the interval level and the caveats (:data:`NOTES`).
    key_mode : {"configured", "session"}
        From :class:`Attendance`: the configured pseudonym key, or a random key for this
        session only.
    concept_tests, concept_pairs : pandas.DataFrame or None
        With feedback: unweighted rank tests of the answers across concepts (Kruskal-Wallis)
        and between each pair (Mann-Whitney, Holm), from
        :func:`~surveykit.participation._concept_tests.concept_tests`; else None.

    """

    indicators: pd.DataFrame
    progress: pd.DataFrame
    by_concept: pd.DataFrame
    by_municipality: pd.DataFrame
    by_age_band: pd.DataFrame
    by_newcomer: pd.DataFrame | None
    first_time_returning: pd.DataFrame
    per_event: pd.DataFrame
    repeat_visits: pd.DataFrame
    feedback: pd.DataFrame | None
    accounting: AttendanceAccounting
    report: pd.DataFrame
    near_duplicates: pd.DataFrame
    target: int
    period: tuple[dt.date, dt.date]
    confidence_level: float
    notes: tuple[str, ...]
    key_mode: str = "configured"
    concept_tests: pd.DataFrame | None = None
    concept_pairs: pd.DataFrame | None = None

    @property
    def participants(self) -> int:
        """Distinct participants."""
        return int(self.value("participants"))

    def value(self, indicator: str) -> float:
        """One value of :attr:`indicators` by name (KeyError lists the names)."""
        s = self.indicators.set_index("indicator")["value"]
        if indicator not in s.index:
            raise KeyError(f"no indicator {indicator!r}; available: {list(s.index)}")
        return float(s[indicator])

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every non-empty table by name (what reports and the privacy tests walk)."""
        names = ("summary", "progress", "by_concept", "by_municipality", "by_age_band",
                 "by_newcomer", "first_time_returning", "per_event", "repeat_visits",
                 "feedback", "concept_tests", "concept_pairs", "report", "near_duplicates")
        # "summary": the indicators, under the name the reports and privacy checks use
        out = {n: getattr(self, "indicators" if n == "summary" else n) for n in names}
        out["accounting"] = self.accounting.to_frame()
        return {n: t for n, t in out.items() if t is not None}

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`indicators` (``indicator, value``); :meth:`tables` has all."""
        return self.indicators.copy()

    def summary(self) -> pd.DataFrame:
        """Return the indicators the display shows: the same frame as :meth:`to_frame`.

        (``summary`` used to be this frame as an attribute; the attribute is
        :attr:`indicators` now.)
        """
        return self.to_frame()

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("indicators", self.summary()),
                           ("by concept", self.by_concept), ("feedback", self.feedback))

    def __repr__(self) -> str:
        return (f"ParticipationResult({self.participants} distinct participants of target "
                f"{self.target}, {int(self.value('attendances'))} attendances at "
                f"{int(self.value('events_held'))} events, {len(self.by_concept)} concepts)")


def participation(
    register: EventRegister | str | os.PathLike[str],
    attendance: Attendance | str | os.PathLike[str] | Sequence[Any],
    feedback: Feedback | None = None, *,
    target: int = TARGET, confidence_level: float = 0.95,
) -> ParticipationResult:
    """Meeting-place participation indicators against the target.

    Parameters
    ----------
    register : EventRegister or path
        The events (``EventRegister.load`` is called on a path).
    attendance : Attendance, path or list of paths
        Attendance read with :func:`read_attendance` against the same register, or files
        to read with it.
    feedback : Responses, DataFrame or path, optional
        The meeting_place_feedback forms; adds satisfaction, come-again and NPS per concept
        (self-selected respondents: unweighted, see Notes) and rank tests comparing the
        concepts.
    target : int, default 300
        Distinct participants the project aims for.
    confidence_level : float, default 0.95
        Level of the feedback intervals.

    Returns
    -------
    ParticipationResult

    Notes
    -----
    Participation counts are a census of the lists, without intervals. Feedback intervals
    come from an unweighted :class:`~surveykit.SurveyDesign` of the forms (means and
    ``sk.nps``/top-box shares with linearisation SEs and the design's degrees of freedom);
    they ignore self-selection, which no weighting can repair without a frame. The concepts
    are compared with unweighted rank tests (Kruskal-Wallis, pairwise Mann-Whitney with Holm
    correction, effect sizes), which are not design-based by nature.

    Examples
    --------
    >>> import surveykit as sk
    >>> reg = sk.EventRegister.from_frame(pd.DataFrame({"event_id": ["A1", "B1", "C1"],
    ...     "concept": ["activity_night", "outdoor_meetup", "activity_night"],
    ...     "date": ["2025-09-01", "2025-09-08", "2025-10-06"]}))
    >>> lists = pd.DataFrame({"event_id": ["A1", "A1", "B1", "C1"],
    ...     "participant_id": ["p1", "p2", "p1", "p3"], "age": [25, 45, 25, 31]})
    >>> res = sk.participation(reg, sk.read_attendance(lists, reg))
    >>> res.participants, round(res.value("share_20_40"), 3)
    (3, 0.667)
    >>> res.by_concept[["concept", "attendances", "participants"]].to_dict("list")
    {'concept': ['activity_night', 'outdoor_meetup'], 'attendances': [3, 1], 'participants': [3, 1]}

    """
    if not isinstance(register, EventRegister):
        register = EventRegister.load(register)
    if not isinstance(attendance, Attendance):
        attendance = read_attendance(attendance, register)
    elif not attendance.register.events.equals(register.events):
        raise ValueError("'attendance' was validated against another event register; read it "
                         "again with read_attendance(paths, register).")
    if not 0 < confidence_level < 1:
        raise ValueError(f"'confidence_level' must be between 0 and 1 (got {confidence_level!r}).")
    data = tables.mark_first_time(attendance.data)
    persons = tables.people(data)
    parts = _census(data, persons, register, target)
    fb, n_forms = None, 0
    tests: tuple[pd.DataFrame | None, pd.DataFrame | None] = (None, None)
    if feedback is not None:
        forms = feedback_frame(feedback, register)
        fb = feedback_indicators(forms, register.concepts, confidence_level=confidence_level)
        tests = concept_tests(forms, register.concepts)
        n_forms = len(forms)
    indicators = _summary(data, persons, register, target,
                          n_forms if fb is not None else None)
    identity = "identity" if attendance.key_mode == "configured" else "identity_session"
    notes = tuple(NOTES[k] for k in ("census", identity, "near_duplicates")) + (
        (NOTES["feedback"],) if fb is not None else ())
    return ParticipationResult(
        indicators=indicators, feedback=fb, accounting=attendance.accounting,
        report=attendance.report, near_duplicates=attendance.near_duplicates, target=target,
        period=register.period, confidence_level=confidence_level, notes=notes,
        key_mode=attendance.key_mode, concept_tests=tests[0], concept_pairs=tests[1], **parts)


def _census(data: pd.DataFrame, persons: pd.DataFrame, register: EventRegister,
            target: int) -> dict[str, Any]:
    total = len(persons)
    newcomer = None
    if persons["newcomer"].notna().any():
        yes_no = persons.assign(newcomer=persons["newcomer"].map({True: "yes", False: "no"}))
        newcomer = tables.by_attribute(yes_no, "newcomer", total)
    return {
        "progress": tables.progress(data, target, register.period),
        "by_concept": tables.by_concept(data, register.events, total),
        "by_municipality": tables.by_attribute(persons, "municipality", total),
        "by_age_band": tables.by_age_band(persons),
        "by_newcomer": newcomer,
        "first_time_returning": tables.first_time_returning(data),
        "per_event": tables.per_event(data, register.events),
        "repeat_visits": tables.repeat_visits(persons),
    }


def _summary(data: pd.DataFrame, persons: pd.DataFrame, register: EventRegister, target: int,
             forms: int | None) -> pd.DataFrame:
    n = len(persons)
    ages = pd.to_numeric(persons["age"], errors="coerce")
    known = int(ages.notna().sum())
    in_band = int(ages.between(20, 40).sum())
    values = {
        "participants": n, "target": target, "share_of_target": n / target,
        "attendances": len(data), "unidentified_attendances": int(data["person_id"].isna().sum()),
        "events_registered": len(register), "events_held": int(data["event_id"].nunique()),
        "concepts_held": int(data["concept"].nunique()),
        "returning_participants": int((persons["events"] > 1).sum()),
        "share_returning": (persons["events"] > 1).mean() if n else np.nan,
        "mean_events_per_participant": persons["events"].mean() if n else np.nan,
        "participants_age_known": known, "participants_20_40": in_band,
        "share_20_40": in_band / known if known else np.nan,
    }
    if forms is not None:
        values["feedback_forms"] = forms
        values["feedback_forms_per_attendance"] = forms / len(data) if len(data) else np.nan
    return pd.DataFrame({"indicator": list(values), "value": np.asarray(list(values.values()),
                                                                       dtype=float)})
