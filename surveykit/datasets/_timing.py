"""Submission times, respondent ids and duplicate submissions of generated responses."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["FIELD_DAYS", "TIMEZONE", "add_duplicates", "local_naive", "stamp_times"]

#: Length of the fieldwork period (invitation on day 0, reminders on days 7 and 14).
FIELD_DAYS = 21
#: Time zone of all timestamps.
TIMEZONE = "Europe/Oslo"


def add_duplicates(frame: pd.DataFrame, share: float, rng: np.random.Generator) -> pd.DataFrame:
    """Append ``round(share * n)`` second submissions of complete, unflagged answer vectors.

    ``frame`` carries ``_key`` (row identity) and ``_group``; the copies get new keys and
    ``_duplicate_of`` = the original's key.
    """
    n = len(frame)
    out = frame.assign(_duplicate_of=pd.array([pd.NA] * n, dtype="Int64"))
    eligible = np.flatnonzero((frame["_group"] == "").to_numpy())
    size = min(round(share * n), len(eligible))
    if size == 0:
        return out
    picked = np.sort(rng.choice(eligible, size, replace=False))
    dups = out.iloc[picked].copy()
    dups["_duplicate_of"] = dups["_key"].astype("Int64").to_numpy()
    dups["_key"] = np.arange(n, n + size)
    dups["duration_s"] = np.round(dups["duration_s"].to_numpy() * rng.lognormal(0, 0.2, size), 1)
    return pd.concat([out, dups], ignore_index=True)


def _end_offsets(n: int, rng: np.random.Generator) -> np.ndarray:
    """Seconds after the start of fieldwork: waves after invitation and two reminders."""
    wave = rng.choice([0.0, 7.0, 14.0], n, p=[0.55, 0.28, 0.17])
    days = np.minimum(wave + np.floor(rng.exponential(1.2, n)), FIELD_DAYS - 1)
    hour = np.clip(rng.normal(19.5, 3.0, n), 6.5, 23.9)
    return days * 86400.0 + np.round(hour * 3600.0)


def stamp_times(
    frame: pd.DataFrame, start: dt.date, first_id: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict[int, int]]:
    """Give each row start/end times, sort by submission and number the rows.

    Returns the frame (``respondent_id, start_time, end_time`` first) and
    ``{duplicate id: original id}``.
    """
    originals = frame["_duplicate_of"].isna().to_numpy()
    offsets = np.zeros(len(frame))
    offsets[originals] = _end_offsets(int(originals.sum()), rng)
    key_pos = pd.Series(np.arange(len(frame)), index=frame["_key"].to_numpy())
    src = key_pos.loc[frame.loc[~originals, "_duplicate_of"].to_numpy(dtype=np.int64)]
    offsets[~originals] = offsets[src.to_numpy()] + rng.uniform(180, 7200, (~originals).sum())
    t0 = pd.Timestamp(start).tz_localize(TIMEZONE)
    end = t0 + pd.to_timedelta(np.round(offsets), unit="s")
    begin = end - pd.to_timedelta(np.round(frame["duration_s"].to_numpy()), unit="s")
    out = frame.assign(start_time=begin, end_time=end)
    out = out.sort_values(["end_time", "_key"], kind="stable").reset_index(drop=True)
    out.insert(0, "respondent_id", np.arange(first_id, first_id + len(out), dtype=np.int64))
    ids = pd.Series(out["respondent_id"].to_numpy(), index=out["_key"].to_numpy())
    dup = out["_duplicate_of"].notna().to_numpy()
    mapping = dict(
        zip(
            out.loc[dup, "respondent_id"].tolist(),
            ids.loc[out.loc[dup, "_duplicate_of"].to_numpy(dtype=np.int64)].tolist(),
            strict=True,
        )
    )
    return out, {int(k): int(v) for k, v in mapping.items()}


def local_naive(times: pd.Series) -> pd.Series:
    """Timestamps as naive local (Oslo) wall-clock times, as spreadsheets and SPSS hold them."""
    return times.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
