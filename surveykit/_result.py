"""The small protocol every public result object follows.

Whatever a public function returns as a result (estimate tables, tests, models, weight
diagnostics, validation reports, accountings, comparisons, planning results, banner tables,
appendices, study results...) answers the same four calls, so that a reader learns one set
of names instead of one per class:

``to_frame()``
    The tidy table of everything the result holds as rows: one row per estimate, term,
    problem, stratum, change or quantity, with fixed columns (a new DataFrame each call,
    safe to modify). Facts that are not rows stay attributes.
``summary()``
    The short table a person reads first: the table the HTML display shows (or leads
    with). Always a pandas DataFrame; where the tidy table is already short, it is the same
    table as ``to_frame()``. A single object's scalar facts (a weight diagnosis, a draw)
    come as one column ``value`` indexed by name.
``_repr_html_()``
    The display in Jupyter: the summary line (escaped) and the tables.
``__repr__()``
    A short text form: one line, or a head line and the summary table.

Results whose estimates carry confidence limits also answer

``confidence_interval(confidence_level=None, df=None)``
    ``(low, high)``, a :class:`~surveykit.ConfidenceInterval` of arrays in ``to_frame()``
    row order, at ``confidence_level`` (default: the result's own level) and on ``df``
    degrees of freedom (default: the result's own; ``float("inf")`` gives normal limits,
    as R's ``confint``).

Design objects (:class:`~surveykit.SurveyDesign`, :class:`~surveykit.ReplicateDesign`) and
inputs (instruments, crosswalks, deployments, registers) are not results: they display in
Jupyter but need no table form.

Examples
--------
>>> import pandas as pd
>>> import surveykit as sk
>>> d = sk.SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 4.0]}), weights=[1.0, 1.0, 2.0])
>>> m = sk.mean(d, "y")
>>> isinstance(m, Result), isinstance(m, IntervalResult)
(True, True)
>>> isinstance(sk.weight_diagnostics(d), IntervalResult)
False
>>> list(sk.weight_diagnostics(d).summary().columns)
['value']

"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["IntervalResult", "Result"]


@runtime_checkable
class Result(Protocol):
    """A public result object: ``to_frame()``, ``summary()``, ``_repr_html_()``, ``repr``."""

    def to_frame(self) -> pd.DataFrame:
        """Return the tidy table of everything the result holds as rows (a new frame)."""
        ...

    def summary(self) -> pd.DataFrame:
        """Return the short table a person reads first (what the HTML display shows)."""
        ...

    def _repr_html_(self) -> str:
        """Return the HTML display in Jupyter."""
        ...

    def __repr__(self) -> str:
        """Return the short text form."""
        ...


@runtime_checkable
class IntervalResult(Result, Protocol):
    """A result whose estimates have confidence limits at any level."""

    def confidence_interval(self, confidence_level: float | None = None,
                            df: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(low, high)`` in ``to_frame()`` row order.

        ``confidence_level`` defaults to the result's own level, ``df`` to its own degrees
        of freedom (``float("inf")``: normal limits).
        """
        ...
