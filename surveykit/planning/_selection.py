"""Which rows a stratified draw selects: SRS without replacement, systematic and Poisson.

Pure numpy on stratum codes: no frames, no labels, so that :func:`surveykit.plan.draw` and
the simulation test select through the same code. Strata are numbered ``0..H-1``; every
function returns the selected row positions in ascending order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["poisson_rows", "srswor_rows", "systematic_positions", "systematic_rows"]


def srswor_rows(codes: np.ndarray, sizes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw simple random samples without replacement of ``sizes[h]`` rows per stratum ``h``.

    Every row gets a uniform random key; within each stratum the rows with the
    ``sizes[h]`` smallest keys are taken, which is a uniformly random subset of that size.
    Rows with a negative code belong to no stratum and are never selected.

    Examples
    --------
    >>> codes = np.array([0, 0, 0, 1, 1, 1, 1])
    >>> rows = srswor_rows(codes, np.array([2, 1]), np.random.default_rng(1))
    >>> np.bincount(codes[rows]).tolist()
    [2, 1]

    """
    keys = rng.random(codes.shape[0])
    order = np.lexsort((keys, codes))
    ordered = codes[order]
    inside = ordered >= 0
    starts = np.searchsorted(ordered, np.arange(sizes.shape[0]))
    rank = np.arange(ordered.shape[0]) - starts[np.where(inside, ordered, 0)]
    take = inside & (rank < sizes[np.where(inside, ordered, 0)])
    return np.sort(order[take])


def systematic_positions(population: int, n: int, start: float) -> np.ndarray:
    """Positions (0-based) a systematic draw of ``n`` from ``population`` takes at ``start``.

    The fractional interval ``population / n`` is walked from the random start: unit ``k``
    (1-based) is taken when the cumulated inclusion probabilities ``k n / population``
    cross an integer plus ``start``, i.e. ``floor(k n/N - u) > floor((k-1) n/N - u)``. This
    is ``sampling::UPsystematic`` for equal probabilities ``n / N``, with the uniform start
    it draws given as ``start``; exactly ``n`` units are taken for every start in [0, 1).

    Parameters
    ----------
    population : int
        Units in the (sorted) stratum, ``N``.
    n : int
        Units to take, ``0 <= n <= N``; ``n == N`` takes every unit.
    start : float
        The random start ``u`` in [0, 1).

    Examples
    --------
    >>> systematic_positions(10, 3, 0.5).tolist()
    [1, 4, 8]
    >>> systematic_positions(5, 5, 0.9).tolist()
    [0, 1, 2, 3, 4]

    """
    if n >= population:
        return np.arange(population)
    cum = np.arange(population + 1) * n / population - start
    return np.flatnonzero(np.diff(np.floor(cum)) > 0)


def systematic_rows(codes: np.ndarray, sizes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Systematic samples in every stratum, in the order the rows are given.

    ``codes`` must already be in the sort order of the frame (the caller sorts); stratum
    ``h`` takes :func:`systematic_positions` of its rows with start ``starts[h]``. Returns
    positions into ``codes``.

    Examples
    --------
    >>> codes = np.array([0, 1, 0, 1, 0, 1, 0])
    >>> systematic_rows(codes, np.array([2, 1]), np.array([0.5, 0.2])).tolist()
    [0, 1, 4]

    """
    chosen = []
    for h in range(sizes.shape[0]):
        rows = np.flatnonzero(codes == h)
        chosen.append(rows[systematic_positions(rows.shape[0], int(sizes[h]), starts[h])])
    return np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.int64)


def poisson_rows(codes: np.ndarray, probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Poisson sampling: each row is taken independently with its stratum's probability.

    ``probs[h]`` is the inclusion probability in stratum ``h`` (``n_h / N_h``); the number
    of rows taken is random, with expectation ``n_h``. Rows with a negative code are never
    taken.

    Examples
    --------
    >>> codes = np.zeros(1000, dtype=int)
    >>> rows = poisson_rows(codes, np.array([0.1]), np.random.default_rng(3))
    >>> 60 < rows.size < 140
    True

    """
    u = rng.random(codes.shape[0])
    pi = np.where(codes >= 0, probs[np.maximum(codes, 0)], 0.0)
    return np.flatnonzero(u < pi)
