"""Primary and secondary suppression of small cells."""

import numpy as np
import pandas as pd
import pytest

from surveykit import report


def test_primary_and_secondary_within_groups():
    cells = pd.DataFrame({"area": ["A", "A", "A", "B", "B", "B"],
                          "level": ["x", "y", "z"] * 2,
                          "n": [40, 3, 12, 25, 30, 2],
                          "estimate": [0.7, 0.05, 0.25, 0.45, 0.5, 0.05]})
    before = cells.copy()
    out = report.suppress(cells, threshold=5, groups=["area"])
    # the smallest visible cell of each area is the complement (12 in A, 25 in B)
    assert out["suppressed"].tolist() == ["", "primary", "secondary", "secondary", "",
                                          "primary"]
    hidden = out["suppressed"] != ""
    assert out.loc[hidden, ["n", "estimate"]].isna().all().all()
    assert out.loc[~hidden, "estimate"].tolist() == [0.7, 0.5]
    pd.testing.assert_frame_equal(cells, before)  # input unchanged


def test_two_way_table_rows_and_columns_protected():
    # 3 x 3 counts; one small cell: its row and its column each need a second hidden
    # cell, and the chosen cells must leave no row or column with a single hidden cell.
    rows, cols = np.meshgrid(["r1", "r2", "r3"], ["c1", "c2", "c3"], indexing="ij")
    n = np.array([[20, 2, 30], [15, 25, 35], [40, 45, 50]])
    frame = pd.DataFrame({"row": rows.ravel(), "col": cols.ravel(), "n": n.ravel()})
    out = report.suppress(frame, threshold=5, groups=["row", "col"])
    hidden = (out["suppressed"] != "").to_numpy().reshape(3, 3)
    assert hidden[0, 1]
    for axis in (0, 1):
        per_line = hidden.sum(axis=axis)
        assert not (per_line == 1).any()
    assert (out["suppressed"] == "primary").sum() == 1
    assert hidden.sum() == 4  # the classic rectangle


def test_zero_cells_and_threshold_options():
    frame = pd.DataFrame({"n": [0, 1, 2, 3], "v": [0.0, 1.0, 2.0, 3.0]})
    assert report.suppress(frame, threshold=3)["suppressed"].tolist() == ["", "primary",
                                                                           "primary", ""]
    assert (report.suppress(frame, threshold=1)["suppressed"] == "").all()
    with pytest.raises(ValueError, match="'threshold' must be at least 1"):
        report.suppress(frame, threshold=0)
    with pytest.raises(KeyError, match="n_column"):
        report.suppress(frame, n_column="count")
    only = report.suppress(frame, threshold=3, value_columns=["v"])
    assert only["n"].tolist() == [0, 1, 2, 3]
    assert only["v"].isna().tolist() == [False, True, True, False]


def test_suppression_mask_is_what_suppress_hides() -> None:
    """The boolean mask the formatters use marks exactly the rows suppress() blanks."""
    cells = pd.DataFrame({"area": ["A", "A", "A", "B", "B", "B"], "n": [40, 3, 12, 25, 30, 0],
                          "estimate": [0.7, 0.05, 0.25, 0.45, 0.55, np.nan]})
    mask = report.suppression_mask(cells, threshold=5, groups=["area"])
    assert mask.dtype == bool
    assert mask.tolist() == [False, True, True, False, False, False]
    cut = report.suppress(cells, threshold=5, groups=["area"])
    assert mask.tolist() == (cut["suppressed"] != "").tolist()
    with pytest.raises(ValueError, match="at least 1"):
        report.suppression_mask(cells, threshold=0)
