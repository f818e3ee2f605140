"""``compare``: differences between survey waves, harmonised through the crosswalk."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns, check_option, check_probability
from surveykit.comparison._effect_sizes import effect_size
from surveykit.comparison._harmonise import (
    crosswalk_per_wave,
    harmonise_design,
    harmonise_stacked,
    stack_designs,
    wave_labels,
)
from surveykit.comparison._items import ItemSpec, resolve_items
from surveykit.comparison._joint import (
    Joint,
    differences,
    joint_independent,
    joint_stacked,
)
from surveykit.comparison._multiplicity import ADJUST_METHODS, AdjustMethod, adjust_pvalues
from surveykit.comparison._statistics import analysis_columns, effect_kind, estimate_item
from surveykit.comparison._table import COLUMNS, WAVE_COLUMNS, ComparisonTable
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.estimation._results import wald_interval
from surveykit.instruments import Crosswalk, Instrument

__all__ = ["compare"]

Design = SurveyDesign | ReplicateDesign
_STACK_COLUMN = "_surveykit_wave"
Prepared = dict[str, tuple[list[str], list[object], str | None]]


def _waves_arg(waves: object, wave: str | None, samples: str
               ) -> tuple[list[str], dict[str, Design] | None, Design | None, str | None]:
    """Return (labels, per-wave designs | None, stacked design | None, wave column)."""
    check_option("samples", samples, ("independent", "overlapping"))
    if isinstance(waves, SurveyDesign | ReplicateDesign):
        if wave is None:
            raise ValueError("A single (stacked) design needs 'wave=' naming the column that "
                             "says which wave each row belongs to.")
        return [*map(str, wave_labels(waves.data, wave))], None, waves, wave
    if not isinstance(waves, Mapping):
        raise TypeError("'waves' must be a dict {label: design} (oldest first) or one stacked "
                        f"design with wave=... (got {type(waves).__name__}).")
    bad = [k for k, d in waves.items() if not isinstance(d, SurveyDesign | ReplicateDesign)]
    if bad or len(waves) < 2:
        raise TypeError("'waves' must map at least two wave labels to SurveyDesign or "
                        f"ReplicateDesign objects (not designs: {bad!r}; got {len(waves)}).")
    if wave is not None:
        raise ValueError("'wave=' is for one stacked design; with a dict of designs the keys "
                         "are the waves.")
    labels = [str(k) for k in waves]
    designs = {str(k): d for k, d in waves.items()}
    if samples == "overlapping":
        return labels, None, stack_designs(designs, _STACK_COLUMN), _STACK_COLUMN
    return labels, designs, None, None


def _prepare(design: Design, specs: Sequence[ItemSpec], where: str
             ) -> tuple[Design, Prepared]:
    """Add every item's analysis columns to the design's data (one copy of the frame)."""
    new: dict[str, np.ndarray] = {}
    prepared: Prepared = {}
    for spec in specs:
        cols, levels, sd_col = analysis_columns(design.data, spec, where)
        new.update(cols)
        prepared[spec.name] = (list(cols), levels, sd_col)
    return design.with_columns(**new), prepared


def _joints(specs: Sequence[ItemSpec], labels: list[str], designs: dict[str, Design] | None,
            stacked: Design | None, wave: str | None, by: list[str]) -> dict[str, Joint]:
    if stacked is not None:
        assert wave is not None
        design, prep = _prepare(stacked, specs, "the stacked data")
        return {s.name: joint_stacked(estimate_item(design, s, *prep[s.name], [*by, wave]),
                                      wave, labels, by) for s in specs}
    assert designs is not None
    ready = {label: _prepare(d, specs, f"wave {label!r}") for label, d in designs.items()}
    return {s.name: joint_independent(
        [(label, estimate_item(d, s, *prep[s.name], by)) for label, (d, prep) in ready.items()],
        by) for s in specs}


def _pairs(labels: list[str], pairs: str) -> list[tuple[str, str]]:
    check_option("pairs", pairs, ("consecutive", "first"))
    if pairs == "first":
        return [(labels[0], b) for b in labels[1:]]
    return list(itertools.pairwise(labels))


def _item_rows(spec: ItemSpec, joint: Joint, pair: tuple[str, str], by: list[str],
               confidence_level: float, df: float | None) -> pd.DataFrame:
    diff = differences(joint, pair[0], pair[1], confidence_level, df)
    keys = pd.DataFrame(joint.keys, columns=joint.key_columns)
    kind = effect_kind(spec.measure)
    es = effect_size(kind, diff["estimate_a"].to_numpy(), diff["estimate_b"].to_numpy(),
                     diff["sd_a"].to_numpy(), diff["sd_b"].to_numpy())
    comparable = diff["present"].to_numpy().astype(bool)
    absent = [f"no respondents in this domain in wave {w!r}" for w in pair]
    # every column in one frame, in COLUMNS order (an insert per column costs more)
    head = {**{c: keys[c] for c in by}, "item": spec.name,
            "level": keys["level"].astype(object), "measure": spec.measure,
            "wave_a": pair[0], "wave_b": pair[1]}
    stats = {c: diff[c] for c in diff.columns if c not in ("sd_a", "sd_b", "present")}
    tail = {"effect_size": es, "effect_size_kind": kind, "comparable": comparable,
            "status": spec.status,
            "flags": pd.Series([spec.flags] * len(diff), index=diff.index, dtype=object),
            "note": np.where(comparable, spec.note,
                             np.where(diff["n_a"].isna(), absent[0], absent[1]))}
    return pd.DataFrame({**head, **stats, **tail}, index=diff.index)


def _refused_row(spec: ItemSpec, pair: tuple[str, str], by: list[str]) -> pd.DataFrame:
    row: dict[str, object] = dict.fromkeys(by)
    row.update({"item": spec.name, "level": None, "measure": spec.measure, "wave_a": pair[0],
                "wave_b": pair[1], "comparable": False, "status": spec.status,
                "flags": spec.flags, "note": spec.note})
    return pd.DataFrame([row])


def _finish(frames: list[pd.DataFrame], by: list[str], adjust: str, min_base: int
            ) -> pd.DataFrame:
    out = pd.concat(frames, ignore_index=True)
    out = out.reindex(columns=[*by, *COLUMNS])
    for col in ("comparable",):
        out[col] = out[col].astype(bool)
    small = (out["n_a"] < min_base) | (out["n_b"] < min_base)
    out["flags"] = [", ".join([*f, "small_base"] if s else f) for f, s in
                    zip(out["flags"], small, strict=True)]
    out["p_adjusted"] = adjust_pvalues(out["p_value"].to_numpy(dtype=float),
                                       adjust)  # type: ignore[arg-type]
    return out


def _wave_rows(spec: ItemSpec, joint: Joint, labels: list[str], by: list[str],
               confidence_level: float, df_override: float | None) -> pd.DataFrame:
    keys = pd.DataFrame(joint.keys, columns=joint.key_columns)
    var = np.diag(joint.cov)
    parts = []
    for i, label in enumerate(labels):
        pos = joint.positions(label)
        has = pos >= 0
        est = np.where(has, joint.estimate[np.maximum(pos, 0)], np.nan)
        se = np.sqrt(np.where(has, var[np.maximum(pos, 0)], np.nan))
        df = np.full(len(pos), joint.df[label] if df_override is None else df_override)
        lo, hi = wald_interval(est, se, confidence_level, df)
        part = pd.DataFrame({  # one frame per wave, not a copy and an insert per column
            **{c: keys[c] for c in by}, "item": spec.name, "level": keys["level"],
            "measure": spec.measure, "wave": label, "estimate": est, "se": se,
            "ci_low": lo, "ci_high": hi, "df": df,
            "n": np.where(has, joint.n[np.maximum(pos, 0)], np.nan),
            "trend_break": i > 0 and "trend_break" in spec.flags}, index=keys.index)
        parts.append(part[has])
    return pd.concat(parts, ignore_index=True).reindex(columns=[*by, *WAVE_COLUMNS])


def compare(
    waves: Mapping[str, Design] | Design,
    items: str | Sequence[str],
    crosswalk: Crosswalk | Mapping[str, Crosswalk | None] | None = None,
    *,
    by: str | Sequence[str] | None = None,
    wave: str | None = None,
    samples: Literal["independent", "overlapping"] = "independent",
    measure: str | Mapping[str, str] = "auto",
    pairs: Literal["consecutive", "first"] = "consecutive",
    adjust: AdjustMethod = "bh",
    confidence_level: float = 0.95,
    df: float | None = None,
    min_base: int = 30,
    instrument: Instrument | None = None,
    missing: Sequence[object] | None = None,
) -> ComparisonTable:
    """Compare items between survey waves, through the crosswalk, with design-based SEs.

    Parameters
    ----------
    waves : dict of {label: design}, or one stacked design
        The waves, oldest first (``{"2024": d24, "2026": d26}``). For overlapping samples
        either pass the dict with ``samples="overlapping"`` (the designs are stacked) or
        one design over the rows of all waves with ``wave=`` naming the wave column (waves
        ordered by its categories, else by sorted value).
    items : str or list of str
        Item keys of the newer instrument (``"impression"``, ``"pulse.trust"``, a grid id
        ``"pulse"`` for all its rows), data column names of either version, or any column
        present in every wave, such as a scale score (see Notes).
    crosswalk : Crosswalk or dict of {label: Crosswalk or None}, optional
        One crosswalk recodes every wave but the newest into the newer coding; a dict says
        which wave needs which (None: already in the newest coding).
    by : str or list of str, optional
        Domain columns (R's ``svyby``); rows are compared domain by domain.
    wave : str, optional
        Column of the stacked design holding the wave label.
    samples : {"independent", "overlapping"}, default "independent"
        ``"independent"``: separate samples; the variance of a difference is the sum of the
        two wave variances. ``"overlapping"``: the waves share PSUs (a panel part, or the
        same clusters re-sampled); they are stacked into one design with the wave as a
        domain and the covariance from the shared PSUs enters the variance.
    measure : str or dict of {item: str}, default "auto"
        ``"mean"``, ``"mean_pomp"`` (0-100 percent of maximum possible), ``"proportion"``
        (share of each code), ``"nps"``, ``"top_box"``, ``"top_two_box"``. ``"auto"`` takes the
        first measure the crosswalk allows (``allowed_estimates``); otherwise NPS for a
        0-10 scale, shares for nominal, ordinal and multi-select items (the item's
        measurement level, :attr:`Variable.measure`), the mean for interval and numeric
        items and for columns outside the instrument.
    pairs : {"consecutive", "first"}, default "consecutive"
        With more than two waves: compare each wave with the previous one, or with the
        first.
    adjust : {"bh", "holm", "bonferroni", "none"}, default "bh"
        Multiple-comparison adjustment of ``p_adjusted`` across every comparable row.
    confidence_level : float, default 0.95
        Level of the confidence intervals of the differences.
    df : float, optional
        Degrees of freedom for intervals and tests. None: design df (see Notes);
        ``float("inf")``: normal quantiles, as R's ``confint(svycontrast(...))``.
    min_base : int, default 30
        Rows with an unweighted base below this in either wave get the ``small_base`` flag.
    instrument : Instrument, optional
        Without a crosswalk: the (shared) instrument, for missing codes and scales.
    missing : sequence, optional
        Codes that mean "no answer" (``[98, 99]``), dropped from every item before any
        measure, besides the missing codes the instrument declares. A top-box share of a
        column that is not an instrument item and still holds such codes above its scale
        (97-99, 997-999, 9999) is refused until they are declared here (``missing=()``
        says they are real answers).

    Returns
    -------
    ComparisonTable
        One row per item, level, domain and pair of waves; see
        :class:`~surveykit.ComparisonTable` for the columns.

    Raises
    ------
    KeyError
        An item is neither an instrument item nor a column of every wave.
    ValueError
        Data values outside an item's codes (for shares and NPS), an unknown option.

    Notes
    -----
    The crosswalk is applied first (``Crosswalk.apply``): the older wave is recoded into
    the newer coding and missing codes (``98`` "don't know") leave the base. Items marked
    ``approximate`` are compared and flagged (``approximate``, and ``trend_break`` when the
    crosswalk says so); items marked ``not_comparable``, ``new`` or ``dropped``, and
    measures the crosswalk forbids (``forbidden_estimates``, or not in
    ``allowed_estimates``), are refused: one row with ``comparable=False`` and the reason.
    A 5-to-7-point change stretched linearly by the crosswalk is compared as
    ``mean_pomp`` when that is what the crosswalk allows.

    Differences are ``b - a``; ``se_difference`` is ``sqrt(v_a + v_b)`` for independent
    samples and ``sqrt(v_a + v_b - 2 c_ab)`` for overlapping ones (R:
    ``svycontrast(svyby(~y, ~wave, design, svymean, covmat=TRUE), c(-1, 1))``). The test
    statistic is referred to a t distribution on the design degrees of freedom (the sum of
    the two waves' df for independent samples, the stacked design's df otherwise); R's
    ``confint`` of a ``svycontrast`` is normal, which ``df=float("inf")`` reproduces. NPS
    is ``100 (share 9-10 - share 0-6)``, a contrast of two proportions that share one
    covariance. Effect sizes: Cohen's h for shares, Cohen's d (root mean square of the wave
    SDs) for means, POMP means and NPS.

    A scale score is compared like any column: add it to each wave's data before building
    the designs and name it in ``items``::

        trust = ["pulse.good_feeling", "pulse.trust"]
        df24 = df24.assign(trust_index=sk.scale_score(df24, trust, instrument=inst24))
        df26 = df26.assign(trust_index=sk.scale_score(df26, trust, instrument=inst26))
        # ... designs d24, d26 from df24, df26 ...
        sk.compare({"2024": d24, "2026": d26}, ["trust_index"], crosswalk=xw)

    Score each wave with its own instrument and only from items whose status is
    ``identical`` (or exactly ``recoded``/``transformed`` into the same scale); such a column
    gets status ``"unlisted"``. Scores named after an index of the instrument (columns from
    ``sk.index_scores``, e.g. ``"pulse"``, ``"attributes"``) inherit the least comparable
    status of the index's items (flag ``"approximate"`` when that status is approximate); an
    item's trend break is flagged on that item's own row, not on the index.

    Examples
    --------
    Two independent samples of the same schools' population:

    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d1 = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> d2 = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> t = sk.compare({"strat": d1, "clus": d2}, ["api00", "sch.wide"]).to_frame()
    >>> t[["item", "level", "difference", "se_difference"]].round(3)
           item level  difference  se_difference
    0     api00  None     -18.118         25.353
    1  sch.wide    No      -0.046          0.032
    2  sch.wide   Yes       0.046          0.032

    R: ``svymean(~api00, dclus1)`` minus ``svymean(~api00, dstrat)``, SE
    ``sqrt(SE(dstrat)^2 + SE(dclus1)^2)``.

    """
    labels, designs, stacked, wave_col = _waves_arg(waves, wave, samples)
    check_option("adjust", adjust, ADJUST_METHODS)
    level = check_probability("confidence_level", confidence_level)
    xws = crosswalk_per_wave(labels, crosswalk)
    by_cols = as_column_list("by", by)
    if stacked is not None:
        assert wave_col is not None
        raw = dict(zip(wave_labels(stacked.data, wave_col), labels, strict=True))
        stacked = harmonise_stacked(stacked, wave_col, {r: xws[lab] for r, lab in raw.items()})
        stacked = stacked.with_columns(**{wave_col: stacked.data[wave_col].map(raw)})
        frames = [stacked.data]
    else:
        assert designs is not None
        designs = {lab: harmonise_design(d, xws[lab], lab) for lab, d in designs.items()}
        frames = [d.data for d in designs.values()]
    for f in frames:
        check_columns("by", f, by_cols)
    xw = next((x for x in xws.values() if x is not None), None)
    specs = resolve_items(as_column_list("items", items), xw, instrument, frames, measure,
                          missing)
    live = [s for s in specs if not s.refused]
    joints = _joints(live, labels, designs, stacked, wave_col, by_cols) if live else {}
    rows, wave_rows = [], []
    for spec in specs:
        for pair in _pairs(labels, pairs):
            rows.append(_refused_row(spec, pair, by_cols) if spec.refused else
                        _item_rows(spec, joints[spec.name], pair, by_cols, level, df))
        if not spec.refused:
            wave_rows.append(_wave_rows(spec, joints[spec.name], labels, by_cols, level, df))
    table = _finish(rows, by_cols, adjust, min_base)
    est = (pd.concat(wave_rows, ignore_index=True) if wave_rows
           else pd.DataFrame(columns=[*by_cols, *WAVE_COLUMNS]))
    ref = f"{xw.spec.from_} -> {xw.spec.to}" if xw is not None else None
    kind = "independent" if designs is not None else "overlapping"
    return ComparisonTable(table, est, tuple(labels), tuple(by_cols), kind, adjust, level, ref)
