"""The :class:`ValidationReport`: every problem found in a response file, one row each."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._display import object_html
from surveykit._masking import mask_identifiers
from surveykit._spreadsheet import csv_frame
from surveykit._writing import write_atomic
from surveykit.errors import IngestionError

__all__ = ["COLUMNS", "RULES", "SEVERITIES", "ValidationReport", "problems"]

#: columns of every report frame, in order
COLUMNS: tuple[str, ...] = ("row", "respondent_id", "var", "rule", "severity", "value", "message")

#: severities, most serious first; "flag" marks quality flags, which never delete rows
SEVERITIES: tuple[str, ...] = ("error", "warning", "flag", "info")

#: rule -> (layer, what it checks)
RULES: dict[str, tuple[str, str]] = {
    "missing_column": ("structure", "an instrument variable has no column in the file"),
    "unknown_column": ("structure", "a column of the file maps to no instrument variable"),
    "duplicate_column": ("structure", "a column name occurs more than once in the header"),
    "duplicate_id": ("structure", "a respondent id occurs on more than one row"),
    "no_respondent_id": ("structure", "no respondent id column; row numbers are used"),
    "type": ("values", "a value does not parse as the item's type"),
    "constraint": ("values", "a value breaks the item's constraint"),
    "code": ("values", "a code is not in the item's choice list"),
    "text_length": ("values", "a text answer is longer than max_length"),
    "unknown_option": ("multi-select", "a selected option is not in the choice list"),
    "exclusive": ("multi-select", "an exclusive option is combined with other options"),
    "min_selected": ("multi-select", "fewer options selected than min_selected"),
    "max_selected": ("multi-select", "more options selected than max_selected"),
    "not_relevant": ("skip logic", "answered although the item was not relevant (not shown)"),
    "required": ("skip logic", "relevant and required but empty"),
    "missing_code": ("missing codes", "blank where the list declares explicit missing codes"),
    "speeder": ("quality", "total duration under half the median duration"),
    "straightlining": ("quality", "the same answer on every row of a grid"),
    "attention_check": ("quality", "an attention-check item does not have its expected answer"),
    "duplicate_identifier": ("quality", "the same identifier (e.g. e-mail) as an earlier row"),
    "duplicate_answers": ("quality", "the same answer vector as an earlier row"),
    "out_of_universe": ("quality", "a screener answer outside the survey universe"),
    "partial": ("quality", "a partial (not completed) response"),
    "identifier": ("privacy", "an identifier column was dropped or pseudonymised"),
    "file": ("structure", "a note about the file or platform mapping"),
    "encoding": ("structure", "lines of a UTF-8 file decoded as cp1252 (the fallback)"),
}


def problems(
    rule: str,
    severity: str,
    var: str | None,
    rows: np.ndarray | None = None,
    values: Any = None,
    message: str | Iterable[str] = "",
    respondent_ids: pd.Series | None = None,
) -> pd.DataFrame:
    """Build report rows for one rule, vectorised over the positions ``rows``.

    ``rows`` are 0-based positions into the response frame (``None``: one file-level row);
    ``values`` are the observed values at those positions; ``respondent_ids`` is the full id
    column, indexed by position. Row numbers in the report are 1-based data rows.

    Examples
    --------
    >>> problems("code", "error", "q1", np.array([0, 2]), ["7", "9"], "not listed").row.tolist()
    [1, 3]

    """
    if rows is None:
        return pd.DataFrame({
            "row": pd.array([pd.NA], dtype="Int64"), "respondent_id": [None], "var": [var],
            "rule": [rule], "severity": [severity],
            "value": [None if values is None else mask_identifiers(str(values))],
            "message": [message],
        }, columns=list(COLUMNS))
    rows = np.asarray(rows, dtype=np.int64)
    msg = message if isinstance(message, str) else list(message)
    if not len(rows):  # most rules find nothing: an empty frame of the same column types
        return _empty(var, rule, severity, msg).copy()
    ids = (respondent_ids.iloc[rows].to_numpy(dtype=object) if respondent_ids is not None
           else np.full(len(rows), None, dtype=object))
    vals = np.full(len(rows), None, dtype=object)
    if values is not None:  # element by element: a cell may itself hold a list
        vals = np.fromiter(values, dtype=object, count=len(rows))
    present = ~pd.isna(vals)
    texts = [str(v) for v in vals[present]]
    masked = {t: mask_identifiers(t) for t in set(texts)}  # each distinct value once
    vals[~present] = None
    vals[present] = [masked[t] for t in texts]
    return pd.DataFrame({
        "row": pd.array(rows + 1, dtype="Int64"), "respondent_id": ids, "var": var,
        "rule": rule, "severity": severity, "value": vals, "message": msg,
    }, columns=list(COLUMNS))


_EMPTY: dict[tuple[type, ...], pd.DataFrame] = {}


def _empty(var: Any, rule: str, severity: str, msg: Any) -> pd.DataFrame:
    """Return report rows of no problem, built once per combination of argument types."""
    key = (type(var), type(rule), type(severity), type(msg))
    if key not in _EMPTY:
        _EMPTY[key] = pd.DataFrame({
            "row": pd.array([], dtype="Int64"), "respondent_id": np.array([], dtype=object),
            "var": var, "rule": rule, "severity": severity,
            "value": np.array([], dtype=object), "message": msg,
        }, columns=list(COLUMNS))
    return _EMPTY[key]


class ValidationReport:
    """Every problem found while reading and validating responses, one row each.

    Columns: ``row`` (1-based data row; NA for file-level problems), ``respondent_id``,
    ``var``, ``rule``, ``severity`` (``"error"``, ``"warning"``, ``"flag"``, ``"info"``),
    ``value`` (observed, as text) and ``message``. Quality flags never delete rows; see
    ``Responses.exclude``. ``raise_if_errors()`` is the strict path.

    Parameters
    ----------
    frame : pandas.DataFrame
        Report rows with the columns above.
    source : str
        The file the report is about.

    Examples
    --------
    >>> import numpy as np
    >>> from surveykit.ingestion._report import problems
    >>> rep = ValidationReport(problems("code", "error", "q1", np.array([1]), ["7"], "bad"))
    >>> len(rep), rep.ok
    (1, False)
    >>> rep.summary().to_dict("records")
    [{'rule': 'code', 'severity': 'error', 'problems': 1, 'rows': 1}]

    """

    __slots__ = ("_frame", "source")

    def __init__(self, frame: pd.DataFrame | None = None, source: str = "") -> None:
        frame = pd.DataFrame(columns=list(COLUMNS)) if frame is None else frame
        order = pd.Categorical(frame["severity"], categories=list(SEVERITIES), ordered=True)
        frame = (frame.assign(_sev=order).sort_values(["_sev", "rule", "var", "row"],
                                                      kind="stable", na_position="first")
                 .drop(columns="_sev").reset_index(drop=True))
        frame["row"] = frame["row"].astype("Int64")
        self._frame = frame[list(COLUMNS)]
        self.source = source

    @classmethod
    def concat(cls, parts: Iterable[pd.DataFrame], source: str = "") -> ValidationReport:
        """Build a report from report-row frames (see :func:`problems`)."""
        kept = [p for p in parts if len(p)]
        frame = pd.concat(kept, ignore_index=True) if kept else None
        return cls(frame, source)

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the report rows as a DataFrame."""
        return self._frame.copy()

    def __len__(self) -> int:
        return len(self._frame)

    def __repr__(self) -> str:
        counts = self._frame["severity"].value_counts()
        parts = ", ".join(f"{int(counts.get(s, 0))} {s}s" for s in SEVERITIES)
        return f"<ValidationReport {self.source or ''}: {parts}>"

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("problems per rule", self.summary()))

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings, flags and notes allowed)."""
        return not bool((self._frame["severity"] == "error").any())

    def select(self, *, severity: str | None = None, rule: str | None = None) -> pd.DataFrame:
        """Return the report rows of one severity and/or rule."""
        f = self._frame
        if severity is not None:
            f = f[f["severity"] == severity]
        if rule is not None:
            f = f[f["rule"] == rule]
        return f.reset_index(drop=True)

    @property
    def errors(self) -> pd.DataFrame:
        """The rows with severity ``"error"``."""
        return self.select(severity="error")

    @property
    def flags(self) -> pd.DataFrame:
        """The quality flags (severity ``"flag"``)."""
        return self.select(severity="flag")

    def summary(self) -> pd.DataFrame:
        """Count problems and distinct rows per rule and severity."""
        f = self._frame
        if f.empty:
            return pd.DataFrame(columns=["rule", "severity", "problems", "rows"])
        g = f.groupby(["rule", "severity"], sort=False, observed=True)
        return pd.DataFrame({"problems": g.size(), "rows": g["row"].nunique()}).reset_index()

    def rows_flagged(self, rules: Iterable[str] | None = None) -> dict[str, np.ndarray]:
        """Map each rule to the sorted distinct 1-based rows it names."""
        f = self._frame.dropna(subset=["row"])
        if rules is not None:
            f = f[f["rule"].isin(list(rules))]
        return {str(r): np.unique(g["row"].to_numpy(dtype=np.int64))
                for r, g in f.groupby("rule", sort=True)}

    def to_csv(self, path: str | Path) -> None:
        """Write the report rows to a CSV file (UTF-8; text safe to open in a spreadsheet)."""
        write_atomic(path, csv_frame(self._frame).to_csv(index=False))

    def raise_if_errors(self) -> None:
        """Raise ``IngestionError`` (carrying this report) when any error was found.

        Examples
        --------
        >>> import numpy as np
        >>> from surveykit.ingestion._report import problems
        >>> ValidationReport().raise_if_errors()
        >>> rep = ValidationReport(problems("code", "error", "q1", np.array([0]), ["7"], "x"))
        >>> rep.raise_if_errors()
        Traceback (most recent call last):
        ...
        surveykit.IngestionError: 1 validation error in 1 row: code on q1 (1). First: row 1, q1: x

        """
        err = self.errors
        if err.empty:
            return
        by = err.groupby(["rule", "var"], sort=False, dropna=False).size().reset_index(name="n")
        listing = ", ".join(f"{t.rule} on {t.var} ({t.n})"
                            for t in by.head(8).itertuples(index=False))
        first = err.iloc[0]
        where = f"row {first['row']}, " if pd.notna(first["row"]) else ""
        nrows = err["row"].nunique()
        raise IngestionError(
            f"{len(err)} validation error{'s' * (len(err) != 1)} in {nrows} "
            f"row{'s' * (nrows != 1)}"
            f"{' of ' + self.source if self.source else ''}: {listing}. "
            f"First: {where}{first['var']}: {first['message']}",
            report=self,
        )
