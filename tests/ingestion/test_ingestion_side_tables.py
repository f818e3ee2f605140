"""Public side-table reader and pseudonym key loader used by surveykit.participation."""

from __future__ import annotations

import pandas as pd
import pytest

from surveykit.errors import IngestionError
from surveykit.ingestion import load_pseudonym_key, pseudonymize, read_table


def test_read_table_returns_cells_as_found(tmp_path):
    p = tmp_path / "signup.csv"
    p.write_text("navn;e-post;fødselsår\nÅse;ase@example.org;1980\nOla;;1975\n",
                 encoding="utf-8")
    frame = read_table(p)
    assert list(frame.columns) == ["navn", "e-post", "fødselsår"]
    assert frame["navn"].tolist() == ["Åse", "Ola"]
    assert frame["e-post"].iloc[0] == "ase@example.org"
    assert pd.isna(frame["e-post"].iloc[1])  # an empty cell is missing


def test_read_table_reads_a_named_xlsx_sheet(tmp_path):
    p = tmp_path / "checkin.xlsx"
    with pd.ExcelWriter(p) as xl:
        pd.DataFrame({"a": [1]}).to_excel(xl, sheet_name="first", index=False)
        pd.DataFrame({"mobil": ["+47 400 00 001"]}).to_excel(xl, sheet_name="dag2", index=False)
    assert read_table(p, sheet="dag2")["mobil"].tolist() == ["+47 400 00 001"]


def test_read_table_names_a_missing_file(tmp_path):
    with pytest.raises(IngestionError, match=r"nope\.csv: no such file"):
        read_table(tmp_path / "nope.csv")


def test_load_pseudonym_key_order(tmp_path, monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)
    assert load_pseudonym_key() is None
    key_file = tmp_path / "key.txt"
    key_file.write_text("from-file-not-secret\n", encoding="utf-8")
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY_FILE", str(key_file))
    assert load_pseudonym_key() == b"from-file-not-secret"
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "from-env-not-a-secret")
    assert load_pseudonym_key() == b"from-env-not-a-secret"
    other = tmp_path / "other.txt"
    other.write_text("argument-not-a-secret", encoding="utf-8")
    assert load_pseudonym_key(other) == b"argument-not-a-secret"  # the argument wins


def test_load_pseudonym_key_refuses_empty_and_in_repo_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(IngestionError, match="is empty"):
        load_pseudonym_key(empty)
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    inside = tmp_path / "repo" / "key.txt"
    inside.write_text("secret", encoding="utf-8")
    with pytest.raises(IngestionError, match="inside the git repository"):
        load_pseudonym_key(inside)
    with pytest.raises(IngestionError, match="does not exist"):
        load_pseudonym_key(tmp_path / "missing.txt")


def test_a_key_shorter_than_16_bytes_is_refused_with_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "k")
    with pytest.raises(IngestionError, match=r"1 bytes; at least 16.*secrets.token_hex"):
        load_pseudonym_key()
    short = tmp_path / "short.txt"
    short.write_text("fifteen-bytes!!", encoding="utf-8")
    with pytest.raises(IngestionError, match=r"short\.txt.*15 bytes"):
        load_pseudonym_key(short)
    with pytest.raises(IngestionError, match="16 bytes"):
        pseudonymize(pd.Series(["kari@hamar.no"]), b"secret")
