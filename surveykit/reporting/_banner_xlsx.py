"""A banner table as an Excel workbook: one sheet per question, or one long sheet.

Each banner column takes two worksheet columns: the figure, stored as a number with a
number format (percentages as proportions with ``0%``, means with ``0.00``, NPS and bases
as whole numbers), and beside it a narrow cell with the significance letters. Keeping the
letters out of the number cell is what lets a client sort, sum or chart the figures; placed
right beside the number, they read as in a printed market-research table. Above the
figures: the banner variable's heading merged across its columns, the category, and the
column letter (A, B, C...). Every question starts with its unweighted and weighted bases;
a column whose base is under the minimum gets ``*`` beside its base, and a suppressed
figure shows ``":"``, as in the appendix. The notes close every sheet.

The file is byte-stable: text cells go through the spreadsheet-safe writer and the package
through the reproducible zip rewrite, so the same table gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from dataclasses import replace
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit._ooxml import FIXED_DATE
from surveykit._validate import check_option
from surveykit._writing import write_atomic
from surveykit.reporting._banner_grid import (
    BannerColumn,
    BannerQuestion,
    banner_columns,
    banner_groups,
    banner_notes,
    banner_questions,
    cell_number,
    is_percent,
)
from surveykit.reporting._format import SUPPRESSED, check_language
from surveykit.reporting._vocabulary import term
from surveykit.reporting._xlsx import unique_sheet_names
from surveykit.reporting._xlsx_book import LINK, Align, Book, Border, Font, Sheet

if TYPE_CHECKING:
    from surveykit.banner import BannerTable

__all__ = ["banner_workbook"]

_ACCENT = "1F4E79"
_INK = "1D2433"
#: the workbook's font (Excel's default; LibreOffice shows the metric-compatible Carlito)
_FONT = "Calibri"
#: Excel number format per row kind (percentages are stored as proportions)
NUMBER_FORMATS = {"base_unweighted": "#,##0", "base_weighted": "#,##0", "category": "0%",
                  "net": "0%", "option": "0%", "mean": "0.00", "nps": "0"}
#: characters of a category heading on one line (its two cells are 7 + 4.5 wide)
_CATEGORY_CHARS = 11
#: worksheet rows taken by the banner heading, category and letter rows
HEADER_ROWS = 3


_RULE = ("thin", "8C96A8")
_TITLE = Font(bold=True, size=13, color=_ACCENT, name=_FONT)
_QUESTION = Font(bold=True, size=11, name=_FONT)
_HEAD = Font(bold=True, name=_FONT)
_LETTER_HEAD = Font(bold=True, color=_ACCENT, name=_FONT)
_FILL = "E8EDF3"
_BAND = "F4F6F9"
_CENTER = Align(horizontal="center", vertical="bottom")
_CENTER_WRAP = Align(horizontal="center", vertical="bottom", wrap=True)
_RIGHT = Align(horizontal="right")
_LEFT = Align(horizontal="left")
_WRAP = Align(vertical="top", wrap=True)
_TOP = Border(top=("medium", _INK))
_BOTTOM = Border(bottom=_RULE)
_GROUP = Border(left=_RULE)
_LETTERS = Font(bold=True, size=8, color=_ACCENT, name=_FONT)
_BASE = Font(italic=True, color="5B6475", name=_FONT)
_NET = Font(bold=True, name=_FONT)
_NOTE = Font(italic=True, size=9, color="5B6475", name=_FONT)
_LINK = replace(LINK, name=_FONT)


def _value_column(j: int) -> int:
    """Worksheet column (1-based) of banner column ``j``'s figure; its letters are next."""
    return 2 + 2 * j


def _header(ws: Sheet, top: int, cols: tuple[BannerColumn, ...]) -> None:
    """Banner headings merged across their columns, then categories, then letters."""
    last = _value_column(len(cols) - 1) + 1
    for row in range(top, top + HEADER_ROWS):
        for c in range(1, last + 1):
            ws.format(row, c, fill=_FILL)
    for c in range(1, last + 1):
        ws.format(top, c, border=_TOP)
    for head, first, span in banner_groups(cols):
        start, end = _value_column(first), _value_column(first + span - 1) + 1
        ws.write(top, start, head, font=_HEAD, align=_CENTER)
        ws.merge(top, start, end)
    for j, col in enumerate(cols):
        c = _value_column(j)
        if col.category:
            ws.write(top + 1, c, col.category, font=_HEAD, align=_CENTER_WRAP)
        ws.merge(top + 1, c, c + 1)
        if col.letter:
            ws.write(top + 2, c, col.letter, font=_LETTER_HEAD, align=_CENTER)
        ws.merge(top + 2, c, c + 1)
        ws.format(top + 2, c, border=_BOTTOM)
        ws.format(top + 2, c + 1, border=_BOTTOM)
    ws.format(top + 2, 1, border=_BOTTOM)
    lines = max((math.ceil(len(c.category) / _CATEGORY_CHARS) for c in cols), default=1)
    ws.heights[top + 1] = 15.0 * max(1, lines)


def _question_rows(ws: Sheet, top: int, q: BannerQuestion, groups: set[int]) -> int:
    """Write a question's rows from worksheet row ``top``; return the next free row."""
    row = top
    for r in q.rows:
        fmt = NUMBER_FORMATS.get(r.kind, "0.00")
        scale = 0.01 if is_percent(r.kind) else 1.0
        font = _BASE if r.kind.startswith("base") else _NET if r.kind == "net" else None
        ws.write(row, 1, r.label, font=font)
        for j, cell_data in enumerate(r.cells):
            c = _value_column(j)
            value = cell_number(cell_data)
            style: dict[str, Any] = {"font": font}
            if j in groups:
                style["border"] = _GROUP
            if cell_data.suppressed:
                ws.write(row, c, SUPPRESSED, align=_RIGHT, **style)
            elif value is not None:
                ws.write(row, c, value * scale, number_format=fmt, **style)
            elif font is not None or j in groups:
                ws.format(row, c, **style)
            mark = ("*" if r.kind == "base_unweighted" and q.small[j]
                    and not cell_data.suppressed else cell_data.letters)
            if mark:
                ws.write(row, c + 1, mark, font=_LETTERS, align=_LEFT)
        row += 1
    return row


def _notes(ws: Sheet, row: int, notes: Sequence[str], width: int) -> int:
    """Write the notes from ``row``, each merged across ``width`` columns and wrapped."""
    # 9-point notes fit about 1.15 characters per unit of column width (8.43: Excel's default)
    chars = 1.15 * sum(ws.widths.get(c) or 8.43 for c in range(1, width + 1))
    for note in notes:
        ws.write(row, 1, note, font=_NOTE, align=_WRAP)
        ws.merge(row, 1, width)
        ws.heights[row] = 12.5 * math.ceil(len(note) / chars)
        row += 1
    return row


def _widths(ws: Sheet, questions: list[BannerQuestion], cols: tuple[BannerColumn, ...]) -> None:
    longest = max((len(r.label) for q in questions for r in q.rows), default=20)
    ws.widths[1] = min(50, max(24, longest + 2))
    for j in range(len(cols)):
        c = _value_column(j)
        ws.widths[c] = 7.0
        ws.widths[c + 1] = 4.5


def _page(ws: Sheet, header_top: int) -> None:
    """Landscape A4, all columns on one page wide, the heading rows on every page."""
    ws.landscape = ws.paper_a4 = ws.fit_width = True
    ws.print_rows = (header_top, header_top + HEADER_ROWS - 1)
    ws.freeze = (header_top + HEADER_ROWS, 2)


def _question_sheet(ws: Sheet, q: BannerQuestion, cols: tuple[BannerColumn, ...],
                    notes: Sequence[str], contents: str) -> None:
    """One question on its own sheet: title, link back, banner heading, rows, notes."""
    ws.write(1, 1, q.label, font=_TITLE)
    ws.link(2, 1, f"\u2190 {contents}", contents, font=_LINK)
    _header(ws, 4, cols)
    groups = {first for _, first, _ in banner_groups(cols)}
    row = _question_rows(ws, 4 + HEADER_ROWS, q, groups)
    _widths(ws, [q], cols)
    _notes(ws, row + 1, notes, _value_column(len(cols) - 1) + 1)
    _page(ws, 4)


def _long_sheet(ws: Sheet, title: str, questions: list[BannerQuestion],
                cols: tuple[BannerColumn, ...], notes: Sequence[str]) -> None:
    ws.write(1, 1, title, font=_TITLE)
    _header(ws, 3, cols)
    groups = {first for _, first, _ in banner_groups(cols)}
    width = _value_column(len(cols) - 1) + 1
    row = 3 + HEADER_ROWS
    for q in questions:
        for c in range(1, width + 1):
            ws.format(row, c, fill=_BAND)
        ws.write(row, 1, q.label, font=_QUESTION)
        row = _question_rows(ws, row + 1, q, groups) + 1
    _widths(ws, questions, cols)
    _notes(ws, row, notes, width)
    _page(ws, 3)


def _contents(ws: Sheet, title: str, questions: list[BannerQuestion], names: list[str],
              notes: Sequence[str], lang: str) -> None:
    ws.write(1, 1, title, font=_TITLE)
    ws.write(3, 1, term("report.contents", lang), font=_QUESTION)
    row = 4
    for q, name in zip(questions, names, strict=True):
        ws.link(row, 1, name, name, font=_LINK)
        ws.write(row, 2, q.label)
        row += 1
    ws.widths.update({1: 26, 2: 90})
    _notes(ws, row + 1, notes, 2)
    ws.landscape = ws.fit_width = True


def banner_workbook(table: BannerTable, path: str | PathLike[str], *, layout: str = "sheets",
                    title: str | None = None, notes: Sequence[str] = (),
                    date: _dt.date | None = None) -> Path:
    """Write a banner table as an Excel workbook.

    Parameters
    ----------
    table : BannerTable
        From :func:`surveykit.banner`; its language sets the headings and notes.
    path : path-like
        The ``.xlsx`` file to write (replaced atomically).
    layout : {"sheets", "long"}, default "sheets"
        ``"sheets"``: a contents sheet with links, then one sheet per question;
        ``"long"``: every question under one banner heading on one sheet.
    title : str, optional
        Workbook title (default "Krysstabeller" / "Banner tables").
    notes : sequence of str
        Notes printed after the table's own (e.g. how the data were weighted).
    date : datetime.date, optional
        Date in the document properties (default a fixed stamp: same table, same bytes).

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from openpyxl import load_workbook
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> bt = sk.banner(d, rows=["sch.wide"], banner=["stype"], language="en")
    >>> path = banner_workbook(bt, Path(tempfile.mkdtemp()) / "banner.xlsx")
    >>> ws = load_workbook(path)["sch.wide"]
    >>> [ws[c].value for c in ("D5", "D6", "A10", "D10", "E10")]
    ['E', 'A', 'Yes', 0.91, 'BC']
    >>> ws["D10"].number_format
    '0%'

    """
    check_option("layout", layout, ("sheets", "long"))
    lang = check_language(table.language)
    title = title or term("bannertable.title", lang)
    cols = banner_columns(table)
    questions = banner_questions(table)
    general = banner_notes(table, extra=(*notes, term("bannertable.note_excel", lang)))
    book = Book(title=title, language=lang)
    if layout == "long":
        name = unique_sheet_names([(title, "Banner")], set())[0]
        _long_sheet(book.add(name), title, questions, cols, general)
    else:
        contents = term("report.contents", lang)
        names = unique_sheet_names([(q.variable, f"Q{i}") for i, q in
                                    enumerate(questions, start=1)], {contents})
        _contents(book.add(contents), title, questions, names, general, lang)
        for q, name in zip(questions, names, strict=True):
            _question_sheet(book.add(name), q, cols, general, contents)
    when = FIXED_DATE if date is None else _dt.datetime(date.year, date.month, date.day)
    target = Path(path)
    write_atomic(target, book.to_bytes(when))
    return target
