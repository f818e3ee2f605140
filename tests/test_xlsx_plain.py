"""Plain data workbooks read back as the frames that were written (openpyxl and pandas)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveykit._xlsx_plain import plain_workbook


def _read(book: bytes, sheet: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(book), sheet_name=sheet, engine="openpyxl")


def _via_openpyxl(frame: pd.DataFrame) -> pd.DataFrame:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, engine="openpyxl")
    return pd.read_excel(io.BytesIO(buf.getvalue()), engine="openpyxl")


def test_reads_back_as_to_excel_does() -> None:
    frame = pd.DataFrame({
        "id": np.arange(1, 5),
        "code": np.array([1, None, 3, 2], dtype=object),
        "x": [0.1, np.nan, -2.5e-12, 1e300],
        "flag": [True, False, None, True],
        "when": pd.to_datetime(["2026-03-02 09:30:15", None, "1900-03-01 00:00:01",
                                "2024-12-31 23:59:59.25"], format="ISO8601"),
        "text": ["Fullført", " padded ", None, "a & <b>"],
    })
    pd.testing.assert_frame_equal(_read(plain_workbook({"S": frame}), "S"),
                                  _via_openpyxl(frame))


def test_cells_have_the_types_and_styles_of_a_data_export() -> None:
    frame = pd.DataFrame({"t": ["=SUM(A1)", "-1.5", "ok\x07"], "n": [1, 2, 3],
                          "d": [dt.date(2026, 1, 2)] * 3})
    sheet = openpyxl.load_workbook(io.BytesIO(plain_workbook({"Data": frame})))["Data"]
    assert [c.value for c in sheet[1]] == ["t", "n", "d"]
    text = sheet["A2"], sheet["A3"], sheet["A4"]
    assert [(c.value, c.data_type, c.quotePrefix) for c in text] == [
        ("=SUM(A1)", "s", True), ("-1.5", "s", False), ("ok", "s", False)]
    assert sheet["B4"].value == 3 and sheet["B4"].data_type == "n"
    assert sheet["C2"].value == dt.datetime(2026, 1, 2)
    assert sheet["C2"].number_format == "YYYY-MM-DD"


def test_serial_days_equal_openpyxl_bits() -> None:
    stamps = pd.Series(pd.to_datetime(["2026-03-02 09:30:15.123456", "1999-01-01 00:00:00",
                                       "2031-07-04 12:00:00.5"], format="ISO8601"))
    from openpyxl.utils.datetime import to_excel
    book = plain_workbook({"S": pd.DataFrame({"d": stamps})})
    xml = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
    for stamp in stamps:
        assert f"<v>{to_excel(stamp.to_pydatetime())!r}</v>" in xml


def test_same_frames_same_bytes_and_sheet_order() -> None:
    frames = {"B": pd.DataFrame({"a": [1]}), "A": pd.DataFrame({"b": ["x"]})}
    when = dt.datetime(2026, 3, 2, 9, 30)
    book = plain_workbook(frames, when)
    assert book == plain_workbook(frames, when)
    assert openpyxl.load_workbook(io.BytesIO(book)).sheetnames == ["B", "A"]
    assert zipfile.ZipFile(io.BytesIO(book)).getinfo("xl/workbook.xml").date_time == (
        2026, 3, 2, 9, 30, 0)


@pytest.mark.parametrize("name", ["", "x" * 32, "a/b", "q?"])
def test_rejects_sheet_names_excel_refuses(name: str) -> None:
    with pytest.raises(ValueError, match="sheet name"):
        plain_workbook({name: pd.DataFrame({"a": [1]})})


def test_rejects_values_excel_cannot_hold() -> None:
    with pytest.raises(ValueError, match="inf"):
        plain_workbook({"S": pd.DataFrame({"a": [np.inf]})})
    aware = pd.Timestamp("2026-03-02 09:30", tz="Europe/Oslo").to_pydatetime()
    with pytest.raises(ValueError, match="time-zone"):
        plain_workbook({"S": pd.DataFrame({"a": np.array([aware], dtype=object)})})


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_TEXT, st.integers(-2**53, 2**53),
                          st.floats(allow_nan=False, allow_infinity=False)),
                min_size=1, max_size=8))
def test_any_text_and_number_reads_back(values: list) -> None:
    frame = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    back = openpyxl.load_workbook(io.BytesIO(plain_workbook({"S": frame})))["S"]
    read = [c.value for c in back["A"][1:]]
    from surveykit._spreadsheet import xml_text
    expected = [xml_text(v) if isinstance(v, str) else v for v in values]
    # a text that is empty once XML's forbidden characters are gone is an empty cell
    assert [v for v in read if v is not None] == [v for v in expected if v != ""]
