"""Attendance files as organisers have them (sign-up and check-in exports, CSV or XLSX).

:func:`read_attendance` reads every file with the ingestion readers, maps the headers to
canonical fields (:mod:`._columns`), hands the raw identifiers to :mod:`._identity` (which
returns pseudonyms only) and validates the rows against the :class:`EventRegister`
(:mod:`._checks`). Raw e-mail addresses, phone numbers, participant ids and names do not
survive this module; columns that map to no field (comments, allergies, ...) are not kept.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias, cast

import numpy as np
import pandas as pd

from surveykit._display import object_html
from surveykit._read_only import read_only, rebuilt
from surveykit.errors import IngestionError
from surveykit.ingestion import read_table
from surveykit.ingestion._guards import show_columns
from surveykit.participation._attributes import ATTRIBUTES
from surveykit.participation._checks import validate
from surveykit.participation._columns import ALIASES, resolve_columns
from surveykit.participation._identity import IDENTIFIERS, identify, key_mode, session_key
from surveykit.participation._register import EventRegister

__all__ = ["Attendance", "AttendanceAccounting", "read_attendance"]

Source: TypeAlias = "str | os.PathLike[str] | pd.DataFrame"
_RAW = ("name", "first_name", "last_name", *IDENTIFIERS, "timestamp")


@dataclass(frozen=True)
class AttendanceAccounting:
    """Where every attendance row went: ``read == accepted + excluded`` always holds.

    ``excluded_by`` counts excluded rows by the first rule that excluded them (unknown
    event, date outside the period, no-show, duplicate within an event); ``flagged``
    counts accepted rows per flag rule (malformed or missing identifier, near duplicate);
    ``unidentified`` counts accepted rows without a valid identifier (attendances that
    count for their event but not as a distinct participant).

    Examples
    --------
    >>> AttendanceAccounting(read=5, accepted=4, excluded=1, unidentified=1,
    ...                      excluded_by={"unknown_event": 1}).to_frame()["n"].tolist()
    [5, 4, 1, 1, 1]

    """

    read: int
    accepted: int
    excluded: int
    unidentified: int
    excluded_by: Mapping[str, int] = field(default_factory=dict)
    flagged: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.read != self.accepted + self.excluded:
            raise ValueError(f"Attendance accounting does not add up: read ({self.read}) != "
                             f"accepted ({self.accepted}) + excluded ({self.excluded}).")
        if sum(self.excluded_by.values()) != self.excluded:
            raise ValueError("Attendance accounting: excluded_by does not sum to excluded.")
        object.__setattr__(self, "excluded_by", read_only(self.excluded_by))
        object.__setattr__(self, "flagged", read_only(self.flagged))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return rebuilt(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per quantity: read, accepted, excluded, unidentified, then by rule."""
        names = ["read", "accepted", "excluded", "unidentified"]
        names += [f"excluded: {r}" for r in self.excluded_by]
        names += [f"flagged: {r}" for r in self.flagged]
        values = [self.read, self.accepted, self.excluded, self.unidentified,
                  *self.excluded_by.values(), *self.flagged.values()]
        return pd.DataFrame({"quantity": names, "n": values})

    def summary(self) -> pd.DataFrame:
        """Return the table the display shows: the same frame as :meth:`to_frame`."""
        return self.to_frame()

    def _repr_html_(self) -> str:
        return object_html(f"Attendance accounting: read {self.read}, accepted "
                           f"{self.accepted}, excluded {self.excluded}",
                           ("rows", self.summary()))


@dataclass(frozen=True)
class Attendance:
    """Validated attendance: pseudonymised rows, the problems found and the row accounting.

    Attributes
    ----------
    data : pandas.DataFrame
        Accepted rows: ``source``, ``row`` (1-based data row of the file), ``event_id``,
        ``concept``, ``date`` (the event's date), ``person_id`` (keyed pseudonym; NA for an
        unidentified attendance), ``id_status``, ``birth_year``, ``age`` (at the event),
        ``municipality``, ``newcomer``.
    report : pandas.DataFrame
        One row per problem: ``source``, ``row``, ``event_id``, ``person_id``, ``rule``,
        ``severity``, ``value`` (never a raw identifier), ``message``.
    accounting : AttendanceAccounting
        ``read == accepted + excluded``.
    near_duplicates : pandas.DataFrame
        People with the same name and birth year but different identifiers, for review
        (``group``, ``person_id``, ``source``, ``row``, ``event_id``); never merged.
    register : EventRegister
        The register the rows were validated against.
    key_mode : {"configured", "session"}
        Whether the pseudonyms were keyed with the configured key or with a random key
        for this Python session only (see :func:`session_key`).

    """

    data: pd.DataFrame
    report: pd.DataFrame
    accounting: AttendanceAccounting
    near_duplicates: pd.DataFrame
    register: EventRegister
    key_mode: str = "configured"

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`data`, the accepted attendance rows."""
        return self.data.copy()

    def summary(self) -> pd.DataFrame:
        """Problems per rule and severity (``rule, severity, rows``), what the display shows."""
        g = self.report.groupby(["rule", "severity"], sort=False, observed=True)
        return g.size().rename("rows").reset_index()

    def __repr__(self) -> str:
        a = self.accounting
        return (f"<Attendance: read {a.read}, accepted {a.accepted}, excluded {a.excluded}, "
                f"{a.unidentified} unidentified; {len(self.report)} problems, "
                f"{len(self.near_duplicates)} near-duplicate rows to review>")

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("problems per rule", self.summary()),
                           ("accounting", self.accounting.to_frame()))


def read_attendance(
    paths: Source | Sequence[Source], register: EventRegister, *,
    event_id: str | None = None, participants: Source | None = None,
    key_file: str | os.PathLike[str] | None = None, encoding: str | None = None,
    sheet: str | int | None = None,
) -> Attendance:
    """Read sign-up and check-in exports, pseudonymise people and validate against the register.

    Parameters
    ----------
    paths : path, DataFrame or list of them
        CSV/XLSX exports (or frames with the same headers). Headers are matched in Norwegian
        or English: event (``event_id``, ``arrangement``), ``name``/``navn`` (or first and
        last name), ``email``/``e-post``, ``phone``/``telefon``/``mobil``,
        ``participant_id``, ``birth_year``/``fødselsår``, ``age``/``alder``,
        ``municipality``/``kommune``, ``attended``/``møtt`` (yes/no), ``newcomer``.
    register : EventRegister
        The events; attendances at unknown events or outside the project period are
        excluded and reported.
    event_id : str, optional
        The event of files without an event column (a check-in sheet of one event).
    participants : path or DataFrame, optional
        A participant list keyed by ``participant_id`` with attributes (age, birth year,
        municipality, newcomer) that the attendance files lack.
    key_file : path, optional
        Pseudonym key file; default ``SURVEYKIT_PSEUDONYM_KEY``/``..._KEY_FILE``, else a
        random key for this session (with a warning).
    encoding, sheet : optional
        Passed to the ingestion readers (CSV encoding, XLSX sheet).

    Returns
    -------
    Attendance

    Raises
    ------
    IngestionError
        A file cannot be read, has no event column (and no ``event_id=``), or has no
        identifier column at all (e-mail, phone or participant id).

    Examples
    --------
    >>> reg = EventRegister.from_frame(pd.DataFrame({"event_id": ["KV-01"],
    ...     "concept": ["open_evening_venue"], "date": ["2025-09-04"]}))
    >>> sheet = pd.DataFrame({"Navn": ["Kari", "Per", "Kari"],
    ...                       "E-post": ["k@x.no", "per", "K@x.no"]})
    >>> att = read_attendance(sheet, reg, event_id="KV-01")
    >>> acc = att.accounting
    >>> acc.read, acc.accepted, acc.excluded_by["duplicate_within_event"], acc.unidentified
    (3, 2, 1, 1)
    >>> att.report["rule"].tolist()
    ['duplicate_within_event', 'malformed_identifier']

    """
    if not isinstance(register, EventRegister):
        raise TypeError(f"'register' must be an EventRegister (got {type(register).__name__}); "
                        "load one with EventRegister.load(path).")
    key, mode = session_key(key_file), key_mode(key_file)
    items = list(paths) if isinstance(paths, (list, tuple)) else [cast(Source, paths)]
    if not items:
        raise ValueError("'paths' must name at least one attendance file (got an empty list).")
    frames = [_standardise(*_cells(p, encoding, sheet, i), event_id) for i, p in enumerate(items)]
    raw = pd.concat(frames, ignore_index=True)
    if participants is not None:
        raw = _with_participants(raw, participants, encoding, sheet)
    ids = identify({f: raw[f] for f in IDENTIFIERS}, _names(raw), key)
    safe = pd.concat([raw.drop(columns=list(_RAW)), ids], axis=1)
    data, report, excluded_by, flagged, near = validate(safe, register)
    accounting = AttendanceAccounting(
        read=len(safe), accepted=len(data), excluded=len(safe) - len(data),
        unidentified=int(data["person_id"].isna().sum()), excluded_by=excluded_by,
        flagged=flagged)
    return Attendance(data, report, accounting, near, register, mode)


def _cells(item: Source, encoding: str | None, sheet: str | int | None,
           i: int) -> tuple[pd.DataFrame, str]:
    if isinstance(item, pd.DataFrame):
        return item.copy(), f"<frame {i + 1}>"
    return read_table(item, encoding=encoding, sheet=sheet), Path(item).name


def _standardise(cells: pd.DataFrame, source: str, event_id: str | None) -> pd.DataFrame:
    """Canonical columns (NA where a file has none) plus ``source`` and ``row``."""
    cols = resolve_columns(cells, list(ALIASES), source)
    if "event_id" not in cols and event_id is None:
        raise IngestionError(
            f"{source}: no event column (looked for {list(ALIASES['event_id'])}; found "
            f"{[str(c) for c in cells.columns]}). Add one, or pass event_id= when the file is "
            "the check-in sheet of a single event."
        )
    if not any(f in cols for f in IDENTIFIERS):
        raise IngestionError(
            f"{source}: no e-mail, phone or participant id column (found "
            f"{[str(c) for c in cells.columns]}), so people cannot be counted once across "
            "events. Export the sign-up list with the e-mail or phone column."
        )
    n = len(cells)
    out = pd.DataFrame({f: (cells[cols[f]].to_numpy(dtype=object) if f in cols
                            else np.full(n, None, dtype=object)) for f in ALIASES})
    if "event_id" not in cols:
        out["event_id"] = event_id
    out.insert(0, "source", source)
    out.insert(1, "row", np.arange(1, n + 1))
    return out


def _names(raw: pd.DataFrame) -> pd.Series:
    full = raw["first_name"].astype("string").str.strip() + " " + raw["last_name"].astype(
        "string").str.strip()
    return raw["name"].astype("string").fillna(full)


def _with_participants(raw: pd.DataFrame, participants: Source, encoding: str | None,
                       sheet: str | int | None) -> pd.DataFrame:
    """Fill attributes from a participant list (matched on the raw participant id)."""
    cells, source = _cells(participants, encoding, sheet, 0)
    cols = resolve_columns(cells, ["participant_id", *ATTRIBUTES], source)
    if "participant_id" not in cols:
        raise IngestionError(f"{source}: the participant list has no participant_id column "
                             f"(found {show_columns(cells.columns)}).")
    ids = cells[cols["participant_id"]].astype("string").str.strip()
    if ids.duplicated().any():
        raise IngestionError(
            f"{source}: participant ids repeat at rows "
            f"{(np.flatnonzero(ids.duplicated(keep=False)) + 1).tolist()[:10]}; each "
            "participant must have one row."
        )
    attrs = pd.DataFrame({f: cells[c].to_numpy(dtype=object) for f, c in cols.items()
                          if f != "participant_id"}, index=ids.to_numpy())
    key = raw["participant_id"].astype("string").str.strip()
    out = raw.copy()
    for f in attrs.columns:
        out[f] = out[f].where(out[f].notna(), key.map(attrs[f]).to_numpy(dtype=object))
    return out
