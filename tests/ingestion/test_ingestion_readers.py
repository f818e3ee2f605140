"""Readers: encodings, delimiters, decimal comma, labelled SPSS, and clean errors on bad files."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from _ingestion_fixtures import check_accounting

import surveykit as sk

ROWS = "id;sted;score\n1;Åse;2,5\n2;Øystein;3\n3;Bjørn;4,25\n"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ROWS.encode("utf-8"), "utf-8-sig"),
        (ROWS.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + ROWS.encode("utf-16-le"), "utf-16"),
    ],
)
def test_encodings_are_detected_and_letters_kept(tmp_path, encoded, encoding):
    p = tmp_path / "export.csv"
    p.write_bytes(encoded)
    resp = sk.read_responses(p)
    check_accounting(resp)
    assert resp.metadata.file.encoding == encoding
    assert resp.data["sted"].tolist() == ["Åse", "Øystein", "Bjørn"]
    assert resp.data["score"].tolist() == [2.5, 3.0, 4.25]  # decimal comma
    assert str(resp.data["id"].dtype) == "Int64"


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_delimiters_are_sniffed(tmp_path, sep):
    df = pd.DataFrame({"a": [1, 2], "b": ["x, y", "z; w"], "c": [0.5, 1.5]})
    p = tmp_path / "d.csv"
    df.to_csv(p, sep=sep, index=False)
    resp = sk.read_responses(p)
    assert resp.metadata.file.delimiter == sep
    assert resp.data["b"].tolist() == ["x, y", "z; w"]
    assert resp.data["c"].tolist() == [0.5, 1.5]
    check_accounting(resp)


def test_blank_cells_and_short_rows_keep_every_row(tmp_path):
    p = tmp_path / "short.csv"
    p.write_text("a;b;c\n1;;3\n4\n;;\n7;8;9\n", encoding="utf-8")
    resp = sk.read_responses(p)
    assert resp.accounting.read == 4
    assert resp.data["c"].isna().tolist() == [False, True, True, False]
    check_accounting(resp)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"a;b;c\n", "header .*no data rows"),
        (b"a;b\n1;2\n3;4;5;6\n", "does not parse"),
        (b"a,b\n\x00\x01\x02,\x00\n", "NUL bytes"),
    ],
)
def test_bad_csv_gives_ingestion_error_naming_the_file(tmp_path, content, match):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(sk.IngestionError, match=match) as err:
        sk.read_responses(p)
    assert "bad.csv" in str(err.value)


def test_wrong_explicit_encoding_names_line(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes("a;b\n1;x\n2;Æ\n".encode("cp1252"))
    with pytest.raises(sk.IngestionError, match=r"line 3: .*not valid utf-8.*encoding="):
        sk.read_responses(p, encoding="utf-8")


def test_missing_file():
    with pytest.raises(sk.IngestionError, match="no such file"):
        sk.read_responses("no/such/export.csv")


def _labelled_sav(path):
    df = pd.DataFrame({
        "kjonn": [1.0, 2.0, 2.0, 9.0], "tilfreds": [5.0, 1.0, 98.0, 3.0],
        "alder": [25.0, 31.0, np.nan, 40.0], "kommentar": ["bra", None, "ok", ""],
    })
    pyreadstat.write_sav(
        df, str(path), column_labels={"kjonn": "Kjønn", "tilfreds": "Tilfredshet",
                                      "alder": "Alder", "kommentar": "Kommentar"},
        variable_value_labels={"kjonn": {1: "Mann", 2: "Kvinne"},
                               "tilfreds": {1: "Svært misfornøyd", 5: "Svært fornøyd",
                                            98: "Vet ikke"},
                               "alder": {99: "Ubesvart"}},
        missing_ranges={"tilfreds": [98], "alder": [99]},
        variable_measure={"kjonn": "nominal", "tilfreds": "ordinal", "alder": "scale",
                          "kommentar": "nominal"},
    )
    return df


def test_labelled_sav_without_instrument(tmp_path):
    p = tmp_path / "labelled.sav"
    _labelled_sav(p)
    resp = sk.read_responses(p)
    check_accounting(resp)
    d = resp.data
    assert d["kjonn"].dtype == "category" and not d["kjonn"].cat.ordered
    # code 9 has no label: it is kept as a category named "9", not turned into NaN
    assert d["kjonn"].astype(str).tolist() == ["Mann", "Kvinne", "Kvinne", "9"]
    assert d["tilfreds"].cat.ordered
    assert list(d["tilfreds"].cat.categories) == ["Svært misfornøyd", "3", "Svært fornøyd",
                                                  "Vet ikke"]
    assert d["tilfreds"].tolist()[2] == "Vet ikke"  # user-missing kept as a category
    assert d["alder"].dtype.kind == "f"  # scale stays numeric, labels kept in metadata
    assert resp.metadata.variable_labels["kjonn"] == "Kjønn"
    assert resp.metadata.file.missing_ranges["tilfreds"] == ((98.0, 98.0),)
    assert d["kommentar"].isna().tolist() == [False, True, False, True]
    assert resp.metadata.category_codes["tilfreds"]["Vet ikke"] == 98


@pytest.mark.parametrize("suffix", [".sav", ".zsav", ".xlsx", ".dta", ".parquet"])
@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_truncated_binary_files_give_clean_errors(tmp_path, suffix, cut):
    df = pd.DataFrame({"a": np.arange(200.0), "b": ["tekst"] * 200})
    p = tmp_path / f"whole{suffix}"
    if suffix in (".sav", ".zsav"):
        pyreadstat.write_sav(df, str(p), compress=suffix == ".zsav")
    elif suffix == ".dta":
        pyreadstat.write_dta(df, str(p))
    elif suffix == ".xlsx":
        df.to_excel(p, index=False)
    else:
        df.to_parquet(p)
    raw = p.read_bytes()
    bad = tmp_path / f"cut{suffix}"
    bad.write_bytes(raw[: int(len(raw) * cut)])
    try:
        resp = sk.read_responses(bad)
    except sk.IngestionError as exc:
        assert "cut" in str(exc)
    else:  # a reader that recovers must still account for what it read
        check_accounting(resp)
        assert resp.accounting.read <= 200


def test_duplicate_column_names_are_reported(tmp_path):
    p = tmp_path / "dup.csv"
    p.write_text("a;b;a\n1;2;3\n4;5;6\n", encoding="utf-8")
    resp = sk.read_responses(p)
    rep = resp.report.select(rule="duplicate_column")
    assert rep["var"].tolist() == ["a"] and rep["severity"].tolist() == ["error"]
    assert resp.data["a"].tolist() == [1, 4]
    check_accounting(resp)


def test_xlsx_and_parquet_read(tmp_path):
    df = pd.DataFrame({"q1": [1, 2, None], "tekst": ["a", " ", "c"]})
    df.to_excel(tmp_path / "x.xlsx", index=False)
    resp = sk.read_responses(tmp_path / "x.xlsx")
    assert resp.data["q1"].tolist()[:2] == [1, 2] and pd.isna(resp.data["q1"].iloc[2])
    assert pd.isna(resp.data["tekst"].iloc[1])
    check_accounting(resp)
    df.to_parquet(tmp_path / "x.parquet")
    resp = sk.read_responses(tmp_path / "x.parquet")
    assert resp.accounting.read == 3
    check_accounting(resp)


def test_a_utf8_file_with_one_cp1252_line_keeps_utf8_and_reports_the_line(tmp_path):
    lines = ["id;sted;score", "1;Åse;2", "2;Øystein;3", "3;Bjørn;4", "4;Ås;5"]
    raw = b"".join((ln + "\n").encode("cp1252" if k == 3 else "utf-8")
                   for k, ln in enumerate(lines))
    p = tmp_path / "mixed.csv"
    p.write_bytes(raw)
    resp = sk.read_responses(p)
    check_accounting(resp)
    assert resp.data["sted"].tolist() == ["Åse", "Øystein", "Bjørn", "Ås"]
    assert resp.metadata.file.encoding == "utf-8"
    assert resp.metadata.file.fallback_lines == (4,)
    note = resp.report.select(rule="encoding")
    assert len(note) == 1 and "line(s) 4 are not" in note["message"].iloc[0]


def test_a_mostly_cp1252_file_is_still_read_as_cp1252(tmp_path):
    p = tmp_path / "legacy.csv"
    p.write_bytes("id;sted\n1;Åse\n2;Løten\n".encode("cp1252"))
    resp = sk.read_responses(p)
    assert resp.metadata.file.encoding == "cp1252" and resp.metadata.file.fallback_lines == ()
    assert resp.report.select(rule="encoding").empty


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_utf32_with_bom_is_read(tmp_path, codec):
    raw = ROWS.encode(codec)
    if codec == "utf-32-be":
        raw = codecs.BOM_UTF32_BE + raw
    p = tmp_path / "u32.csv"
    p.write_bytes(raw)
    resp = sk.read_responses(p)
    check_accounting(resp)
    assert resp.metadata.file.encoding == "utf-32"
    assert resp.data["sted"].tolist() == ["Åse", "Øystein", "Bjørn"]


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_a_bare_cr_inside_a_field_is_data_not_a_line_end(tmp_path, eol):
    text = eol.join(["id;kommentar;q", "1;linje en\rlinje to;3", "2;ok;4", ""])
    p = tmp_path / "cr.csv"
    p.write_bytes(text.encode("utf-8"))
    resp = sk.read_responses(p)
    check_accounting(resp)
    assert resp.metadata.file.delimiter == ";"
    assert resp.data["kommentar"].tolist() == ["linje en\rlinje to", "ok"]
    assert resp.data["q"].tolist() == [3, 4]
