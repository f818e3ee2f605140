"""Validation of pseudonymised attendance rows against the event register.

Exclusions (the row does not count): ``missing_event``, ``unknown_event``,
``date_outside_period``, ``no_show``, ``duplicate_within_event`` (the same person again at the
same event; the first row is kept). Flags (the row counts): ``malformed_identifier``,
``missing_identifier`` (both: an unidentified attendance when no valid identifier is left),
``concept_mismatch``, ``date_mismatch`` and ``near_duplicate`` (same name and birth year,
different identifiers: listed for review, never merged). Every rule is vectorised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from surveykit.participation._attributes import attended, parse_attributes
from surveykit.participation._columns import parse_dates
from surveykit.participation._register import EventRegister

__all__ = ["EXCLUSIONS", "FLAGS", "REPORT_COLUMNS", "validate"]

#: exclusion rules, in the order that decides ``excluded_by``
EXCLUSIONS: tuple[str, ...] = ("missing_event", "unknown_event", "date_outside_period",
                               "no_show", "duplicate_within_event")
#: flag rules (rows kept)
FLAGS: tuple[str, ...] = ("malformed_identifier", "missing_identifier", "concept_mismatch",
                          "date_mismatch", "near_duplicate")
REPORT_COLUMNS = ["source", "row", "event_id", "person_id", "rule", "severity", "value",
                  "message"]

Checked = tuple[pd.DataFrame, pd.DataFrame, dict[str, int], dict[str, int], pd.DataFrame]


def _rows(safe: pd.DataFrame, mask: np.ndarray, rule: str, severity: str,
          value: pd.Series | str | None, message: pd.Series | str) -> pd.DataFrame:
    sub = safe[mask]
    val = value[mask] if isinstance(value, pd.Series) else value
    msg = message[mask] if isinstance(message, pd.Series) else message
    return pd.DataFrame({
        "source": sub["source"].to_numpy(), "row": sub["row"].to_numpy(),
        "event_id": sub["event_id"].to_numpy(), "person_id": sub["person_id"].to_numpy(),
        "rule": rule, "severity": severity,
        "value": pd.Series(val, index=sub.index, dtype="string").to_numpy(),
        "message": pd.Series(msg, index=sub.index, dtype="string").to_numpy(),
    }, columns=REPORT_COLUMNS)


def _events(safe: pd.DataFrame, register: EventRegister) -> tuple[pd.DataFrame, list]:
    """Look events up (case-insensitively); report missing and unknown ones."""
    given = safe["event_id"].astype("string").str.strip().mask(lambda s: s == "")
    ev = register.events.assign(_key=register.events["event_id"].str.upper())
    found = ev.set_index("_key").reindex(given.str.upper().to_numpy())
    found.index = safe.index
    missing = given.isna().to_numpy()
    unknown = (~missing) & found["event_id"].isna().to_numpy()
    parts = [
        _rows(safe, missing, "missing_event", "error", None,
              "no event id on this row; fill it in, or pass event_id= for a one-event sheet"),
        _rows(safe, unknown, "unknown_event", "error", given,
              f"event id not in the register {register.source}; add the event to the "
              "register or correct the id"),
    ]
    return found, parts


def _dates(safe: pd.DataFrame, found: pd.DataFrame, register: EventRegister,
           known: np.ndarray) -> tuple[np.ndarray, list]:
    outside = known & ~register.in_period(found["date"].fillna(pd.Timestamp(register.period[0])))
    start, end = register.period
    row_date = parse_dates(safe["date"])
    differs = (known & row_date.notna().to_numpy()
               & (row_date.to_numpy() != found["date"].to_numpy()))
    parts = [
        _rows(safe, outside, "date_outside_period", "error",
              found["date"].dt.strftime("%Y-%m-%d"),
              f"the event is dated outside the project period {start}..{end}"),
        _rows(safe, differs, "date_mismatch", "warning", row_date.dt.strftime("%Y-%m-%d"),
              "the row's date differs from the register's date of the event; the register's "
              "date is used"),
    ]
    return outside, parts


def _identifier_flags(safe: pd.DataFrame, keep: np.ndarray) -> list[pd.DataFrame]:
    parts = []
    unidentified = (safe["id_status"] != "ok").to_numpy()
    tail = pd.Series(np.where(unidentified, "; no valid identifier is left, so the row counts "
                              "as an unidentified attendance", "; another identifier is "
                              "valid"), index=safe.index)
    for col, label in (("email_problem", "e-mail address"), ("phone_problem", "phone number")):
        bad = keep & safe[col].notna().to_numpy()
        what = f"malformed {label} (kept, not dropped; correct it in the source file)"
        msg = what + tail.astype(str)
        parts.append(_rows(safe, bad, "malformed_identifier", "warning", safe[col], msg))
    none = keep & (safe["id_status"] == "missing").to_numpy()
    parts.append(_rows(safe, none, "missing_identifier", "warning", None,
                       "no e-mail, phone or participant id: counted as an unidentified "
                       "attendance"))
    return parts


def _near_duplicates(data: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """List rows whose hashed name and birth year belong to more than one person."""
    cand = data[data["name_key"].notna() & data["birth_year"].notna()
                & data["person_id"].notna()]
    people = cand.groupby(["name_key", "birth_year"], observed=True)["person_id"].transform(
        "nunique")
    hit = cand[people > 1]
    group = hit.groupby(["name_key", "birth_year"], observed=True).ngroup() + 1
    table = pd.DataFrame({"group": group.to_numpy(), "person_id": hit["person_id"].to_numpy(),
                          "birth_year": hit["birth_year"].to_numpy(),
                          "source": hit["source"].to_numpy(), "row": hit["row"].to_numpy(),
                          "event_id": hit["event_id"].to_numpy()})
    table = table.sort_values(["group", "person_id", "source", "row"], kind="stable")
    return table.reset_index(drop=True), data.index.isin(hit.index)


def validate(safe: pd.DataFrame, register: EventRegister) -> Checked:
    """Return ``(data, report, excluded_by, flagged, near_duplicates)``."""
    found, parts = _events(safe, register)
    known = found["event_id"].notna().to_numpy()
    outside, more = _dates(safe, found, register, known)
    parts += more
    safe = safe.assign(event_id=found["event_id"].fillna(safe["event_id"]))
    no_show = known & ~outside & ~attended(safe["attended"]).to_numpy()
    parts.append(_rows(safe, no_show, "no_show", "info", None,
                       "signed up but marked as not attended"))
    candidate = known & ~outside & ~no_show
    ident = candidate & safe["person_id"].notna().to_numpy()
    dup = np.zeros(len(safe), dtype=bool)
    dup[ident] = safe.loc[ident, ["person_id", "event_id"]].duplicated().to_numpy()
    parts.append(_rows(safe, dup, "duplicate_within_event", "warning", None,
                       "the same person is already listed for this event (e.g. on both the "
                       "sign-up and the check-in list); counted once"))
    keep = candidate & ~dup
    concept_given = safe["concept"].astype("string").str.strip()
    mismatch = keep & (concept_given.notna() & (concept_given != found["concept"])).to_numpy()
    parts.append(_rows(safe, mismatch, "concept_mismatch", "warning", concept_given,
                       "the row's concept differs from the register's; the register is used"))
    parts += _identifier_flags(safe, keep)
    data = pd.concat([safe[["source", "row", "event_id"]],
                      found[["concept", "date"]].set_axis(safe.index),
                      safe[["person_id", "id_status", "name_key"]],
                      parse_attributes(safe, found["date"])], axis=1)[keep]
    near, near_rows = _near_duplicates(data)
    parts.append(_rows(data, near_rows, "near_duplicate", "flag", None,
                       "same name and birth year as another participant with a different "
                       "e-mail/phone: review (not merged)"))
    report = pd.concat([p for p in parts if len(p)] or [pd.DataFrame(columns=REPORT_COLUMNS)],
                       ignore_index=True)
    return (data.drop(columns="name_key").reset_index(drop=True), report,
            _excluded_by(known, safe, outside, no_show, dup), _flagged(report, data), near)


def _excluded_by(known: np.ndarray, safe: pd.DataFrame, outside: np.ndarray,
                 no_show: np.ndarray, dup: np.ndarray) -> dict[str, int]:
    given = safe["event_id"].astype("string").str.strip().mask(lambda s: s == "")
    missing = given.isna().to_numpy()
    counts = {"missing_event": missing, "unknown_event": ~known & ~missing,
              "date_outside_period": outside, "no_show": no_show,
              "duplicate_within_event": dup}
    return {k: int(v.sum()) for k, v in counts.items() if v.any()}


def _flagged(report: pd.DataFrame, data: pd.DataFrame) -> dict[str, int]:
    flags = report[report["rule"].isin(FLAGS)]
    rows = flags.drop_duplicates(["rule", "source", "row"])
    return {str(k): int(v) for k, v in rows["rule"].value_counts(sort=False).items()}
