"""Crosswalks between instrument versions: ``instruments/<name>/crosswalk/<a>__<b>.yaml``.

A crosswalk says, for every item key of the newer (target) version, where it comes from in
the older (source) version and how comparable it is: ``identical``, ``recoded`` (a code map
in ``options``: target code → source codes), ``transformed`` (an exact numeric map in
``transform``), ``approximate`` (same concept, measurement changed), ``not_comparable``,
``new``; removed items are listed under ``dropped``. ``Crosswalk.apply`` recodes data of the
older version into the newer coding (see ``_recode.py``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StrictBool, StrictStr, ValidationError

from surveykit._display import object_html
from surveykit.errors import InstrumentError
from surveykit.instruments._instrument import Instrument
from surveykit.instruments._problems import Problem, problems_from_validation, raise_problems
from surveykit.instruments._schema import REF_PATTERN, Code, _Frozen

if TYPE_CHECKING:
    import pandas as pd

    from surveykit.instruments._diff import InstrumentDiff
    from surveykit.instruments._recode import CrosswalkResult

__all__ = [
    "Crosswalk",
    "CrosswalkItem",
    "CrosswalkSpec",
    "DroppedItem",
    "Transform",
    "check_crosswalk",
    "load_crosswalk",
    "parse_crosswalk_file",
]

Status = Literal["identical", "recoded", "transformed", "approximate", "not_comparable", "new",
                 "dropped"]
#: statuses whose data may be pooled or compared across the two versions
COMPARABLE = ("identical", "recoded", "transformed", "approximate")


class Transform(_Frozen):
    """Numeric map of a scale: ``linear_stretch`` (range onto range) or ``pomp`` (0-100)."""

    method: Literal["linear_stretch", "pomp", "none"]
    source_range: tuple[float, float] | None = None
    target_range: tuple[float, float] | None = None
    note: StrictStr | None = None


class CrosswalkItem(_Frozen):
    """How one target item key relates to the source version."""

    from_: StrictStr | None = Field(None, alias="from")
    status: Status
    commonality: Literal["identical", "high", "medium", "low", "none"] | None = None
    weight: float | None = Field(None, ge=0, le=1)
    difference: StrictStr | None = None
    options: dict[Code, tuple[Code, ...]] | None = None
    transform: Transform | None = None
    missing: dict[Code, Code] | None = None
    allowed_estimates: tuple[StrictStr, ...] = ()
    forbidden_estimates: tuple[StrictStr, ...] = ()
    trend_break: StrictBool = False
    reason: StrictStr | None = None
    note: StrictStr | None = None
    evidence: StrictStr | None = None


class DroppedItem(_Frozen):
    """A source item with no counterpart in the target version."""

    from_: StrictStr = Field(alias="from")
    status: Literal["dropped"] = "dropped"
    note: StrictStr | None = None
    reason: StrictStr | None = None


class CrosswalkSpec(_Frozen):
    """Content of one crosswalk file."""

    schema_version: Literal["surveykit.crosswalk/1"] = Field(alias="schema")
    from_: Annotated[str, Field(pattern=REF_PATTERN)] = Field(alias="from")
    to: Annotated[str, Field(pattern=REF_PATTERN)]
    direction: Literal["from_to_target"] = "from_to_target"
    items: dict[StrictStr, CrosswalkItem] = Field(default_factory=dict)
    dropped: tuple[DroppedItem, ...] = ()
    note: StrictStr | None = None


@dataclass(frozen=True)
class Crosswalk:
    """A validated crosswalk together with the two instrument versions it links.

    Attributes
    ----------
    spec : CrosswalkSpec
        The file's content.
    source, target : Instrument
        The older and the newer version.

    """

    spec: CrosswalkSpec
    source: Instrument
    target: Instrument

    def entry(self, key: str) -> CrosswalkItem | None:
        """Entry of target item key ``key`` (``None`` if the file has none)."""
        return self.spec.items.get(key)

    @property
    def trend_breaks(self) -> list[str]:
        """Target item keys flagged ``trend_break: true``."""
        return [k for k, e in self.spec.items.items() if e.trend_break]

    def status(self, key: str) -> str:
        """Status of target item key ``key`` (``identical`` if unlisted and unchanged)."""
        entry = self.entry(key)
        if entry is not None:
            return entry.status
        if key in self.source.item_keys and not self.diff.kinds(key):
            return "identical"
        return "new" if key not in self.source.item_keys else "not_comparable"

    @cached_property
    def diff(self) -> InstrumentDiff:
        """Item changes from source to target (see :func:`surveykit.diff_instruments`)."""
        from surveykit.instruments._diff import diff_instruments

        return diff_instruments(self.source, self.target)

    def to_frame(self) -> pd.DataFrame:
        """One row per target key: ``key, from, status, commonality, weight, trend_break``."""
        import pandas as pd

        rows: list[tuple[object, ...]] = [
            (k, e.from_, e.status, e.commonality, e.weight, e.trend_break)
            for k, e in self.spec.items.items()
        ]
        rows += [(None, d.from_, "dropped", None, None, False) for d in self.spec.dropped]
        return pd.DataFrame(rows, columns=["key", "from", "status", "commonality", "weight",
                                           "trend_break"])

    def apply(self, data: pd.DataFrame) -> CrosswalkResult:
        """Recode data of the source version into the target coding.

        See :func:`surveykit.instruments.apply_crosswalk`.
        """
        from surveykit.instruments._recode import apply_crosswalk

        return apply_crosswalk(self, data)

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("items", self.to_frame()))

    def __repr__(self) -> str:
        return f"<Crosswalk {self.spec.from_} -> {self.spec.to}, {len(self.spec.items)} items>"


_p = Problem.at


def _codes(inst: Instrument, key: str) -> tuple[tuple[Code, ...], tuple[Code, ...]] | None:
    cols = [v for v in inst.variables if v.key == key]
    if not cols or cols[0].choices is None:
        return None
    return cols[0].choices.codes, cols[0].choices.missing_codes


def _check_entry(key: str, e: CrosswalkItem, src: Instrument, tgt: Instrument) -> list[Problem]:
    path = f"items.{key}"
    out = []
    if key not in tgt.item_keys:
        close = difflib.get_close_matches(key, tgt.item_keys, n=1)
        out.append(_p(path, f"{key!r} is not an item key of {tgt.ref}.",
                      f"use {close[0]!r}." if close else "use a target item id (grid.row)."))
    if e.status == "new" and e.from_ is not None:
        out.append(_p(f"{path}.from", "a 'new' item has no source item.",
                      "remove 'from', or change the status."))
    if e.status != "new" and e.from_ is None:
        out.append(_p(path, f"status {e.status!r} needs the source item key in 'from'.",
                      f"add 'from: <item key in {src.ref}>'."))
    if e.from_ is not None and e.from_ not in src.item_keys:
        close = difflib.get_close_matches(e.from_, src.item_keys, n=1)
        out.append(_p(f"{path}.from", f"{e.from_!r} is not an item key of {src.ref}.",
                      f"use {close[0]!r}." if close else "use a source item id (grid.row)."))
    if e.status == "dropped":
        out.append(_p(f"{path}.status", "'dropped' items belong under 'dropped:'.",
                      "move the entry to the dropped list."))
    src_codes = _codes(src, e.from_) if e.from_ in src.item_keys else None
    tgt_codes = _codes(tgt, key) if key in tgt.item_keys else None
    if e.options and src_codes and tgt_codes:
        for t, sources in e.options.items():
            if t not in tgt_codes[0] + tgt_codes[1]:
                out.append(_p(f"{path}.options.{t}", f"{t!r} is not a code of {tgt.ref} "
                              f"item {key!r} {list(tgt_codes[0])}.", "use a target code."))
            bad = [s for s in sources if s not in src_codes[0] + src_codes[1]]
            if bad:
                out.append(_p(f"{path}.options.{t}", f"{bad} are not codes of {src.ref} item "
                              f"{e.from_!r} {list(src_codes[0])}.", "use source codes."))
    if e.missing and src_codes and tgt_codes:
        for old, new in e.missing.items():
            if old not in src_codes[0] + src_codes[1] or new not in tgt_codes[0] + tgt_codes[1]:
                out.append(_p(f"{path}.missing.{old}", f"missing map {old!r} -> {new!r} "
                              f"names a code outside the lists ({src.ref}: "
                              f"{list(src_codes[1])}, {tgt.ref}: {list(tgt_codes[1])}).",
                              "map a source code to a target missing code."))
    tr = e.transform
    if tr is not None and tr.method != "none" and tr.source_range is None:
        out.append(_p(f"{path}.transform", f"{tr.method} needs source_range (and "
                      "target_range for linear_stretch).", "add source_range: [min, max]."))
    if tr is not None and tr.method == "linear_stretch" and tr.target_range is None:
        out.append(_p(f"{path}.transform.target_range", "linear_stretch needs target_range.",
                      "add target_range: [min, max]."))
    return out


def check_crosswalk(spec: CrosswalkSpec, source: Instrument, target: Instrument,
                    file: str) -> list[Problem]:
    """Check a crosswalk against its two instruments; return every problem."""
    out: list[Problem] = []
    for key, entry in spec.items.items():
        out += _check_entry(key, entry, source, target)
    for i, dropped in enumerate(spec.dropped):
        if dropped.from_ not in source.item_keys:
            out.append(_p(f"dropped[{i}].from", f"{dropped.from_!r} is not an item key of "
                          f"{source.ref}.", "name a source item (grid rows as grid.row)."))
    return [Problem(file, p.path, p.message, p.fix) for p in out]


def parse_crosswalk_file(path: Path, display: str) -> tuple[CrosswalkSpec | None, list[Problem]]:
    """Read and validate the shape of a crosswalk file."""
    from surveykit.instruments._loader import read_yaml

    data, problems = read_yaml(path, display)
    if data is None and problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(display, "", "a crosswalk must be a mapping (schema, from, to, "
                              "items, dropped).", "start from an existing crosswalk file.")]
    try:
        spec = CrosswalkSpec.model_validate(data)
    except ValidationError as exc:
        return None, problems + problems_from_validation(exc, data, display, CrosswalkSpec)
    stem = f"{spec.from_.split('@')[1]}__{spec.to.split('@')[1]}"
    if path.stem != stem:
        problems.append(Problem(display, "from", f"the file name says {path.stem!r} but "
                                f"from/to say {stem!r}.", f"rename the file to {stem}.yaml."))
    return spec, problems


def load_crosswalk(
    name_or_path: str | Path,
    from_version: str | None = None,
    to_version: str | None = None,
    *,
    root: str | Path | None = None,
) -> Crosswalk:
    """Load a crosswalk and the two instrument versions it links.

    Parameters
    ----------
    name_or_path : str or Path
        Instrument name (with both versions) or the path of a crosswalk file.
    from_version, to_version : str
        The older and newer version, e.g. ``"1.0.0"``, ``"2.0.0"``.
    root : str or Path, optional
        Folder of instruments; default the bundled ones.

    Raises
    ------
    InstrumentError
        Listing every problem of the file (key path and fix).

    Examples
    --------
    >>> import surveykit as sk
    >>> xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    >>> xw.status("age")
    'identical'

    """
    from surveykit.instruments._loader import instruments_root, load_instrument

    folder = Path(root) if root is not None else instruments_root()
    if str(name_or_path).endswith((".yaml", ".yml")) or isinstance(name_or_path, Path):
        path = Path(name_or_path)
        folder = path.resolve().parent.parent.parent
    else:
        if from_version is None or to_version is None:
            raise ValueError("give both 'from_version' and 'to_version' with a name "
                             f"(got {from_version!r}, {to_version!r}).")
        path = folder / str(name_or_path) / "crosswalk" / f"{from_version}__{to_version}.yaml"
    if not path.is_file():
        raise InstrumentError(f"crosswalk file {path} does not exist.")
    spec, problems = parse_crosswalk_file(path, str(path))
    raise_problems(str(path), problems, "crosswalk")
    assert spec is not None
    src_id, src_version = spec.from_.split("@")
    tgt_id, tgt_version = spec.to.split("@")
    source = load_instrument(src_id, src_version, root=folder)
    target = load_instrument(tgt_id, tgt_version, root=folder)
    raise_problems(str(path), check_crosswalk(spec, source, target, str(path)), "crosswalk")
    return Crosswalk(spec, source, target)
