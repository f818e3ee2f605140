"""HTML display of result frames in Jupyter, shared by every result type.

Results render through ``DataFrame.to_html`` rather than the pandas Styler, which needs
jinja2, an optional dependency that a plain install does not have.
"""

from __future__ import annotations

import html

import pandas as pd

__all__ = ["frame_html"]


def frame_html(frame: pd.DataFrame, caption: str, precision: int = 4) -> str:
    """Render ``frame`` as an HTML table with ``caption``, floats to ``precision`` decimals.

    Examples
    --------
    >>> print(frame_html(pd.DataFrame({"estimate": [662.287363]}), "svymean"))
    ... # doctest: +ELLIPSIS
    <table border="1" class="dataframe">
      <caption>svymean</caption>
    ...<td>662.2874</td>...

    """
    table = frame.to_html(float_format=lambda v: f"{v:.{precision}f}", na_rep="", index=False)
    head, _, rest = table.partition(">")
    return f"{head}>\n  <caption>{html.escape(caption)}</caption>{rest}"
