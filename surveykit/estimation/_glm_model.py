"""What a fitted GLM keeps of its fit so that later steps can predict from it.

Predictive margins (R's ``svypredmeans``) refit the model with a group variable and
predict every row at each group value; they need the design, the parsed formula with its
categorical codings, the family with its link and the rows the fit used. A
:class:`~surveykit.GLMResult` carries them in this record (not shown, not compared).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from surveykit.design import ReplicateDesign, SurveyDesign
    from surveykit.estimation._families import Family
    from surveykit.estimation._model_matrix import ModelFrame, Offset

__all__ = ["FittedModel"]


@dataclass(frozen=True, eq=False)
class FittedModel:
    """The parts of a GLM fit that prediction needs.

    Attributes
    ----------
    design : SurveyDesign or ReplicateDesign
        The design the model was fitted on (as given).
    frame : ModelFrame
        Response, model matrix, offsets and the categorical codings of the formula.
    family : Family
        Family and link.
    coef : ndarray
        The fitted coefficients.
    used : ndarray of bool
        Rows in the fit (in the domain, no missing value in the model).
    offset : str, array-like or None
        The ``offset=`` argument as given (so a refit can repeat it).

    """

    design: SurveyDesign | ReplicateDesign
    frame: ModelFrame
    family: Family
    coef: np.ndarray
    used: np.ndarray
    offset: Offset
