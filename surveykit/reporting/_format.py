"""Number formatting for reports: the only place where numbers become strings.

Norwegian Bokmål (``"nb"``) writes ``1 234,5`` (non-breaking space between thousands,
decimal comma, typographic minus ``−``) and ``12,3 %``; English (``"en"``) writes
``1,234.5`` and ``12.3%``. Missing values become an empty string, suppressed cells SSB's
``":"``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

import numpy as np

from surveykit._display import P_DIGITS, p_value_text
from surveykit._validate import check_option
from surveykit.reporting._vocabulary import group

__all__ = [
    "LANGUAGES",
    "SUPPRESSED",
    "check_language",
    "format_ci",
    "format_integer",
    "format_number",
    "format_numbers",
    "format_p_value",
    "format_percent",
    "text",
]

Language = Literal["nb", "en"]
LANGUAGES: tuple[str, ...] = ("nb", "en")
#: symbol of a suppressed cell (Statistics Norway's ":")
SUPPRESSED = ":"
NBSP = "\u00a0"
MINUS = "\u2212"
EN_DASH = "\u2013"

#: fixed phrases of the report, per language
_TEXT: dict[str, dict[str, str]] = {lang: group("report", lang) for lang in ("nb", "en")}


def check_language(language: str) -> str:
    """Validate a report language (``"nb"`` or ``"en"``).

    Examples
    --------
    >>> check_language("nb")
    'nb'

    """
    return str(check_option("language", language, LANGUAGES))


def text(key: str, language: str, **fields: object) -> str:
    """Return the fixed report phrase ``key`` in ``language``, with ``{fields}`` filled in.

    Examples
    --------
    >>> text("table", "nb")
    'Tabell'

    """
    phrase = _TEXT[check_language(language)][key]
    return phrase.format(**fields) if fields else phrase


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return False


def format_number(value: float | None, digits: int = 1, language: str = "en") -> str:
    """Format one number with ``digits`` decimals in the language's convention.

    Parameters
    ----------
    value : float or None
        The number; NaN or None give ``""``.
    digits : int, default 1
        Decimals (rounded half to even, as Python's ``format``).
    language : {"nb", "en"}
        ``"nb"``: non-breaking space thousands separator, decimal comma, minus ``−``.

    Examples
    --------
    >>> format_number(1234.56, 1, "en")
    '1,234.6'
    >>> format_number(-1234.56, 1, "nb") == "\u22121\u00a0234,6"
    True
    >>> format_number(float("nan"))
    ''

    """
    check_language(language)
    if _is_missing(value):
        return ""
    if math.isinf(float(value)):  # type: ignore[arg-type]
        return "∞" if float(value) > 0 else MINUS + "∞"  # type: ignore[arg-type]
    s = f"{float(value):,.{int(digits)}f}"  # type: ignore[arg-type]
    if s.startswith("-") and float(s.replace(",", "")) == 0:
        s = s[1:]  # no "-0.0"
    if language == "nb":
        s = s.replace(",", NBSP).replace(".", ",").replace("-", MINUS)
    return s


def format_numbers(values: Iterable[float | None], digits: int = 1,
                   language: str = "en") -> list[str]:
    """Format many numbers (see :func:`format_number`).

    Examples
    --------
    >>> format_numbers([0.5, 2.25, None], 1, "nb")
    ['0,5', '2,2', '']

    """
    return [format_number(v, digits, language) for v in values]


def format_integer(value: float | None, language: str = "en") -> str:
    """Format a count without decimals.

    Examples
    --------
    >>> format_integer(12345, "en")
    '12,345'

    """
    return format_number(value, 0, language)


def format_percent(proportion: float | None, digits: int = 1, language: str = "en", *,
                   sign: bool = True) -> str:
    """Format a proportion (0-1) as a percentage.

    ``sign=True`` appends the percent sign (``"12,3 %"`` in nb with a non-breaking space,
    ``"12.3%"`` in en); table cells use ``sign=False`` with the unit in the header.

    Examples
    --------
    >>> format_percent(0.1234, 1, "en")
    '12.3%'
    >>> format_percent(0.1234, 1, "nb") == "12,3\u00a0%"
    True
    >>> format_percent(0.5, 0, "en", sign=False)
    '50'

    """
    if _is_missing(proportion):
        return ""
    s = format_number(100.0 * float(proportion), digits, language)  # type: ignore[arg-type]
    if not sign:
        return s
    return s + (NBSP + "%" if language == "nb" else "%")


def format_ci(low: float | None, high: float | None, digits: int = 1, language: str = "en",
              *, scale: float = 1.0) -> str:
    """Format a confidence interval as ``"low–high"`` (en dash).

    When either limit is negative the dash gets spaces (``"−1,2 – 3,4"``) so that it cannot be
    read as a minus sign. ``scale=100`` shows proportions as percentages.

    Examples
    --------
    >>> format_ci(0.1021, 0.1452, 1, "nb", scale=100)
    '10,2–14,5'
    >>> format_ci(-1.25, 3.4, 1, "en")
    '-1.2 – 3.4'
    >>> format_ci(float("nan"), 1.0)
    ''

    """
    if _is_missing(low) or _is_missing(high):
        return ""
    lo = format_number(float(low) * scale, digits, language)  # type: ignore[arg-type]
    hi = format_number(float(high) * scale, digits, language)  # type: ignore[arg-type]
    negative = min(float(low), float(high)) * scale < 0  # type: ignore[arg-type]
    sep = f" {EN_DASH} " if negative else EN_DASH
    return f"{lo}{sep}{hi}"


def format_p_value(p: float | None, language: str = "en", *, digits: int = P_DIGITS) -> str:
    """Format a p-value: ``digits`` decimals, and ``"< 0.0001"`` below the smallest shown.

    The same rule as every result's repr and HTML display (``surveykit._display``), with
    the language's decimal mark.

    Examples
    --------
    >>> format_p_value(0.03412, "nb")
    '0,0341'
    >>> format_p_value(1e-7, "en")
    '< 0.0001'
    >>> format_p_value(1e-7, "nb")
    '< 0,0001'

    """
    check_language(language)
    if _is_missing(p):
        return ""
    return p_value_text(float(p), digits, "," if language == "nb" else ".")  # type: ignore[arg-type]


def auto_digits(values: np.ndarray) -> int:
    """Decimals for a column of numbers: none for whole numbers, fewer for large magnitudes.

    Examples
    --------
    >>> auto_digits(np.array([3.21, 4.5])), auto_digits(np.array([650.5])), auto_digits(
    ...     np.array([12000.0]))
    (2, 1, 0)
    >>> auto_digits(np.array([12.0, 1.0, np.nan]))  # counts stay counts: "12", not "12,00"
    0

    """
    finite = np.abs(values[np.isfinite(values)]) if values.size else values
    if finite.size == 0:
        return 2
    if np.all(finite == np.round(finite)):
        return 0
    typical = float(np.median(finite))
    if typical >= 1000:
        return 0
    if typical >= 100:
        return 1
    return 2
