"""Flatten an instrument into the data columns the generator fills, with a model for each.

A *column spec* is one data variable: a single, integer, text ... item, or one row of a grid
(multi-select items keep one spec; they become ``var__code`` columns). Each spec carries
what the generator needs: the choice list, skip logic (grid rows inherit the grid's), the
latent factor an ordinal item loads on, and the loading's sign. The exports read a spec's
question text, choice labels and item number from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from surveykit.datasets._latent import item_rng

__all__ = ["ColumnSpec", "choice_code", "column_specs", "instrument_spec", "item_text",
           "label_map", "numbered_specs"]

_FACTOR_WORDS = (
    ("loneliness", ("lonel", "isolat", "ensom")),
    ("social", ("social", "network", "friend", "meeting", "community", "contact", "participat")),
    ("attachment", ("attach", "belong", "identity", "pride", "stay", "intention", "migration")),
    ("reputation", ("reputation", "pulse", "recommend", "impression", "image")),
)
# Words naming "more" or "less" of the thing in (English) option labels. A scale runs
# downwards (1 = very likely ... 4 = very unlikely; 1 = every day ... 6 = never) when its
# first option says "more" and its last does not, or its last says "less" and its first not.
_MORE = re.compile(
    r"\b(likely|satisfied|positive|agree|good|often|always|well|much|important|easy|every|"
    r"daily|yes)\b",
    re.I,
)
_LESS = re.compile(
    r"\b(never|not|no|unlikely|disagree|dissatisfied|negative|hardly|rarely|bad|none)\b", re.I
)


@dataclass(frozen=True)
class ColumnSpec:
    """One data variable to generate (see the module docstring)."""

    item_id: str
    var: str
    type: str
    concept: str
    choices: Any  # ChoiceList or None
    relevant: str | None
    required: bool
    constraint: Any
    role: tuple[str, ...]
    expected: Any
    grid: str | None
    quality_straightlining: bool
    factor: str
    sign: float
    loading: float
    min_selected: int | None = None
    max_selected: int | None = None
    max_length: int | None = None

    @property
    def is_ordinal(self) -> bool:
        """True for single/grid items on an ordinal or interval scale with integer codes."""
        cl = self.choices
        if self.type not in ("single", "grid") or cl is None or cl.measure == "nominal":
            return False
        return all(isinstance(c, int) for c in cl.codes) and len(cl.codes) >= 3


def instrument_spec(instrument: Any) -> Any:
    """Return the object holding ``items`` and ``choice_lists`` of ``instrument``."""
    for attr in ("spec", "_spec"):
        inner = getattr(instrument, attr, None)
        if inner is not None and hasattr(inner, "items"):
            return inner
    if hasattr(instrument, "items") and hasattr(instrument, "choice_lists"):
        return instrument
    raise TypeError(
        "'instrument' must be a surveykit Instrument (from sk.load_instrument) "
        f"(got {type(instrument).__name__})."
    )


def _factor(text: str) -> str:
    low = text.lower()
    for factor, words in _FACTOR_WORDS:
        if any(w in low for w in words):
            return factor
    return "positivity"


def _sign(choices: Any, reverse: bool) -> float:
    sign = -1.0 if reverse else 1.0
    if choices is None or len(choices.options) < 2:
        return sign
    first = choices.options[0].label.get("en", "")
    last = choices.options[-1].label.get("en", "")
    more_first, more_last = bool(_MORE.search(first)), bool(_MORE.search(last))
    less_first, less_last = bool(_LESS.search(first)), bool(_LESS.search(last))
    if (more_first and not more_last) or (less_last and not less_first):
        sign = -sign
    return sign


def _loading(key: str) -> float:
    return 0.66 + 0.12 * float(item_rng(f"loading:{key}").random())


def _spec_for(item: Any, lists: dict[str, Any], row: Any = None) -> ColumnSpec:
    concept = item.concept or item.id
    choices = lists.get(item.choices) if item.choices else None
    item_id = f"{item.id}.{row.id}" if row is not None else item.id
    reverse = bool(row.reverse if row is not None else item.reverse)
    return ColumnSpec(
        item_id=item_id,
        var=row.var if row is not None else item.var,
        type=item.type,
        concept=concept,
        choices=choices,
        relevant=item.relevant,
        required=bool(item.required),
        constraint=item.constraint,
        role=tuple(row.role if row is not None else item.role),
        expected=row.expected if row is not None else item.expected,
        grid=item.id if row is not None else None,
        quality_straightlining=bool(item.quality and item.quality.straightlining),
        factor=_factor(f"{concept} {item.id}"),
        sign=_sign(choices, reverse),
        loading=_loading(item_id),
        min_selected=item.min_selected,
        max_selected=item.max_selected,
        max_length=item.max_length,
    )


def column_specs(instrument: Any) -> list[ColumnSpec]:
    """Return one :class:`ColumnSpec` per data variable of ``instrument``, in file order."""
    spec = instrument_spec(instrument)
    lists = dict(spec.choice_lists)
    out: list[ColumnSpec] = []
    for item in spec.items:
        if item.type == "grid":
            out.extend(_spec_for(item, lists, row) for row in item.rows or ())
        else:
            out.append(_spec_for(item, lists))
    return out


def label_map(spec: ColumnSpec, language: str = "nb") -> dict[Any, str]:
    """``{code: label}`` of the spec's choice list, missing codes included."""
    if spec.choices is None:
        return {}
    entries = (*spec.choices.options, *spec.choices.missing)
    return {e.code: e.label.get(language, str(e.code)) for e in entries}


def choice_code(spec: ColumnSpec, text: str) -> Any:
    """Return the code of the spec's choices written as ``text`` (a ``var__code`` column's tail)."""
    return next(c for c in spec.choices.codes if str(c) == text)


def item_text(instrument: Any, spec: ColumnSpec, language: str = "nb") -> str:
    """Question text of a variable (a grid row: the row's text)."""
    spec_obj = instrument_spec(instrument)
    item = next(i for i in spec_obj.items if i.id == (spec.grid or spec.item_id))
    if spec.grid is not None:
        row = next(r for r in item.rows or () if r.var == spec.var)
        return str(row.text.get(language, row.var))
    return str(item.text.get(language, spec.var))


def numbered_specs(instrument: Any) -> list[tuple[int, int | None, ColumnSpec]]:
    """``(item number, row number or None, spec)``: items numbered 1.. in file order."""
    out: list[tuple[int, int | None, ColumnSpec]] = []
    number, last_grid = 0, None
    for spec in column_specs(instrument):
        if spec.grid is None or spec.grid != last_grid:
            number += 1
            row = 0
        last_grid = spec.grid
        if spec.grid is not None:
            row += 1
            out.append((number, row, spec))
        else:
            out.append((number, None, spec))
    return out
