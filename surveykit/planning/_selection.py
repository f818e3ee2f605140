"""Which rows a stratified draw selects: SRS without replacement, systematic and Poisson.

Pure numpy on stratum codes: no frames, no labels, so that :func:`surveykit.plan.draw` and
the simulation test select through the same code. Strata are numbered ``0..H-1``; every
function returns the selected row positions in ascending order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["poisson_rows", "smallest_keys", "srswor_rows", "stratum_members",
           "systematic_positions", "systematic_rows"]


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
    members = stratum_members(codes, sizes.shape[0])
    return smallest_keys(members, sizes, rng.random((codes.shape[0],)))


def smallest_keys(members: list[np.ndarray], sizes: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Rows with the ``sizes[h]`` smallest ``keys`` among each stratum's ``members``.

    The selection step of :func:`srswor_rows`, apart so that a simulation can compute the
    members once and draw many samples.

    Examples
    --------
    >>> members = [np.array([0, 2, 4]), np.array([1, 3])]
    >>> smallest_keys(members, np.array([2, 1]), np.array([.9, .5, .1, .2, .3])).tolist()
    [2, 3, 4]

    """
    chosen = []
    for rows, n in zip(members, sizes, strict=True):
        if n >= rows.shape[0]:
            chosen.append(rows)
        elif n > 0:
            chosen.append(rows[np.argpartition(keys[rows], n - 1)[:n]])
    return np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.int64)


def stratum_members(codes: np.ndarray, n_strata: int) -> list[np.ndarray]:
    """Row positions of every stratum ``0..n_strata-1``, each ascending.

    Examples
    --------
    >>> [m.tolist() for m in stratum_members(np.array([1, 0, 1, -1, 0]), 2)]
    [[1, 4], [0, 2]]

    """
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_strata + 1))
    return [order[bounds[h]:bounds[h + 1]] for h in range(n_strata)]


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
    chosen = [rows[systematic_positions(rows.shape[0], int(n), u)]
              for rows, n, u in zip(stratum_members(codes, sizes.shape[0]), sizes, starts,
                                    strict=True)]
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
