"""Fieldwork simulation: invite persons from the population frame until ``n`` have answered.

The frame is the population table expanded to one row per registered resident. Persons are
invited in random order; each answers with a propensity that depends on sex, age group and
municipality (women and older people answer more often, Løten less often), so the achieved
sample over-represents some cells and unweighted estimates are biased. Fieldwork stops at
the ``n``-th respondent; every invitee up to that point gets a final AAPOR disposition.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from surveykit._lazy import lazy_module

special = lazy_module("scipy.special")

__all__ = [
    "AAPOR_CLASSES",
    "NONRESPONSE_SHARES",
    "response_propensity",
    "simulate_fieldwork",
]

#: Disposition names used in the counts and their AAPOR case classes (Standard Definitions).
AAPOR_CLASSES = {
    "complete": "I",
    "partial": "P",
    "refusal": "R",
    "non_contact": "NC",
    "other": "O",
    "unknown_household": "UH",
    "unknown_other": "UO",
    "not_eligible": "NE",
}

#: How invitees who never answered are resolved (shares of the non-responding invitees).
#: refusal: explicit refusals and log-ins without answers (2.11); non_contact: auto-replies
#: saying the person is away for the field period (2.26); unknown_other: undelivered
#: invitations (3.30); not_eligible: moved out of the region (4.10); other: language (2.33);
#: the remainder are unknown_household, nothing ever returned (3.19).
NONRESPONSE_SHARES = {
    "refusal": 0.10,
    "non_contact": 0.05,
    "other": 0.01,
    "unknown_other": 0.07,
    "not_eligible": 0.02,
}

_AGE_STEP = {"20-24": -1.5, "25-29": -0.5, "30-34": 0.5, "35-39": 1.5, "40": 2.0}
_PLACE = {3403: 0.10, 3411: 0.0, 3412: -0.55, 3413: -0.05}


def response_propensity(
    sex: np.ndarray, age_group: np.ndarray, knr: np.ndarray, *, base: float = -1.3
) -> np.ndarray:
    """Return each person's probability of answering an invitation.

    ``logit p = base + 0.55 * female + 0.30 * age step + place``, with age steps -1.5 ... 2
    for the groups 20-24 ... 40 and place effects Hamar +0.10, Ringsaker 0, Løten -0.55,
    Stange -0.05. With the default base, about one invitee in four answers.

    Examples
    --------
    >>> p = response_propensity(np.array(["female", "male"]), np.array(["35-39", "20-24"]),
    ...                         np.array([3403, 3412]))
    >>> bool(p[0] > 2 * p[1])
    True

    """
    female = (np.asarray(sex) == "female").astype(float)
    age = pd.Series(np.asarray(age_group)).map(_AGE_STEP).fillna(0.0).to_numpy()
    place = pd.Series(np.asarray(knr)).map(_PLACE).fillna(0.0).to_numpy(dtype=float)
    return np.asarray(special.expit(base + 0.55 * female + 0.30 * age + place), dtype=float)


def _expand(population: pd.DataFrame) -> pd.DataFrame:
    counts = population["count"].to_numpy(dtype=np.int64)
    rows = np.repeat(np.arange(len(population)), counts)
    frame = population.iloc[rows][["knr", "kommune", "age_group", "sex"]]
    return frame.reset_index(drop=True)


def simulate_fieldwork(
    population: pd.DataFrame,
    n: int,
    rng: np.random.Generator,
    *,
    partial_share: float = 0.0,
    base: float = -1.3,
    shares: Mapping[str, float] = NONRESPONSE_SHARES,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Invite persons in random order until ``n`` have answered.

    Parameters
    ----------
    population : DataFrame
        Cells with ``knr, kommune, age_group, sex, count`` (see ``load_population``).
    n : int
        Number of respondents wanted (completes and partials).
    rng : numpy.random.Generator
        Source of randomness.
    partial_share : float
        Share of respondents who break off (AAPOR 1.2, partial).
    base : float
        Intercept of the response propensity model (see ``response_propensity``).
    shares : mapping
        Resolution of the non-responding invitees (see ``NONRESPONSE_SHARES``).

    Returns
    -------
    respondents : DataFrame
        ``n`` rows in order of invitation, with ``knr, kommune, age_group, sex`` and
        ``partial`` (bool).
    dispositions : dict
        ``invited`` and counts per disposition in ``AAPOR_CLASSES``; partials are counted
        as ``partial``, all others who answered as ``complete`` (the caller moves screened-out
        respondents to ``not_eligible``).

    Examples
    --------
    >>> from surveykit.datasets import load_population
    >>> resp, disp = simulate_fieldwork(load_population(2026), 500, np.random.default_rng(3))
    >>> len(resp), disp["complete"] + disp["partial"]
    (500, 500)
    >>> disp["invited"] == sum(v for k, v in disp.items() if k != "invited")
    True

    """
    frame = _expand(population)
    order = rng.permutation(len(frame))
    prop = response_propensity(
        frame["sex"].to_numpy(),
        frame["age_group"].to_numpy(),
        frame["knr"].to_numpy(),
        base=base,
    )[order]
    answered = rng.random(len(order)) < prop
    positions = np.flatnonzero(answered)
    if len(positions) < n:
        raise ValueError(
            f"'n' must be at most the number of persons who would answer "
            f"({len(positions)} of {len(frame)} in the population frame); got {n}. "
            "Lower n or raise the propensity intercept."
        )
    invited = int(positions[n - 1]) + 1 if n > 0 else 0
    respondents = frame.iloc[order[positions[:n]]].reset_index(drop=True)
    respondents["partial"] = rng.random(n) < partial_share
    nonresp = invited - n
    names = list(shares)
    probs = np.array([shares[k] for k in names] + [1.0 - sum(shares.values())])
    counts = rng.multinomial(nonresp, probs)
    dispositions = {
        "invited": invited,
        "complete": n - int(respondents["partial"].sum()),
        "partial": int(respondents["partial"].sum()),
    }
    dispositions.update({k: int(c) for k, c in zip(names, counts[:-1], strict=True)})
    dispositions["unknown_household"] = int(counts[-1])
    return respondents, {k: dispositions.get(k, 0) for k in ["invited", *AAPOR_CLASSES]}
