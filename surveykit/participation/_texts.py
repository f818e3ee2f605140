"""Fixed texts of the meeting-places appendix section, in bokmål (``nb``) and English (``en``)."""

from __future__ import annotations

from typing import Any

__all__ = ["TEXT"]

_RULES_NB = {
    "read": "Rader lest", "accepted": "Godtatt", "excluded": "Utelatt",
    "unidentified": "Godtatt uten gyldig identifikator",
    "missing_event": "utelatt: mangler arrangement", "unknown_event": "utelatt: ukjent arrangement",
    "date_outside_period": "utelatt: dato utenfor prosjektperioden",
    "no_show": "utelatt: påmeldt, ikke møtt",
    "duplicate_within_event": "utelatt: samme person to ganger på samme arrangement",
    "malformed_identifier": "merket: ugyldig e-post eller telefon",
    "missing_identifier": "merket: mangler e-post og telefon",
    "concept_mismatch": "merket: annet konsept enn i registeret",
    "date_mismatch": "merket: annen dato enn i registeret",
    "near_duplicate": "merket: mulig dublett (samme navn og fødselsår)",
}
_RULES_EN = {
    "read": "Rows read", "accepted": "Accepted", "excluded": "Excluded",
    "unidentified": "Accepted without a valid identifier",
    "missing_event": "excluded: no event", "unknown_event": "excluded: unknown event",
    "date_outside_period": "excluded: date outside the project period",
    "no_show": "excluded: signed up, did not attend",
    "duplicate_within_event": "excluded: same person twice at the same event",
    "malformed_identifier": "flagged: malformed e-mail or phone",
    "missing_identifier": "flagged: no e-mail or phone",
    "concept_mismatch": "flagged: concept differs from the register",
    "date_mismatch": "flagged: date differs from the register",
    "near_duplicate": "flagged: possible duplicate (same name and birth year)",
}

TEXT: dict[str, dict[str, Any]] = {
    "nb": {
        "title": "Møteplasser",
        "intro": ("Prosjektet piloterer flere møteplasskonsepter og har som mål å nå {target} "
                  "unike deltakere i alderen 20–40 år i prosjektperioden. Tallene bygger på "
                  "arrangementsregisteret, påmeldings- og innsjekkingslistene og "
                  "tilbakemeldingsskjemaet etter arrangementene."),
        "census_note": ("Deltakertallene teller alle personer på deltakerlistene (en "
                        "totaltelling, ikke et utvalg) og har derfor ingen "
                        "utvalgsusikkerhet og ingen konfidensintervaller."),
        "identity_note": ("Hver person telles én gang på tvers av arrangementer og konsepter: "
                          "e-postadresser og telefonnumre normaliseres og erstattes av "
                          "nøkkelbaserte pseudonymer. Deltakelser uten gyldig e-post eller "
                          "telefon telles for arrangementet, men ikke som unike deltakere. "
                          "Mulige dubletter (samme navn og fødselsår) slås ikke sammen."),
        "identity_note_session": (
            "Hver person telles én gang på tvers av arrangementer og konsepter: "
            "e-postadresser og telefonnumre normaliseres og erstattes av pseudonymer med en "
            "tilfeldig nøkkel som bare gjaldt denne kjøringen (ingen pseudonymnøkkel var satt "
            "opp), så de kan ikke kobles til andre kjøringer eller filer. Deltakelser uten "
            "gyldig e-post eller telefon telles for arrangementet, men ikke som unike "
            "deltakere. Mulige dubletter (samme navn og fødselsår) slås ikke sammen."),
        "suppressed": "«:» = prikket fordi færre enn {k} personer ligger bak tallet, eller "
                      "fordi tallet ellers kunne regnes ut (sekundær prikking).",
        "indicator": "Indikator", "number": "Antall", "percent": "Prosent",
        "kf": {"participants": "Unike deltakere", "target": "Mål (unike deltakere)",
               "attendances": "Deltakelser", "unidentified_attendances":
               "Deltakelser uten gyldig identifikator", "events_held": "Arrangementer avholdt",
               "concepts_held": "Konsepter i bruk",
               "returning_participants": "Deltakere som kom igjen",
               "participants_20_40": "Deltakere 20–40 år",
               "feedback_forms": "Tilbakemeldingsskjemaer",
               "share_of_target": "Andel av målet", "share_returning": "Andel som kom igjen",
               "share_20_40": "Andel 20–40 år (av dem med kjent alder)",
               "feedback_forms_per_attendance": "Skjemaer per deltakelse"},
        "key_caption": "Nøkkeltall for møteplassene",
        "progress_caption": "Unike deltakere (kumulativt) per måned mot målet og "
                            "prosjektperioden",
        "concept_caption": "Deltakelse per konsept",
        "concept_note": "En person som har vært på flere konsepter telles under hvert av dem; "
                        "«første gang» teller personer hvis første deltakelse var i konseptet.",
        "cols_concept": {"concept": "Konsept", "events_held": "Arrangementer",
                         "attendances": "Deltakelser", "participants": "Unike deltakere",
                         "first_time": "Første gang", "share_of_participants":
                         "Andel av alle deltakere (%)"},
        "muni_caption": "Unike deltakere etter bostedskommune",
        "cols_muni": {"municipality": "Kommune", "participants": "Unike deltakere",
                      "share": "Andel (%)"},
        "unknown": "Ukjent",
        "age_caption": "Unike deltakere etter alder ved første deltakelse",
        "cols_age": {"age_band": "Alder", "participants": "Unike deltakere",
                     "share_of_known": "Andel av kjent alder (%)"},
        "bands": {"under 20": "under 20", "over 40": "over 40", "unknown": "ukjent"},
        "age_note": "Alder beregnes fra fødselsår der det er oppgitt (±1 år).",
        "new_caption": "Unike deltakere etter om de er nye i regionen",
        "cols_new": {"newcomer": "Ny i regionen", "participants": "Unike deltakere",
                     "share": "Andel (%)"},
        "yes_no": {"yes": "ja", "no": "nei", "unknown": "ukjent"},
        "ftr_caption": "Deltakelser: første gang og gjentatte besøk per konsept",
        "cols_ftr": {"concept": "Konsept", "first_time": "Første gang",
                     "returning": "Kom igjen", "unidentified": "Uten identifikator"},
        "all": "Alle",
        "rep_caption": "Unike deltakere etter antall arrangementer de har vært på",
        "cols_rep": {"events_attended": "Arrangementer", "participants": "Unike deltakere",
                     "share": "Andel (%)"},
        "event_caption": "Deltakelse per arrangement",
        "cols_event": {"event_id": "Arrangement", "concept": "Konsept", "date": "Dato",
                       "attendances": "Deltakelser", "first_time": "Første gang",
                       "returning": "Kom igjen", "unidentified": "Uten identifikator"},
        "concept_fig_caption": "Unike deltakere og NPS per konsept",
        "fb_caption": "Tilbakemeldingsskjemaet per konsept ({p} % konfidensintervall)",
        "concept": "Konsept", "estimate": "Estimat", "ci_low": "KI nedre", "ci_high": "KI øvre",
        "fb": {"satisfaction_mean": "Fornøydhet, gjennomsnitt (1–5)",
               "satisfaction_top2": "Ganske eller svært fornøyd (%)",
               "come_again": "Kommer sannsynligvis igjen (%)", "nps": "NPS (−100 til 100)"},
        "self_selected": ("De som svarte på tilbakemeldingsskjemaet valgte selv å svare (et "
                          "selvselektert utvalg av deltakelsene). Svarene er ikke vektet til "
                          "deltakerne eller befolkningen. Intervallene er beregnet på et "
                          "uvektet design av skjemaene og viser bare tilfeldig variasjon, ikke "
                          "skjevhet fra hvem som svarte. Enheten er skjemaet: en person som "
                          "svarte etter flere arrangementer teller én gang per skjema."),
        "fb_definitions": ("«Vet ikke» holdes utenfor grunnlaget. NPS = prosent 9–10 minus "
                           "prosent 0–6 på spørsmålet om å anbefale tilbudet."),
        "quantity": "Rader", "rows": "Antall", "acc": _RULES_NB,
        "acc_caption": "Kontroll av deltakerlistene",
        "acc_note": ("Utelatte rader teller ikke i tallene over; merkede rader teller. "
                     "{k} rader er mulige dubletter til manuell gjennomgang."),
    },
    "en": {
        "title": "Meeting places",
        "intro": ("The project pilots several meeting-place concepts and aims to reach "
                  "{target} distinct participants aged 20–40 during the project period. The "
                  "figures come from the event register, the sign-up and check-in lists and "
                  "the feedback form filled in after events."),
        "census_note": ("Participation figures count every person on the attendance lists (a "
                        "census, not a sample), so they carry no sampling error and no "
                        "confidence intervals."),
        "identity_note": ("Each person is counted once across events and concepts: e-mail "
                          "addresses and phone numbers are normalised and replaced by keyed "
                          "pseudonyms. Attendances without a valid e-mail or phone count for "
                          "their event but not as distinct participants. Possible duplicates "
                          "(same name and birth year) are not merged."),
        "identity_note_session": (
            "Each person is counted once across events and concepts: e-mail addresses and "
            "phone numbers are normalised and replaced by pseudonyms under a random key used "
            "for this run only (no pseudonym key was configured), so they cannot be linked "
            "to any other run or file. Attendances without a valid e-mail or phone count for "
            "their event but not as distinct participants. Possible duplicates (same name "
            "and birth year) are not merged."),
        "suppressed": ('":" = suppressed because fewer than {k} people underlie the figure, '
                       "or because it could otherwise be derived (secondary suppression)."),
        "indicator": "Indicator", "number": "Number", "percent": "Percent",
        "kf": {"participants": "Distinct participants", "target": "Target (distinct "
               "participants)", "attendances": "Attendances", "unidentified_attendances":
               "Attendances without a valid identifier", "events_held": "Events held",
               "concepts_held": "Concepts in use",
               "returning_participants": "Participants who came again",
               "participants_20_40": "Participants aged 20–40",
               "feedback_forms": "Feedback forms",
               "share_of_target": "Share of the target", "share_returning":
               "Share who came again", "share_20_40": "Share aged 20–40 (of known age)",
               "feedback_forms_per_attendance": "Forms per attendance"},
        "key_caption": "Meeting places: key figures",
        "progress_caption": "Distinct participants (cumulative) by month against the target "
                            "and the project period",
        "concept_caption": "Participation by concept",
        "concept_note": "A person who attended several concepts is counted under each; "
                        '"first time" counts people whose first attendance was in the concept.',
        "cols_concept": {"concept": "Concept", "events_held": "Events",
                         "attendances": "Attendances", "participants": "Distinct participants",
                         "first_time": "First time", "share_of_participants":
                         "Share of all participants (%)"},
        "muni_caption": "Distinct participants by municipality of residence",
        "cols_muni": {"municipality": "Municipality", "participants": "Distinct participants",
                      "share": "Share (%)"},
        "unknown": "Unknown",
        "age_caption": "Distinct participants by age at first attendance",
        "cols_age": {"age_band": "Age", "participants": "Distinct participants",
                     "share_of_known": "Share of known age (%)"},
        "bands": {"unknown": "unknown"},
        "age_note": "Age is computed from the birth year where given (±1 year).",
        "new_caption": "Distinct participants by whether they are new in the region",
        "cols_new": {"newcomer": "New in the region", "participants": "Distinct participants",
                     "share": "Share (%)"},
        "yes_no": {"yes": "yes", "no": "no", "unknown": "unknown"},
        "ftr_caption": "Attendances: first time and returning, by concept",
        "cols_ftr": {"concept": "Concept", "first_time": "First time",
                     "returning": "Returning", "unidentified": "Without identifier"},
        "all": "All",
        "rep_caption": "Distinct participants by number of events attended",
        "cols_rep": {"events_attended": "Events", "participants": "Distinct participants",
                     "share": "Share (%)"},
        "event_caption": "Attendance by event",
        "cols_event": {"event_id": "Event", "concept": "Concept", "date": "Date",
                       "attendances": "Attendances", "first_time": "First time",
                       "returning": "Returning", "unidentified": "Without identifier"},
        "concept_fig_caption": "Distinct participants and NPS by concept",
        "fb_caption": "Feedback form by concept ({p} % confidence interval)",
        "concept": "Concept", "estimate": "Estimate", "ci_low": "CI low", "ci_high": "CI high",
        "fb": {"satisfaction_mean": "Satisfaction, mean (1–5)",
               "satisfaction_top2": "Fairly or very satisfied (%)",
               "come_again": "Will probably come again (%)", "nps": "NPS (−100 to 100)"},
        "self_selected": ("Feedback respondents chose to answer (a self-selected sample of "
                          "attendances). Their answers are not weighted to the participants or "
                          "the population. The intervals are computed on an unweighted design "
                          "of the forms and show sampling variation only, not bias from who "
                          "answered. The unit is the form: a person who answered after several "
                          "events counts once per form."),
        "fb_definitions": ('"Don\'t know" answers leave the base. NPS = percent 9–10 minus '
                           "percent 0–6 on the recommendation question."),
        "quantity": "Rows", "rows": "Number", "acc": _RULES_EN,
        "acc_caption": "Checks of the attendance lists",
        "acc_note": ("Excluded rows do not count in the figures above; flagged rows do. "
                     "{k} rows are possible duplicates for manual review."),
    },
}
