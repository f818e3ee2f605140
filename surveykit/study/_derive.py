"""Derived analysis variables of a study (bins, code maps) and seeded hot-deck imputation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import StudyError
from surveykit.study._model import DeriveSpec, ImputeSpec

__all__ = ["derive_variables", "hot_deck"]


def _codes(series: pd.Series) -> pd.Series:
    """Values as text codes ('1', '3403', 'male'), missing as NA."""
    values = series.astype(object)
    return values.map(lambda v: v if pd.isna(v) else (
        str(int(v)) if isinstance(v, float | np.floating) and float(v).is_integer() else str(v)))


def _binned(series: pd.Series, bins: dict[str, tuple[float, float]]) -> pd.Series:
    x = pd.to_numeric(series.astype(object), errors="coerce").to_numpy(dtype=float)
    out = np.full(x.shape, None, dtype=object)
    for label, (lo, hi) in bins.items():
        out[(x >= lo) & (x <= hi)] = label
    return pd.Series(pd.Categorical(out, categories=list(bins)), index=series.index)


def hot_deck(values: pd.Series, classes: pd.DataFrame, seed: int) -> tuple[pd.Series, int]:
    """Fill missing ``values`` with the value of a random donor from the same class.

    Donors are the rows with a value in the same cell of ``classes`` (all rows when
    ``classes`` has no columns); each missing row draws one donor uniformly, with
    ``numpy.random.default_rng(seed)``. Returns the filled series and the count imputed.

    Examples
    --------
    >>> s = pd.Series(["a", None, "b", None])
    >>> filled, k = hot_deck(s, pd.DataFrame(index=s.index), seed=1)
    >>> k, int(filled.isna().sum())
    (2, 0)

    """
    missing = values.isna().to_numpy()
    if not missing.any():
        return values, 0
    cell = np.zeros(len(values), dtype=np.int64)
    for col in classes.columns:  # one integer per class; NA is a class of its own
        codes, uniques = pd.factorize(classes[col], use_na_sentinel=True)
        cell = cell * (len(uniques) + 1) + (codes + 1)
    donors = np.flatnonzero(~missing)
    order = donors[np.argsort(cell[donors], kind="stable")]
    keys, start, count = np.unique(cell[order], return_index=True, return_counts=True)
    need = np.flatnonzero(missing)
    pos = np.searchsorted(keys, cell[need])
    ok = (pos < keys.size) & (keys[np.minimum(pos, keys.size - 1)] == cell[need])
    if not ok.all():
        rows = values.index[need[~ok]].tolist()[:5]
        raise StudyError(f"hot-deck imputation of {values.name!r}: rows {rows} have no donor in "
                         f"their class of {list(classes.columns)}. Use coarser 'impute.by' "
                         "classes.")
    rng = np.random.default_rng(seed)
    pick = order[start[pos] + np.floor(rng.random(need.size) * count[pos]).astype(np.int64)]
    out = values.astype(object).copy()
    out.iloc[need] = values.astype(object).to_numpy()[pick]
    if isinstance(values.dtype, pd.CategoricalDtype):
        out = pd.Series(pd.Categorical(out, categories=values.cat.categories),
                        index=values.index, name=values.name)
    return out, int(need.size)


def _impute(frame: pd.DataFrame, name: str, spec: ImputeSpec) -> tuple[pd.Series, int]:
    missing = [c for c in spec.by if c not in frame.columns]
    if missing:
        raise StudyError(f"derive.{name}.impute.by: unknown column(s) {missing}; derive them "
                         "earlier in the list or name item variables.")
    return hot_deck(frame[name], frame[list(spec.by)], spec.seed)


def derive_variables(frame: pd.DataFrame, specs: Sequence[DeriveSpec]
                     ) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Return ``frame`` with the derived columns added, and one record per derivation.

    Each record holds the name, its source, the rows missing before imputation and the
    rows imputed (with the seed), for the manifest and the methods section.
    """
    out = frame.copy()
    records = []
    for spec in specs:
        if spec.source not in out.columns:
            raise StudyError(f"derive.{spec.name}.from: column {spec.source!r} is not in the "
                             f"data; use an instrument variable or an earlier derived name.")
        if spec.bins is not None:
            col = _binned(out[spec.source], spec.bins)
        else:
            mapping = spec.map or {}
            labels = list(dict.fromkeys(mapping.values()))
            col = pd.Series(pd.Categorical(_codes(out[spec.source]).map(mapping),
                                           categories=labels), index=out.index)
        out[spec.name] = col.rename(spec.name)
        rec: dict[str, Any] = {"name": spec.name, "from": spec.source,
                               "missing": int(col.isna().sum()), "imputed": 0}
        if spec.impute is not None:
            out[spec.name], rec["imputed"] = _impute(out, spec.name, spec.impute)
            rec.update(method=spec.impute.method, by=list(spec.impute.by), seed=spec.impute.seed)
        records.append(rec)
    return out, records
