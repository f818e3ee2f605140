"""What a weighting step leaves for the linearisation engine (R's ``design$postStrata``).

The weighting layer builds a :class:`CalibrationRecord` for every post-stratification,
raking or GREG calibration and passes it to ``design.with_weights(..., calibration=...)``.
Before influence values are aggregated to PSU totals, the engine replaces them by their
residuals from each record in turn, exactly as R's ``svyrecvar`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np

from surveykit._lazy import lazy_module
from surveykit.design._codes import factorize, group_sums

if TYPE_CHECKING:
    import scipy.sparse as sp
else:
    sp = lazy_module("scipy.sparse")

__all__ = ["CalibrationRecord", "residualize"]

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class CalibrationRecord:
    """Data needed to linearise through a weighting step.

    Parameters
    ----------
    kind : {"poststratify", "raking", "greg"}
        The weighting step.
    cells : ndarray of int, optional
        ``"poststratify"``: post-stratum code of every row (R's ``index``).
    weights : ndarray of float, optional
        ``"poststratify"``: the post-stratified weights (R's ``attr(, "weights")``).
    oldweights : ndarray of float, optional
        ``"poststratify"``: weights before the step (R's ``attr(, "oldweights")``); None
        means ones, as in R.
    margins : tuple of (codes, weights), optional
        ``"raking"``: one pair per margin of the last raking iteration, each with the
        margin's cell code of every row and the weights after post-stratifying on it
        (R's list of class ``"raking"``).
    X : ndarray of float, optional
        ``"greg"``: the matrix R decomposes, ``model.matrix * sqrt(weights)`` (R's
        ``qr(mm * whalf)``), shape ``(n, p)``.
    w : ndarray of float, optional
        ``"greg"``: R's ``g * whalf``, shape ``(n,)``.
    rows : ndarray of bool, optional
        The rows the step was applied to: the domain of a subset design that was weighted
        (R drops the rows outside such a subset before weighting). Residuals are computed on
        these rows only and the other rows keep their (zero) influence values. None means
        every row, which is also right for a calibrated design subset *afterwards* (R keeps
        those rows with ``prob = Inf``).
    info : dict
        Free-form description (method, targets); not used by the engine.

    Examples
    --------
    >>> import numpy as np
    >>> rec = CalibrationRecord("poststratify", cells=np.array([0, 0, 1]),
    ...                         weights=np.array([2.0, 2.0, 4.0]))
    >>> rec.kind
    'poststratify'

    """

    kind: Literal["poststratify", "raking", "greg"]
    cells: np.ndarray | None = None
    weights: np.ndarray | None = None
    oldweights: np.ndarray | None = None
    margins: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
    X: np.ndarray | None = None
    w: np.ndarray | None = None
    rows: np.ndarray | None = None
    info: dict[str, object] = field(default_factory=dict)
    _cache: dict[str, object] = field(default_factory=dict, init=False, repr=False,
                                      compare=False)

    def __post_init__(self) -> None:
        needed = {"poststratify": ("cells", "weights"), "raking": ("margins",),
                  "greg": ("X", "w")}
        if self.kind not in needed:
            raise ValueError(f"'kind' must be one of {tuple(needed)!r} (got {self.kind!r}).")
        missing = [f for f in needed[self.kind] if getattr(self, f) is None
                   or (f == "margins" and not self.margins)]
        if missing:
            raise ValueError(f"CalibrationRecord(kind={self.kind!r}) needs {missing!r}.")

    def __getstate__(self) -> dict[str, object]:
        """Pickle the record without its cache of derived arrays."""
        return {k: v for k, v in self.__dict__.items() if k != "_cache"}

    def __setstate__(self, state: dict[str, object]) -> None:
        """Restore a pickled record with an empty cache."""
        for key, value in {**state, "_cache": {}}.items():
            object.__setattr__(self, key, value)

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """Return ``build()``, computed once per record (the record's arrays never change).

        Linearisation residualises every estimate through the same records: what depends
        on the record alone (cell codes, indicator matrices, a QR factor) is built once.
        """
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]  # type: ignore[return-value]


def _poststratify(x: np.ndarray, rec: CalibrationRecord) -> np.ndarray:
    assert rec.cells is not None and rec.weights is not None
    psw = np.asarray(rec.weights, dtype=float).copy()
    oldw = (np.ones_like(psw) if rec.oldweights is None
            else np.asarray(rec.oldweights, dtype=float))
    psw[(psw == 0) & (oldw == 0)] = 1.0
    codes, n_cells = factorize(np.asarray(rec.cells))
    sums = group_sums(codes, x * (oldw / psw)[:, None], n_cells)
    denom = np.bincount(codes, weights=oldw, minlength=n_cells)
    means = sums / denom[:, None]
    return x - means[codes] * psw[:, None]


def _raking(x: np.ndarray, rec: CalibrationRecord) -> np.ndarray:
    """R's ``svyrecvar`` raking residuals (10 sweeps over the margins) in closed form.

    R sweeps 10 times over the margins ``k``, each step ``x <- x - w_k * ave(x / w_k,
    margin_k)``: ``w_k`` the margin's weights, ``ave`` the unweighted mean of each cell.
    Write ``Z_k`` for the ``(n, K_k)`` cell indicator of margin ``k``, ``U`` for the
    ``(n, K)`` matrix ``[diag(w_1) Z_1, ..., diag(w_m) Z_m]`` (``K`` cells of all margins),
    ``D`` for the ``(K, n)`` matrix ``[Z_1' diag(1/w_1); ...; Z_m' diag(1/w_m)]`` and
    ``N_k`` for the cell counts ``Z_k' Z_k``. A step is ``x <- x - U_k N_k^-1 D_k x``.

    Every step subtracts ``U`` times cell values, so after any number of steps
    ``x = x0 - U c`` for some ``(K, p)`` corrections ``c`` (0 at the start). Then
    ``D_k x = D_k x0 - (D U)_k c``, and the step for margin ``k`` is
    ``c_k <- c_k + N_k^-1 (s_k - (D U)_k c)`` with ``s = D x0``, the cell sums of
    ``x0 / w_k``: ``c`` is linear in ``s``, ``c = M s``. The ``(K, K)`` matrix ``M``
    follows from the same 10 sweeps with ``s`` the identity (``D U`` holds the cross
    counts of the margins' cells weighted by ``w_j / w_k``) and is built once per record
    (:func:`_raking_map`). Each call is then ``x0 - U (M (D x0))``: two passes over the
    rows instead of 10 per margin. The residuals equal R's up to rounding (about 1e-15 of
    the column's scale). ``M`` holds ``K^2`` numbers, so margins of more than
    ``_MAX_CLOSED_CELLS`` cells in all are swept directly (:func:`_raking_sweeps`).
    """
    margins = rec.cached("raking-margins", lambda: _raking_margins(rec))
    if sum(n_cells for _, n_cells, _ in margins) > _MAX_CLOSED_CELLS:
        return _raking_sweeps(x, margins)
    down, up, m = rec.cached("raking", lambda: _raking_map(margins))
    return x - up @ (m @ (down @ x))


_MAX_CLOSED_CELLS = 1024  # M of 1024 x 1024 cells: 8 MB, built in about 0.6 s


def _raking_margins(rec: CalibrationRecord) -> list[tuple[np.ndarray, int, np.ndarray]]:
    """Cell codes, number of cells and weights of each raking margin."""
    return [(*factorize(np.asarray(c)), np.asarray(w, dtype=float)) for c, w in rec.margins]


def _raking_sweeps(x: np.ndarray, margins: list[tuple[np.ndarray, int, np.ndarray]]
                   ) -> np.ndarray:
    """R's 10 sweeps in row space, ``x <- x - w * ave(x / w, margin)``, for many cells."""
    x = np.array(x, dtype=float)
    for _ in range(10):
        for codes, n_cells, w in margins:
            counts = np.bincount(codes, minlength=n_cells)[:, None]
            x = x - w[:, None] * (group_sums(codes, x / w[:, None], n_cells) / counts)[codes]
    return x


def _raking_map(margins: list[tuple[np.ndarray, int, np.ndarray]]
                ) -> tuple[sp.csc_matrix, sp.csr_matrix, np.ndarray]:
    """``D``, ``U`` and ``M`` of :func:`_raking` for the record's margins."""
    offsets = np.cumsum([0] + [n_cells for _, n_cells, _ in margins])
    n, n_margins, total = margins[0][0].size, len(margins), int(offsets[-1])
    # U has one row per data row, with an entry in each margin's block of cells
    index = np.stack([codes + o for (codes, _, _), o in zip(margins, offsets[:-1], strict=True)],
                     axis=1).ravel()
    w = np.stack([w for _, _, w in margins], axis=1).ravel()
    starts = np.arange(0, n * n_margins + 1, n_margins)
    up = sp.csr_matrix((w, index, starts), shape=(n, total))
    down = sp.csr_matrix((1.0 / w, index, starts), shape=(n, total)).T.tocsc()
    cross = (down @ up).tocsr()
    steps = [(slice(lo, hi), cross[lo:hi], np.bincount(codes, minlength=n_cells)[:, None])
             for (codes, n_cells, _), lo, hi in zip(margins, offsets[:-1], offsets[1:],
                                                    strict=True)]
    m = np.zeros((total, total))
    unit = np.eye(total)
    for _ in range(10):  # R's svyrecvar iterates the margins a fixed 10 times
        for rows, cross_k, counts in steps:
            m[rows] += (unit[rows] - cross_k @ m) / counts
    return down, up, m


def _greg(x: np.ndarray, rec: CalibrationRecord) -> np.ndarray:
    assert rec.X is not None and rec.w is not None
    w = np.asarray(rec.w, dtype=float)[:, None]
    q = rec.cached("greg", lambda: _greg_basis(rec))
    z = x / w
    return (z - q @ (q.T @ z)) * w


def residualize(x: np.ndarray, records: tuple[CalibrationRecord, ...]) -> np.ndarray:
    """Residualise influence values through each record in order (R's ``svyrecvar``).

    Examples
    --------
    >>> import numpy as np
    >>> rec = CalibrationRecord("poststratify", cells=np.array([0, 0, 1, 1]),
    ...                         weights=np.ones(4))
    >>> residualize(np.array([[1.0], [3.0], [2.0], [2.0]]), (rec,)).ravel()
    array([-1.,  1.,  0.,  0.])

    """
    x = np.asarray(x, dtype=float)
    for rec in records:
        if rec.rows is None:
            x = _RESIDUALS[rec.kind](x, rec)
        else:
            x = x.copy()
            cut = rec.cached("rows", partial(_restrict, rec, rec.rows))
            x[rec.rows] = _RESIDUALS[rec.kind](x[rec.rows], cut)
    return x


def _restrict(rec: CalibrationRecord, rows: np.ndarray) -> CalibrationRecord:
    """Return the record with every per-row array cut down to ``rows``."""

    def cut(a: object) -> np.ndarray | None:
        return None if a is None else np.asarray(a)[rows]

    margins = tuple((np.asarray(c)[rows], np.asarray(w)[rows]) for c, w in rec.margins)
    return CalibrationRecord(rec.kind, cells=cut(rec.cells), weights=cut(rec.weights),
                             oldweights=cut(rec.oldweights), margins=margins, X=cut(rec.X),
                             w=cut(rec.w), info=rec.info)


def _greg_basis(rec: CalibrationRecord) -> np.ndarray:
    """Orthonormal basis of the calibration variables (R's ``qr(mm * whalf)``)."""
    q, r = np.linalg.qr(np.asarray(rec.X, dtype=float))
    keep = np.abs(np.diag(r)) > 1e-7 * np.abs(np.diag(r)).max()
    return q[:, keep]


_RESIDUALS = {"poststratify": _poststratify, "raking": _raking, "greg": _greg}
