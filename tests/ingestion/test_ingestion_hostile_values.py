"""Odd numbers and odd layouts are reported or refused with the file named, never raw errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ingestion_fixtures import check_accounting, instrument, valid_answers

import surveykit as sk


@pytest.mark.parametrize("odd", ["inf", "-inf", "1e309", "1e20", "NaN(2)"])
def test_odd_number_in_an_integer_item_is_a_reported_invalid_value(tmp_path: Path,
                                                                   odd: str) -> None:
    frame = valid_answers().astype({"age": object})
    frame.loc[3, "age"] = odd
    f = tmp_path / "answers.csv"
    frame.to_csv(f, sep=";", index=False)
    resp = sk.read_responses(f, instrument(), source="generic")
    bad = resp.report.select(rule="type")

    bad = bad[bad["var"] == "age"]
    assert bad["row"].tolist() == [4]
    assert resp.data["age"].isna().tolist() == [k == 3 for k in range(len(frame))]
    check_accounting(resp)


def test_infinite_decimal_from_a_binary_file_is_reported(tmp_path: Path) -> None:
    frame = valid_answers().astype({"age": "float64"})
    frame.loc[0, "age"] = float("inf")
    f = tmp_path / "answers.parquet"
    pytest.importorskip("pyarrow")
    frame.to_parquet(f)
    resp = sk.read_responses(f, instrument(), source="generic")
    assert resp.data["age"].isna().iloc[0]
    assert (resp.report.to_frame()["var"] == "age").sum() == 1


def test_header_that_collides_with_a_made_up_name_reads_under_unique_names(
        tmp_path: Path) -> None:
    f = tmp_path / "sx.csv"
    f.write_text("a;a;a (2);v_1_1\n1;2;3;Valgt\n4;5;6;Ikke valgt\n", encoding="utf-8")
    frame = sk.ingestion.read_table(f)
    assert list(frame.columns) == ["a", "a (3)", "a (2)", "v_1_1"]
    answers = valid_answers().assign(a=1, b=2, c=3)
    g = tmp_path / "answers.csv"
    answers.to_csv(g, sep=";", index=False)
    text = g.read_text(encoding="utf-8").replace(";a;b;c\n", ";a;a;a (2)\n", 1)
    g.write_text(text, encoding="utf-8")
    resp = sk.read_responses(g, instrument(), source="surveyxact")
    check_accounting(resp)
    assert len(resp.data) == len(answers)


def test_questback_on_a_file_without_efs_columns_names_what_is_missing(tmp_path: Path) -> None:
    f = tmp_path / "answers.csv"
    valid_answers().to_csv(f, sep=";", index=False)
    with pytest.raises(sk.IngestionError, match="'lfdn' and 'dispcode'") as info:
        sk.read_responses(f, instrument(), source="questback")
    assert str(f) in str(info.value)


def test_wide_file_types_every_column_as_one_column_at_a_time_would(tmp_path: Path) -> None:
    cols = {f"i{k}": ["1", "2", ""] for k in range(200)}
    cols |= {"dec": ["1,5", "2", "3"], "txt": ["a", "2", "3"], "big": ["1", "1e16", "2"],
             "inf": ["1", "inf", "2"], "blank": ["", "", ""]}
    f = tmp_path / "wide.csv"
    lines = [";".join(cols)] + [";".join(v[r] for v in cols.values()) for r in range(3)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = sk.read_responses(f).data
    assert (data[[f"i{k}" for k in range(200)]].dtypes == "Int64").all()
    assert data["i7"].isna().tolist() == [False, False, True]
    assert str(data["dec"].dtype) == "Float64" and data["dec"].tolist() == [1.5, 2.0, 3.0]
    assert str(data["big"].dtype) == "Float64"
    assert data["txt"].dtype.kind not in "if" and data["inf"].dtype.kind not in "if"
    with sk.input_limits(max_columns=100), pytest.raises(sk.IngestionError, match="max_columns"):
        sk.read_responses(f)
