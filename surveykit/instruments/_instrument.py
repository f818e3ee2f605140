"""``Instrument``: one validated instrument version with read-only accessors.

The file model (``InstrumentSpec``) holds the keys as written. ``Instrument`` adds what
ingestion and analysis need without re-deriving it: the flattened data variables (grid rows
and multi-select options become columns), look-ups by item id and by column, the choice
lists, the fingerprints and the expression evaluator bound to the instrument's multi-select
options.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import PrivateAttr

from surveykit._display import object_html
from surveykit.errors import InstrumentError
from surveykit.instruments._expressions import Expression
from surveykit.instruments._fingerprint import instrument_fingerprint, item_fingerprint
from surveykit.instruments._schema import (
    ChoiceList,
    Code,
    GridRow,
    InstrumentSpec,
    Item,
    LocalizedText,
    Option,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Instrument", "Variable"]


@dataclass(frozen=True)
class Variable:
    """One data column of an instrument version.

    Attributes
    ----------
    var : str
        Column name in the data (``needs__housing`` for a multi-select option).
    key : str
        Item key: the item id, or ``grid.row`` for a grid row (used by crosswalks and
        indices). All option columns of a multi-select share the item's key.
    item : Item
        The item the column belongs to (the grid for a grid row).
    row : GridRow or None
        The grid row, for grid columns.
    option : Option or None
        The option, for multi-select columns (values 1 selected, 0 not, NA not shown).
    choices : ChoiceList or None
        The scale of single-choice items and grid rows (also set for multi-select columns,
        whose list holds the options).

    """

    var: str
    key: str
    item: Item
    row: GridRow | None = None
    option: Option | None = None
    choices: ChoiceList | None = None

    @property
    def type(self) -> str:
        """Item type: integer, decimal, single, multi, grid, text or date."""
        return self.item.type

    @property
    def text(self) -> LocalizedText:
        """Question text per language (the row text for a grid row)."""
        return self.row.text if self.row is not None else self.item.text

    @property
    def role(self) -> tuple[str, ...]:
        """Roles of the item and, for a grid row, of the row."""
        return tuple(dict.fromkeys(self.item.role + (self.row.role if self.row else ())))

    @property
    def reverse(self) -> bool:
        """Whether the column is reverse-coded for indices."""
        return self.row.reverse if self.row is not None else self.item.reverse

    @property
    def measure(self) -> str | None:
        """Level at which the answers are analysed: nominal, ordinal, interval (or None).

        The item's ``measure`` if given, else the choice list's; multi-select options are
        nominal, integer and decimal items interval, text and dates None.
        """
        if self.item.measure is not None:
            return self.item.measure
        if self.option is not None or self.type == "multi":
            return "nominal"
        if self.choices is not None:
            return self.choices.measure
        return "interval" if self.type in ("integer", "decimal") else None

    @property
    def expected(self) -> Code | None:
        """Expected answer of an attention check."""
        return self.row.expected if self.row is not None else self.item.expected


class Instrument(InstrumentSpec):
    """A validated, immutable instrument version.

    Load one with :func:`surveykit.load_instrument`; build one from a dict with
    :meth:`from_dict`. Attributes are the file's keys (``id``, ``version``, ``status``,
    ``items``, ``choice_lists``, ``indices`` ...); the properties below are derived.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.Instrument.from_dict(sk.instruments.example_instrument_dict())
    >>> inst.id, inst.version, inst.data_columns[:3]
    ('example', '1.0.0', ['age', 'sat_region', 'svc_housing'])
    >>> inst.variable("needs__other").key
    'needs'

    """

    _source: str | None = PrivateAttr(None)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "<dict>") -> Instrument:
        """Validate ``data`` (shape and consistency) and return the instrument.

        Raises
        ------
        InstrumentError
            Listing every problem with its key path and a fix.

        """
        from surveykit.instruments._loader import instrument_from_dict

        return instrument_from_dict(data, source)

    @property
    def source(self) -> str | None:
        """The file this instrument was loaded from, if any."""
        return self._source

    @property
    def ref(self) -> str:
        """``id@version``, the form used by ``supersedes`` and crosswalks."""
        return f"{self.id}@{self.version}"

    @property
    def version_info(self) -> tuple[int, int, int]:
        """The version as a tuple of ints, for sorting."""
        major, minor, patch = (int(p) for p in self.version.split("."))
        return major, minor, patch

    @property
    def language_codes(self) -> tuple[str, ...]:
        """Language codes, source language first."""
        return self.languages.codes

    @cached_property
    def fingerprint(self) -> str:
        """Canonical SHA-256 of the instrument (independent of YAML formatting)."""
        return instrument_fingerprint(self)

    @cached_property
    def item_fingerprints(self) -> dict[str, str]:
        """Canonical SHA-256 per item id (item keys plus its choice list's content)."""
        return {item.id: item_fingerprint(self, item) for item in self.items}

    @cached_property
    def variables(self) -> tuple[Variable, ...]:
        """Every data column, in questionnaire order."""
        return tuple(v for item in self.items for v in self._flatten(item))

    def _flatten(self, item: Item) -> Iterator[Variable]:
        choices = self.choice_lists.get(item.choices) if item.choices else None
        if item.type == "grid":
            for row in item.rows or ():
                yield Variable(row.var, f"{item.id}.{row.id}", item, row=row, choices=choices)
        elif item.type == "multi" and choices is not None:
            for opt in (*choices.options, *(_as_option(m) for m in choices.missing)):
                yield Variable(f"{item.var}__{opt.code}", item.id, item, option=opt,
                               choices=choices)
        elif item.var is not None:
            yield Variable(item.var, item.id, item, choices=choices)

    @cached_property
    def _by_var(self) -> dict[str, Variable]:
        return {v.var: v for v in self.variables}

    @cached_property
    def _by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @property
    def data_columns(self) -> list[str]:
        """Names of all data columns (grid rows and multi options flattened)."""
        return [v.var for v in self.variables]

    @property
    def item_keys(self) -> list[str]:
        """Item keys in order: item ids, with each grid replaced by ``grid.row`` keys."""
        return list(dict.fromkeys(v.key for v in self.variables))

    @cached_property
    def multi_options(self) -> dict[str, tuple[Code, ...]]:
        """``{var: codes}`` of every multi-select item (options then missing codes)."""
        out: dict[str, tuple[Code, ...]] = {}
        for item in self.items:
            if item.type == "multi" and item.var and item.choices in self.choice_lists:
                out[item.var] = self.choice_lists[item.choices].all_codes
        return out

    def item(self, item_id: str) -> Item:
        """Return the item with id ``item_id`` (for ``grid.row`` keys use :meth:`variables_of`)."""
        found = self._by_id.get(item_id)
        if found is None:
            raise self._not_found("item id", item_id, list(self._by_id) + self.item_keys)
        return found

    def variable(self, var: str) -> Variable:
        """Return the data column ``var``."""
        found = self._by_var.get(var)
        if found is None:
            raise self._not_found("variable", var, list(self._by_var))
        return found

    def variables_of(self, key: str) -> tuple[Variable, ...]:
        """Columns of an item key (an item id, or ``grid.row``)."""
        found = tuple(v for v in self.variables if v.key == key or v.item.id == key)
        if not found:
            raise self._not_found("item key", key, self.item_keys)
        return found

    def choice_list(self, name: str) -> ChoiceList:
        """Return the choice list called ``name``."""
        if name not in self.choice_lists:
            raise self._not_found("choice list", name, list(self.choice_lists))
        return self.choice_lists[name]

    def _not_found(self, what: str, name: str, known: list[str]) -> InstrumentError:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return InstrumentError(f"{self.ref} has no {what} {name!r}.{hint}")

    def evaluate(
        self, expression: str | Expression, data: pd.DataFrame, *, current: str | None = None
    ) -> pd.Series:
        """Evaluate a ``relevant``/``constraint`` expression with this instrument's options.

        See :func:`surveykit.evaluate_expression`; ``multi`` is :attr:`multi_options`.
        """
        from surveykit.instruments._evaluate import evaluate_expression

        return evaluate_expression(expression, data, current=current, multi=self.multi_options)

    def codebook(self, language: str | None = None) -> pd.DataFrame:
        """One row per variable and code; see :func:`surveykit.instruments.codebook`."""
        from surveykit.instruments._codebook import codebook

        return codebook(self, language=language)

    def _repr_html_(self) -> str:
        columns = self.codebook().drop_duplicates("var")[["var", "type", "text"]]
        return object_html(repr(self), ("columns", columns))

    def __repr__(self) -> str:
        return (
            f"<Instrument {self.ref} ({self.status}), {len(self.items)} items, "
            f"{len(self.variables)} columns, fingerprint {self.fingerprint[:12]}>"
        )

    __str__ = __repr__


def _as_option(missing: Any) -> Option:
    return Option(code=missing.code, label=missing.label, exclusive=False)
