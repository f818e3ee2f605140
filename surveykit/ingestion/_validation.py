"""Validation rules, vectorised over rows: structure, values, multi-select and skip logic.

Each rule returns report rows (see :func:`surveykit.ingestion._report.problems`); nothing
here changes the data except :func:`apply_skip_logic`, which turns the 0s of multi-select
options into NA where the item was not shown (a platform artefact, not an answer).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from surveykit.ingestion._distinct import spread
from surveykit.ingestion._report import problems

__all__ = ["apply_skip_logic", "structure_rules", "value_rules"]


def structure_rules(
    inst: Any, missing: Iterable[str], unknown: Iterable[str], duplicates: Iterable[str],
    ids: pd.Series | None,
) -> list[pd.DataFrame]:
    """Missing and unknown columns, duplicate column names, unique respondent ids."""
    out = []
    multi = inst.multi_options
    missing = list(missing)
    whole = {var for var, codes in multi.items()
             if all(f"{var}__{c}" in missing for c in codes)}
    for var in sorted(whole):
        out.append(problems("missing_column", "error", var, None, None,
                            f"no column for multi-select {var!r} (expected {var!r} packed, "
                            f"or {var}__<code> / {var}.<code> columns)"))
    idents = {v.var for v in inst.variables if "identifier" in v.role}
    for col in missing:
        if col.split("__")[0] in whole and "__" in col:
            continue
        if col in idents:
            out.append(problems("missing_column", "info", col, None, None,
                                f"identifier item {col!r} is not in the file (identifiers are "
                                "often removed before files are shared)"))
            continue
        out.append(problems("missing_column", "error", col, None, None,
                            f"the file has no column for instrument variable {col!r}; map it "
                            "in the deployment file's 'columns' if it is named differently"))
    for col in unknown:
        out.append(problems("unknown_column", "warning", col, None, None,
                            f"column {col!r} is not an instrument variable and was not read; "
                            "map it in the deployment file or list it under 'ignore'"))
    for col in duplicates:
        out.append(problems("duplicate_column", "error", col, None, None,
                            f"column name {col!r} occurs more than once; only the first was "
                            "read. Rename the copies in the export"))
    if ids is not None:
        dup = ids.duplicated(keep=False).to_numpy() & ids.notna().to_numpy()
        pos = np.flatnonzero(dup)
        out.append(problems("duplicate_id", "error", "respondent_id", pos, ids.to_numpy()[pos],
                            "respondent id occurs on more than one row", respondent_ids=ids))
    return out


def code_view(typed: pd.DataFrame, read: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the data with categoricals of codes as plain codes, for the expression evaluator.

    (``Instrument.evaluate`` cannot cast a categorical of integer codes that holds NA.)
    Only the columns in ``read`` (default: all) are converted: those the expressions read.
    """
    wanted = typed.columns if read is None else [c for c in typed.columns if c in set(read)]
    cats = [c for c in wanted if isinstance(typed[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return typed
    return typed.assign(**{c: _plain_codes(typed[c]) for c in cats})


def _plain_codes(s: pd.Series) -> pd.Series:
    """Return a categorical's values as ``Float64`` (numeric categories) or objects."""
    at = s.cat.codes.to_numpy()
    cats = s.cat.categories
    if cats.dtype.kind in "iuf":
        values = spread(cats.to_numpy(dtype="float64"), at, np.nan)
        return pd.Series(pd.arrays.FloatingArray(np.nan_to_num(values), at < 0), index=s.index)
    return pd.Series(spread(cats.to_numpy(dtype=object), at, np.nan), index=s.index,
                     dtype=object)


def _read_by(expressions: list[tuple[str, str | None]]) -> set[str]:
    """Variables that expressions read: their ``${var}`` and the current item's own var."""
    from surveykit.instruments import parse_expression

    read: set[str] = set()
    for text, current in expressions:
        read.update(parse_expression(text).references)
        if current:
            read.add(current)
    return read


def relevance(inst: Any, typed: pd.DataFrame) -> dict[str, np.ndarray]:
    """``{item id: bool array}``: where each item with a ``relevant`` expression was shown."""
    out: dict[str, np.ndarray] = {}
    view = code_view(typed, _read_by([(i.relevant, None) for i in inst.items if i.relevant]))
    for item in inst.items:
        if item.relevant:
            out[item.id] = inst.evaluate(item.relevant, view).to_numpy(dtype=bool)
    return out


def apply_skip_logic(
    inst: Any, typed: pd.DataFrame, shown: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Set multi-select options to NA on rows where the item was not shown and nothing chosen."""
    out = typed
    for item in inst.items:
        if item.type != "multi" or item.id not in shown or not item.var:
            continue
        cols = [f"{item.var}__{c}" for c in inst.multi_options[item.var]]
        none = (typed[cols].fillna(0).to_numpy(dtype=float) == 0).all(axis=1)
        hide = ~shown[item.id] & none
        if hide.any():  # new columns for these options; the others are shared, not copied
            out = out.copy(deep=False) if out is typed else out
            for col in cols:
                out[col] = typed[col].mask(hide)
    return out


def answered(inst: Any, item: Any, typed: pd.DataFrame, present: dict[str, np.ndarray]
             ) -> dict[str, np.ndarray]:
    """``{var: bool}``: cells holding an answer (a wild code counts as an answer)."""
    if item.type == "multi":
        cols = [f"{item.var}__{c}" for c in inst.multi_options[item.var]]
        return {item.var: (typed[cols].fillna(0).to_numpy(dtype=float) == 1).any(axis=1)}
    vars_ = [r.var for r in item.rows or ()] if item.type == "grid" else [item.var]
    return {v: present[v] for v in vars_}


def value_rules(
    inst: Any, typed: pd.DataFrame, present: dict[str, np.ndarray],
    shown: dict[str, np.ndarray], ids: pd.Series,
) -> list[pd.DataFrame]:
    """Constraints, text length, multi-select rules, skip logic and missing codes."""
    out: list[pd.DataFrame] = []
    n = len(typed)
    view = code_view(typed, _read_by([(i.constraint, i.var) for i in inst.items
                                      if isinstance(i.constraint, str)]))
    for item in inst.items:
        rel = shown.get(item.id, np.ones(n, dtype=bool))
        ans = answered(inst, item, typed, present)
        for var, a in ans.items():
            out += _skip(item, var, typed, a, rel, ids, inst)
        if item.type == "multi":
            out += _multi_rules(inst, item, typed, ids)
        elif item.type in ("integer", "decimal", "date", "single", "text") and item.var:
            out += _constraint(inst, item, typed, view, ids)
        if item.type == "text" and item.max_length and item.var:
            s = typed[item.var]
            long = (s.str.len() > item.max_length).fillna(False).to_numpy(dtype=bool)
            pos = np.flatnonzero(long)
            out.append(problems("text_length", "error", item.var, pos, s.str.len().to_numpy()[pos],
                                f"answer longer than max_length {item.max_length}",
                                respondent_ids=ids))
    return out


def _skip(item: Any, var: str, typed: pd.DataFrame, ans: np.ndarray, rel: np.ndarray,
          ids: pd.Series, inst: Any) -> list[pd.DataFrame]:
    out = []
    pos = np.flatnonzero(ans & ~rel)
    if len(pos):
        values = typed[var].iloc[pos].to_numpy(dtype=object) if var in typed.columns else None
        out.append(problems("not_relevant", "warning", var, pos, values,
                            f"answered although not relevant ({item.relevant})",
                            respondent_ids=ids))
    if item.required:
        pos = np.flatnonzero(rel & ~ans)
        out.append(problems("required", "error", var, pos, None,
                            "required and relevant but empty", respondent_ids=ids))
    elif item.choices and inst.choice_lists[item.choices].missing and item.type != "multi":
        pos = np.flatnonzero(rel & ~ans)
        codes = ", ".join(map(str, inst.choice_lists[item.choices].missing_codes))
        out.append(problems("missing_code", "warning", var, pos, None,
                            f"blank, but the choice list declares explicit missing codes ({codes})",
                            respondent_ids=ids))
    return out


def _multi_rules(inst: Any, item: Any, typed: pd.DataFrame, ids: pd.Series) -> list[pd.DataFrame]:
    out = []
    choices = inst.choice_lists[item.choices]
    codes = inst.multi_options[item.var]
    sel = typed[[f"{item.var}__{c}" for c in codes]].fillna(0).to_numpy(dtype=float) == 1
    count = sel.sum(axis=1)
    exclusive = [o.code for o in choices.options if o.exclusive] + list(choices.missing_codes)
    for code in exclusive:
        k = list(codes).index(code)
        pos = np.flatnonzero(sel[:, k] & (count > 1))
        out.append(problems("exclusive", "error", item.var, pos, count[pos],
                            f"exclusive option {code!r} combined with other options",
                            respondent_ids=ids))
    if item.min_selected:
        pos = np.flatnonzero((count > 0) & (count < item.min_selected))
        out.append(problems("min_selected", "error", item.var, pos, count[pos],
                            f"fewer than {item.min_selected} options selected", respondent_ids=ids))
    if item.max_selected:
        pos = np.flatnonzero(count > item.max_selected)
        out.append(problems("max_selected", "error", item.var, pos, count[pos],
                            f"more than {item.max_selected} options selected", respondent_ids=ids))
    return out


def _constraint(inst: Any, item: Any, typed: pd.DataFrame, view: pd.DataFrame, ids: pd.Series
                ) -> list[pd.DataFrame]:
    c = item.constraint
    if c is None:
        return []
    s = typed[item.var]
    if isinstance(c, str):
        answered_ = s.notna().to_numpy()
        ok = inst.evaluate(c, view, current=item.var).to_numpy(dtype=bool)
        fail = answered_ & ~ok
        bound = c
    else:
        num = _as_float(s)
        fail = np.zeros(len(s), dtype=bool)
        if c.min is not None:
            fail |= num < c.min
        if c.max is not None:
            fail |= num > c.max
        bound = f"{c.min} to {c.max}"
    codes = list(inst.choice_lists[item.choices].missing_codes) if item.choices else []
    if codes:
        fail &= ~s.astype(object).isin(codes).to_numpy(dtype=bool)
    pos = np.flatnonzero(fail)
    screener = "screener" in item.role
    rule, sev = ("out_of_universe", "flag") if screener else ("constraint", "error")
    msg = (f"screener answer outside the universe ({bound})" if screener
           else f"breaks the constraint {bound}")
    return [problems(rule, sev, item.var, pos, s.iloc[pos].to_numpy(dtype=object), msg,
                     respondent_ids=ids)]


def _as_float(s: pd.Series) -> np.ndarray:
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if s.dtype.kind == "M" or isinstance(s.dtype, pd.DatetimeTZDtype):
        return np.full(len(s), np.nan)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
