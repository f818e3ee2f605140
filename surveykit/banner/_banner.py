"""``banner``: every row question by every banner column, with significance letters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._validate import check_option, check_probability, check_type
from surveykit.banner._columns import (
    TOTAL,
    BannerVariable,
    columns_frame,
    resolve_banner,
)
from surveykit.banner._domains import coefficients, estimates
from surveykit.banner._letters import PairTests, assign_letters, pair_matrix, pair_tests
from surveykit.banner._notes import banner_notes
from surveykit.banner._rows import RowQuestion, resolve_rows
from surveykit.banner._table import FRAME_COLUMNS, BannerTable
from surveykit.banner._waves import WaveColumns, wave_block, wave_columns
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.estimation import EstimateTable, contrast
from surveykit.instruments import Crosswalk, Instrument

__all__ = ["banner"]

Design = SurveyDesign | ReplicateDesign
_BANNER_COL = "_surveykit_banner|{}"
#: multiplicity adjustments (those of ``surveykit.adjust_pvalues``)
ADJUSTMENTS = ("none", "bonferroni", "holm", "bh")


@dataclass(frozen=True)
class _Options:
    level: float
    second_level: float | None
    adjustment: str
    min_base: int
    suppress_below: int
    include_total: bool
    language: str = "nb"


def _check_args(design: object, level: float, second_level: float | None, adjustment: str,
                min_base: int, suppress_below: int, language: str,
                instrument: object) -> None:
    check_type("design", design, (SurveyDesign, ReplicateDesign),
               "a SurveyDesign or ReplicateDesign")
    check_probability("level", level)
    if second_level is not None:
        check_probability("second_level", second_level)
        if second_level >= level:
            raise ValueError(f"'second_level' ({second_level}) must be below 'level' "
                             f"({level}): lower-case letters mark the weaker evidence, "
                             "e.g. level=0.95, second_level=0.90.")
    check_option("adjustment", adjustment, ADJUSTMENTS)
    check_option("language", language, ("nb", "en"))
    for name, value, low in (("min_base", min_base, 0), ("suppress_below", suppress_below, 1)):
        check_type(name, value, (int, np.integer), "an integer")
        if isinstance(value, bool) or value < low:
            raise ValueError(f"{name!r} must be an integer of at least {low} (got {value!r}).")
    if instrument is not None:
        check_type("instrument", instrument, Instrument, "an Instrument")


def _pair_tests(t: EstimateTable, q: RowQuestion, present: np.ndarray, eligible: np.ndarray,
                adjustment: str) -> PairTests:
    """Every pair of eligible columns on every display row, from one contrast of ``t``."""
    pairs, weights = pair_matrix(coefficients(q), present, eligible)
    differences = contrast(t, weights) if pairs else None
    return pair_tests(differences, pairs, len(q.rows), adjustment)


def _block(q: RowQuestion, t: EstimateTable, shown: EstimateTable, present: np.ndarray,
           size: int, level: float) -> dict[str, np.ndarray]:
    """``(r, size)`` arrays of estimate, se, limits and bases; NaN / 0 for absent columns."""
    r, m = len(q.rows), len(q.columns)
    out = {k: np.full((r, size), np.nan) for k in ("estimate", "se", "ci_low", "ci_high")}
    ci = shown.confidence_interval(level)
    for key, values in (("estimate", shown.estimate), ("se", shown.se), ("ci_low", ci.low),
                        ("ci_high", ci.high)):
        out[key][:, present] = np.asarray(values, dtype=float).reshape(-1, r).T
    for key, values in (("base_unweighted", t.n), ("base_weighted", t.n_weighted)):
        base = np.zeros(size)
        base[present] = np.asarray(values, dtype=float)[::m]
        out[key] = np.broadcast_to(base, (r, size))
    return out


def _present(t: EstimateTable, column: str, m: int) -> np.ndarray:
    return np.asarray(t.labels[column].to_numpy()[::m], dtype=float).astype(np.int64)


def _cells(q: RowQuestion, block: dict[str, np.ndarray], letters: list[list[str]],
           meta: pd.DataFrame, opts: _Options) -> dict[str, np.ndarray]:
    """Columns of the tidy frame for one block, display-row-major."""
    r, size = block["estimate"].shape
    n = block["base_unweighted"]
    hidden = (n > 0) & (n < opts.suppress_below)
    out = {"display_row": np.repeat(np.arange(r), size),
           "row_kind": np.repeat(np.array([row.kind for row in q.rows], dtype=object), size),
           "row_category": np.repeat(np.array([row.category for row in q.rows], dtype=object),
                                     size)}
    for key in ("banner_variable", "banner_label", "banner_category", "column_letter"):
        out[key] = np.tile(meta[key].to_numpy(dtype=object), r)
    for key in ("estimate", "se", "ci_low", "ci_high"):
        out[key] = np.where(hidden, np.nan, block[key]).reshape(-1)
    out["base_unweighted"] = n.reshape(-1).astype(np.int64)
    out["base_weighted"] = block["base_weighted"].reshape(-1).astype(float)
    out["letters"] = np.array([s for row in letters for s in row], dtype=object)
    out["small_base"] = (n < opts.min_base).reshape(-1)
    out["suppressed"] = hidden.reshape(-1)
    return out


def _question(work: Design, q: RowQuestion,
              variables: Sequence[BannerVariable | WaveColumns], meta: pd.DataFrame,
              opts: _Options, notes: list[str]) -> pd.DataFrame:
    """All cells of one row question: each display row by the total and every column.

    The notes of wave columns (items or rows a wave does not show) join ``notes``.
    """
    r, m = len(q.rows), len(q.columns)
    parts = []
    if opts.include_total:
        t, shown = estimates(work, q, None)
        present = np.arange(min(len(t.estimate), 1), dtype=np.int64)
        block = _block(q, t, shown, present, 1, opts.level)
        parts.append(_cells(q, block, [[""] for _ in range(r)],
                            meta[meta["banner_variable"] == TOTAL], opts))
    for bv in variables:
        if isinstance(bv, WaveColumns):
            block, letters, why = wave_block(
                q, bv, level=opts.level, second_level=opts.second_level,
                adjustment=opts.adjustment, min_base=opts.min_base,
                suppress_below=opts.suppress_below, language=opts.language)
            notes += why
            parts.append(_cells(q, block, letters, meta[meta["banner_variable"] == bv.name],
                                opts))
            continue
        col = _BANNER_COL.format(bv.name)
        t, shown = estimates(work, q, col)
        present = _present(t, col, m)
        block = _block(q, t, shown, present, bv.size, opts.level)
        n = block["base_unweighted"][0]
        eligible = (n >= opts.min_base) & ~((n > 0) & (n < opts.suppress_below))
        tests = _pair_tests(t, q, present, eligible, opts.adjustment)
        letters = assign_letters(tests, bv.letters, opts.level, opts.second_level)
        parts.append(_cells(q, block, letters, meta[meta["banner_variable"] == bv.name],
                            opts))
    columns = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    # order: display row, then banner column (total first)
    order = np.argsort(columns.pop("display_row"), kind="stable")
    size = len(order)
    frame = {"row_variable": np.full(size, q.variable, dtype=object),
             "row_label": np.full(size, q.label, dtype=object)}
    frame.update({key: values[order] for key, values in columns.items()})
    return pd.DataFrame(frame)


def banner(design: Design, rows: Sequence[str | Sequence[str]], banner: str | Sequence[str],
           *, instrument: Instrument | None = None, level: float = 0.95,
           second_level: float | None = None,
           adjustment: Literal["none", "bonferroni", "holm", "bh"] = "none",
           min_base: int = 30, nets: Literal["top2", "top1", "none"] = "top2",
           include_total: bool = True, language: Literal["nb", "en"] = "nb",
           row_kinds: Mapping[str, str] | None = None,
           suppress_below: int = 5, waves: Mapping[str, Design] | None = None,
           crosswalk: Crosswalk | Mapping[str, Crosswalk | None] | None = None
           ) -> BannerTable:
    """Banner table: every row question by every banner column, with significance letters.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design (its weights, strata, clusters or replicate weights give the
        standard errors behind every letter).
    rows : sequence of str or of tuples of str
        Row questions, down the side: instrument item keys (a grid id gives every grid
        row), data columns, or a tuple of 0/1 columns for a multi-select set without an
        instrument (``("q5__a", "q5__b")``). What each shows:

        - single-choice item, text or categorical column: the column percent of each code;
        - Likert item (ordinal or interval choice list with numeric codes): each code, then
          the top and bottom nets (``nets``);
        - choice list 0-10: the Net Promoter Score (percent 9-10 minus percent 0-6);
        - integer or decimal item, numeric column: the mean with its SE;
        - multi-select item: each option's share of those who answered (not summing to
          100 %, said in a note).

    banner : str or sequence of str
        Banner variables, across the top: categorical data columns. With an instrument
        their columns are the substantive codes in the instrument's order, labelled; a code
        nobody in the design has is no column. With ``waves``, ``"wave"`` places the wave
        columns (else they come last).
    instrument : Instrument, optional
        Gives the item types, scales, missing codes (dropped from the base) and labels.
    level : float, default 0.95
        Confidence level of the intervals and of the upper-case letters.
    second_level : float, optional
        Lower level (e.g. 0.90) for lower-case letters.
    adjustment : {"none", "bonferroni", "holm", "bh"}, default "none"
        Multiplicity adjustment of the p-values of all pairs of one banner variable on one
        display row (R's ``p.adjust``).
    min_base : int, default 30
        Cells answered by fewer respondents are marked ``small_base`` and never tested.
    nets : {"top2", "top1", "none"}, default "top2"
        Net rows of Likert items: top-two and bottom-two boxes (on scales of five codes or
        more), top and bottom box (three or more), or none.
    include_total : bool, default True
        Start with the total column (never tested against its parts).
    language : {"nb", "en"}, default "nb"
        Language of labels (from the instrument) and notes.
    row_kinds : mapping, optional
        ``{row: kind}`` to override what a row shows: ``"categories"``, ``"likert"``,
        ``"nps"``, ``"mean"`` (e.g. ``{"recommend": "nps"}`` for a 0-10 column without an
        instrument).
    suppress_below : int, default 5
        Disclosure threshold: cells with ``0 < base < suppress_below`` are suppressed
        (estimate, SE and limits NaN, no letters), as the appendix's tables do.
    waves : dict of {label: design}, optional
        The survey's waves, oldest first, each with its own design; ``design`` must be one
        of them (the wave the other columns show). Adds a wave banner variable ("Bølge" /
        "Wave"): one column per wave, each estimated on its wave's design, with letters
        from the independent-samples test of :func:`surveykit.compare` (see Notes).
    crosswalk : Crosswalk or dict of {label: Crosswalk or None}, optional
        With ``waves``: recodes the older waves into ``design``'s coding, as
        :func:`surveykit.compare` does (one crosswalk: every wave but the newest), so an
        item renamed or recoded between versions is one row.

    Returns
    -------
    BannerTable

    Notes
    -----
    For each row question and banner variable, one :func:`surveykit.mean` of the row's
    analysis columns (0/1 indicators, or the values) by the banner variable, or one
    :func:`surveykit.nps`, gives every domain estimate with their full design-based
    covariance (linearization, or the replicate weights); display rows and the
    differences between columns are linear contrasts of those estimates
    (:func:`surveykit.contrast`). The p-value of a pair is two-sided, from
    ``t = difference / se`` at the design's degrees of freedom, and equals R's
    ``2 * pt(-abs(est / SE), degf(design))`` with ``svycontrast(svyby(~y, ~banner,
    design, svymean, covmat = TRUE), contrast)``. Respondents with a missing answer (or a
    missing code) leave the row's base, as ``na.rm = TRUE``. Intervals are
    ``estimate -/+ t se`` at the design's df (percent limits may pass 0 or 100 on tiny
    bases; ``surveykit.proportion`` gives the logit intervals of ``svyciprop``).

    A Likert item's mean row is the mean of its answer codes (the label names the scale,
    e.g. "Mean (1-5)"), the mean of R's ``svymean(~item, design, na.rm = TRUE)`` after the
    missing codes are set to NA.

    Wave columns are not domains of one design: each wave is weighted on its own, so a wave
    column is its wave's whole sample estimated on that wave's design, and two wave
    columns are compared as independent samples, as :func:`surveykit.compare` compares
    them (its code): ``d = b - a``, ``SE = sqrt(se_a^2 + se_b^2)``, p from a t
    distribution on ``degf(a) + degf(b)`` degrees of freedom, R's
    ``2 * pt(-abs(d / SE), degf(da) + degf(db))``; the banner and the comparison of the
    same item give the same p-value (a comparison's ``p_value``; its ``p_adjusted`` is
    adjusted over all its rows). An item the crosswalk marks ``new``, ``dropped`` or
    ``not_comparable``, or whose columns a wave lacks, leaves that wave's cells empty; a
    row whose estimate the crosswalk forbids (e.g. the shares of a scale stretched from 5
    to 7 points) too; the notes say which and why.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    >>> bt = sk.banner(d, rows=["api00", "sch.wide"], banner=["stype", "awards"],
    ...                second_level=0.90, adjustment="holm", language="en")
    >>> bt.summary()  # doctest: +NORMALIZE_WHITESPACE
    column                      Total     E (A)    H (B)   M (C)  No (D)   Yes (E)
    row_variable row_category
    api00        mean          662.29  674.43 B   625.82  636.60  633.73  678.42 D
    sch.wide     No              17.2       9.0  48.0 Ac  30.0 A  47.7 E       0.0
                 Yes             82.8   91.0 BC     52.0  70.0 b    52.3   100.0 D

    Elementary schools (A) score higher than high schools (B); more high schools miss
    their target ("No") than elementary schools (A, at the 95 % level) and middle schools
    (c, at the 90 % level), after Holm's adjustment within each row and banner variable.

    Two samples of the schools as two "waves", each estimated on its own design; the
    wave columns' letters are the independent-samples test of :func:`surveykit.compare`:

    >>> d2 = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> bw = sk.banner(d2, rows=["yr.rnd"], banner=["stype", "wave"], language="en",
    ...                waves={"strat": d, "clus1": d2})
    >>> bw.summary()  # doctest: +NORMALIZE_WHITESPACE
    column                    Total E (A)   H (B)   M (C) strat (D) clus1 (E)
    row_variable row_category
    yr.rnd       No            95.1  93.8  100.0*  100.0*      86.3    95.1 D
                 Yes            4.9   6.2    0.0*    0.0*    13.7 E       4.9

    More year-round schools in the stratified sample (D) than in the cluster sample (E).

    """
    _check_args(design, level, second_level, adjustment, min_base, suppress_below, language,
                instrument)
    questions = resolve_rows(design.data, rows, instrument, row_kinds, nets, language)
    if not questions:
        raise ValueError("'rows' must name at least one row question.")
    wave_cols = None
    if waves is not None:
        wave_cols = wave_columns(design, waves, crosswalk, language)
    elif crosswalk is not None:
        raise ValueError("'crosswalk' harmonises the waves of 'waves'; pass waves={label: "
                         "design} as well, or leave the crosswalk out.")
    variables = resolve_banner(design, banner, instrument, language, wave_cols)
    if len({k for q in questions for k in q.columns}) != sum(len(q.columns)
                                                             for q in questions):
        raise ValueError("'rows' lists a row question twice.")
    work = design.with_columns(**{_BANNER_COL.format(bv.name):
                                  np.where(bv.position >= 0, bv.position, np.nan)
                                  for bv in variables if isinstance(bv, BannerVariable)})
    meta = columns_frame(design, variables, include_total, min_base, language)
    opts = _Options(float(level), None if second_level is None else float(second_level),
                    adjustment, int(min_base), int(suppress_below), bool(include_total),
                    language)
    # each question's analysis columns join the data only while it is estimated
    gaps: list[str] = []
    frame = pd.concat([_question(work.with_columns(**q.columns), q, variables, meta, opts,
                                 gaps) for q in questions], ignore_index=True)[FRAME_COLUMNS]
    multi = [q.label for q in questions if q.kind == "multi"]
    notes = banner_notes(language, level, second_level, adjustment, min_base, multi,
                         suppress_below, bool(frame["suppressed"].any()),
                         likert=any(q.kind == "likert" for q in questions),
                         waves=wave_cols is not None, crosswalk=crosswalk is not None,
                         gaps=gaps)
    return BannerTable(frame=frame, columns=meta, level=float(level),
                       second_level=None if second_level is None else float(second_level),
                       adjustment=adjustment, min_base=int(min_base), notes=notes,
                       language=language, suppress_below=int(suppress_below))



