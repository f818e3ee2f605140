"""Make Office Open XML packages (.xlsx, .docx) byte-for-byte reproducible.

openpyxl stamps the save time into ``docProps/core.xml`` and every zip entry; python-docx
stamps zip entries. Rewriting the package with fixed timestamps makes the same content give
the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile

__all__ = ["FIXED_DATE", "reproducible_package"]

#: timestamp written when the caller gives no date
FIXED_DATE = _dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def reproducible_package(data: bytes, when: _dt.datetime = FIXED_DATE) -> bytes:
    """Rewrite a zip package with fixed entry times and core-property dates ``when``.

    Examples
    --------
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("a.txt", "x")
    >>> out = reproducible_package(buf.getvalue())
    >>> zipfile.ZipFile(io.BytesIO(out)).getinfo("a.txt").date_time
    (1980, 1, 1, 0, 0, 0)

    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()
