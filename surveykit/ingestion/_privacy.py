"""Direct identifiers: found by role, name or content; dropped or replaced by a keyed hash.

The key comes from ``SURVEYKIT_PSEUDONYM_KEY`` (the key itself), or from a key file named by
``SURVEYKIT_PSEUDONYM_KEY_FILE`` or by the ``pseudonym_key_file`` parameter. The key is never
written anywhere; a key file inside a git work tree is refused. Without a key, identifier
columns are dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from surveykit.errors import IngestionError

__all__ = [
    "find_identifier_columns",
    "load_pseudonym_key",
    "protect_frame",
    "protect_identifiers",
    "pseudonymize",
]

KEY_ENV = "SURVEYKIT_PSEUDONYM_KEY"
KEY_FILE_ENV = "SURVEYKIT_PSEUDONYM_KEY_FILE"

_NAME = re.compile(
    r"(^|[\s_.\-/])(e-?mail|e-?post|epost|mail|phone|telefon|tlf|mobil|mobile|ip|ip_?address|"
    r"ipadresse|user[\s_-]?agent|useragent)($|[\s_.\-/])",
    re.IGNORECASE,
)
_CONTENT = {
    "email": r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}",
    "ip": r"(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}",
    "phone": r"(?:\+|00)\d{2}[\s\d]{8,13}|\d{2}\s?\d{2}\s?\d{2}\s?\d{2}",
}


def find_identifier_columns(frame: pd.DataFrame, exclude: Iterable[str] = ()) -> dict[str, str]:
    """Return ``{column: why}`` for columns that look like e-mail, phone or IP identifiers.

    A column qualifies by its name (``email``, ``E-post``, ``phone``, ``IP address``...) or
    when at least half of its non-blank text values match an e-mail, IP or phone pattern.

    Examples
    --------
    >>> df = pd.DataFrame({"E-post": ["a@b.no"], "contact": ["kari@hamar.kommune.no"], "q": ["3"]})
    >>> find_identifier_columns(df)
    {'E-post': 'name', 'contact': 'email'}

    """
    skip = set(exclude)
    found: dict[str, str] = {}
    for col in frame.columns:
        if col in skip:
            continue
        if _NAME.search(str(col)):
            found[col] = "name"
            continue
        s = frame[col]
        if s.dtype.kind in "biufcmM" or isinstance(s.dtype, pd.CategoricalDtype):
            continue
        sample = s.dropna().astype(str).str.strip()[:2000]
        if sample.empty:
            continue
        for kind, pattern in _CONTENT.items():
            if sample.str.fullmatch(pattern).mean() >= 0.5:
                found[col] = kind
                break
    return found


def load_pseudonym_key(key_file: str | os.PathLike[str] | None = None) -> bytes | None:
    """Return the pseudonymisation key, or None when none is configured.

    Order: the ``key_file`` argument, then ``SURVEYKIT_PSEUDONYM_KEY``, then the file named
    by ``SURVEYKIT_PSEUDONYM_KEY_FILE``.

    Raises
    ------
    IngestionError
        The key file is missing, empty, or inside a git repository.

    """
    if key_file is None and os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode("utf-8")
    key_file = key_file or os.environ.get(KEY_FILE_ENV) or None
    if key_file is None:
        return None
    path = Path(key_file).expanduser().resolve()
    if not path.is_file():
        raise IngestionError(
            f"pseudonym key file {str(key_file)!r} does not exist. Create it outside the "
            f"repository, or unset {KEY_FILE_ENV}."
        )
    for parent in path.parents:
        if (parent / ".git").exists():
            raise IngestionError(
                f"pseudonym key file {str(key_file)!r} is inside the git repository at "
                f"{parent}; the key must be kept outside it. Move the key file elsewhere."
            )
    key = path.read_bytes().strip()
    if not key:
        raise IngestionError(f"pseudonym key file {str(key_file)!r} is empty.")
    return key


def pseudonymize(values: pd.Series, key: bytes | str) -> pd.Series:
    """Replace each value by its HMAC-SHA-256 (hex) under ``key``; blanks stay NA.

    Values are normalised (stripped; lower-cased when they contain ``@``) so that the same
    e-mail written differently gets the same pseudonym.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pseudonymize(pd.Series(["Kari@Hamar.no ", None]), key=b"secret")
    >>> same = s[0] == pseudonymize(pd.Series(["kari@hamar.no"]), b"secret")[0]
    >>> len(s[0]), same, bool(s.isna()[1])
    (64, True, True)

    """
    k = key.encode("utf-8") if isinstance(key, str) else key
    text = values.astype("string").str.strip()
    text = text.where(~text.str.contains("@", na=False), text.str.lower())
    uniq, inverse = np.unique(text.fillna("").to_numpy(dtype=str), return_inverse=True)
    digests = np.array(
        [hmac.new(k, u.encode("utf-8"), hashlib.sha256).hexdigest() for u in uniq], dtype=object
    )
    out = pd.Series(digests[inverse], index=values.index, dtype="string")
    return out.mask(text.isna() | (text == ""))


def _note(col: str, action: str) -> pd.DataFrame:
    from surveykit.ingestion._report import problems

    if action == "pseudonymised":
        msg = (f"identifier column {col!r} replaced by a keyed HMAC-SHA-256 pseudonym "
               "(the key is not stored)")
    else:
        msg = (f"identifier column {col!r} dropped: no pseudonym key configured (set "
               f"{KEY_ENV} or {KEY_FILE_ENV} to keep a keyed pseudonym instead)")
    return problems("identifier", "info", col, None, None, msg)


def protect_frame(
    data: pd.DataFrame, key_file: str | os.PathLike[str] | None
) -> tuple[pd.DataFrame, dict[str, str], list[pd.DataFrame]]:
    """Pseudonymise (with a key) or drop (without) identifier-looking columns of ``data``."""
    found = find_identifier_columns(data)
    if not found:
        return data, {}, []
    key = load_pseudonym_key(key_file)
    action = "pseudonymised" if key is not None else "dropped"
    if key is None:
        out = data.drop(columns=list(found))
    else:
        out = data.assign(**{c: pseudonymize(data[c], key) for c in found})
    return out, dict.fromkeys(found, action), [_note(c, action) for c in found]


def protect_identifiers(
    unused: pd.DataFrame, identifiers: dict[str, pd.Series],
    key_file: str | os.PathLike[str] | None,
) -> tuple[pd.DataFrame, dict[str, str], list[pd.DataFrame]]:
    """Pseudonymised copies of known identifiers and identifier-looking unused columns.

    Returns ``(columns to add to the data, {column: action}, report notes)``. Without a key
    the frame is empty and every identifier is reported as dropped.
    """
    found = {**{c: unused[c] for c in find_identifier_columns(unused)}, **identifiers}
    if not found:
        return pd.DataFrame(index=unused.index), {}, []
    key = load_pseudonym_key(key_file)
    action = "pseudonymised" if key is not None else "dropped"
    cols = {} if key is None else {c: pseudonymize(s.reset_index(drop=True), key).to_numpy()
                                   for c, s in found.items()}
    extra = pd.DataFrame({c: pd.array(v, dtype="string") for c, v in cols.items()},
                         index=unused.index)
    return extra, dict.fromkeys(found, action), [_note(c, action) for c in found]
