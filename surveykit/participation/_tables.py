"""Census tables of participation: every person on the lists is counted, nothing is estimated.

Each function takes the accepted attendance rows (one per person and event; ``person_id``
NA for an unidentified attendance) with a ``first_time`` column from :func:`mark_first_time`
and returns a tidy frame of counts and shares. People are attributed to the attributes of
their first attendance (the earliest event with a known value).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = [
    "AGE_BANDS",
    "by_age_band",
    "by_attribute",
    "by_concept",
    "first_time_returning",
    "mark_first_time",
    "people",
    "per_event",
    "progress",
    "repeat_visits",
]

#: (label, lowest age, highest age) of the age bands; the target group is 20-40 inclusive
AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("under 20", -np.inf, 19), ("20-24", 20, 24), ("25-29", 25, 29), ("30-34", 30, 34),
    ("35-40", 35, 40), ("over 40", 41, np.inf),
)


def mark_first_time(data: pd.DataFrame) -> pd.DataFrame:
    """Sort by date and add ``first_time`` (True, False, NA for unidentified rows)."""
    out = data.sort_values(["date", "event_id", "source", "row"], kind="stable")
    ident = out["person_id"].notna()
    first = pd.Series(pd.NA, index=out.index, dtype="boolean")
    first[ident] = ~out.loc[ident, "person_id"].duplicated()
    return out.assign(first_time=first).reset_index(drop=True)


def people(data: pd.DataFrame) -> pd.DataFrame:
    """One row per identified person: first visit, number of events, first known attributes."""
    ident = data[data["person_id"].notna()]
    g = ident.groupby("person_id", sort=True)
    out = pd.DataFrame({
        "first_date": g["date"].min(),
        "first_concept": g["concept"].first(),
        "events": g["event_id"].nunique(),
        "concepts": g["concept"].nunique(),
    })
    for col in ("age", "municipality", "newcomer"):
        out[col] = g[col].first()  # first non-missing value, in date order
    return out.reset_index()


def progress(data: pd.DataFrame, target: int, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """Monthly attendances, new participants and cumulative distinct participants.

    ``even_pace`` is the target spread evenly over the project period (at each month's end).
    """
    start, end = (pd.Timestamp(d) for d in period)
    last = max(data["date"].max(), start) if len(data) else start
    months = pd.period_range(start, min(last, end), freq="M")
    month = data["date"].dt.to_period("M")
    firsts = data["first_time"].fillna(False).astype(bool)
    att = month.value_counts().reindex(months, fill_value=0)
    new = month[firsts].value_counts().reindex(months, fill_value=0)
    ends = months.end_time.normalize()
    month_end = ends.where(ends < end, end)
    elapsed = (month_end - start).days.to_numpy() + 1
    span = (end - start).days + 1
    return pd.DataFrame({
        "month": months.to_timestamp(),
        "attendances": att.to_numpy(dtype=np.int64),
        "new_participants": new.to_numpy(dtype=np.int64),
        "cumulative_participants": np.cumsum(new.to_numpy(dtype=np.int64)),
        "target": target,
        "even_pace": target * elapsed / span,
    })


def by_concept(data: pd.DataFrame, events: pd.DataFrame, total: int) -> pd.DataFrame:
    """Per concept: events held, attendances, distinct participants, first-time participants."""
    concepts = list(dict.fromkeys(events["concept"]))
    g = data.groupby("concept", sort=False)
    held = data.drop_duplicates("event_id")["concept"].value_counts()
    out = pd.DataFrame({
        "concept": concepts,
        "events_registered": events["concept"].value_counts().reindex(concepts).to_numpy(),
        "events_held": held.reindex(concepts, fill_value=0).to_numpy(),
        "attendances": g.size().reindex(concepts, fill_value=0).to_numpy(),
        "unidentified": data["person_id"].isna().groupby(data["concept"]).sum()
        .reindex(concepts, fill_value=0).to_numpy(),
        "participants": g["person_id"].nunique().reindex(concepts, fill_value=0).to_numpy(),
        "first_time": g["first_time"].sum().reindex(concepts, fill_value=0).to_numpy(),
    })
    out["share_of_participants"] = out["participants"] / total if total else np.nan
    return out


def by_attribute(persons: pd.DataFrame, column: str, total: int) -> pd.DataFrame:
    """Participants by an attribute (missing values as ``"unknown"``), largest first."""
    values = persons[column].astype("string").fillna("unknown")
    counts = values.value_counts(sort=True)
    known = counts.drop("unknown", errors="ignore")
    order = [*known.index, *(["unknown"] if "unknown" in counts.index else [])]
    out = pd.DataFrame({column: order, "participants": counts.reindex(order).to_numpy()})
    out["share"] = out["participants"] / total if total else np.nan
    return out


def by_age_band(persons: pd.DataFrame) -> pd.DataFrame:
    """Participants by age band at their first attendance; ``share_of_known`` leaves out unknown."""
    age = pd.to_numeric(persons["age"], errors="coerce")
    labels = [b[0] for b in AGE_BANDS]
    band = pd.Series(pd.NA, index=persons.index, dtype="string")
    for label, lo, hi in AGE_BANDS:
        band = band.mask(age.between(lo, hi).fillna(False), label)
    counts = band.fillna("unknown").value_counts().reindex([*labels, "unknown"], fill_value=0)
    known = int(counts.drop("unknown").sum())
    out = pd.DataFrame({"age_band": counts.index, "participants": counts.to_numpy()})
    share = out["participants"] / known if known else np.nan
    out["share_of_known"] = np.where(out["age_band"] == "unknown", np.nan, share)
    return out


def first_time_returning(data: pd.DataFrame) -> pd.DataFrame:
    """Per concept (and in total): first-time, returning and unidentified attendances."""
    status = np.where(data["first_time"].isna(), "unidentified",
                      np.where(data["first_time"].fillna(False), "first_time", "returning"))
    tab = pd.crosstab(data["concept"], status).reindex(
        columns=["first_time", "returning", "unidentified"], fill_value=0)
    order = list(dict.fromkeys(data["concept"]))
    tab = tab.reindex(order)
    tab.loc["all"] = tab.sum()
    return tab.rename_axis(index="concept", columns=None).reset_index()


def per_event(data: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per registered event (zero when nobody came), in date order."""
    g = data.groupby("event_id")
    counts = pd.DataFrame({
        "attendances": g.size(),
        "unidentified": data["person_id"].isna().groupby(data["event_id"]).sum(),
        "first_time": g["first_time"].sum(),
    })
    keep = [c for c in ("event_id", "concept", "date", "municipality", "venue", "format")
            if c in events.columns]
    out = events[keep].merge(counts, left_on="event_id", right_index=True, how="left")
    for col in ("attendances", "unidentified", "first_time"):
        out[col] = out[col].fillna(0).astype(np.int64)
    out["returning"] = out["attendances"] - out["unidentified"] - out["first_time"]
    return out.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def repeat_visits(persons: pd.DataFrame, cap: int = 5) -> pd.DataFrame:
    """Participants by number of events attended (1, 2, ..., ``cap``+)."""
    k = persons["events"].clip(upper=cap)
    labels = [str(i) for i in range(1, cap)] + [f"{cap}+"]
    counts = k.value_counts().reindex(range(1, cap + 1), fill_value=0)
    out = pd.DataFrame({"events_attended": labels, "participants": counts.to_numpy()})
    total = int(counts.sum())
    out["share"] = out["participants"] / total if total else np.nan
    return out
