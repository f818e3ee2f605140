"""What changed between two instrument versions, item by item.

Items are matched by their stable key (the item id; ``grid.row`` for grid rows), never by
``var`` or position. Change kinds follow the CLOSER/CMU practice for repeated surveys:
``added``, ``removed``, ``wording`` (text or hint in any language), ``choices`` (codes,
labels, missing codes or measure of the answer scale), ``logic`` (``relevant``,
``constraint``, ``required``, selection limits, length), ``grid_rows`` (a row added to or
removed from a grid kept in both versions), ``type`` and ``var`` (the data column renamed).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from surveykit._display import object_html
from surveykit.instruments._instrument import Instrument
from surveykit.instruments._schema import ChoiceList, GridRow, Item

__all__ = ["CHANGE_KINDS", "InstrumentDiff", "ItemChange", "diff_instruments"]

CHANGE_KINDS = ("added", "removed", "wording", "choices", "logic", "grid_rows", "type", "var")
#: kinds that change what is measured (a crosswalk may not call such an item "identical")
SUBSTANTIVE_KINDS = frozenset({"wording", "choices", "logic", "type"})
_LOGIC_KEYS = ("relevant", "constraint", "required", "min_selected", "max_selected",
               "max_length")


@dataclass(frozen=True)
class ItemChange:
    """One change of one item key.

    Attributes
    ----------
    key : str
        Item id, or ``grid.row`` for a grid row.
    kind : str
        One of ``added, removed, wording, choices, logic, grid_rows, type, var``.
    detail : str
        What changed, in words (old and new values where short).

    """

    key: str
    kind: str
    detail: str


@dataclass(frozen=True)
class InstrumentDiff:
    """Changes between two versions (``old`` → ``new``).

    Attributes
    ----------
    old, new : str
        ``id@version`` of the two instruments.
    changes : tuple of ItemChange
        In the order of the new version's items (removed items last).

    """

    old: str
    new: str
    changes: tuple[ItemChange, ...]

    @property
    def is_empty(self) -> bool:
        """True when nothing item-related changed."""
        return not self.changes

    @property
    def changed_keys(self) -> list[str]:
        """Item keys with at least one change, in order."""
        return list(dict.fromkeys(c.key for c in self.changes))

    def kinds(self, key: str) -> set[str]:
        """Change kinds recorded for ``key``."""
        return {c.kind for c in self.changes if c.key == key}

    def to_frame(self) -> pd.DataFrame:
        """One row per change: ``key, kind, detail``."""
        return pd.DataFrame([(c.key, c.kind, c.detail) for c in self.changes],
                            columns=["key", "kind", "detail"])

    def summary(self) -> pd.DataFrame:
        """Return the table the display shows: the same frame as :meth:`to_frame`."""
        return self.to_frame()

    def _repr_html_(self) -> str:
        head = str(self).splitlines()[0]
        return object_html(head, ("changes", self.summary() if self.changes else None))

    def __str__(self) -> str:
        if self.is_empty:
            return f"{self.old} -> {self.new}: no item changes"
        lines = [f"{self.old} -> {self.new}: {len(self.changes)} change(s)"]
        lines += [f"  {c.key:<32} {c.kind:<10} {c.detail}" for c in self.changes]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Unit:
    item: Item
    row: GridRow | None
    choices: ChoiceList | None


def _units(inst: Instrument) -> dict[str, _Unit]:
    out: dict[str, _Unit] = {}
    for item in inst.items:
        cl = inst.choice_lists.get(item.choices) if item.choices else None
        if item.type == "grid":
            for row in item.rows or ():
                out[f"{item.id}.{row.id}"] = _Unit(item, row, cl)
        else:
            out[item.id] = _Unit(item, None, cl)
    return out


def _text_changes(old: _Unit, new: _Unit) -> list[str]:
    pairs = [("text", old.item.text, new.item.text), ("hint", old.item.hint, new.item.hint)]
    if old.row is not None and new.row is not None:
        pairs.append(("row text", old.row.text, new.row.text))
    out = []
    for what, a, b in pairs:
        a, b = a or {}, b or {}
        for lang in sorted(set(a) | set(b)):
            if a.get(lang) != b.get(lang):
                out.append(f"{what} [{lang}]: {a.get(lang)!r} -> {b.get(lang)!r}")
    return out


def _choice_changes(old: ChoiceList | None, new: ChoiceList | None) -> list[str]:
    if old == new:
        return []
    if old is None or new is None:
        return ["choice list added" if old is None else "choice list removed"]
    out = []
    if old.codes != new.codes:
        out.append(f"codes {list(old.codes)} -> {list(new.codes)}")
    if old.missing_codes != new.missing_codes:
        out.append(f"missing codes {list(old.missing_codes)} -> {list(new.missing_codes)}")
    if old.measure != new.measure:
        out.append(f"measure {old.measure} -> {new.measure}")
    langs = {lang for cl in (old, new) for o in cl.options for lang in o.label}
    labels = [c for c in set(old.all_codes) & set(new.all_codes)
              if any(old.label(c, lang) != new.label(c, lang) for lang in langs)
              or _exclusive(old, c) != _exclusive(new, c)]
    if labels:
        out.append(f"labels or exclusivity changed for codes {sorted(labels, key=_code_order)}")
    return out or ["choice list changed"]


def _code_order(code: object) -> tuple[bool, int, str]:
    return isinstance(code, str), code if isinstance(code, int) else 0, str(code)


def _exclusive(cl: ChoiceList, code: object) -> bool:
    return any(o.exclusive for o in cl.options if o.code == code)


def _unit_changes(key: str, old: _Unit, new: _Unit) -> list[ItemChange]:
    out = []
    if old.item.type != new.item.type:
        out.append(ItemChange(key, "type", f"{old.item.type} -> {new.item.type}"))
    old_var = old.row.var if old.row else old.item.var
    new_var = new.row.var if new.row else new.item.var
    if old_var != new_var:
        out.append(ItemChange(key, "var", f"{old_var} -> {new_var}"))
    out += [ItemChange(key, "wording", d) for d in _text_changes(old, new)]
    out += [ItemChange(key, "choices", d) for d in _choice_changes(old.choices, new.choices)]
    for attr in _LOGIC_KEYS:
        a, b = getattr(old.item, attr), getattr(new.item, attr)
        if a != b:
            out.append(ItemChange(key, "logic", f"{attr}: {_short(a)} -> {_short(b)}"))
    return out


def _short(value: object) -> str:
    if hasattr(value, "model_dump"):
        value = {k: v for k, v in value.model_dump().items() if v is not None}
    return repr(value)


def diff_instruments(old: Instrument, new: Instrument) -> InstrumentDiff:
    """Compare two instrument versions item by item.

    Parameters
    ----------
    old, new : Instrument
        Usually consecutive versions of one instrument.

    Returns
    -------
    InstrumentDiff
        ``changes`` (key, kind, detail); ``to_frame()`` gives a table.

    Examples
    --------
    >>> import surveykit as sk
    >>> d1 = sk.instruments.example_instrument_dict()
    >>> d2 = sk.instruments.example_instrument_dict()
    >>> d2["version"] = "2.0.0"
    >>> d2["items"][1]["var"] = "sat_region2"
    >>> d2["items"][2]["rows"][1]["text"]["en"] = "Buses and trains"
    >>> diff = sk.diff_instruments(sk.Instrument.from_dict(d1), sk.Instrument.from_dict(d2))
    >>> diff.to_frame()[["key", "kind"]].values.tolist()
    [['satisfaction_region', 'var'], ['services.transport', 'wording']]

    """
    before, after = _units(old), _units(new)
    old_grids = {u.item.id for u in before.values() if u.row is not None}
    changes: list[ItemChange] = []
    for key, unit in after.items():
        if key in before:
            changes += _unit_changes(key, before[key], unit)
        elif unit.row is not None and unit.item.id in old_grids:
            changes.append(ItemChange(key, "grid_rows", f"row added to grid {unit.item.id!r}"))
        else:
            changes.append(ItemChange(key, "added", f"new {unit.item.type} item"))
    new_grids = {u.item.id for u in after.values() if u.row is not None}
    for key, unit in before.items():
        if key in after:
            continue
        if unit.row is not None and unit.item.id in new_grids:
            changes.append(ItemChange(key, "grid_rows",
                                      f"row removed from grid {unit.item.id!r}"))
        else:
            changes.append(ItemChange(key, "removed", f"{unit.item.type} item removed"))
    return InstrumentDiff(old.ref, new.ref, tuple(changes))
