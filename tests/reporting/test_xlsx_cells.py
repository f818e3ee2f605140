"""The appendix and banner workbooks, read back with openpyxl, show what they always showed.

``xlsx_cells.json`` holds the workbooks of a small appendix and of the hand-built banner
table (both layouts) as openpyxl wrote them, cell by cell (see ``xlsx_cells.py``): values,
number formats, fonts, fills, alignment, borders, quote prefixes, merged ranges, widths,
heights, frozen panes, links, print titles and page setup. The workbooks are now written
as XML in one pass; every one of those must still read back the same.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from banner_example import example_table
from openpyxl import load_workbook
from xlsx_cells import example_appendix, workbook_dump

from surveykit.reporting import banner_workbook
from surveykit.reporting._xlsx_book import Book, Font

_RECORDED = json.loads((Path(__file__).parent / "xlsx_cells.json").read_text("utf-8"))


def _check(path: Path, recorded: dict) -> None:
    got = json.loads(json.dumps(workbook_dump(path)))  # tuples as lists, as recorded
    assert [s["name"] for s in got["sheets"]] == [s["name"] for s in recorded["sheets"]]
    for sheet, want in zip(got["sheets"], recorded["sheets"], strict=True):
        assert sheet == want, sheet["name"]
    assert got == recorded


def test_appendix_workbook_reads_back_as_recorded(tmp_path):
    _check(example_appendix().to_xlsx(tmp_path / "a.xlsx"), _RECORDED["appendix"])


@pytest.mark.parametrize(("key", "language", "kwargs"), [
    ("banner_sheets", "nb", {}), ("banner_long", "en", {"layout": "long",
                                                        "notes": ["=weighted"]})])
def test_banner_workbook_reads_back_as_recorded(tmp_path, key, language, kwargs):
    path = banner_workbook(example_table(language), tmp_path / "b.xlsx", **kwargs)
    _check(path, _RECORDED[key])


def test_text_is_never_a_formula_and_numbers_are_numbers():
    book = Book(title="T")
    ws = book.add("S")
    ws.write(1, 1, "=HYPERLINK(\"http://x\")\x07", font=Font(bold=True))
    ws.write(1, 2, "-1.5")
    ws.write(2, 1, 0.1 + 0.2)
    ws.write(2, 2, float("nan"))
    ws.write(2, 3, 7)
    with zipfile.ZipFile(io.BytesIO(book.to_bytes())) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert "<f>" not in sheet and "\x07" not in sheet
    assert '<c r="A1" s="1" t="inlineStr"><is><t>=HYPERLINK("http://x")</t></is></c>' in sheet
    assert '<c r="B1" t="inlineStr"><is><t>-1.5</t></is></c>' in sheet  # a number as text
    assert '<c r="A2" t="n"><v>0.3</v></c>' in sheet  # 16 digits
    assert '<c r="B2"/>' in sheet and '<c r="C2" t="n"><v>7</v></c>' in sheet
    assert 'quotePrefix="1"' in styles.split("<cellXfs")[1].split("<xf ")[2]


def test_text_keeps_carriage_returns_and_edge_spaces() -> None:
    """A label's CR reads back as CR (written as is, XML would turn it into LF)."""
    book = Book()
    book.add("S").write(1, 1, " a\r\nb ")
    ws = load_workbook(io.BytesIO(book.to_bytes()))["S"]
    assert ws["A1"].value == " a\r\nb "
