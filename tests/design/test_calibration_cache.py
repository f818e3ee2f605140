"""Calibration records build their per-record arrays once; the cache never leaks into copies."""

from __future__ import annotations

import pickle

import numpy as np

from surveykit.design import CalibrationRecord
from surveykit.design._calibration import _ColumnMemo, _residualize, residualize


def _raking_record(rows: np.ndarray | None = None) -> CalibrationRecord:
    rng = np.random.default_rng(3)
    n = 50
    margins = tuple((rng.integers(0, k, n), rng.uniform(1, 3, n)) for k in (2, 3, 4))
    return CalibrationRecord("raking", margins=margins, rows=rows)


def test_raking_residuals_reuse_the_prepared_margins() -> None:
    rec = _raking_record()
    x = np.random.default_rng(4).normal(size=(50, 2))
    first = residualize(x, (rec,))
    assert set(rec._cache) == {"raking", "residuals"}
    prepared = rec._cache["raking"]
    np.testing.assert_array_equal(residualize(x[:, ::-1], (rec,)), first[:, ::-1])
    np.testing.assert_array_equal(residualize(x + 1.0, (rec,)),
                                  residualize(x + 1.0, (rec,)))
    assert rec._cache["raking"] is prepared


def test_restricted_record_is_cut_once() -> None:
    rows = np.arange(50) % 3 != 0
    rec = _raking_record(rows)
    x = np.random.default_rng(5).normal(size=(50, 1))
    first = residualize(x, (rec,))
    cut = rec._cache["rows"]
    np.testing.assert_array_equal(residualize(x, (rec,)), first)
    assert rec._cache["rows"] is cut
    np.testing.assert_array_equal(first[~rows], x[~rows])


def test_greg_basis_is_cached_and_equal_after_pickling() -> None:
    rng = np.random.default_rng(6)
    rec = CalibrationRecord("greg", X=rng.normal(size=(30, 3)), w=rng.uniform(1, 2, 30))
    x = rng.normal(size=(30, 2))
    first = residualize(x, (rec,))
    assert "greg" in rec._cache
    copy = pickle.loads(pickle.dumps(rec))
    assert copy._cache == {}
    np.testing.assert_array_equal(residualize(x, (copy,)), first)
    assert rec == rec and copy != rec  # identity equality, as before


def test_stored_raking_residuals_equal_recomputed_ones_bit_for_bit() -> None:
    """A column's raking residuals do not depend on the columns beside it, so a column
    answered from the record's memo equals the same column computed afresh."""
    rng = np.random.default_rng(7)
    n = 400
    rows = rng.random(n) < 0.8
    records = tuple(CalibrationRecord("raking", rows=r, margins=tuple(
        (rng.integers(0, k, n), rng.uniform(0.5, 3, n)) for k in (3, 7))) for r in (None, rows))
    x = rng.normal(size=(n, 6)) * 1e3
    x[rng.random((n, 6)) < 0.4] = 0.0
    fresh = _residualize(x, records)
    single = np.column_stack([_residualize(x[:, [j]], records) for j in range(6)])
    assert (fresh.view(np.int64) == single.view(np.int64)).all()
    first = residualize(x[:, :4], records)
    again = residualize(np.asfortranarray(x), records)  # four columns from the memo
    assert set(records[0]._cache["residuals"].entries) != set()
    assert (first.view(np.int64) == fresh[:, :4].view(np.int64)).all()
    assert (again.view(np.int64) == fresh.view(np.int64)).all()
    assert residualize(x[:, :1], records[1:]).shape == (n, 1)  # other records: no hit


def test_memo_keeps_within_its_budget() -> None:
    rec = _raking_record()
    memo = _ColumnMemo()
    memo.budget = 2 * 50 * 8 * 3  # room for three columns of 50 rows
    x = np.random.default_rng(8).normal(size=(50, 5))
    np.testing.assert_array_equal(memo.residualize(x, (rec,)), _residualize(x, (rec,)))
    assert len(memo.entries) == 3 and memo.used <= memo.budget
    np.testing.assert_array_equal(memo.residualize(x, (rec,)), _residualize(x, (rec,)))
