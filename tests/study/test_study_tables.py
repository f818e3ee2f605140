"""The CSV tables: numbers written as ``to_csv(float_format="%.15g")`` writes them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from surveykit.study._outputs import _csv


def test_csv_writes_the_bytes_of_pandas_float_format(tmp_path):
    frame = pd.DataFrame({
        "label": ["=1+1", "a,b", 'say "x"', None, "-inf", "ok", "line\rbreak"],
        "estimate": [1 / 3, -0.0, np.inf, -np.inf, np.nan, 1e-300, 123456789012345678.0],
        "n": [1, 2, 3, 4, 5, 6, 7],
        "share": np.array([0.5, 1.0, 2.5e-5, 1e16, np.nan, -7.25, 0.1], dtype=np.float64),
        "small": np.array([1.5, 2, 3, 4, 5, 6, 7], dtype=np.float32),
        "flag": [True, False, True, False, True, False, True],
    })
    from surveykit._spreadsheet import csv_frame

    _csv(frame, tmp_path / "t.csv")
    want = csv_frame(frame).to_csv(index=False, lineterminator="\n", float_format="%.15g")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == want
    assert "0.333333333333333,1,0.5" in want and "'-inf" in want  # the case is real
