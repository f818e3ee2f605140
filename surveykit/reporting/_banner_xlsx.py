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
import io
import math
from collections.abc import Sequence
from functools import partial
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit._ooxml import FIXED_DATE, reproducible_package
from surveykit._spreadsheet import protect_workbook, set_text
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
from surveykit.reporting._xlsx import _link, unique_sheet_names
from surveykit.reporting._xlsx_styles import CellStyles

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


def _styles() -> CellStyles:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    rule = Side(style="thin", color="8C96A8")
    font = partial(Font, name=_FONT)
    return CellStyles({
        "title": font(bold=True, size=13, color=_ACCENT),
        "question": font(bold=True, size=11),
        "head": font(bold=True),
        "letter_head": font(bold=True, color=_ACCENT),
        "fill": PatternFill("solid", fgColor="E8EDF3"),
        "band": PatternFill("solid", fgColor="F4F6F9"),
        "center": Alignment(horizontal="center", vertical="bottom"),
        "center_wrap": Alignment(horizontal="center", vertical="bottom", wrap_text=True),
        "right": Alignment(horizontal="right"),
        "left": Alignment(horizontal="left"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "top": Border(top=Side(style="medium", color=_INK)),
        "bottom": Border(bottom=rule),
        "group": Border(left=rule),
        "letters": font(bold=True, size=8, color=_ACCENT),
        "base": font(italic=True, color="5B6475"),
        "net": font(bold=True),
        "note": font(italic=True, size=9, color="5B6475"),
        "link": font(color="0563C1", underline="single"),
    })


def _value_column(j: int) -> int:
    """Worksheet column (1-based) of banner column ``j``'s figure; its letters are next."""
    return 2 + 2 * j


def _header(ws: Any, top: int, cols: tuple[BannerColumn, ...], st: CellStyles) -> None:
    """Banner headings merged across their columns, then categories, then letters."""
    last = _value_column(len(cols) - 1) + 1
    for row in range(top, top + HEADER_ROWS):
        for c in range(1, last + 1):
            st.set(ws.cell(row=row, column=c), fill=st["fill"])
    for c in range(1, last + 1):
        st.set(ws.cell(row=top, column=c), border=st["top"])
    for head, first, span in banner_groups(cols):
        start, end = _value_column(first), _value_column(first + span - 1) + 1
        st.set(set_text(ws.cell(row=top, column=start), head), font=st["head"],
               alignment=st["center"])
        st.merge(ws, top, start, end)
    for j, col in enumerate(cols):
        c = _value_column(j)
        if col.category:
            st.set(set_text(ws.cell(row=top + 1, column=c), col.category), font=st["head"],
                   alignment=st["center_wrap"])
        st.merge(ws, top + 1, c, c + 1)
        if col.letter:
            st.set(set_text(ws.cell(row=top + 2, column=c), col.letter),
                   font=st["letter_head"], alignment=st["center"])
        st.merge(ws, top + 2, c, c + 1)
        st.set(ws.cell(row=top + 2, column=c), border=st["bottom"])
        st.set(ws.cell(row=top + 2, column=c + 1), border=st["bottom"])
    st.set(ws.cell(row=top + 2, column=1), border=st["bottom"])
    lines = max((math.ceil(len(c.category) / _CATEGORY_CHARS) for c in cols), default=1)
    ws.row_dimensions[top + 1].height = 15.0 * max(1, lines)


def _question_rows(ws: Any, top: int, q: BannerQuestion, groups: set[int],
                   st: CellStyles) -> int:
    """Write a question's rows from worksheet row ``top``; return the next free row."""
    row = top
    for r in q.rows:
        label = set_text(ws.cell(row=row, column=1), r.label)
        fmt = NUMBER_FORMATS.get(r.kind, "0.00")
        scale = 0.01 if is_percent(r.kind) else 1.0
        font = st["base"] if r.kind.startswith("base") else st["net"] if r.kind == "net" \
            else None
        if font is not None:
            st.set(label, font=font)
        for j, cell_data in enumerate(r.cells):
            c = _value_column(j)
            cell = ws.cell(row=row, column=c)
            value = cell_number(cell_data)
            if cell_data.suppressed:
                st.set(set_text(cell, SUPPRESSED), alignment=st["right"])
            elif value is not None:
                cell.value = value * scale
                st.set(cell, number_format=fmt)
            if font is not None:
                st.set(cell, font=font)
            mark = ("*" if r.kind == "base_unweighted" and q.small[j]
                    and not cell_data.suppressed else cell_data.letters)
            if mark:
                st.set(set_text(ws.cell(row=row, column=c + 1), mark), font=st["letters"],
                       alignment=st["left"])
            if j in groups:
                st.set(cell, border=st["group"])
        row += 1
    return row


def _notes(ws: Any, row: int, notes: Sequence[str], width: int, st: CellStyles) -> int:
    """Write the notes from ``row``, each merged across ``width`` columns and wrapped."""
    from openpyxl.utils import get_column_letter

    # 9-point notes fit about 1.15 characters per unit of column width
    chars = 1.15 * sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                       for c in range(1, width + 1))
    for note in notes:
        st.set(set_text(ws.cell(row=row, column=1), note), font=st["note"],
               alignment=st["wrap"])
        st.merge(ws, row, 1, width)
        ws.row_dimensions[row].height = 12.5 * math.ceil(len(note) / chars)
        row += 1
    return row


def _widths(ws: Any, questions: list[BannerQuestion], cols: tuple[BannerColumn, ...]) -> None:
    from openpyxl.utils import get_column_letter

    longest = max((len(r.label) for q in questions for r in q.rows), default=20)
    ws.column_dimensions["A"].width = min(50, max(24, longest + 2))
    for j in range(len(cols)):
        c = _value_column(j)
        ws.column_dimensions[get_column_letter(c)].width = 7.0
        ws.column_dimensions[get_column_letter(c + 1)].width = 4.5


def _page(ws: Any, header_top: int) -> None:
    """Landscape, all columns on one page wide, the heading rows on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_top}:{header_top + HEADER_ROWS - 1}"
    ws.freeze_panes = ws.cell(row=header_top + HEADER_ROWS, column=2)


def _question_sheet(ws: Any, q: BannerQuestion, cols: tuple[BannerColumn, ...],
                    notes: Sequence[str], contents: str, st: CellStyles) -> None:
    """One question on its own sheet: title, link back, banner heading, rows, notes."""
    st.set(set_text(ws.cell(row=1, column=1), q.label), font=st["title"])
    _link(set_text(ws.cell(row=2, column=1), f"\u2190 {contents}"), contents, st)
    _header(ws, 4, cols, st)
    groups = {first for _, first, _ in banner_groups(cols)}
    row = _question_rows(ws, 4 + HEADER_ROWS, q, groups, st)
    _widths(ws, [q], cols)
    _notes(ws, row + 1, notes, _value_column(len(cols) - 1) + 1, st)
    _page(ws, 4)


def _long_sheet(ws: Any, title: str, questions: list[BannerQuestion],
                cols: tuple[BannerColumn, ...], notes: Sequence[str],
                st: CellStyles) -> None:
    st.set(set_text(ws.cell(row=1, column=1), title), font=st["title"])
    _header(ws, 3, cols, st)
    groups = {first for _, first, _ in banner_groups(cols)}
    width = _value_column(len(cols) - 1) + 1
    row = 3 + HEADER_ROWS
    for q in questions:
        for c in range(1, width + 1):
            st.set(ws.cell(row=row, column=c), fill=st["band"])
        st.set(set_text(ws.cell(row=row, column=1), q.label), font=st["question"])
        row = _question_rows(ws, row + 1, q, groups, st) + 1
    _widths(ws, questions, cols)
    _notes(ws, row, notes, width, st)
    _page(ws, 3)


def _contents(ws: Any, title: str, questions: list[BannerQuestion], names: list[str],
              notes: Sequence[str], lang: str, st: CellStyles) -> None:
    st.set(set_text(ws.cell(row=1, column=1), title), font=st["title"])
    st.set(set_text(ws.cell(row=3, column=1), term("report.contents", lang)),
           font=st["question"])
    row = 4
    for q, name in zip(questions, names, strict=True):
        _link(set_text(ws.cell(row=row, column=1), name), name, st)
        set_text(ws.cell(row=row, column=2), q.label)
        row += 1
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 90
    _notes(ws, row + 1, notes, 2, st)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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
    from openpyxl import Workbook

    check_option("layout", layout, ("sheets", "long"))
    lang = check_language(table.language)
    title = title or term("bannertable.title", lang)
    cols = banner_columns(table)
    questions = banner_questions(table)
    general = banner_notes(table, extra=(*notes, term("bannertable.note_excel", lang)))
    st = _styles()
    book = Workbook()
    ws = book.active
    if layout == "long":
        ws.title = unique_sheet_names([(title, "Banner")], set())[0]
        _long_sheet(ws, title, questions, cols, general, st)
    else:
        contents = term("report.contents", lang)
        ws.title = contents
        names = unique_sheet_names([(q.variable, f"Q{i}") for i, q in
                                    enumerate(questions, start=1)], {contents})
        _contents(ws, title, questions, names, general, lang, st)
        for q, name in zip(questions, names, strict=True):
            _question_sheet(book.create_sheet(title=name), q, cols, general, contents, st)
    when = FIXED_DATE if date is None else _dt.datetime(date.year, date.month, date.day)
    book.properties.title = title
    book.properties.creator = "surveykit"
    book.properties.language = lang
    buf = io.BytesIO()
    protect_workbook(book).save(buf)
    target = Path(path)
    write_atomic(target, reproducible_package(buf.getvalue(), when))
    return target
