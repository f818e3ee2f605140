"""The parts of an ``.xlsx`` package around its worksheets and stylesheet.

An ``.xlsx`` file is a zip of XML parts: the content types, the package relationships, the
document properties (core and app), the workbook (sheet names, print titles) with its
relationships, the stylesheet and one part per worksheet. The writers of plain data
workbooks (:mod:`surveykit._xlsx_plain`) and of styled report workbooks
(:mod:`surveykit.reporting._xlsx_book`) build their sheets and stylesheet and leave the
rest of the package to :func:`xlsx_package`, so there is one place that knows the parts.

Examples
--------
>>> import io, zipfile
>>> sheet = f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
>>> data = xlsx_package(["Data"], [sheet], f'<styleSheet xmlns="{MAIN}"/>')
>>> sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())[-2:]
['xl/workbook.xml', 'xl/worksheets/sheet1.xml']

"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence

from surveykit._ooxml import FIXED_DATE, ZIP_EPOCH, zip_package
from surveykit._spreadsheet import xml_text

__all__ = ["MAIN", "REL", "column_letter", "escape", "inline_string", "xlsx_package"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: LibreOffice sets rows and wrapped text as Excel does for a file that names itself
#: "Microsoft Excel" (openpyxl's did: the workbooks look as they always have)
_APP = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Microsoft Excel Compatible / surveykit'
        "</Application></Properties>")
_ROOT_RELS = (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>")


@functools.lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    """Return the letters of a 1-based column number.

    Examples
    --------
    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(703)
    ('A', 'Z', 'AA', 'AAA')

    """
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text: str, quote: bool = False) -> str:
    """Escape ``&``, ``<`` and ``>`` (and ``"`` when ``quote``) for XML text or attributes.

    Examples
    --------
    >>> escape('a < b & "c"', quote=True)
    'a &lt; b &amp; &quot;c&quot;'

    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def inline_string(text: str) -> str:
    r"""Return the ``<is>`` element of an inline string cell holding ``text``.

    ``text`` is XML-escaped, a carriage return is kept as ``&#13;`` (written as is, it
    would be read back as a line feed) and spaces at either end are marked to be kept.
    ``text`` must already be free of the characters XML forbids (see ``xml_text``).

    Examples
    --------
    >>> inline_string(" a\r\nb & c")
    '<is><t xml:space="preserve"> a&#13;\nb &amp; c</t></is>'

    """
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{escape(text).replace(chr(13), '&#13;')}</t></is>"


def xlsx_package(names: Sequence[str], sheets: Sequence[str], styles: str, *,
                 print_rows: Sequence[tuple[int, int] | None] = (),
                 when: _dt.datetime = FIXED_DATE, title: str = "", language: str = "",
                 entry_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> bytes:
    """Return an ``.xlsx`` package of worksheets (XML, in order) and a stylesheet.

    Parameters
    ----------
    names : sequence of str
        Sheet names, in the order of ``sheets`` (Excel's rules are the caller's).
    sheets : sequence of str
        Each worksheet's XML (``<worksheet>``, without the XML declaration).
    styles : str
        The stylesheet's XML (``<styleSheet>``) that the sheets' style numbers refer to.
    print_rows : sequence of (int, int) or None, optional
        Per sheet, the first and last row repeated on every printed page, or ``None``.
    when : datetime.datetime, default 2000-01-01
        Created and modified date in the core properties.
    title, language : str, optional
        Core properties ``dc:title`` and ``dc:language``.
    entry_time : tuple of int, default 1980-01-01 00:00:00
        Date of every zip entry: the same parts give the same bytes.

    Returns
    -------
    bytes
        The package.
    """
    n = len(sheets)
    parts = [("[Content_Types].xml", _content_types(n)), ("_rels/.rels", _ROOT_RELS),
             ("docProps/app.xml", _APP), ("docProps/core.xml", _core(when, title, language)),
             ("xl/workbook.xml", _workbook(names, print_rows)),
             ("xl/_rels/workbook.xml.rels", _workbook_rels(n)), ("xl/styles.xml", styles)]
    parts += [(f"xl/worksheets/sheet{i}.xml", xml) for i, xml in enumerate(sheets, 1)]
    return zip_package([(name, _DECLARATION + xml) for name, xml in parts], entry_time)


def _workbook(names: Sequence[str], print_rows: Sequence[tuple[int, int] | None]) -> str:
    sheets = "".join(f'<sheet name="{escape(xml_text(name), True)}" sheetId="{i}" '
                     f'r:id="rId{i}"/>' for i, name in enumerate(names, 1))
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"'{escape(name.replace(chr(39), chr(39) * 2))}'!${rows[0]}:${rows[1]}</definedName>"
        for i, (name, rows) in enumerate(zip(names, print_rows, strict=False))
        if rows is not None)
    defined = f"<definedNames>{titles}</definedNames>" if titles else ""
    return (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/><bookViews>'
            f'<workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>{defined}'
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


def _core(when: _dt.datetime, title: str, language: str) -> str:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>surveykit</dc:creator><dc:title>{escape(xml_text(title))}"
            f"</dc:title><dc:language>{escape(language)}</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>")


def _content_types(n: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                     f'ContentType="{_CT}.worksheet+xml"/>' for i in range(1, n + 1))
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheets}</Types>")


def _workbook_rels(n: int) -> str:
    sheets = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" '
                     f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    return (f'<Relationships xmlns="{_PKG_REL}">{sheets}'
            f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
            "</Relationships>")
