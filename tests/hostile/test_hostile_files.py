"""Hostile response files: refused fast with the file, member or field and the limit named."""

from __future__ import annotations

import os
import signal
import struct
import zipfile
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

import surveykit as sk
from surveykit.ingestion import _isolated, read_table


def _xlsx(tmp_path: Path, cells: dict[str, str] | None = None) -> Path:
    f = tmp_path / "book.xlsx"
    pd.DataFrame({"q1": [1, 2], "q2": [3, 4]}).to_excel(f, index=False)
    if cells is None:
        return f
    out = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(f) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename in cells:
                data = cells[item.filename].encode()
            dst.writestr(item, data)
    return out


SHEET = "xl/worksheets/sheet1.xml"
HEAD = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>')


@pytest.mark.parametrize(("body", "limit"), [
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>q</t></is></c></row>'
     '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "max_columns"),
    ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="XFD2"><v>1</v></c></row>',
     "max_columns"),
    ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2147483647"><c r="A2147483647">'
     '<v>1</v></c></row>', "max_rows"),
])
def test_far_away_cells_are_refused_before_a_dense_frame(tmp_path: Path, body: str,
                                                        limit: str) -> None:
    f = _xlsx(tmp_path, {SHEET: HEAD + body + "</sheetData></worksheet>"})
    with pytest.raises(sk.IngestionError, match=limit) as info:
        read_table(f)
    assert "sheet1.xml" in str(info.value) and str(f) in str(info.value)


def test_xlsx_decompression_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    bomb = HEAD + "<!--" + " " * (8 * 1024 * 1024) + "-->" + "</sheetData></worksheet>"
    f = _xlsx(tmp_path, {SHEET: bomb})
    with pytest.raises(sk.IngestionError, match="max_ratio") as info:
        read_table(f)
    assert SHEET in str(info.value)
    with sk.input_limits(max_member_bytes=1024 * 1024), pytest.raises(
            sk.IngestionError, match="max_member_bytes"):
        read_table(f)


def test_an_ordinary_workbook_still_reads(tmp_path: Path) -> None:
    assert read_table(_xlsx(tmp_path)).shape == (2, 2)


def test_zip_members_listed_many_times_are_refused_without_inflating(tmp_path: Path) -> None:
    f = tmp_path / "many.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in range(50):
            zf.writestr(f"xl/worksheets/s{k}.bin", b"\0" * 200_000)
    with sk.input_limits(max_total_bytes=5_000_000), pytest.raises(
            sk.IngestionError, match="max_total_bytes"):
        read_table(f)
    with sk.input_limits(max_members=10), pytest.raises(sk.IngestionError,
                                                        match="max_members"):
        read_table(f)


def test_csv_with_a_huge_line_or_header_is_refused(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(";".join(f"c{k}" for k in range(100_000)) + "\n" + "1\n", encoding="utf-8")
    with pytest.raises(sk.IngestionError, match=r"100000 columns.*max_columns"):
        read_table(wide)
    long = tmp_path / "long.csv"
    long.write_text("a;b\n" + "x" * 5_000_000 + ";1\n1;2\n", encoding="utf-8")
    with pytest.raises(sk.IngestionError, match="max_line_bytes"):
        read_table(long)
    with sk.input_limits(max_line_bytes=10 * 1024 * 1024):
        assert read_table(long).shape == (2, 2)


def _sav(tmp_path: Path) -> Path:
    f = tmp_path / "small.sav"
    pyreadstat.write_sav(pd.DataFrame({"q1": [1.0, 2.0, 3.0], "q2": [3.0, 2.0, 1.0]}), str(f))
    return f


def test_sav_claiming_a_billion_cases_is_refused(tmp_path: Path) -> None:
    raw = bytearray(_sav(tmp_path).read_bytes())
    raw[80:84] = struct.pack("<i", 10**9)
    f = tmp_path / "claims.sav"
    f.write_bytes(bytes(raw))
    with pytest.raises(sk.IngestionError, match="claims 1000000000 rows") as info:
        read_table(f)
    assert str(f) in str(info.value)


def test_dta_claiming_a_billion_rows_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "ok.dta"
    pyreadstat.write_dta(pd.DataFrame({"q1": [1.0, 2.0, 3.0]}), str(f))
    raw = f.read_bytes()
    n_at = raw.index(b"<N>") + 3
    width = raw.index(b"</N>") - n_at
    order = "<" if b"LSF" in raw[:100] else ">"
    bad = raw[:n_at] + struct.pack(order + ("Q" if width == 8 else "I"), 10**9) + raw[n_at + width:]
    g = tmp_path / "claims.dta"
    g.write_bytes(bad)
    with pytest.raises(sk.IngestionError, match="claims 1000000000 rows"):
        read_table(g)


def _die(path: str, fmt: str) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_crash_of_the_native_reader_becomes_an_ingestion_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = _sav(tmp_path)
    monkeypatch.setattr(_isolated, "_parse", _die)
    with pytest.raises(sk.IngestionError, match=r"crashed.*SIGSEGV") as info:
        read_table(f)
    assert str(f) in str(info.value)


def _hang(path: str, fmt: str) -> None:
    import time

    time.sleep(60)


def test_a_hanging_native_reader_is_stopped(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    f = _sav(tmp_path)
    monkeypatch.setattr(_isolated, "_parse", _hang)
    with sk.input_limits(binary_timeout_s=0.5), pytest.raises(
            sk.IngestionError, match="binary_timeout_s"):
        read_table(f)


def test_isolated_reading_returns_the_same_frame(tmp_path: Path) -> None:
    f = _sav(tmp_path)
    direct, _ = pyreadstat.read_sav(str(f), user_missing=True)
    pd.testing.assert_frame_equal(read_table(f), direct)


@pytest.mark.parametrize(("key", "value", "words"), [
    (b"pandas", b"{not json", "'pandas' metadata"),
    (b"surveykit.metadata", b"{not json", "'surveykit.metadata'"),
    (b"surveykit.metadata", b"[1, 2]", "'surveykit.metadata'"),
])
def test_parquet_with_bad_metadata_json(tmp_path: Path, key: bytes, value: bytes,
                                        words: str) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"q1": [1, 2]})
    table = table.replace_schema_metadata({key: value})
    f = tmp_path / "bad.parquet"
    pq.write_table(table, f)
    with pytest.raises(sk.IngestionError, match=words) as info:
        read_table(f)
    assert str(f) in str(info.value)


def test_a_wrong_file_as_event_register_is_not_quoted_whole(tmp_path: Path) -> None:
    f = tmp_path / "events.csv"
    f.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin\n")
    with pytest.raises(sk.IngestionError, match="1 column") as info:
        sk.EventRegister.load(f)
    assert "/bin/bash" not in str(info.value)
