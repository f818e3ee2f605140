"""Frozen pydantic models of the instrument file format (``schema: surveykit.instrument/1``).

The models describe the *shape* of a file: which keys exist, their types and allowed values.
Rules that need the whole instrument (unique ids, choice-list references, texts in every
language, skip-logic references) live in ``_checks.py`` and ``_checks_logic.py`` so that
every problem of a file is reported at once, with its key path. ``Instrument`` itself (with
its accessors) is in ``_instrument.py``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

__all__ = [
    "CODE_PATTERN",
    "NAME_PATTERN",
    "SEMVER_PATTERN",
    "ChoiceList",
    "Code",
    "GridRow",
    "Index",
    "InstrumentSpec",
    "Item",
    "Languages",
    "LocalizedText",
    "MissingCode",
    "Option",
    "Quality",
    "RangeConstraint",
    "Translation",
]

#: snake_case names for item ids and data columns; ``__`` is reserved for ``var__code`` columns
NAME_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
#: dotted concept keys such as ``wellbeing.place_satisfaction``
CONCEPT_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
#: semantic version ``MAJOR.MINOR.PATCH`` (no pre-release tags: files are immutable versions)
SEMVER_PATTERN = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"
#: ``id@version`` references between instrument versions
REF_PATTERN = r"^[a-z][a-z0-9_]*@(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"
#: string codes become column suffixes (``var__code``) and must be snake_case
CODE_PATTERN = NAME_PATTERN

Name = Annotated[str, Field(pattern=NAME_PATTERN)]
#: a code of a choice list: an integer, or a snake_case string (multi-select options)
Code = StrictInt | StrictStr
#: text per language, e.g. ``{"nb": "Hvor gammel er du?", "en": "How old are you?"}``
LocalizedText = dict[StrictStr, StrictStr]
Number = StrictInt | float
ItemType = Literal["integer", "decimal", "single", "multi", "grid", "text", "date"]
Role = Literal["screener", "identifier", "attention_check"]
MissingKind = Literal["dont_know", "refused", "not_applicable"]
#: measurement level of a choice list or of an item's analysis
Measure = Literal["nominal", "ordinal", "interval"]


class _Frozen(BaseModel):
    """Base of all file models: immutable, unknown keys rejected (they are usually typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Option(_Frozen):
    """One substantive answer option of a choice list."""

    code: Code = Field(description="Value stored in the data (int, or snake_case string).")
    label: LocalizedText = Field(description="Label per language.")
    exclusive: StrictBool = Field(
        False, description="Multi-select only: may not be combined with other options."
    )


class MissingCode(_Frozen):
    """An explicit missing-value code (don't know, refused, not applicable)."""

    code: Code
    kind: MissingKind
    label: LocalizedText


class ChoiceList(_Frozen):
    """A named list of options shared by items, as XLSForm's ``list_name``."""

    measure: Measure
    options: tuple[Option, ...] = Field(min_length=1)
    missing: tuple[MissingCode, ...] = ()

    @property
    def codes(self) -> tuple[Code, ...]:
        """Codes of the substantive options, in order."""
        return tuple(o.code for o in self.options)

    @property
    def missing_codes(self) -> tuple[Code, ...]:
        """Codes of the missing-value options, in order."""
        return tuple(m.code for m in self.missing)

    @property
    def all_codes(self) -> tuple[Code, ...]:
        """Substantive and missing codes, in file order."""
        return self.codes + self.missing_codes

    def label(self, code: Code, language: str) -> str | None:
        """Label of ``code`` in ``language`` (``None`` if the code is not in the list)."""
        for entry in self.options:
            if entry.code == code and type(entry.code) is type(code):
                return entry.label.get(language)
        for miss in self.missing:
            if miss.code == code and type(miss.code) is type(code):
                return miss.label.get(language)
        return None

    @property
    def scale_range(self) -> tuple[float, float] | None:
        """Smallest and largest substantive numeric code (``None`` for string codes)."""
        nums = [c for c in self.codes if isinstance(c, int)]
        if not nums or len(nums) != len(self.codes):
            return None
        return float(min(nums)), float(max(nums))


class RangeConstraint(_Frozen):
    """Shorthand constraint ``{min, max}`` for numeric items (inclusive bounds)."""

    min: Number | None = None
    max: Number | None = None


class Quality(_Frozen):
    """Data-quality checks to compute for an item."""

    straightlining: StrictBool = False


class GridRow(_Frozen):
    """One row of a grid: its own data column, sharing the grid's scale."""

    id: Name
    var: Name
    text: LocalizedText
    reverse: StrictBool = False
    role: tuple[Role, ...] = ()
    expected: Code | None = None
    note: StrictStr | None = None


class Item(_Frozen):
    """One question (or a grid of questions sharing a scale).

    ``id`` is the stable concept key kept across versions; ``var`` is this version's data
    column. Grids have no ``var``: each row has its own.
    """

    id: Name
    concept: Annotated[str, Field(pattern=CONCEPT_PATTERN)] | None = None
    var: Name | None = None
    type: ItemType
    role: tuple[Role, ...] = ()
    text: LocalizedText
    hint: LocalizedText | None = None
    required: StrictBool = False
    relevant: StrictStr | None = Field(
        None, description="XLSForm expression; the item is asked only where it is true."
    )
    constraint: RangeConstraint | StrictStr | None = Field(
        None, description="{min, max} or an XLSForm expression using '.' for the answer."
    )
    constraint_message: LocalizedText | None = None
    choices: Name | None = Field(None, description="Choice-list name (single, multi, grid).")
    min_selected: StrictInt | None = Field(None, ge=0)
    max_selected: StrictInt | None = Field(None, ge=1)
    max_length: StrictInt | None = Field(None, ge=1)
    disclosure_risk: StrictStr | None = None
    reverse: StrictBool = False
    expected: Code | None = None
    quality: Quality | None = None
    unit: StrictStr | None = None
    rows: tuple[GridRow, ...] | None = None
    note: StrictStr | None = None
    measure: Measure | None = Field(
        None, description="Level at which the answers are analysed: nominal and ordinal get "
        "shares of each category, interval (equally spaced codes: agreement and rating "
        "scales, 0-10) also gets a mean. Default: the choice list's measure; integer and "
        "decimal items are interval. Left out of the fingerprint (see _fingerprint).")


class Index(_Frozen):
    """A scale score computed from items (reverse coding from the items' ``reverse`` flag)."""

    id: Name
    label: LocalizedText
    items: tuple[StrictStr, ...] = Field(min_length=1)
    method: Literal["mean", "sum"] = "mean"
    scale: Literal["raw", "pomp"] = "raw"
    min_valid: StrictInt | None = Field(None, ge=1)


class Translation(_Frozen):
    """Provenance of one target-language translation (TRAPD steps)."""

    method: StrictStr
    translators: StrictInt | None = Field(None, ge=0)
    reviewer: StrictBool | None = None
    status: Literal["drafted", "reviewed", "adjudicated", "pretested", "final"]
    adjudicated: _dt.date | None = None
    pretested: _dt.date | None = None
    documentation: StrictStr | None = None
    note: StrictStr | None = None


class Languages(_Frozen):
    """Source and target languages (BCP-47 codes) with display names."""

    source: StrictStr
    targets: tuple[StrictStr, ...] = ()
    names: dict[StrictStr, StrictStr]
    translation: dict[StrictStr, Translation] = Field(default_factory=dict)

    @property
    def codes(self) -> tuple[str, ...]:
        """All language codes, source first."""
        return (self.source, *self.targets)


class InstrumentSpec(_Frozen):
    """Content of one instrument file, exactly as written (validated shape only)."""

    schema_version: Literal["surveykit.instrument/1"] = Field(alias="schema")
    id: Name
    version: Annotated[str, Field(pattern=SEMVER_PATTERN)]
    status: Literal["draft", "released", "retired"]
    released: _dt.date | None = None
    supersedes: Annotated[str, Field(pattern=REF_PATTERN)] | None = None
    provenance: StrictStr | None = None
    title: LocalizedText
    universe: LocalizedText
    languages: Languages
    choice_lists: dict[Name, ChoiceList] = Field(default_factory=dict)
    items: tuple[Item, ...] = Field(min_length=1)
    indices: tuple[Index, ...] = ()
    note: StrictStr | None = None
