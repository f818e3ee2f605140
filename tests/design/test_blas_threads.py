"""Small products run on one BLAS thread; large ones keep the user's setting."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from surveykit.design._blas import SMALL_FLOPS, blas_threads


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.fixture
def two_threads():  # type: ignore[no-untyped-def]
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy's BLAS is loaded
    if not _blas_threads():
        pytest.skip("no BLAS library that threadpoolctl can control")
    with threadpool_limits(2, user_api="blas"):
        yield


@pytest.mark.usefixtures("two_threads")
def test_small_products_run_on_one_thread() -> None:
    with blas_threads(SMALL_FLOPS / 10):
        assert set(_blas_threads()) == {1}
    assert set(_blas_threads()) == {2}


@pytest.mark.usefixtures("two_threads")
def test_large_products_keep_the_setting() -> None:
    with blas_threads(SMALL_FLOPS * 10):
        assert set(_blas_threads()) == {2}
