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
        "likert": ("Gjennomsnitt for skalaspørsmål er regnet på svarkodene, fra laveste til "
                   "høyeste svaralternativ (skalaen står i raden, f.eks. «Gjennomsnitt "
                   "(1\u20135)»); «vet ikke» og andre manglende svar er holdt utenfor."),
        "waves": ("Bølgekolonnene er hver bølge for seg, vektet og estimert med bølgens eget "
                  "design. Bokstaver mellom bølger er en t-test for uavhengige utvalg "
                  "(standardfeilen til differansen er roten av summen av de to kvadrerte "
                  "standardfeilene, frihetsgrader summen av bølgenes), den samme som i "
                  "sammenligningen av bølgene."),
        "crosswalk": "Svarene fra eldre bølger er omkodet til siste versjon av skjemaet "
                     "etter koblingstabellen mellom versjonene.",
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
        "likert": ("Means of scale questions are means of the answer codes, from the lowest "
                   "to the highest option (the scale is in the row label, e.g. \"Mean "
                   "(1\u20135)\"); \"don't know\" and other missing answers are left out."),
        "waves": ("The wave columns are each wave on its own, weighted and estimated with "
                  "that wave's design. Letters between waves come from a t test for "
                  "independent samples (the SE of the difference is the square root of the "
                  "sum of the two squared SEs, the degrees of freedom the sum of the "
                  "waves'), the same test as the comparison of the waves."),
        "crosswalk": "Older waves' answers are recoded into the newest version of the "
                     "questionnaire through the crosswalk between the versions.",
    },
}


def _alpha(level: float, language: str) -> str:
    text = f"{1.0 - level:.3g}"
    return text.replace(".", ",") if language == "nb" else text


def banner_notes(language: str, level: float, second_level: float | None, adjustment: str,
                 min_base: int, multi: Sequence[str], suppress_below: int,
                 any_suppressed: bool, *, likert: bool = False, waves: bool = False,
                 crosswalk: bool = False, gaps: Sequence[str] = ()) -> tuple[str, ...]:
    """Return the notes under a banner table, in ``language``.

    ``likert``: say what scale the means of Likert items are on; ``waves``: how the wave
    columns are estimated and tested; ``crosswalk``: that older waves were recoded;
    ``gaps``: items or rows a wave does not show.

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
    if likert:
        notes.append(t["likert"])
    if waves:
        notes.append(t["waves"])
    if crosswalk:
        notes.append(t["crosswalk"])
    notes += list(dict.fromkeys(gaps))
    return tuple(notes)
