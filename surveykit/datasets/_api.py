"""R survey's ``api`` data sets, shipped as CSV for doctests and examples."""

from __future__ import annotations

from functools import cache

import pandas as pd

from surveykit._exact_csv import read_csv_exact
from surveykit._validate import check_option
from surveykit.datasets._files import data_file

__all__ = ["API_DATASETS", "load_api"]

#: The api data sets that ship with the package (``apipop`` stays in the test fixtures).
API_DATASETS = ("apisrs", "apistrat", "apiclus1", "apiclus2")


@cache
def _read(name: str) -> pd.DataFrame:
    with data_file(f"{name}.csv").open("rb") as fh:
        # round_trip: correctly rounded floats on every pandas (the 17-digit weights decide
        # ties of cumulative weights in quantiles; pandas 2.2's default parser may miss a bit)
        return read_csv_exact(fh, dtype={"cds": str})


def load_api(name: str) -> pd.DataFrame:
    """Return one of R survey's ``api`` data sets as a DataFrame.

    The California Academic Performance Index samples from ``data(api)`` in R's
    ``survey`` package (exported from survey 4.1.1), used throughout the examples.

    Parameters
    ----------
    name : {"apisrs", "apistrat", "apiclus1", "apiclus2"}
        ``apisrs``: simple random sample of 200 schools; ``apistrat``: stratified by
        school type (``stype``); ``apiclus1``: cluster sample of 15 districts
        (``dnum``); ``apiclus2``: two-stage sample (``dnum``, ``snum``).

    Returns
    -------
    pandas.DataFrame
        A fresh copy (callers may modify it). Column names are R's (``sch.wide``,
        ``api00``, ``pw``, ``fpc``, ...); R factors are strings; ``cds`` is a string.

    Examples
    --------
    >>> from surveykit.datasets import load_api
    >>> apisrs = load_api("apisrs")
    >>> apisrs.shape
    (200, 39)
    >>> round(float(apisrs["api00"].mean()), 3)
    656.585
    >>> sorted(load_api("apistrat")["stype"].unique())
    ['E', 'H', 'M']

    """
    check_option("name", name, API_DATASETS)
    return _read(name).copy()
