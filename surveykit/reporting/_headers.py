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

__all__ = ["IDENTIFIER_COLUMNS", "column_header", "is_identifier_column"]

#: identifier -> (nb header, en header)
_HEADERS: dict[str, tuple[str, str]] = {
    "read": ("Lest inn", "Read"),
    "accepted": ("Godtatt", "Accepted"),
    "excluded": ("Utelukket", "Excluded"),
    "errors_left": ("Gjenværende feil", "Errors left"),
    "wave": ("Bølge", "Wave"),
    "rule": ("Regel", "Rule"),
    "reason": ("Begrunnelse", "Reason"),
    "rows": ("Rader", "Rows"),
    "n": ("n", "n"),
    "kish_deff": ("Kish designeffekt", "Kish design effect"),
    "effective_n": ("Effektivt utvalg", "Effective sample size"),
    "weight_min": ("Minste vekt", "Smallest weight"),
    "weight_max": ("Største vekt", "Largest weight"),
    "moe_50_percentage_points": ("Feilmargin ved 50 % (prosentpoeng)",
                                 "Margin of error at 50% (percentage points)"),
    "name": ("Navn", "Name"),
    "variable": ("Variabel", "Variable"),
    "derived_from": ("Avledet fra", "Derived from"),
    "imputation_classes": ("Imputeringsklasser", "Imputation classes"),
    "missing": ("Manglende", "Missing"),
    "imputed": ("Imputert", "Imputed"),
    "method": ("Metode", "Method"),
    "seed": ("Frø (seed)", "Seed"),
    "rate": ("Rate", "Rate"),
    "margin": ("Margin", "Margin"),
    "level": ("Kategori", "Category"),
    "target": ("Mål (N)", "Target (N)"),
    "achieved_now": ("Oppnådd (N)", "Achieved (N)"),
    "item": ("Spørsmål", "Item"),
    "status": ("Status", "Status"),
    "note": ("Merknad", "Note"),
    "measure": ("Mål", "Measure"),
    "wave_a": ("Bølge A", "Wave A"),
    "wave_b": ("Bølge B", "Wave B"),
    "estimate_a": ("Estimat A", "Estimate A"),
    "estimate_b": ("Estimat B", "Estimate B"),
    "se_a": ("Std.feil A", "SE A"),
    "se_b": ("Std.feil B", "SE B"),
    "n_a": ("n A", "n A"),
    "n_b": ("n B", "n B"),
    "difference": ("Differanse", "Difference"),
    "p_value": ("p-verdi", "p-value"),
    "p_adjusted": ("Justert p", "Adjusted p"),
    "flags": ("Merknader", "Flags"),
    "comparable": ("Sammenlignbar", "Comparable"),
    "year": ("År", "Year"),
    "knr": ("Kommunenr.", "Municipality no."),
    "instrument": ("Instrument", "Instrument"),
    "fingerprint": ("Fingeravtrykk", "Fingerprint"),
    "platform": ("Plattform", "Platform"),
    "file": ("Datafil", "Data file"),
    "sha256": ("SHA-256 (datafil)", "SHA-256 (data file)"),
    "surveykit": ("surveykit-versjon", "surveykit version"),
    "study": ("Studie", "Study"),
}

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
