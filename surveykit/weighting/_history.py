"""The record one weighting step leaves in ``design.weighting_history``."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

__all__ = ["StepTimer", "WeightingStep"]


@dataclass(frozen=True)
class WeightingStep:
    """What one weighting step did (one entry of ``design.weighting_history``).

    Parameters
    ----------
    method : str
        ``"poststratify"``, ``"rake"``, ``"calibrate"``, ``"trim"`` or ``"adjust_nonresponse"``.
    targets : pandas.DataFrame
        One row per target: ``margin``, ``level``, ``target`` and ``achieved`` (the weighted
        total right after the step). Empty for steps without targets (trimming).
    options : mapping
        The options the step ran with (calibration distance, bounds, tolerance, ...).
    iterations : int
        Iterations run (1 for the direct methods).
    tolerance : float
        Largest misfit achieved at the end, in the method's own convergence measure.
    converged : bool
        False only when ``allow_nonconvergence=True`` returned an unconverged result.
    started : str
        UTC time the step started, ISO 8601.
    seconds : float
        Wall-clock time the step took.
    history : pandas.DataFrame
        One row per iteration with the misfit per margin (iterative methods), else empty.
    details : mapping
        Step-specific facts, e.g. how many weights trimming moved and how much weight.

    Examples
    --------
    >>> step = WeightingStep(method="trim", targets=pd.DataFrame(), options={"upper": 40.0},
    ...                      iterations=2, tolerance=0.0, converged=True,
    ...                      started="2026-01-01T00:00:00+00:00", seconds=0.01)
    >>> step.method, step.converged
    ('trim', True)

    """

    method: str
    targets: pd.DataFrame
    options: Mapping[str, Any]
    iterations: int
    tolerance: float
    converged: bool
    started: str
    seconds: float
    history: pd.DataFrame = field(default_factory=pd.DataFrame)
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the scalar facts of the step as a flat dict (one row of a history table).

        Examples
        --------
        >>> WeightingStep("trim", pd.DataFrame(), {}, 1, 0.0, True, "t", 0.5).to_dict()["method"]
        'trim'

        """
        return {
            "method": self.method,
            "targets": len(self.targets),
            "iterations": self.iterations,
            "tolerance": self.tolerance,
            "converged": self.converged,
            "started": self.started,
            "seconds": self.seconds,
            **{f"option.{k}": _short(v) for k, v in self.options.items()},
            **{f"detail.{k}": _short(v) for k, v in self.details.items()},
        }


def _short(value: Any) -> Any:
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return repr(value)


class StepTimer:
    """Wall-clock start time and duration of a weighting step.

    Examples
    --------
    >>> t = StepTimer()
    >>> t.seconds() >= 0.0
    True

    """

    def __init__(self) -> None:
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self._t0 = time.perf_counter()

    def seconds(self) -> float:
        """Seconds since the timer started."""
        return time.perf_counter() - self._t0
