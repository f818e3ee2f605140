"""The event register: one row per meeting-place event, loaded from YAML or CSV/XLSX.

Every problem of a register file is collected and raised at once, each naming the file, the
row (CSV/XLSX: 1-based data row; YAML: ``events[i]``) and the key.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._yaml import YamlError, describe, load_yaml
from surveykit.errors import IngestionError
from surveykit.ingestion import read_table
from surveykit.ingestion._guards import show_columns
from surveykit.participation._columns import fold, parse_dates, resolve_columns

__all__ = ["PROJECT_PERIOD", "EventRegister", "as_period"]

#: the project period of "Rom for flere unge voksne" (first and last day, inclusive)
PROJECT_PERIOD: tuple[dt.date, dt.date] = (dt.date(2025, 6, 1), dt.date(2027, 6, 1))

REQUIRED = ("event_id", "concept", "date")
OPTIONAL = ("municipality", "venue", "format", "organiser")


def as_period(period: Sequence[Any] | None) -> tuple[dt.date, dt.date]:
    """Validate a ``(first_day, last_day)`` pair (dates or ISO strings).

    Examples
    --------
    >>> as_period(("2025-06-01", "2027-06-01"))
    (datetime.date(2025, 6, 1), datetime.date(2027, 6, 1))

    """
    if period is None:
        return PROJECT_PERIOD
    try:
        start, end = (pd.Timestamp(p).date() for p in period)
    except (TypeError, ValueError):
        raise ValueError(
            f"'period' must be a pair of dates (first day, last day) (got {period!r})."
        ) from None
    if end < start:
        raise ValueError(f"'period' ends ({end}) before it starts ({start}); swap the dates.")
    return start, end


@dataclass(frozen=True)
class EventRegister:
    """The validated list of meeting-place events.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event: ``event_id`` (unique), ``concept``, ``date`` (datetime64),
        and where known ``municipality``, ``venue``, ``format``, ``organiser``.
    source : str
        Where the register came from (a file name, or ``"<frame>"``).
    period : tuple of datetime.date
        First and last day of the project; events outside it are listed by
        :attr:`outside_period` and their attendances are excluded.

    Examples
    --------
    >>> reg = EventRegister.from_frame(pd.DataFrame({
    ...     "Arrangement": ["KV-01", "AK-01"], "Konsept": ["open_evening_venue", "activity_night"],
    ...     "Dato": ["2025-09-04", "2025-09-10"]}))
    >>> len(reg), reg.concepts
    (2, ['open_evening_venue', 'activity_night'])

    """

    events: pd.DataFrame
    source: str = "<frame>"
    period: tuple[dt.date, dt.date] = PROJECT_PERIOD
    columns: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *,
             period: Sequence[Any] | None = None) -> EventRegister:
        """Load a register from ``.yaml``/``.yml`` (a list under ``events:``) or CSV/XLSX.

        Raises
        ------
        IngestionError
            The file cannot be read, lacks ``event_id``/``concept``/``date``, or has blank
            keys, unparseable dates or duplicate event ids (all listed at once).

        """
        p = Path(path)
        if p.suffix.lower() in (".yaml", ".yml"):
            frame, rows = _yaml_events(p), "yaml"
        else:
            frame, rows = read_table(p), "table"
        return cls.from_frame(frame, source=str(p), period=period, _rows=rows)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str = "<frame>",
                   period: Sequence[Any] | None = None, _rows: str = "table") -> EventRegister:
        """Validate a register given as a DataFrame (the input is not modified)."""
        span = as_period(period)
        cols = resolve_columns(frame, REQUIRED + OPTIONAL, source)
        if "event_id" not in cols and "id" in {fold(c) for c in frame.columns}:
            cols["event_id"] = next(str(c) for c in frame.columns if fold(c) == "id")
        missing = [c for c in REQUIRED if c not in cols]
        if missing:
            raise IngestionError(
                f"{source}: the event register has no column for {missing} (found "
                f"{show_columns(frame.columns)}). Add them: every event needs an id, a "
                "concept and a date."
            )
        events = pd.DataFrame({k: frame[c].to_numpy() for k, c in cols.items()})
        events = _typed(events, source, _rows)
        return cls(events.reset_index(drop=True), source, span, tuple(events.columns))

    def __len__(self) -> int:
        return len(self.events)

    @property
    def concepts(self) -> list[str]:
        """Concept codes in order of first appearance."""
        return list(dict.fromkeys(self.events["concept"].tolist()))

    @property
    def outside_period(self) -> pd.DataFrame:
        """Events dated outside the project period."""
        return self.events[~self.in_period(self.events["date"])]

    def in_period(self, dates: pd.Series) -> np.ndarray:
        """Boolean array: each date (datetime64) within the project period."""
        start, end = (pd.Timestamp(d) for d in self.period)
        d = pd.to_datetime(dates)
        return ((d >= start) & (d <= end)).to_numpy(dtype=bool)


def _yaml_events(path: Path) -> pd.DataFrame:
    try:
        doc = load_yaml(path.read_bytes()).data
    except OSError as exc:
        raise IngestionError(f"{path}: not a readable file ({exc}).") from None
    except YamlError as exc:
        raise IngestionError(f"{path}: not a readable YAML file: {describe(exc)}.") from None
    events = doc.get("events") if isinstance(doc, dict) else doc
    if not isinstance(events, list) or not events:
        raise IngestionError(
            f"{path}: expected a list of events under the key 'events' (got "
            f"{type(events).__name__}). Write 'events:' followed by '- event_id: ...' entries."
        )
    bad = [i for i, e in enumerate(events) if not isinstance(e, dict)]
    if bad:
        raise IngestionError(
            f"{path}: events{bad} are not mappings; each event is 'event_id: ..., concept: "
            "..., date: ...'."
        )
    return pd.DataFrame([{k: v for k, v in e.items()} for e in events])


def _where(rows: np.ndarray, kind: str, key: str) -> str:
    return ", ".join(f"events[{r}].{key}" if kind == "yaml" else f"row {r + 1}" for r in rows)


def _typed(events: pd.DataFrame, source: str, kind: str) -> pd.DataFrame:
    """Strip text, parse dates; raise one IngestionError listing every problem."""
    out = events.copy()
    for col in out.columns:
        if col != "date":
            text = out[col].astype("string").str.strip()
            out[col] = text.str.replace(r"\.0$", "", regex=True) if col == "municipality" else text
    raw = out["date"]
    out["date"] = parse_dates(raw)
    found = []
    for key in ("event_id", "concept"):
        blank = np.flatnonzero(out[key].isna().to_numpy() | (out[key] == "").fillna(True))
        if len(blank):
            found.append(f"blank {key!r} at {_where(blank, kind, key)}")
    bad = np.flatnonzero(out["date"].isna().to_numpy())
    if len(bad):
        found.append(f"'date' not a date (YYYY-MM-DD or DD.MM.YYYY) at {_where(bad, kind, 'date')} "
                     f"(found {[str(v) for v in raw.iloc[bad][:5]]})")
    dup = out["event_id"].duplicated(keep=False) & out["event_id"].notna()
    if dup.any():
        ids = sorted(set(out.loc[dup, "event_id"]))
        where = _where(np.flatnonzero(dup), kind, "event_id")
        found.append(f"duplicate 'event_id' {ids} at {where}")
    if found:
        raise IngestionError(
            f"{source}: the event register has {len(found)} problem(s): " + "; ".join(found)
            + ". Fix the register so that every event has a unique id, a concept and a date."
        )
    return out
