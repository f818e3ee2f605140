r"""Cell text that spreadsheets show as text: no formulas from labels, answers or titles.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula (tab and carriage return are read past before that check), both in ``.xlsx``
files and in CSV files they open. Survey labels and answers come from other people, so every
writer of the package passes its text through these helpers:

* ``.xlsx``: text is stored as a string cell (never a formula), with the quote prefix when it
  starts with one of those characters, and without the control characters XML forbids.
* CSV: a text field that starts with one of those characters gets a leading ``'`` (OWASP's
  CSV-injection guidance). Numbers stay numbers, so ``-1.5`` stored as a number is not
  touched, and neither is text that is a plain number (Excel reads it as a number). A
  carriage return in a field becomes a line feed, so the field is quoted and stays one field
  (the tables are written with ``\n`` line ends).

Examples
--------
>>> formula_like("=HYPERLINK(\"http://x\")"), formula_like("-1.5"), formula_like("Oslo")
(True, False, False)
>>> csv_text("@SUM(A1)"), csv_text(-3)
("'@SUM(A1)", -3)
>>> xml_text("bell\x07 and tab\t")
'bell and tab\t'

"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = ["FORMULA_START", "csv_frame", "csv_text", "formula_like", "protect_workbook",
           "set_text", "xml_frame", "xml_text"]

#: first characters that make a spreadsheet read a cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
#: characters XML 1.0 does not allow (C0 controls but tab, LF, CR; lone surrogates; FFFE/FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def formula_like(text: object) -> bool:
    """Return True for text a spreadsheet would read as a formula (plain numbers excepted)."""
    return (isinstance(text, str) and text.startswith(FORMULA_START)
            and _NUMBER.fullmatch(text) is None)


def xml_text(text: str) -> str:
    """Return ``text`` without the control characters XML 1.0 forbids (Word, Excel files)."""
    return _NOT_XML.sub("", text)


def csv_text(value: Any) -> Any:
    """Return a CSV field value: formula-like text gets a leading ``'``, CR becomes LF."""
    if not isinstance(value, str):
        return value
    if formula_like(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _map_text(frame: pd.DataFrame, fn: Any) -> pd.DataFrame:
    out = frame.copy()
    text = [i for i, dtype in enumerate(frame.dtypes)
            if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)]
    if len(text) == len(frame.columns) and not _changes(frame, fn):
        text = []  # a frame of text only, all of it kept: looked at in one piece
    for i in text:
        column = frame.iloc[:, i]
        if not _changes(column, fn):  # most columns: every text is kept as it is
            continue
        mapped = column.map(lambda v: fn(v) if isinstance(v, str) else v,
                            na_action="ignore").astype(column.dtype)
        out.isetitem(i, mapped)  # type: ignore[arg-type]  # a Series, as pandas allows
    if any(fn(c) != c for c in frame.columns if isinstance(c, str)):
        out = out.rename(columns=lambda c: fn(c) if isinstance(c, str) else c)
    return out


def _changes(cells: pd.Series | pd.DataFrame, fn: Any) -> bool:
    """Whether mapping ``cells`` could change them: ``fn`` changes a text, or one is not text.

    Mapping an object column that mixes numbers and text also normalises the numbers
    (1 becomes 1.0), which the written tables show; such columns are always mapped.
    """
    try:  # missing values are skipped below
        values = set(cells.to_numpy(dtype=object).ravel().tolist())
    except TypeError:  # unhashable cells (lists): map them all
        return True
    return any(fn(v) != v if isinstance(v, str) else not _missing(v) for v in values)


def _missing(value: Any) -> bool:
    """Whether ``Series.dropna`` drops this cell (None, NaN, NA, NaT)."""
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells and column names are safe in a CSV file.

    Examples
    --------
    >>> csv_frame(pd.DataFrame({"label": ["=1+1", "ok"], "est": [-0.5, 2.0]}))
       label  est
    0  '=1+1 -0.5
    1     ok  2.0

    """
    return _map_text(frame, csv_text)


def xml_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` without XML-illegal control characters in its text."""
    return _map_text(frame, xml_text)


def set_text(cell: Any, value: str) -> Any:
    """Store ``value`` in an openpyxl cell as text (never a formula); return the cell."""
    cell.value = xml_text(value)
    cell.data_type = "s"
    cell.quotePrefix = formula_like(cell.value)
    return cell


def protect_workbook(book: Any) -> Any:
    """Turn every text cell of an openpyxl workbook into a string cell; return the book.

    A text cell that starts with ``=`` becomes a formula when it is assigned in openpyxl;
    this stores it as text again, with the quote prefix where the text looks like a formula.
    Call it just before saving a workbook built from labels or answers.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> book = Workbook()
    >>> book.active["A1"] = "=cmd|' /C calc'!A0"
    >>> cell = protect_workbook(book).active["A1"]
    >>> cell.data_type, cell.quotePrefix
    ('s', True)

    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    set_text(cell, cell.value)
    return book
