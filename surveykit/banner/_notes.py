"""Plain-language notes of a banner table, in Norwegian (nb) and English (en)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["banner_notes"]

_ADJUST = {
    "nb": {"none": "ikke justert for multiple sammenligninger",
           "bonferroni": "justert med Bonferroni per rad og bakgrunnsvariabel",
           "holm": "justert med Holm per rad og bakgrunnsvariabel",
           "bh": "justert med Benjamini-Hochberg per rad og bakgrunnsvariabel"},
    "en": {"none": "not adjusted for multiple comparisons",
           "bonferroni": "Bonferroni-adjusted per row and banner variable",
           "holm": "Holm-adjusted per row and banner variable",
           "bh": "Benjamini-Hochberg-adjusted per row and banner variable"},
}
_TEXT = {
    "nb": {
        "base": "Vektede prosent og gjennomsnitt; baser er uvektede antall svar.",
        "letters": ("Bokstaver viser kolonner under samme bakgrunnsvariabel som cellen er "
                    "signifikant høyere enn (designbasert t-test av differansen, tosidig, "
                    "{levels}); p-verdiene er {adjust}. Totalen testes ikke mot sine deler."),
        "upper": "store bokstaver p < {a}",
        "lower": "små bokstaver p < {a}",
        "small": "Kolonner med færre enn {k} svar (merket *) vises, men testes ikke.",
        "multi": ("Flervalgsspørsmål ({names}): hvert alternativ er andelen av dem som "
                  "svarte, så andelene summerer seg ikke til 100 %."),
        "suppressed": "Celler med færre enn {k} svar er skjult (:).",
    },
    "en": {
        "base": "Weighted percentages and means; bases are unweighted numbers of answers.",
        "letters": ("Letters mark the columns of the same banner variable that the cell is "
                    "significantly higher than (design-based t test of the difference, "
                    "two-sided, {levels}); p-values {adjust}. The total is not tested "
                    "against its parts."),
        "upper": "upper case p < {a}",
        "lower": "lower case p < {a}",
        "small": "Columns with fewer than {k} answers (marked *) are shown but not tested.",
        "multi": ("Multi-select questions ({names}): each option is the share of those who "
                  "answered, so the shares do not sum to 100 %."),
        "suppressed": "Cells with fewer than {k} answers are suppressed (:).",
    },
}


def _alpha(level: float, language: str) -> str:
    text = f"{1.0 - level:.3g}"
    return text.replace(".", ",") if language == "nb" else text


def banner_notes(language: str, level: float, second_level: float | None, adjustment: str,
                 min_base: int, multi: Sequence[str], suppress_below: int,
                 any_suppressed: bool) -> tuple[str, ...]:
    """Return the notes under a banner table, in ``language``.

    Examples
    --------
    >>> banner_notes("en", 0.95, 0.9, "holm", 30, [], 5, False)[1]  # doctest: +ELLIPSIS
    'Letters mark ... (design-based t test ..., upper case p < 0.05, lower case p < 0.1); ...'

    """
    t = _TEXT.get(language, _TEXT["en"])
    levels = t["upper"].format(a=_alpha(level, language))
    if second_level is not None:
        levels += ", " + t["lower"].format(a=_alpha(second_level, language))
    adjust = _ADJUST.get(language, _ADJUST["en"])[adjustment]
    notes = [t["base"], t["letters"].format(levels=levels, adjust=adjust),
             t["small"].format(k=min_base)]
    if multi:
        notes.append(t["multi"].format(names=", ".join(multi)))
    if any_suppressed:
        notes.append(t["suppressed"].format(k=suppress_below))
    return tuple(notes)
