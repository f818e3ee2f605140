"""A banner table laid out for rendering: columns across, one block of rows per question.

A :class:`~surveykit.BannerTable` holds one tidy row per cell. The workbook, HTML and Word
renderers all show the same grid: the total column, then each banner variable's columns
with their letters; per question an unweighted and a weighted base row, then the category,
net, option, mean or NPS rows in the table's order. This module builds that grid once and
writes the notes every rendering carries (what the figures are, the test, the levels, the
adjustment, the minimum base, multiple choice and suppression).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit.reporting._format import check_language, format_number
from surveykit.reporting._vocabulary import term

if TYPE_CHECKING:
    from surveykit.banner import BannerTable

__all__ = [
    "BASE_KINDS",
    "BannerCell",
    "BannerColumn",
    "BannerQuestion",
    "BannerRow",
    "banner_columns",
    "banner_groups",
    "banner_legend",
    "banner_notes",
    "banner_questions",
    "cell_number",
    "is_percent",
]

#: row kinds of the two base rows every question starts with
BASE_KINDS = ("base_unweighted", "base_weighted")
#: row kinds whose estimate is a percentage (0-100)
PERCENT_KINDS = frozenset({"category", "net", "option"})
#: banner variable of the total column in the tidy frame
TOTAL = "total"


@dataclass(frozen=True)
class BannerColumn:
    """One column of the banner: its heading (banner variable), category, letter, base."""

    variable: str
    heading: str
    category: str
    letter: str


@dataclass(frozen=True)
class BannerCell:
    """One figure: its value (NaN when suppressed or not estimated) and its letters."""

    value: float
    letters: str = ""
    suppressed: bool = False


@dataclass(frozen=True)
class BannerRow:
    """A row of one question: its label, kind and one cell per banner column."""

    label: str
    kind: str
    cells: tuple[BannerCell, ...]


@dataclass(frozen=True)
class BannerQuestion:
    """One question's block: its variable, label, rows (bases first), small-base columns."""

    variable: str
    label: str
    rows: tuple[BannerRow, ...]
    small: tuple[bool, ...]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def banner_columns(bt: BannerTable) -> tuple[BannerColumn, ...]:
    """Return the columns in display order (the total first, when the table has one).

    The total column's heading is "Totalt"/"Total" in the table's language and it has no
    category of its own; every other column's heading is its banner variable's label. A
    category nobody belongs to (base 0) is left out; :func:`surveykit.banner` gives such a
    category no column in the first place, so its letters run without gaps.
    """
    lang = check_language(bt.language)
    out = []
    for r in bt.columns.to_dict("records"):
        variable = str(r["banner_variable"])
        if variable == TOTAL:
            out.append(BannerColumn(TOTAL, term("report.total", lang), "", ""))
        elif float(r["base_unweighted"]) > 0:  # a column nobody is in has nothing to show
            out.append(BannerColumn(variable, _text(r["banner_label"]),
                                    _text(r["banner_category"]), _text(r["column_letter"])))
    return tuple(out)


def banner_groups(columns: tuple[BannerColumn, ...]) -> list[tuple[str, int, int]]:
    """(heading, first column, number of columns) of each banner variable, in order."""
    out: list[tuple[str, int, int]] = []
    for j, col in enumerate(columns):
        if out and columns[out[-1][1]].variable == col.variable:
            head, first, span = out[-1]
            out[-1] = (head, first, span + 1)
        else:
            out.append((col.heading, j, 1))
    return out


def _row_label(kind: str, category: str, lang: str) -> str:
    if category:
        return category
    if kind == "mean":
        return term("bannertable.mean", lang)
    if kind == "nps":
        return term("bannertable.nps", lang)
    return ""


def _column_keys(part: pd.DataFrame) -> list[tuple[str, str]]:
    variables = part["banner_variable"].astype(str).to_numpy()
    categories = [_text(c) for c in part["banner_category"]]
    return [(TOTAL, "") if v == TOTAL else (v, c) for v, c in zip(variables, categories,
                                                                    strict=True)]


def _bases(part: pd.DataFrame, index: dict[tuple[str, str], int], width: int
           ) -> tuple[list[BannerCell], list[BannerCell], list[bool]]:
    """Per column: the question's unweighted and weighted base and its small-base flag.

    A column whose figures are suppressed has its bases suppressed too (the count is what
    the disclosure rule hides), as the appendix's other tables do.
    """
    unw, wtd = [math.nan] * width, [math.nan] * width
    small, hidden = [False] * width, [False] * width
    for key, b_u, b_w, flag, supp in zip(_column_keys(part), part["base_unweighted"],
                                         part["base_weighted"], part["small_base"],
                                         part["suppressed"], strict=True):
        j = index.get(key)
        if j is None:
            continue
        unw[j] = float(np.fmax(unw[j], float(b_u)))
        wtd[j] = float(np.fmax(wtd[j], float(b_w)))
        small[j] = small[j] or bool(flag)
        hidden[j] = hidden[j] or bool(supp)
    cells = [[BannerCell(math.nan, "", True) if h else BannerCell(v)
              for v, h in zip(values, hidden, strict=True)] for values in (unw, wtd)]
    return cells[0], cells[1], small


def _question(variable: str, part: pd.DataFrame, index: dict[tuple[str, str], int],
              width: int, lang: str) -> BannerQuestion:
    unw, wtd, small = _bases(part, index, width)
    rows = [BannerRow(term(f"bannertable.{k}", lang), k, tuple(cells))
            for k, cells in zip(BASE_KINDS, (unw, wtd), strict=True)]
    order: dict[tuple[str, str], list[BannerCell | None]] = {}
    keys = _column_keys(part)
    kinds = part["row_kind"].astype(str).to_numpy()
    cats = [_text(c) for c in part["row_category"]]
    for i, rec in enumerate(part[["estimate", "letters", "suppressed"]].itertuples(
            index=False, name=None)):
        cells = order.setdefault((kinds[i], cats[i]), [None] * width)
        j = index.get(keys[i])
        if j is not None:
            hidden = bool(rec[2])
            cells[j] = BannerCell(math.nan if hidden else float(rec[0]),
                                  "" if hidden else _text(rec[1]), hidden)
    for (kind, cat), cells in order.items():
        filled = tuple(c if c is not None else BannerCell(math.nan) for c in cells)
        rows.append(BannerRow(_row_label(kind, cat, lang), kind, filled))
    label = _text(part["row_label"].iloc[0]) or variable
    return BannerQuestion(variable, label, tuple(rows), tuple(small))


def banner_questions(bt: BannerTable) -> list[BannerQuestion]:
    """Return one block per row variable, in the table's order, with base rows first."""
    lang = check_language(bt.language)
    cols = banner_columns(bt)
    index = {(c.variable, "" if c.variable == TOTAL else c.category): j
             for j, c in enumerate(cols)}
    frame = bt.frame
    out = []
    for variable, part in frame.groupby("row_variable", sort=False):
        out.append(_question(str(variable), part, index, len(cols), lang))
    return out


def _alpha_text(level: float, lang: str) -> str:
    """Return the significance level of a confidence level as the report writes it."""
    alpha = round(1.0 - float(level), 6)
    return format_number(alpha, 3 if round(alpha, 2) != alpha else 2, lang)


def banner_notes(bt: BannerTable, *, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """Return the table's notes, then ``extra``, each once.

    The table's notes say what the figures are, the test, its levels and adjustment, the
    minimum base, multiple choice and suppression (see :class:`surveykit.BannerTable`).
    """
    out: list[str] = []
    for note in (*bt.notes, *extra):
        if note and str(note) not in out:
            out.append(str(note))
    return tuple(out)


def banner_legend(bt: BannerTable, questions: Sequence[BannerQuestion]) -> str:
    """One line under a table saying what its letters, ``*`` and ``":"`` mean.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> bt = SimpleNamespace(language="en", level=0.95, second_level=0.9, min_base=30,
    ...                      suppress_below=5)
    >>> banner_legend(bt, [])  # doctest: +ELLIPSIS
    'Letters: ... (upper case p < 0.05; lower case p < 0.10). * = base below 30, not tested.'

    """
    lang = check_language(bt.language)
    second = "" if bt.second_level is None else term(
        "bannertable.legend_second", lang, alpha=_alpha_text(bt.second_level, lang))
    hidden = any(c.suppressed for q in questions for r in q.rows for c in r.cells)
    suppressed = term("bannertable.legend_suppressed", lang,
                      k=bt.suppress_below) if hidden else ""
    return term("bannertable.legend", lang, alpha=_alpha_text(bt.level, lang), second=second,
                min_base=bt.min_base, suppressed=suppressed)


def is_percent(kind: str) -> bool:
    """Whether rows of ``kind`` hold percentages (0-100)."""
    return kind in PERCENT_KINDS


def cell_number(cell: BannerCell) -> Any:
    """Return the cell's value as a float, or None when it is suppressed or missing."""
    return None if cell.suppressed or not math.isfinite(cell.value) else cell.value
