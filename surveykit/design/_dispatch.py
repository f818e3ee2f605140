"""One entry point for estimators: pick the variance engine that fits the design."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from surveykit.design._linearization import linearized_covariance
from surveykit.design._replicate_design import ReplicateDesign
from surveykit.design._replicate_engine import replicate_covariance, replicate_estimates
from surveykit.design._scores import Scores
from surveykit.design._survey_design import SurveyDesign
from surveykit.errors import DesignError

__all__ = ["design_covariance"]


def design_covariance(
    design: SurveyDesign | ReplicateDesign,
    scores: Scores | np.ndarray | Callable[[], Scores | np.ndarray] | None,
    replicate_estimates_fn: Callable[[np.ndarray], np.ndarray] | None,
    full_estimate: np.ndarray,
    *,
    replicate_thetas: Callable[[], np.ndarray] | None = None,
) -> np.ndarray:
    """Covariance of ``k`` estimates from either engine.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The design; its class selects the engine.
    scores : Scores, ndarray, callable or None
        For a :class:`SurveyDesign`: influence values (``(n, k)`` array, zero outside the
        domain, or a :class:`~surveykit.design.DomainScores`), or a zero-argument callable
        returning them (so replicate designs never compute them).
    replicate_estimates_fn : callable or None
        For a :class:`ReplicateDesign`: ``f(weights) -> estimates`` where ``weights`` is an
        ``(n, r)`` block of replicate analysis weights (zero outside the domain) and the
        result is ``(r, k)``; called on memory-bounded chunks of replicates.
    full_estimate : ndarray
        The ``(k,)`` full-sample estimate (the centre when ``mse=True``).
    replicate_thetas : callable, optional
        Faster alternative to ``replicate_estimates_fn``: a zero-argument callable that
        returns all ``(R, k)`` replicate estimates at once (e.g. built from
        :func:`~surveykit.design.replicate_totals`).

    Returns
    -------
    ndarray
        ``(k, k)`` covariance matrix.

    """
    if isinstance(design, ReplicateDesign):
        if replicate_thetas is not None:
            thetas = replicate_thetas()
        elif replicate_estimates_fn is not None:
            thetas = replicate_estimates(design, replicate_estimates_fn)
        else:
            raise DesignError("This estimator has no replicate-weight version.")
        return replicate_covariance(design, thetas, np.asarray(full_estimate, dtype=float))
    if scores is None:
        raise DesignError("This estimator has no linearisation (influence values).")
    s = scores() if callable(scores) and not isinstance(scores, np.ndarray) else scores
    return linearized_covariance(design, s)
