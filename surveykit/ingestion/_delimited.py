"""Delimited text: encoding detection, delimiter sniffing and a faithful string reader.

Every cell comes back as a string (blank cells as NA) so that nothing is guessed at read
time; typing happens later, per item, where a value that does not parse is reported.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

import pandas as pd

from surveykit.errors import IngestionError
from surveykit.ingestion._compact import read_codes

__all__ = ["decode_text", "decode_text_lines", "normalise_newlines", "read_delimited",
           "sniff_delimiter"]

#: delimiters tried, in order of preference when they tie
DELIMITERS: tuple[str, ...] = (";", ",", "\t")


def decode_text(raw: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    r"""Decode file bytes, detecting UTF-8 (with or without BOM), UTF-32/UTF-16 (BOM) or cp1252.

    Returns ``(text, encoding_used)``. Raises ``IngestionError`` for binary content or bytes
    that are not valid in the requested encoding, naming the line of the first bad byte. A
    UTF-8 file with a few lines in cp1252 is decoded line by line: see
    :func:`decode_text_lines`, which also returns those line numbers.

    Examples
    --------
    >>> decode_text("navn;by\\nÅse;Hamar\\n".encode("cp1252"), "x.csv")[1]
    'cp1252'
    >>> decode_text(codecs.BOM_UTF8 + b"a,b\\n1,2\\n", "x.csv")
    ('a,b\\n1,2\\n', 'utf-8-sig')

    """
    return decode_text_lines(raw, path, encoding)[:2]


def decode_text_lines(
    raw: bytes, path: str, encoding: str | None = None
) -> tuple[str, str, tuple[int, ...]]:
    r"""Decode like :func:`decode_text`; also return the lines that needed the cp1252 fallback.

    When the bytes are not valid UTF-8 as a whole, the lines holding non-ASCII bytes are
    counted: if most of them are valid UTF-8, the file is UTF-8 and only the other lines are
    decoded as cp1252 (their 1-based line numbers are returned, for the report); otherwise
    the whole file is cp1252.

    Examples
    --------
    >>> raw = "navn;by\nÅse;Hamar\nØystein;Løten\n".encode() + "Bjørn;Ås\n".encode("cp1252")
    >>> text, used, fallback = decode_text_lines(raw, "x.csv")
    >>> text.splitlines()[1:], used, fallback
    (['Åse;Hamar', 'Øystein;Løten', 'Bjørn;Ås'], 'utf-8', (4,))

    """
    if encoding is not None:
        return _decode_as(raw, path, encoding), encoding, ()
    if raw.startswith(codecs.BOM_UTF8):
        return _decode_as(raw, path, "utf-8-sig"), "utf-8-sig", ()
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _decode_as(raw, path, "utf-32"), "utf-32", ()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(raw, path, "utf-16"), "utf-16", ()
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise IngestionError(
            f"{path}: line {line} contains NUL bytes, so this is not a UTF-8 or cp1252 text "
            "file (it may be UTF-16 without a byte-order mark, or a binary file with the wrong "
            "extension). Re-export it as CSV in UTF-8, or pass encoding= explicitly."
        )
    try:
        return raw.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    return _decode_mixed(raw, path)


def _decode_mixed(raw: bytes, path: str) -> tuple[str, str, tuple[int, ...]]:
    """UTF-8 per line with cp1252 for the minority of lines that are not UTF-8."""
    lines = raw.split(b"\n")
    decoded: list[str | None] = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(None)
    bad = [k for k, d in enumerate(decoded) if d is None]
    utf8 = sum(1 for d in decoded if d is not None and not d.isascii())
    if utf8 <= len(bad):
        return _decode_as(raw, path, "cp1252"), "cp1252", ()
    for k in bad:
        try:
            decoded[k] = lines[k].decode("cp1252")
        except UnicodeDecodeError as exc:
            raise IngestionError(
                f"{path}: line {k + 1} is neither UTF-8 (as the rest of the file) nor cp1252 "
                f"(byte {lines[k][exc.start:exc.start + 1]!r}). Fix that line or re-export "
                "the file as UTF-8."
            ) from None
    return "\n".join(d for d in decoded if d is not None), "utf-8", tuple(k + 1 for k in bad)


def normalise_newlines(text: str) -> str:
    r"""Turn CRLF into LF; in text with LF line ends a bare CR is then data, not a line end.

    Examples
    --------
    >>> normalise_newlines("a;b\r\n1;x\ry\r\n")
    'a;b\n1;x\ry\n'

    """
    return text.replace("\r\n", "\n") if "\r" in text and "\n" in text else text


def _decode_as(raw: bytes, path: str, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except LookupError:
        raise IngestionError(
            f"{path}: unknown encoding {encoding!r}. Use e.g. 'utf-8', 'utf-8-sig' or 'cp1252'."
        ) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestionError(
            f"{path}: line {line}: byte {raw[exc.start:exc.start + 1]!r} at offset {exc.start} "
            f"is not valid {encoding} (wrong encoding). Re-export the file as UTF-8, or pass "
            "the encoding it was written in, e.g. encoding='cp1252'."
        ) from None


def sniff_delimiter(text: str) -> str:
    r"""Pick ``;``, ``,`` or tab: the one that splits the first records most consistently.

    Examples
    --------
    >>> sniff_delimiter('"a";"b,c"\\n"1";"2,5"\\n')
    ';'
    >>> sniff_delimiter("a,b\\n1,2\\n")
    ','

    """
    sample = text[:65536]
    truncated = len(text) > len(sample)
    if "\n" in sample:  # a bare CR inside a field is not a record end
        sample = sample.replace("\r\n", "\n").replace("\r", " ")
    best, best_score = ",", (-1, 0)
    for delim in DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(sample), delimiter=delim))
        except csv.Error:
            continue
        records = [r for r in records if r][: 50 + int(truncated)]
        if truncated and len(records) > 1:
            records = records[:-1]
        if not records:
            continue
        counts = [len(r) for r in records]
        consistent = sum(c == counts[0] for c in counts)
        score = (consistent if counts[0] > 1 else 0, counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best


def read_delimited(data: bytes, path: str, delimiter: str, *, compact: bool = False
                   ) -> tuple[pd.DataFrame, list[str]]:
    """Parse UTF-8 text into a frame of strings; return ``(frame, header)``.

    The header is returned as written (duplicates kept); the frame's columns are made
    unique by suffixing later duplicates with `` (2)``, `` (3)``...; blank lines are not rows,
    a record with too few fields is padded with NA, and one with too many raises an
    ``IngestionError`` naming the line. Cells are Python strings in ``object`` columns (the
    parser shares one string object between equal cells of a column), blank cells NaN.
    With ``compact`` the columns are categoricals of the same strings (see ``_compact.py``),
    which hold a large file in a fraction of the memory.
    """
    if compact:
        first = _parse(data, path, delimiter, nrows=1)
        columns = read_codes(data, delimiter, first.shape[1])
        if columns is not None:
            header = [_header_name(v) for v in first.iloc[0].tolist()]
            frame = pd.DataFrame(dict(enumerate(columns)), copy=False)
            frame.columns = unique_names(header)
            return frame, header
    frame = _parse(data, path, delimiter)
    header = [_header_name(v) for v in frame.iloc[0].tolist()]
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = unique_names(header)
    return frame, header


def _header_name(value: Any) -> str:
    return "" if pd.isna(value) else str(value).strip()


def _parse(data: bytes, path: str, delimiter: str, nrows: int | None = None) -> pd.DataFrame:
    """All records as strings with pandas' C parser (the header is row 0)."""
    try:
        return pd.read_csv(
            io.BytesIO(data), sep=delimiter, header=None, dtype=object, keep_default_na=False,
            na_values=[""], skip_blank_lines=True, engine="c", encoding="utf-8",
            lineterminator="\n" if b"\n" in data else None, nrows=nrows,
        )
    except pd.errors.EmptyDataError:
        raise IngestionError(
            f"{path}: the file is empty (no header and no rows). Export the responses again."
        ) from None
    except pd.errors.ParserError as exc:
        raise IngestionError(
            f"{path}: the file does not parse as {_name(delimiter)}-separated text ({exc}). "
            "Check for an unclosed quote or a row with more fields than the header, or pass "
            "the right delimiter."
        ) from None


def unique_names(header: list[str]) -> list[str]:
    """Make column names unique: later duplicates get `` (2)``, `` (3)``; blanks get ``column_k``.

    Examples
    --------
    >>> unique_names(["a", "b", "a", ""])
    ['a', 'b', 'a (2)', 'column_4']
    >>> unique_names(["a", "a", "a (2)"])
    ['a', 'a (3)', 'a (2)']

    """
    seen: dict[str, int] = {}
    taken = set(header)
    out = []
    for k, name in enumerate(header, start=1):
        name = name or f"column_{k}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:  # skip suffixes the header already uses: a;a;a (2)
            while f"{name} ({seen[name]})" in taken:
                seen[name] += 1
            name = f"{name} ({seen[name]})"
        taken.add(name)
        out.append(name)
    return out


def _name(delimiter: str) -> str:
    return {"\t": "tab", ";": "semicolon", ",": "comma"}.get(delimiter, repr(delimiter))
