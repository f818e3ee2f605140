"""Argument checks shared by the planning functions: one clear error per bad value."""

from __future__ import annotations

import math
import numbers
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


def check_positive(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number above 0.

    Examples
    --------
    >>> check_positive("deff", 1.4)
    1.4

    """
    out = _number(name, value)
    if out <= 0:
        raise ArgumentError(f"{name} must be greater than 0; found {value!r}.")
    return out


def check_open_unit(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is not strictly between 0 and 1.

    Examples
    --------
    >>> check_open_unit("power", 0.8)
    0.8

    """
    out = _number(name, value)
    if not 0 < out < 1:
        raise ArgumentError(
            f"{name} must lie strictly between 0 and 1; found {value!r}. "
            f"Give it as a fraction (e.g. 0.8 for 80 %)."
        )
    return out


def check_unit_interval(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is outside [0, 1].

    Examples
    --------
    >>> check_unit_interval("overlap", 0.0)
    0.0

    """
    out = _number(name, value)
    if not 0 <= out <= 1:
        raise ArgumentError(f"{name} must lie in [0, 1]; found {value!r}.")
    return out


def check_rate(name: str, value: Any) -> float:
    """Return a response rate as a float in (0, 1], or raise.

    Examples
    --------
    >>> check_rate("response_rate", 0.35)
    0.35

    """
    out = _number(name, value)
    if not 0 < out <= 1:
        raise ArgumentError(
            f"{name} must lie in (0, 1]; found {value!r}. A rate of 0 means nobody answers, so "
            f"no number of invitations reaches the net sample; give the expected rate as a "
            f"fraction (e.g. 0.35)."
        )
    return out


def check_count(name: str, value: Any) -> int:
    """Return a sample size as an int, or raise if it is not a whole number of at least 1.

    Examples
    --------
    >>> check_count("n", 400)
    400

    """
    out = _number(name, value)
    if out < 1 or out != int(out):
        raise ArgumentError(f"{name} must be a whole number of at least 1; found {value!r}.")
    return int(out)


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
