"""Answers for one data variable: ordinal (latent), nominal, multi-select, numbers, text.

Each function takes the :class:`ColumnSpec`, a :class:`Context` (respondents, latent factors,
shifts, generator) and returns the column(s) before skip logic and quality effects. Item
parameters come from :func:`item_rng` (the item id), respondent draws from ``ctx.rng``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveykit.datasets._items import ColumnSpec
from surveykit.datasets._latent import FACTORS, GRID_FACTOR_WEIGHT, item_rng, ordinal_cutpoints

__all__ = ["Context", "answer_columns", "missing_code", "trait_mean"]

_TEXT_BANK = (
    "Flere rimelige boliger for unge",
    "Bedre kollektivtilbud på kveldstid",
    "Flere møteplasser som ikke handler om alkohol",
    "Mer kultur og konserter for vår aldersgruppe",
    "Relevante jobber for folk med høyere utdanning",
    "Lettere å bli kjent med folk når man er ny",
    "Bedre tilbud for småbarnsfamilier",
    "Gjøre byen mer levende om kvelden",
    "Mer informasjon om hva som skjer",
    "Billigere treningstilbud og friluftsaktiviteter",
)

_NONE = np.array(None, dtype=object)


@dataclass
class Context:
    """Respondent-level inputs shared by the answer functions."""

    persons: pd.DataFrame  # knr, age_group, sex, age
    eta: np.ndarray  # n x len(FACTORS)
    rng: np.random.Generator
    shifts: Mapping[str, float]
    grid_factors: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of respondents."""
        return len(self.persons)


def _grid_factor(spec: ColumnSpec, ctx: Context) -> np.ndarray:
    base = ctx.eta[:, FACTORS.index(spec.factor)]
    if spec.grid is None:
        return base
    if spec.grid not in ctx.grid_factors:
        unique = ctx.rng.standard_normal(ctx.n)
        rho = GRID_FACTOR_WEIGHT
        ctx.grid_factors[spec.grid] = rho * base + np.sqrt(1 - rho**2) * unique
    return ctx.grid_factors[spec.grid]


def item_shift(spec: ColumnSpec, shifts: Mapping[str, float]) -> float:
    """Latent shift of ``spec`` (trait direction): by item id, grid id or factor name."""
    total = shifts.get(spec.item_id, 0.0) + shifts.get(spec.factor, 0.0)
    if spec.grid is not None:
        total += shifts.get(spec.grid, 0.0)
    return float(total)


def trait_mean(spec: ColumnSpec, factor_mean: np.ndarray, shift: float) -> np.ndarray:
    """Mean of an ordinal item's latent response given the mean of its factor."""
    rho = GRID_FACTOR_WEIGHT if spec.grid is not None else 1.0
    return np.asarray(spec.sign * (spec.loading * rho * factor_mean + shift), dtype=float)


def missing_code(spec: ColumnSpec, kind: str) -> int | str | None:
    """Return the item's missing code of ``kind`` (``dont_know``, ``refused``), if any."""
    if spec.choices is None:
        return None
    return next((m.code for m in spec.choices.missing if m.kind == kind), None)


def _ordinal(spec: ColumnSpec, ctx: Context) -> np.ndarray:
    codes = np.array(spec.choices.codes)
    cuts = ordinal_cutpoints(spec.item_id, len(codes))
    trait = spec.loading * _grid_factor(spec, ctx) + item_shift(spec, ctx.shifts)
    noise = np.sqrt(1 - spec.loading**2) * ctx.rng.standard_normal(ctx.n)
    values = codes[np.searchsorted(cuts, spec.sign * trait + noise)]
    if "attention_check" in spec.role and spec.expected is not None:
        values = np.where(ctx.rng.random(ctx.n) < 0.96, spec.expected, values)
    return values


def _categorical(codes: list[object], probs: np.ndarray, ctx: Context) -> np.ndarray:
    idx = np.searchsorted(np.cumsum(probs), ctx.rng.random(ctx.n) * probs.sum(), side="right")
    return np.array(codes, dtype=object)[np.minimum(idx, len(codes) - 1)]


def _education_probs(k: int, ctx: Context) -> np.ndarray:
    # SSB 2015 national shares by sex and age (domain note 1.4): primary, upper secondary,
    # higher <= 4 years, higher > 4 years; per 5-year group 20-24 ... 35-39 (and 40).
    men = np.array(
        [
            [33.8, 51.9, 13.5, 0.8],
            [25.4, 38.1, 24.7, 11.7],
            [22.5, 37.9, 23.0, 16.6],
            [19.0, 41.7, 23.6, 15.6],
        ]
    )
    women = np.array(
        [
            [24.3, 48.1, 26.3, 1.3],
            [19.2, 25.3, 40.4, 15.1],
            [16.8, 25.6, 37.8, 19.8],
            [15.6, 28.4, 39.0, 17.0],
        ]
    )
    groups = {"20-24": 0, "25-29": 1, "30-34": 2, "35-39": 3, "40": 3}
    g = ctx.persons["age_group"].map(groups).to_numpy()
    base = np.where((ctx.persons["sex"] == "female").to_numpy()[:, None], women[g], men[g])
    primary, upper, short, long_ = base.T / 100.0
    if k == 6:  # vocational / general upper secondary, fagskole
        return np.column_stack([primary, 0.55 * upper, 0.40 * upper, 0.05 * upper, short, long_])
    if k == 5:
        return np.column_stack([primary, 0.95 * upper, 0.05 * upper, short, long_])
    return np.tile(np.full(k, 1.0 / k), (ctx.n, 1))


def _nominal(spec: ColumnSpec, ctx: Context) -> np.ndarray:
    codes = list(spec.choices.codes)
    if spec.concept == "demography.education":
        probs = _education_probs(len(codes), ctx)
        cum = np.cumsum(probs, axis=1)
        idx = (ctx.rng.random(ctx.n)[:, None] * cum[:, -1:] > cum).sum(axis=1)
        return np.array(codes, dtype=object)[idx]
    probs = item_rng(f"nominal:{spec.item_id}").dirichlet(np.full(len(codes), 2.0))
    if spec.concept == "demography.immigrant_background" and len(codes) == 3:
        probs = np.array([0.10, 0.03, 0.87])  # assumption, not an SSB figure (domain note 1.5)
    if spec.concept == "demography.employment" and len(codes) == 8:
        return _employment(codes, ctx)
    return _categorical(codes, probs, ctx)


def _employment(codes: list[object], ctx: Context) -> np.ndarray:
    # full time, part time, self-employed, student, unemployed, parental leave, sick/disabled,
    # other: an assumption shaped like Norwegian labour-force shares for ages 20-40
    older = np.array([0.60, 0.12, 0.05, 0.05, 0.04, 0.06, 0.06, 0.02])
    young = np.array([0.30, 0.15, 0.02, 0.38, 0.06, 0.02, 0.04, 0.03])
    is_young = (ctx.persons["age_group"] == "20-24").to_numpy()
    cum = np.cumsum(np.where(is_young[:, None], young, older), axis=1)
    idx = (ctx.rng.random(ctx.n)[:, None] > cum).sum(axis=1)
    return np.array(codes, dtype=object)[np.minimum(idx, len(codes) - 1)]


def _multi(spec: ColumnSpec, ctx: Context) -> dict[str, np.ndarray]:
    options = spec.choices.options
    prng = item_rng(f"multi:{spec.item_id}")
    p = np.array([0.04 if o.exclusive else 0.10 + 0.45 * prng.random() for o in options])
    tilt = 0.6 * spec.sign * _grid_factor(spec, ctx)[:, None]
    exclusive = np.array([bool(o.exclusive) for o in options])
    logit = np.log(p / (1 - p))[None, :] + np.where(exclusive, -tilt, tilt)
    chosen = ctx.rng.random((ctx.n, len(options))) < 1 / (1 + np.exp(-logit))
    excl_hit = (chosen & exclusive).any(axis=1)
    chosen = np.where(excl_hit[:, None], chosen & exclusive, chosen)
    chosen = _enforce_counts(spec, chosen, p, exclusive, ctx)
    return {f"{spec.var}__{o.code}": chosen[:, j].astype(np.int64) for j, o in enumerate(options)}


def _enforce_counts(
    spec: ColumnSpec, chosen: np.ndarray, p: np.ndarray, exclusive: np.ndarray, ctx: Context
) -> np.ndarray:
    if spec.max_selected is not None:
        keys = np.where(chosen, ctx.rng.random(chosen.shape), -1.0)
        rank = (-keys).argsort(axis=1).argsort(axis=1)
        chosen &= rank < spec.max_selected
    if (spec.min_selected or 0) >= 1:
        empty = ~chosen.any(axis=1)
        fallback = int(np.flatnonzero(exclusive)[0]) if exclusive.any() else int(np.argmax(p))
        chosen[empty, fallback] = True
    return chosen


def _integer(spec: ColumnSpec, ctx: Context) -> np.ndarray:
    age = ctx.persons["age"].to_numpy()
    if spec.concept == "demography.age" or spec.var == "age":
        return age
    u = ctx.rng.random(ctx.n)
    if "years" in spec.concept or "years" in spec.var:
        whole_life = ctx.rng.random(ctx.n) < 0.3
        return np.where(whole_life, age, np.floor(u**1.5 * age)).astype(np.int64)
    c = spec.constraint
    lo = getattr(c, "min", None)
    hi = getattr(c, "max", None)
    if lo is not None and hi is not None and hi - lo > 20:  # counts: mostly small numbers
        return np.minimum(lo + np.floor(-4.0 * np.log1p(-u)), hi).astype(np.int64)
    if lo is not None and hi is not None:
        return (lo + np.floor(u**2 * (hi - lo + 1))).astype(np.int64)
    return ctx.rng.poisson(4.0, ctx.n).astype(np.int64) + int(lo or 0)


def _text(spec: ColumnSpec, ctx: Context) -> np.ndarray:
    if "identifier" in spec.role:
        given = ctx.rng.random(ctx.n) < 0.4
        numbers = ctx.rng.integers(1000, 99999, ctx.n)
        mails = np.char.add(np.char.add("deltaker", numbers.astype(str)), "@example.org")
        return np.where(given, mails.astype(object), _NONE)
    answered = ctx.rng.random(ctx.n) < (1.0 if spec.required else 0.35)
    bank = np.array([s[: spec.max_length or None] for s in _TEXT_BANK], dtype=object)
    return np.where(answered, bank[ctx.rng.integers(0, len(bank), ctx.n)], _NONE)


def _demographic_single(spec: ColumnSpec, ctx: Context) -> np.ndarray | None:
    codes = set(spec.choices.codes)
    if {3403, 3411, 3412, 3413} <= codes:
        values = ctx.persons["knr"].to_numpy().astype(object)
        if 9999 in codes:  # registered here but living elsewhere (students, commuters)
            values = np.where(ctx.rng.random(ctx.n) < 0.02, 9999, values)
        return values
    if spec.concept == "demography.sex" or spec.var in ("sex", "kjonn", "gender"):
        values = np.where(ctx.persons["sex"].to_numpy() == "female", 2, 1).astype(object)
        return np.where((ctx.rng.random(ctx.n) < 0.01) & (3 in codes), 3, values)
    return None


def answer_columns(spec: ColumnSpec, ctx: Context) -> dict[str, np.ndarray]:
    """Return ``{column: values}`` for one variable (before skip logic and quality effects)."""
    if spec.type == "multi":
        return _multi(spec, ctx)
    if spec.type in ("single", "grid"):
        values = _demographic_single(spec, ctx)
        if values is None:
            values = (
                _ordinal(spec, ctx)
                if spec.is_ordinal and not spec.concept.startswith("demography.")
                else _nominal(spec, ctx)
            )
        return {spec.var: _with_missing(spec, np.asarray(values, dtype=object), ctx)}
    if spec.type == "integer":
        return {spec.var: _integer(spec, ctx).astype(object)}
    if spec.type == "decimal":
        return {spec.var: np.round(ctx.rng.lognormal(1.5, 0.6, ctx.n), 1).astype(object)}
    if spec.type == "date":
        days = ctx.rng.integers(0, 365, ctx.n)
        return {spec.var: (np.datetime64("2025-01-01") + days).astype(object)}
    return {spec.var: _text(spec, ctx)}


def _with_missing(spec: ColumnSpec, values: np.ndarray, ctx: Context) -> np.ndarray:
    """Replace some answers by "don't know"/"refused" codes or blanks (optional items)."""
    u = ctx.rng.random(ctx.n)
    dk = missing_code(spec, "dont_know")
    refused = missing_code(spec, "refused")
    young = (ctx.persons["age_group"] == "20-24").to_numpy()
    p_dk = (0.01 + 0.05 * item_rng(f"dk:{spec.item_id}").random()) * np.where(young, 1.6, 1.0)
    out = values.copy()
    if dk is not None:
        out = np.where(u < p_dk, dk, out)
    if refused is not None:
        out = np.where((u >= p_dk) & (u < p_dk + 0.01), refused, out)
    if not spec.required:
        out = np.where(ctx.rng.random(ctx.n) < 0.025, _NONE, out)
    return out
