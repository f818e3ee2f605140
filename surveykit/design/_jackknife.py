"""Jackknife replicate multipliers kept as what defines them, not as a PSU x replicate array.

A jackknife replicate deletes one PSU and multiplies the other PSUs of its group (its
stratum for JKn, every PSU for JK1 and for R's "adjust" replicate of a lonely PSU) by one
factor, ``n_h / (n_h - 1)``; PSUs outside the group keep their weight. Every replicate total
therefore follows from the PSU totals: ``T_r = O_g + a_r L_d``, where ``O_g`` is the total of
the PSUs outside the replicate's group ``g``, ``L_d`` the total of the group's PSUs other than
the deleted ``d``, and ``a_r`` the factor. That costs ``O(PSUs + replicates)`` per variable
instead of the ``O(PSUs x replicates)`` product with the multiplier array (8 000 PSUs in 400
strata: 8 000 replicates, a 512 MB array).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["JackknifeMultipliers"]

ALL_PSUS = -1
"""Group of a replicate that reweights every PSU (R's "adjust" replicate of a lonely PSU)."""


@dataclass(frozen=True, eq=False)
class JackknifeMultipliers:
    """The ``(n_psu, R)`` jackknife multipliers, stored in ``O(n_psu + R)``.

    Parameters
    ----------
    psu_group : ndarray of int
        ``(n_psu,)`` group (stratum code) of each PSU.
    dropped : ndarray of int
        ``(R,)`` the PSU each replicate deletes.
    group : ndarray of int
        ``(R,)`` the group each replicate reweights (``-1``: every PSU).
    factor : ndarray of float
        ``(R,)`` the multiplier of the group's other PSUs.

    Examples
    --------
    >>> jk = JackknifeMultipliers(np.zeros(3, dtype=int), np.arange(3), np.zeros(3, dtype=int),
    ...                           np.full(3, 1.5))
    >>> jk.columns()
    array([[0. , 1.5, 1.5],
           [1.5, 0. , 1.5],
           [1.5, 1.5, 0. ]])
    >>> jk.totals(np.array([[1.0], [2.0], [4.0]]))[:, 0]
    array([9. , 7.5, 4.5])

    """

    psu_group: np.ndarray
    dropped: np.ndarray
    group: np.ndarray
    factor: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_psu, R)``, the shape of the array it stands for."""
        return self.psu_group.shape[0], self.dropped.shape[0]

    @property
    def nbytes(self) -> int:
        """Bytes held."""
        return sum(a.nbytes for a in (self.psu_group, self.dropped, self.group, self.factor))

    def columns(self, replicates: slice = slice(None),
                psus: np.ndarray | None = None) -> np.ndarray:
        """Multipliers of the given replicates (and PSUs, default all) as a dense array."""
        g, f, d = self.group[replicates], self.factor[replicates], self.dropped[replicates]
        rows = self.psu_group if psus is None else self.psu_group[psus]
        block = np.where((g == ALL_PSUS) | (rows[:, None] == g), f, 1.0)
        where = np.arange(self.shape[0]) if psus is None else np.asarray(psus)
        hit = where[:, None] == d[None, :]
        block[hit] = 0.0
        return block

    def totals(self, psu_totals: np.ndarray) -> np.ndarray:
        """Replicate totals ``(R, k)`` from PSU totals ``(n_psu, k)``, without the product.

        ``T_r = O_g + a_r L_d``: ``O_g`` sums the groups other than the replicate's group
        ``g``, ``L_d`` the PSUs of ``g`` other than the deleted ``d``. Both are plain sums
        of the terms the product would add (exclusive running sums from either side), so
        nothing cancels: a replicate whose remaining PSUs total zero gets exactly zero, as
        with the multiplier array.
        """
        t = np.asarray(psu_totals, dtype=float)
        n_groups = int(self.psu_group.max(initial=-1)) + 1
        loo, sums = _leave_one_out(t, self.psu_group, n_groups)
        other = _exclusive(sums[None], axis=1)[0]
        out = np.empty((self.shape[1], t.shape[1]))
        own = self.group != ALL_PSUS
        a = self.factor[:, None]
        out[own] = other[self.group[own]] + a[own] * loo[self.dropped[own]]
        if not own.all():
            everyone, _ = _leave_one_out(t, np.zeros(t.shape[0], dtype=np.int64), 1)
            out[~own] = a[~own] * everyone[self.dropped[~own]]
        return out

    def rank(self, used: np.ndarray) -> int | None:
        """Rank of the multipliers of the PSUs ``used`` (boolean mask), in closed form.

        A group whose PSUs are all used contributes its size minus one (its rows sum to
        ``n_h`` times the ones vector), a group used in part its used PSUs, and PSUs outside
        fully-covered groups one more dimension between them (the ones vector). None when a
        replicate reweights every PSU of a stratified design (the closed form does not
        cover it) or a factor is not ``n_h / (n_h - 1)``; the rank is then computed.
        """
        n_groups = int(self.psu_group.max(initial=-1)) + 1
        if (self.group == ALL_PSUS).any() or self.group.max(initial=-1) >= n_groups:
            return None
        size = np.bincount(self.psu_group, minlength=n_groups)
        expected = size[self.group] / (size[self.group] - 1.0)
        if not np.allclose(self.factor, expected, rtol=1e-14, atol=0.0):
            return None
        has_reps = np.bincount(self.group, minlength=n_groups) > 0
        if (np.bincount(self.group, minlength=n_groups)[has_reps] != size[has_reps]).any():
            return None
        u = np.bincount(self.psu_group[used], minlength=n_groups)
        if u.sum() == 0:
            return 0
        full = has_reps & (u == size)
        partial = has_reps & (u > 0) & (u < size)
        rank = int(u[partial].sum() + (u[full] - 1).sum())
        outside = int(u[~partial].sum())
        return rank + (1 if outside > 0 and has_reps.any() else 0)


def _exclusive(block: np.ndarray, axis: int) -> np.ndarray:
    """Sum of the other entries along ``axis``: exclusive running sums from both ends."""
    n = block.shape[axis]
    forward = np.cumsum(block, axis=axis)
    backward = np.flip(np.cumsum(np.flip(block, axis=axis), axis=axis), axis=axis)
    out = np.zeros_like(block)
    head = [slice(None)] * block.ndim
    tail = [slice(None)] * block.ndim
    head[axis], tail[axis] = slice(1, n), slice(0, n - 1)
    out[tuple(head)] += forward[tuple(tail)]
    out[tuple(tail)] += backward[tuple(head)]
    return out


def _leave_one_out(t: np.ndarray, groups: np.ndarray,
                   n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Each PSU's group total without it ``(n_psu, k)``, and the group totals ``(G, k)``.

    Groups of equal size are stacked into one ``(groups, size, k)`` block, so the running
    sums need no padding and no loop over groups (only over the distinct sizes).
    """
    size = np.bincount(groups, minlength=n_groups)
    order = np.argsort(groups, kind="stable")
    start = np.cumsum(size) - size
    loo = np.zeros_like(t)
    sums = np.zeros((n_groups, t.shape[1]))
    for s in np.unique(size[size > 0]):
        chosen = np.flatnonzero(size == s)
        psus = order[start[chosen][:, None] + np.arange(s)]
        block = t[psus]
        loo[psus] = _exclusive(block, axis=1)
        sums[chosen] = block.sum(axis=1)
    return loo, sums
