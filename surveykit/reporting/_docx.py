"""Render an Appendix as a Word document: real headings, real tables, figures inserted."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit._writing import write_atomic
from surveykit.reporting._ooxml import reproducible_package

if TYPE_CHECKING:
    from surveykit.reporting._appendix import Appendix, OutlineEntry

__all__ = ["render_docx"]

_ACCENT = (0x1F, 0x4E, 0x79)
_MAX_WIDTH_CM = 16.0


def _docx() -> Any:
    try:
        import docx
    except ImportError as exc:
        raise ImportError("Appendix.to_docx needs python-docx: pip install 'surveykit[report]' "
                          "(or pip install python-docx).") from exc
    return docx


def _set_cell(cell: Any, value: str, *, bold: bool = False, right: bool = False,
              size: float = 9.0) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = cell.paragraphs[0]
    run = para.add_run(value)
    run.bold = bold
    run.font.size = Pt(size)
    para.paragraph_format.space_after = Pt(0)
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _caption(doc: Any, label: str, number: str, caption: str) -> None:
    from docx.shared import Pt, RGBColor

    para = doc.add_paragraph(style="Caption")
    lead = para.add_run(f"{label} {number}. ")
    lead.bold = True
    lead.font.color.rgb = RGBColor(*_ACCENT)
    para.add_run(caption).bold = True
    para.paragraph_format.keep_with_next = True
    para.paragraph_format.space_before = Pt(10)


def _notes(doc: Any, label: str, notes: tuple[str, ...]) -> None:
    from docx.shared import Pt, RGBColor

    for i, note in enumerate(notes):
        para = doc.add_paragraph()
        if i == 0:
            para.add_run(f"{label}: ").bold = True
        run = para.add_run(note)
        run.font.size = Pt(8.5)
        run.font.color.rgb = RGBColor(0x5B, 0x64, 0x75)
        para.paragraph_format.space_after = Pt(0)


def _table(doc: Any, app: Appendix, entry: OutlineEntry) -> None:
    ft = entry.item.table
    _caption(doc, app.label("table"), entry.number, entry.item.caption)
    display = ft.display
    numeric = set(ft.numeric_columns)
    cols = list(display.columns)
    tbl = doc.add_table(rows=1 + len(display), cols=len(cols))
    tbl.style = "Light List Accent 1" if "Light List Accent 1" in [
        s.name for s in doc.styles] else "Table Grid"
    for j, col in enumerate(cols):
        _set_cell(tbl.rows[0].cells[j], str(col), bold=True, right=col in numeric)
    for i, values in enumerate(display.itertuples(index=False, name=None), start=1):
        cells = tbl.rows[i].cells
        for j, value in enumerate(values):
            _set_cell(cells[j], str(value), right=cols[j] in numeric)
    _mark_header(tbl)
    _notes(doc, app.label("notes"), entry.item.notes)


def _mark_header(tbl: Any) -> None:
    """Repeat the header row on every page (``w:tblHeader``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = tbl.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _figure(doc: Any, app: Appendix, entry: OutlineEntry) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    fig = entry.item
    width_cm = min(_MAX_WIDTH_CM, fig.width_px / 150 * 2.54)
    doc.add_picture(io.BytesIO(fig.png), width=Cm(width_cm))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _caption(doc, app.label("figure"), entry.number, fig.caption)


def _body(doc: Any, app: Appendix, entries: list[OutlineEntry]) -> None:
    from surveykit.reporting._appendix import DefinitionList, Paragraph

    for entry in entries:
        item = entry.item
        if entry.kind == "section":
            doc.add_heading(f"{entry.number} {item.title}", level=min(entry.depth, 9))
        elif entry.kind == "table":
            _table(doc, app, entry)
        elif entry.kind == "figure":
            _figure(doc, app, entry)
        elif isinstance(item, Paragraph):
            doc.add_paragraph(item.text)
        elif isinstance(item, DefinitionList):
            _facts(doc, item.items)


def _facts(doc: Any, items: tuple[tuple[str, str], ...]) -> None:
    tbl = doc.add_table(rows=len(items), cols=2)
    for i, (key, value) in enumerate(items):
        _set_cell(tbl.rows[i].cells[0], key, bold=True)
        _set_cell(tbl.rows[i].cells[1], value)
    doc.add_paragraph()


def render_docx(app: Appendix, path: Path) -> Path:
    """Write the Word document (title, contents list, numbered headings, tables, figures)."""
    docx = _docx()
    doc = docx.Document()
    doc.core_properties.title = app.title
    doc.core_properties.author = "surveykit"
    doc.core_properties.language = app.language
    doc.core_properties.created = app.date
    doc.core_properties.modified = app.date
    doc.core_properties.last_modified_by = "surveykit"
    doc.core_properties.revision = 1
    doc.add_heading(app.title, level=0)
    if app.subtitle:
        doc.add_paragraph(app.subtitle, style="Subtitle")
    if app.metadata:
        _facts(doc, tuple(app.metadata.items()))
    entries = app.outline()
    doc.add_heading(app.label("contents"), level=1)
    for e in (x for x in entries if x.kind == "section"):
        para = doc.add_paragraph(f"{e.number}  {e.item.title}")
        para.paragraph_format.left_indent = docx.shared.Cm(0.6 * (e.depth - 1))
        para.paragraph_format.space_after = docx.shared.Pt(0)
    _body(doc, app, entries)
    buf = io.BytesIO()
    doc.save(buf)
    write_atomic(path, reproducible_package(buf.getvalue(), app.date))
    return path
