"""What a name stands for in an instrument, and an item's scale as analyses read it.

Banner tables and wave comparisons both take names of items: an item key
(``"impression"``, ``"pulse.trust"``), a grid id (``"pulse"``: its rows) or a data column
(``"impression7"``). :func:`keys_of` turns such a name into item keys; a grid id stands for
its substantive rows, never its attention checks, which are there to check the respondent
and not to be reported. :func:`item_scale` gives an item's data columns, its substantive
codes in scale order with their options, and its declared missing codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveykit.instruments._instrument import Instrument
from surveykit.instruments._schema import Code, Option

__all__ = ["ItemScale", "item_scale", "keys_of"]

#: roles of items that are never analysed as questions
NOT_QUESTIONS = frozenset({"attention_check", "identifier"})


def keys_of(instrument: Instrument, name: str) -> list[str] | None:
    """Item keys ``name`` stands for: an item key, a grid id or a data column (else None).

    A grid id gives its rows in order, leaving out attention checks; an item key or data
    column names exactly one item, whatever its role.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.load_instrument("reputation", version="2.0.0")
    >>> keys_of(inst, "attributes")[5:7]  # attributes.attention is an attention check
    ['attributes.transport', 'attributes.openness']
    >>> keys_of(inst, "impression7"), keys_of(inst, "shoe_size")
    (['impression'], None)

    """
    keys = instrument.item_keys
    if name in keys:
        return [name]
    rows = [v.key for v in instrument.variables
            if v.key.startswith(f"{name}.") and not NOT_QUESTIONS & set(v.role)]
    if rows:
        return list(dict.fromkeys(rows))
    by_var = {v.var: v.key for v in instrument.variables}
    return [by_var[name]] if name in by_var else None


@dataclass(frozen=True)
class ItemScale:
    """The scale of one item.

    Attributes
    ----------
    key : str
        The item key.
    columns : tuple of str
        Data columns: the item's column, or the option columns of a multi-select item
        (its missing options left out).
    options : tuple of Option
        Substantive options in scale order (a multi-select item's options); empty for
        integer, decimal and text items.
    missing : tuple
        Codes that mean "no answer": the choice list's missing codes, then ``extra``.
    multi : bool
        Whether the item is a multi-select item.

    """

    key: str
    columns: tuple[str, ...]
    options: tuple[Option, ...]
    missing: tuple[object, ...]
    multi: bool

    @property
    def codes(self) -> tuple[Code, ...] | None:
        """Substantive codes in scale order (None without a choice list)."""
        return tuple(o.code for o in self.options) if self.options else None


def item_scale(instrument: Instrument, key: str, extra: Sequence[object] = ()) -> ItemScale:
    """Return the scale of item ``key``; ``extra`` codes are missing too.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.load_instrument("reputation", version="2.0.0")
    >>> s = item_scale(inst, "pulse.trust")
    >>> s.columns, s.codes, s.missing
    (('pulse_trust',), (1, 2, 3, 4, 5, 6, 7), (98,))

    """
    variables = instrument.variables_of(key)
    first = variables[0]
    ch = first.choices
    declared = tuple(ch.missing_codes) if ch is not None else ()
    missing: tuple[object, ...] = declared + tuple(m for m in extra if m not in declared)
    if first.type == "multi":
        subst = [v for v in variables if v.option is not None and v.option.code not in missing]
        return ItemScale(key, tuple(v.var for v in subst),
                         tuple(v.option for v in subst if v.option is not None), missing, True)
    options = tuple(ch.options) if ch is not None else ()
    return ItemScale(key, (first.var,), options, missing, False)
