"""Format detection and the readers behind :func:`read_responses`.

``read_file(path)`` returns the cells as found (CSV/XLSX: strings and native cell values; SPSS,
Stata: codes with ``user_missing=True``; Parquet: as stored) and a :class:`FileMetadata`.
Every failure of the underlying library becomes an ``IngestionError`` that names the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._limits import get_input_limits, limit_hint
from surveykit.errors import IngestionError
from surveykit.ingestion._delimited import (
    decode_text_lines,
    normalise_newlines,
    read_delimited,
    sniff_delimiter,
    unique_names,
)
from surveykit.ingestion._guards import (
    check_claimed_rows,
    check_text_shape,
    check_worksheets,
    check_zip,
)
from surveykit.ingestion._isolated import read_isolated
from surveykit.ingestion._metadata import FileMetadata
from surveykit.ingestion._xlsx import UnsupportedXlsxError, read_worksheet

__all__ = ["PARQUET_KEY", "detect_format", "read_file", "read_table"]

#: key of the surveykit metadata stored in a Parquet file's schema metadata
PARQUET_KEY = b"surveykit.metadata"

_EXTENSIONS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".sav": "sav", ".zsav": "zsav", ".dta": "dta", ".parquet": "parquet", ".pq": "parquet",
}


def detect_format(path: Path, head: bytes) -> str:
    """Tell the format from the first bytes, falling back to the extension.

    Examples
    --------
    >>> detect_format(Path("x.bin"), b"$FL2@(#) IBM SPSS")
    'sav'
    >>> detect_format(Path("x.csv"), b"a;b")
    'csv'

    """
    if head.startswith(b"$FL3"):
        return "zsav"
    if head.startswith(b"$FL2"):
        return "sav"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"<stata_dta>") or (
        head[:1] in (b"\x71", b"\x72", b"\x73") and path.suffix.lower() == ".dta"
    ):
        return "dta"
    if head.startswith(b"PK\x03\x04") and path.suffix.lower() not in (".sav", ".dta"):
        return "xlsx"
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise IngestionError(
            f"{path}: cannot tell the file format from the extension {path.suffix!r} or the "
            f"content. Supported: {sorted(set(_EXTENSIONS))}."
        )
    return fmt


def read_file(
    path: str | os.PathLike[str], *, encoding: str | None = None, sheet: str | int | None = None,
    compact: bool = False,
) -> tuple[pd.DataFrame, FileMetadata]:
    """Read any supported response file into ``(cells, FileMetadata)``.

    With ``compact``, the columns of a CSV are categoricals of the cells' strings instead of
    ``object`` columns (the same cells; see ``_compact.py``).

    Raises
    ------
    IngestionError
        The file is missing, empty, has a header but no rows, is truncated or corrupt, or
        is not in the encoding given.

    """
    p = Path(path)
    if not p.is_file():
        raise IngestionError(f"{p}: no such file. Check the path (relative to {Path.cwd()}).")
    lim = get_input_limits()
    if p.stat().st_size > lim.max_file_bytes:
        raise IngestionError(f"{p}: the file has {p.stat().st_size} bytes, more than the input "
                             f"limit max_file_bytes = {lim.max_file_bytes} "
                             f"({limit_hint('max_file_bytes')}).")
    raw = p.read_bytes()
    if not raw or raw.isspace():  # not raw.strip(), which copies the file
        raise IngestionError(f"{p}: the file is empty (0 data bytes). Export the responses again.")
    fmt = detect_format(p, raw[:16])
    sha = hashlib.sha256(raw).hexdigest()
    if fmt in ("sav", "zsav", "dta"):
        check_claimed_rows(p, raw[:512], len(raw), fmt)
    if fmt == "csv":
        return _read_csv(raw, str(p), sha, encoding, compact)
    reader: dict[str, Callable[..., tuple[pd.DataFrame, FileMetadata]]] = {
        "xlsx": _read_xlsx, "sav": _read_spss, "zsav": _read_spss, "dta": _read_stata,
        "parquet": _read_parquet,
    }
    frame, meta = reader[fmt](p, sha, fmt, sheet) if fmt == "xlsx" else reader[fmt](p, sha, fmt)
    _require_rows(frame, str(p))
    return frame, meta


def read_table(
    path: str | os.PathLike[str], *, encoding: str | None = None, sheet: str | int | None = None
) -> pd.DataFrame:
    r"""Read a CSV, XLSX, SPSS, Stata or Parquet file into a DataFrame of cells as found.

    The same readers as :func:`read_responses` without an instrument: for side tables such
    as attendance lists, event registers or lookup tables. The format is told from the
    content (falling back to the extension); CSV encoding and delimiter are detected.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.
    encoding : str, optional
        Text encoding of a CSV file; detected when omitted (UTF-8 with or without BOM,
        UTF-16, then Windows-1252).
    sheet : str or int, optional
        Worksheet of an XLSX file (name or 0-based position); the first sheet by default.

    Returns
    -------
    pandas.DataFrame
        CSV/XLSX: text and native cell values, empty cells missing; SPSS/Stata: value codes;
        Parquet: as stored. Column names are made unique.

    Raises
    ------
    IngestionError
        The file is missing, empty, has a header but no rows, is truncated or corrupt, or
        is not in the encoding given.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp) / "signup.csv"
    ...     _ = f.write_text("name;year\nKari;1980\nOla;1975\n", encoding="utf-8")
    ...     read_table(f)
       name  year
    0  Kari  1980
    1   Ola  1975

    """
    return read_file(path, encoding=encoding, sheet=sheet)[0]


def _require_rows(frame: pd.DataFrame, path: str) -> None:
    lim = get_input_limits()
    for what, n, name, limit in (("columns", frame.shape[1], "max_columns", lim.max_columns),
                                 ("rows", len(frame), "max_rows", lim.max_rows)):
        if n > limit:
            raise IngestionError(f"{path}: the file has {n} {what}, more than the input limit "
                                 f"{name} = {limit} ({limit_hint(name)}).")
    if frame.shape[1] == 0:
        raise IngestionError(f"{path}: the file has no columns. Export the responses again.")
    if len(frame) == 0:
        raise IngestionError(
            f"{path}: the file has a header ({frame.shape[1]} columns) but no data rows. "
            "Check that the export included responses (filters, date range)."
        )


def _read_csv(
    raw: bytes, path: str, sha: str, encoding: str | None, compact: bool = False
) -> tuple[pd.DataFrame, FileMetadata]:
    text, used, fallback = decode_text_lines(raw, path, encoding)
    text = normalise_newlines(text)
    delimiter = sniff_delimiter(text)
    check_text_shape(text, path, delimiter)
    as_read = used == "utf-8" and not fallback and b"\r" not in raw
    data = raw if as_read else text.encode("utf-8")
    del text  # the parser reads the bytes; a second copy of the file is not kept
    frame, header = read_delimited(data, path, delimiter, compact=compact)
    _require_rows(frame, path)
    meta = FileMetadata(
        path=path, format="csv", sha256=sha, n_rows=len(frame), columns=tuple(header),
        encoding=used, delimiter=delimiter, decimal="," if delimiter != "," else ".",
        duplicate_columns=_duplicates(header), fallback_lines=fallback,
    )
    return frame, meta


def _duplicates(header: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    dup: list[str] = []
    for h in header:
        if h in seen and h not in dup:
            dup.append(h)
        seen.add(h)
    return tuple(dup)


def _blank_to_na(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells holding only whitespace become missing (a new frame; dtypes are left alone).

    Column by column rather than ``replace(regex=True)``, which warns about downcasting on
    pandas 2.2.
    """
    out = frame.copy()
    for j in range(out.shape[1]):
        values = out.iloc[:, j].to_numpy(dtype=object, copy=True)
        blank = np.fromiter((isinstance(v, str) and not v.strip() for v in values),
                            dtype=bool, count=len(values))
        if blank.any():
            values[blank] = pd.NA
            out[out.columns[j]] = values
    return out


def _read_xlsx(
    p: Path, sha: str, fmt: str, sheet: str | int | None
) -> tuple[pd.DataFrame, FileMetadata]:
    try:
        with zipfile.ZipFile(p) as zf:
            check_zip(p, zf)
            check_worksheets(p, zf)
            try:
                book = read_worksheet(zf, p, sheet)
            except UnsupportedXlsxError:
                book = None
        if book is None:  # damaged, or holding what only openpyxl reads
            book = read_with_openpyxl(p, sheet)
    except IngestionError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise IngestionError(
            f"{p}: not a readable .xlsx workbook ({type(exc).__name__}: {exc}); the file is "
            "truncated or corrupt. Download or export it again."
        ) from None
    except Exception as exc:  # openpyxl raises many unrelated types on damaged XML
        raise IngestionError(
            f"{p}: the .xlsx workbook is damaged ({type(exc).__name__}: {exc}). "
            "Open and re-save it in Excel, or export it again."
        ) from None
    if book.empty:
        raise IngestionError(
            f"{p}: {_sheet_named(sheet)} is empty (no header and no rows). Export the "
            "responses again, or pass sheet= naming the worksheet that holds them.")
    header = ["" if pd.isna(v) else str(v).strip() for v in book.iloc[0].tolist()]
    frame = book.iloc[1:].reset_index(drop=True)
    frame.columns = unique_names(header)
    frame = _blank_to_na(frame)
    meta = FileMetadata(
        path=str(p), format=fmt, sha256=sha, n_rows=len(frame), columns=tuple(header),
        sheet=str(sheet or 0), duplicate_columns=_duplicates(header),
    )
    return frame, meta


def _sheet_named(sheet: str | int | None) -> str:
    """How an error names the worksheet read.

    Examples
    --------
    >>> _sheet_named(None), _sheet_named("Data"), _sheet_named(2)
    ('the first worksheet (sheet 0)', "worksheet 'Data'", 'worksheet 2 (counting from 0)')

    """
    if isinstance(sheet, str):
        return f"worksheet {sheet!r}"
    if not sheet:
        return "the first worksheet (sheet 0)"
    return f"worksheet {sheet} (counting from 0)"


def read_with_openpyxl(p: Path, sheet: str | int | None) -> pd.DataFrame:
    """Read a worksheet's cells with openpyxl (what ``_xlsx.read_worksheet`` matches)."""
    return pd.read_excel(p, sheet_name=sheet or 0, header=None, dtype=object, engine="openpyxl")


def _read_spss(p: Path, sha: str, fmt: str) -> tuple[pd.DataFrame, FileMetadata]:
    frame, m = read_isolated(p, fmt)
    found: dict[str, Any] = dict(m["missing_ranges"] or {})
    ranges = {col: tuple((r["lo"], r["hi"]) for r in rs) for col, rs in found.items()}
    return _blank_strings(frame), _binary_meta(p, sha, fmt, frame, m, ranges)


def _blank_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """SPSS and Stata store a missing string as ``""``; make it NA."""
    text = [c for c in frame.columns if frame[c].dtype.kind in "OUT" or frame[c].dtype == "str"]
    if not text:
        return frame
    return frame.assign(**{c: frame[c].mask(frame[c] == "") for c in text})


def _read_stata(p: Path, sha: str, fmt: str) -> tuple[pd.DataFrame, FileMetadata]:
    frame, m = read_isolated(p, fmt)
    return _blank_strings(frame), _binary_meta(p, sha, fmt, frame, m, {})


def _binary_meta(
    p: Path, sha: str, fmt: str, frame: pd.DataFrame, m: dict[str, Any], ranges: dict[str, Any]
) -> FileMetadata:
    labels = dict(zip(m["column_names"], m["column_labels"] or [], strict=False))
    return FileMetadata(
        path=str(p), format=fmt, sha256=sha, n_rows=len(frame), columns=tuple(frame.columns),
        column_labels={k: v for k, v in labels.items() if v},
        value_labels={k: dict(v) for k, v in (m["variable_value_labels"] or {}).items()},
        missing_ranges=ranges, measure=dict(m["variable_measure"] or {}),
        file_label=m["file_label"] or None,
    )


def _read_parquet(p: Path, sha: str, fmt: str) -> tuple[pd.DataFrame, FileMetadata]:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the environment
        raise IngestionError(
            f"{p}: reading Parquet needs pyarrow. Install it: pip install 'surveykit[parquet]'."
        ) from None
    _check_parquet_footer(p)
    try:
        table = pq.read_table(p)
    except Exception as exc:
        raise IngestionError(
            f"{p}: not a readable Parquet file ({type(exc).__name__}: {exc}); it is truncated "
            "or corrupt. Write it again."
        ) from None
    try:
        frame = table.to_pandas().reset_index(drop=True)
    except Exception as exc:  # bad 'pandas' schema metadata: JSONDecodeError, KeyError...
        raise IngestionError(
            f"{p}: the Parquet file's 'pandas' metadata is not what pandas writes "
            f"({type(exc).__name__}: {str(exc)[:80]}). Write the file again with pandas."
        ) from None
    try:
        return frame, _parquet_meta(p, sha, fmt, frame, table.schema.metadata or {})
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise IngestionError(
            f"{p}: the Parquet file's {PARQUET_KEY.decode()!r} metadata is not the JSON object "
            f"surveykit writes ({type(exc).__name__}: {str(exc)[:80]}). Write the file again "
            "with surveykit, or remove that metadata key."
        ) from None


def _check_parquet_footer(p: Path) -> None:
    """Refuse a Parquet footer (schema and metadata) larger than ``max_metadata_bytes``."""
    lim = get_input_limits()
    size = p.stat().st_size
    with p.open("rb") as fh:
        fh.seek(max(size - 8, 0))
        tail = fh.read(8)
    footer = int.from_bytes(tail[:4], "little") if len(tail) == 8 else 0
    if footer > lim.max_metadata_bytes:
        raise IngestionError(
            f"{p}: the Parquet footer claims {footer} bytes of metadata, more than the input "
            f"limit max_metadata_bytes = {lim.max_metadata_bytes} "
            f"({limit_hint('max_metadata_bytes')})."
        )


def _parquet_meta(p: Path, sha: str, fmt: str, frame: pd.DataFrame,
                  schema_meta: dict[bytes, bytes]) -> FileMetadata:
    stored = json.loads(schema_meta.get(PARQUET_KEY, b"{}"))
    if not isinstance(stored, dict):
        raise TypeError(f"a JSON {type(stored).__name__} instead of an object")
    return FileMetadata(
        path=str(p), format=fmt, sha256=sha, n_rows=len(frame), columns=tuple(frame.columns),
        column_labels=dict(stored.get("column_labels", {})),
        value_labels={k: {_code(c): lab for c, lab in v} for k, v in
                      stored.get("value_labels", {}).items()},
        missing_ranges={k: tuple(tuple(r) for r in v) for k, v in
                        stored.get("missing_ranges", {}).items()},
        measure=dict(stored.get("measure", {})),
    )


def _code(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value
