"""Render an Appendix as a Word document a client can open and send on.

A4 portrait with margins, the report language on every run (nb-NO or en-GB), page numbers
in the footer, a table of contents field that Word updates on opening, heading styles,
tables with content-based column widths and a header row repeated on each page (tables too
wide for portrait get a landscape section), figures scaled to the text area with their
caption kept on the same page.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit._ooxml import reproducible_package
from surveykit._spreadsheet import xml_text
from surveykit._writing import write_atomic
from surveykit.reporting._docx_table import TableLayout, escape, layout, table_xml

if TYPE_CHECKING:
    from surveykit.reporting._appendix import Appendix, OutlineEntry

__all__ = ["PAGE_CM", "TEXT_AREA_CM", "render_docx"]

_ACCENT = "1F4E79"
_MUTED = "5B6475"
_FONT = "Arial"
#: A4 page (width, height) and margins (top, right, bottom, left), cm
PAGE_CM = (21.0, 29.7)
MARGINS_CM = (2.2, 2.0, 2.2, 2.0)
#: text area of a portrait page (width, height), cm
TEXT_AREA_CM = (PAGE_CM[0] - MARGINS_CM[1] - MARGINS_CM[3],
                PAGE_CM[1] - MARGINS_CM[0] - MARGINS_CM[2])
#: room kept under a figure for its caption (cm)
_CAPTION_ROOM_CM = 2.6
_LANG = {"nb": "nb-NO", "en": "en-GB"}
_BREAKS = re.compile("([\t\r\n])")
#: the marker of a body part written as text (see ``_Body``)
_SPLICE_NS = "urn:surveykit:body-part"
_SPLICE = re.compile(rb'<sk:part xmlns:sk="urn:surveykit:body-part" n="([0-9]+)"/>')
_HEADING_PT = {"Title": 22, "Heading 1": 15, "Heading 2": 12.5, "Heading 3": 11,
               "Heading 4": 10.5, "TOC Heading": 15}


def _docx() -> Any:
    try:
        import docx
    except ImportError as exc:
        raise ImportError("Appendix.to_docx needs python-docx: pip install 'surveykit[report]' "
                          "(or pip install python-docx).") from exc
    return docx


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _styles(doc: Any, language: str) -> None:
    """One font (Arial, metric-compatible with Liberation Sans), the language, headings."""
    from docx.shared import Pt, RGBColor

    root = doc.styles.element
    for fonts in root.iter(_qn("w:rFonts")):
        for attr in list(fonts.attrib):
            if attr.endswith("Theme"):
                del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(_qn(attr), _FONT)
    for lang in root.iter(_qn("w:lang")):
        lang.set(_qn("w:val"), _LANG[language])
    normal = doc.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in _HEADING_PT.items():
        style = doc.styles[name]
        style.font.name = _FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor.from_string(_ACCENT)
        style.paragraph_format.keep_with_next = True
    doc.styles["Title"].paragraph_format.space_after = Pt(6)


def _page(section: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    width, height = PAGE_CM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(height), Cm(width)) if landscape else (
        Cm(width), Cm(height))
    top, right, bottom, left = MARGINS_CM
    section.top_margin, section.right_margin = Cm(top), Cm(right)
    section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
    section.footer_distance = Cm(1.0)


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """Add a Word field (``PAGE``) to one paragraph, ``shown`` as its current result."""
    _field_begin(paragraph, instruction)
    paragraph.add_run(shown)
    _field_end(paragraph)


def _footer(doc: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(para, "PAGE", "1")


def _update_fields_on_open(doc: Any) -> None:
    """``w:updateFields``: Word refreshes the contents and page fields when it opens."""
    from docx.oxml import OxmlElement

    settings = doc.settings.element
    flag = OxmlElement("w:updateFields")
    flag.set(_qn("w:val"), "true")
    settings.append(flag)


def _contents(doc: Any, app: Appendix, entries: list[OutlineEntry]) -> None:
    """Add a TOC field over heading levels 1-3; its stored result lists the sections."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    doc.add_paragraph(app.label("contents"), style="TOC Heading")
    sections = [e for e in entries if e.kind == "section" and e.depth <= 3]
    first = doc.add_paragraph()
    _field_begin(first, 'TOC \\o "1-3" \\h \\z \\u')
    for i, e in enumerate(sections):
        para = first if i == 0 else doc.add_paragraph()
        para.paragraph_format.left_indent = Cm(0.6 * (e.depth - 1))
        para.paragraph_format.space_after = Pt(1)
        para.add_run(f"{e.number}  {e.item.title}")
    end = doc.add_paragraph()
    _field_end(end)
    end.add_run().add_break(WD_BREAK.PAGE)


def _field_begin(paragraph: Any, instruction: str) -> None:
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for xml in (f'<w:r {w}><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>',
                f'<w:r {w}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
                f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>'):
        paragraph._p.append(parse_xml(xml))


def _field_end(paragraph: Any) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:fldChar w:fldCharType="end"/></w:r>'))


def _run_xml(text: str, rpr: str) -> str:
    """Return a ``<w:r>`` as python-docx's ``add_run`` writes it, tabs and line breaks too."""
    parts = []
    for piece in _BREAKS.split(xml_text(text)):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f"<w:r>{props}{''.join(parts)}</w:r>"


def _paragraph_xml(text: str, style: str | None = None) -> str:
    """Return a paragraph as python-docx's ``add_paragraph(text, style)`` writes it.

    ``style`` is a style id (see :meth:`_Body.style_id`).

    Examples
    --------
    >>> _paragraph_xml("1 Metode", "Heading1")
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>1 Metode</w:t></w:r></w:p>'

    """
    props = f'<w:pPr><w:pStyle w:val="{escape(style)}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{_run_xml(text, '') if text else ''}</w:p>"


def _caption_xml(style: str, label: str, number: str, caption: str, *, keep_next: bool
                 ) -> str:
    """Return a caption paragraph: "Table 3." in the accent colour, then the caption, bold.

    ``style`` is the id of the Caption style (see :func:`_caption_style`).
    """
    keep = "<w:keepNext/>" if keep_next else '<w:keepNext w:val="0"/>'
    lead = _run_xml(f"{label} {number}. ", f'<w:b/><w:color w:val="{_ACCENT}"/>')
    body = _run_xml(caption, '<w:b/><w:color w:val="000000"/>')
    return (f'<w:p><w:pPr><w:pStyle w:val="{escape(style)}"/>{keep}'
            f'<w:spacing w:before="160" w:after="60"/></w:pPr>{lead}{body}</w:p>')


def _notes_xml(label: str, notes: tuple[str, ...]) -> str:
    """Return the notes under a table, 8.5 pt and muted, the first led by "Notes:"."""
    paras = []
    for i, note in enumerate(notes):
        lead = _run_xml(f"{label}: ", '<w:b/><w:sz w:val="17"/>') if i == 0 else ""
        body = _run_xml(note, f'<w:color w:val="{_MUTED}"/><w:sz w:val="17"/>')
        paras.append(f'<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>{lead}{body}</w:p>')
    return "".join(paras)


#: an empty 6-point paragraph that keeps two tables apart (adjacent tables merge into one
#: in Word and LibreOffice)
_SPACER_XML = '<w:p><w:pPr><w:spacing w:after="0" w:line="120" w:lineRule="exact"/></w:pPr></w:p>'


class _Body:
    """The end of a document's body, added to as WordprocessingML text (``w:`` prefix).

    python-docx adds the figures and section breaks; everything else (headings, paragraphs,
    tables with their captions and notes) is gathered here as text. Parsing that text into
    python-docx's tree and writing it out again cost a fifth of the document's time, so it
    is never parsed: :meth:`flush` leaves a marker element where the text gathered so far
    belongs, and :meth:`package` puts the text in place of the markers in the saved
    ``word/document.xml``.
    """

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._xml: list[str] = []
        self._parts: list[bytes] = []
        self._style_ids: dict[str, str] = {}

    def add(self, xml: str) -> None:
        """Add body elements after everything added so far."""
        self._xml.append(xml)

    def flush(self) -> Any:
        """Mark where the elements gathered go (python-docx adds after them); return the doc."""
        from docx.oxml import parse_xml

        if self._xml:
            body = self.doc.element.body
            marker = parse_xml(f'<sk:part xmlns:sk="{_SPLICE_NS}" n="{len(self._parts)}"/>')
            body.insert(len(body) - 1, marker)  # before the closing sectPr
            self._parts.append("".join(self._xml).encode("utf-8"))
            self._xml = []
        return self.doc

    def package(self, when: Any) -> bytes:
        """Return the saved ``.docx``, the gathered elements in place, dated ``when``."""
        buf = io.BytesIO()
        self.flush().save(buf)
        data = buf.getvalue()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            document = z.read("word/document.xml")
        document, n = _SPLICE.subn(lambda m: self._parts[int(m.group(1))], document)
        if n != len(self._parts):  # python-docx dropped or doubled a marker
            raise RuntimeError(f"{n} of {len(self._parts)} body parts found in the document")
        return reproducible_package(data, when, replace={"word/document.xml": document})

    def style_id(self, name: str) -> str:
        """Return the id of a paragraph style, as python-docx's ``style=`` would store it."""
        if name not in self._style_ids:
            self._style_ids[name] = str(self.doc.styles[name].style_id)
        return self._style_ids[name]

    def heading(self, text: str, level: int) -> None:
        """Add a heading as python-docx's ``add_heading`` does (level 0: the title)."""
        self.add(_paragraph_xml(text, self.style_id("Title" if level == 0
                                                    else f"Heading {level}")))


def _landscape(body: _Body, on: bool) -> None:
    from docx.enum.section import WD_SECTION

    _page(body.flush().add_section(WD_SECTION.NEW_PAGE), on)


def _table_layout(ft: Any) -> tuple[list[str], list[list[str]], list[bool], TableLayout]:
    display = ft.display
    cols = [str(c) for c in display.columns]
    numeric = [c in set(ft.numeric_columns) for c in display.columns]
    # one conversion of the whole frame: a column at a time costs twice as much
    columns = [[str(v) for v in col] for col in display.to_numpy(dtype=object).T.tolist()]
    rows = [list(r) for r in zip(*columns, strict=True)] if columns else \
        [[] for _ in range(len(display))]
    return cols, rows, numeric, layout(cols, columns, numeric, TEXT_AREA_CM[0],
                                       TEXT_AREA_CM[1])


def _table(body: _Body, app: Appendix, entry: OutlineEntry, landscape: bool) -> bool:
    """Add a table; return whether the page is landscape after it.

    A table too wide for portrait opens a landscape section; the next table stays in it
    when it is wide too (banner tables come one after another), anything else returns the
    page to portrait (see :func:`_body`).
    """
    ft = entry.item.table
    cols, rows, numeric, lay = _table_layout(ft)
    if lay.landscape != landscape:
        _landscape(body, lay.landscape)
    starts: Any = ft.extra.get("group_starts")
    heads: Any = ft.extra.get("header_rows") or ()
    notes = entry.item.notes
    body.add(_caption_xml(body.style_id("Caption"), app.label("table"), entry.number,
                          entry.item.caption, keep_next=True)
             + table_xml(cols, rows, numeric, lay,
                         group_starts=[] if starts is None else list(starts),
                         header_rows=[[(t, span) for t, span, _ in r] for r in heads])
             + (_notes_xml(app.label("notes"), notes) if notes else _SPACER_XML))
    return lay.landscape


def _figure(body: _Body, app: Appendix, entry: OutlineEntry) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    fig = entry.item
    width, height = figure_size_cm(fig.width_px, fig.height_px)
    para = body.flush().add_paragraph()  # as ``add_picture``, keeping the paragraph at hand
    para.add_run().add_picture(io.BytesIO(fig.png), width=Cm(width), height=Cm(height))
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.keep_with_next = True
    body.add(_caption_xml(body.style_id("Caption"), app.label("figure"), entry.number,
                          fig.caption, keep_next=False))


def figure_size_cm(width_px: int, height_px: int, dpi: float = 150) -> tuple[float, float]:
    """Return the printed size of a figure (cm): its own, shrunk to fit the text area and a caption.

    Examples
    --------
    >>> figure_size_cm(1500, 6000)[1] <= TEXT_AREA_CM[1] - 2.6
    True

    """
    width, height = width_px / dpi * 2.54, height_px / dpi * 2.54
    scale = min(1.0, TEXT_AREA_CM[0] / width, (TEXT_AREA_CM[1] - _CAPTION_ROOM_CM) / height)
    return round(width * scale, 3), round(height * scale, 3)


def _facts(body: _Body, items: tuple[tuple[str, str], ...]) -> None:
    keys = [k for k, _ in items]
    values = [v for _, v in items]
    lay = layout(["", ""], [keys, values], [False, False], TEXT_AREA_CM[0], TEXT_AREA_CM[1])
    lay = TableLayout(lay.widths, 9.0, False)
    body.add(table_xml(None, [list(i) for i in items], [False, False], lay,
                       bold_first=True, rules=False) + _SPACER_XML)


def _body(body: _Body, app: Appendix, entries: list[OutlineEntry]) -> None:
    from surveykit.reporting._appendix import DefinitionList, Paragraph

    landscape = False
    for entry in entries:
        item = entry.item
        if entry.kind == "table":
            landscape = _table(body, app, entry, landscape)
            continue
        if landscape:
            _landscape(body, False)
            landscape = False
        if entry.kind == "section":
            body.heading(f"{entry.number} {item.title}", min(entry.depth, 9))
        elif entry.kind == "figure":
            _figure(body, app, entry)
        elif isinstance(item, Paragraph):
            body.add(_paragraph_xml(item.text))
        elif isinstance(item, DefinitionList):
            _facts(body, item.items)
    if landscape:
        _landscape(body, False)


def _properties(doc: Any, app: Appendix) -> None:
    props = doc.core_properties
    props.title = app.title
    props.author = "surveykit"
    props.language = _LANG[app.language]
    props.created = app.date
    props.modified = app.date
    props.last_modified_by = "surveykit"
    props.revision = 1


def render_docx(app: Appendix, path: Path) -> Path:
    """Write the Word document (title, contents field, numbered headings, tables, figures)."""
    doc = _docx().Document()
    _properties(doc, app)
    _styles(doc, app.language)
    _page(doc.sections[0], False)
    _footer(doc)
    _update_fields_on_open(doc)
    body = _Body(doc)
    body.heading(app.title, 0)
    if app.subtitle:
        body.add(_paragraph_xml(app.subtitle, body.style_id("Subtitle")))
    if app.metadata:
        _facts(body, tuple(app.metadata.items()))
    entries = app.outline()
    _contents(body.flush(), app, entries)
    _body(body, app, entries)
    write_atomic(path, body.package(app.date))
    return path
