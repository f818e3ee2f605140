"""Locate the data files shipped inside ``surveykit/datasets/_data``."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

__all__ = ["data_file"]


def data_file(name: str) -> Traversable:
    """Return the packaged data file ``name`` (works from a wheel as well as a checkout).

    Examples
    --------
    >>> data_file("apisrs.csv").name
    'apisrs.csv'

    """
    return resources.files("surveykit.datasets").joinpath("_data", name)
