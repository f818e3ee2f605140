"""Generate a wave of synthetic responses to an instrument (see :func:`generate_responses`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import check_type
from surveykit.datasets._answers import Context, answer_columns
from surveykit.datasets._fieldwork import simulate_fieldwork
from surveykit.datasets._items import ColumnSpec, column_specs, instrument_spec
from surveykit.datasets._latent import FACTORS, draw_factors, factor_means
from surveykit.datasets._population import load_population
from surveykit.datasets._quality import (
    assign_groups,
    break_off,
    check_quality,
    durations,
    speed,
    straightline,
)
from surveykit.datasets._skip import apply_relevance, spec_columns
from surveykit.datasets._timing import add_duplicates, stamp_times
from surveykit.datasets._truth import known_effects

__all__ = ["META_COLUMNS", "generate_responses"]

#: Metadata columns that open every generated frame.
META_COLUMNS = ("respondent_id", "start_time", "end_time", "duration_s", "status")

_AGE_RANGE = {"20-24": (20, 24), "25-29": (25, 29), "30-34": (30, 34), "35-39": (35, 39)}


def _ages(age_group: pd.Series, rng: np.random.Generator) -> np.ndarray:
    lo = age_group.map(lambda g: _AGE_RANGE.get(g, (40, 40))[0]).to_numpy(dtype=np.int64)
    hi = age_group.map(lambda g: _AGE_RANGE.get(g, (40, 40))[1]).to_numpy(dtype=np.int64)
    return np.asarray(rng.integers(lo, hi + 1), dtype=np.int64)


def _typed(values: np.ndarray, spec_type: str) -> pd.api.extensions.ExtensionArray:
    present = [v for v in values if v is not None and not pd.isna(v)]
    if spec_type == "date":
        return pd.array(pd.to_datetime(pd.Series(values)), dtype="datetime64[s]")
    if spec_type == "decimal":
        return pd.array(values, dtype="Float64")
    if present and all(isinstance(v, int | np.integer) for v in present):
        return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
    if not present and spec_type in ("integer", "single", "grid", "multi"):
        return pd.array([None] * len(values), dtype="Int64")
    return pd.array(values, dtype="string")


def _answers(specs: list[ColumnSpec], ctx: Context, groups: pd.Series) -> pd.DataFrame:
    values: dict[str, np.ndarray] = {}
    for spec in specs:
        values.update(answer_columns(spec, ctx))
    straightline(values, specs, (groups == "straightliner").to_numpy())
    speed(values, specs, (groups == "speeder").to_numpy(), ctx.rng)
    types = {c: s.type for s in specs for c in spec_columns(s)}
    return pd.DataFrame({c: _typed(v, types[c]) for c, v in values.items()})


def _field_start(spec: Any, wave: str, fieldwork_start: Any) -> dt.date:
    if fieldwork_start is not None:
        return pd.Timestamp(fieldwork_start).date()
    if getattr(spec, "released", None) is not None:
        return spec.released
    return dt.date(int(wave), 3, 2) if wave.isdigit() else dt.date(2026, 3, 2)


def generate_responses(
    instrument: Any,
    n: int,
    *,
    seed: int,
    wave: str = "2026",
    population: pd.DataFrame | None = None,
    year: int | None = None,
    shifts: Mapping[str, float] | None = None,
    quality: Mapping[str, float] | bool | None = None,
    fieldwork_start: Any = None,
    first_id: int = 1,
) -> pd.DataFrame:
    """Generate a wave of realistic synthetic responses to ``instrument``.

    Persons are invited at random from the population frame and answer with propensities
    that depend on sex, age group and municipality (so unweighted estimates are biased and
    weighting matters); their answers follow a latent-trait model (grid rows correlate,
    indices are reliable); skip logic, item nonresponse, "don't know" codes and planted
    quality problems are applied. Bit-for-bit reproducible for a given ``seed``.

    Parameters
    ----------
    instrument : Instrument
        From ``sk.load_instrument``.
    n : int
        Distinct respondents (completes, partials and screened-out cases); duplicates come
        on top.
    seed : int
        Seed of the random generator (required: results are reproducible by design).
    wave : str
        Wave label (e.g. ``"2024"``); fieldwork starts on the instrument's release date.
    population : DataFrame, optional
        Frame cells ``knr, kommune, age_group, sex, count``; default
        ``load_population(year)``.
    year : int, optional
        Population year when ``population`` is not given (default 2026, or 2025 for waves
        before 2026).
    shifts : mapping, optional
        Latent shifts in SD units, keyed by item id (``"pulse.trust"``), grid id
        (``"pulse"``) or factor (``"reputation"``); positive means more of the trait.
    quality : mapping or bool, optional
        Shares of planted problems (see ``QUALITY_DEFAULTS``); ``False`` for none.
    fieldwork_start : date-like, optional
        First day of fieldwork (default: the instrument's ``released`` date).
    first_id : int
        First ``respondent_id``; ids follow the order of submission.

    Returns
    -------
    pandas.DataFrame
        ``respondent_id, start_time, end_time, duration_s, status``, then one column per
        instrument variable in file order (multi-select as ``var__code`` 0/1, NA where not
        shown). ``df.attrs["surveykit.synthetic"]`` records the seed, dispositions, known
        effects and which ids carry planted problems.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import generate_responses
    >>> inst = sk.load_instrument("reputation", version="2.0.0")
    >>> df = generate_responses(inst, 200, seed=1)
    >>> len(df), df["respondent_id"].is_unique
    (202, True)
    >>> bool(df.loc[df["municipality"] == 9999, "years_lived"].isna().all())
    True

    """
    check_type("n", n, int, "an integer")
    check_type("seed", seed, int, "an integer")
    if n < 1:
        raise ValueError(f"'n' must be a positive number of respondents (got {n}).")
    shares = check_quality(quality)
    year = year if year is not None else (2025 if wave.isdigit() and int(wave) < 2026 else 2026)
    pop = population if population is not None else load_population(year)
    shifts = dict(shifts or {})
    specs = column_specs(instrument)
    _check_shifts(shifts, specs)
    rng = np.random.default_rng(seed)
    persons, dispositions = simulate_fieldwork(pop, n, rng)
    groups = assign_groups(n, shares, rng)
    outside = (groups == "outside_universe").to_numpy()
    persons["age"] = np.where(
        outside, rng.choice([19, 41, 42], n), _ages(persons["age_group"], rng)
    )
    means = factor_means(persons["sex"].to_numpy(), persons["age_group"].to_numpy(),
                         persons["knr"].to_numpy())
    ctx = Context(persons, draw_factors(means, rng), rng, shifts)
    frame = apply_relevance(_answers(specs, ctx, groups), specs)
    partial = (groups == "partial").to_numpy()
    frame = break_off(frame, [spec_columns(s) for s in specs], partial, rng)
    frame.insert(0, "status", np.where(partial, "partial", "complete"))
    frame.insert(
        0,
        "duration_s",
        durations(frame, list(frame.columns[1:]), (groups == "speeder").to_numpy(), rng),
    )
    frame = frame.assign(_key=np.arange(n), _group=groups.to_numpy())
    frame = add_duplicates(frame, shares["duplicate"], rng)
    start = _field_start(instrument_spec(instrument), wave, fieldwork_start)
    frame, dup_of = stamp_times(frame, start, first_id, rng)
    frame = frame[[*META_COLUMNS, *[c for c in frame.columns if c not in META_COLUMNS]]]
    record = _record(
        seed,
        wave,
        year,
        instrument,
        frame,
        groups,
        dup_of,
        dispositions,
        known_effects(instrument, shifts, pop),
    )
    frame = frame.drop(columns=["_key", "_group", "_duplicate_of"])
    frame.attrs["surveykit.synthetic"] = record
    return frame


def _check_shifts(shifts: Mapping[str, float], specs: list[ColumnSpec]) -> None:
    keys = set(FACTORS) | {s.item_id for s in specs} | {s.grid for s in specs if s.grid}
    unknown = sorted(set(shifts) - keys)
    if unknown:
        raise ValueError(
            f"'shifts' keys must be item ids, grid ids or factors {list(FACTORS)} "
            f"(got unknown {unknown})."
        )


def _record(
    seed: int,
    wave: str,
    year: int,
    instrument: Any,
    frame: pd.DataFrame,
    groups: pd.Series,
    dup_of: dict[int, int],
    dispositions: dict[str, int],
    effects: list[dict[str, Any]],
) -> dict[str, Any]:
    spec = instrument_spec(instrument)
    ids = frame["respondent_id"].to_numpy()
    row_group = frame["_group"].to_numpy()
    flags = {
        g: sorted(int(i) for i in ids[row_group == g])
        for g in ("partial", "speeder", "straightliner", "outside_universe")
    }
    flags["duplicate"] = sorted(int(i) for i in ids[frame["_duplicate_of"].notna().to_numpy()])
    disp = dict(dispositions)
    disp["partial"] = int((groups == "partial").sum())
    disp["not_eligible"] += len(flags["outside_universe"])
    disp["complete"] = int((groups.isin(["", "speeder", "straightliner"])).sum())
    return {
        "seed": seed,
        "wave": wave,
        "population_year": year,
        "instrument": f"{spec.id}@{spec.version}",
        "n_respondents": len(groups),
        "rows": len(frame),
        "dispositions": disp,
        "flags": flags,
        "duplicates": {str(k): int(v) for k, v in dup_of.items()},
        "known_effects": effects,
    }
