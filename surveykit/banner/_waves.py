"""The wave as a banner variable: one column per wave, each from that wave's own design.

Waves are weighted separately, so the wave columns are not domains of one design: each
column's estimates and standard errors come from its wave's design (the whole wave), with
the row question's analysis columns made from that wave's data after the crosswalk has
recoded it into the newest coding. The letters between wave columns come from the test of
:func:`surveykit.compare` for independent samples, through its own code
(``comparison._joint``): the difference ``b - a`` with ``SE = sqrt(se_a^2 + se_b^2)`` and
a two-sided t test on the sum of the two waves' degrees of freedom. So a wave letter and
the comparison of the same item say the same p-value.

Through the crosswalk an item renamed or recoded between versions is the same row; an item
the crosswalk marks ``new``, ``dropped`` or ``not_comparable``, or whose columns a wave
lacks, leaves that wave's cells empty; a display row whose estimate the crosswalk forbids
(``forbidden_estimates``, or outside ``allowed_estimates``) stays empty too. Each such gap
gets a note. A Likert item's mean row is shown when the crosswalk allows a mean or the
POMP mean: a linear stretch changes the mean's scale but not its test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np
import pandas as pd

from surveykit.banner._domains import estimates
from surveykit.banner._letters import adjusted_tests, assign_letters
from surveykit.banner._rows import RowQuestion, analysis_columns
from surveykit.comparison._harmonise import crosswalk_per_wave, harmonise_design
from surveykit.comparison._items import REFUSED_STATUSES, _estimate_allowed
from surveykit.comparison._joint import differences, joint_independent
from surveykit.comparison._statistics import ItemEstimates
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.instruments import Crosswalk

__all__ = ["WAVE", "WaveColumns", "wave_block", "wave_columns"]

Design = SurveyDesign | ReplicateDesign
#: name of the wave banner variable (in ``banner=[...]`` it places the wave columns)
WAVE = "wave"
WAVE_LABEL = {"nb": "Bølge", "en": "Wave"}
#: the crosswalk measure behind each kind of display row
_MEASURES = {"category": ("proportion",), "option": ("proportion",), "nps": ("nps",),
             "net": ("top_two_box",), "mean": ("mean", "mean_pomp")}
_GAP = {
    "nb": {"absent": "{item}: ikke med i bølge {wave} ({reason}).",
           "rows": "{item}, bølge {wave}: {rows} vises ikke ({reason})",
           "approximate": "{item}: bare tilnærmet sammenlignbar mellom bølgene (spørsmålet "
                          "er endret{brk})."},
    "en": {"absent": "{item}: not in wave {wave} ({reason}).",
           "rows": "{item}, wave {wave}: {rows} not shown ({reason})",
           "approximate": "{item}: only approximately comparable between waves (the "
                          "question changed{brk})."},
}
_BREAK = {"nb": ", trendbrudd", "en": ", trend break"}
_ALLOWS = {"nb": "koblingstabellen tillater bare {names} mellom versjonene",
           "en": "the crosswalk allows only {names} between the versions"}
_FORBIDS = {"nb": "koblingstabellen tillater ikke {names} mellom versjonene",
            "en": "the crosswalk does not allow {names} between the versions"}
_ROW_NAMES = {"nb": {"category": "andelene", "option": "andelene", "net": "nettoene",
                     "mean": "gjennomsnittet", "nps": "NPS"},
              "en": {"category": "the shares", "option": "the shares", "net": "the nets",
                     "mean": "the mean", "nps": "the NPS"}}


@dataclass(frozen=True, eq=False)
class WaveColumns:
    """The wave banner variable: a column per wave with its (harmonised) design."""

    name: str
    label: str
    categories: tuple[str, ...]
    letters: tuple[str, ...]
    designs: tuple[Design, ...]
    crosswalks: tuple[Crosswalk | None, ...]

    @property
    def size(self) -> int:
        """Number of columns."""
        return len(self.categories)


def wave_columns(design: Design, waves: Mapping[str, Design],
                 crosswalk: Crosswalk | Mapping[str, Crosswalk | None] | None,
                 language: str) -> WaveColumns:
    """Check ``waves`` and bring every wave into the newest coding (letters come later)."""
    if not isinstance(waves, Mapping) or len(waves) < 2:
        raise TypeError("'waves' must be a dict {label: design} of at least two waves, "
                        f"oldest first (got {type(waves).__name__}).")
    bad = [k for k, d in waves.items() if not isinstance(d, SurveyDesign | ReplicateDesign)]
    if bad:
        raise TypeError(f"'waves' must map wave labels to designs; {bad!r} are not designs.")
    labels = [str(k) for k in waves]
    if len(set(labels)) != len(labels):
        raise ValueError(f"'waves' has repeated labels {labels!r}.")
    mine = [lab for lab, d in zip(labels, waves.values(), strict=True) if d is design]
    if not mine:
        raise ValueError("'design' must be one of the designs in 'waves' (the wave whose "
                         "banner variables the other columns show), e.g. "
                         "banner(d26, ..., waves={'2024': d24, '2026': d26}).")
    xws = crosswalk_per_wave(labels, crosswalk)
    if xws[mine[0]] is not None:
        raise ValueError(f"The crosswalk would recode wave {mine[0]!r}, whose design gives "
                         "the rows; pass the newest wave as 'design' (the crosswalk's target "
                         "coding) or crosswalk={wave: Crosswalk or None}.")
    designs = tuple(harmonise_design(d, xws[lab], lab)
                    for lab, d in zip(labels, waves.values(), strict=True))
    return WaveColumns(WAVE, WAVE_LABEL.get(language, "Wave"), tuple(labels),
                       ("",) * len(labels), designs, tuple(xws[lab] for lab in labels))


def _shown_rows(q: RowQuestion, xw: Crosswalk | None, wave: str, language: str
                ) -> tuple[np.ndarray, str | None, list[str]]:
    """Display rows a wave may show, why the wave has none (or None), and notes."""
    r = len(q.rows)
    key = q.recipe.key
    if xw is None or key is None:
        return np.ones(r, bool), None, []
    gap = _GAP.get(language, _GAP["en"])
    status = xw.status(key)
    entry = xw.entry(key)
    if status in REFUSED_STATUSES:
        reason = (entry.reason or entry.note or entry.difference) if entry else None
        return np.zeros(r, bool), " ".join((reason or status).split()), []
    ok = np.ones(r, bool)
    why: dict[str, str] = {}
    for i, row in enumerate(q.rows):
        refusals = [_estimate_allowed(m, entry) for m in _MEASURES[row.kind]]
        if entry is not None and all(reason is not None for reason in refusals):
            ok[i] = False
            why.setdefault(row.kind, _refusal(entry.allowed_estimates,
                                              entry.forbidden_estimates, row.kind, language))
    notes = []
    if why:
        names = _ROW_NAMES.get(language, _ROW_NAMES["en"])
        rows = ", ".join(dict.fromkeys(names[k] for k in why))
        notes.append(gap["rows"].format(item=q.variable, wave=wave, rows=rows,
                                        reason=next(iter(why.values()))) + ".")
    if status == "approximate":
        brk = _BREAK.get(language, _BREAK["en"]) if entry is not None and entry.trend_break else ""
        notes.append(gap["approximate"].format(item=q.variable, brk=brk))
    return ok, None, notes


def _refusal(allowed: tuple[str, ...], forbidden: tuple[str, ...], kind: str,
             language: str) -> str:
    """Why the crosswalk hides a kind of row: what it allows, else what it forbids."""
    if allowed:
        return _ALLOWS.get(language, _ALLOWS["en"]).format(names=", ".join(allowed))
    return _FORBIDS.get(language, _FORBIDS["en"]).format(names=", ".join(forbidden))


def _estimate_wave(design: Design, q: RowQuestion, ok: np.ndarray, level: float
                   ) -> tuple[dict[str, np.ndarray], ItemEstimates]:
    """One wave's display rows (NaN where not shown) and the estimates for the test."""
    categories_ok = all(o for o, row in zip(ok, q.rows, strict=True) if row.kind == "category")
    cols = analysis_columns(q.recipe, design.data, check=categories_ok)
    qw = replace(q, columns=cols)
    t, shown = estimates(design.with_columns(**cols), qw, None)
    ci = shown.confidence_interval(level)
    out = {}
    for name, values in (("estimate", shown.estimate), ("se", shown.se),
                         ("ci_low", ci.low), ("ci_high", ci.high)):
        out[name] = np.where(ok, np.asarray(values, dtype=float), np.nan)
    n = float(np.asarray(t.n, dtype=float)[0]) if len(t.n) else 0.0
    out["n"], out["n_weighted"] = np.array(n), np.array(
        float(np.asarray(t.n_weighted, dtype=float)[0]) if len(t.n) else 0.0)
    keep = np.flatnonzero(ok)
    cov = np.asarray(shown.cov, dtype=float)[np.ix_(keep, keep)]
    est = ItemEstimates(pd.DataFrame({"level": keep}), out["estimate"][keep], cov,
                        np.full(len(keep), n), np.full(len(keep), np.nan),
                        float(t.df[0]) if len(t.df) else np.nan)
    return out, est


def _tests(q: RowQuestion, wc: WaveColumns, parts: dict[int, ItemEstimates],
           eligible: np.ndarray, level: float) -> tuple[tuple[tuple[int, int], ...],
                                                        np.ndarray, np.ndarray]:
    """Differences ``column i - column j`` and p-values of every eligible pair of waves."""
    r = len(q.rows)
    live = [j for j in sorted(parts) if eligible[j]]
    pairs = tuple(combinations(live, 2))
    diff = np.full((r, len(pairs)), np.nan)
    p = np.full((r, len(pairs)), np.nan)
    if not pairs:
        return pairs, diff, p
    joint = joint_independent([(wc.categories[j], parts[j]) for j in live], [])
    rows = np.array([k[0] for k in joint.keys], dtype=np.int64)
    for k, (i, j) in enumerate(pairs):
        d = differences(joint, wc.categories[i], wc.categories[j], level)
        diff[rows, k] = -d["difference"].to_numpy()  # compare gives j - i
        p[rows, k] = d["p_value"].to_numpy()
    return pairs, diff, p


def _per_wave(q: RowQuestion, wc: WaveColumns, level: float, language: str
              ) -> tuple[dict[int, dict[str, np.ndarray]], dict[int, ItemEstimates], list[str]]:
    """Each wave's display rows and test estimates (waves without the item left out), notes."""
    outs: dict[int, dict[str, np.ndarray]] = {}
    parts: dict[int, ItemEstimates] = {}
    notes: list[str] = []
    gap = _GAP.get(language, _GAP["en"])
    for j, (label, design, xw) in enumerate(zip(wc.categories, wc.designs, wc.crosswalks,
                                                strict=True)):
        ok, absent, why = _shown_rows(q, xw, label, language)
        notes += why
        if absent is None and not set(q.recipe.sources) <= set(design.data.columns):
            missing = sorted(set(q.recipe.sources) - set(design.data.columns))
            absent = f"no column {', '.join(missing)}"
        if absent is not None:
            notes.append(gap["absent"].format(item=q.variable, wave=label, reason=absent))
            continue
        outs[j], parts[j] = _estimate_wave(design, q, ok, level)
    return outs, parts, notes


def wave_block(q: RowQuestion, wc: WaveColumns, *, level: float, second_level: float | None,
               adjustment: str, min_base: int, suppress_below: int, language: str
               ) -> tuple[dict[str, np.ndarray], list[list[str]], list[str]]:
    """``(r, waves)`` arrays of one question in every wave column, its letters and notes."""
    r, size = len(q.rows), wc.size
    block = {k: np.full((r, size), np.nan) for k in ("estimate", "se", "ci_low", "ci_high")}
    base, base_w = np.zeros(size), np.zeros(size)
    outs, parts, notes = _per_wave(q, wc, level, language)
    for j, out in outs.items():
        for key in block:
            block[key][:, j] = out[key]
        base[j], base_w[j] = out["n"], out["n_weighted"]
    block["base_unweighted"] = np.broadcast_to(base, (r, size))
    block["base_weighted"] = np.broadcast_to(base_w, (r, size))
    eligible = (base >= min_base) & ~((base > 0) & (base < suppress_below))
    pairs, diff, p = _tests(q, wc, parts, eligible, level)
    tests = adjusted_tests(pairs, diff, p, adjustment)
    return block, assign_letters(tests, wc.letters, level, second_level), \
        list(dict.fromkeys(notes))


def wave_tests(q: RowQuestion, wc: WaveColumns, level: float = 0.95
               ) -> tuple[tuple[tuple[int, int], ...], np.ndarray, np.ndarray]:
    """Raw pair tests between the wave columns of one question (for checks and reports).

    Returns the pairs ``(i, j)`` of wave columns, the differences ``column i - column j``
    and the unadjusted p-values, each ``(display rows, pairs)``.
    """
    parts = _per_wave(q, wc, level, "en")[1]
    return _tests(q, wc, parts, np.ones(wc.size, bool), level)
