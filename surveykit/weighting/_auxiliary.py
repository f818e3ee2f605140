"""The auxiliary matrix of a calibration, on cells or on rows, and its checks.

Categorical auxiliaries only: the units are the cells of their cross-table (``g`` is
constant within a cell). With a continuous auxiliary the units are the rows. Either way one
column per targeted category (or continuous variable); columns that are linear
combinations of others are dropped after checking that their targets agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surveykit._lazy import lazy_module
from surveykit.errors import WeightingError
from surveykit.weighting._apply import Base, stacked
from surveykit.weighting._cells import CrossTable, LazyRowValues, cross_table, encode
from surveykit.weighting._match import check_missing, match_margin
from surveykit.weighting._targets import Margin

sla = lazy_module("scipy.linalg")

__all__ = ["Auxiliary", "build_auxiliary", "check_bounds"]


@dataclass(frozen=True)
class Auxiliary:
    """Calibration problem on units: ``X`` (units x p), unit weights, targets, labels."""

    X: np.ndarray
    weights: np.ndarray
    totals: np.ndarray
    labels: list[tuple[str, object]]
    table: CrossTable | None
    X_all: np.ndarray
    totals_all: np.ndarray
    labels_all: list[tuple[str, object]]

    def to_rows(self, unit_values: np.ndarray) -> np.ndarray:
        """Map unit values (units,) or (units, k) to rows."""
        return unit_values if self.table is None else self.table.to_rows(unit_values)

    def rows_matrix(self, scale: np.ndarray) -> np.ndarray | LazyRowValues:
        """Return ``scale[:, None] * X`` at row level (lazily for cells), for the engine."""
        if self.table is None:
            return self.X * scale[:, None]
        return LazyRowValues(scale, self.table, self.X)


def _categorical_columns(base: Base, margins: list[Margin], param: str, rowwise: bool):
    encs = [encode(base.data, m.variables) for m in margins]
    for enc in encs:
        check_missing(base.data, enc, base.active, param)
    table = cross_table(encs) if encs else None
    cols, totals, labels = [], [], []
    full = table.sums(base.w) if table is not None else None
    for m, enc, j in zip(margins, encs, range(len(encs)), strict=True):
        assert table is not None and full is not None
        codes_u = table.margin_codes[j]
        sample = np.bincount(codes_u, weights=full, minlength=enc.size)
        target = match_margin(m, enc, sample, param=param)
        codes = enc.codes if rowwise else codes_u
        for k in np.flatnonzero(target > 0):
            cols.append((codes == k).astype(float))
            totals.append(target[k])
            labels.append((m.name, enc.labels[k]))
    return cols, totals, labels, table


def _continuous_column(base: Base, m: Margin, param: str) -> np.ndarray:
    var = m.variables[0]
    x = np.asarray(base.data[var], dtype=float) if base.data[var].dtype.kind in "biuf" else None
    if x is None:
        raise WeightingError(f"{param!r}[{var!r}] is a number, so {var!r} must be a numeric "
                             f"column (got dtype {base.data[var].dtype}). Give a "
                             f"{{level: total}} mapping for a categorical variable.")
    bad = ~np.isfinite(x) & base.active
    if bad.any():
        rows = base.data.index[np.flatnonzero(bad)[:10]].tolist()
        raise WeightingError(f"{param!r}: {int(bad.sum())} rows with positive weight have "
                             f"missing values in {var!r} (first rows: {rows!r}).")
    return np.where(np.isfinite(x), x, 0.0)


def build_auxiliary(base: Base, margins: list[Margin], *, param: str,
                    population_total: float | None) -> Auxiliary:
    """Auxiliary matrix, unit weights (full sample and replicates) and targets."""
    cat = [m for m in margins if not m.continuous]
    cont = [m for m in margins if m.continuous]
    rowwise = bool(cont)
    cols, totals, labels, table = _categorical_columns(base, cat, param, rowwise)
    if rowwise:
        table = None
        if not cat and population_total is not None:
            cols.insert(0, np.ones(base.w.size))
            totals.insert(0, float(population_total))
            labels.insert(0, ("(population)", "total"))
        for m in cont:
            cols.append(_continuous_column(base, m, param))
            totals.append(float(m.totals[0]))
            labels.append((m.name, "(total)"))
    X_all = np.column_stack(cols)
    T_all = np.asarray(totals, dtype=float)
    weights = stacked(base) if table is None else table.sums(stacked(base))
    full = weights if weights.ndim == 1 else weights[:, 0]
    keep = _independent(X_all, full, T_all, labels, param)
    return Auxiliary(X_all[:, keep], weights, T_all[keep], [labels[i] for i in keep], table,
                     X_all, T_all, labels)


def _independent(X: np.ndarray, w: np.ndarray, T: np.ndarray,
                 labels: list[tuple[str, object]], param: str) -> list[int]:
    """Columns kept after dropping linear combinations; their targets must agree."""
    live = w > 0
    A = X[live] * np.sqrt(w[live])[:, None]
    _, r, piv = sla.qr(A, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int((diag > 1e-9 * diag.max()).sum()) if diag.size else 0
    keep = sorted(int(i) for i in piv[:rank])
    drop = [int(i) for i in piv[rank:]]
    if drop:
        coef, *_ = np.linalg.lstsq(A[:, keep], A[:, drop], rcond=None)
        implied = T[keep] @ coef
        off = np.abs(implied - T[drop]) > 1e-6 * (1.0 + np.abs(T[drop]))
        if off.any():
            bad = [f"{labels[drop[i]]} target {T[drop[i]]:.10g} vs {implied[i]:.10g} implied "
                   f"by the other targets" for i in np.flatnonzero(off)]
            raise WeightingError(f"{param!r}: the targets contradict each other: {bad!r}. "
                                 "Overlapping margins must add up to the same totals.")
    return keep


def check_bounds(aux: Auxiliary, bounds: tuple[float, float], param: str) -> None:
    """Fail before iterating when a target is out of reach within ``bounds``.

    A non-negative auxiliary column can reach at most ``upper`` and at least ``lower``
    times its sample total; categorical targets that need more are listed.
    """
    lo, up = bounds
    if not (np.isfinite(lo) or np.isfinite(up)):
        return
    full = aux.weights if aux.weights.ndim == 1 else aux.weights[:, 0]
    sample = aux.X_all.T @ full
    nonneg = (aux.X_all >= 0).all(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = aux.totals_all / sample
    bad = nonneg & ((ratio < lo * (1 - 1e-12)) | (ratio > up * (1 + 1e-12)))
    if bad.any():
        cells = [f"{aux.labels_all[i]} needs g = {ratio[i]:.4g}" for i in np.flatnonzero(bad)]
        raise WeightingError(
            f"{param!r}: bounds ({lo:g}, {up:g}) cannot be met: {cells!r} (target / weighted "
            f"sample total). Widen the bounds or collapse these categories."
        )
