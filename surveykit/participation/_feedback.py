"""Feedback-form indicators per concept: satisfaction, would come again, NPS, with intervals.

The respondents are a self-selected sample of the attendances (whoever filled in the form
after an event), not a probability sample of participants. The intervals are computed
design-based on an **unweighted** design of the forms (each form weight 1, no strata, no
clusters) and describe sampling variation among people like the respondents; they do not
correct for who chose to answer, and the forms are not weighted to the participants or the
population. The unit is the form: a person who answered after several events counts once
per form.
"""

from __future__ import annotations

import os
from typing import TypeAlias

import numpy as np
import pandas as pd

from surveykit.design import SurveyDesign
from surveykit.estimation import EstimateTable, mean, nps, top_box
from surveykit.ingestion import Responses, read_responses
from surveykit.instruments import load_instrument
from surveykit.participation._register import EventRegister

__all__ = ["INDICATORS", "feedback_frame", "feedback_indicators"]

#: indicator -> what it is (valid answers only; "don't know" leaves the base)
INDICATORS: dict[str, str] = {
    "satisfaction_mean": "mean satisfaction, 1 (very dissatisfied) to 5 (very satisfied)",
    "satisfaction_top2": "share fairly or very satisfied (4-5 of 5)",
    "come_again": "share who will probably or definitely come again (1-2 of 4)",
    "nps": "Net Promoter Score (% 9-10 minus % 0-6 on recommend), -100 to 100",
}
_VALID = {"satisfaction": (1, 5), "come_again": (1, 4), "recommend": (0, 10)}

Feedback: TypeAlias = "Responses | pd.DataFrame | str | os.PathLike[str]"


def feedback_frame(feedback: Feedback, register: EventRegister) -> pd.DataFrame:
    """Forms with ``concept`` (the register's, via the event code, else the form's answer).

    Returns ``concept``, ``satisfaction``, ``come_again``, ``recommend`` as floats with
    codes outside the answer scale (e.g. 98 "don't know") as NaN.
    """
    if isinstance(feedback, (str, os.PathLike)):
        feedback = read_responses(feedback, instrument=load_instrument("meeting_place_feedback"))
    data = feedback.data if isinstance(feedback, Responses) else feedback
    if not isinstance(data, pd.DataFrame):
        raise TypeError("'feedback' must be Responses, a DataFrame or a path (got "
                        f"{type(feedback).__name__}).")
    missing = [c for c in ("concept", *_VALID) if c not in data.columns]
    if missing:
        raise ValueError(f"'feedback' lacks the columns {missing} of the meeting_place_feedback "
                         "form; read the export with read_responses(path, "
                         "instrument='meeting_place_feedback').")
    ev = register.events.set_index(register.events["event_id"].str.upper())["concept"]
    code = (data["event_id"].astype("string").str.strip().str.upper()
            if "event_id" in data.columns else pd.Series(pd.NA, index=data.index))
    concept = code.map(ev).astype("string").fillna(data["concept"].astype("string"))
    out = pd.DataFrame({"concept": concept.to_numpy()})
    for col, (lo, hi) in _VALID.items():
        num = pd.to_numeric(pd.Series(data[col].to_numpy(dtype=object)), errors="coerce")
        out[col] = num.where(num.between(lo, hi)).astype(float)
    return out


def _rows(table: EstimateTable, indicator: str, confidence_level: float,
          concept: str | None) -> pd.DataFrame:
    frame = table.to_frame()
    ci = table.confidence_interval(confidence_level)
    return pd.DataFrame({
        "concept": frame["concept"].astype("string").to_numpy() if concept is None else concept,
        "indicator": indicator,
        "estimate": table.estimate, "se": table.se, "ci_low": ci.low, "ci_high": ci.high,
        "df": frame["df"].to_numpy(), "n": frame["n"].to_numpy(),
    })


def _estimates(design: SurveyDesign, by: str | None) -> dict[str, EstimateTable]:
    return {
        "satisfaction_mean": mean(design, "satisfaction", by=by, nan_policy="omit"),
        "satisfaction_top2": top_box(design, "satisfaction", k=2, by=by, scale=(1, 5)),
        "come_again": mean(design, "come_again_yes", by=by, nan_policy="omit"),
        "nps": nps(design, "recommend", by=by),
    }


def feedback_indicators(forms: pd.DataFrame, concepts: list[str], *,
                        confidence_level: float = 0.95) -> pd.DataFrame:
    """Per concept and for all forms: estimate, se, ci_low, ci_high, df, n of each indicator.

    Examples
    --------
    >>> forms = pd.DataFrame({"concept": ["a", "a", "b", "b", "b"],
    ...                       "satisfaction": [5.0, 4, 3, np.nan, 5],
    ...                       "come_again": [1.0, 3, 2, 1, 4], "recommend": [10.0, 6, 9, 9, 7]})
    >>> t = feedback_indicators(forms, ["a", "b"])
    >>> nps = t[t["indicator"] == "nps"]
    >>> nps["concept"].tolist(), nps["estimate"].round(2).tolist(), nps["n"].tolist()
    (['a', 'b', 'all'], [0.0, 66.67, 40.0], [2, 3, 5])

    """
    work = forms[forms["concept"].notna()].reset_index(drop=True)
    yes = work["come_again"].le(2).astype(float).where(work["come_again"].notna())
    work = work.assign(come_again_yes=yes)
    design = SurveyDesign(work, weights=np.ones(len(work)))
    parts = []
    for name, table in _estimates(design, "concept").items():
        parts.append(_rows(table, name, confidence_level, None))
    for name, table in _estimates(design, None).items():
        parts.append(_rows(table, name, confidence_level, "all"))
    out = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate([*concepts, "all"])}
    rank = out["concept"].map(order).fillna(len(order)).astype(int)
    ind = out["indicator"].map({k: i for i, k in enumerate(INDICATORS)})
    return (out.assign(_r=rank, _i=ind).sort_values(["_r", "concept", "_i"], kind="stable")
            .drop(columns=["_r", "_i"]).reset_index(drop=True))

