"""Banner tables in the appendix: one table per question under a "Krysstabeller" section.

Each question becomes a :class:`FormattedTable` whose header has three rows (the banner
variable over its columns, the category, the column letter), which the HTML and Word
renderers draw as a spanning heading. In HTML and Word a figure and its letters share a
cell (``"34 BC"``), as printed market-research tables set them; the numbers behind the
table (``numeric``, what the Excel renderer writes) keep the letters in a column of their
own, so every figure stays a number. The section opens with the table's notes once; each
table carries a one-line legend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from surveykit.reporting._banner_grid import (
    BannerColumn,
    BannerQuestion,
    banner_columns,
    banner_groups,
    banner_legend,
    banner_notes,
    banner_questions,
    cell_number,
    is_percent,
)
from surveykit.reporting._format import SUPPRESSED, check_language, format_number
from surveykit.reporting._formatted import FormattedTable
from surveykit.reporting._vocabulary import term

if TYPE_CHECKING:
    from surveykit.banner import BannerTable
    from surveykit.reporting._appendix import Appendix, Section

__all__ = ["add_banner_section", "banner_tables"]

#: decimals shown per row kind (percentages, bases and NPS whole; means two)
DIGITS = {"mean": 2}
#: Excel number format per row kind in the appendix workbook
ROW_FORMATS = {"base_unweighted": "#,##0", "base_weighted": "#,##0", "mean": "0.00",
               "nps": "0", "category": "0%", "net": "0%", "option": "0%"}


def _column_name(col: BannerColumn) -> str:
    return f"{col.category} ({col.letter})" if col.letter else col.heading


def _shown(value: float | None, kind: str, letters: str, small: bool, hidden: bool,
           lang: str) -> str:
    """Return the text of one cell: the figure, then ``*`` (small base) or its letters."""
    if hidden:
        return SUPPRESSED
    if value is None:
        return ""
    text = format_number(value, DIGITS.get(kind, 0), lang)
    mark = "*" if small and kind == "base_unweighted" else letters
    return f"{text}\u00a0{mark}" if mark else text


def _header_rows(cols: tuple[BannerColumn, ...]) -> list[list[tuple[str, int, str]]]:
    """Spanning banner headings, then categories, then letters (text, span, class)."""
    groups = [("", 1, "")] + [(head, span, "span grp" if span > 1 else "span")
                              for head, _, span in banner_groups(cols)]
    cats = [("", 1, "")] + [(c.category, 1, "span" if " " in c.category else "span nowrap")
                            for c in cols]
    letters = [("", 1, "")] + [(c.letter, 1, "span letter") for c in cols]
    return [groups, cats, letters]


def _question_table(q: BannerQuestion, cols: tuple[BannerColumn, ...], legend: str,
                    lang: str) -> FormattedTable:
    label = term("bannertable.question", lang)
    names = [_column_name(c) for c in cols]
    display: dict[str, list[str]] = {label: [r.label for r in q.rows]}
    numeric: dict[str, list[object]] = {label: [r.label for r in q.rows]}
    for j, name in enumerate(names):
        display[name], numeric[name] = [], []
        side = term("bannertable.letters_column", lang, letter=cols[j].letter)
        if cols[j].letter:
            numeric[side] = []
        for r in q.rows:
            cell = r.cells[j]
            value = cell_number(cell)
            display[name].append(_shown(value, r.kind, cell.letters, q.small[j],
                                        cell.suppressed, lang))
            scale = 0.01 if is_percent(r.kind) else 1.0
            numeric[name].append(math.nan if value is None else value * scale)
            if cols[j].letter:
                numeric[side].append("*" if q.small[j] and r.kind == "base_unweighted"
                                     and not cell.suppressed else cell.letters)
    starts = {first for _, first, _ in banner_groups(cols)}
    extra: dict[str, object] = {
        "header_rows": _header_rows(cols),
        "column_classes": [""] + ["gstart" if j in starts and j else "" for j in
                                  range(len(cols))],
        "row_classes": ["base" if r.kind.startswith("base") else "net" if r.kind == "net"
                        else "" for r in q.rows],
        "row_formats": [ROW_FORMATS.get(r.kind, "0.00") for r in q.rows],
    }
    return FormattedTable(
        display=pd.DataFrame(display), numeric=pd.DataFrame(numeric),
        number_formats={n: "0%" for n in names}, numeric_columns=tuple(names),
        suppressed=np.zeros(len(q.rows), dtype=bool), caption=q.label, notes=(legend,),
        language=lang, extra=extra)


def banner_tables(table: BannerTable) -> list[FormattedTable]:
    r"""Return one report table per question of a banner table, in its order.

    Parameters
    ----------
    table : BannerTable
        From :func:`surveykit.banner`; its language sets headings, numbers and notes.

    Returns
    -------
    list of FormattedTable
        Captioned with the question's label, with a one-line legend as note.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> bt = sk.banner(d, rows=["sch.wide"], banner=["stype"], language="en")
    >>> ft = banner_tables(bt)[0]
    >>> list(ft.display.columns)
    ['Question', 'Total', 'E (A)', 'H (B)', 'M (C)']
    >>> ft.display.iloc[2].tolist()  # "No": H and M are higher than E (A)
    ['No', '17', '9', '48\xa0A', '30\xa0A']
    >>> float(ft.numeric.loc[2, "H (B)"]), ft.numeric.loc[2, "B: higher than"]
    (0.48, 'A')

    """
    lang = check_language(table.language)
    cols = banner_columns(table)
    return [_question_table(q, cols, banner_legend(table, [q]), lang)
            for q in banner_questions(table)]


def add_banner_section(app: Appendix, table: BannerTable, *, title: str | None = None,
                       notes: Sequence[str] = (), level: int = 1) -> Section:
    """Add a "Krysstabeller" / "Banner tables" section: the notes, then a table per question.

    Parameters
    ----------
    app : surveykit.reporting.Appendix
        The appendix to extend (its language should be the table's).
    table : BannerTable
        From :func:`surveykit.banner`.
    title : str, optional
        Section title (default "Krysstabeller" / "Banner tables").
    notes : sequence of str
        Paragraphs after the table's own notes (e.g. which wave the tables cover).
    level : int, default 1
        Heading level of the section.

    Returns
    -------
    Section
        The new section.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> bt = sk.banner(d, rows=["sch.wide", "api00"], banner=["stype"], language="en")
    >>> app = sk.report.Appendix("Appendix", language="en")
    >>> sec = add_banner_section(app, bt)
    >>> sec.title, [e.item.caption for e in app.outline() if e.kind == "table"]
    ('Banner tables', ['sch.wide', 'api00'])

    """
    lang = check_language(table.language)
    sec = app.section(title or term("bannertable.title", lang), level=level)
    sec.text(term("bannertable.intro", lang))
    for note in banner_notes(table, extra=notes):
        sec.text(note)
    for ft in banner_tables(table):
        sec.table(ft)
    return sec
