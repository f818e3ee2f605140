"""Participant attributes as organisers record them: birth year, age, municipality, yes/no."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["ATTRIBUTES", "attended", "parse_attributes"]

#: attribute fields kept (after parsing) for every attendance
ATTRIBUTES: tuple[str, ...] = ("birth_year", "age", "municipality", "newcomer")


def parse_attributes(safe: pd.DataFrame, event_dates: pd.Series) -> pd.DataFrame:
    """Typed ``birth_year``, ``age`` (at the event), ``municipality``, ``newcomer``."""
    year = pd.to_numeric(safe["birth_year"].astype("string").str.strip(), errors="coerce")
    age = pd.to_numeric(safe["age"].astype("string").str.strip(), errors="coerce")
    born = year.where(year.between(1900, 2100))
    at_event = pd.Series(event_dates.dt.year.to_numpy(), index=safe.index) - born
    age = at_event.fillna(age.where(age.between(0, 120)))
    return pd.DataFrame({
        "birth_year": born.round().astype("Int64"),
        "age": age.round().astype("Int64"),
        "municipality": _municipality(safe["municipality"]),
        "newcomer": _yes_no(safe["newcomer"]),
    }, index=safe.index)


def _municipality(values: pd.Series) -> pd.Series:
    """Municipality codes as text; the region's names are mapped to their codes."""
    names = {"hamar": "3403", "ringsaker": "3411", "loten": "3412", "løten": "3412",
             "stange": "3413"}
    text = values.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    return text.str.lower().map(names).astype("string").fillna(text).mask(text == "")


def _yes_no(values: Any) -> pd.Series:
    """``True``/``False``/NA from yes/no answers in Norwegian or English."""
    text = pd.Series(values).astype("string").str.strip().str.lower()
    yes = text.isin(["1", "ja", "yes", "y", "j", "x", "true", "sann", "møtt", "mott"])
    no = text.isin(["0", "2", "nei", "no", "n", "false", "usann", "ikke møtt"])
    out = pd.Series(pd.NA, index=text.index, dtype="boolean")
    return out.mask(yes.to_numpy(dtype=bool), True).mask(no.to_numpy(dtype=bool), False)


def attended(values: pd.Series) -> pd.Series:
    """Attendance status: a blank status counts as attended (the row is on the list)."""
    return _yes_no(values).fillna(True).astype(bool)
