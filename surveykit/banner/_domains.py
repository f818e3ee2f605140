"""Estimates of one row question's display rows, in every domain of one banner variable."""

from __future__ import annotations

import numpy as np

from surveykit.banner._rows import RowQuestion
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.estimation import EstimateTable, contrast, mean, nps

__all__ = ["coefficients", "estimates"]

Design = SurveyDesign | ReplicateDesign


def coefficients(q: RowQuestion) -> np.ndarray:
    """``(r, m)``: each display row as a combination of the question's ``m`` column means."""
    return np.array([r.coefficients for r in q.rows], dtype=float)


def estimates(work: Design, q: RowQuestion, by: str | None
              ) -> tuple[EstimateTable, EstimateTable]:
    """Estimates of the analysis columns by ``by`` (one pass) and the display rows from them.

    Means of the columns (shares of 0/1 indicators, or means), or the NPS score of
    :func:`surveykit.nps`; either way with the covariance of all domains. The analysis
    columns must be in ``work``'s data.
    """
    cols = list(q.columns)
    t = (nps(work, cols[0], by=by) if q.kind == "nps"
         else mean(work, cols, by=by, nan_policy="omit"))
    n_dom = len(t.estimate) // len(cols)
    shown = contrast(t, np.kron(np.eye(n_dom), coefficients(q)))
    return t, shown
