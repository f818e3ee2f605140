"""Quality flags: speeders, straightlining, attention checks, duplicates, partial completes.

Flags are report rows with severity ``"flag"``; they never delete rows (see
``Responses.exclude``). Everything is vectorised over rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit.ingestion._report import problems

__all__ = ["quality_flags"]

#: a respondent is a speeder when the total duration is below this share of the median
SPEEDER_SHARE = 0.5


def quality_flags(
    inst: Any, typed: pd.DataFrame, meta_cols: pd.DataFrame, ids: pd.Series,
    identifiers: dict[str, pd.Series], shown: dict[str, np.ndarray],
) -> list[pd.DataFrame]:
    """All quality flags for the typed data (``meta_cols``: duration_s, complete...)."""
    out = []
    out += _speeders(meta_cols, ids)
    out += _straightlining(inst, typed, ids)
    out += _attention(inst, typed, ids, shown)
    out += _duplicate_identifiers(identifiers, ids)
    out += _duplicate_answers(inst, typed, ids)
    if "complete" in meta_cols.columns:
        partial = (meta_cols["complete"] == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
        pos = np.flatnonzero(partial)
        out.append(problems("partial", "flag", "complete", pos, None,
                            "partial response (not completed)", respondent_ids=ids))
    return out


def _speeders(meta_cols: pd.DataFrame, ids: pd.Series) -> list[pd.DataFrame]:
    if "duration_s" not in meta_cols.columns:
        return []
    d = meta_cols["duration_s"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(d).all():
        return []
    limit = SPEEDER_SHARE * float(np.nanmedian(d))
    pos = np.flatnonzero(d < limit)
    return [problems("speeder", "flag", "duration_s", pos, d[pos],
                     f"total duration under half the median ({limit:.1f} s)", respondent_ids=ids)]


def _straightlining(inst: Any, typed: pd.DataFrame, ids: pd.Series) -> list[pd.DataFrame]:
    out = []
    for item in inst.items:
        if item.type != "grid" or not (item.quality and item.quality.straightlining):
            continue
        rows = [r.var for r in item.rows or ()]
        if len(rows) < 2:
            continue
        missing = list(inst.choice_lists[item.choices].missing_codes)
        codes, cats = _grid_codes(typed, rows)
        first = codes[0]
        flag = (first >= 0) & ~np.isin(first, cats.get_indexer(pd.Index(missing, dtype=object)))
        for other in codes[1:]:
            flag &= other == first
        pos = np.flatnonzero(flag)
        out.append(problems("straightlining", "flag", item.id, pos,
                            cats.to_numpy(dtype=object)[first[pos]],
                            f"the same answer on all {len(rows)} rows of grid {item.id!r}",
                            respondent_ids=ids))
    return out


def _grid_codes(typed: pd.DataFrame, rows: list[str]) -> tuple[list[np.ndarray], pd.Index]:
    """Category positions (-1 blank) of each grid row's column, and the shared categories.

    The rows of a grid share one choice list, so equal positions are equal answers. One
    array per grid row: comparing whole columns is faster than a rows x grid-rows matrix.
    """
    cats = typed[rows[0]].cat.categories
    codes = []
    for r in rows:
        col = typed[r].cat.set_categories(cats) if not typed[r].cat.categories.equals(cats) \
            else typed[r]
        codes.append(col.cat.codes.to_numpy())
    return codes, cats


def _attention(inst: Any, typed: pd.DataFrame, ids: pd.Series,
               shown: dict[str, np.ndarray]) -> list[pd.DataFrame]:
    out = []
    for v in inst.variables:
        if "attention_check" not in v.role or v.expected is None:
            continue
        s = typed[v.var]
        rel = shown.get(v.item.id, np.ones(len(s), dtype=bool))
        ok = (s.astype(object) == v.expected).fillna(False).to_numpy(dtype=bool)
        pos = np.flatnonzero(rel & ~ok)
        out.append(problems("attention_check", "flag", v.var, pos, s.to_numpy(dtype=object)[pos],
                            f"attention check failed (expected {v.expected!r})",
                            respondent_ids=ids))
    return out


def _first_rows(key: pd.Series) -> np.ndarray:
    """For each row, the 1-based row of the first row with the same key."""
    first = pd.Series(np.arange(len(key)), index=key.index).groupby(key.to_numpy()).transform("min")
    return first.to_numpy() + 1


def _duplicate_identifiers(identifiers: dict[str, pd.Series], ids: pd.Series) -> list[pd.DataFrame]:
    out = []
    for name, values in identifiers.items():
        key = values.astype("string").str.strip().str.casefold()
        key = key.mask(key == "")
        dup = key.duplicated(keep="first").to_numpy() & key.notna().to_numpy()
        if not dup.any():
            continue
        pos = np.flatnonzero(dup)
        first = _first_rows(key.fillna("")).astype(str)[pos]
        out.append(problems("duplicate_identifier", "flag", name, pos, None,
                            pd.Series(first, dtype=object).radd(f"same {name} as row ").tolist(),
                            respondent_ids=ids))
    return out


def _duplicate_answers(inst: Any, typed: pd.DataFrame, ids: pd.Series) -> list[pd.DataFrame]:
    cols = [v.var for v in inst.variables if "identifier" not in v.role]
    block = typed[cols]
    empty = block.isna().all(axis=1).to_numpy()
    h = pd.util.hash_pandas_object(block, index=False)
    dup = h.duplicated(keep="first").to_numpy() & ~empty
    if not dup.any():
        return []
    pos = np.flatnonzero(dup)
    first = _first_rows(h).astype(str)[pos]
    return [problems("duplicate_answers", "flag", None, pos, None,
                     pd.Series(first, dtype=object).radd("same answers as row ").tolist(),
                     respondent_ids=ids)]
