"""Parsing the platforms' meta columns: ids, timestamps, durations and completion codes."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from surveykit.ingestion._deployment import Deployment
from surveykit.ingestion._distinct import per_distinct

__all__ = ["fill_meta", "has_duration", "parse_datetimes", "parse_norwegian_duration",
           "parse_number_text"]

_FORMATS = ("ISO8601", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%m-%d-%Y %H:%M",
            "%m-%d-%Y", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S")


def parse_datetimes(values: pd.Series) -> pd.Series:
    """Parse timestamps in the format that fits most values (ISO 8601, dd.mm.yyyy, MM-DD-YYYY).

    Offsets are converted to UTC; values that do not parse are NaT.

    Examples
    --------
    >>> parse_datetimes(pd.Series(["01.06.2023 20:57", None])).dt.strftime("%Y-%m-%d").tolist()
    ['2023-06-01', nan]

    """
    if values.dtype.kind == "M" or isinstance(values.dtype, pd.DatetimeTZDtype):
        return values
    if values.dtype == object and values.dropna().map(type).isin([pd.Timestamp]).all() \
            and values.notna().any():
        return pd.to_datetime(values, utc=True)
    text = values.astype("string").str.strip()
    best, best_ok = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]"), -1
    for fmt in _FORMATS:
        try:
            parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=True)
        except (ValueError, TypeError):
            continue
        ok = int(parsed.notna().sum())
        if ok > best_ok:
            best, best_ok = parsed, ok
        if ok == int(text.notna().sum()):
            break
    return best


_UNITS = {"time": 3600.0, "timer": 3600.0, "minutt": 60.0, "minutter": 60.0, "min": 60.0,
          "sekund": 1.0, "sekunder": 1.0, "sek": 1.0, "dag": 86400.0, "dager": 86400.0}


def parse_norwegian_duration(values: pd.Series) -> pd.Series:
    """Turn Nettskjema's text durations (``"1 time 5 minutter"``) into seconds.

    Examples
    --------
    >>> s = pd.Series(["1 minutt", "1 time 5 minutter", "30 sekunder", None])
    >>> parse_norwegian_duration(s).tolist()
    [60.0, 3900.0, 30.0, nan]

    """
    text = values.astype("string").str.casefold()
    parts = text.str.extractall(r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-zæøå]+)")
    if parts.empty:
        return pd.Series(np.nan, index=values.index, dtype="float64")
    n = pd.to_numeric(parts["n"].str.replace(",", ".", regex=False), errors="coerce")
    secs = n * parts["unit"].map(_UNITS)
    total = secs.groupby(level=0).sum(min_count=1)
    return total.reindex(values.index).astype("float64")


def fill_meta(
    frame: pd.DataFrame, raw: pd.DataFrame, dep: Deployment, *, rid: str | None = None,
    submitted: str | None = None, duration: pd.Series | None = None,
    complete: pd.Series | None = None,
) -> tuple[pd.DataFrame, set[str]]:
    """Add the meta columns (deployment settings win over the adapter's defaults)."""
    used: set[str] = set()
    out: dict[str, Any] = {}
    rid = dep.respondent_id or rid
    if rid is not None and rid in raw.columns:
        out["respondent_id"] = _ids(raw[rid])
        used.add(rid)
    if submitted is not None and submitted in raw.columns:
        out["submitted_at"] = parse_datetimes(raw[submitted])
        used.add(submitted)
    if dep.duration is not None and has_duration(raw, dep):
        factor = {"seconds": 1.0, "milliseconds": 0.001, "minutes": 60.0}[dep.duration.unit]
        num = parse_number_text(raw[dep.duration.column])
        duration = num.astype("float64") * factor
        used.add(dep.duration.column)
    if duration is not None:
        out["duration_s"] = duration.astype("Float64")
    if dep.complete is not None and dep.complete.column in raw.columns:
        from surveykit.ingestion._multi import code_key

        keys = code_key(raw[dep.complete.column])
        complete = keys.isin([str(v) for v in dep.complete.values]).fillna(False)
        used.add(dep.complete.column)
    if complete is not None:
        out["complete"] = complete.astype("boolean")
    meta = pd.DataFrame(out, index=frame.index)
    return pd.concat([meta, frame], axis=1), used


def parse_number_text(values: pd.Series) -> pd.Series:
    """Return ``pandas.to_numeric`` of the cells as text (NA where not a number).

    Each distinct value is parsed once (see ``per_distinct``); the result is the one the
    whole column gives, a nullable ``Int64`` or ``Float64`` column.

    Examples
    --------
    >>> parse_number_text(pd.Series(["90", "1,5", None, "90"])).tolist()
    [90, <NA>, <NA>, 90]

    """
    return per_distinct(values, lambda u: pd.to_numeric(u.astype("string"), errors="coerce"))


def has_duration(raw: pd.DataFrame, dep: Deployment) -> bool:
    """Whether the deployment names a duration column of the file (it wins over the adapter's)."""
    return dep.duration is not None and dep.duration.column in raw.columns


def _ids(values: pd.Series) -> pd.Series:
    from surveykit.ingestion._multi import code_key

    return code_key(values)


def norm_header(name: str) -> str:
    """Normalise a header or question text for matching (case, spaces, trailing marks)."""
    return re.sub(r"\s+", " ", str(name)).strip().rstrip("?:.* ").casefold()
