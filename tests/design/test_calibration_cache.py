"""Calibration records build their per-record arrays once; the cache never leaks into copies."""

from __future__ import annotations

import pickle

import numpy as np

from surveykit.design import CalibrationRecord
from surveykit.design._calibration import residualize


def _raking_record(rows: np.ndarray | None = None) -> CalibrationRecord:
    rng = np.random.default_rng(3)
    n = 50
    margins = tuple((rng.integers(0, k, n), rng.uniform(1, 3, n)) for k in (2, 3, 4))
    return CalibrationRecord("raking", margins=margins, rows=rows)


def test_raking_residuals_reuse_the_prepared_margins() -> None:
    rec = _raking_record()
    x = np.random.default_rng(4).normal(size=(50, 2))
    first = residualize(x, (rec,))
    assert set(rec._cache) == {"raking-margins", "raking"}
    prepared = rec._cache["raking"]
    np.testing.assert_array_equal(residualize(x, (rec,)), first)
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
