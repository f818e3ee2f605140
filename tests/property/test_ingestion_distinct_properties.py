"""Typing and validation per distinct value give what a cell-by-cell reading gives.

The ingestion functions look at each distinct value of a column once and spread the result
by position. Each test here compares one of them on random columns (text with spaces,
numbers as text, decimal commas, floats, integers, booleans, blanks and missing cells, in
object and string columns) with a reference that reads one cell at a time.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveykit.ingestion._distinct import per_distinct
from surveykit.ingestion._labelled import parse_numbers
from surveykit.ingestion._multi import _FALSE, _TRUE, binary_values, code_key
from surveykit.ingestion._quality import _straightlining
from surveykit.ingestion._typing import _code_positions, _present
from surveykit.ingestion._validation import code_view

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
TEXTS = ["1", " 2 ", "3.0", "98", "", "  ", "ja", "Nei", "x", "Valgt", "ikke valgt", "1,5",
         "2.5", "1e3", "jobs", "0", "0.0", "inf", "-0", "007", "True"]
cell = st.one_of(st.none(), st.just(np.nan), st.sampled_from(TEXTS),
                 st.text(alphabet="01 2,.xa-", max_size=4), st.integers(-3, 120),
                 st.floats(allow_nan=True, allow_infinity=True, width=32), st.booleans())
text_cell = st.one_of(st.none(), st.sampled_from(TEXTS), st.text(alphabet="01 2,.xa-",
                                                                  max_size=4))


def _column(values: list[Any], as_string: bool) -> pd.Series:
    s = pd.Series(values, dtype=object, index=pd.RangeIndex(5, 5 + len(values)))
    return s.astype("string") if as_string else s


columns = st.one_of(
    st.lists(cell, max_size=25).map(lambda v: _column(v, False)),
    st.lists(text_cell, max_size=25).map(lambda v: _column(v, False)),
    st.lists(text_cell, max_size=25).map(lambda v: _column(v, True)),
)


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _text(v: Any) -> str:
    """The text of one cell, as pandas writes it in a string column."""
    return str(pd.Series([v], dtype=object).astype("string").iloc[0])


def ref_code_key(v: Any) -> Any:
    if _missing(v):
        return pd.NA
    text = _text(v).strip()
    num = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
    if abs(num) < 2**53 and num == math.floor(num):  # NaN and inf fail the first test
        return str(int(num))
    return text or pd.NA


def ref_number(v: Any, comma: bool) -> tuple[float, bool]:
    if _missing(v):
        return math.nan, False
    if isinstance(v, (bool, int, float)) and not isinstance(v, str):
        num = float(v)
    else:
        text = _text(v).strip()
        num = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
        if math.isnan(num) and comma:
            num = pd.to_numeric(pd.Series([text.replace(",", ".")]), errors="coerce").iloc[0]
    if math.isinf(num):
        return math.nan, True
    return float(num), bool(math.isnan(num))


def _same(a: Any, b: Any) -> bool:
    return (_missing(a) and _missing(b)) or a == b


@SETTINGS
@given(columns)
def test_code_key_is_the_key_of_each_cell(s):
    got = code_key(s)
    assert got.index.equals(s.index)
    assert str(got.dtype) == "string"
    assert all(_same(g, ref_code_key(v)) for g, v in zip(got.tolist(), s.tolist(), strict=True))


@SETTINGS
@given(columns, st.booleans())
def test_binary_values_read_each_cell(s, blank_is_zero):
    values, bad = binary_values(s, blank_is_zero)
    for v, got, b in zip(s.tolist(), values.tolist(), bad.tolist(), strict=True):
        key = ref_code_key(v)
        key = key if _missing(key) else key.casefold()
        if _missing(key):
            want, want_bad = (0.0 if blank_is_zero else math.nan), False
        elif key in _TRUE or key in _FALSE:
            want, want_bad = (1.0 if key in _TRUE else 0.0), False
        else:
            want, want_bad = math.nan, True
        assert _same(got, want) and b == want_bad, (v, got, b)


@SETTINGS
@given(columns.filter(lambda s: s.dtype != object or s.map(type).ne(bool).all()),
       st.booleans())
def test_parse_numbers_parses_each_cell(s, comma):
    num, bad = parse_numbers(s, comma)
    for v, got, b in zip(s.tolist(), num.tolist(), bad.tolist(), strict=True):
        want, want_bad = ref_number(v, comma)
        assert _same(got, want) and b == want_bad, (v, got, b, want, want_bad)


@SETTINGS
@given(columns, st.sampled_from([[1, 2, 3, 4, 5, 98], ["jobs", "housing", 7], [0, 1]]))
def test_code_positions_look_up_each_cell(s, cats):
    codes, bad = _code_positions(s, cats)
    texts = [str(c) for c in cats]
    for v, code, b in zip(s.tolist(), codes.tolist(), bad.tolist(), strict=True):
        if _missing(v):
            assert code == -1 and not b
            continue
        if isinstance(v, str) and v in texts:
            want = texts.index(v)
        else:
            key = ref_code_key(v)
            want = texts.index(key) if not _missing(key) and key in texts else -1
        assert code == want, (v, code, want)
        assert b == (want < 0 and not _missing(ref_code_key(v))), (v, b)


@SETTINGS
@given(columns)
def test_presence_is_a_non_blank_cell(s):
    from surveykit.ingestion._distinct import distinct

    split = distinct(s) if s.dtype == object or str(s.dtype) == "string" else None
    got = _present(s, split)
    want = [not _missing(v) and _text(v).strip() != "" for v in s.tolist()]
    assert got.tolist() == want


@SETTINGS
@given(columns)
def test_per_distinct_equals_applying_to_every_cell(s):
    got = per_distinct(s, lambda u: u.astype("string").str.len())
    want = [pd.NA if _missing(v) else len(_text(v)) for v in s.tolist()]
    assert all(_same(g, w) for g, w in zip(got.tolist(), want, strict=True))


class _Grid:
    """The smallest instrument with one straightlining grid, for ``_straightlining``."""

    def __init__(self, rows: int, missing: list[Any]) -> None:
        self.rows = [type("Row", (), {"var": f"g_{k}"})() for k in range(rows)]
        quality = type("Q", (), {"straightlining": True})()
        self.items = [type("Item", (), {"type": "grid", "id": "g", "rows": self.rows,
                                        "choices": "scale", "quality": quality})()]
        self.choice_lists = {"scale": type("C", (), {"missing_codes": missing})()}


@SETTINGS
@given(st.integers(2, 4).flatmap(lambda k: st.tuples(
    st.just(k), st.lists(st.lists(st.sampled_from([-1, 0, 1, 2, 5]), min_size=k, max_size=k),
                         min_size=1, max_size=20))),
    st.sampled_from([[], [98], [1, 98]]))
def test_straightlining_flags_rows_with_one_valid_answer_throughout(grid, missing):
    k, matrix = grid
    cats = pd.Index([1, 2, 3, 4, 5, 98])
    typed = pd.DataFrame({f"g_{j}": pd.Categorical.from_codes([row[j] for row in matrix],
                                                              categories=cats, ordered=True)
                          for j in range(k)})
    ids = pd.Series([f"r{i}" for i in range(len(matrix))], dtype="string")
    got = _straightlining(_Grid(k, missing), typed, ids)[0]
    want = []
    for i, row in enumerate(matrix):
        values = [None if c < 0 else int(cats[c]) for c in row]
        if all(v is not None and v not in missing for v in values) and len(set(values)) == 1:
            want.append((i + 1, str(values[0])))
    assert list(zip(got["row"].tolist(), got["value"].tolist(), strict=True)) == want


@SETTINGS
@given(st.lists(st.sampled_from([-1, 0, 1, 2]), min_size=1, max_size=20),
       st.sampled_from([[1, 2, 98], ["a", "b", "dk"]]))
def test_code_view_gives_the_values_of_a_categorical(codes, cats):
    index = pd.Index(cats, dtype="int64" if isinstance(cats[0], int) else object)
    s = pd.Series(pd.Categorical.from_codes(codes, categories=index))
    got = code_view(pd.DataFrame({"q": s}))["q"]
    want = s.astype("Float64") if isinstance(cats[0], int) else s.astype(object)
    pd.testing.assert_series_equal(got, want, check_names=False)
