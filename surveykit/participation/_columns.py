"""Headers and dates as organisers write them: canonical field names, Norwegian and English.

Headers are compared after folding (lower case, ``æøå`` to ``aeoa``, every run of other
characters to ``_``), so ``"E-post"``, ``"e_post"`` and ``"E post "`` are the same header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from surveykit.errors import IngestionError

__all__ = ["ALIASES", "fold", "parse_dates", "resolve_columns"]

#: canonical field -> accepted (folded) header names
ALIASES: Mapping[str, tuple[str, ...]] = {
    "event_id": ("event_id", "event", "event_code", "arrangement", "arrangement_id",
                 "arrangementskode", "arrangement_kode", "kode"),
    "concept": ("concept", "konsept", "tilbud", "concept_code"),
    "date": ("date", "dato", "event_date", "arrangementsdato"),
    "municipality": ("municipality", "kommune", "kommunenummer", "kommunenr",
                     "municipality_code", "bostedskommune"),
    "venue": ("venue", "sted", "lokale", "location"),
    "format": ("format", "type_arrangement", "arrangementstype"),
    "organiser": ("organiser", "organizer", "arrangor", "ansvarlig", "organised_by"),
    "participant_id": ("participant_id", "deltaker_id", "deltakerid", "deltakernummer",
                       "member_id", "medlemsnummer"),
    "name": ("name", "navn", "full_name", "fullt_navn", "deltakernavn", "participant_name"),
    "first_name": ("first_name", "fornavn", "given_name"),
    "last_name": ("last_name", "etternavn", "surname", "family_name"),
    "email": ("email", "e_mail", "e_post", "epost", "mail", "e_postadresse",
              "email_address", "epostadresse"),
    "phone": ("phone", "telefon", "tlf", "mobil", "mobile", "mobilnummer", "telefonnummer",
              "phone_number", "mobile_phone", "mobiltelefon"),
    "birth_year": ("birth_year", "fodselsar", "year_of_birth", "fodt", "born"),
    "age": ("age", "alder"),
    "attended": ("attended", "mott", "oppmote", "checked_in", "innsjekket", "present",
                 "tilstede"),
    "newcomer": ("newcomer", "ny_i_regionen", "tilflytter", "international",
                 "internasjonal", "nyankommet", "new_in_region"),
    "timestamp": ("timestamp", "tidspunkt", "registered", "registrert", "pameldt",
                  "signed_up", "checked_in_at", "innsjekket_tid", "submitted", "created"),
}

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ö": "o", "ä": "a"})


def fold(header: object) -> str:
    """Fold a header for matching.

    Examples
    --------
    >>> fold(" E-post "), fold("Fødselsår"), fold("Arrangør")
    ('e_post', 'fodselsar', 'arrangor')

    """
    text = str(header).strip().lower().translate(_FOLD)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def resolve_columns(
    frame: pd.DataFrame, fields: Iterable[str], source: str
) -> dict[str, str]:
    """Return ``{field: column}`` for every field of ``fields`` that has a column.

    Raises
    ------
    IngestionError
        Two columns of ``source`` map to the same field (e.g. ``"E-post"`` and ``"Email"``).

    Examples
    --------
    >>> df = pd.DataFrame(columns=["Arrangement", "Navn", "E-post", "Fødselsår"])
    >>> resolve_columns(df, ["event_id", "name", "email", "birth_year", "phone"], "x.csv")
    {'event_id': 'Arrangement', 'name': 'Navn', 'email': 'E-post', 'birth_year': 'Fødselsår'}

    """
    folded = {col: fold(col) for col in frame.columns}
    found: dict[str, str] = {}
    for field in fields:
        hits = [c for c, f in folded.items() if f in ALIASES[field]]
        if len(hits) > 1:
            raise IngestionError(
                f"{source}: columns {hits!r} all mean {field!r}; keep one of them (rename or "
                "delete the others) so that each field has one column."
            )
        if hits:
            found[field] = str(hits[0])
    return found


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse ISO (``2025-09-04``, with or without a time) or Norwegian (``04.09.2025``) dates.

    Returns datetime64 dates (time dropped); what does not parse is NaT.

    Examples
    --------
    >>> parse_dates(pd.Series(["2025-09-04 18:30", "4.9.2025", "soon", None])).tolist()
    [Timestamp('2025-09-04 00:00:00'), Timestamp('2025-09-04 00:00:00'), NaT, NaT]

    """
    text = values.astype("string").str.strip()
    iso = pd.to_datetime(text.str[:10], errors="coerce", format="%Y-%m-%d")
    nor = pd.to_datetime(text.str.extract(r"^(\d{1,2}\.\d{1,2}\.\d{4})")[0], errors="coerce",
                         format="%d.%m.%Y")
    return iso.fillna(nor).dt.normalize()
