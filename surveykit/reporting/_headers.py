"""Column headers of plain report tables in the report language, and identifier columns.

Methods, accounting and diagnostics tables are built from frames whose columns carry
programme identifiers (``read``, ``kish_deff``, ``seed``). :func:`column_header` turns a
known identifier into a header in ``"nb"`` or ``"en"``; unknown names are shown as given.
:func:`is_identifier_column` decides, in one place, which columns hold identifiers, codes,
seeds or years: those print as plain integers (``20260302``, ``3403``), never with
thousands separators.
"""

from __future__ import annotations

from surveykit.reporting._format import check_language
from surveykit.reporting._vocabulary import pairs

__all__ = ["IDENTIFIER_COLUMNS", "column_header", "is_identifier_column"]

#: identifier -> (nb header, en header)
_HEADERS: dict[str, tuple[str, str]] = pairs("column")

#: columns holding identifiers, codes, seeds or years (plain integers, no separators)
IDENTIFIER_COLUMNS: frozenset[str] = frozenset({
    "id", "seed", "year", "wave", "wave_a", "wave_b", "code", "kode", "knr",
    "kommunenummer", "municipality_code", "fnr", "orgnr", "respondent_id", "row",
    "step", "version", "year_jan1",
})


def column_header(name: str, language: str) -> str:
    """Header of column ``name`` in ``language``; names outside the vocabulary stay as given.

    Examples
    --------
    >>> column_header("kish_deff", "nb"), column_header("kish_deff", "en")
    ('Kish designeffekt', 'Kish design effect')
    >>> column_header("Hamar", "nb")
    'Hamar'

    """
    pair = _HEADERS.get(str(name))
    if pair is None:
        return str(name)
    return pair[0] if check_language(language) == "nb" else pair[1]


def is_identifier_column(name: str) -> bool:
    """Whether column ``name`` holds identifiers/codes/seeds/years (printed as plain integers).

    Examples
    --------
    >>> is_identifier_column("seed"), is_identifier_column("respondent_id"), \
is_identifier_column("n")
    (True, True, False)

    """
    low = str(name).lower()
    return (low in IDENTIFIER_COLUMNS or low.endswith(("_id", "_code", "_year", "_seed"))
            or low.startswith(("id_", "year_")))
