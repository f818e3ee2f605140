"""Make written files byte-for-byte reproducible: fixed creation times in .sav and .xlsx.

SPSS files carry their creation date and time in the header, and xlsx workbooks (zip
archives) carry a modification time per entry plus created/modified properties. The demo
study stamps all of them with the end of fieldwork, so the same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os

from surveykit._ooxml import reproducible_package

__all__ = ["stamp_sav", "stamp_xlsx"]

_SAV_DATE = slice(92, 101)  # "dd Mon yy" in the 176-byte file header
_SAV_TIME = slice(101, 109)  # "hh:mm:ss"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def stamp_sav(path: os.PathLike[str] | str, when: dt.datetime) -> None:
    """Set the creation date and time in an SPSS ``.sav`` header to ``when``."""
    with open(path, "r+b") as fh:
        head = bytearray(fh.read(176))
        if head[:4] not in (b"$FL2", b"$FL3"):
            raise ValueError(f"{os.fspath(path)!r} is not an SPSS .sav file (header {head[:4]!r}).")
        month = _MONTHS[when.month - 1]  # SPSS writes English abbreviations, whatever the locale
        head[_SAV_DATE] = f"{when.day:02d} {month} {when.year % 100:02d}".encode("ascii")
        head[_SAV_TIME] = when.strftime("%H:%M:%S").encode("ascii")
        fh.seek(0)
        fh.write(head)


def stamp_xlsx(path: os.PathLike[str] | str, when: dt.datetime) -> None:
    """Rewrite an ``.xlsx`` in place with its entries and created/modified properties ``when``."""
    with open(path, "rb") as fh:
        data = fh.read()
    with open(path, "wb") as fh:
        fh.write(reproducible_package(data, when, date_entries=True, mode=0))
