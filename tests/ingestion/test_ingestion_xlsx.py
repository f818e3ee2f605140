"""The .xlsx reader (``ingestion/_xlsx.py``) gives exactly the cells openpyxl gives.

Every comparison is with ``read_with_openpyxl`` (``pandas.read_excel(header=None,
dtype=object, engine="openpyxl")``, the reader it replaces): same shape, dtypes, and per
cell the same type and value (``NaN`` and ``pd.NA`` told apart).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import surveykit as sk
from surveykit.datasets._demo import write_demo_part
from surveykit.ingestion import _xlsx, read_table
from surveykit.ingestion._readers import read_with_openpyxl
from surveykit.ingestion._xlsx import UnsupportedXlsxError, read_worksheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _fast(path: Path, sheet: str | int | None = None) -> pd.DataFrame:
    """The new reader alone (no fallback to openpyxl)."""
    with zipfile.ZipFile(path) as zf:
        return read_worksheet(zf, path, sheet)


def _cell(v: Any) -> tuple[type, Any]:
    if v is pd.NA:
        return type(v), "NA"
    if isinstance(v, float) and math.isnan(v):
        return float, "nan"
    return type(v), v


#: pandas 2's read_excel merges a boolean cell and the equal number in one column (True and
#: 1 are equal keys), and whichever it met first wins: [False, 0] reads as two bools, [0, False]
#: as two ints. pandas 3 and the XML reader keep every cell's own type.
PANDAS_MERGES_BOOLS = int(pd.__version__.split(".")[0]) < 3


def _as_pandas_2(new: tuple[type, Any], old: tuple[type, Any]) -> tuple[type, Any]:
    merged = {new[0], old[0]} == {bool, int} and old[1] == new[1]
    return old if PANDAS_MERGES_BOOLS and merged else new


def assert_same_cells(new: pd.DataFrame, old: pd.DataFrame) -> None:
    assert new.shape == old.shape
    assert list(new.dtypes) == list(old.dtypes)
    assert list(new.columns) == list(old.columns)
    for j in range(old.shape[1]):
        want = [_cell(v) for v in old.iloc[:, j].tolist()]
        got = [_as_pandas_2(_cell(v), w) for v, w in zip(new.iloc[:, j].tolist(), want,
                                                           strict=True)]
        assert got == want, f"column {j}"


def assert_reads_as_openpyxl(path: Path, sheet: str | int | None = None) -> pd.DataFrame:
    new = _fast(path, sheet)
    assert_same_cells(new, read_with_openpyxl(path, sheet))
    return new


# --- the workbooks the package writes and reads --------------------------------------------

@pytest.fixture(scope="module")
def demo_books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("demo")
    for part in ("needs_assessment_2025", "meeting_places"):
        write_demo_part(out, part)
    return sorted(out.rglob("*.xlsx"))


def _unsupported(*args: object) -> None:
    raise UnsupportedXlsxError("test")


def read_table_with_openpyxl(path: Path, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """``read_table`` as it was before the XML reader: through openpyxl."""
    with monkeypatch.context() as m:
        m.setattr("surveykit.ingestion._readers.read_worksheet", _unsupported)
        return read_table(path)


@pytest.mark.slow  # writes the demo's workbooks and reads them with openpyxl too (~15 s)
def test_demo_workbooks_read_as_openpyxl_reads_them(demo_books: list[Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(demo_books) == 3
    for path in demo_books:
        with zipfile.ZipFile(path) as zf:
            sheets = sum(n.startswith("xl/worksheets/sheet") for n in zf.namelist())
        for k in range(1, sheets):
            assert_reads_as_openpyxl(path, k)
        assert_same_cells(read_table(path), read_table_with_openpyxl(path, monkeypatch))


@pytest.mark.slow
def test_survey_xact_sheets_by_name_and_position(demo_books: list[Path]) -> None:
    book = next(p for p in demo_books if "surveyxact" in p.name)
    assert_same_cells(_fast(book, "Variabler"), _fast(book, 1))
    assert_same_cells(_fast(book, "Data"), _fast(book, None))
    with pytest.raises(sk.IngestionError, match=r"no worksheet 'Svar'.*'Data', 'Variabler'") \
            as info:
        read_table(book, sheet="Svar")
    assert str(book) in str(info.value)
    with pytest.raises(sk.IngestionError, match="no worksheet 2"):
        read_table(book, sheet=2)


# --- workbooks written by openpyxl, drawn by hypothesis ---------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8) | st.sampled_from(
    ["NA", "#N/A", "null", "None", " ", "  x ", "=1+1", "=SUM(A1:A2)", "Åse Ø", "1", "1.0",
     "TRUE", "\u00a0", "x005F_y"])
VALUE = st.one_of(
    st.none(), TEXT, st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.times().map(lambda t: t.replace(microsecond=0)),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@example(rows=[[], [False], [None, 0]], skip=[0] * 8)  # pandas 2 reads both cells as bool
@example(rows=[[], [0], [None, False]], skip=[0] * 8)  # ... and these as int
@example(rows=[[], [True], [None, 1.0]], skip=[0] * 8)
@given(rows=st.lists(st.lists(VALUE, max_size=6), min_size=1, max_size=8),
       skip=st.lists(st.integers(0, 3), min_size=8, max_size=8))
def test_openpyxl_workbooks_read_as_openpyxl_reads_them(tmp_path: Path, rows: list[list[Any]],
                                                        skip: list[int]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    r = 1
    for k, values in enumerate(rows):
        r += skip[k]  # empty rows between
        for c, v in enumerate(values, start=1):
            if v is not None:
                ws.cell(row=r, column=c + (k % 2), value=v)  # sparse columns too
        r += 1
    path = tmp_path / "drawn.xlsx"
    wb.save(path)
    try:
        old = read_with_openpyxl(path, None)
    except OverflowError:  # a float near the largest is written rounded up to infinity
        with pytest.raises(UnsupportedXlsxError):
            _fast(path)
        return
    assert_same_cells(_fast(path), old)


# --- hand-written parts: what other writers (Excel, SDKs) put in a workbook ------------------

STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="3">'
          '<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>'
          '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/>'
          '<numFmt numFmtId="166" formatCode="0.0&quot; days&quot;"/></numFmts>'
          '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
          '<xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="20"/></cellXfs></styleSheet>')


def _book(tmp_path: Path, sheets: dict[str, str], *, shared: str | None = None,
          styles: str = STYLES, book_pr: str = "") -> Path:
    """A workbook from hand-written parts: ``sheets`` maps names to ``<sheetData>`` bodies."""
    ct = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.sheet.main+xml"/>')
    rels = ""
    entries = ""
    parts: dict[str, str] = {}
    for k, (name, body) in enumerate(sheets.items(), start=1):
        ct += (f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/vnd.'
               'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        rels += (f'<Relationship Id="rId{k}" Type="{DOC_REL}/worksheet" '
                 f'Target="worksheets/sheet{k}.xml"/>')
        entries += f'<sheet name="{name}" sheetId="{k}" r:id="rId{k}"/>'
        parts[f"xl/worksheets/sheet{k}.xml"] = (
            f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>')
    if shared is not None:
        ct += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
               'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{shared}</sst>'
    parts["[Content_Types].xml"] = ct + "</Types>"
    parts["_rels/.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
    parts["xl/workbook.xml"] = (f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_REL}">{book_pr}'
                                f'<sheets>{entries}</sheets></workbook>')
    parts["xl/_rels/workbook.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{rels}</Relationships>')
    parts["xl/styles.xml"] = styles
    path = tmp_path / "hand.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def _row(r: str | None, *cells: str) -> str:
    return f'<row{"" if r is None else f" r={r!r}"}>{"".join(cells)}</row>'


SHARED = ("<si><t>navn</t></si><si><t xml:space=\"preserve\"> Kari </t></si>"
          "<si><r><rPr><b/></rPr><t>fet</t></r><r><t>t</t></r></si>"
          "<si><t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>かんじ</t></rPh></si>"
          "<si><t>NA</t></si><si><t/></si><si><t>a_x005F_x000D_b</t></si>")


def test_types_formulas_errors_and_shared_strings(tmp_path: Path) -> None:
    body = "".join([
        _row("1", '<c r="A1" t="s"><v>0</v></c>', '<c r="B1" t="s"><v>1</v></c>',
             '<c r="C1" t="s"><v>2</v></c>', '<c r="D1" t="s"><v>3</v></c>',
             '<c r="E1" t="s"><v>6</v></c>'),
        _row("2", '<c r="A2"><v>1</v></c>', '<c r="B2" t="n"><v>2.5</v></c>',
                  '<c r="C2"><v>3.0</v></c>', '<c r="D2"><v>1E3</v></c>',
                  '<c r="E2"><v>-0.0</v></c>'),
        _row("3", '<c r="A3" t="b"><v>1</v></c>', '<c r="B3" t="b"><v>0</v></c>',
                  '<c r="C3" t="e"><v>#N/A</v></c>', '<c r="D3" t="e"><v>#DIV/0!</v></c>',
                  '<c r="E3" t="s"><v>4</v></c>'),
        _row("4", '<c r="A4" t="str"><f>A1&amp;"x"</f><v>navnx</v></c>',
                  '<c r="B4"><f>1+1</f><v>2</v></c>', '<c r="C4" t="str"><f>""</f><v></v></c>',
                  '<c r="D4" t="inlineStr"><is><t>=1+1</t></is></c>',
                  '<c r="E4" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'),
        _row("5", '<c r="A5" t="s"><v>5</v></c>', '<c r="B5" t="inlineStr"/>',
                  '<c r="C5" t="inlineStr"><is><t xml:space="preserve">   </t></is></c>',
                  '<c r="D5" t="str"><v>null</v></c>', '<c r="E5"/>'),
    ])
    path = _book(tmp_path, {"Svar": body}, shared=SHARED)
    got = assert_reads_as_openpyxl(path)
    assert got.iloc[0].tolist() == ["navn", " Kari ", "fett", "漢字", "a_x000D_b"]
    assert got.iloc[1].tolist() == [1, 2.5, 3, 1000, 0]
    assert read_table(path).shape == (4, 5)


def test_dates_times_and_durations_in_both_date_systems(tmp_path: Path) -> None:
    cells = ['<c r="A2" s="1"><v>45921</v></c>', '<c r="B2" s="2"><v>45921.8353125</v></c>',
             '<c r="C2" s="3"><v>1.5</v></c>', '<c r="D2" s="4"><v>3.25</v></c>',
             '<c r="E2" s="5"><v>0.75</v></c>', '<c r="F2" s="2"><v>59</v></c>',
             '<c r="G2" s="2"><v>61.5</v></c>', '<c r="H2" s="3"><v>0.0000001</v></c>']
    header = _row("1", *(f'<c r="{c}1" t="inlineStr"><is><t>{c}</t></is></c>' for c in "ABCDEFGH"))
    for pr in ("", '<workbookPr date1904="1"/>', '<workbookPr date1904="false"/>'):
        path = _book(tmp_path, {"Data": header + _row("2", *cells)}, book_pr=pr)
        got = assert_reads_as_openpyxl(path)
        assert isinstance(got.iloc[1, 0], dt.datetime) and got.iloc[1, 3] == 3.25
        assert isinstance(got.iloc[1, 2], dt.timedelta) and isinstance(got.iloc[1, 4], dt.time)
    first_style_a_date = STYLES.replace('<xf numFmtId="0"/>', '<xf numFmtId="14"/>')
    path = _book(tmp_path, {"Data": header + _row("2", *cells, '<c r="I2"><v>2</v></c>')},
                 styles=first_style_a_date)
    assert isinstance(assert_reads_as_openpyxl(path).iloc[1, 8], dt.datetime)


def test_sparse_rows_and_cells_without_references(tmp_path: Path) -> None:
    v = '<c><v>{}</v></c>'.format
    body = "".join([
        _row(None, v(1), v(2), v(3)),                         # row 1, no references at all
        _row("3", '<c r="B3"><v>4</v></c>', v(5)),            # row 2 missing; C3 follows B3
        _row(None, '<c r="D4"><v>6</v></c>'),                 # row 4 follows row 3
        _row("2", v(7)),                                      # numbered before: skipped
        _row("4", v(8)),                                      # a row number again: skipped
        _row("6", '<c r="C6"><v>9</v></c>', '<c r="A6"><v>10</v></c>'),  # last cell rules
        _row("7"), _row("9", '<c r="A9" t="inlineStr"><is><t></t></is></c>'),  # empty
    ])
    path = _book(tmp_path, {"Data": body})
    got = assert_reads_as_openpyxl(path)
    assert got.shape == (6, 4)


def test_leading_empty_rows_and_a_sheet_without_cells(tmp_path: Path) -> None:
    path = _book(tmp_path, {"Tom": _row("1") + _row("2"),
                            "Data": _row("3", '<c r="B3"><v>1</v></c>')})
    assert_reads_as_openpyxl(path, 0)
    assert assert_reads_as_openpyxl(path, "Data").shape == (3, 2)
    with pytest.raises(sk.IngestionError,
                       match=r"the first worksheet \(sheet 0\) is empty.*pass sheet="):
        read_table(path)
    with pytest.raises(sk.IngestionError, match=r"worksheet 'Tom' is empty"):
        read_table(path, sheet="Tom")


@pytest.mark.parametrize(("cell", "why"), [
    ('<c r="A1" t="d"><v>2024-01-02</v></c>', "type 'd'"),
    ('<c r="A1" s="2"><v>1e9</v></c>', "outside the calendar"),
    ('<c r="$A$1"><v>1</v></c>', "cell reference"),
])
def test_what_openpyxl_reads_alone_falls_back_to_it(tmp_path: Path, cell: str, why: str) -> None:
    path = _book(tmp_path, {"Data": _row("1", '<c r="B1"><v>0</v></c>')
                            + _row("2", cell, '<c r="B2"><v>1</v></c>')})
    with pytest.raises(UnsupportedXlsxError, match=why):
        _fast(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of the date outside the calendar
        try:
            old = read_with_openpyxl(path, None)
        except Exception:  # openpyxl refuses it: so must read_table
            with pytest.raises(sk.IngestionError, match=r"hand\.xlsx"):
                read_table(path)
            return
        got = read_table(path)
    assert got.shape == (len(old) - 1, old.shape[1])


def test_damaged_xml_is_reported_by_the_openpyxl_reader_naming_the_file(tmp_path: Path) -> None:
    path = _book(tmp_path, {"Data": _row("1", '<c r="A1"><v>1</v></c>') + "<row><c>"})
    with pytest.raises(UnsupportedXlsxError, match="ParseError"):
        _fast(path)
    with pytest.raises(sk.IngestionError, match=r"hand\.xlsx.*(damaged|readable)"):
        read_table(path)


def test_a_dtd_is_left_to_openpyxl(tmp_path: Path) -> None:
    path = _book(tmp_path, {"Data": _row("1", '<c r="A1"><v>1</v></c>')})
    raw = {}
    with zipfile.ZipFile(path) as zf:
        raw = {n: zf.read(n) for n in zf.namelist()}
    raw["xl/worksheets/sheet1.xml"] = (b'<!DOCTYPE x [<!ENTITY e "boom">]>'
                                       + raw["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as zf:
        for n, b in raw.items():
            zf.writestr(n, b)
    with pytest.raises(UnsupportedXlsxError, match="DTD"):
        _fast(path)


# --- the tables copied from openpyxl and pandas stay theirs ----------------------------------

def test_builtin_date_formats_and_missing_text_are_openpyxl_and_pandas_own() -> None:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
    from pandas._libs.parsers import STR_NA_VALUES

    assert {i for i, c in BUILTIN_FORMATS.items() if is_date_format(c)} == _xlsx._BUILTIN_DATES
    assert {i for i, c in BUILTIN_FORMATS.items()
                                        if is_timedelta_format(c)} == _xlsx._BUILTIN_DURATIONS
    assert set(STR_NA_VALUES) == _xlsx._NA_TEXT


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from('dmyhsDMYHS0#.,;:"[]\\_ $-/@EN'), max_size=14))
def test_date_format_detection_is_openpyxl_own(code: str) -> None:
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format

    assert _xlsx._is_date_format(code) == is_date_format(code)
    assert _xlsx._is_duration_format(code) == is_timedelta_format(code)


def test_read_table_gives_what_the_openpyxl_reader_gave(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    df = pd.DataFrame({"q1": [1, 2, None], "tekst": ["a", " ", "NA"],
                       "når": [dt.datetime(2025, 9, 4, 18, 45), None, None]})
    df.to_excel(tmp_path / "x.xlsx", index=False)
    got = read_table(tmp_path / "x.xlsx")
    assert got["q1"].tolist()[:2] == [1, 2] and got["tekst"].isna().tolist() == [False, True, True]
    assert got["når"].iloc[0] == dt.datetime(2025, 9, 4, 18, 45)
    assert_same_cells(got, read_table_with_openpyxl(tmp_path / "x.xlsx", monkeypatch))
