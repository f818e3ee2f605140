"""Text for spreadsheets: formulas made inert, numbers kept, XML-illegal characters removed."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from surveykit._spreadsheet import (
    csv_frame,
    csv_text,
    formula_like,
    protect_workbook,
    xml_frame,
    xml_text,
)


@pytest.mark.parametrize("text", ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                  "=cmd|' /C calc'!A0", "-", "+"])
def test_formula_like_text_is_prefixed_in_csv(text):
    assert formula_like(text)
    assert csv_text(text).startswith("'")


@pytest.mark.parametrize("value", ["-1", "-1.5", "+2", "1e-3", "-.5", "Oslo", "", -1, -1.5, None])
def test_numbers_and_plain_text_are_left_alone(value):
    assert not formula_like(value)
    assert csv_text(value) == value


def test_csv_frame_keeps_numbers_and_copies():
    frame = pd.DataFrame({"=label": ["=HYPERLINK(1)", "a\rb"], "estimate": [-0.25, 1.0]})
    out = csv_frame(frame)
    assert list(out.columns) == ["'=label", "estimate"]
    assert out["'=label"].tolist() == [
        "'=HYPERLINK(1)", "a\nb"]
    assert out["estimate"].tolist() == [-0.25, 1.0]
    assert frame.iloc[0, 0] == "=HYPERLINK(1)"  # the input is not mutated
    text = out.to_csv(index=False, lineterminator="\n")
    assert text.splitlines()[1].startswith("'=HYPERLINK(1),-0.25")


def test_workbook_text_cells_are_strings_with_quote_prefix():
    book = Workbook()
    ws = book.active
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = "=1+1", "-1", -1, xml_text("bell\x07")
    buf = io.BytesIO()
    protect_workbook(book).save(buf)
    cells = load_workbook(buf).active
    assert (cells["A1"].value, cells["A1"].data_type, cells["A1"].quotePrefix) == (
        "=1+1", "s", True)
    assert (cells["A2"].data_type, cells["A2"].quotePrefix) == ("s", False)
    assert (cells["A3"].value, cells["A3"].data_type) == (-1, "n")
    assert cells["A4"].value == "bell"


def _map_every_cell(frame: pd.DataFrame, fn) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: fn(v) if isinstance(v, str) else v,
                                    na_action="ignore").astype(out[col].dtype)
    return out.rename(columns=lambda c: fn(c) if isinstance(c, str) else c)


@pytest.mark.parametrize("column", [
    pd.Series(["Hamar", "Løten", None]),
    pd.Series(["=1+1", "ok", None]),
    pd.Series(["a\r\nb", "c"], dtype=object),
    pd.Series([1, 2, "x", None], dtype=object),
    pd.Series([1.0, 2.0, None], dtype=object),
    pd.Series([[1], "=x", None], dtype=object),
    pd.Series(["ok", "b\x01"], dtype="string"),
    pd.Series(["ok", None, float("nan"), pd.NA, pd.NaT], dtype=object),
    pd.Series(["ok", pd.NA], dtype="string"),
])
def test_safe_frames_equal_mapping_every_cell(column: pd.Series) -> None:
    frame = pd.DataFrame({"text": column, "number": range(len(column))})
    for safe, fn in ((csv_frame, csv_text), (xml_frame, xml_text)):
        got, want = safe(frame), _map_every_cell(frame, fn)
        pd.testing.assert_frame_equal(got, want)
        assert got.to_csv() == want.to_csv()


@pytest.mark.parametrize("column", [
    pd.Series(["Hamar", "Løten", None]),
    pd.Series(["=1+1", "ok", None]),
    pd.Series([1, 2, "x", None], dtype=object),
    pd.Series([[1], "=x", None], dtype=object),
    pd.Series(["ok", "b\x01", pd.NA], dtype="string"),
])
def test_frames_of_text_only_equal_mapping_every_cell(column: pd.Series) -> None:
    # a frame of text columns only is looked at in one piece before any column is mapped
    frame = pd.DataFrame({"=name": ["plain", "text", "cells"][:len(column)] + [None] * max(
        0, len(column) - 3), "text": column})
    for safe, fn in ((csv_frame, csv_text), (xml_frame, xml_text)):
        got, want = safe(frame), _map_every_cell(frame, fn)
        pd.testing.assert_frame_equal(got, want)
        assert got.to_csv() == want.to_csv()
