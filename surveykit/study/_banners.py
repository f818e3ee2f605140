"""Study stage: the banner tables of ``banners:`` (questions by background variables).

The tables are made of one wave's weighted design with :func:`surveykit.banner`; the
questions come from the wave's instrument (``rows: all`` is every analysed item but the
banner variables). ``wave`` among the banner variables adds a column per wave of the study,
each estimated on its own weighted design, the older waves recoded through the crosswalk
between the instrument versions, as the comparisons are. Banner headings come from
``banners.labels``, else from the derived variable's label, else from the question text.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from surveykit.banner import BannerTable, banner
from surveykit.errors import StudyError
from surveykit.reporting import term
from surveykit.study._estimate import _wanted
from surveykit.study._model import WAVE_COLUMN, AnalysisSpec, BannerSpec, StudyFile
from surveykit.study._stages import crosswalk_between

__all__ = ["banner_notes", "banner_rows", "banner_table", "banner_wave"]


def banner_wave(spec: StudyFile) -> str:
    """Return the wave the banner tables are made of: ``banners.wave``, else the last wave."""
    b = spec.banners
    return b.wave if b is not None and b.wave is not None else spec.waves[-1].id


def banner_rows(spec: StudyFile, instrument: Any) -> list[str]:
    """Return the row questions: as listed, or every analysed item but the banner variables.

    A grid id stands for its rows; attention checks and identifiers are never shown.

    Examples
    --------
    >>> import surveykit as sk
    >>> spec = sk.StudyFile.model_validate({
    ...     "schema": "surveykit.study/1", "id": "mini", "title": {"en": "Mini"},
    ...     "waves": [{"id": 2026, "instrument": "reputation@2.0.0", "data": "a.csv"}],
    ...     "analysis": {"items": ["impression", "pulse", "sex"]},
    ...     "banners": {"banner": ["sex"]}})
    >>> banner_rows(spec, sk.load_instrument("reputation", version="2.0.0"))
    ['impression', 'pulse.good_feeling', 'pulse.admire_respect', 'pulse.trust', \
'pulse.overall_reputation']

    """
    b: BannerSpec | None = spec.banners
    if b is None:
        return []
    if b.rows == "all":
        chosen = _wanted(instrument, spec.analysis)
        skip = set(b.banner)
        return _keys(v for v in chosen if not ({v.var, v.key, v.item.id} & skip))
    shown = _wanted(instrument, AnalysisSpec.model_validate({}))
    hidden = {n for v in instrument.variables for n in (v.var, v.key, v.item.id)}
    rows: list[str] = []
    for entry in b.rows:
        match = [v for v in shown if entry in (v.var, v.key, v.item.id)]
        if match:
            rows += _keys(match)
        elif entry not in hidden:  # not an item: a data column, checked later
            rows.append(entry)
    return list(dict.fromkeys(rows))


def _keys(variables: Any) -> list[str]:
    """Row keys of instrument variables: a multi-select item once, a grid row each."""
    return list(dict.fromkeys(v.item.id if v.type == "multi" else v.key for v in variables))


def _check_names(b: BannerSpec, rows: list[str], design: Any, instrument: Any,
                 wave: str) -> None:
    columns = set(design.data.columns)
    absent = [v for v in b.banner if v not in columns and v != WAVE_COLUMN]
    if absent:
        raise StudyError(f"banners.banner: {absent} are not variables of wave {wave}; use "
                         "item ids or derived variables (derive: names), e.g. "
                         "[municipality, age_group].")
    known = set(instrument.item_keys) | {k.split(".")[0] for k in instrument.item_keys}
    unknown = [r for r in rows if r not in known and r not in columns]
    if unknown:
        raise StudyError(f"banners.rows: {unknown} are not items of wave {wave} "
                         f"({instrument.ref}); name item ids (impression), grid ids (pulse) "
                         "or grid rows (pulse.trust), or write 'all'.")


def _headings(bt: BannerTable, spec: StudyFile, language: str) -> BannerTable:
    """Banner headings from ``banners.labels``, else the derived variable's label."""
    b = spec.banners
    assert b is not None
    derived = {d.name: d.label for d in spec.derive if d.label}
    wanted = {}
    for name in b.banner:
        text = b.labels.get(name) or derived.get(name)
        if text:
            wanted[name] = text.get(language) or next(iter(text.values()))
    if not wanted:
        return bt

    def relabel(frame: Any) -> Any:
        names = frame["banner_variable"].astype(str)
        return frame.assign(banner_label=names.map(wanted).fillna(frame["banner_label"]))

    return dataclasses.replace(bt, frame=relabel(bt.frame), columns=relabel(bt.columns))


def banner_table(spec: StudyFile, designs: dict[str, Any], waves: dict[str, Any]
                 ) -> BannerTable | None:
    """Make the study's banner table (None without ``banners:``)."""
    b = spec.banners
    if b is None:
        return None
    wave = banner_wave(spec)
    design, instrument = designs[wave], waves[wave].instrument
    rows = banner_rows(spec, instrument)
    if not rows:
        raise StudyError("banners.rows: no questions left once the banner variables are "
                         "set aside; list the items to show, e.g. rows: [impression, pulse].")
    _check_names(b, rows, design, instrument, wave)
    language = spec.report.language
    by_wave: dict[str, Any] = {}
    if WAVE_COLUMN in b.banner:
        by_wave = {"waves": {w.id: designs[w.id] for w in spec.waves},
                   "crosswalk": {w.id: crosswalk_between(waves[w.id].instrument, instrument)
                                 for w in spec.waves}}
    try:
        table = banner(design, rows=rows, banner=list(b.banner), instrument=instrument,
                       level=b.level, second_level=b.second_level, adjustment=b.adjustment,
                       min_base=b.min_base, nets=b.nets, language=language,
                       suppress_below=spec.report.suppress_below, **by_wave)
    except (ValueError, KeyError) as exc:
        raise StudyError(f"banners (wave {wave}): {exc}") from exc
    return _headings(table, spec, language)


def banner_notes(spec: StudyFile) -> tuple[str, ...]:
    """Return the study's notes under its banner tables: which wave, when it has several."""
    if len(spec.waves) < 2:
        return ()
    key = ("bannertable.wave_columns_note" if spec.banners is not None
           and WAVE_COLUMN in spec.banners.banner else "bannertable.wave_note")
    return (term(key, spec.report.language, wave=banner_wave(spec)),)
