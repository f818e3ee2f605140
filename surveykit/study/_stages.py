"""Study stages on the comparison and participation layers.

Index scores, wave comparisons through the crosswalk, and the meeting-place participation
indicators.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from surveykit.errors import StudyError
from surveykit.instruments import Instrument, load_crosswalk
from surveykit.study._ingest import WaveData
from surveykit.study._model import AnalysisSpec, ComparisonSpec, StudyFile

__all__ = ["compare_waves", "comparison_items", "crosswalk_between", "index_columns",
           "participation_result"]

_SKIP_ROLES = {"identifier", "attention_check"}


def wanted_indices(inst: Instrument, spec: AnalysisSpec) -> list[Any]:
    """Return the instrument's indices named by the analysis plan (all by default)."""
    if spec.indices == "all":
        return list(inst.indices)
    known = {i.id: i for i in inst.indices}
    return [known[i] for i in spec.indices if i in known]


def index_columns(frame: pd.DataFrame, wave: WaveData, spec: AnalysisSpec) -> pd.DataFrame:
    """Add one column per index of the wave's instrument, named by the index id.

    Scores come from :func:`surveykit.scale_score` with the index as the instrument declares
    it (items, method, ``min_valid``, scale, reverse coding and missing codes).
    """
    inst = wave.instrument
    indices = wanted_indices(inst, spec)
    if not indices:
        return frame
    from surveykit.scales import scale_score

    clash = [i.id for i in indices if i.id in frame.columns]
    if clash:
        raise StudyError(f"indices {clash} of {inst.ref} have the names of data columns; "
                         "list the other indices in analysis.indices.")
    return frame.assign(**{i.id: scale_score(frame, instrument=inst, index=i.id)
                           for i in indices})


def comparison_items(older: Instrument, newer: Instrument, spec: ComparisonSpec,
                     analysis: AnalysisSpec, calibrated: set[str] | frozenset[str] = frozenset()
                     ) -> list[str]:
    """Return the item keys to compare: every analysed item of either version, and indices.

    Items of the older version only (dropped) and of the newer only (new) are included, so
    that the comparison table lists them with the crosswalk's reason. ``calibrated`` items
    (weighting variables and their sources) are left out: weighting fixes their
    distribution to the population's, so their differences are the population's.
    """
    if spec.items != "all":
        return list(spec.items)
    drop = set(analysis.exclude_items) | set(calibrated)
    keys: list[str] = []
    for inst in (newer, older):
        for v in inst.variables:
            if v.type == "text" or _SKIP_ROLES & set(v.role) or {v.var, v.item.id} & drop:
                continue
            key = v.item.id if v.type == "multi" else v.key
            if key not in keys and not (inst is older and v.var in _vars(newer)):
                keys.append(key)
    keys += [i.id for i in wanted_indices(newer, analysis) if i.id in _ids(older)]
    return keys


def calibrated_variables(spec: StudyFile) -> set[str]:
    """Weighting variables of the study and the items they are derived from."""
    if spec.weighting.method == "none":
        return set()
    names = {v for m in spec.weighting.margins
             for v in ([m.sample] if isinstance(m.sample, str) else m.sample)}
    sources = {d.source for d in spec.derive if d.name in names}
    return names | sources


def comparison_measures(newer: Instrument, older: Instrument, items: list[str],
                        spec: ComparisonSpec, analysis: AnalysisSpec) -> dict[str, str] | str:
    """Measure of each compared item where the study decides it, else ``"auto"``.

    The comparison's own ``measures`` (estimate names) come first; then an item whose level
    the study sets under ``analysis.measures`` is compared as shares (nominal, ordinal) or
    as a mean (interval). Every other item follows its instrument level (``"auto"``).
    """
    from surveykit.study._estimate import measure_of

    out: dict[str, str] = {}
    for key in items:
        try:
            v = (newer if key in _keys(newer) else older).variables_of(key)[0]
        except ValueError:
            continue
        if not ({v.var, v.key, v.item.id} & set(analysis.measures)):
            continue
        out[key] = "mean" if measure_of(v, analysis) == "interval" else "proportion"
    out.update(spec.measures)
    return out or "auto"


def _keys(inst: Instrument) -> set[str]:
    return {v.key for v in inst.variables} | {v.item.id for v in inst.variables}


def _vars(inst: Instrument) -> set[str]:
    return {v.var for v in inst.variables}


def _ids(inst: Instrument) -> set[str]:
    return {i.id for i in inst.indices}


def crosswalk_between(older: Instrument, newer: Instrument) -> Any:
    """Return the crosswalk from ``older`` to ``newer`` (None: the same instrument version)."""
    if older.fingerprint == newer.fingerprint:
        return None
    if older.id != newer.id:
        raise StudyError(f"comparison of {older.ref} with {newer.ref}: waves of different "
                         "instruments cannot be compared; compare waves of one instrument.")
    return load_crosswalk(older.id, older.version, newer.version)


def compare_waves(spec: StudyFile, designs: dict[str, Any], waves: dict[str, WaveData]
                  ) -> dict[str, Any]:
    """Run every comparison of the analysis plan with :func:`surveykit.compare`."""
    if not spec.analysis.comparisons:
        return {}
    from surveykit.comparison import compare

    out = {}
    for c in spec.analysis.comparisons:
        a, b = c.waves
        older, newer = waves[a].instrument, waves[b].instrument
        xw = crosswalk_between(older, newer)
        items = comparison_items(older, newer, c, spec.analysis, calibrated_variables(spec))
        try:
            out[c.id] = compare({a: designs[a], b: designs[b]}, items, crosswalk=xw,
                                by=list(c.by) or None, adjust=c.adjust,
                                measure=comparison_measures(newer, older, items, c,
                                                            spec.analysis),
                                confidence_level=spec.analysis.confidence_level,
                                min_base=c.min_base, instrument=newer if xw is None else None)
        except (KeyError, ValueError) as exc:
            raise StudyError(f"analysis.comparisons[{c.id}]: {exc}") from exc
    return out


def participation_result(spec: StudyFile, root: Path, waves: dict[str, WaveData]) -> Any:
    """Participation indicators of a meeting-place study (None without ``participation:``)."""
    p = spec.participation
    if p is None:
        return None
    from surveykit.participation import EventRegister, participation, read_attendance

    lists = (p.attendance,) if isinstance(p.attendance, str) else p.attendance
    named = [("events", p.events), *(("attendance", a) for a in lists),
             ("participants", p.participants)]
    paths: dict[str, list[Path]] = {}
    for key, rel in named:
        if rel is None:
            continue
        path = root / rel
        if not path.is_file():
            raise StudyError(f"participation.{key}: file {str(path)!r} does not exist "
                             f"(relative to the data root {str(root)!r}).")
        paths.setdefault(key, []).append(path)
    register = EventRegister.load(paths["events"][0])
    attendance = read_attendance(paths["attendance"], register,
                                 participants=paths.get("participants", [None])[0])
    feedback = waves[p.feedback_wave].responses if p.feedback_wave else None
    return participation(register, attendance, feedback, target=p.target,
                         confidence_level=spec.analysis.confidence_level)
