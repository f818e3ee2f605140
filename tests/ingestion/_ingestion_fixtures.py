"""Shared fixtures for the ingestion tests: an instrument and valid answers in canonical form."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

import surveykit as sk
from surveykit.instruments import Instrument, example_instrument_dict


def instrument_dict() -> dict:
    """The example instrument plus a municipality screener and an attention check."""
    d = copy.deepcopy(example_instrument_dict())
    t = lambda nb, en: {"nb": nb, "en": en}  # noqa: E731
    d["choice_lists"]["municipality"] = {
        "measure": "nominal",
        "options": [{"code": 3403, "label": t("Hamar", "Hamar")},
                    {"code": 3411, "label": t("Ringsaker", "Ringsaker")},
                    {"code": 3412, "label": t("Løten", "Løten")},
                    {"code": 3413, "label": t("Stange", "Stange")},
                    {"code": 9999, "label": t("En annen kommune", "Another municipality")}],
    }
    d["items"].insert(1, {
        "id": "municipality", "var": "municipality", "type": "single", "role": ["screener"],
        "choices": "municipality", "required": True, "constraint": ". != 9999",
        "text": t("Hvilken kommune bor du i?", "Which municipality do you live in?")})
    d["items"].insert(3, {
        "id": "attention", "var": "attention", "type": "single", "role": ["attention_check"],
        "choices": "satisfaction5", "expected": 2,
        "text": t("Velg «Ganske misfornøyd» her.", "Choose 'Fairly dissatisfied' here.")})
    d["items"][-3]["rows"].append({"id": "leisure", "var": "svc_leisure",
                                    "text": t("Fritidstilbud", "Leisure")})
    return d


def instrument() -> Instrument:
    return Instrument.from_dict(instrument_dict())


def valid_answers(n: int = 12, seed: int = 1) -> pd.DataFrame:
    """Answers that break no rule (canonical names, packed needs as codes)."""
    rng = np.random.default_rng(seed)
    needs_pool = ["housing", "jobs", "housing jobs", "other", "jobs other", "none"]
    needs = [needs_pool[k % len(needs_pool)] for k in range(n)]
    return pd.DataFrame({
        "respondent_id": [f"r{k:03d}" for k in range(n)],
        "age": rng.integers(20, 41, n),
        "municipality": rng.choice([3403, 3411, 3412, 3413], n),
        "sat_region": rng.choice([1, 2, 3, 4, 5, 98], n),
        "attention": 2,
        "svc_housing": (np.arange(n) % 5) + 1,
        "svc_transport": ((np.arange(n) + 1) % 5) + 1,
        "svc_leisure": ((np.arange(n) + 2) % 5) + 1,
        "needs": needs,
        "needs_oth": ["mer kultur" if "other" in x else None for x in needs],
        "duration": 300 + (np.arange(n) % 7) * 10,
    })


def wide_needs(frame: pd.DataFrame, sep: str = "__", values=(1, 0)) -> pd.DataFrame:
    """Replace the packed needs column with one column per option."""
    out = frame.drop(columns="needs")
    for code in ["housing", "jobs", "other", "none"]:
        has = frame["needs"].str.split().apply(lambda xs, c=code: c in xs)
        out[f"needs{sep}{code}"] = np.where(has, values[0], values[1])
    return out


def check_accounting(resp: sk.Responses) -> None:
    """The identity that must hold in every test."""
    a = resp.accounting
    assert a.read == a.accepted + a.excluded
    assert len(resp.data) == a.accepted
    assert a.excluded == (a.exclusions["row"].nunique() if len(a.exclusions) else 0)
    assert resp.data.index.is_unique
