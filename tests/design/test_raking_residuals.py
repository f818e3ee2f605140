"""Raking residuals in closed form equal R's 10 sweeps over the margins.

The engine computes ``svyrecvar``'s raking residuals as ``x - U M D x`` with a matrix ``M``
built once per record. The oracle here is R's loop itself, written as R writes it: 10 times
over the margins, ``x <- x - w * ave(x / w, margin)``. They differ only by rounding, so the
residuals agree to 1e-12 of the column's scale (the larger of its input and its residuals).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.design import CalibrationRecord
from surveykit.design._calibration import residualize
from surveykit.design._codes import factorize, group_sums


def ten_sweeps(x: np.ndarray, rec: CalibrationRecord) -> np.ndarray:
    """R's ``svyrecvar`` raking loop, step by step."""
    x = np.array(x, dtype=float)
    for _ in range(10):
        for cells, weights in rec.margins:
            codes, n_cells = factorize(np.asarray(cells))
            w = np.asarray(weights, dtype=float)[:, None]
            counts = np.bincount(codes, minlength=n_cells)[:, None]
            x = x - w * (group_sums(codes, x / w, n_cells) / counts)[codes]
    return x


def oracle(x: np.ndarray, records: tuple[CalibrationRecord, ...]) -> np.ndarray:
    """The sweeps through each record in turn, on the record's rows only."""
    x = np.array(x, dtype=float)
    for rec in records:
        rows = np.ones(x.shape[0], dtype=bool) if rec.rows is None else rec.rows
        cut = CalibrationRecord("raking", margins=tuple(
            (np.asarray(c)[rows], np.asarray(w)[rows]) for c, w in rec.margins))
        x[rows] = ten_sweeps(x[rows], cut)
    return x


def assert_agree(got: np.ndarray, want: np.ndarray, x: np.ndarray) -> None:
    scale = np.maximum(np.abs(x).max(axis=0, initial=0), np.abs(want).max(axis=0, initial=0))
    err = np.abs(got - want).max(axis=0, initial=0)
    assert (err <= 1e-12 * scale).all(), (err / np.where(scale > 0, scale, 1)).max()


def random_record(rng: np.random.Generator, n: int, rows: np.ndarray | None = None
                  ) -> CalibrationRecord:
    """1 to 4 margins of 1 to 12 cells, some of one or two rows, with unequal weights.

    As after raking, each margin's weights are the base weights times a factor per cell
    of that margin, so the margins' weights differ but not wildly.
    """
    base = np.exp(rng.normal(0.0, 1.0, n))
    margins = []
    for _ in range(int(rng.integers(1, 5))):
        size = int(rng.integers(1, 13))
        share = rng.dirichlet(np.full(size, 0.3))  # some cells nearly empty
        codes = rng.choice(size, n, p=share)
        labels = np.array([f"c{k * 7}" for k in range(size)])  # not 0..K-1
        margins.append((labels[codes], base * rng.uniform(0.8, 1.25, size)[codes]))
    return CalibrationRecord("raking", margins=tuple(margins), rows=rows)


def random_scores(rng: np.random.Generator, n: int, p: int) -> np.ndarray:
    """Influence-like columns: one all zero, the others of any scale with zeros between."""
    x = rng.normal(size=(n, p)) * 10.0 ** rng.integers(-3, 7, p)
    x[rng.random((n, p)) < 0.3] = 0.0
    x[:, int(rng.integers(p))] = 0.0
    return x


@pytest.mark.parametrize("seed", range(40))
def test_closed_form_equals_the_ten_sweeps(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    rec = random_record(rng, n)
    for p in (1, 2, 9):
        x = random_scores(rng, n, p)
        got = residualize(x, (rec,))
        assert_agree(got, oracle(x, (rec,)), x)
        assert not got[:, (x == 0).all(axis=0)].any()  # a zero column stays exactly zero
    assert residualize(np.zeros((n, 0)), (rec,)).shape == (n, 0)


@pytest.mark.parametrize("seed", range(10))
def test_closed_form_on_restricted_rows_and_two_records(seed: int) -> None:
    """A record for a weighted subset residualises its rows only; records chain."""
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(20, 300))
    rows = rng.random(n) < 0.7
    records = (random_record(rng, n), random_record(rng, n, rows))
    x = random_scores(rng, n, 5)
    got = residualize(x, records)
    assert_agree(got, oracle(x, records), x)
    np.testing.assert_array_equal(residualize(x, records[1:])[~rows], x[~rows])


def test_closed_form_on_a_raked_design() -> None:
    """The record sk.rake leaves (weights of the last sweep per margin), whole and subset."""
    rng = np.random.default_rng(7)
    n = 2000
    df = pd.DataFrame({"a": rng.integers(0, 4, n), "b": rng.integers(0, 10, n),
                       "y": rng.normal(50, 10, n), "w": rng.uniform(1, 4, n)})
    design = sk.SurveyDesign(df, weights="w")
    margins = {"a": {k: 1000.0 + 100 * k for k in range(4)},
               "b": {k: 370.0 + 20 * k for k in range(10)}}
    for d in (sk.rake(design, margins), sk.rake(design.subset(df["y"] > 45), margins)):
        x = np.column_stack([df["y"], df["y"] ** 2, (df["a"] == 1) * df["y"],
                             np.zeros(n)])
        got = residualize(x, d.calibrations)
        assert_agree(got, oracle(x, d.calibrations), x)


@pytest.mark.parametrize("seed", range(5))
def test_margins_of_many_cells_are_swept_directly(seed: int, monkeypatch) -> None:
    """Beyond the cell limit of the closed form, the engine runs R's sweeps itself."""
    from surveykit.design import _calibration

    rng = np.random.default_rng(300 + seed)
    n = int(rng.integers(20, 300))
    rec = random_record(rng, n)
    x = random_scores(rng, n, 3)
    closed = residualize(x, (rec,))
    monkeypatch.setattr(_calibration, "_MAX_CLOSED_CELLS", 0)
    swept = residualize(x, (CalibrationRecord("raking", margins=rec.margins),))
    assert_agree(swept, oracle(x, (rec,)), x)
    assert_agree(swept, closed, x)
