"""The banner's columns: each banner variable's categories, labels, letters and bases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns
from surveykit._xlsx_package import column_letter
from surveykit.banner._rows import code_label, text_in
from surveykit.banner._table import COLUMN_COLUMNS
from surveykit.banner._waves import WAVE, WaveColumns
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.instruments import Instrument

__all__ = ["TOTAL", "BannerVariable", "columns_frame", "resolve_banner"]

Design = SurveyDesign | ReplicateDesign
#: ``banner_variable`` of the total column
TOTAL = "total"
TOTAL_LABEL = {"nb": "Totalt", "en": "Total"}


@dataclass(frozen=True, eq=False)
class BannerVariable:
    """One banner variable: its column position per row (-1: in no column) and its labels."""

    name: str
    label: str
    categories: tuple[str, ...]
    letters: tuple[str, ...]
    position: np.ndarray

    @property
    def size(self) -> int:
        """Number of columns."""
        return len(self.categories)


def _codes_and_labels(design: Design, name: str, instrument: Instrument | None,
                      language: str) -> tuple[list[object], list[str], str]:
    values = design.data[name]
    if instrument is not None and name in instrument.data_columns:
        var = instrument.variable(name)
        if var.choices is not None and var.option is None:
            codes: list[object] = list(var.choices.codes)
            labels = [text_in(o.label, language, str(o.code)) for o in var.choices.options]
            return codes, labels, text_in(var.text, language, name)
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = list(values.cat.categories)
    else:
        found = pd.unique(values.dropna())
        try:
            codes = sorted(found)
        except TypeError:
            codes = sorted(found, key=str)
    return codes, [code_label(c) for c in codes], name


def _inside(design: Design) -> np.ndarray:
    return np.ones(design.n, dtype=bool) if design.domain is None else design.domain


def _variable(design: Design, name: str, instrument: Instrument | None,
              language: str) -> BannerVariable:
    """Return a banner variable with the codes someone in the design belongs to."""
    codes, labels, label = _codes_and_labels(design, name, instrument, language)
    index = pd.Index(codes)
    position = (np.asarray(index.get_indexer(pd.Index(design.data[name])), dtype=np.int64)
                if len(codes) else np.full(design.n, -1, dtype=np.int64))
    # a code nobody in the design has (e.g. one the universe leaves out) is no column
    inside = position[_inside(design) & (position >= 0)]
    kept = np.flatnonzero(np.bincount(inside, minlength=len(codes)) > 0)
    renumber = np.full(len(codes) + 1, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    return BannerVariable(name, label, tuple(labels[i] for i in kept), (),
                          renumber[position])


def resolve_banner(design: Design, banner: str | Sequence[str], instrument: Instrument | None,
                   language: str, waves: WaveColumns | None = None
                   ) -> list[BannerVariable | WaveColumns]:
    """Banner variables with their columns; letters run A, B, C... across the whole banner.

    With an instrument, a banner variable's columns are its substantive codes in the
    instrument's order (missing codes and unlisted values are in no column); otherwise the
    categories of a categorical column or the sorted distinct values. A category nobody in
    the design belongs to is left out before the letters are given, so the letters of the
    columns shown run without gaps. ``waves`` places the wave columns where ``banner``
    names ``"wave"``, else last.
    """
    names = as_column_list("banner", banner)
    if not names:
        raise ValueError("'banner' must name at least one column.")
    if len(set(names)) != len(names):
        raise ValueError(f"'banner' names a column twice: {names!r}.")
    if waves is not None and WAVE not in names:
        names = [*names, WAVE]
    check_columns("banner", design.data, [n for n in names if waves is None or n != WAVE])
    out: list[BannerVariable | WaveColumns] = []
    start = 0
    for name in names:
        item = (waves if waves is not None and name == WAVE
                else _variable(design, name, instrument, language))
        assert item is not None
        letters = tuple(column_letter(start + i + 1) for i in range(item.size))
        start += item.size
        out.append(replace(item, letters=letters))
    return out


def columns_frame(design: Design, variables: Sequence[BannerVariable | WaveColumns],
                  include_total: bool, min_base: int, language: str) -> pd.DataFrame:
    """One row per banner column with the bases of all its respondents.

    A wave column's bases are its wave's (every respondent of that wave's design).
    """
    w = design.analysis_weights()
    inside = _inside(design)
    rows = []
    if include_total:
        total = TOTAL_LABEL.get(language, "Total")
        n_all = int(inside.sum())
        rows.append((TOTAL, total, total, "", n_all, float(w[inside].sum()),
                     n_all < min_base))
    for bv in variables:
        if isinstance(bv, WaveColumns):
            n = np.array([int(_inside(d).sum()) for d in bv.designs])
            nw = np.array([float(d.analysis_weights()[_inside(d)].sum()) for d in bv.designs])
        else:
            pos = np.where(inside, bv.position, -1)
            n = np.bincount(pos[pos >= 0], minlength=bv.size)
            nw = np.bincount(pos[pos >= 0], weights=w[pos >= 0], minlength=bv.size)
        for i in range(bv.size):
            rows.append((bv.name, bv.label, bv.categories[i], bv.letters[i], int(n[i]),
                         float(nw[i]), bool(n[i] < min_base)))
    frame = pd.DataFrame(rows, columns=COLUMN_COLUMNS)
    return frame.astype({"base_unweighted": "int64", "base_weighted": "float64",
                         "small_base": "bool"})
