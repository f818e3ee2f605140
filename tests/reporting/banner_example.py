"""A banner table built by hand from a tidy frame, with every kind of row and column state.

Questions: a Likert item (categories, a net), a mean, a multi-select set (options) and an
NPS row whose label starts with "=" (a spreadsheet must keep it as text). Columns: the
total, a municipality banner with a column nobody is in (base 0), a sex banner whose third
column is a small base and, for the NPS row, suppressed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from surveykit import BannerTable

#: (banner_variable, banner_label, banner_category, column_letter, base)
COLUMNS = [("total", "Totalt", "Totalt", "", 1200),
           ("municipality", "Kommune", "Hamar", "A", 500),
           ("municipality", "Kommune", "Ringsaker", "B", 450),
           ("municipality", "Kommune", "Annen kommune", "C", 0),
           ("municipality", "Kommune", "Stange", "D", 250),
           ("sex", "Kjønn", "Mann", "E", 560),
           ("sex", "Kjønn", "Kvinne", "F", 620),
           ("sex", "Kjønn", "Annet kjønn", "G", 20)]
#: (row_variable, row_label, row_kind, row_category)
ROWS = [("impression", "Inntrykk av regionen", "category", "Godt"),
        ("impression", "Inntrykk av regionen", "category", "Dårlig"),
        ("impression", "Inntrykk av regionen", "net", "Topp 2 (netto)"),
        ("impression", "Inntrykk av regionen", "mean", ""),
        ("concepts", "Kjente møteplasser", "option", "Kafé"),
        ("concepts", "Kjente møteplasser", "option", "Bibliotek"),
        ("recommend", "=Anbefale å bo", "nps", "")]
#: letters of a few cells: (row index, column letter) -> letters
LETTERS = {(0, "A"): "Bd", (2, "E"): "F", (3, "B"): "a", (6, "A"): "D"}
NOTES = ("Vektede prosent og gjennomsnitt; baser er uvektede antall svar.",
         "Bokstaver viser kolonner som er signifikant høyere.",
         "Kolonner med færre enn 30 svar (merket *) vises, men testes ikke.")


def _estimate(i: int, j: int, kind: str) -> float:
    base = {"category": 20.0, "net": 60.0, "option": 30.0, "mean": 4.0, "nps": -10.0}[kind]
    return base + i + j / 4


def _cell(i: int, j: int) -> dict[str, object]:
    rv, rl, kind, cat = ROWS[i]
    bv, bl, bc, letter, base = COLUMNS[j]
    if rv == "recommend" and bc == "Annet kjønn":
        base = 3  # below the disclosure threshold of 5: suppressed
    hidden = 0 < base < 5
    empty = base == 0
    est = np.nan if hidden or empty else _estimate(i, j, kind)
    return {"row_variable": rv, "row_label": rl, "row_kind": kind, "row_category": cat,
            "banner_variable": bv, "banner_label": bl, "banner_category": bc,
            "column_letter": letter, "estimate": est, "se": 1.5, "ci_low": est - 3,
            "ci_high": est + 3, "base_unweighted": base, "base_weighted": base * 1.5,
            "letters": LETTERS.get((i, letter), ""), "small_base": base < 30,
            "suppressed": hidden}


def example_table(language: str = "nb") -> BannerTable:
    """The hand-made banner table (see the module docstring)."""
    frame = pd.DataFrame([_cell(i, j) for i in range(len(ROWS)) for j in range(len(COLUMNS))])
    columns = pd.DataFrame([{"banner_variable": bv, "banner_label": bl, "banner_category": bc,
                             "column_letter": lt, "base_unweighted": n,
                             "base_weighted": n * 1.5, "small_base": n < 30}
                            for bv, bl, bc, lt, n in COLUMNS])
    return BannerTable(frame=frame, columns=columns, level=0.95, second_level=0.90,
                       adjustment="holm", min_base=30, notes=NOTES, language=language,
                       suppress_below=5)
