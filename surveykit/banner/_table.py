"""``BannerTable``: every row question by the banner's columns, with significance letters."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from surveykit._display import frame_html

__all__ = ["COLUMN_COLUMNS", "FRAME_COLUMNS", "BannerTable"]

#: columns of ``BannerTable.to_frame()``, in this order
FRAME_COLUMNS = [
    "row_variable", "row_label", "row_kind", "row_category",
    "banner_variable", "banner_label", "banner_category", "column_letter",
    "estimate", "se", "ci_low", "ci_high", "base_unweighted", "base_weighted",
    "letters", "small_base", "suppressed",
]
#: columns of ``BannerTable.columns``, one row per banner column in display order
COLUMN_COLUMNS = ["banner_variable", "banner_label", "banner_category", "column_letter",
                  "base_unweighted", "base_weighted", "small_base"]


@dataclass(frozen=True, eq=False)
class BannerTable:
    """A banner table ("krysstabell"): row questions down the side, banner columns across.

    Build one with :func:`surveykit.banner`.

    Attributes
    ----------
    frame : pandas.DataFrame
        The tidy table, one row per (row, banner column); columns :data:`FRAME_COLUMNS`
        (see Notes). Read it with :meth:`to_frame`.
    columns : pandas.DataFrame
        One row per banner column in display order (the total first when it is included):
        ``banner_variable, banner_label, banner_category, column_letter, base_unweighted,
        base_weighted, small_base``; the bases count every respondent of the column
        (whatever they answered), ``small_base`` is ``base_unweighted < min_base``.
    level : float
        Confidence level of the intervals and of the upper-case letters (e.g. 0.95).
    second_level : float or None
        Level of the lower-case letters (e.g. 0.90), None when not asked.
    adjustment : str
        Multiplicity adjustment of the p-values behind the letters: ``"none"``,
        ``"bonferroni"``, ``"holm"`` or ``"bh"``; the family is every pair of columns of
        one banner variable on one row.
    min_base : int
        Cells with fewer respondents are ``small_base``: shown, never compared.
    notes : tuple of str
        Plain-language notes for the reader, in ``language`` (the test and adjustment
        used, that multi-select shares do not sum to 100 %, suppression).
    language : str
        ``"nb"`` or ``"en"``: language of labels and notes.
    suppress_below : int
        Disclosure threshold: cells with ``0 < base_unweighted < suppress_below`` are
        ``suppressed`` (no estimate, no letters).

    Notes
    -----
    Columns of :meth:`to_frame`: ``row_variable, row_label, row_kind`` (``"category"``,
    ``"net"``, ``"mean"``, ``"nps"`` or ``"option"``), ``row_category`` (the category,
    net or option label; a Likert item's mean row names its scale, ``"Mean (1-5)"``;
    ``""`` for other mean and NPS rows), ``banner_variable`` (``"total"`` for the total
    column, ``"wave"`` for the wave columns), ``banner_label, banner_category,
    column_letter`` (``""`` for the total; letters run across the whole banner, A, B,
    C..., as market-research tables letter them, so every column has its own letter),
    ``estimate`` (percent 0-100 for
    category, net and option rows; the score -100..100 for NPS; the mean for mean rows),
    ``se, ci_low, ci_high`` (same scale), ``base_unweighted`` (respondents with a valid
    answer in the column), ``base_weighted``, ``letters`` (the letters of the columns of
    the same banner variable that this cell is significantly higher than: upper-case at
    ``level``, lower-case at ``second_level``), ``small_base`` and ``suppressed``
    (estimate, se and limits are NaN then).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> bt = sk.banner(d, rows=["sch.wide"], banner=["stype"], language="en")
    >>> bt.columns[["banner_category", "column_letter", "base_unweighted"]]
      banner_category column_letter  base_unweighted
    0           Total                            200
    1               E             A              100
    2               H             B               50
    3               M             C               50
    >>> f = bt.to_frame()
    >>> f.loc[f.row_category == "Yes", ["banner_category", "estimate", "letters"]].round(2)
      banner_category  estimate letters
    4           Total     82.79
    5               E     91.00      BC
    6               H     52.00
    7               M     70.00

    """

    frame: pd.DataFrame = field(repr=False)
    columns: pd.DataFrame = field(repr=False)
    level: float = 0.95
    second_level: float | None = None
    adjustment: str = "none"
    min_base: int = 30
    notes: tuple[str, ...] = ()
    language: str = "nb"
    suppress_below: int = 5

    def to_frame(self) -> pd.DataFrame:
        """Return the tidy table (a copy), columns :data:`FRAME_COLUMNS`."""
        return self.frame.copy()

    def summary(self) -> pd.DataFrame:
        """Return the table as it is read: one line per row, one column per banner column.

        Each cell is the rounded estimate followed by its letters (``"92.0 BC"``); small
        bases are marked ``*`` and suppressed cells show ``:``.

        Returns
        -------
        pandas.DataFrame
            Index ``(row_variable, row_category)``, one column per banner column (headed
            ``category (letter)``).

        """
        f = self.frame
        heads = [_head(c, k) for c, k in zip(f["banner_category"], f["column_letter"],
                                              strict=True)]
        cells = [_cell(e, lt, sb, sp, kind) for e, lt, sb, sp, kind in zip(
            f["estimate"], f["letters"], f["small_base"], f["suppressed"], f["row_kind"],
            strict=True)]
        long = pd.DataFrame({"row_variable": f["row_variable"],
                             "row_category": f["row_category"].where(
                                 f["row_category"] != "", f["row_kind"]),
                             "column": heads, "cell": cells})
        order = list(dict.fromkeys(heads))
        rows = list(dict.fromkeys(zip(long["row_variable"], long["row_category"],
                                      strict=True)))
        wide = long.pivot(index=["row_variable", "row_category"], columns="column",
                          values="cell")
        return wide.loc[pd.MultiIndex.from_tuples(rows, names=wide.index.names), order]

    def __repr__(self) -> str:
        n_rows = self.frame["row_variable"].nunique() if len(self.frame) else 0
        head = (f"BannerTable({n_rows} questions x {len(self.columns)} columns, "
                f"level {self.level:g}, adjustment {self.adjustment})")
        return head + "\n" + self.summary().to_string()

    def _repr_html_(self) -> str:
        return frame_html(self.summary().reset_index(), " ".join(self.notes))


def _head(category: object, letter: object) -> str:
    return f"{category} ({letter})" if letter else str(category)


def _cell(estimate: float, letters: str, small: bool, suppressed: bool, kind: str) -> str:
    if suppressed:
        return ":"
    if estimate != estimate:  # NaN: nobody answered in this column
        return ""
    digits = 2 if kind == "mean" else 1
    text = f"{estimate:.{digits}f}"
    if small:
        text += "*"
    return f"{text} {letters}" if letters else text
