"""What charts share: one axis per scale, reader's labels wrapped, numbers in the language.

A chart never puts a 0-100 index beside 1-5 means on one axis: :func:`scale_key` groups
estimates by the scale they are measured on (from the instrument where it says so, else by
order of magnitude), and each group gets its own panel titled by :func:`scale_title`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

from surveykit.instruments import Instrument
from surveykit.reporting._format import format_number

__all__ = ["axis_formatter", "scale_key", "scale_title", "value_range", "wrap"]

#: characters per line of a wrapped axis label
WRAP = 42


def wrap(label: str, width: int = WRAP) -> str:
    """Wrap a long label over lines of at most ``width`` characters (words kept whole).

    Examples
    --------
    >>> print(wrap("Hvor fornøyd er du med kollektivtilbudet der du bor?", 24))
    Hvor fornøyd er du med
    kollektivtilbudet der du
    bor?

    """
    return "\n".join(textwrap.wrap(str(label), width, break_long_words=False,
                                   break_on_hyphens=False)) or str(label)


def _variable(instrument: Instrument, name: str) -> Any:
    for lookup in (instrument.variable, instrument.variables_of):
        try:
            found = lookup(name)
        except ValueError:
            continue
        return found[0] if isinstance(found, tuple) else found
    return None


def _numeric_codes(options: Sequence[Any]) -> list[float]:
    return [float(o.code) for o in options
            if isinstance(o.code, (int, float)) and not isinstance(o.code, bool)]


def value_range(instrument: Instrument | None, name: str) -> tuple[float, float] | None:
    """Return the scale an item, grid row or index is measured on, from the instrument.

    Answer codes of the item's choice list, the range constraint of a numeric item, or for
    an index: 0-100 when POMP-scored, else its items' scale (times their number for sums).

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.Instrument.from_dict(sk.instruments.example_instrument_dict())
    >>> value_range(inst, "sat_region")
    (1.0, 5.0)
    >>> value_range(None, "sat_region") is None
    True

    """
    if instrument is None:
        return None
    for index in instrument.indices:
        if index.id == name:
            if index.scale == "pomp":
                return (0.0, 100.0)
            inner = value_range(instrument, index.items[0])
            if inner is None or index.method == "mean":
                return inner
            return (inner[0] * len(index.items), inner[1] * len(index.items))
    var = _variable(instrument, name)
    if var is None:
        return None
    if var.choices is not None and var.option is None:
        codes = _numeric_codes(var.choices.options)
        return (min(codes), max(codes)) if codes else None
    limits = getattr(var.item.constraint, "min", None), getattr(var.item.constraint, "max",
                                                                 None)
    if all(isinstance(v, (int, float)) for v in limits):
        return (float(limits[0]), float(limits[1]))  # type: ignore[arg-type]
    return None


def scale_key(instrument: Instrument | None, name: str, largest: float) -> tuple[Any, ...]:
    """Group key of the scale of ``name``: its range, else the order of magnitude."""
    found = value_range(instrument, name)
    if found is not None:
        return ("range", *found)
    size = abs(largest) if math.isfinite(largest) else 0.0
    return ("magnitude", 0 if size < 10 else math.floor(math.log10(size)))


def scale_title(key: tuple[Any, ...], language: str) -> str:
    """Axis title of a scale group: ``"Skala 1–5"``; empty when only the size is known.

    Examples
    --------
    >>> scale_title(("range", 1.0, 5.0), "nb"), scale_title(("range", 0.0, 100.0), "en")
    ('Skala 1–5', 'Scale 0–100')

    """
    if key[0] != "range":
        return ""
    lo, hi = (format_number(v, 0 if float(v).is_integer() else 1, language) for v in key[1:])
    return f"{'Skala' if language == 'nb' else 'Scale'} {lo}\u2013{hi}"


def axis_formatter(language: str, span: float, *, percent: bool = False) -> Any:
    """Tick labels in the report language (decimal comma in nb), digits from the span."""
    from matplotlib.ticker import FuncFormatter

    digits = 0 if (percent or span >= 10) else (1 if span >= 1 else 2)
    suffix = ("\u00a0%" if language == "nb" else "%") if percent else ""
    return FuncFormatter(lambda x, _pos: format_number(x, digits, language) + suffix)
