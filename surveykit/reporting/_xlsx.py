"""Render an Appendix's tables as an Excel workbook (numbers stored as numbers)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from surveykit._ooxml import reproducible_package
from surveykit._spreadsheet import protect_workbook
from surveykit._writing import write_atomic
from surveykit.reporting._format import SUPPRESSED
from surveykit.reporting._xlsx_styles import CellStyles

if TYPE_CHECKING:
    from surveykit.reporting._appendix import Appendix, OutlineEntry, TableBlock

__all__ = ["render_xlsx", "sheet_names", "unique_sheet_names"]

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_ACCENT = "1F4E79"


def sheet_names(app: Appendix, entries: list[OutlineEntry]) -> list[str]:
    """Excel-safe, unique sheet names for the tables (31 characters at most)."""
    wanted = []
    for e in entries:
        block: TableBlock = e.item
        wanted.append((block.sheet_name or f"{app.label('table')} {e.number}", f"T{e.number}"))
    return unique_sheet_names(wanted, {app.label("contents")})


def unique_sheet_names(wanted: list[tuple[str, str]], taken: set[str]) -> list[str]:
    """Excel-safe sheet names, unique ignoring case and apart from ``taken``.

    ``wanted`` holds (name, fallback) pairs; characters Excel refuses become ``_``, names
    are cut to 31 characters and repeats get `` (2)``, `` (3)``...

    Examples
    --------
    >>> unique_sheet_names([("a/b", "T1"), ("A_B", "T2"), ("'", "T3")], {"Innhold"})
    ['a_b', 'A_B (2)', 'T3']

    """
    used = {t.lower() for t in taken}
    names = []
    for name, fallback in wanted:
        base = _BAD_SHEET.sub("_", name).strip("'")[:31] or fallback
        name, i = base, 2
        while name.lower() in used:
            suffix = f" ({i})"
            name, i = base[:31 - len(suffix)] + suffix, i + 1
        used.add(name.lower())
        names.append(name)
    return names


def _styles() -> CellStyles:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="1D2433")
    return CellStyles({
        "title": Font(bold=True, size=14, color=_ACCENT),
        "caption": Font(bold=True, size=12),
        "head": Font(bold=True),
        "head_fill": PatternFill("solid", fgColor="E8EDF3"),
        "head_border": Border(top=Side(style="medium", color="1D2433"), bottom=thin),
        "note": Font(italic=True, size=9, color="5B6475"),
        "right": Alignment(horizontal="right"),
        "link": Font(color="0563C1", underline="single"),
    })


def _write_table(ws: Any, app: Appendix, entry: OutlineEntry, st: CellStyles) -> None:
    block: TableBlock = entry.item
    ft = block.table
    st.set(ws.cell(row=1, column=1, value=f"{app.label('table')} {entry.number}. "
                                          f"{block.caption}"), font=st["caption"])
    _link(ws.cell(row=2, column=1, value=f"\u2190 {app.label('contents')}"),
          app.label("contents"), st)
    frame = ft.numeric
    cols = list(frame.columns)
    header_row = 3
    for j, col in enumerate(cols, start=1):
        cell = st.set(ws.cell(row=header_row, column=j, value=str(col)), font=st["head"],
                      fill=st["head_fill"], border=st["head_border"])
        if col in ft.number_formats:
            st.set(cell, alignment=st["right"])
    hidden = np.asarray(ft.suppressed, dtype=bool)
    row_formats: Any = ft.extra.get("row_formats")
    display = {col: ft.display[col] for col in cols if col in ft.display}
    texts = {col: shown.tolist() for col, shown in display.items()}
    for j, col in enumerate(cols, start=1):
        fmt = ft.number_formats.get(col)
        values = frame[col].tolist()
        if fmt is None:
            values = _codes_as_numbers(values)
        shown = texts.get(col) or [None] * len(values)
        for i, value in enumerate(values):
            cell = ws.cell(row=header_row + 1 + i, column=j)
            if fmt is None:
                cell.value = value
            elif hidden[i] or shown[i] == SUPPRESSED:
                cell.value = SUPPRESSED
                st.set(cell, alignment=st["right"])
            elif value is not None and np.isfinite(value):
                cell.value = float(value)
                st.set(cell, number_format=row_formats[i] if row_formats else fmt)
    row = header_row + len(frame) + 2
    for note in block.notes:
        st.set(ws.cell(row=row, column=1, value=note), font=st["note"])
        row += 1
    _widths(ws, display, texts, cols)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


_INTEGER = re.compile(r"^-?(0|[1-9][0-9]{0,14})$")


def _codes_as_numbers(values: list[Any]) -> list[Any]:
    """Text cells of a label column; a column of whole numbers only (codes, years) as numbers.

    Examples
    --------
    >>> _codes_as_numbers(["3403", None, "3411"]), _codes_as_numbers(["1", "a"])
    ([3403, None, 3411], ['1', 'a'])

    """
    text = [None if v is None or (isinstance(v, float) and np.isnan(v)) or v == ""
            else str(v) for v in values]
    if any(t is not None for t in text) and all(t is None or _INTEGER.match(t) for t in text):
        return [None if t is None else int(t) for t in text]
    return text


def _link(cell: Any, sheet: str, st: CellStyles) -> None:
    """Make ``cell`` a link to cell A1 of ``sheet`` in the same workbook."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    quoted = sheet.replace("'", "''")
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1",
                               display=str(cell.value))
    st.set(cell, font=st["link"])


def _widths(ws: Any, display: dict[str, Any], texts: dict[str, list[Any]],
            cols: list[str]) -> None:
    from openpyxl.utils import get_column_letter

    for j, col in enumerate(cols, start=1):
        longest = _longest_text(display[col], texts[col]) if col in display else 10
        width = min(60, max(len(str(col)), longest, 8) + 2)
        ws.column_dimensions[get_column_letter(j)].width = width


def _longest_text(column: Any, values: list[Any]) -> int:
    """Return the characters of the longest cell as text (0 for no rows).

    ``values`` is ``column.tolist()``; a column of text is measured as it is, without a
    converted copy of it.
    """
    if all(isinstance(v, str) for v in values):
        return max(map(len, values), default=0)
    lengths = column.astype(str).str.len()
    return int(lengths.max()) if len(lengths) else 0


def _contents(ws: Any, app: Appendix, entries: list[OutlineEntry], names: list[str],
              st: CellStyles) -> None:
    st.set(ws.cell(row=1, column=1, value=app.title), font=st["title"])
    row = 2
    if app.subtitle:
        ws.cell(row=row, column=1, value=app.subtitle)
        row += 1
    for key, value in app.metadata.items():
        st.set(ws.cell(row=row, column=1, value=key), font=st["head"])
        ws.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    st.set(ws.cell(row=row, column=1, value=app.label("contents")), font=st["caption"])
    row += 1
    for e, name in zip(entries, names, strict=True):
        _link(ws.cell(row=row, column=1, value=name), name, st)
        ws.cell(row=row, column=2, value=e.item.caption)
        row += 1
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90


def render_xlsx(app: Appendix, path: Path) -> Path:
    """Write the workbook: a contents sheet, then one sheet per table, in order."""
    from openpyxl import Workbook

    tables = [e for e in app.outline() if e.kind == "table"]
    names = sheet_names(app, tables)
    st = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = app.label("contents")
    _contents(ws, app, tables, names, st)
    for entry, name in zip(tables, names, strict=True):
        _write_table(wb.create_sheet(title=name), app, entry, st)
    wb.properties.title = app.title
    wb.properties.creator = "surveykit"
    wb.properties.language = app.language
    buf = io.BytesIO()
    protect_workbook(wb).save(buf)
    write_atomic(path, reproducible_package(buf.getvalue(), app.date))
    return path
