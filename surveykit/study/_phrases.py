"""Fixed phrases of the study appendix (headings, sentences, captions) in nb and en."""

from __future__ import annotations

from surveykit.ingestion import RULES

__all__ = ["looks_english", "phrase", "rule_name", "rule_text", "status_name"]

_PHRASES: dict[str, dict[str, str]] = {
    "nb": {
        "appendix": "Statistisk vedlegg", "methods": "Metode", "data": "Data og instrumenter",
        "exclusions": "Utelukkede svar", "rates": "Svarprosent (AAPOR)",
        "weighting": "Vekting", "moe": "Feilmarginer", "derived": "Avledede variabler",
        "codebook": "Kodebok", "frequencies": "Frekvenstabeller", "means": "Gjennomsnitt",
        "indices": "Indekser", "comparison": "Sammenligning", "wave": "Bølge",
        "overall": "alle", "by": "etter", "participation": "Deltakelse",
        "charts": "Figurer",
        "excl_text": "Svar ble utelukket etter disse reglene (hver rad telles én gang, under "
                     "den første regelen som traff den).",
        "rates_text": "Utfallsrater etter AAPOR Standard Definitions, beregnet fra "
                      "disposisjonskodene i {file}; e = andel antatt kvalifiserte blant "
                      "ukjente.",
        "weight_text": "Vektene ble {method} mot befolkningstall (SSB tabell 07459) for "
                       "marginene {margins}{trim}. Tabellen viser mål og oppnådd vektet "
                       "total for hver kategori.",
        "trim_text": ", trimmet til høyst {upper} ganger gjennomsnittsvekten og raket på nytt",
        "deff_text": "Kish' designeffekt av vektingen og effektivt utvalg.",
        "moe_text": "Feilmargin (halv bredde av {level} % konfidensintervall, prosentpoeng) "
                    "for en andel på 50 %, med effektivt utvalg.",
        "cmp_text": "Forskjeller {b} minus {a}, harmonisert gjennom krysstabellen "
                    "(crosswalk) {xw}. p-verdier justert for multiple sammenligninger ({adj}).",
        "refused": "Ikke sammenlignbare, nye eller utgåtte spørsmål",
        "breaks": "Brudd i tidsserien: {items}.",
        "unweighted": "Dataene er ikke vektet (åpen lenke uten utvalgsramme): tallene "
                      "beskriver dem som svarte.",
        "raked": "raket", "poststratified": "poststratifisert",
        "cap_accounting": "{wave}: innleste, godtatte og utelukkede svar ({ref})",
        "cap_exclusions": "Utelukkede svar etter regel",
        "cap_rates": "Utfallsrater (AAPOR) etter bølge, prosent",
        "cap_margins": "{wave}: mål og oppnådd vektet total per kategori",
        "cap_deff": "Designeffekt og effektivt utvalg etter bølge",
        "cap_moe": "Feilmargin for en andel på 50 % etter bølge",
        "cap_derived": "Avledede variabler og imputering",
        "cap_refused": "{b} – {a}: spørsmål som ikke ble sammenlignet",
        "universe": "utenfor populasjonen: ikke ({expr})",
        "manual": "manuell",
        "source_language": "Merknadene er gjengitt på engelsk, slik de står i "
                           "krysstabellen (crosswalk) {xw}.",
    },
    "en": {
        "appendix": "Statistical appendix", "methods": "Methods", "data": "Data and instruments",
        "exclusions": "Excluded responses", "rates": "Response rates (AAPOR)",
        "weighting": "Weighting", "moe": "Margins of error", "derived": "Derived variables",
        "codebook": "Codebook", "frequencies": "Frequency tables", "means": "Means",
        "indices": "Indices", "comparison": "Comparison", "wave": "Wave",
        "overall": "all", "by": "by", "participation": "Participation", "charts": "Charts",
        "excl_text": "Responses were excluded by these rules (each row counted once, under "
                     "the first rule that named it).",
        "rates_text": "Outcome rates by the AAPOR Standard Definitions, from the disposition "
                      "counts in {file}; e = estimated share eligible among unknowns.",
        "weight_text": "Weights were {method} to population counts (Statistics Norway table "
                       "07459) on the margins {margins}{trim}. The table shows the target "
                       "and the achieved weighted total of every category.",
        "trim_text": ", trimmed to at most {upper} times the mean weight and raked again",
        "deff_text": "Kish design effect of the weighting and effective sample size.",
        "moe_text": "Margin of error (half width of the {level}% confidence interval, "
                    "percentage points) of a 50% share, at the effective sample size.",
        "cmp_text": "Differences {b} minus {a}, harmonised through the crosswalk {xw}. "
                    "p-values adjusted for multiple comparisons ({adj}).",
        "refused": "Items not compared (not comparable, new or dropped)",
        "breaks": "Trend breaks: {items}.",
        "unweighted": "The data are unweighted (open link without a sampling frame): the "
                      "figures describe those who answered.",
        "raked": "raked", "poststratified": "post-stratified",
        "cap_accounting": "{wave}: responses read, accepted and excluded ({ref})",
        "cap_exclusions": "Excluded responses by rule",
        "cap_rates": "Outcome rates (AAPOR) by wave, percent",
        "cap_margins": "{wave}: target and achieved weighted total by category",
        "cap_deff": "Design effect and effective sample size by wave",
        "cap_moe": "Margin of error of a 50% share by wave",
        "cap_derived": "Derived variables and imputation",
        "cap_refused": "{b} – {a}: items not compared",
        "universe": "outside the universe: not ({expr})",
        "manual": "manual",
        "source_language": "The notes are given in English, as written in the crosswalk "
                           "{xw}.",
    },
}

#: Bokmål texts of the exclusion rules (English ones come from ingestion's RULES)
_RULE_TEXT_NB: dict[str, str] = {
    "duplicate_id": "samme respondent-id som en tidligere rad",
    "type": "en verdi kan ikke leses som spørsmålets type",
    "constraint": "en verdi bryter spørsmålets begrensning",
    "code": "en kode finnes ikke i svaralternativene",
    "text_length": "et tekstsvar er lengre enn tillatt",
    "unknown_option": "et valgt alternativ finnes ikke i svaralternativene",
    "exclusive": "et eksklusivt alternativ er kombinert med andre",
    "min_selected": "færre alternativer valgt enn minimum",
    "max_selected": "flere alternativer valgt enn maksimum",
    "not_relevant": "besvart selv om spørsmålet ikke ble vist",
    "required": "påkrevd spørsmål står tomt",
    "missing_code": "tomt der listen har egne koder for manglende svar",
    "speeder": "samlet svartid under halvparten av mediantiden",
    "straightlining": "samme svar på alle linjer i et matrisespørsmål",
    "attention_check": "et kontrollspørsmål har ikke forventet svar",
    "duplicate_identifier": "samme identifikator (f.eks. e-post) som en tidligere rad",
    "duplicate_answers": "samme svarmønster som en tidligere rad",
    "out_of_universe": "et screeningsvar utenfor populasjonen",
    "partial": "ufullstendig (ikke fullført) svar",
}


#: short names of the exclusion rules: id -> (nb, en)
_RULE_NAMES: dict[str, tuple[str, str]] = {
    "duplicate_id": ("Dublett respondent-id", "Duplicate respondent id"),
    "type": ("Feil type", "Wrong type"),
    "constraint": ("Brutt begrensning", "Constraint broken"),
    "code": ("Ukjent kode", "Unknown code"),
    "text_length": ("For langt tekstsvar", "Text too long"),
    "unknown_option": ("Ukjent alternativ", "Unknown option"),
    "exclusive": ("Eksklusivt alternativ kombinert", "Exclusive option combined"),
    "min_selected": ("For få valgt", "Too few selected"),
    "max_selected": ("For mange valgt", "Too many selected"),
    "not_relevant": ("Besvart utenom filter", "Answered outside skip logic"),
    "required": ("Påkrevd svar mangler", "Required answer missing"),
    "missing_code": ("Tomt uten manglende-kode", "Blank without missing code"),
    "speeder": ("For rask besvarelse", "Speeder"),
    "straightlining": ("Rett-linje-svar", "Straightlining"),
    "attention_check": ("Kontrollspørsmål feilet", "Attention check failed"),
    "duplicate_identifier": ("Dublett identifikator", "Duplicate identifier"),
    "duplicate_answers": ("Dublett svarmønster", "Duplicate answers"),
    "out_of_universe": ("Utenfor populasjonen", "Out of universe"),
    "partial": ("Ufullstendig svar", "Partial response"),
    "manual": ("Manuell", "Manual"),
}

#: crosswalk statuses: status -> (nb, en)
_STATUS_NAMES: dict[str, tuple[str, str]] = {
    "identical": ("identisk", "identical"),
    "recoded": ("omkodet", "recoded"),
    "transformed": ("transformert", "transformed"),
    "approximate": ("omtrentlig", "approximate"),
    "not_comparable": ("ikke sammenlignbar", "not comparable"),
    "new": ("ny", "new"),
    "dropped": ("utgått", "dropped"),
    "unlisted": ("ikke i krysstabellen", "not in the crosswalk"),
}

_EN_WORDS = frozenset({"the", "and", "of", "is", "was", "from", "with", "to", "after", "are",
                       "there", "each", "those", "who", "have"})
_NB_WORDS = frozenset({"og", "er", "ikke", "som", "på", "fra", "med", "til", "etter", "har",
                       "det", "de", "en", "et", "av", "ble"})


def phrase(key: str, language: str, **fields: object) -> str:
    """Return a fixed phrase of the study appendix in ``language`` (``"nb"`` or ``"en"``)."""
    return _PHRASES[language][key].format(**fields)


def rule_text(rule: str, reason: str, language: str) -> str:
    """Return the reason of an exclusion in ``language`` (rule texts, the universe).

    Reasons given by hand (not a rule's fixed text) are shown as written.

    Examples
    --------
    >>> rule_text("duplicate_answers", "the same answer vector as an earlier row", "nb")
    'samme svarmønster som en tidligere rad'
    >>> rule_text("manual", "outside the universe: not (${x} != 9)", "nb")
    'utenfor populasjonen: ikke (${x} != 9)'

    """
    prefix, suffix = "outside the universe: not (", ")"
    if reason.startswith(prefix) and reason.endswith(suffix):
        return phrase("universe", language, expr=reason[len(prefix):-len(suffix)])
    if language == "nb" and rule in RULES and reason == RULES[rule][1]:
        return _RULE_TEXT_NB.get(rule, reason)
    return reason


def _pick(pair: tuple[str, str] | None, fallback: str, language: str) -> str:
    if pair is None:
        return fallback
    return pair[0] if language == "nb" else pair[1]


def rule_name(rule: str, language: str) -> str:
    """Short name of exclusion rule ``rule`` in ``language`` (unknown ids stay as given).

    Examples
    --------
    >>> rule_name("duplicate_answers", "nb"), rule_name("duplicate_answers", "en")
    ('Dublett svarmønster', 'Duplicate answers')

    """
    return _pick(_RULE_NAMES.get(rule), rule, language)


def status_name(status: str, language: str) -> str:
    """Crosswalk status ``status`` in ``language`` (unknown statuses stay as given).

    Examples
    --------
    >>> status_name("not_comparable", "nb"), status_name("new", "en")
    ('ikke sammenlignbar', 'new')

    """
    return _pick(_STATUS_NAMES.get(status), status, language)


def looks_english(texts: list[str]) -> bool:
    """Whether free texts are English rather than Bokmål, by counting common short words.

    Examples
    --------
    >>> looks_english(["Asked of those who have heard of it."])
    True
    >>> looks_english(["Spurt fra 2026, etter at møteplassene åpnet."])
    False

    """
    words = " ".join(texts).lower().replace(",", " ").replace(".", " ").split()
    english = sum(w in _EN_WORDS for w in words)
    return english > sum(w in _NB_WORDS for w in words)
