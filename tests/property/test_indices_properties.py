"""Invariants of sk.scale_score (Hypothesis).

Reverse coding twice is the identity; POMP lies in [0, 100]; min_valid is respected; the
order of the items does not change mean scores; sums are prorated means; missing codes
never enter a score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import surveykit as sk
from surveykit.scales._items import item_matrix

MISSING = 98


@st.composite
def likert_frames(draw: st.DrawFn) -> tuple[pd.DataFrame, tuple[int, int]]:
    """Item frames on a ``low..high`` scale with NA and the missing code 98 sprinkled in."""
    low = draw(st.integers(0, 2))
    high = draw(st.integers(low + 1, low + 9))
    k = draw(st.integers(2, 6))
    n = draw(st.integers(1, 30))
    cell = st.one_of(st.integers(low, high), st.just(MISSING), st.none())
    rows = draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=n, max_size=n))
    frame = pd.DataFrame(rows, columns=[f"i{j}" for j in range(k)], dtype="Float64")
    return frame, (low, high)


@settings(max_examples=40, deadline=None)
@given(likert_frames())
def test_reverse_coding_twice_is_the_identity(case: tuple[pd.DataFrame, tuple[int, int]]) -> None:
    df, rng = case
    items = list(df.columns)
    once, _ = item_matrix(df, items, reverse=items, missing_codes=[MISSING], scale_range=rng)
    back = pd.DataFrame({c: (rng[0] + rng[1]) - once[c] for c in items})
    plain, _ = item_matrix(df, items, missing_codes=[MISSING], scale_range=rng)
    pd.testing.assert_frame_equal(back, plain)
    assert once.stack().dropna().between(*rng).all()


@settings(max_examples=40, deadline=None)
@given(likert_frames(), st.sampled_from(["mean", "sum"]), st.data())
def test_pomp_in_range_and_min_valid_respected(case: tuple[pd.DataFrame, tuple[int, int]],
                                               method: str, data: st.DataObject) -> None:
    df, rng = case
    items = list(df.columns)
    min_valid = data.draw(st.integers(1, len(items)))
    reverse = data.draw(st.lists(st.sampled_from(items), unique=True))
    score = sk.scale_score(df, items, method=method, scale="pomp",  # type: ignore[arg-type]
                           min_valid=min_valid, reverse=reverse, missing_codes=[MISSING],
                           scale_range=rng)
    valid = (df.notna() & (df != MISSING)).fillna(False).sum(axis=1).to_numpy(dtype=int)
    np.testing.assert_array_equal(score.notna().to_numpy(), valid >= min_valid)
    assert score.dropna().between(-1e-9, 100 + 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(likert_frames(), st.randoms(use_true_random=False))
def test_item_order_does_not_change_mean_scores(case: tuple[pd.DataFrame, tuple[int, int]],
                                                rnd: object) -> None:
    df, rng = case
    items = list(df.columns)
    shuffled = items[:]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = sk.scale_score(df, items, missing_codes=[MISSING], scale_range=rng, min_valid=1)
    b = sk.scale_score(df, shuffled, missing_codes=[MISSING], scale_range=rng, min_valid=1)
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(likert_frames())
def test_sum_is_prorated_mean_and_missing_codes_never_count(
        case: tuple[pd.DataFrame, tuple[int, int]]) -> None:
    df, rng = case
    items = list(df.columns)
    mean = sk.scale_score(df, items, missing_codes=[MISSING], scale_range=rng, min_valid=1)
    total = sk.scale_score(df, items, method="sum", missing_codes=[MISSING], scale_range=rng,
                           min_valid=1)
    np.testing.assert_allclose(total.to_numpy(), mean.to_numpy() * len(items), rtol=1e-12)
    assert mean.dropna().between(*rng).all()  # 98 would pull a mean above the scale
