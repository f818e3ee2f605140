"""Masking of identifier-looking text: e-mail addresses, phone numbers, national ids.

One function, :func:`mask_identifiers`, used wherever a raw value of the user's file may
reach a message or a report (``IngestionError`` messages, the ``value`` column of the
ValidationReport). Plain digit runs are left alone unless they are a valid Norwegian
national identity number (fødselsnummer), so limits and counts in messages stay readable.
"""

from __future__ import annotations

import re

__all__ = ["is_fodselsnummer", "mask_identifiers"]

_EMAIL = re.compile(r"[^@\s'\"<>;,]+@[^@\s'\"<>;,]+\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"(?<![\w.])(?:(?:\+|00)\d{2}[ \-]?)?(?:\d{3} \d{2} \d{3}|\d{2} \d{2} \d{2} \d{2})(?![\w.])"
    r"|(?<![\w.])(?:\+|00)\d{2}[ \-]?\d{8}(?![\w.])"
)
_ELEVEN = re.compile(r"(?<!\d)\d{6} ?\d{5}(?!\d)")
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def is_fodselsnummer(text: str) -> bool:
    """Whether ``text`` is 11 digits whose two mod-11 check digits are right.

    Examples
    --------
    >>> is_fodselsnummer("01010012356"), is_fodselsnummer("01010012345")
    (True, False)

    """
    if len(text) != 11 or not text.isdigit():
        return False
    d = [int(c) for c in text]
    for weights, pos in ((_W1, 9), (_W2, 10)):
        check = 11 - sum(w * x for w, x in zip(weights, d, strict=False)) % 11
        if (0 if check == 11 else check) != d[pos]:
            return False
    return True


def _fnr(match: re.Match[str]) -> str:
    return "<national id>" if is_fodselsnummer(match.group().replace(" ", "")) else match.group()


def mask_identifiers(text: str) -> str:
    """Replace e-mail addresses, phone numbers and national ids in ``text`` by placeholders.

    Examples
    --------
    >>> mask_identifiers("'kari@hamar.no' is not a number")
    "'<e-mail>' is not a number"
    >>> mask_identifiers("call 912 34 567 or +47 91234567; id 01010012356; limit 50000000")
    'call <phone> or <phone>; id <national id>; limit 50000000'

    """
    out = _EMAIL.sub("<e-mail>", text)
    out = _PHONE.sub("<phone>", out)
    return _ELEVEN.sub(_fnr, out)
