"""FormattedTable: a display table (strings) and its numbers, ready for HTML, Word and Excel."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["FormattedTable", "ci_limit_headers"]


def ci_limit_headers(ci_head: str, language: str) -> tuple[str, str]:
    """Headers of the two columns holding an interval's limits (Excel, CSV).

    Examples
    --------
    >>> ci_limit_headers("95 % KI", "nb")
    ('95 % KI nedre', '95 % KI øvre')

    """
    low, high = ("nedre", "øvre") if language == "nb" else ("lower", "upper")
    return f"{ci_head} {low}", f"{ci_head} {high}"


@dataclass(frozen=True, eq=False)
class FormattedTable:
    """A report table: what is shown (strings) and the numbers behind it.

    Build one with :func:`surveykit.reporting.table`; the appendix renderers use
    ``display`` for HTML and Word and ``numeric`` for Excel.

    Attributes
    ----------
    display : pandas.DataFrame
        Formatted cells (strings), headers in the report language; suppressed cells
        show ``":"``.
    numeric : pandas.DataFrame
        The same rows with numbers as floats (proportions as proportions, confidence
        limits in two columns) and label columns as text; suppressed values are NaN.
    number_formats : dict
        Excel number format per numeric column of ``numeric`` (``"0.0%"``, ``"#,##0"``).
    numeric_columns : tuple of str
        Columns of ``display`` holding numbers (right-aligned).
    suppressed : numpy.ndarray
        Boolean per row: the row's values are suppressed.
    caption : str
        Table caption (without the "Table n" prefix, which the appendix adds).
    notes : tuple of str
        Notes printed under the table (suppression footnote, CI definition, tests).
    language : str
        ``"nb"`` or ``"en"``.

    Examples
    --------
    >>> ft = FormattedTable(display=pd.DataFrame({"Area": ["A"], "n": ["12"]}),
    ...                     numeric=pd.DataFrame({"Area": ["A"], "n": [12.0]}),
    ...                     number_formats={"n": "#,##0"}, numeric_columns=("n",),
    ...                     suppressed=np.array([False]), caption="Counts")
    >>> "<caption>Counts</caption>" in ft._repr_html_()
    True

    """

    display: pd.DataFrame
    numeric: pd.DataFrame
    number_formats: dict[str, str]
    numeric_columns: tuple[str, ...]
    suppressed: np.ndarray
    caption: str = ""
    notes: tuple[str, ...] = ()
    language: str = "en"
    extra: dict[str, object] = field(default_factory=dict, repr=False)

    def with_caption(self, caption: str | None = None,
                     notes: tuple[str, ...] | list[str] | None = None) -> FormattedTable:
        """Return a copy with another caption and/or extra notes appended."""
        return FormattedTable(
            display=self.display, numeric=self.numeric, number_formats=self.number_formats,
            numeric_columns=self.numeric_columns, suppressed=self.suppressed,
            caption=self.caption if caption is None else caption,
            notes=self.notes + tuple(notes or ()), language=self.language, extra=self.extra)

    def to_frame(self) -> pd.DataFrame:
        """Return the display frame (strings)."""
        return self.display.copy()

    def summary(self) -> pd.DataFrame:
        """Return the table as shown: the same frame as :meth:`to_frame`."""
        return self.to_frame()

    def __repr__(self) -> str:
        head = f"FormattedTable({self.caption!r}, {len(self.display)} rows)"
        return head + "\n" + self.display.to_string(index=False)

    def _repr_html_(self) -> str:
        from surveykit.reporting._html import table_html

        return table_html(self, caption=html.escape(self.caption))
