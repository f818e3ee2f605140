"""What a reader learned about a file besides its cells: :class:`FileMetadata`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FileMetadata", "ResponseMetadata"]


@dataclass(frozen=True)
class FileMetadata:
    """Everything a reader learned about a response file besides its cells.

    Parameters
    ----------
    path : str
        The file as given (used in every message about it).
    format : str
        ``"csv"``, ``"xlsx"``, ``"sav"``, ``"zsav"``, ``"dta"`` or ``"parquet"``.
    sha256 : str
        SHA-256 of the file's bytes (hex); stamped on every row of ``Responses.data``.
    n_rows : int
        Data rows read (header excluded).
    columns : tuple of str
        Column names as in the file (duplicates kept, in file order).
    encoding, delimiter, decimal : str or None
        What the CSV sniffer decided (``None`` for binary formats).
    sheet : str or None
        The worksheet read (XLSX).
    column_labels : mapping
        Variable labels, ``{column: label}``.
    value_labels : mapping
        Value labels, ``{column: {code: label}}``.
    missing_ranges : mapping
        User-missing values, ``{column: ((lo, hi), ...)}`` (a discrete value ``v`` is ``(v, v)``).
    measure : mapping
        Measurement level per column: ``"nominal"``, ``"ordinal"``, ``"scale"`` or ``"unknown"``.
    duplicate_columns : tuple of str
        Column names that occur more than once in the header.
    file_label : str or None
        The file label (SPSS, Stata).
    fallback_lines : tuple of int
        Lines (1-based) of a UTF-8 text file that were not UTF-8 and were decoded as cp1252.

    Examples
    --------
    >>> m = FileMetadata(path="a.csv", format="csv", sha256="0" * 64, n_rows=2, columns=("x",))
    >>> m.n_rows, m.value_labels
    (2, {})

    """

    path: str
    format: str
    sha256: str
    n_rows: int
    columns: tuple[str, ...]
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    sheet: str | None = None
    column_labels: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    missing_ranges: Mapping[str, tuple[tuple[Any, Any], ...]] = field(default_factory=dict)
    measure: Mapping[str, str] = field(default_factory=dict)
    duplicate_columns: tuple[str, ...] = ()
    file_label: str | None = None
    fallback_lines: tuple[int, ...] = ()

    def is_user_missing(self, column: str, value: Any) -> bool:
        """Return True if ``value`` falls in a declared user-missing range of ``column``.

        Examples
        --------
        >>> m = FileMetadata("a.sav", "sav", "0" * 64, 1, ("q",), missing_ranges={"q": ((98, 99),)})
        >>> m.is_user_missing("q", 98), m.is_user_missing("q", 3)
        (True, False)

        """
        for lo, hi in self.missing_ranges.get(column, ()):
            try:
                if lo <= value <= hi:
                    return True
            except TypeError:
                continue
        return False


@dataclass(frozen=True)
class ResponseMetadata:
    """What ``Responses`` knows about its columns and where they came from.

    Parameters
    ----------
    file : FileMetadata
        The source file.
    source : str
        The platform adapter used (``"generic"`` when none matched), or ``"labelled"`` when
        read without an instrument.
    instrument_id, instrument_version, instrument_fingerprint : str or None
        The instrument the data were typed and validated against.
    wave : str or None
        The wave label stamped on every row.
    variable_labels : mapping
        ``{column: label}``.
    value_labels : mapping
        ``{column: {code: label}}`` (missing codes included).
    missing_codes : mapping
        ``{column: {code: kind}}`` with kind ``dont_know``, ``refused`` or ``not_applicable``.
    measure : mapping
        ``{column: "nominal" | "ordinal" | "scale"}``.
    category_codes : mapping
        For categoricals whose categories are labels: ``{column: {category: code}}``.
    multi : mapping
        ``{multi-select var: (var__code columns...)}``.
    free_text : tuple of str
        Columns holding free text; reports leave them out unless asked.
    identifiers : mapping
        ``{column: "pseudonymised" | "dropped"}``.
    deployment : str or None
        The deployment file used.

    """

    file: FileMetadata
    source: str
    instrument_id: str | None = None
    instrument_version: str | None = None
    instrument_fingerprint: str | None = None
    wave: str | None = None
    variable_labels: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    missing_codes: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    measure: Mapping[str, str] = field(default_factory=dict)
    category_codes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    multi: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    free_text: tuple[str, ...] = ()
    identifiers: Mapping[str, str] = field(default_factory=dict)
    deployment: str | None = None
