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

from surveykit._masking import is_fodselsnummer
from surveykit.errors import IngestionError

__all__ = [
    "find_identifier_columns",
    "load_pseudonym_key",
    "protect_frame",
    "protect_identifiers",
    "protect_respondent_ids",
    "pseudonymize",
]

KEY_ENV = "SURVEYKIT_PSEUDONYM_KEY"
KEY_FILE_ENV = "SURVEYKIT_PSEUDONYM_KEY_FILE"
MIN_KEY_BYTES = 16
_MAKE_KEY = 'python -c "import secrets; print(secrets.token_hex(32))"'

_NAME = re.compile(
    r"(^|[\s_.\-/])(e-?mail|e-?post|epost|mail|phone|telefon|tlf|mobil|mobile|ip|ip_?address|"
    r"ipadresse|user[\s_-]?agent|useragent)($|[\s_.\-/])",
    re.IGNORECASE,
)
# Whole headers (lower-cased, separators made single spaces) that name a person, a contact
# or an identity number, in Norwegian and English.
_HEADER = re.compile(
    r"(?:(?:fullt|full|first|last|given|family|middle|sur|for|etter) ?)?(?:navn|name)"
    r"|mellomnavn"
    r"|(?:gate|hjem|bosteds|post|e ?post|e ?mail|street|home|postal|ip) ?"
    r"(?:adresse|address)|adresse|address|post ?(?:nummer|nr|sted)|zip(?: ?code)?|postcode"
    r"|post code|postal code|fødsels ?(?:dato|nummer|nr)|bursdag|fødselsdag|født|birthday"
    r"|birth ?date|date of birth|dob|f ?nr|fnr|personnummer|person ?nummer|d ?nummer"
    r"|national (?:id|identity)(?: number)?|personal (?:id|identity) ?number|ssn"
    r"|social security(?: number)?"
    r"|(?:mobil|mobile|telefon|tlf|phone|cell|cellphone|mob)(?: ?(?:nr|nummer|number|no))?"
    r"|(?:e ?post|e ?mail|epost|email|mail)",
    re.IGNORECASE,
)
_CONTENT = {
    "email": r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}",
    "ip": r"(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}",
    "phone": r"(?:\+|00)\d{2}[\s\d]{8,13}|\d{2}\s?\d{2}\s?\d{2}\s?\d{2}|\d{3} \d{2} \d{3}",
}


def identifier_header(name: object) -> bool:
    """Whether a column header names a person, an address, a birth date or a contact.

    Norwegian and English: ``Navn``, ``Fullt navn``, ``Etternavn``, ``Adresse``,
    ``Postnummer``, ``Fødselsdato``, ``Bursdag``, ``Fødselsnummer``, ``Mobilnr``,
    ``Telefonnummer``, ``E-postadresse``, ``Date of birth``, ``Phone number``...

    Examples
    --------
    >>> [identifier_header(h) for h in ["Fullt navn", "Mobilnr", "E-postadresse", "Kommune"]]
    [True, True, True, False]

    """
    text = re.sub(r"[\s_.\-/:()]+", " ", str(name)).strip().lower()
    return bool(_HEADER.fullmatch(text) or _NAME.search(str(name)))


def _content_kind(s: pd.Series) -> str | None:
    """Return the identifier kind most non-blank values look like, else None."""
    if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype.kind in "bcmM":
        return None
    numeric = s.dtype.kind in "iuf"
    values = s.dropna()[:2000]
    if numeric:
        if not ((values >= 1e8) & (values < 1e11)).mean() >= 0.5:
            return None
        values = values[(values == np.floor(values)) & (abs(values) < 1e11)].astype("int64")
    sample = values.astype(str).str.strip()
    sample = sample[sample != ""]
    if sample.empty:
        return None
    digits = sample.str.replace(" ", "", regex=False).str.zfill(11 if numeric else 0)
    if digits.str.fullmatch(r"\d{11}").mean() >= 0.5 and \
            digits.map(is_fodselsnummer).mean() >= 0.5:
        return "national_id"
    if numeric:
        return None
    for kind, pattern in _CONTENT.items():
        if sample.str.fullmatch(pattern).mean() >= 0.5:
            return kind
    return None


def find_identifier_columns(frame: pd.DataFrame, exclude: Iterable[str] = ()) -> dict[str, str]:
    """Return ``{column: why}`` for columns that look like direct identifiers.

    A column qualifies by its header (see :func:`identifier_header`: names, addresses, birth
    dates, national ids, e-mail, phone, IP) or when at least half of its non-blank values are
    e-mail addresses, IP addresses, phone numbers (``912 34 567``, ``+47 91234567``) or
    fødselsnummer (11 digits with both check digits right; numeric columns included).

    Examples
    --------
    >>> df = pd.DataFrame({"E-post": ["a@b.no"], "contact": ["kari@hamar.no"], "q": ["3"],
    ...                    "id": [1010012356]})
    >>> find_identifier_columns(df)
    {'E-post': 'name', 'contact': 'email', 'id': 'national_id'}

    """
    skip = set(exclude)
    found: dict[str, str] = {}
    for col in frame.columns:
        if col in skip:
            continue
        if identifier_header(col):
            found[col] = "name"
            continue
        kind = _content_kind(frame[col])
        if kind is not None:
            found[col] = kind
    return found


def load_pseudonym_key(key_file: str | os.PathLike[str] | None = None) -> bytes | None:
    """Return the pseudonymisation key, or None when none is configured.

    Order: the ``key_file`` argument, then ``SURVEYKIT_PSEUDONYM_KEY``, then the file named
    by ``SURVEYKIT_PSEUDONYM_KEY_FILE``.

    Raises
    ------
    IngestionError
        The key file is missing, empty, or inside a git repository; the key is shorter
        than 16 bytes.

    """
    if key_file is None and os.environ.get(KEY_ENV):
        return check_key(os.environ[KEY_ENV].encode("utf-8"), KEY_ENV)
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
    return check_key(key, f"pseudonym key file {str(key_file)!r}")


def check_key(key: bytes, where: str) -> bytes:
    """Return ``key`` when it has at least 16 bytes, else raise ``IngestionError``.

    Examples
    --------
    >>> len(check_key(b"0123456789abcdef", "test"))
    16

    """
    if len(key) < MIN_KEY_BYTES:
        raise IngestionError(
            f"{where} holds a pseudonymisation key of {len(key)} bytes; at least "
            f"{MIN_KEY_BYTES} bytes are required, as a short key can be guessed and every "
            f"pseudonym reversed. Make one with: {_MAKE_KEY}"
        )
    return key


def pseudonymize(values: pd.Series, key: bytes | str) -> pd.Series:
    """Replace each value by its HMAC-SHA-256 (hex) under ``key``; blanks stay NA.

    The key must have at least 16 bytes. Values are normalised (stripped; lower-cased when
    they contain ``@``) so that the same e-mail written differently gets the same pseudonym.

    Examples
    --------
    >>> import pandas as pd
    >>> key = b"an-example-key-16+"
    >>> s = pseudonymize(pd.Series(["Kari@Hamar.no ", None]), key=key)
    >>> same = s[0] == pseudonymize(pd.Series(["kari@hamar.no"]), key)[0]
    >>> len(s[0]), same, bool(s.isna()[1])
    (64, True, True)

    """
    k = check_key(key.encode("utf-8") if isinstance(key, str) else key, "the key given")
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


def protect_respondent_ids(
    ids: pd.Series, column: str | None, key_file: str | os.PathLike[str] | None
) -> tuple[pd.Series, list[pd.DataFrame]]:
    """Replace respondent ids taken from an identifier column by their keyed pseudonyms.

    An id column whose header or values look like an identifier (e-mail, phone, name,
    national id...) is protected like any identifier column: with a key each id becomes its
    HMAC-SHA-256 pseudonym; without one the ids become row numbers. Other ids are returned
    as they are.

    Examples
    --------
    >>> import os; os.environ["SURVEYKIT_PSEUDONYM_KEY"] = "an-example-key-16+"
    >>> ids, notes = protect_respondent_ids(pd.Series(["kari@hamar.no", "ola@x.no"]), "email",
    ...                                     None)
    >>> ids.str.len().tolist(), notes[0]["rule"][0]
    ([64, 64], 'identifier')
    >>> protect_respondent_ids(pd.Series(["r1", "r2"]), "id", None)[0].tolist()
    ['r1', 'r2']
    >>> del os.environ["SURVEYKIT_PSEUDONYM_KEY"]

    """
    if not (identifier_header(column or "") or _content_kind(ids) is not None):
        return ids, []
    from surveykit.ingestion._report import problems

    key = load_pseudonym_key(key_file)
    name = column or "respondent_id"
    if key is not None:
        out = pseudonymize(ids, key)
        msg = (f"respondent id column {name!r} holds identifiers: each id replaced by its "
               "keyed HMAC-SHA-256 pseudonym (the key is not stored)")
    else:
        out = pd.Series(np.arange(1, len(ids) + 1).astype(str), index=ids.index, dtype="string")
        msg = (f"respondent id column {name!r} holds identifiers and no pseudonym key is "
               f"configured: row numbers are used as ids (set {KEY_ENV} or {KEY_FILE_ENV} "
               "to keep a keyed pseudonym instead)")
    return out, [problems("identifier", "info", "respondent_id", None, None, msg)]
