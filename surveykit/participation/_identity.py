"""Who is who: normalise e-mail addresses, phone numbers and names, then keep only keyed hashes.

This is the only module that sees raw identifiers. :func:`identify` takes the raw identifier
columns and returns, per row, a person pseudonym (keyed HMAC-SHA-256, via
:func:`surveykit.ingestion.pseudonymize`), the identifier status and a hashed name for the
near-duplicate check; nothing it returns contains a raw value. Rows that share any valid
identifier (e.g. the same phone number with and without an e-mail) are the same person: the
rows and identifier hashes form a graph whose connected components are the people.
"""

from __future__ import annotations

import os
import secrets
import warnings

import numpy as np
import pandas as pd

from surveykit._lazy import lazy_module
from surveykit.errors import SurveykitWarning
from surveykit.ingestion import load_pseudonym_key, pseudonymize

sparse = lazy_module("scipy.sparse")
csgraph = lazy_module("scipy.sparse.csgraph")

__all__ = ["IDENTIFIERS", "identify", "key_mode", "normalise_email", "normalise_phone",
           "session_key"]

#: identifier fields, in the order they are tried
IDENTIFIERS: tuple[str, ...] = ("email", "phone", "participant_id")

_EMAIL = r"[^@\s,;<>()]+@[^@\s,;<>()]+\.[a-z]{2,}"
_SESSION_KEY: list[bytes] = []


def session_key(key_file: str | os.PathLike[str] | None = None) -> bytes:
    """Return the configured pseudonym key, or a random key kept for this Python session.

    Without ``SURVEYKIT_PSEUDONYM_KEY``/``SURVEYKIT_PSEUDONYM_KEY_FILE`` (or ``key_file``)
    people are still counted correctly within the session, but their pseudonyms cannot be
    linked to another session or to the pseudonyms that :func:`read_responses` writes.
    """
    key = load_pseudonym_key(key_file)
    if key is not None:
        return key
    if not _SESSION_KEY:
        warnings.warn(
            "No pseudonym key configured (SURVEYKIT_PSEUDONYM_KEY or "
            "SURVEYKIT_PSEUDONYM_KEY_FILE): participants are "
            "pseudonymised with a random key for this Python session only. Counts are "
            "correct, but pseudonyms cannot be linked across sessions. Configure a key kept "
            "outside the repository to keep stable pseudonyms.",
            SurveykitWarning, stacklevel=3,
        )
        _SESSION_KEY.append(secrets.token_bytes(32))
    return _SESSION_KEY[0]


def key_mode(key_file: str | os.PathLike[str] | None = None) -> str:
    """Return ``"configured"`` when a pseudonym key is configured, else ``"session"``.

    ``"session"`` means :func:`session_key` hands out a random key that lives only as long
    as this Python session: pseudonyms made with it are not keyed pseudonyms anyone can
    reproduce, and reports must not call them so. The key itself is never returned.
    """
    return "configured" if load_pseudonym_key(key_file) is not None else "session"


def _text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    text = text.str.replace(r"^(\d+)\.0$", r"\1", regex=True)  # numbers read back from Excel
    return text.mask(text == "")


def normalise_email(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return ``(normalised, status)``: lower-cased, trimmed; status ok | malformed | missing.

    Examples
    --------
    >>> norm, status = normalise_email(pd.Series([" Kari@Hamar.NO", "kari(at)hamar.no", None]))
    >>> norm.tolist(), status.tolist()
    (['kari@hamar.no', <NA>, <NA>], ['ok', 'malformed', 'missing'])

    """
    text = _text(values).str.normalize("NFKC").str.lower().str.removeprefix("mailto:")
    ok = text.str.fullmatch(_EMAIL).fillna(False).astype(bool)
    return text.where(ok), _status(ok, text.notna())


def normalise_phone(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return ``(normalised, status)`` with Norwegian numbers as ``+47`` and 8 digits.

    Spaces, dashes, dots and brackets are removed; ``0047``/``47`` (10 digits)/``+47`` and
    bare 8-digit numbers become ``+47dddddddd`` (first digit 2-9). Other numbers with a
    ``+`` or ``00`` country prefix are kept as ``+`` and 8-15 digits; anything else is
    malformed.

    Examples
    --------
    >>> norm, status = normalise_phone(pd.Series(["912 34 567", "+47 91234567", "0047-912.345.67",
    ...                                          "4791234567", "1234", "+46 70 123 45 67"]))
    >>> norm.tolist()
    ['+4791234567', '+4791234567', '+4791234567', '+4791234567', <NA>, '+46701234567']
    >>> status.tolist()
    ['ok', 'ok', 'ok', 'ok', 'malformed', 'ok']

    """
    text = _text(values)
    digits = text.str.replace(r"[\s\-./()]", "", regex=True).str.replace(r"^00", "+", regex=True)
    national = digits.str.fullmatch(r"(?:\+?47)?[2-9]\d{7}").fillna(False).astype(bool)
    foreign = (digits.str.fullmatch(r"\+\d{8,15}").fillna(False).astype(bool)
               & ~digits.str.startswith("+47").fillna(False).astype(bool))
    norm = pd.Series(pd.NA, index=values.index, dtype="string")
    norm = norm.mask(national, "+47" + digits.str[-8:]).mask(foreign, digits)
    return norm, _status(national | foreign, text.notna())


def _status(ok: pd.Series, present: pd.Series) -> pd.Series:
    out = np.where(ok, "ok", np.where(present, "malformed", "missing"))
    return pd.Series(out, index=ok.index, dtype="string")


def normalise_name(values: pd.Series) -> pd.Series:
    """Case-folded, accent-stable name with single spaces (NA when blank).

    Examples
    --------
    >>> normalise_name(pd.Series(["  Kari  NORDMANN ", ""])).tolist()
    ['kari nordmann', <NA>]

    """
    text = _text(values).str.normalize("NFKC").str.casefold()
    return text.str.replace(r"\s+", " ", regex=True).mask(lambda s: s == "")


def _describe(field: str, raw: pd.Series) -> pd.Series:
    """Say what is wrong with malformed values without repeating them."""
    text = _text(raw)
    if field == "email":
        why = np.where(~text.str.contains("@").fillna(False), "no '@'", "no valid domain")
        return pd.Series(why, index=raw.index)
    n = text.str.count(r"\d").fillna(0).astype(int).astype(str)
    return "not a phone number (" + n + " digits)"


def identify(raw: dict[str, pd.Series], name: pd.Series | None, key: bytes) -> pd.DataFrame:
    """Pseudonymise and link the identifiers of every row.

    Parameters
    ----------
    raw : dict of str to pandas.Series
        Raw identifier columns by field (``email``, ``phone``, ``participant_id``), aligned.
    name : pandas.Series, optional
        Raw names for the near-duplicate check (hashed here, then discarded).
    key : bytes
        The HMAC key.

    Returns
    -------
    pandas.DataFrame
        Same index: ``person_id`` (pseudonym, NA when no valid identifier), ``id_status``
        (``ok``, ``malformed``, ``missing``), ``name_key`` (hashed name or NA) and per
        field ``<field>_problem`` (why a present value is malformed, or NA).

    """
    index = next(iter(raw.values())).index if raw else name.index  # type: ignore[union-attr]
    hashes, problems, present = {}, {}, pd.Series(False, index=index)
    for field, values in raw.items():
        if field == "participant_id":
            norm = "id:" + _text(values)
            status = _status(norm.notna(), norm.notna())
        else:
            norm, status = (normalise_email if field == "email" else normalise_phone)(values)
        hashes[field] = pseudonymize(norm, key).where(norm.notna())
        bad = (status == "malformed").to_numpy()
        problems[f"{field}_problem"] = _describe(field, values).where(bad).astype("string")
        present |= status != "missing"
    person = _link(pd.DataFrame(hashes, index=index))
    out = pd.DataFrame({"person_id": person}, index=index)
    out["id_status"] = pd.array(np.where(person.notna(), "ok",
                                         np.where(present, "malformed", "missing")),
                                dtype="string")
    names = normalise_name(name) if name is not None else pd.Series(pd.NA, index=index,
                                                                    dtype="string")
    out["name_key"] = pseudonymize("name:" + names, key).where(names.notna())
    return out.assign(**problems)


def _link(hashes: pd.DataFrame) -> pd.Series:
    """Link rows through shared identifier hashes; a person's id is its least hash."""
    n = len(hashes)
    long = hashes.reset_index(drop=True).stack().dropna()
    if long.empty:
        return pd.Series(pd.NA, index=hashes.index, dtype="string")
    codes, nodes = pd.factorize(long.to_numpy())
    rows = long.index.get_level_values(0).to_numpy()
    size = n + len(nodes)
    graph = sparse.coo_matrix((np.ones(len(rows)), (rows, n + codes)), shape=(size, size))
    _, label = csgraph.connected_components(graph, directed=False)
    node_label = pd.Series(np.asarray(nodes, dtype=object), index=label[n:])
    least = node_label.groupby(level=0).min()
    row_label = pd.Series(label[:n])
    person = row_label.map(least).where(row_label.isin(label[n + codes]))
    return pd.Series(person.to_numpy(), index=hashes.index, dtype="string")
