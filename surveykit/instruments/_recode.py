"""Apply a crosswalk: recode data of the older version into the newer coding.

Per target item key (a loop over items, never over rows):

* ``identical`` / ``approximate`` without a map: the column is copied (renamed to the new
  ``var``); codes the target list does not know are set to NA and reported;
* ``recoded``: ``options`` (target code → source codes) maps single codes, and merges
  multi-select options by logical OR of their ``var__code`` columns;
* ``transformed`` / ``approximate`` with ``transform``: ``linear_stretch`` maps
  ``source_range`` linearly onto ``target_range``; ``pomp`` onto 0-100;
* ``missing`` maps missing codes (e.g. ``{9: 98}``); a missing code that the target list
  also has is kept;
* ``new`` and ``not_comparable`` items get NA columns (listed in ``not_harmonised``).

Columns of the data that belong to no source item (ids, weights, metadata) pass through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveykit._display import object_html
from surveykit.instruments._crosswalk import Crosswalk, CrosswalkItem, Transform
from surveykit.instruments._instrument import Variable

__all__ = ["CrosswalkResult", "apply_crosswalk"]

_REPORT_COLUMNS = ["key", "source_var", "target_var", "problem", "code", "count"]


@dataclass(frozen=True)
class CrosswalkResult:
    """Data recoded into the target version, and what could not be mapped.

    Attributes
    ----------
    data : pandas.DataFrame
        Pass-through columns, then the target version's data columns in questionnaire order.
    report : pandas.DataFrame
        One row per problem: ``key, source_var, target_var, problem, code, count`` where
        ``problem`` is ``unmapped_code``, ``out_of_range`` or ``missing_column``.
    not_harmonised : tuple of str
        Target keys left NA: ``new`` or ``not_comparable`` items, or items without an entry.
    trend_breaks : tuple of str
        Target keys flagged ``trend_break`` in the crosswalk.

    """

    data: pd.DataFrame
    report: pd.DataFrame
    not_harmonised: tuple[str, ...] = ()
    trend_breaks: tuple[str, ...] = field(default=())

    @property
    def unmapped(self) -> pd.DataFrame:
        """Rows of :attr:`report` about codes that had no mapping."""
        return self.report[self.report["problem"] == "unmapped_code"].reset_index(drop=True)

    @property
    def ok(self) -> bool:
        """True when every value present in the data was mapped."""
        return self.report.empty

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`data`, the recoded rows."""
        return self.data.copy()

    def summary(self) -> pd.DataFrame:
        """Return a copy of :attr:`report` (what could not be mapped), what the display shows."""
        return self.report.copy()

    def __repr__(self) -> str:
        return (f"<CrosswalkResult: {len(self.data)} rows x {self.data.shape[1]} columns, "
                f"{len(self.report)} problems, {len(self.not_harmonised)} keys not "
                f"harmonised, {len(self.trend_breaks)} trend breaks>")

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("problems", self.summary() if len(self.report)
                                        else None))


@dataclass
class _Work:
    xw: Crosswalk
    data: pd.DataFrame
    out: dict[str, pd.Series]
    report: list[dict[str, Any]]

    def problem(self, key: str, src: str | None, tgt: str | None, problem: str,
                code: object = None, count: int = 0) -> None:
        self.report.append({"key": key, "source_var": src, "target_var": tgt,
                            "problem": problem, "code": code, "count": int(count)})

    def na(self, var: str) -> pd.Series:
        return pd.Series(pd.NA, index=self.data.index, dtype="Float64").rename(var)


def _report_unmapped(w: _Work, key: str, src: str, tgt: str, values: pd.Series,
                     mapped: pd.Series, problem: str = "unmapped_code") -> None:
    lost = values.notna() & mapped.isna()
    if lost.any():
        counts = values[lost].value_counts(sort=False)
        for code, n in counts.items():
            w.problem(key, src, tgt, problem, _as_code(code), n)


def _as_code(value: object) -> object:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    return value.item() if isinstance(value, np.generic) else value


def _code_map(entry: CrosswalkItem, src: Variable, tgt: Variable) -> dict[object, object]:
    """Source code → target code for single-choice columns."""
    tgt_codes = tgt.choices.all_codes if tgt.choices else ()
    src_codes = src.choices.all_codes if src.choices else ()
    mapping: dict[object, object] = {}
    if entry.options:
        mapping = {s: t for t, sources in entry.options.items() for s in sources}
    else:
        mapping = {c: c for c in src_codes if c in tgt_codes}
    tgt_missing = tgt.choices.missing_codes if tgt.choices else ()
    for code in src.choices.missing_codes if src.choices else ():
        if code in tgt_missing and code not in mapping:
            mapping[code] = code
    for old, new in (entry.missing or {}).items():
        mapping[old] = new
    return mapping


def _transform(values: pd.Series, tr: Transform, entry: CrosswalkItem,
               src: Variable) -> tuple[pd.Series, pd.Series]:
    """Return ``(mapped values, out-of-range mask)`` for a numeric transform."""
    missing_codes = set(src.choices.missing_codes) if src.choices else set()
    num = pd.to_numeric(values, errors="coerce").astype("Float64")
    is_missing_code = values.isin(list(missing_codes)) & values.notna()
    s0, s1 = tr.source_range or (np.nan, np.nan)
    t0, t1 = tr.target_range or ((0.0, 100.0) if tr.method == "pomp" else (s0, s1))
    in_range = (num >= s0) & (num <= s1)
    scaled = t0 + (t1 - t0) * (num - s0) / (s1 - s0)
    result = scaled.where(in_range.fillna(False) & ~is_missing_code)
    miss_map = dict(entry.missing or {})
    recoded_missing = values.where(is_missing_code).map(miss_map).astype("Float64")
    result = result.fillna(recoded_missing) if miss_map else result
    out_of_range = values.notna() & ~is_missing_code & ~in_range.fillna(False)
    return result, out_of_range


def _single(w: _Work, key: str, entry: CrosswalkItem, src: Variable, tgt: Variable) -> None:
    if src.var not in w.data.columns:
        w.problem(key, src.var, tgt.var, "missing_column")
        w.out[tgt.var] = w.na(tgt.var)
        return
    values = w.data[src.var]
    tr = entry.transform
    if tr is not None and tr.method != "none":
        result, bad = _transform(values, tr, entry, src)
        _report_unmapped(w, key, src.var, tgt.var, values.where(bad), values.where(~bad))
        w.out[tgt.var] = result.rename(tgt.var)
        return
    if tgt.choices is None:
        w.out[tgt.var] = values.rename(tgt.var)
        return
    mapped = values.map(_code_map(entry, src, tgt))
    _report_unmapped(w, key, src.var, tgt.var, values, mapped)
    if all(isinstance(c, int) for c in tgt.choices.all_codes):
        mapped = pd.to_numeric(mapped, errors="coerce").astype("Int64")
    w.out[tgt.var] = mapped.rename(tgt.var)


def _multi(w: _Work, key: str, entry: CrosswalkItem, srcs: tuple[Variable, ...],
           tgts: tuple[Variable, ...]) -> None:
    src_by_code = {v.option.code: v.var for v in srcs if v.option is not None}
    used: set[object] = set()
    for tgt in tgts:
        assert tgt.option is not None
        code = tgt.option.code
        sources = list(entry.options.get(code, ())) if entry.options else (
            [code] if code in src_by_code else [])
        cols = [src_by_code[s] for s in sources if s in src_by_code]
        present = [c for c in cols if c in w.data.columns]
        used.update(sources)
        if not present:
            if cols:
                w.problem(key, ", ".join(cols), tgt.var, "missing_column")
            w.out[tgt.var] = w.na(tgt.var).astype("Int64")
            continue
        block = w.data[present].apply(pd.to_numeric, errors="coerce")
        merged = block.max(axis=1, skipna=True).where(block.notna().any(axis=1))
        w.out[tgt.var] = merged.astype("Int64").rename(tgt.var)
    for code, var in src_by_code.items():
        if code not in used and var in w.data.columns:
            n = int((pd.to_numeric(w.data[var], errors="coerce") == 1).sum())
            if n:
                w.problem(key, var, None, "unmapped_code", code, n)


def _item(w: _Work, key: str) -> str | None:
    """Harmonise one target key; return the key if it is left NA."""
    tgts = w.xw.target.variables_of(key)
    entry = w.xw.entry(key)
    if entry is None and w.xw.status(key) == "identical":
        entry = CrosswalkItem.model_validate({"from": key, "status": "identical"})
    if entry is None or entry.status in ("new", "not_comparable") or entry.from_ is None:
        for tgt in tgts:
            w.out[tgt.var] = w.na(tgt.var)
        return key
    srcs = w.xw.source.variables_of(entry.from_)
    if tgts[0].type == "multi":
        _multi(w, key, entry, srcs, tgts)
    else:
        _single(w, key, entry, srcs[0], tgts[0])
    return None


def apply_crosswalk(crosswalk: Crosswalk, data: pd.DataFrame) -> CrosswalkResult:
    """Recode a DataFrame of the crosswalk's source version into its target coding.

    Parameters
    ----------
    crosswalk : Crosswalk
        From :func:`surveykit.load_crosswalk`.
    data : pandas.DataFrame
        Columns named by the source version's ``var`` (multi-selects as ``var__code``).
        It is not modified.

    Returns
    -------
    CrosswalkResult
        ``data`` in the target coding, ``report`` of codes that could not be mapped,
        ``not_harmonised`` keys and ``trend_breaks``.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    >>> old = pd.DataFrame({"impression5": [1, 3, 5, 98]})
    >>> xw.apply(old).data["impression7"].tolist()
    [1.0, 4.0, 7.0, 98.0]

    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"'data' must be a pandas DataFrame (got {type(data).__name__}).")
    work = _Work(crosswalk, data, {}, [])
    left = [key for key in crosswalk.target.item_keys if _item(work, key) is not None]
    item_columns = set(crosswalk.source.data_columns) | set(crosswalk.source.multi_options)
    passthrough = [c for c in data.columns if c not in item_columns and c not in work.out]
    frame = pd.concat([data[passthrough], pd.DataFrame(work.out, index=data.index)], axis=1)
    report = pd.DataFrame(work.report, columns=_REPORT_COLUMNS, dtype=object)
    report["count"] = report["count"].astype("int64")
    return CrosswalkResult(frame, report, tuple(left), tuple(crosswalk.trend_breaks))
