"""Calibration distances as small strategy objects, chosen by name.

Each distance gives the calibration function ``g = 1 + F(u)`` of the linear predictor
``u = x'λ`` (``g_minus_1``) and its derivative, with optional bounds ``lower <= g <= upper``,
exactly as R survey's ``cal.linear``, ``cal.raking`` and ``cal.logit`` (``make.calfun``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from surveykit.errors import WeightingError

__all__ = ["DISTANCES", "CalibrationDistance", "MethodName"]

MethodName = Literal["linear", "raking", "logit"]


class CalibrationDistance(Protocol):
    """What the Newton iterations need from a calibration distance."""

    @property
    def name(self) -> str:
        """The distance's name (R's ``calfun``)."""

    def check_bounds(self, lower: float, upper: float) -> None:
        """Raise if the bounds are unusable for this distance."""

    def g_minus_1(self, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
        """``g - 1`` as a function of the linear predictor ``u``."""

    def derivative(self, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
        """``dg/du``."""


def _inside(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return (u < upper - 1) & (u > lower - 1)


@dataclass(frozen=True)
class Linear:
    """GREG: ``g = 1 + u``, truncated to the bounds (R ``cal.linear``).

    Examples
    --------
    >>> Linear().g_minus_1(np.array([-0.9, 0.5]), 0.5, 2.0).tolist()
    [-0.5, 0.5]

    """

    name: str = "linear"

    def check_bounds(self, lower: float, upper: float) -> None:
        return None

    def g_minus_1(self, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
        return np.clip(u + 1.0, lower, upper) - 1.0

    def derivative(self, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
        return _inside(u, lower, upper).astype(float)


@dataclass(frozen=True)
class Raking:
    """Multiplicative: ``g = exp(u)``, truncated to the bounds (R ``cal.raking``).

    Examples
    --------
    >>> Raking().g_minus_1(np.array([0.0]), -np.inf, np.inf).tolist()
    [0.0]

    """

    name: str = "raking"

    def check_bounds(self, lower: float, upper: float) -> None:
        return None

    def g_minus_1(self, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.clip(np.exp(u), lower, upper) - 1.0

    def derivative(self, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.where(_inside(u, lower, upper), np.exp(u), 0.0)


@dataclass(frozen=True)
class Logit:
    """Logit distance: ``g`` stays strictly between finite bounds (R ``cal.logit``).

    Examples
    --------
    >>> float(Logit().g_minus_1(np.array([0.0]), 0.5, 2.5)[0])
    0.0

    """

    name: str = "logit"

    def check_bounds(self, lower: float, upper: float) -> None:
        if not (np.isfinite(lower) and np.isfinite(upper) and lower < 1.0 < upper):
            raise WeightingError(
                f"'bounds' must be finite with lower < 1 < upper for method='logit' "
                f"(got ({lower!r}, {upper!r})). Example: bounds=(0.5, 2.5)."
            )

    def _parts(self, u: np.ndarray, lower: float, upper: float) -> tuple[np.ndarray, float]:
        a = (upper - lower) / ((upper - 1.0) * (1.0 - lower))
        with np.errstate(over="ignore"):
            return np.exp(a * u), a

    def g_minus_1(self, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
        e, _ = self._parts(u, lower, upper)
        lo, up = lower, upper
        with np.errstate(invalid="ignore"):
            return (lo * (up - 1) + up * (1 - lo) * e) / (up - 1 + (1 - lo) * e) - 1.0

    def derivative(self, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
        e, a = self._parts(u, lower, upper)
        lo, up = lower, upper
        den = up - 1 + (1 - lo) * e
        with np.errstate(invalid="ignore"):
            return (up * (1 - lo) * e * a / den
                    - (lo * (up - 1) + up * (1 - lo) * e) * ((1 - lo) * e * a) / den**2)


DISTANCES: dict[str, CalibrationDistance] = {
    "linear": Linear(),
    "raking": Raking(),
    "logit": Logit(),
}
