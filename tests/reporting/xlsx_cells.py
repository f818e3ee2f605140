"""Everything a reader sees in an .xlsx workbook, read back with openpyxl, as plain data.

Cells (value, number format, font, fill, alignment, borders, quote prefix), merged ranges,
column widths, row heights, frozen panes, links, print titles and page setup, per sheet.
Two workbooks that give the same dump show the same content in the same formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def _color(c: Any) -> str | None:
    """RRGGBB; the theme's first colour (dark text, openpyxl's default) is the automatic."""
    if c is None or (c.type == "theme" and c.theme == 1):
        return None
    return f"theme {c.theme}" if c.type == "theme" else str(c.rgb)[-6:]


def _side(s: Any) -> list[Any] | None:
    return None if s is None or s.style is None else [s.style, _color(s.color)]


def _cell(c: Any) -> list[Any]:
    f, a, b = c.font, c.alignment, c.border
    fill = _color(c.fill.fgColor) if c.fill.fill_type == "solid" else None
    return [c.value, c.number_format, bool(f.b), bool(f.i), f.sz, _color(f.color), f.u,
            f.name, fill, a.horizontal, a.vertical, bool(a.wrap_text),
            [_side(b.left), _side(b.right), _side(b.top), _side(b.bottom)],
            bool(c.quotePrefix)]


def workbook_dump(path: Path) -> dict[str, Any]:
    """Return the workbook's sheets, in order, as plain lists and dicts (JSON-ready)."""
    book = load_workbook(path)
    out: dict[str, Any] = {"title": book.properties.title, "creator": book.properties.creator,
                           "language": book.properties.language, "sheets": []}
    for ws in book.worksheets:
        cells = {c.coordinate: _cell(c) for row in ws.iter_rows() for c in row
                 if c.value is not None or c.has_style}
        out["sheets"].append({
            "name": ws.title,
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items())
                       if d.customWidth},
            "heights": {str(k): d.height for k, d in sorted(ws.row_dimensions.items())
                        if d.height is not None},
            "freeze": ws.freeze_panes,
            "links": {c.coordinate: c.hyperlink.location for row in ws.iter_rows()
                      for c in row if c.hyperlink is not None},
            "print_titles": ws.print_title_rows,
            "page": [ws.page_setup.orientation, ws.page_setup.paperSize,
                     ws.page_setup.fitToWidth, ws.page_setup.fitToHeight,
                     ws.sheet_properties.pageSetUpPr.fitToPage
                     if ws.sheet_properties.pageSetUpPr else None],
        })
    return out


def example_appendix() -> Any:
    """A small appendix: text and code columns, notes, a sheet name, a formula-like label."""
    import datetime as dt

    import surveykit as sk
    from surveykit import report
    from surveykit.datasets import load_api

    d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    app = report.Appendix("Vedlegg <test>", language="nb", subtitle="Undertittel",
                          metadata={"Prosjekt": "=Rom for flere unge voksne"},
                          date=dt.date(2026, 5, 1))
    methods = app.section("Metode")
    methods.section("Svarprosent").table(
        report.aapor_table({"I": 183, "R": 40, "NC": 60, "UH": 17}, language="nb"))
    results = app.section("Resultater")
    results.table(sk.proportion(d, "sch.wide", by="stype"), caption="Andel skoler",
                  notes=["Egen merknad.", "-1 er ikke en formel"], sheet_name="Andel")
    results.section("Middel").table(sk.mean(d, "api00", by="cname"))
    return app
