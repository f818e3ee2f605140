"""Checks of what a response file claims, made before any parser sees it.

A zip container (``.xlsx``) states every member's uncompressed size in its central
directory, a worksheet states the cells it uses, an SPSS or Stata header states its row
count, and a text file's shape shows in its first line. Each is compared with the input
limits (:func:`surveykit.get_input_limits`) so that a small hostile file is refused in
milliseconds instead of inflating to gigabytes; the error names the file, the member or
field, what it claims and the limit.
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import pandas as pd

from surveykit._limits import get_input_limits, limit_hint
from surveykit.errors import IngestionError

__all__ = [
    "check_claimed_rows", "check_text_shape", "check_worksheets", "check_zip", "show_columns",
]

_MB = 1024 * 1024
_REF = re.compile(rb"<(?:\w+:)?(?:c|row)\b[^>]*?\sr=\"([A-Z]{0,3})([0-9]{1,10})\"")


def _refuse(path: str | Path, what: str, name: str, limit: float) -> IngestionError:
    shown = f"{limit:g}" if isinstance(limit, float) else str(limit)
    return IngestionError(f"{path}: {what}, more than the input limit {name} = {shown}; "
                          f"the file is damaged or hostile ({limit_hint(name)}).")


def check_zip(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a zip container whose members would inflate beyond the limits.

    Only the central directory is read; ``testzip()`` (which inflates every member) is never
    called on an untrusted archive.
    """
    lim = get_input_limits()
    members = zf.infolist()
    if len(members) > lim.max_members:
        raise _refuse(path, f"the archive lists {len(members)} members", "max_members",
                      lim.max_members)
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > lim.max_member_bytes:
            raise _refuse(path, f"member {m.filename!r} inflates to {m.file_size} bytes",
                          "max_member_bytes", lim.max_member_bytes)
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > _MB and ratio > lim.max_ratio:
            raise _refuse(path, f"member {m.filename!r} inflates {ratio:.0f} times "
                          f"({m.compress_size} to {m.file_size} bytes)", "max_ratio",
                          lim.max_ratio)
        if total > lim.max_total_bytes:
            raise _refuse(path, f"the members inflate to more than {total} bytes together",
                          "max_total_bytes", lim.max_total_bytes)


def check_worksheets(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a workbook whose cells reach beyond the row, column or cell limits.

    Every row and cell reference (``<row r="...">``, ``<c r="XFD1048576">``) of every
    worksheet is scanned as bytes, so a single far-away cell is found before a dense frame
    is built.
    """
    lim = get_input_limits()
    for m in zf.infolist():
        if not (m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")):
            continue
        rows, cols = _extent(zf, m)
        where = f"worksheet {m.filename!r}"
        if rows > lim.max_rows + 1:
            raise _refuse(path, f"{where} uses row {rows}", "max_rows", lim.max_rows)
        if cols > lim.max_columns:
            raise _refuse(path, f"{where} uses column {cols}", "max_columns", lim.max_columns)
        if rows * cols > lim.max_cells:
            raise _refuse(path, f"{where} spans {rows} rows x {cols} columns", "max_cells",
                          lim.max_cells)


def _extent(zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, int]:
    rows = cols = 0
    tail = b""
    with zf.open(member) as fh:
        while chunk := fh.read(4 * _MB):
            block = tail + chunk
            cut = block.rfind(b"<")
            scan, tail = (block[:cut], block[cut:]) if cut > 0 else (block, b"")
            for letters, number in _REF.findall(scan):
                rows = max(rows, int(number))
                if letters:
                    cols = max(cols, _column_number(letters))
            if len(tail) > _MB:  # one tag longer than a megabyte: not a worksheet
                tail = b""
    return rows, cols


def _column_number(letters: bytes) -> int:
    """Excel column letters to a 1-based number.

    Examples
    --------
    >>> _column_number(b"A"), _column_number(b"XFD")
    (1, 16384)

    """
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_text_shape(text: str, path: str, delimiter: str) -> None:
    r"""Refuse text whose longest line or header exceeds the limits, before parsing.

    Examples
    --------
    >>> check_text_shape("a;b\n1;2\n", "x.csv", ";")
    >>> try:
    ...     check_text_shape(";" * 20000 + "\n", "x.csv", ";")
    ... except IngestionError as e:
    ...     print(str(e)[:46])
    x.csv: the header has 20001 columns, more than

    """
    lim = get_input_limits()
    header = text[: text.find("\n") if "\n" in text else len(text)]
    n_cols = header.count(delimiter) + 1
    if n_cols > lim.max_columns:
        raise _refuse(path, f"the header has {n_cols} columns", "max_columns", lim.max_columns)
    longest = _longest_line(text, lim.max_line_bytes)
    if longest > lim.max_line_bytes:
        raise _refuse(path, f"a line has {longest} characters", "max_line_bytes",
                      lim.max_line_bytes)


def _longest_line(text: str, limit: int) -> int:
    """Length of a line longer than ``limit`` if there is one, else at most ``limit``.

    Any line longer than ``limit`` covers a whole aligned window of ``limit // 2``
    characters without a newline, so only those windows are measured exactly.
    """
    step = max(limit // 2, 1)
    for start in range(0, len(text), step):
        if text.find("\n", start, start + step) < 0 and len(text) - start >= step:
            first = text.rfind("\n", 0, start) + 1
            last = text.find("\n", start)
            length = (len(text) if last < 0 else last) - first
            if length > limit:
                return length
    return min(len(text), limit)


def check_claimed_rows(path: Path, head: bytes, size: int, fmt: str) -> None:
    """Refuse an SPSS or Stata file whose header claims more rows than it can hold.

    Examples
    --------
    >>> head = b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>"
    >>> head += struct.pack("<H", 3) + b"</K><N>" + struct.pack("<Q", 10**6) + b"</N>"
    >>> try:
    ...     check_claimed_rows(Path("x.dta"), head, 600, "dta")
    ... except IngestionError as e:
    ...     print(str(e)[:60])
    x.dta: the header claims 1000000 rows in a file of 600 bytes

    """
    claim = _claimed(head, fmt)
    if claim is None:
        return
    rows, per_row = claim
    lim = get_input_limits()
    if rows > lim.max_rows:
        raise _refuse(path, f"the header claims {rows} rows", "max_rows", lim.max_rows)
    room = size * (1100 if fmt == "zsav" else 1)
    if rows * per_row > room:
        raise IngestionError(
            f"{path}: the header claims {rows} rows in a file of {size} bytes, which holds "
            "far fewer; the file is damaged or hostile. Export it again."
        )


def _claimed(head: bytes, fmt: str) -> tuple[int, int] | None:
    """``(claimed rows, least bytes per row)`` from an SPSS or Stata header, if stated."""
    if fmt in ("sav", "zsav") and len(head) >= 88:
        layout = struct.unpack("<i", head[64:68])[0]
        end = "<" if layout in (2, 3) else ">"
        case_size, compression = struct.unpack(end + "ii", head[68:76])
        ncases = struct.unpack(end + "i", head[80:84])[0]
        if ncases <= 0:
            return None
        per_row = max(case_size, 1) * (8 if compression == 0 else 1)
        return ncases, per_row
    if fmt == "dta" and head.startswith(b"<stata_dta>"):
        match = re.search(rb"<byteorder>(MSF|LSF)</byteorder><K>(.{2,4})</K><N>(.{4,8})</N>",
                          head[:200], re.DOTALL)
        if match is None:
            return None
        end = "<" if match.group(1) == b"LSF" else ">"
        raw_n = match.group(3)
        fmt_n = {4: "I", 8: "Q"}.get(len(raw_n))
        raw_k = match.group(2)
        fmt_k = {2: "H", 4: "I"}.get(len(raw_k))
        if fmt_n is None or fmt_k is None:
            return None
        n = struct.unpack(end + fmt_n, raw_n)[0]
        k = struct.unpack(end + fmt_k, raw_k)[0]
        return n, max(k, 1)
    if fmt == "dta" and len(head) >= 10 and head[:1] in (b"\x71", b"\x72", b"\x73"):
        end = ">" if head[1:2] == b"\x01" else "<"
        k, n = struct.unpack(end + "HI", head[4:10])
        return n, max(k, 1)
    return None


def show_columns(columns: list[object] | pd.Index, *, shown: int = 3, chars: int = 12) -> str:
    """Describe a file's header for an error message without quoting a whole line of it.

    A file given in the wrong place may hold personal data (or be ``/etc/passwd``), so only
    the column count and the first few characters of the first few names are shown.

    Examples
    --------
    >>> show_columns(["root:x:0:0:root:/root:/bin/bash"])
    "1 column: 'root:x:0:0:r…'"
    >>> show_columns(["id", "concept", "date", "place"])
    "4 columns: 'id', 'concept', 'date', …"

    """
    names = [str(c) for c in columns]
    parts = [repr(n if len(n) <= chars else n[:chars] + "…") for n in names[:shown]]
    more = ", …" if len(names) > shown else ""
    noun = "column" if len(names) == 1 else "columns"
    return f"{len(names)} {noun}: " + ", ".join(parts) + more
