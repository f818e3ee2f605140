"""HTML display of result frames in Jupyter, and the one rule for printing p-values.

Results render through ``DataFrame.to_html`` rather than the pandas Styler, which needs
jinja2, an optional dependency that a plain install does not have. A p-value prints with
four decimals, and below 0.0001 as ``"< 0.0001"`` (never ``0.0000``), in reprs, HTML
displays and report tables alike.
"""

from __future__ import annotations

import html
import math

import pandas as pd

__all__ = ["P_DIGITS", "frame_html", "frame_text", "is_p_column", "object_html", "p_value_text"]

#: decimals of a printed p-value; smaller ones print as "< 0.0001"
P_DIGITS = 4


def is_p_column(name: object) -> bool:
    """Whether a column holds p-values (``p``, ``p_value``, ``pvalue``, ``p_*``, ``*p_adj*``).

    Examples
    --------
    >>> [is_p_column(c) for c in ("p_value", "p_adjusted", "p_holm", "se", "prop")]
    [True, True, True, False, False]

    """
    low = str(name).lower()
    return low in ("p", "pvalue", "p_value") or low.startswith("p_") or "p_adj" in low


def p_value_text(p: float | None, digits: int = P_DIGITS, decimal_mark: str = ".") -> str:
    """Print a p-value with ``digits`` decimals; below ``10**-digits`` as ``"< 0.0001"``.

    Parameters
    ----------
    p : float or None
        The p-value; None or NaN give ``""``.
    digits : int, default 4
        Decimals shown.
    decimal_mark : str, default "."
        ``","`` for Norwegian.

    Returns
    -------
    str

    Examples
    --------
    >>> p_value_text(0.03412), p_value_text(3e-9), p_value_text(3e-9, decimal_mark=",")
    ('0.0341', '< 0.0001', '< 0,0001')

    """
    if p is None or math.isnan(float(p)):
        return ""
    floor = 10.0 ** (-int(digits))
    text = f"< {floor:.{int(digits)}f}" if float(p) < floor else f"{float(p):.{int(digits)}f}"
    return text.replace(".", decimal_mark)


def _p_printed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its p-value columns as text (see :func:`p_value_text`)."""
    cols = [c for c in frame.columns if is_p_column(c) and pd.api.types.is_numeric_dtype(
        frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    if not cols:
        return frame
    return frame.assign(**{str(c): [p_value_text(v) for v in frame[c].tolist()] for c in cols})


def frame_text(frame: pd.DataFrame) -> str:
    """Plain-text table of ``frame`` for a repr, p-values printed as :func:`p_value_text`.

    Examples
    --------
    >>> print(frame_text(pd.DataFrame({"term": ["x"], "p_value": [2e-7]})))
    term  p_value
       x < 0.0001

    """
    return _p_printed(frame).to_string(index=False)


def frame_html(frame: pd.DataFrame, caption: str, precision: int = 4) -> str:
    """Render ``frame`` as an HTML table with ``caption``, floats to ``precision`` decimals.

    p-value columns print as :func:`p_value_text` (``"< 0.0001"``, never ``0.0000``).

    Examples
    --------
    >>> print(frame_html(pd.DataFrame({"estimate": [662.287363]}), "svymean"))
    ... # doctest: +ELLIPSIS
    <table border="1" class="dataframe">
      <caption>svymean</caption>
    ...<td>662.2874</td>...

    """
    table = _p_printed(frame).to_html(float_format=lambda v: f"{v:.{precision}f}", na_rep="",
                                      index=False)
    head, _, rest = table.partition(">")
    return f"{head}>\n  <caption>{html.escape(caption)}</caption>{rest}"


def object_html(summary: str, *tables: tuple[str, pd.DataFrame | None]) -> str:
    """HTML display of an object: its summary line (escaped), then captioned tables.

    Every public result and design object displays through this in Jupyter, so text such
    as ``<Responses ...>`` or a ``->`` in a summary shows as written instead of vanishing
    into the markup.

    Parameters
    ----------
    summary : str
        The object's one-line (or few-line) summary, usually its repr.
    *tables : tuple of (str, DataFrame or None)
        Caption and frame of each table shown below it; None entries are skipped.

    Returns
    -------
    str

    Examples
    --------
    >>> print(object_html("<Report x: 1 errors>", ("rules", pd.DataFrame({"n": [1]}))))
    ... # doctest: +ELLIPSIS
    <div><p>&lt;Report x: 1 errors&gt;</p>
    <table border="1" class="dataframe">
      <caption>rules</caption>...</div>

    """
    tag = "pre" if "\n" in summary else "p"
    parts = [f"<{tag}>{html.escape(summary)}</{tag}>"]
    parts += [frame_html(frame, caption) for caption, frame in tables if frame is not None]
    return "<div>" + "\n".join(parts) + "</div>"
