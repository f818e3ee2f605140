"""Format a ComparisonTable: wave estimates, change, CI, adjusted p, bases, trend breaks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit._display import P_DIGITS
from surveykit.comparison import ComparisonTable
from surveykit.reporting._disclosure import suppression_mask
from surveykit.reporting._format import (
    SUPPRESSED,
    auto_digits,
    format_ci,
    format_number,
    format_p_value,
    text,
)
from surveykit.reporting._formatted import FormattedTable, ci_limit_headers
from surveykit.reporting._vocabulary import group

if TYPE_CHECKING:
    from surveykit.reporting._labels import Labeller

__all__ = ["comparison_table"]

SHARE_MEASURES = ("proportion", "top_box", "top_two_box")
_MEASURE_SUFFIX = {"mean_pomp": " (POMP 0–100)", "nps": " (NPS)", "top_box": " (top box)",
                   "top_two_box": " (top two box)"}
_ADJUST = {"bh": "Benjamini–Hochberg", "holm": "Holm", "bonferroni": "Bonferroni",
           "hochberg": "Hochberg", "hommel": "Hommel", "by": "Benjamini–Yekutieli",
           "none": None}
_T = {lang: group("comparison", lang) for lang in ("nb", "en")}


def _is_index(lab: Labeller, item: str) -> bool:
    return lab.instrument is not None and any(i.id == item for i in lab.instrument.indices)


def _item_var(lab: Labeller, item: str) -> str:
    """Return the data column of an item key (``grid.row`` keys via the instrument).

    An index keeps its own id even where a grid of the same id exists (``pulse``): the row
    estimates the index, and is labelled by the index's name and scale.
    """
    if lab.instrument is not None and item not in lab.extra and not _is_index(lab, item):
        try:
            return lab.instrument.variables_of(item)[0].var
        except ValueError:
            return item
    return item


def _item_label(lab: Labeller, item: str) -> str:
    """Label a row by what it estimates: index, question (once for a multi-select), row."""
    var = _item_var(lab, item)
    found = lab.instrument.variable(var) if var != item and lab.instrument is not None \
        else None
    if found is not None and found.option is not None:
        return str(found.item.text.get(lab.language, item))
    return lab.variable(var)


def _level_label(lab: Labeller, item: str, level: object) -> str:
    """Label of a category row; a multi-select option by its option label."""
    if pd.isna(level):  # type: ignore[call-overload]
        return ""
    var = _item_var(lab, item)
    if var != item and lab.instrument is not None:
        found = lab.instrument.variable(var)
        if found.option is not None:
            for v in lab.instrument.variables_of(item):
                if v.option is not None and str(v.option.code) == str(level):
                    return str(v.option.label.get(lab.language, level))
    return lab.value(var, level)


def _row_scale_digits(t: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    share = t["measure"].isin(SHARE_MEASURES).to_numpy()
    scale = np.where(share, 100.0, 1.0)
    digits = np.ones(len(t), dtype=int)
    for _, idx in t.groupby("item", sort=False).groups.items():
        rows = t.index.get_indexer(idx)
        if not share[rows].any() and (t["measure"].iloc[rows] == "mean").all():
            digits[rows] = auto_digits(t["estimate_a"].iloc[rows].to_numpy(float))
    return scale, digits


def _labels(t: pd.DataFrame, cmp: ComparisonTable, lab: Labeller) -> dict[str, list[str]]:
    h = _T[lab.language]
    out: dict[str, list[str]] = {}
    for b in cmp.by:
        out[lab.variable(b)] = lab.values(b, t[b].tolist())
    flags = t["flags"].fillna("").astype(str)
    mark = np.where(flags.str.contains("trend_break"), " †",
                    np.where(flags.str.contains("approximate"), " ‡", ""))
    items = t["item"].astype(str).tolist()
    unit = t["measure"].map(_MEASURE_SUFFIX).fillna("").tolist()
    out[h["item"]] = [_item_label(lab, i) + u + m
                      for i, u, m in zip(items, unit, mark, strict=True)]
    if t["level"].notna().any():
        out[text("level", lab.language)] = [
            _level_label(lab, i, lv) for i, lv in zip(items, t["level"], strict=True)]
    return out


def _notes(t: pd.DataFrame, cmp: ComparisonTable, lab: Labeller) -> list[str]:
    h = _T[lab.language]
    flags = t["flags"].fillna("").astype(str)
    notes = []
    seen: set[str] = set()
    for flag, key in (("trend_break", "break"), ("approximate", "approx")):
        items = [i for i in t.loc[flags.str.contains(flag), "item"].astype(str).unique()
                 if i not in seen]
        seen.update(items)
        if items:
            notes.append(h[key].format(items=", ".join(_item_label(lab, i) for i in items)))
    refused = t.loc[~t["comparable"].astype(bool)]
    if len(refused):
        # the reasons come from the crosswalk as written (English): an nb table names the
        # items only, and the reasons stay in the table's data (the Excel sheet, the CSV)
        parts = [f"{_item_label(lab, str(r.item))} ({r.note!s})"
                 if r.note and lab.language == "en" else _item_label(lab, str(r.item))
                 for r in refused.itertuples()]
        notes.append(h["refused"].format(items="; ".join(dict.fromkeys(parts))))
    method = _ADJUST.get(cmp.adjust, cmp.adjust)
    if method:
        notes.append(h["adjust"].format(method=method))
    if t["measure"].isin(SHARE_MEASURES).any():
        notes.append(h["pp"])
    return notes


def comparison_table(cmp: ComparisonTable, lab: Labeller, *, suppress_below: int,
                     show_ci: bool, caption: str | None) -> FormattedTable:
    """Display and numeric frames of a wave comparison (see :func:`table`)."""
    lang = lab.language
    h = _T[lang]
    t = cmp.to_frame().reset_index(drop=True)
    wa, wb = cmp.waves[0], cmp.waves[-1]
    scale, digits = _row_scale_digits(t)
    base = np.fmin(t["n_a"].to_numpy(float), t["n_b"].to_numpy(float))
    hidden = suppression_mask(pd.DataFrame({"n": base}), "n", suppress_below)
    comparable = t["comparable"].astype(bool).to_numpy()
    cols: dict[str, Any] = {wa: t["estimate_a"].to_numpy(float) * scale,
                            wb: t["estimate_b"].to_numpy(float) * scale,
                            h["change"]: t["difference"].to_numpy(float) * scale}
    shown = {k: [format_number(v, d, lang) for v, d in zip(x, digits, strict=True)]
             for k, x in cols.items()}
    shown[h["change"]] = [s if ok else h["not"] for s, ok in
                          zip(shown[h["change"]], comparable, strict=True)]
    lo, hi = t["ci_low"].to_numpy(float) * scale, t["ci_high"].to_numpy(float) * scale
    if show_ci:
        shown[h["ci"]] = [format_ci(a, b, d, lang) for a, b, d in
                          zip(lo, hi, digits, strict=True)]
        low_name, high_name = ci_limit_headers(h["ci"], lang)
        cols[low_name], cols[high_name] = lo, hi
    shown[text("p_adjusted", lang)] = [format_p_value(p, lang) for p in t["p_adjusted"]]
    cols[text("p_adjusted", lang)] = t["p_adjusted"].to_numpy(float)
    for w, c in ((wa, "n_a"), (wb, "n_b")):
        shown[f"n {w}"] = [format_number(v, 0, lang) for v in t[c].to_numpy(float)]
        cols[f"n {w}"] = t[c].to_numpy(float)
    labels = _labels(t, cmp, lab)
    display = pd.DataFrame({**labels, **shown})
    display.loc[hidden, list(shown)] = SUPPRESSED
    numeric = pd.DataFrame({**labels, **cols})
    numeric.loc[hidden, list(cols)] = np.nan
    formats = {k: ("0." + "0" * P_DIGITS if k == text("p_adjusted", lang) else
                   "#,##0" if k.startswith("n ") else "#,##0.0##") for k in cols}
    notes = _notes(t, cmp, lab)
    if hidden.any():
        notes.insert(0, text("suppressed_note", lang, k=suppress_below))
    cap = caption if caption is not None else (f"Endring {wa}–{wb}" if lang == "nb"
                                               else f"Change {wa}–{wb}")
    return FormattedTable(display=display, numeric=numeric, number_formats=formats,
                          numeric_columns=tuple(shown), suppressed=hidden, caption=cap,
                          notes=tuple(notes), language=lang)
