"""Corrupted files give a clean IngestionError or a report: never a crash, never lost rows."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd
import pyreadstat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingestion._ingestion_fixtures import check_accounting, instrument, valid_answers

import surveykit as sk

INST = instrument()
N = 15
BASE = valid_answers(N).astype(object)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def _read(data: bytes, suffix: str, **kw):
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / f"x{suffix}"
        p.write_bytes(data)
        try:
            resp = sk.read_responses(p, INST, **kw)
        except sk.IngestionError as exc:
            assert str(p) in str(exc) or "x" + suffix in str(exc)
            return None
    check_accounting(resp)
    return resp


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, N - 1), st.sampled_from(list(BASE.columns)), cells),
                min_size=1, max_size=8))
def test_corrupt_cells_never_lose_rows(edits):
    df = BASE.copy()
    for row, col, value in edits:
        df.loc[row, col] = value
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "cells.csv"
        df.to_csv(p, sep=";", index=False, quoting=csv.QUOTE_ALL)
        try:
            resp = sk.read_responses(p, INST)
        except sk.IngestionError:
            return
    check_accounting(resp)
    assert resp.accounting.read == N  # quoting keeps every record, whatever the text


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(BASE.columns) - 1),
                          st.sampled_from(["", "age", "needs", "x y", "ID", "$created"])),
                min_size=1, max_size=4))
def test_corrupt_headers_give_a_report(renames):
    df = BASE.copy()
    cols = list(df.columns)
    for k, name in renames:
        cols[k] = name
    df.columns = cols
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "headers.csv"
        df.to_csv(p, sep=";", index=False)
        try:
            resp = sk.read_responses(p, INST, source="generic")
        except sk.IngestionError:
            return
    check_accounting(resp)
    assert resp.accounting.read == N


def _valid_bytes(suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / f"v{suffix}"
        df = valid_answers(N)
        if suffix == ".csv":
            df.to_csv(p, sep=";", index=False)
        elif suffix == ".xlsx":
            df.to_excel(p, index=False)
        else:
            pyreadstat.write_sav(df.assign(needs_oth=df["needs_oth"].fillna("")), str(p))
        return p.read_bytes()


VALID = {s: _valid_bytes(s) for s in (".csv", ".sav", ".xlsx")}


@SETTINGS
@given(st.sampled_from(sorted(VALID)), st.data())
def test_corrupt_bytes_give_clean_error_or_accounted_rows(suffix, data):
    raw = bytearray(VALID[suffix])
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert"]))
    at = data.draw(st.integers(0, len(raw) - 1))
    if kind == "flip":
        raw[at] = data.draw(st.integers(0, 255))
    elif kind == "truncate":
        raw = raw[:at]
    else:
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=8))
    resp = _read(bytes(raw), suffix)
    if resp is not None:
        assert resp.accounting.read == len(resp.data)
        assert isinstance(resp.report.to_frame(), pd.DataFrame)
