"""One BLAS thread for small matrix products.

On a machine whose cores are busy, OpenBLAS's worker threads wait for a core at every
product: a product of a few million flops can take ten times longer on two threads than on
one (200 bootstrap replicates: 0.33 s against 0.026 s). The engines wrap their products in
:func:`blas_threads`, which keeps the calling thread alone below :data:`SMALL_FLOPS` and
leaves the user's setting untouched above it, where the threads pay for themselves.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["SMALL_FLOPS", "blas_threads"]

SMALL_FLOPS = 5e7
"""Products below this many multiply-adds run on one BLAS thread."""

_controller: dict[bool, Any] = {}


def _threadpools() -> Any:
    """Return the loaded BLAS libraries (scanned again once scipy, with its own, loads)."""
    scipy_loaded = "scipy.linalg" in sys.modules
    if scipy_loaded not in _controller:
        from threadpoolctl import ThreadpoolController

        _controller[scipy_loaded] = ThreadpoolController()
    return _controller[scipy_loaded]


@contextmanager
def blas_threads(flops: float) -> Iterator[None]:
    """Run the block on one BLAS thread when it does fewer than ``SMALL_FLOPS`` multiply-adds.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.ones((50, 4))
    >>> with blas_threads(a.shape[0] * a.shape[1] ** 2):
    ...     float((a.T @ a)[0, 0])
    50.0

    """
    if flops >= SMALL_FLOPS:
        yield
        return
    with _threadpools().limit(limits=1, user_api="blas"):
        yield
