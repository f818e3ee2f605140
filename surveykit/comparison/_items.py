"""What to compare: resolve item names through the crosswalk and pick each item's measure.

A name given to :func:`surveykit.compare` is, in this order of lookup:

1. a column of every wave's data that is also an index id of the target instrument
   (a scale score): compared as is, with the least comparable status of the index's items
   (an item's trend break stays on that item's row);
2. an item key of the target instrument (``"impression"``, ``"pulse.trust"``), a grid id
   (``"pulse"``: every row) or a target data column (``"impression7"``);
3. an item key or column of the source instrument, followed to its target key; a source
   item listed under ``dropped`` is refused with the crosswalk's note;
4. any other column present in every wave (e.g. a score built with ``scale_score``):
   compared as is, status ``"unlisted"`` (``"identical"`` without a crosswalk).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from surveykit._validate import check_option
from surveykit.estimation._nps import check_top_codes
from surveykit.instruments import Crosswalk, CrosswalkItem, Instrument, Variable
from surveykit.instruments._scale import item_scale, keys_of

__all__ = ["MEASURES", "ItemSpec", "resolve_items"]

MEASURES = ("auto", "mean", "mean_pomp", "proportion", "nps", "top_box", "top_two_box")
#: crosswalk estimate names (allowed_estimates / forbidden_estimates) behind each measure
ESTIMATE_NAMES = {
    "mean": ("mean",),
    "mean_pomp": ("mean_pomp",),
    "proportion": ("category_shares", "proportion"),
    "nps": ("nps", "category_shares"),
    "top_box": ("top_box", "category_shares"),
    "top_two_box": ("top_two_box", "top_box", "category_shares"),
}
_FROM_ESTIMATE = {"mean": "mean", "mean_pomp": "mean_pomp", "category_shares": "proportion",
                  "proportion": "proportion", "nps": "nps", "top_box": "top_box",
                  "top_two_box": "top_two_box"}
_RANK = {"identical": 0, "unlisted": 0, "recoded": 1, "transformed": 2, "approximate": 3,
         "not_comparable": 4, "new": 5, "dropped": 6}
REFUSED_STATUSES = ("not_comparable", "new", "dropped")


@dataclass(frozen=True)
class ItemSpec:
    """One item to compare, resolved against the crosswalk.

    Attributes
    ----------
    name : str
        The item as shown in the table (item key, or the column name).
    columns : tuple of str
        Data columns after harmonisation (several for a multi-select item).
    measure : str
        One of :data:`MEASURES` except ``"auto"``.
    status : str
        Crosswalk status, ``"unlisted"`` for other columns.
    flags : tuple of str
        ``"approximate"``, ``"trend_break"``.
    note : str
        Crosswalk difference text, or the reason for a refusal.
    codes : tuple or None
        Substantive codes in scale order (levels of a proportion, scale of a box).
    missing : tuple
        Codes treated as missing.
    refused : bool
        True when the item must not be compared (reason in ``note``).

    """

    name: str
    columns: tuple[str, ...]
    measure: str
    status: str
    flags: tuple[str, ...] = ()
    note: str = ""
    codes: tuple[object, ...] | None = None
    missing: tuple[object, ...] = ()
    refused: bool = False


def _estimate_allowed(measure: str, entry: CrosswalkItem | None) -> str | None:
    """Reason why the crosswalk forbids ``measure`` (None when it is allowed)."""
    if entry is None:
        return None
    names = ESTIMATE_NAMES[measure]
    if any(n in entry.forbidden_estimates for n in names):
        return (f"the crosswalk forbids {measure!r} for this item "
                f"(forbidden_estimates: {list(entry.forbidden_estimates)}; "
                f"allowed: {list(entry.allowed_estimates) or 'any other'}).")
    if entry.allowed_estimates and not any(n in entry.allowed_estimates for n in names):
        return (f"the crosswalk allows only {list(entry.allowed_estimates)} for this item, "
                f"not {measure!r}.")
    return None


def _auto_measure(var: Variable | None, series: pd.Series | None,
                    entry: CrosswalkItem | None) -> str:
    for name in entry.allowed_estimates if entry is not None else ():
        if name in _FROM_ESTIMATE:
            return _FROM_ESTIMATE[name]
    if var is not None:
        ch = var.choices
        if var.type == "multi" or (ch is not None and ch.scale_range is None):
            return "proportion"
        if ch is not None and tuple(ch.codes) == tuple(range(11)):
            return "nps"
        if var.measure in ("nominal", "ordinal"):
            return "proportion"
        return "mean"
    assert series is not None
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    return "mean" if numeric else "proportion"


def _observed_levels(frames: Sequence[pd.DataFrame], column: str) -> tuple[object, ...]:
    first = frames[0][column]
    if isinstance(first.dtype, pd.CategoricalDtype):
        return tuple(first.cat.categories)
    values = pd.unique(pd.concat([f[column] for f in frames], ignore_index=True).dropna())
    try:
        return tuple(sorted(values))
    except TypeError:
        return tuple(sorted(values, key=str))


@dataclass(frozen=True)
class _Context:
    crosswalk: Crosswalk | None
    target: Instrument | None
    frames: tuple[pd.DataFrame, ...]
    missing: tuple[object, ...] = ()
    missing_given: bool = False

    def in_all(self, column: str) -> bool:
        return all(column in f.columns for f in self.frames)

    def entry(self, key: str) -> CrosswalkItem | None:
        if self.crosswalk is None:
            return None
        found = self.crosswalk.entry(key)
        if found is None and self.crosswalk.status(key) == "identical":
            return CrosswalkItem.model_validate({"from": key, "status": "identical"})
        return found


def _instrument_spec(ctx: _Context, key: str, name: str, measure: str) -> ItemSpec:
    assert ctx.target is not None
    variables = ctx.target.variables_of(key)
    entry = ctx.entry(key)
    status = entry.status if entry is not None else (
        ctx.crosswalk.status(key) if ctx.crosswalk is not None else "identical")
    flags = tuple(f for f, on in (("approximate", status == "approximate"),
                                  ("trend_break", bool(entry and entry.trend_break))) if on)
    scale = item_scale(ctx.target, key, ctx.missing)
    columns, codes, missing = scale.columns, scale.codes, scale.missing
    stat = _auto_measure(variables[0], None, entry) if measure == "auto" else measure
    spec = ItemSpec(name, columns, stat, status, flags, (entry.difference or "") if entry
                    else "", codes, missing)
    if status in REFUSED_STATUSES:
        reason = (entry.reason or entry.note or entry.difference) if entry else None
        return replace(spec, refused=True, note=reason or _default_reason(ctx, key, status))
    forbidden = _estimate_allowed(stat, entry)
    if forbidden is not None:
        return replace(spec, refused=True, note=forbidden)
    return spec


def _default_reason(ctx: _Context, key: str, status: str) -> str:
    xw = ctx.crosswalk
    src = xw.source.ref if xw is not None else "the older version"
    tgt = xw.target.ref if xw is not None else "the newer version"
    if status == "new":
        return f"{key!r} is new in {tgt}; it has no counterpart in {src}."
    return f"{key!r} is marked {status!r} in the crosswalk {src} -> {tgt}."


def _index_spec(ctx: _Context, name: str, measure: str) -> ItemSpec:
    assert ctx.target is not None
    index = next(i for i in ctx.target.indices if i.id == name)
    parts = [_instrument_spec(ctx, key, key, "mean") for key in index.items]
    worst = max(parts, key=lambda p: _RANK.get(p.status, 0))
    # The index row is marked by its own status only: an item's trend break belongs to
    # that item's row, and the index inherits no more than its least comparable status.
    flags = ("approximate",) if worst.status == "approximate" else ()
    note = (f"index of {len(parts)} items; least comparable item {worst.name!r} "
            f"({worst.status})" if worst.status != "identical" else "")
    stat = "mean" if measure == "auto" else measure
    spec = ItemSpec(name, (name,), stat, worst.status, flags, note)
    if worst.status in REFUSED_STATUSES:
        return replace(spec, refused=True, note=f"{note}: {worst.note}")
    return spec


def _column_spec(ctx: _Context, name: str, measure: str) -> ItemSpec:
    series = ctx.frames[0][name]
    stat = _auto_measure(None, series, None) if measure == "auto" else measure
    status = "identical" if ctx.crosswalk is None else "unlisted"
    note = "" if ctx.crosswalk is None else "not an item of the crosswalk; compared as is"
    levels = None
    if stat in ("proportion", "top_box", "top_two_box"):
        levels = tuple(v for v in _observed_levels(ctx.frames, name) if v not in ctx.missing)
        if stat != "proportion" and ctx.missing_given is False:
            check_top_codes(name, levels)
    return ItemSpec(name, (name,), stat, status, (), note, levels, ctx.missing)


def _from_source(ctx: _Context, name: str) -> list[str] | ItemSpec | None:
    xw = ctx.crosswalk
    if xw is None:
        return None
    src = xw.source
    src_keys = keys_of(src, name)
    if src_keys is None:
        return None
    for dropped in xw.spec.dropped:
        if dropped.from_ in src_keys:
            reason = dropped.reason or dropped.note or f"dropped from {xw.target.ref}."
            return ItemSpec(name, (), "mean", "dropped", (), reason, refused=True)
    found = [k for k, e in xw.spec.items.items() if e.from_ in src_keys]
    return found or [k for k in src_keys if k in xw.target.item_keys] or None


def _resolve_one(ctx: _Context, name: str, measure: str) -> list[ItemSpec]:
    target = ctx.target
    index_ids = {i.id for i in target.indices} if target is not None else set()
    if name in index_ids and ctx.in_all(name):
        return [_index_spec(ctx, name, measure)]
    keys = keys_of(target, name) if target is not None else None
    if keys is None:
        via = _from_source(ctx, name)
        if isinstance(via, ItemSpec):
            return [via]
        keys = via
    if keys is not None:
        return [_instrument_spec(ctx, k, name if len(keys) == 1 else k, measure)
                for k in keys]
    if ctx.in_all(name):
        return [_column_spec(ctx, name, measure)]
    missing_in = [i for i, f in enumerate(ctx.frames) if name not in f.columns]
    where = f"the data of wave(s) {missing_in}" if ctx.frames else "the data"
    hint = (f" It is not an item of {target.ref} either." if target is not None else "")
    raise KeyError(f"'items' names {name!r}, which is not a column of {where}.{hint} "
                   "Give an item key, a data column present in every wave, or pass the "
                   "crosswalk.")


def resolve_items(items: Sequence[str], crosswalk: Crosswalk | None,
                  instrument: Instrument | None, frames: Sequence[pd.DataFrame],
                  measure: str | Mapping[str, str],
                  missing: Sequence[object] | None = None) -> list[ItemSpec]:
    """Resolve ``items`` into :class:`ItemSpec` objects (see the module docstring).

    ``frames`` are the waves' data after harmonisation (for column look-ups and the levels
    of plain categorical columns). ``measure`` is one name for all items or a mapping
    ``{item: measure}`` (items not in it use ``"auto"``). ``missing`` are codes dropped
    from every item besides the instrument's missing codes (None: none declared).
    """
    target = crosswalk.target if crosswalk is not None else instrument
    ctx = _Context(crosswalk, target, tuple(frames), tuple(missing or ()),
                   missing is not None)
    per_item = dict(measure) if isinstance(measure, Mapping) else {}
    for name, stat in per_item.items():
        check_option(f"measure[{name!r}]", stat, MEASURES)
    if not isinstance(measure, Mapping):
        check_option("measure", measure, MEASURES)
    unknown = [k for k in per_item if k not in items]
    if unknown:
        raise ValueError(f"'measure' names {unknown!r}, which are not in 'items' {list(items)!r}.")
    out: list[ItemSpec] = []
    for name in items:
        stat = per_item.get(name, "auto") if isinstance(measure, Mapping) else measure
        out += _resolve_one(ctx, name, stat)
    return out
