"""Read a CSV file whose floats come back bit for bit on every supported pandas.

pandas before 3.0 parses floats with a fast routine that may miss the last bit unless
``float_precision="round_trip"`` is asked for; pandas 3 parses exactly by default and
deprecates the argument. Reference data and the bundled datasets are read through
:func:`read_csv_exact` so that they are exact on both without a deprecation warning.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["read_csv_exact"]

_ROUND_TRIP: dict[str, Any] = (
    {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"})


def read_csv_exact(source: Any, **kwargs: Any) -> pd.DataFrame:
    r"""Return ``pandas.read_csv(source, **kwargs)`` with floats parsed exactly.

    Examples
    --------
    >>> import io
    >>> read_csv_exact(io.StringIO("x\n0.1\n2.675")).x.tolist()
    [0.1, 2.675]
    """
    return pd.read_csv(source, **_ROUND_TRIP, **kwargs)
