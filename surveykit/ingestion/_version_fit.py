"""Refuse a file read with the wrong instrument version, and name the version that fits.

Two signs that the instrument version does not match the export:

- the header: another released version of the same instrument finds more of the file's
  columns (its items found, fewer columns left over); a version written for the data finds
  every column that the wrong one misses or leaves unknown;
- the values: most rows break the instrument's value rules (codes outside the choice list,
  ranges, required answers missing), as when a 0-10 answer is read against a 1-11 coding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from surveykit.errors import IngestionError, SurveykitError

__all__ = ["VALUE_RULES", "check_version_fit", "header_fit"]

#: value rules whose errors on most rows mean that the file is coded for another version
VALUE_RULES = ("code", "constraint", "required")
#: share of rows with such an error above which the file is refused
MOST_ROWS = 0.5


@dataclass(frozen=True)
class HeaderFit:
    """How well an instrument version's columns match a file's header."""

    ref: str
    found: int
    expected: int
    unknown: int

    @property
    def score(self) -> float:
        """Columns found over columns expected plus columns left unknown (0 to 1)."""
        total = self.expected + self.unknown
        return self.found / total if total else 0.0

    def describe(self) -> str:
        return (f"{self.ref}: {self.found} of its {self.expected} columns found, "
                f"{self.unknown} file column(s) unknown to it")


def header_fit(raw: pd.DataFrame, fmeta: Any, inst: Any, source: str, dep: Any,
               canon: Any = None) -> HeaderFit:
    """Match ``inst``'s data columns against the file header through the platform adapter.

    ``canon`` is the adapter's output for ``inst`` when the caller already has it.
    """
    from surveykit.ingestion._platforms import ADAPTERS, META_COLUMNS

    if canon is None:
        try:
            canon = ADAPTERS[source].convert(raw, fmeta, inst, dep)
        except SurveykitError:
            return HeaderFit(inst.ref, 0, len(inst.data_columns), len(raw.columns))
    wanted = [v.var for v in inst.variables if "identifier" not in v.role]
    found = sum(v in canon.frame.columns for v in wanted)
    unknown = sum(c not in canon.used and c not in dep.ignore and c not in META_COLUMNS
                  for c in raw.columns)
    return HeaderFit(inst.ref, found, len(wanted), unknown)


def _siblings(inst: Any) -> list[Any]:
    """Other released versions of the same bundled instrument."""
    from surveykit.instruments import list_instruments, load_instrument

    table = list_instruments()
    rows = table[(table["name"] == inst.id) & (table["version"] != inst.version)
                 & (table["status"] != "draft")]
    return [load_instrument(inst.id, version=v) for v in rows["version"]]


def _best_other(raw: pd.DataFrame, fmeta: Any, inst: Any, source: str, dep: Any, canon: Any
                ) -> tuple[HeaderFit, HeaderFit] | None:
    """``(own fit, best other fit)`` when another released version fits the header better."""
    others = [header_fit(raw, fmeta, s, source, dep) for s in _siblings(inst)]
    if not others:
        return None
    own = header_fit(raw, fmeta, inst, source, dep, canon)
    better = [f for f in others if f.score > own.score]
    return (own, max(better, key=lambda f: f.score)) if better else None


def _failing_rows(report: pd.DataFrame) -> pd.DataFrame:
    """Errors of the value rules, one row per (rule, row)."""
    errors = report[(report["severity"] == "error") & report["rule"].isin(VALUE_RULES)]
    return errors.dropna(subset=["row"]).drop_duplicates(["rule", "row"])


def _values_fit(inst: Any, reread: Callable[[Any], pd.DataFrame], n_rows: int
                ) -> tuple[str, int] | None:
    """Return the sibling version under whose value rules fewest rows fail (if under half)."""
    best: tuple[str, int] | None = None
    for other in _siblings(inst):
        try:
            failing = _failing_rows(reread(other))["row"].nunique()
        except SurveykitError:
            continue
        if failing <= MOST_ROWS * n_rows and (best is None or failing < best[1]):
            best = (other.ref, failing)
    return best


def check_version_fit(raw: pd.DataFrame, fmeta: Any, inst: Any, source: str, dep: Any,
                      report: pd.DataFrame, n_rows: int,
                      reread: Callable[[Any], pd.DataFrame], canon: Any = None) -> None:
    """Raise :class:`IngestionError` when the file fits another version of the instrument.

    ``report`` holds the validation problems found reading with ``inst``; ``reread`` gives
    the report of the same file read with another version; ``canon`` is the adapter's
    output for ``inst``, if at hand. A deployment that names the instrument version settles
    the header question (it was written for that version), but not the values one.
    """
    errors = _failing_rows(report)
    failing = errors["row"].nunique()
    most_fail = n_rows > 0 and failing > MOST_ROWS * n_rows
    if dep.instrument and not most_fail:
        return
    fits = _best_other(raw, fmeta, inst, source, dep, canon)
    if fits is None and not most_fail:
        return
    where = fmeta.path
    if fits is not None:
        own, other = fits
        raise IngestionError(
            f"{where}: the file was read with {inst.ref}, but its header matches "
            f"{other.ref} better ({other.describe()}; {own.describe()}). Read it with "
            f"instrument={other.ref!r} (and that version's deployment).")
    rules = ", ".join(f"{r}: {int(k)} rows" for r, k in errors["rule"].value_counts().items())
    head = (f"{where}: {failing} of {n_rows} rows break the value rules of {inst.ref} "
            f"({rules}).")
    coded = _values_fit(inst, reread, n_rows)
    if coded is not None:
        raise IngestionError(
            f"{head} Read with {coded[0]}, {coded[1]} rows do: the file is coded for "
            f"{coded[0]}. Read it with instrument={coded[0]!r} (and that version's "
            "deployment).")
    raise IngestionError(
        f"{head} No other released version of {inst.id!r} fits better; check the export's "
        "codes against the instrument's choice lists, or pass the instrument version the "
        "questionnaire was fielded with.")
