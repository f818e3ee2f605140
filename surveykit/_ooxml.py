"""Make Office Open XML packages (.xlsx, .docx) byte-for-byte reproducible.

openpyxl stamps the save time into ``docProps/core.xml`` and every zip entry; python-docx
stamps zip entries. Rewriting the package with fixed timestamps makes the same content give
the same bytes. The Word appendix (``reporting``) and the demo's platform exports
(``datasets``) go through :func:`reproducible_package`; the workbooks written as XML
(``reporting``) are zipped by :func:`zip_package`, which fixes the times the same way.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence

__all__ = ["FIXED_DATE", "ZIP_EPOCH", "reproducible_package", "zip_package"]

#: timestamp written when the caller gives no date
FIXED_DATE = _dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def reproducible_package(data: bytes, when: _dt.datetime = FIXED_DATE, *,
                         date_entries: bool = False, mode: int = 0o600,
                         replace: Mapping[str, bytes] | None = None) -> bytes:
    """Rewrite a zip package with fixed entry times and core-property dates ``when``.

    Parameters
    ----------
    data : bytes
        The package as written by openpyxl or python-docx.
    when : datetime.datetime, default 2000-01-01
        The created/modified date written into ``docProps/core.xml``.
    date_entries : bool, default False
        Date every zip entry ``when`` too (as a survey platform's export is dated when it
        was made); by default entries carry the zip epoch, 1980-01-01.
    mode : int, default 0o600
        Unix permission bits recorded per entry (0 records none).
    replace : mapping, optional
        New content of entries, by name (in their place in the package).

    Returns
    -------
    bytes
        The same entries, in the same order, deflated, with fixed times.

    Examples
    --------
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("a.txt", "x")
    >>> out = reproducible_package(buf.getvalue())
    >>> zipfile.ZipFile(io.BytesIO(out)).getinfo("a.txt").date_time
    (1980, 1, 1, 0, 0, 0)
    >>> out = reproducible_package(buf.getvalue(), _dt.datetime(2026, 3, 2, 9, 30),
    ...                            date_entries=True)
    >>> zipfile.ZipFile(io.BytesIO(out)).getinfo("a.txt").date_time
    (2026, 3, 2, 9, 30, 0)

    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    t = when.timetuple()
    entry_time = (t[0], t[1], t[2], t[3], t[4], t[5]) if date_entries else ZIP_EPOCH
    src = zipfile.ZipFile(io.BytesIO(data))
    entries = []
    replace = replace or {}
    for info in src.infolist():
        name = info.filename
        body = replace[name] if name in replace else src.read(name)
        if name == "docProps/core.xml":
            body = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(3), body)
        entries.append((name, body))
    return zip_package(entries, entry_time, mode=mode)


def zip_package(entries: Sequence[tuple[str, str | bytes]],
                entry_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH, *,
                mode: int = 0o600) -> bytes:
    """Return a zip package of ``(name, content)`` entries, in order, deflated, dated alike.

    Text is stored as UTF-8. Every entry carries ``entry_time`` (by default the zip epoch,
    1980-01-01) and the Unix permission bits ``mode``, so the same entries give the same
    bytes.

    Examples
    --------
    >>> data = zip_package([("a.xml", "<a/>")])
    >>> z = zipfile.ZipFile(io.BytesIO(data))
    >>> z.read("a.xml"), z.getinfo("a.xml").date_time
    (b'<a/>', (1980, 1, 1, 0, 0, 0))

    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, body in entries:
            entry = zipfile.ZipInfo(name, date_time=entry_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = mode << 16
            dst.writestr(entry, body.encode("utf-8") if isinstance(body, str) else body)
    return out.getvalue()
