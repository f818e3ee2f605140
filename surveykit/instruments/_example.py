"""A small, complete instrument as a dict, for docstring examples and quick experiments."""

from __future__ import annotations

from typing import Any

__all__ = ["example_instrument_dict"]


def _t(nb: str, en: str) -> dict[str, str]:
    return {"nb": nb, "en": en}


def example_instrument_dict() -> dict[str, Any]:
    """Return a fresh dict of a five-item example instrument (``example@1.0.0``, a draft).

    It has an integer screener, a single choice with a don't-know code, a grid, a
    multi-select with an exclusive option and a text item shown when "other" is selected.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.Instrument.from_dict(example_instrument_dict())
    >>> [item.type for item in inst.items]
    ['integer', 'single', 'grid', 'multi', 'text']

    """
    sat5 = [
        {"code": 1, "label": _t("Svært misfornøyd", "Very dissatisfied")},
        {"code": 2, "label": _t("Ganske misfornøyd", "Fairly dissatisfied")},
        {"code": 3, "label": _t("Verken eller", "Neither")},
        {"code": 4, "label": _t("Ganske fornøyd", "Fairly satisfied")},
        {"code": 5, "label": _t("Svært fornøyd", "Very satisfied")},
    ]
    return {
        "schema": "surveykit.instrument/1",
        "id": "example",
        "version": "1.0.0",
        "status": "draft",
        "title": _t("Eksempel", "Example"),
        "universe": _t("Personer 20–40 år", "People aged 20–40"),
        "languages": {"source": "nb", "targets": ["en"],
                      "names": {"nb": "Norsk bokmål", "en": "English"}},
        "choice_lists": {
            "satisfaction5": {
                "measure": "ordinal",
                "options": sat5,
                "missing": [{"code": 98, "kind": "dont_know", "label": _t("Vet ikke",
                                                                           "Don't know")}],
            },
            "needs": {
                "measure": "nominal",
                "options": [
                    {"code": "housing", "label": _t("Bolig", "Housing")},
                    {"code": "jobs", "label": _t("Jobb", "Jobs")},
                    {"code": "other", "label": _t("Annet", "Other")},
                    {"code": "none", "label": _t("Ingenting av dette", "None of these"),
                     "exclusive": True},
                ],
            },
        },
        "items": [
            {"id": "age", "concept": "demography.age", "var": "age", "type": "integer",
             "role": ["screener"], "text": _t("Hvor gammel er du?", "How old are you?"),
             "required": True, "constraint": {"min": 20, "max": 40}},
            {"id": "satisfaction_region", "var": "sat_region", "type": "single",
             "choices": "satisfaction5", "required": True,
             "text": _t("Hvor fornøyd er du med å bo i regionen?",
                        "How satisfied are you with living in the region?")},
            {"id": "services", "type": "grid", "choices": "satisfaction5",
             "text": _t("Hvor fornøyd er du med disse tilbudene?",
                        "How satisfied are you with these services?"),
             "rows": [
                 {"id": "housing_market", "var": "svc_housing",
                  "text": _t("Boligtilbudet", "The housing market")},
                 {"id": "transport", "var": "svc_transport",
                  "text": _t("Kollektivtilbudet", "Public transport")},
             ],
             "quality": {"straightlining": True}},
            {"id": "needs", "var": "needs", "type": "multi", "choices": "needs",
             "text": _t("Hva trenger du mest?", "What do you need most?"),
             "required": True, "min_selected": 1},
            {"id": "needs_other", "var": "needs_oth", "type": "text",
             "relevant": "selected(${needs}, 'other')",
             "text": _t("Hva annet trenger du?", "What else do you need?"),
             "max_length": 500, "disclosure_risk": "free_text"},
        ],
        "indices": [
            {"id": "service_satisfaction", "label": _t("Tilfredshet med tilbud",
                                                       "Satisfaction with services"),
             "items": ["services.housing_market", "services.transport"], "method": "mean",
             "scale": "pomp", "min_valid": 1},
        ],
    }
