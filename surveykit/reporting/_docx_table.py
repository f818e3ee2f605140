"""Word tables as WordprocessingML, built in one pass, with column widths from their content.

Setting cells one by one through python-docx costs about a millisecond per cell; an appendix
has tens of thousands. Here each table is written as one XML string (same input, same bytes)
and parsed once. Column widths follow the content: a column is never narrower than its
longest word (numbers never wrap), and the room left over goes to the text columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["TableLayout", "escape", "layout", "table_xml", "text_width_cm"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_CM = 567
#: left + right cell margin (0.15 cm each side) and a little slack for font differences, cm
CELL_PAD_CM = 0.40
#: a text column narrower than this (cm) reads badly: the table goes landscape instead
READABLE_CM = 4.0
#: widest a text column asks for before it wraps (cm)
TEXT_COLUMN_CAP_CM = 8.0
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NARROW = set("iljtfI.,:;|!'()[] ")
_WIDE = set("mwMW@%")


def text_width_cm(value: str, size_pt: float, *, bold: bool = False) -> float:
    """Estimated width of ``value`` set in Arial at ``size_pt`` (cm), slightly generous.

    Examples
    --------
    >>> round(text_width_cm("1 234", 9), 2)
    0.82
    >>> text_width_cm("Wide", 9, bold=True) > text_width_cm("Wide", 9)
    True

    """
    return _cm(_em(value), size_pt, bold)


class _CharEm(dict[str, float]):
    """Width of a character in ems, worked out on first use and remembered."""

    def __missing__(self, ch: str) -> float:
        em = (0.30 if ch in _NARROW else 0.86 if ch in _WIDE else 0.74 if ch.isupper()
              else 0.57)
        self[ch] = em
        return em


_CHAR_EM = _CharEm()


def _em(value: str) -> float:
    """Width of ``value`` in ems of the font size."""
    em = 0.0
    for ch in value:  # added one by one, in order (``sum`` may round differently)
        em += _CHAR_EM[ch]
    return em


def _cm(em: float, size_pt: float, bold: bool) -> float:
    """Width in cm of a text ``em`` ems wide (bold text is 7 % wider)."""
    return em * size_pt / 72 * 2.54 * (1.07 if bold else 1.0)


def _widest_word(values: Sequence[str]) -> float:
    """Ems of the widest word of ``values`` (0 for none)."""
    return max((_em(w) for v in values for w in v.split()), default=0.0)


def _widest_line(values: Sequence[str]) -> float:
    """Ems of the widest line of ``values`` (0 for none)."""
    return max((_em(line) for v in values for line in v.split("\n")), default=0.0)


@dataclass(frozen=True)
class _Column:
    """A column's text measured once in ems: the widths at a font size scale from these.

    The width in cm grows with the ems, so the widest text in ems is the widest at every
    size, and scaling the widest gives the same number as measuring each text again.
    """

    head_word: float
    head_line: float
    numbers_line: float  # numeric column: lines of the cells holding a digit
    words_word: float  # numeric column: words of the cells without a digit
    word: float  # text column: its words
    line: float  # text column: its lines
    numeric: bool

    @classmethod
    def measure(cls, header: str, values: Sequence[str], numeric: bool) -> _Column:
        if numeric:
            has_digit = [any(ch.isdigit() for ch in v) for v in values]
            numbers = [v for v, d in zip(values, has_digit, strict=True) if d]
            words = [v for v, d in zip(values, has_digit, strict=True) if not d]
            return cls(_widest_word([header]), _widest_line([header]), _widest_line(numbers),
                       _widest_word(words), 0.0, 0.0, numeric)
        return cls(_widest_word([header]), _widest_line([header]), 0.0, 0.0,
                   _widest_word(values), _widest_line(values), numeric)

    def limits(self, size: float) -> tuple[float, float]:
        """(narrowest without splitting a word or a number, width it would like) in cm."""
        head_word = _cm(self.head_word, size, True)
        if self.numeric:  # numbers never wrap; words in a number column ("not comparable") may
            full = max(_cm(self.numbers_line, size, False), _cm(self.words_word, size, False),
                       head_word)
            return full + CELL_PAD_CM, max(full, min(_cm(self.head_line, size, True),
                                                     full * 1.6)) + CELL_PAD_CM
        least = max(_cm(self.word, size, False), head_word)
        want = max(_cm(self.line, size, False), _cm(self.head_line, size, True))
        return least + CELL_PAD_CM, max(least, min(want, TEXT_COLUMN_CAP_CM)) + CELL_PAD_CM


def _widths(floors: list[float], want: list[float], volume: list[float],
            avail: float) -> list[float] | None:
    """Every column its floor; the room left to columns by how much text they hold."""
    widths = list(floors)
    if sum(widths) > avail:
        return None
    if sum(want) <= avail:
        return [max(w, f) for w, f in zip(want, floors, strict=True)]
    room = avail - sum(widths)
    open_ = [j for j in range(len(widths)) if want[j] > widths[j]]
    while room > 1e-9 and open_:
        total = sum(volume[j] for j in open_)
        step = {j: room * (volume[j] / total if total else 1 / len(open_)) for j in open_}
        room = 0.0
        for j in open_:
            grant = min(step[j], want[j] - widths[j])
            widths[j] += grant
            room += step[j] - grant
        open_ = [j for j in open_ if want[j] - widths[j] > 1e-9]
    return widths


@dataclass(frozen=True)
class TableLayout:
    """How a table is set: column widths (cm), font size (pt), and landscape or not."""

    widths: tuple[float, ...]
    size: float
    landscape: bool


def layout(header: Sequence[str], columns: Sequence[Sequence[str]], numeric: Sequence[bool],
           portrait_cm: float, landscape_cm: float) -> TableLayout:
    """Choose widths: portrait at 9 or 8 pt, else landscape at 9 to 7 pt.

    A setting fits when no word is split and every text column is at least
    ``READABLE_CM`` wide (or as wide as its longest cell).

    Examples
    --------
    >>> lay = layout(["Item", "n"], [["A long item text to wrap"] * 2, ["12", "1 300"]],
    ...              [False, True], 16.0, 25.0)
    >>> lay.landscape, lay.widths[0] > lay.widths[1]
    (False, True)

    """
    volume = [float(sum(len(v) for v in c)) for c in columns]
    measured = [_Column.measure(h, list(c), num)
                for h, c, num in zip(header, columns, numeric, strict=True)]
    for size, avail, landscape in ((9.0, portrait_cm, False), (8.0, portrait_cm, False),
                                   (9.0, landscape_cm, True), (8.0, landscape_cm, True),
                                   (7.0, landscape_cm, True)):
        limits = [m.limits(size) for m in measured]
        floors = [a if m.numeric else max(a, min(READABLE_CM, _cm(m.line, size, False)
                                                  + CELL_PAD_CM))
                  for (a, _), m in zip(limits, measured, strict=True)]
        widths = _widths(floors, [b for _, b in limits], volume, avail)
        if widths is not None:
            return TableLayout(tuple(widths), size, landscape)
    least = [a for a, _ in limits]
    return TableLayout(tuple(w * landscape_cm / sum(least) for w in least), 7.0, True)


def escape(text: str) -> str:
    """Return ``text`` with ``&``, ``<`` and ``>`` escaped for XML character data.

    As :func:`xml.sax.saxutils.escape`, without its per-call loop over an entity table (a
    table has thousands of cells).

    Examples
    --------
    >>> escape("A & B < C > D")
    'A &amp; B &lt; C &gt; D'

    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: str) -> str:
    lines = escape(_INVALID_XML.sub("", value)).split("\n")
    return "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)


def _cell(value: str, width: int, *, size: int, bold: bool, right: bool, fill: str | None,
          top_rule: bool, span: int = 1, center: bool = False) -> str:
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if top_rule:
        pr += '<w:tcBorders><w:top w:val="single" w:sz="6" w:color="8C96A8"/></w:tcBorders>'
    if fill:
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    pr += f'<w:vAlign w:val="{"bottom" if fill else "top"}"/>'
    ppr = '<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>'
    if center or right:
        ppr += f'<w:jc w:val="{"center" if center else "right"}"/>'
    rpr = ("<w:b/>" if bold else "") + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    run = f"<w:r><w:rPr>{rpr}</w:rPr>{_text(value)}</w:r>" if value else ""
    return f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{run}</w:p></w:tc>"


def _header_row(cells: Sequence[tuple[str, int]], twips: list[int], size: int) -> str:
    """Return a repeated header row whose cells may span columns (centred when they do)."""
    parts, at = ["<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"], 0
    for text, span in cells:
        parts.append(_cell(str(text), sum(twips[at:at + span]), size=size, bold=True,
                           right=False, fill="E8EDF3", top_rule=False, span=span,
                           center=at > 0))
        at += span
    parts.append("</w:tr>")
    return "".join(parts)


def table_xml(header: Sequence[str] | None, rows: Sequence[Sequence[str]],
              numeric: Sequence[bool], lay: TableLayout, *, group_starts: Sequence[bool] = (),
              bold_first: bool = False, rules: bool = True,
              header_rows: Sequence[Sequence[tuple[str, int]]] = ()) -> str:
    """One ``<w:tbl>`` element: fixed layout, repeated header row, rows kept whole.

    ``header_rows`` (rows of ``(text, span)`` cells) replace the one header row, e.g. a
    banner heading spanning its columns over the categories.

    Examples
    --------
    >>> lay = TableLayout((3.0, 1.5), 9.0, False)
    >>> xml = table_xml(["Item", "n"], [["A", "12"]], [False, True], lay)
    >>> xml.count("<w:tr>"), "<w:tblHeader/>" in xml, '<w:jc w:val="right"/>' in xml
    (2, True, True)

    """
    twips = [round(w * TWIPS_PER_CM) for w in lay.widths]
    size = round(lay.size * 2)
    borders = ('<w:tblBorders><w:top w:val="single" w:sz="12" w:color="1D2433"/>'
               '<w:bottom w:val="single" w:sz="12" w:color="1D2433"/>'
               '<w:insideH w:val="single" w:sz="2" w:color="D5DAE3"/></w:tblBorders>'
               if rules else "")
    parts = [f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>',
             borders, '<w:tblLayout w:type="fixed"/><w:tblCellMar>'
             '<w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
             'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    parts += [f'<w:gridCol w:w="{t}"/>' for t in twips]
    parts.append("</w:tblGrid>")
    if header_rows:
        parts += [_header_row(cells, twips, size) for cells in header_rows]
    elif header is not None:
        parts.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        parts += [_cell(str(h), t, size=size, bold=True, right=num, fill="E8EDF3",
                        top_rule=False) for h, t, num in zip(header, twips, numeric,
                                                              strict=True)]
        parts.append("</w:tr>")
    for r, values in enumerate(rows):
        rule = bool(group_starts[r]) and r > 0 if len(group_starts) else False
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts += [_cell(str(v), t, size=size, bold=bold_first and j == 0, right=num,
                        fill=None, top_rule=rule)
                  for j, (v, t, num) in enumerate(zip(values, twips, numeric, strict=True))]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)
