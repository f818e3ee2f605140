"""What a weighting step leaves for the linearisation engine (R's ``design$postStrata``).

The weighting layer builds a :class:`CalibrationRecord` for every post-stratification,
raking or GREG calibration and passes it to ``design.with_weights(..., calibration=...)``.
Before influence values are aggregated to PSU totals, the engine replaces them by their
residuals from each record in turn, exactly as R's ``svyrecvar`` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal, TypeVar

import numpy as np

from surveykit.design._codes import factorize, group_sums, indicator

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


def _raking_margins(rec: CalibrationRecord) -> list[tuple[np.ndarray, int, np.ndarray,
                                                              np.ndarray, object]]:
    """Codes, cell counts (a column), weights and indicator matrix of each raking margin."""
    prepared = []
    for cells, weights in rec.margins:
        codes, n_cells = factorize(np.asarray(cells))
        counts = np.bincount(codes, minlength=n_cells).astype(float)
        prepared.append((codes, n_cells, counts[:, None],
                         np.asarray(weights, dtype=float)[:, None], indicator(codes, n_cells)))
    return prepared


def _raking(x: np.ndarray, rec: CalibrationRecord) -> np.ndarray:
    """R's ``svyrecvar`` raking residuals: 10 sweeps over the margins.

    Each step is ``x - w * means[codes]`` with ``means`` the cell sums of ``x / w`` over the
    cell counts, computed into buffers allocated once per call (the same operations, so
    the same bits, as building every temporary anew; a study residualises hundreds of
    estimates through one raking). The cell sums are :func:`group_sums`' two paths called
    directly, without its checks, which the prepared margins already meet: one
    ``np.bincount`` for a single column, else the margin's indicator times the C-ordered
    block (every code is a cell: the counts' ``bincount`` refuses code -1).
    """
    prepared = rec.cached("raking", lambda: _raking_margins(rec))
    k = x.shape[1]
    x = np.array(x, dtype=float, order="C")  # our own copy: updated in place below
    z, step = np.empty_like(x), np.empty_like(x)
    # each margin's weights repeated across the columns: a plain elementwise product
    wide = [np.repeat(psw, k, axis=1) for _, _, _, psw, _ in prepared]
    for _ in range(10):  # R's svyrecvar iterates the margins a fixed 10 times
        for (codes, n_cells, counts, _, ind), w in zip(prepared, wide, strict=True):
            np.divide(x, w, out=z)
            if k == 1:
                sums = np.bincount(codes, weights=z[:, 0], minlength=n_cells)[:, None]
            else:
                sums = ind @ z
            np.take(sums / counts, codes, axis=0, out=step)
            np.multiply(w, step, out=step)
            np.subtract(x, step, out=x)
    return x


def _greg(x: np.ndarray, rec: CalibrationRecord) -> np.ndarray:
    assert rec.X is not None and rec.w is not None
    w = np.asarray(rec.w, dtype=float)[:, None]
    q = rec.cached("greg", lambda: _greg_basis(rec))
    z = x / w
    return (z - q @ (q.T @ z)) * w


def residualize(x: np.ndarray, records: tuple[CalibrationRecord, ...]) -> np.ndarray:
    """Residualise influence values through each record in order (R's ``svyrecvar``).

    Through raking records, a column seen before (bit for bit, through the same records)
    gets its stored residuals back (:class:`_ColumnMemo`): a study's estimates, banners and
    wave comparisons residualise many identical columns (the same item in the same domain).

    Examples
    --------
    >>> import numpy as np
    >>> rec = CalibrationRecord("poststratify", cells=np.array([0, 0, 1, 1]),
    ...                         weights=np.ones(4))
    >>> residualize(np.array([[1.0], [3.0], [2.0], [2.0]]), (rec,)).ravel()
    array([-1.,  1.,  0.,  0.])

    """
    x = np.asarray(x, dtype=float)
    if (x.ndim == 2 and x.shape[1] > 0 and 0 < x.shape[0] <= _ColumnMemo.max_rows
            and records and all(rec.kind == "raking" for rec in records)):
        return records[0].cached("residuals", _ColumnMemo).residualize(x, records)
    return _residualize(x, records)


def _residualize(x: np.ndarray, records: tuple[CalibrationRecord, ...]) -> np.ndarray:
    for rec in records:
        if rec.rows is None:
            x = _RESIDUALS[rec.kind](x, rec)
        else:
            x = x.copy()
            cut = rec.cached("rows", partial(_restrict, rec, rec.rows))
            x[rec.rows] = _RESIDUALS[rec.kind](x[rec.rows], cut)
    return x


class _ColumnMemo:
    """Raking residuals of the columns already seen, per column, within a memory budget.

    Raking residualises every column on its own: elementwise steps and cell sums that
    add each cell's rows in row order (one ``bincount`` or the indicator product, the
    same bits), so a column's residuals do not depend on the columns beside it and a
    stored column equals a recomputed one bit for bit. A hit needs the same records
    (by identity) and a bitwise-equal column; the hash only finds the candidate. Only
    designs up to ``max_rows`` rows use it, holding at most ``budget`` bytes.
    """

    budget = 32 * 2**20
    max_rows = budget // 1024

    def __init__(self) -> None:
        self.entries: dict[bytes, tuple[tuple[CalibrationRecord, ...], np.ndarray,
                                        np.ndarray]] = {}
        self.used = 0

    def residualize(self, x: np.ndarray, records: tuple[CalibrationRecord, ...]
                    ) -> np.ndarray:
        """``_residualize(x, records)``, reusing the stored columns."""
        columns = [np.ascontiguousarray(x[:, j]) for j in range(x.shape[1])]
        keys = [hashlib.blake2b(col.data, digest_size=16).digest()
                for col in columns]
        out = np.empty(x.shape)
        todo = []
        for j, (key, col) in enumerate(zip(keys, columns, strict=True)):
            hit = self.entries.get(key)
            if (hit is not None and len(hit[0]) == len(records)
                    and all(a is b for a, b in zip(hit[0], records, strict=True))
                    and np.array_equal(hit[1].view(np.int64), col.view(np.int64))):
                out[:, j] = hit[2]
            else:
                todo.append(j)
        if todo:
            fresh = _residualize(x[:, todo], records)
            out[:, todo] = fresh
            for i, j in enumerate(todo):
                self._store(keys[j], records, columns[j], fresh[:, i])
        return out

    def _store(self, key: bytes, records: tuple[CalibrationRecord, ...], col: np.ndarray,
               res: np.ndarray) -> None:
        size = 2 * col.nbytes
        if key not in self.entries and self.used + size <= self.budget:
            self.entries[key] = (records, col, res.copy())
            self.used += size


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
