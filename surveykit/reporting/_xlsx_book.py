"""A small .xlsx writer: cells with styles, merges, widths and views, as XML in one pass.

An ``.xlsx`` file is a zip of a few XML parts: the workbook (sheet names, print titles),
one part per worksheet (rows of cells, column widths, frozen panes, merged ranges, links,
page setup) and a stylesheet (fonts, fills, borders and number formats, and the list of
their combinations that a cell refers to by number). The appendix and banner workbooks use
a handful of styles over thousands of cells, so they are collected here as plain values
(:class:`Style`) and each sheet is written as one string; building them cell by cell in
openpyxl cost about 50 microseconds a cell.

Text is always stored as text, never as a formula (see :mod:`surveykit._spreadsheet`):
a text cell is an inline string without the control characters XML forbids (a carriage
return kept as one), and one that a spreadsheet would read as a formula gets the quote
prefix. Merging cells follows Excel's model (and openpyxl's): the top-left cell keeps its
value and style, the other cells of the range keep only the edges of its border.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from dataclasses import dataclass, field, replace
from typing import Any

from surveykit._ooxml import FIXED_DATE
from surveykit._spreadsheet import formula_like, xml_text
from surveykit._xlsx_package import MAIN, REL, column_letter, escape, inline_string, xlsx_package

__all__ = ["LINK", "Align", "Book", "Border", "Font", "Sheet", "Style"]

#: number formats Excel knows by number; any other gets its own number from 164
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                    "0.00%": 10, "0.00E+00": 11, "@": 49}


@dataclass(frozen=True)
class Font:
    """A font; what is not given is the workbook's default (Calibri, 11 pt, black)."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None  # RRGGBB
    underline: bool = False
    name: str | None = None


#: a border edge: (line style, colour RRGGBB), e.g. ("thin", "8C96A8")
Side = tuple[str, str]


@dataclass(frozen=True)
class Border:
    """The edges of a cell's border (None: no line)."""

    left: Side | None = None
    right: Side | None = None
    top: Side | None = None
    bottom: Side | None = None

    def add(self, other: Border) -> Border:
        """Return this border with ``other``'s edges where this one has none."""
        return Border(self.left or other.left, self.right or other.right,
                      self.top or other.top, self.bottom or other.bottom)


@dataclass(frozen=True)
class Align:
    """Horizontal and vertical alignment and wrapping (None: the default)."""

    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Style:
    """How a cell looks: font, solid fill colour (RRGGBB), border, alignment, number format."""

    font: Font | None = None
    fill: str | None = None
    border: Border | None = None
    align: Align | None = None
    number_format: str = "General"


_PLAIN = Style()
#: how a link looks (Excel's Hyperlink style)
LINK = Font(color="0563C1", underline=True)


def _number(x: float) -> str:
    """Return a width or height as Excel stores it: ``12.5``, ``15`` (not ``15.0``)."""
    return str(int(x)) if isinstance(x, float) and x.is_integer() and abs(x) < 1e15 else str(x)


@dataclass
class Sheet:
    """One worksheet: cells (value and style) and how the sheet is shown and printed.

    Examples
    --------
    >>> ws = Sheet("Data")
    >>> ws.write(1, 1, "Heading", font=Font(bold=True))
    >>> ws.write(2, 1, 0.25, number_format="0%")
    >>> ws.merge(1, 1, 3)
    >>> ws.value(2, 1), ws.style(1, 1).font.bold, ws.merged
    (0.25, True, [(1, 1, 3)])

    """

    name: str
    cells: dict[tuple[int, int], list[Any]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merged: list[tuple[int, int, int]] = field(default_factory=list)
    links: list[tuple[int, int, str, str]] = field(default_factory=list)
    #: the first cell not frozen (row, column), as Excel's "freeze panes" at that cell
    freeze: tuple[int, int] | None = None
    #: the rows repeated at the top of every printed page (first, last)
    print_rows: tuple[int, int] | None = None
    landscape: bool = False
    paper_a4: bool = False
    #: print all columns on one page wide
    fit_width: bool = False

    def write(self, row: int, col: int, value: Any, **style: Any) -> None:
        """Set a cell's value (text, whole number or float; None: empty) and the style parts given.

        Style parts are the fields of :class:`Style` (``font=``, ``fill=``, ``border=``,
        ``align=``, ``number_format=``); each replaces that part of the cell's style.
        """
        cell = self.cells.get((row, col))
        if cell is None:
            self.cells[(row, col)] = [value, _restyle(_PLAIN, **style) if style else _PLAIN]
        else:
            cell[0] = value
            if style:
                cell[1] = _restyle(cell[1], **style)

    def format(self, row: int, col: int, **style: Any) -> None:
        """Set the style parts given on a cell, keeping its value."""
        self.write(row, col, self.value(row, col), **style)

    def value(self, row: int, col: int) -> Any:
        """Return a cell's value (None for an empty cell)."""
        cell = self.cells.get((row, col))
        return None if cell is None else cell[0]

    def style(self, row: int, col: int) -> Style:
        """Return a cell's style."""
        cell = self.cells.get((row, col))
        return _PLAIN if cell is None else cell[1]

    def merge(self, row: int, first: int, last: int) -> None:
        """Merge columns ``first``..``last`` of one row.

        The top-left cell keeps its value and style and takes the right and bottom edges
        of the last cell's border where it has none; the other cells become empty and keep
        only the top and bottom edges of the first cell's border (the last cell its right
        edge too), as Excel draws a merged range.
        """
        start = self.style(row, first)
        end = self.cells.get((row, last))
        edges = start.border or Border()
        if end is not None and end[1].border is not None:
            edges = edges.add(Border(right=end[1].border.right, bottom=end[1].border.bottom))
            self.write(row, first, self.value(row, first), border=edges)
        inner = _edges(edges.top, edges.bottom, None)
        for col in range(first + 1, last):
            self.cells[(row, col)] = [None, inner]
        self.cells[(row, last)] = [None, _edges(edges.top, edges.bottom, edges.right)]
        self.merged.append((row, first, last))

    def link(self, row: int, col: int, text: str, sheet: str, font: Font = LINK) -> None:
        """Write ``text`` in ``font`` as a link to cell A1 of another sheet of the workbook."""
        self.write(row, col, text, font=font)
        quoted = sheet.replace("'", "''")
        self.links.append((row, col, f"'{quoted}'!A1", text))

    def xml(self, xf: Any) -> str:
        """Return the worksheet part; ``xf(style, quote)`` gives a style's number."""
        parts = [f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">']
        parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if self.fit_width
                     else "<sheetPr/>")
        keys = sorted(self.cells)
        if keys:
            last_col = max(c for _, c in keys)
            parts.append(f'<dimension ref="A1:{column_letter(last_col)}{keys[-1][0]}"/>')
        parts.append(f"<sheetViews>{self._view()}</sheetViews>"
                     '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
        if self.widths:
            parts.append("<cols>")
            parts += [f'<col min="{c}" max="{c}" width="{_number(w)}" customWidth="1"/>'
                      for c, w in sorted(self.widths.items())]
            parts.append("</cols>")
        parts.append("<sheetData>")
        parts += self._rows(keys, xf)
        parts.append("</sheetData>")
        if self.merged:
            parts.append(f'<mergeCells count="{len(self.merged)}">')
            parts += [f'<mergeCell ref="{column_letter(a)}{r}:{column_letter(b)}{r}"/>'
                      for r, a, b in self.merged]
            parts.append("</mergeCells>")
        if self.links:
            parts.append("<hyperlinks>")
            parts += [f'<hyperlink ref="{column_letter(c)}{r}" '
                      f'location="{escape(xml_text(loc), True)}" '
                      f'display="{escape(xml_text(shown), True)}"/>'
                      for r, c, loc, shown in self.links]
            parts.append("</hyperlinks>")
        parts.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
                     'footer="0.5"/>')
        setup = (' orientation="landscape"' if self.landscape else "") + (
            ' paperSize="9"' if self.paper_a4 else "") + (
            ' fitToHeight="0" fitToWidth="1"' if self.fit_width else "")
        if setup:
            parts.append(f"<pageSetup{setup}/>")
        parts.append("</worksheet>")
        return "".join(parts)

    def _view(self) -> str:
        if self.freeze is None:
            return '<sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1"/>' \
                   "</sheetView>"
        row, col = self.freeze
        split = (f' xSplit="{col - 1}"' if col > 1 else "") + (
            f' ySplit="{row - 1}"' if row > 1 else "")
        pane = ("bottomRight" if row > 1 and col > 1 else "bottomLeft" if row > 1
                else "topRight")
        return (f'<sheetView workbookViewId="0"><pane{split} '
                f'topLeftCell="{column_letter(col)}{row}" activePane="{pane}" '
                f'state="frozen"/><selection pane="{pane}" activeCell="A1" sqref="A1"/>'
                "</sheetView>")

    def _rows(self, keys: list[tuple[int, int]], xf: Any) -> list[str]:
        """Return the ``<row>`` elements: rows with a cell to show or a height of their own.

        An empty cell without a style is left out (as Excel leaves it out).
        """
        cells: dict[int, list[str]] = {r: [] for r in self.heights}
        for r, c in keys:
            value, style = self.cells[(r, c)]
            if value is not None or style is not _PLAIN:
                cells.setdefault(r, []).append(_cell(f"{column_letter(c)}{r}", value, style,
                                                     xf))
        rows = []
        for r in sorted(cells):
            height = self.heights.get(r)
            rows.append(f'<row r="{r}">' if height is None else
                        f'<row r="{r}" ht="{_number(height)}" customHeight="1">')
            rows += cells[r]
            rows.append("</row>")
        return rows


@functools.lru_cache(maxsize=1024)
def _changed(style: Style, parts: tuple[tuple[str, Any], ...]) -> Style:
    return replace(style, **dict(parts))


def _restyle(style: Style, **parts: Any) -> Style:
    """Return ``style`` with the parts given replaced (a few styles recur on many cells)."""
    return _changed(style, tuple(parts.items()))


def _edges(top: Side | None, bottom: Side | None, right: Side | None) -> Style:
    """Return the style of a merged cell showing only these edges of the range's border."""
    if top is None and bottom is None and right is None:
        return _PLAIN
    return Style(border=Border(top=top, bottom=bottom, right=right))


def _cell(ref: str, value: Any, style: Style, xf: Any) -> str:
    if isinstance(value, str):
        text = xml_text(value)
        s = xf(style, formula_like(text))
        return f'<c r="{ref}"{_s(s)} t="inlineStr">{inline_string(text)}</c>'
    s = xf(style, False)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return f'<c r="{ref}"{_s(s)}/>'
    # 16 significant digits, as openpyxl stores them (Excel shows 15)
    number = f"{value:.16g}" if isinstance(value, float) else str(int(value))
    return f'<c r="{ref}"{_s(s)} t="n"><v>{number}</v></c>'


def _s(number: int) -> str:
    return f' s="{number}"' if number else ""


class _Styles:
    """The workbook's stylesheet, collected as cells ask for their styles' numbers."""

    def __init__(self) -> None:
        self.fonts: dict[Font | None, int] = {None: 0}
        self.fills: dict[str | None, int] = {None: 0, "gray125": 1}
        self.borders: dict[Border | None, int] = {None: 0}
        self.formats: dict[str, int] = {}
        self.xfs: dict[tuple[Style, bool], int] = {(_PLAIN, False): 0}

    def xf(self, style: Style, quote: bool) -> int:
        number = self.xfs.get((style, quote))
        if number is None:
            number = self.xfs[(style, quote)] = len(self.xfs)
            self.fonts.setdefault(style.font, len(self.fonts))
            self.fills.setdefault(style.fill, len(self.fills))
            self.borders.setdefault(style.border, len(self.borders))
            fmt = style.number_format
            if fmt not in _BUILTIN_FORMATS:
                self.formats.setdefault(fmt, 164 + len(self.formats))
        return number

    def xml(self) -> str:
        parts = [f'<styleSheet xmlns="{MAIN}">']
        if self.formats:
            parts.append(f'<numFmts count="{len(self.formats)}">')
            parts += [f'<numFmt numFmtId="{n}" formatCode="{escape(code, True)}"/>'
                      for code, n in self.formats.items()]
            parts.append("</numFmts>")
        parts.append(f'<fonts count="{len(self.fonts)}">')
        parts += [_font_xml(f) for f in self.fonts]
        parts.append(f'</fonts><fills count="{len(self.fills)}">'
                     '<fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill>')
        parts += [f'<fill><patternFill patternType="solid"><fgColor rgb="FF{c}"/>'
                  "</patternFill></fill>" for c in list(self.fills)[2:]]
        parts.append(f'</fills><borders count="{len(self.borders)}">')
        parts += [_border_xml(b) for b in self.borders]
        parts.append('</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
                     f'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="{len(self.xfs)}">')
        parts += [self._xf_xml(style, quote) for style, quote in self.xfs]
        parts.append('</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
                     'builtinId="0"/></cellStyles></styleSheet>')
        return "".join(parts)

    def _xf_xml(self, style: Style, quote: bool) -> str:
        fmt = style.number_format
        number = _BUILTIN_FORMATS.get(fmt, self.formats.get(fmt))
        attrs = (f'numFmtId="{number}" fontId="{self.fonts[style.font]}" '
                 f'fillId="{self.fills[style.fill]}" borderId="{self.borders[style.border]}" '
                 'xfId="0"')
        attrs += ' applyNumberFormat="1"' if number else ""
        attrs += ' applyFont="1"' if style.font is not None else ""
        attrs += ' applyFill="1"' if style.fill is not None else ""
        attrs += ' applyBorder="1"' if style.border is not None else ""
        attrs += ' quotePrefix="1"' if quote else ""
        a = style.align
        if a is None:
            return f"<xf {attrs}/>"
        align = (f' horizontal="{a.horizontal}"' if a.horizontal else "") + (
            f' vertical="{a.vertical}"' if a.vertical else "") + (
            ' wrapText="1"' if a.wrap else "")
        return f'<xf {attrs} applyAlignment="1"><alignment{align}/></xf>'


def _font_xml(f: Font | None) -> str:
    """Return a ``<font>``, its parts in the order Excel writes them (LibreOffice minds it)."""
    if f is None:
        return '<font><name val="Calibri"/><family val="2"/><sz val="11"/></font>'
    parts = ["<font>"]
    parts += [f'<name val="{escape(f.name, True)}"/>'] if f.name else []
    parts += ['<b val="1"/>'] if f.bold else []
    parts += ['<i val="1"/>'] if f.italic else []
    parts += [f'<color rgb="FF{f.color}"/>'] if f.color else []
    parts += [f'<sz val="{_number(float(f.size))}"/>'] if f.size is not None else []
    parts += ['<u val="single"/>'] if f.underline else []
    parts.append("</font>")
    return "".join(parts)


def _border_xml(b: Border | None) -> str:
    def side(tag: str, s: Side | None) -> str:
        return f"<{tag}/>" if s is None else \
            f'<{tag} style="{s[0]}"><color rgb="FF{s[1]}"/></{tag}>'

    b = b or Border()
    return (f"<border>{side('left', b.left)}{side('right', b.right)}{side('top', b.top)}"
            f"{side('bottom', b.bottom)}<diagonal/></border>")


@dataclass
class Book:
    """A workbook: sheets in order and the document properties.

    Examples
    --------
    >>> import io, zipfile
    >>> book = Book(title="Tables", language="en")
    >>> ws = book.add("Sheet 1")
    >>> ws.write(1, 1, "=1+1")
    >>> data = book.to_bytes()
    >>> sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())[:3]
    ['[Content_Types].xml', '_rels/.rels', 'docProps/app.xml']

    """

    title: str = ""
    language: str = ""
    sheets: list[Sheet] = field(default_factory=list)

    def add(self, name: str) -> Sheet:
        """Add a sheet at the end and return it."""
        self.sheets.append(Sheet(name))
        return self.sheets[-1]

    def to_bytes(self, when: _dt.datetime = FIXED_DATE) -> bytes:
        """Return the ``.xlsx`` package; ``when`` is its created and modified date."""
        styles = _Styles()
        sheets = [ws.xml(styles.xf) for ws in self.sheets]
        return xlsx_package([ws.name for ws in self.sheets], sheets, styles.xml(),
                            print_rows=[ws.print_rows for ws in self.sheets], when=when,
                            title=self.title, language=self.language)
