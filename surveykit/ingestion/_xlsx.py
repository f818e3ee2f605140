"""One worksheet of an ``.xlsx`` workbook as a frame of cells, read straight from its XML.

An ``.xlsx`` is a zip archive of XML parts: ``[Content_Types].xml`` names the workbook part,
the workbook lists its sheets (their files through its ``_rels``), ``sharedStrings.xml``
holds the text that cells point to, and ``styles.xml`` tells which number formats are dates
or durations. :func:`read_worksheet` reads those parts and streams the sheet's ``<row>``
elements with the standard library's XML parser, one Python value per cell, instead of the
cell objects openpyxl builds (about ten times the work).

The result is the frame ``pandas.read_excel(path, sheet_name=sheet or 0, header=None,
dtype=object, engine="openpyxl")`` returns, value for value:

- numbers are ``int`` when integral, else ``float``; a number in a date or time format is a
  ``datetime.datetime`` (a ``datetime.time`` below one day, a ``datetime.timedelta`` in an
  elapsed-time format such as ``[h]:mm``), in the workbook's 1900 or 1904 date system;
- booleans are ``bool`` and numbers stay numbers (pandas 2's ``read_excel`` merges a
  boolean and the equal number in one column, ``False`` and ``0`` say, into whichever it
  met first; pandas 3 keeps each cell's own type, as here); text (shared,
  inline or a formula's string) is ``str``; a formula gives its cached value; an error
  (``#N/A``, ``#DIV/0!``) is ``NaN``;
- an empty cell, and text pandas reads as missing (``""``, ``"NA"``, ``"#N/A"``, ``"null"``
  ...), is ``NaN``; rows and cells without an ``r`` attribute follow the one before, as
  openpyxl places them; trailing empty rows and columns are dropped.

Anything outside what is described here (a cell of type ``d``, a date serial outside the
calendar, a part not where the content types say, a DTD, a row holding something other than
cells, XML that does not parse) raises :class:`UnsupportedXlsxError`; the caller then reads the
file with openpyxl, which either reads it exactly as before or reports the damage as before.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from surveykit.errors import IngestionError

__all__ = ["UnsupportedXlsxError", "read_worksheet"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _CELL, _VALUE, _INLINE = _MAIN + "row", _MAIN + "c", _MAIN + "v", _MAIN + "is"
_PLAIN = _MAIN + "t"
_WORKBOOK_TYPES = tuple(  # in the order openpyxl looks for them
    f"application/vnd.{kind}.main+xml" for kind in (
        "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet"))
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
#: text that ``pandas.read_excel`` turns into NaN (its default ``na_values``)
_NA_TEXT = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
    "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})
#: built-in number formats (ids below 164) that are dates, and the one that is a duration
_BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_BUILTIN_DURATIONS = frozenset({46})
#: quoted literals and bracketed locale/colour codes, which never make a format a date
_NOT_DATE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_WINDOWS_EPOCH, _MAC_EPOCH = dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1)
_TEXT_PARTS = frozenset({"t", "r", "rPh", "phoneticPr"})
_COLUMNS: dict[str, int] = {}  # column letters -> 1-based number, filled as met
_DIGITS = "0123456789"


class UnsupportedXlsxError(Exception):
    """The workbook holds something :func:`read_worksheet` leaves to openpyxl."""


def read_worksheet(zf: zipfile.ZipFile, path: Path, sheet: str | int | None) -> pd.DataFrame:
    """Cells of one worksheet, as ``read_excel(header=None, dtype=object)`` gives them.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open workbook.
    path : pathlib.Path
        The workbook's path, for error messages.
    sheet : str or int, optional
        Worksheet name or 0-based position; the first worksheet when ``None``.

    Returns
    -------
    pandas.DataFrame
        One ``object`` column per worksheet column (``0, 1, ...``), one row per worksheet
        row up to the last that holds a value; empty when the sheet holds none.

    Raises
    ------
    IngestionError
        The workbook has no worksheet of that name or position.
    UnsupportedXlsxError
        The workbook is damaged or holds something this reader leaves to openpyxl.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp) / "x.xlsx"
    ...     pd.DataFrame({"q1": [1, None], "tekst": ["ja", "NA"]}).to_excel(f, index=False)
    ...     with zipfile.ZipFile(f) as zf:
    ...         read_worksheet(zf, f, None)
          0      1
    0    q1  tekst
    1     1     ja
    2   NaN    NaN

    """
    try:
        return _read(zf, path, sheet)
    except (IngestionError, UnsupportedXlsxError):
        raise
    except Exception as exc:  # damaged zip or XML: openpyxl reads it, or reports it, as before
        raise UnsupportedXlsxError(f"{type(exc).__name__}: {exc}") from exc


def _read(zf: zipfile.ZipFile, path: Path, sheet: str | int | None) -> pd.DataFrame:
    names = set(zf.namelist())
    types = _xml(zf, "[Content_Types].xml")
    parts = {o.get("ContentType"): o.get("PartName") for o in reversed(list(types))
             if _local(o.tag) == "Override"}
    book = next((parts[t] for t in _WORKBOOK_TYPES if t in parts), None)
    if not book or not book.startswith("/"):
        raise UnsupportedXlsxError("no workbook part among the content types' overrides")
    epoch, sheets = _workbook(zf, book[1:], names)
    target = _choose(sheets, sheet, path)
    shared = parts.get(_SHARED_STRINGS)
    strings = [] if shared is None else _shared_strings(zf, shared[1:])
    dates, durations = _date_styles(zf) if "xl/styles.xml" in names else (set(), set())
    cells = _Cells(strings, dates, durations, epoch)
    rows = _layout(cells.rows(_bytes(zf, target)))
    return pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()


def _bytes(zf: zipfile.ZipFile, name: str) -> bytes:
    data = zf.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # refused by openpyxl's parser
        raise UnsupportedXlsxError(f"{name} declares a DTD")
    return data


def _xml(zf: zipfile.ZipFile, name: str) -> ET.Element:
    return ET.fromstring(_bytes(zf, name))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _workbook(zf: zipfile.ZipFile, part: str, names: set[str]
              ) -> tuple[dt.datetime, list[tuple[str, str]]]:
    """Read the date system and the ``(name, part)`` of every worksheet, in order."""
    root = _xml(zf, part)
    if root.tag != _MAIN + "workbook":
        raise UnsupportedXlsxError(f"{part} is not a workbook")
    props = root.find(_MAIN + "workbookPr")
    flag = None if props is None else props.get("date1904")
    epoch = _MAC_EPOCH if flag not in (None, "", "false", "f", "0") else _WINDOWS_EPOCH
    folder, obj = posixpath.split(part)
    rels = _relationships(zf, posixpath.join(folder, "_rels", obj + ".rels"))
    found = []
    for node in root.iterfind(f"{_MAIN}sheets/{_MAIN}sheet"):
        rid = node.get(_REL_ID)
        if not rid:  # openpyxl drops a sheet without a relationship
            continue
        kind, target = rels[rid]
        if target not in names or "chartsheet" in kind:
            continue
        if not kind.endswith("/worksheet"):
            raise UnsupportedXlsxError(f"sheet of type {kind}")
        found.append((node.get("name") or "", target))
    return epoch, found


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """``Id -> (Type, target part)``, targets resolved as openpyxl resolves them."""
    parent = posixpath.split(posixpath.dirname(part))[0]
    out = {}
    for rel in _xml(zf, part):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(
                posixpath.join(parent, target))
        out[rel.get("Id") or ""] = (rel.get("Type") or "", target)
    return out


def _choose(sheets: list[tuple[str, str]], sheet: str | int | None, path: Path) -> str:
    """Find the part of the worksheet asked for (by name, or by 0-based position)."""
    want = sheet or 0
    titles = [name for name, _ in sheets]
    if isinstance(want, str):
        if want in titles:
            return sheets[titles.index(want)][1]
    elif -len(sheets) <= want < len(sheets):
        return sheets[want][1]
    raise IngestionError(
        f"{path}: the workbook has no worksheet {want!r}; its worksheets are {titles}. Give "
        "one of these names, or a 0-based position, as the sheet to read.")


def _shared_strings(zf: zipfile.ZipFile, part: str) -> list[str]:
    strings = []
    for _, node in ET.iterparse(io.BytesIO(_bytes(zf, part))):
        if node.tag == _MAIN + "si":
            strings.append(_text(node).replace("x005F_", ""))
            node.clear()
    return strings


def _text(node: ET.Element) -> str:
    """Plain text of a string item: its ``<t>`` and its runs' ``<t>``, phonetics left out."""
    if node.attrib:
        raise UnsupportedXlsxError("a string item with attributes")
    if len(node) == 1 and node[0].tag == _PLAIN:  # the common case: one <t>
        return node[0].text or ""
    plain: str | None = None
    runs = []
    for child in node:
        tag = _local(child.tag)
        if tag not in _TEXT_PARTS:
            continue
        if tag == "t":
            plain = child.text
        elif tag == "r":
            text = None
            for part in child:
                if _local(part.tag) == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return (plain or "") + "".join(runs)


def _date_styles(zf: zipfile.ZipFile) -> tuple[set[int], set[int]]:
    """Positions of the cell formats that show dates, and of those that show durations."""
    root = _xml(zf, "xl/styles.xml")
    if root.tag != _MAIN + "styleSheet":
        raise UnsupportedXlsxError("xl/styles.xml is not a stylesheet")
    custom = {}
    for fmt in root.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt"):
        code = fmt.get("formatCode")
        if code is None:
            raise UnsupportedXlsxError("a number format without a code")
        custom[int(fmt.get("numFmtId", ""))] = code
    dates, durations = set(), set()
    for k, xf in enumerate(root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
        fid = int(xf.get("numFmtId", 0))
        code = custom.get(fid)
        if code is None and fid not in custom:
            is_date, is_duration = fid in _BUILTIN_DATES, fid in _BUILTIN_DURATIONS
        else:
            is_date, is_duration = _is_date_format(code), _is_duration_format(code)
        if is_date:
            dates.add(k)
        if is_duration:
            durations.add(k)
    return dates, durations


def _is_date_format(code: str | None) -> bool:
    """Whether a number format shows a date or time (its first section has d, m, y, h, s).

    Examples
    --------
    >>> _is_date_format("yyyy-mm-dd"), _is_date_format('0.00" days"'), _is_date_format("0%")
    (True, False, False)

    """
    return code is not None and _DATE_CODE.search(
        _NOT_DATE.sub("", code.split(";")[0])) is not None


def _is_duration_format(code: str | None) -> bool:
    """Whether a number format shows elapsed time (``[h]:mm``, ``[mm]:ss``, ``[s]``)."""
    return code is not None and _DURATION.search(code.split(";")[0]) is not None


class _Cells:
    """Turns the ``<row>`` elements of a worksheet into ``(row number, [(column, value)])``."""

    def __init__(self, strings: list[str], dates: set[int], durations: set[int],
                 epoch: dt.datetime) -> None:
        self.strings, self.dates, self.durations, self.epoch = strings, dates, durations, epoch

    def rows(self, data: bytes) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        number = 0
        value = self.value
        for _, row in ET.iterparse(io.BytesIO(data)):
            if row.tag != _ROW:
                continue
            r = row.get("r")
            number = int(r) if r is not None else number + 1
            column = 0
            cells = []
            for cell in row:
                if cell.tag != _CELL:
                    raise UnsupportedXlsxError(f"a <{_local(cell.tag)}> in row {number}")
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)  # a known column, or _column checks it
                    column = (letters != ref and _COLUMNS.get(letters)) or _column(ref)
                else:
                    column += 1
                cells.append((column, value(cell)))
            row.clear()
            yield number, cells

    def value(self, cell: ET.Element) -> Any:
        """Give the value pandas gets from openpyxl for one ``<c>`` ("" when empty)."""
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            node = cell.find(_INLINE)
            return "" if node is None else _text(node)
        text = cell.findtext(_VALUE)
        if not text:
            return ""
        if kind == "n":
            return self.number(text, cell.get("s", 0))
        if kind == "s":
            return self.strings[int(text)]
        if kind == "str":
            return text
        if kind == "b":
            return bool(int(text))
        if kind == "e":
            return np.nan
        raise UnsupportedXlsxError(f"a cell of type {kind!r}")

    def number(self, text: str, style: str | int) -> Any:
        value: int | float = (float(text) if "." in text or "E" in text or "e" in text
                              else int(text))
        index = int(style) if style else 0
        if index in self.dates:
            return _from_serial(value, self.epoch, index in self.durations)
        whole = int(value)
        return whole if whole == value else float(value)


def _column(ref: str) -> int:
    """1-based column of a cell reference such as ``"AB12"``."""
    letters = ref.rstrip(_DIGITS)
    if letters == ref:
        raise UnsupportedXlsxError(f"cell reference {ref!r}")
    found = _COLUMNS.get(letters)
    if found is None:
        if not (letters.isascii() and letters.isalpha() and len(letters) <= 3):
            raise UnsupportedXlsxError(f"cell reference {ref!r}")
        found = 0
        for ch in letters.upper():
            found = found * 26 + ord(ch) - 64
        _COLUMNS[letters] = found
    return found


def _from_serial(value: float, epoch: dt.datetime, duration: bool) -> Any:
    """Convert a date serial as openpyxl does (to the millisecond)."""
    try:
        if duration:
            span = dt.timedelta(days=value)
            if span.microseconds:
                span = dt.timedelta(seconds=span.total_seconds() // 1,
                                    microseconds=round(span.microseconds, -3))
            return span
        day, fraction = divmod(value, 1)
        diff = dt.timedelta(milliseconds=round(fraction * 86_400_000))
        if 0 <= value < 1 and diff.days == 0:
            minutes, seconds = divmod(diff.seconds, 60)
            hours, minutes = divmod(minutes, 60)
            return dt.time(hours, minutes, seconds, diff.microseconds)
        if 0 < value < 60 and epoch == _WINDOWS_EPOCH:
            day += 1  # Excel's 29 February 1900
        return epoch + dt.timedelta(days=day) + diff
    except (OverflowError, ValueError):  # openpyxl warns and makes it an error cell
        raise UnsupportedXlsxError(f"date serial {value} outside the calendar") from None


def _layout(rows: Iterator[tuple[int, list[tuple[int, Any]]]]) -> list[list[Any]]:
    """Rows placed by number and cells by column, as openpyxl and ``read_excel`` place them.

    A missing row number is an empty row; a row numbered at or below one already read is
    skipped; a row is as wide as its last cell's column (a cell beyond it is dropped);
    trailing empty cells and rows are cut, and the rest padded to one width. Text pandas
    reads as missing becomes NaN.
    """
    data: list[list[Any]] = []
    last = -1
    expected = 1
    for number, cells in rows:
        while expected < number:
            data.append([])
            expected += 1
        if expected > number:
            continue
        expected += 1
        values = [""] * (cells[-1][0] if cells else 0)
        for column, value in cells:
            if column <= len(values):
                values[column - 1] = value
        while values and values[-1] == "":
            values.pop()
        if values:
            last = len(data)
        data.append([np.nan if v.__class__ is str and v in _NA_TEXT else v for v in values])
    data = data[: last + 1]
    width = max((len(v) for v in data), default=0)
    return [v + [np.nan] * (width - len(v)) for v in data]
