"""Render an Appendix's tables as an Excel workbook (numbers stored as numbers)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from surveykit._writing import write_atomic
from surveykit.reporting._format import SUPPRESSED
from surveykit.reporting._xlsx_book import Align, Book, Border, Font, Sheet

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


#: the appendix workbook's styles (font, fill, border, alignment)
_TITLE = Font(bold=True, size=14, color=_ACCENT)
_CAPTION = Font(bold=True, size=12)
_HEAD = Font(bold=True)
_HEAD_FILL = "E8EDF3"
_HEAD_BORDER = Border(top=("medium", "1D2433"), bottom=("thin", "1D2433"))
_NOTE = Font(italic=True, size=9, color="5B6475")
_RIGHT = Align(horizontal="right")


def _write_table(ws: Sheet, app: Appendix, entry: OutlineEntry) -> None:
    block: TableBlock = entry.item
    ft = block.table
    ws.write(1, 1, f"{app.label('table')} {entry.number}. {block.caption}", font=_CAPTION)
    ws.link(2, 1, f"\u2190 {app.label('contents')}", app.label("contents"))
    frame = ft.numeric
    cols = list(frame.columns)
    header_row = 3
    for j, col in enumerate(cols, start=1):
        ws.write(header_row, j, str(col), font=_HEAD, fill=_HEAD_FILL, border=_HEAD_BORDER,
                 align=_RIGHT if col in ft.number_formats else None)
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
            row = header_row + 1 + i
            if fmt is None:
                if value is not None:
                    ws.write(row, j, value)
            elif hidden[i] or shown[i] == SUPPRESSED:
                ws.write(row, j, SUPPRESSED, align=_RIGHT)
            elif value is not None and np.isfinite(value):
                ws.write(row, j, float(value),
                         number_format=row_formats[i] if row_formats else fmt)
    row = header_row + len(frame) + 2
    for note in block.notes:
        ws.write(row, 1, note, font=_NOTE)
        row += 1
    _widths(ws, display, texts, cols)
    ws.freeze = (header_row + 1, 1)


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


def _widths(ws: Sheet, display: dict[str, Any], texts: dict[str, list[Any]],
            cols: list[str]) -> None:
    for j, col in enumerate(cols, start=1):
        longest = _longest_text(display[col], texts[col]) if col in display else 10
        ws.widths[j] = min(60, max(len(str(col)), longest, 8) + 2)


def _longest_text(column: Any, values: list[Any]) -> int:
    """Return the characters of the longest cell as text (0 for no rows).

    ``values`` is ``column.tolist()``; a column of text is measured as it is, without a
    converted copy of it.
    """
    if all(isinstance(v, str) for v in values):
        return max(map(len, values), default=0)
    lengths = column.astype(str).str.len()
    return int(lengths.max()) if len(lengths) else 0


def _contents(ws: Sheet, app: Appendix, entries: list[OutlineEntry], names: list[str]
              ) -> None:
    ws.write(1, 1, app.title, font=_TITLE)
    row = 2
    if app.subtitle:
        ws.write(row, 1, app.subtitle)
        row += 1
    for key, value in app.metadata.items():
        ws.write(row, 1, key, font=_HEAD)
        ws.write(row, 2, value)
        row += 1
    row += 1
    ws.write(row, 1, app.label("contents"), font=_CAPTION)
    row += 1
    for e, name in zip(entries, names, strict=True):
        ws.link(row, 1, name, name)
        ws.write(row, 2, e.item.caption)
        row += 1
    ws.widths.update({1: 24, 2: 90})


def render_xlsx(app: Appendix, path: Path) -> Path:
    """Write the workbook: a contents sheet, then one sheet per table, in order."""
    tables = [e for e in app.outline() if e.kind == "table"]
    names = sheet_names(app, tables)
    book = Book(title=app.title, language=app.language)
    _contents(book.add(app.label("contents")), app, tables, names)
    for entry, name in zip(tables, names, strict=True):
        _write_table(book.add(name), app, entry)
    write_atomic(path, book.to_bytes(app.date))
    return path
