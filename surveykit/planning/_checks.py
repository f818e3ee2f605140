"""Argument checks shared by the planning functions: one clear error per bad value."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

from surveykit.errors import ArgumentError

__all__ = [
    "check_count",
    "check_open_unit",
    "check_positive",
    "check_rate",
    "check_unit_interval",
    "quantity",
]


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ArgumentError(
            f"{name} must be a number; found {value!r} ({type(value).__name__}). "
            f"Pass a plain int or float."
        )
    out = float(value)
    if not math.isfinite(out):
        raise ArgumentError(f"{name} must be finite; found {value!r}.")
    return out


def _within(name: str, value: Any, ok: Callable[[float], bool], rule: str,
            hint: str = "") -> float:
    """Return ``value`` as a float if ``ok`` holds, else raise "``name`` must ``rule``"."""
    out = _number(name, value)
    if not ok(out):
        raise ArgumentError(f"{name} must {rule}; found {value!r}.{hint}")
    return out


def check_positive(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number above 0.

    Examples
    --------
    >>> check_positive("deff", 1.4)
    1.4

    """
    return _within(name, value, lambda v: v > 0, "be greater than 0")


def check_open_unit(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is not strictly between 0 and 1.

    Examples
    --------
    >>> check_open_unit("power", 0.8)
    0.8

    """
    return _within(name, value, lambda v: 0 < v < 1, "lie strictly between 0 and 1",
                   " Give it as a fraction (e.g. 0.8 for 80 %).")


def check_unit_interval(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is outside [0, 1].

    Examples
    --------
    >>> check_unit_interval("overlap", 0.0)
    0.0

    """
    return _within(name, value, lambda v: 0 <= v <= 1, "lie in [0, 1]")


def check_rate(name: str, value: Any) -> float:
    """Return a response rate as a float in (0, 1], or raise.

    Examples
    --------
    >>> check_rate("response_rate", 0.35)
    0.35

    """
    return _within(name, value, lambda v: 0 < v <= 1, "lie in (0, 1]",
                   " A rate of 0 means nobody answers, so no number of invitations reaches "
                   "the net sample; give the expected rate as a fraction (e.g. 0.35).")


def check_count(name: str, value: Any) -> int:
    """Return a sample size as an int, or raise if it is not a whole number of at least 1.

    Examples
    --------
    >>> check_count("n", 400)
    400

    """
    return int(_within(name, value, lambda v: v >= 1 and v == int(v),
                       "be a whole number of at least 1"))


def quantity(p: Any, sd: Any) -> tuple[str, float]:
    """Return ``("proportion", p(1-p))`` or ``("mean", sd**2)``: the unit variance planned for.

    Exactly one of ``p`` (an expected proportion) and ``sd`` (an expected standard deviation)
    must be given.

    Examples
    --------
    >>> quantity(0.5, None)
    ('proportion', 0.25)
    >>> quantity(None, 2.0)
    ('mean', 4.0)

    """
    if (p is None) == (sd is None):
        raise ArgumentError(
            "Give exactly one of p= (an expected proportion, for a share) and sd= (an expected "
            f"standard deviation, for a mean); found p={p!r}, sd={sd!r}."
        )
    if p is not None:
        share = check_open_unit("p", p)
        return "proportion", share * (1 - share)
    return "mean", check_positive("sd", sd) ** 2
