"""Assemble a study's appendix content from its results, through the reporting API.

Numbers stay numbers here: every table is an EstimateTable, ComparisonTable or a frame of
floats handed to ``sk.report`` (which alone formats them). The methods section is
in ``_methods``, the fixed phrases in ``_phrases``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from surveykit._version import __version__
from surveykit.reporting import (
    Appendix,
    Section,
    VariableLabels,
    codebook_table,
    column_header,
    dumbbell_plots,
    plot,
)
from surveykit.reporting import table as report_table
from surveykit.study._estimate import Block
from surveykit.study._methods import derived_labels, facts, instrument_name, methods_section
from surveykit.study._phrases import adjust_name, looks_english, phrase, status_name
from surveykit.study._stages import calibrated_variables

__all__ = ["build_appendix", "phrase"]


def _opts(result: Any) -> dict[str, Any]:
    lang = result.study.spec.report.language
    return {"suppress_below": result.study.spec.report.suppress_below,
            "labels": derived_labels(result, lang)}


def _codebook(app: Appendix, result: Any) -> None:
    lang = result.study.spec.report.language
    sec = app.section(phrase("codebook", lang))
    seen = set()
    for wave in result.waves.values():
        inst = wave.instrument
        if inst.ref in seen:
            continue
        seen.add(inst.ref)
        book = codebook_table(inst, language=lang if lang in inst.language_codes
                              else inst.language_codes[0])
        sec.section(instrument_name(inst, lang)).table(book)


def _relabelled(block: Block) -> Any:
    """Item tables carry ``<var>.num`` and ``<var>.share``; report them under the item."""
    names = [str(v).removesuffix(".num").removesuffix(".share")
             for v in block.table.labels["variable"].tolist()]
    return dataclasses.replace(block.table, labels=block.table.labels.assign(variable=names))


def _estimates(app: Appendix, result: Any) -> None:
    lang = result.study.spec.report.language
    opts = _opts(result)
    kinds = (("frequency", "frequencies"), ("multi", "frequencies"), ("mean", "means"),
             ("index", "indices"))
    for wid, wave in result.waves.items():
        sec = app.section(f"{phrase('wave', lang)} {wid}: "
                          f"{instrument_name(wave.instrument, lang)}")
        inst = wave.instrument
        subs: dict[str, Section] = {}
        by_domain = result.study.spec.report.frequencies_by_domain
        calibrated = calibrated_variables(result.study.spec)
        charts = result.study.spec.report.charts
        for block in (b for b in result.estimates if b.wave == wid):
            if block.domain is not None and block.kind in ("frequency", "multi") \
                    and not by_domain:
                continue
            head = dict(kinds)[block.kind]
            sub = subs.get(head) or subs.setdefault(head, sec.section(phrase(head, lang)))
            table = _relabelled(block) if block.kind in ("mean", "frequency") \
                else block.table
            percent = True if block.kind == "multi" else None
            labels = {**opts["labels"], **_option_labels(inst, block, lang)}
            sub.table(table, instrument=inst, percent=percent, **{**opts, "labels": labels},
                      notes=_block_notes(block, inst, lang, calibrated),
                      caption=_caption(block, inst, lang, opts["labels"]))
            if block.kind == "index" and block.domain is None and charts:
                _chart(sub, block, inst, lang, opts)


def _option_labels(inst: Any, block: Block, lang: str) -> dict[str, VariableLabels]:
    """Multi-select rows by their option label: the question is the table's caption."""
    if block.kind != "multi":
        return {}
    out = {}
    for v in inst.variables:
        if v.option is not None and (v.item.var or v.item.id) == block.key:
            out[v.var] = VariableLabels(str(v.option.label.get(lang, v.option.code)))
    return out


def _block_notes(block: Block, inst: Any, lang: str, calibrated: set[str]) -> list[str]:
    """Calibrated margins (zero-width intervals) and the base of shares, in words."""
    notes = []
    if block.kind == "frequency" and block.key in calibrated:
        notes.append(phrase("calibrated", lang))
    if block.kind == "frequency":
        try:
            var = inst.variable(block.key)
        except ValueError:
            return notes
        missing = [m.label.get(lang, str(m.code)) for m in
                   (var.choices.missing if var.choices is not None else ())]
        if missing:
            shown = [f"«{m}»" if lang == "nb" else f"“{m}”" for m in missing]
            joined = shown[0] if len(shown) == 1 else (
                f"{', '.join(shown[:-1])} {phrase('or', lang)} {shown[-1]}")
            notes.append(phrase("share_base", lang, labels=joined))
    return notes


def _chart(sec: Section, block: Block, inst: Any, lang: str, opts: dict[str, Any]) -> None:
    fig = plot(block.table, instrument=inst, language=lang, kind="dot",
               suppress_below=opts["suppress_below"])
    sec.figure(fig, caption=_caption(block, inst, lang, opts["labels"]))


def _label(inst: Any, name: str, lang: str, labels: dict[str, Any]) -> str:
    """Question text, index label, item text or derived variable's label; else the name."""
    if name in labels:
        return str(labels[name].text)
    for index in inst.indices:
        if index.id == name:
            return str(index.label.get(lang, name))
    if name in {v.var for v in inst.variables}:
        return str(inst.variable(name).text.get(lang, name))
    if name in {v.item.id for v in inst.variables}:
        return str(inst.item(name).text.get(lang, name))
    return name


def _caption(block: Block, inst: Any, lang: str, labels: dict[str, Any]) -> str:
    """Caption naming what, which wave and which domain: a table is read out of context."""
    name = (_label(inst, block.key, lang, labels) if block.kind in ("frequency", "multi")
            else phrase("means" if block.kind == "mean" else "indices", lang))
    if block.domain is None:
        return f"{name}, {block.wave} ({phrase('overall', lang)})"
    return (f"{name}, {block.wave} ({phrase('by', lang)} "
            f"{_label(inst, block.domain, lang, labels)})")


def _comparisons(app: Appendix, result: Any) -> None:
    if not result.comparisons:
        return
    lang = result.study.spec.report.language
    sec = app.section(phrase("comparison", lang))
    for c in result.study.spec.analysis.comparisons:
        cmp = result.comparisons[c.id]
        frame = cmp.to_frame()
        sub = sec.section(f"{c.waves[1]} – {c.waves[0]}")
        sub.text(phrase("cmp_text" if cmp.crosswalk else "cmp_text_same", lang,
                        a=c.waves[0], b=c.waves[1], adj=adjust_name(cmp.adjust, lang)))
        newer = result.waves[c.waves[1]].instrument
        sub.table(cmp, instrument=newer, labels=_older_labels(result, c, frame),
                  suppress_below=result.study.spec.report.suppress_below)
        refused = frame.loc[~frame["comparable"].astype(bool), ["item", "status", "note"]]
        if len(refused):
            _refused(sub, refused.drop_duplicates(), result, c, cmp.crosswalk)


def _older_labels(result: Any, c: Any, frame: Any) -> dict[str, VariableLabels]:
    """Label derived variables, and items the newer wave dropped by the older wave's text."""
    lang = result.study.spec.report.language
    older, newer = (result.waves[w].instrument for w in c.waves)
    labels = derived_labels(result, lang)
    for item in dict.fromkeys(str(i) for i in frame["item"]):
        if item in labels or _label(newer, item, lang, labels) != item:
            continue
        shown = _label(older, item, lang, labels)
        if shown != item:
            labels[item] = VariableLabels(shown)
    return labels


def _refused(sec: Section, refused: Any, result: Any, c: Any, crosswalk: Any) -> None:
    """Items not compared: item text and status in the report language, notes as written."""
    lang = result.study.spec.report.language
    older, newer = (result.waves[w].instrument for w in c.waves)
    labels = derived_labels(result, lang)

    def text(item: str) -> str:
        shown = _label(newer, item, lang, labels)
        return _label(older, item, lang, labels) if shown == item else shown

    shown = refused.assign(item=[text(str(i)) for i in refused["item"]],
                           status=[status_name(str(s), lang) for s in refused["status"]])
    notes = [str(n) for n in refused["note"] if isinstance(n, str) and n]
    extra: list[str] = []
    if lang == "nb" and notes and looks_english(notes):
        # the crosswalk's reasons are English: the page says what each status means, the
        # Excel sheet keeps the reasons as written
        shown = shown.assign(note=[_status_reason(str(st), c, lang)
                                   for st in refused["status"]])
        extra = [phrase("source_language", lang)]
    table_ = report_table(shown, n_column=None, headers=True, notes=extra, language=lang,
                          caption=phrase("cap_refused", lang, a=c.waves[0], b=c.waves[1]),
                          suppress_below=result.study.spec.report.suppress_below)
    note_col = column_header("note", lang)
    sec.section(phrase("refused", lang)).table(dataclasses.replace(
        table_, numeric=table_.numeric.assign(**{note_col: refused["note"].to_numpy()})))


def _status_reason(status: str, c: Any, lang: str) -> str:
    key = f"status_{status}"
    try:
        return phrase(key, lang, a=c.waves[0], b=c.waves[1])
    except KeyError:
        return status_name(status, lang)


def _findings(app: Appendix, result: Any) -> None:
    """Key findings first: every significant change after adjustment, as the table shows it.

    Each sentence is built from the formatted comparison table (its labels, numbers and
    intervals), so it claims nothing the table does not show.
    """
    spec = result.study.spec
    lang = spec.report.language
    alpha = 1 - spec.analysis.confidence_level
    sec = app.section(phrase("findings", lang))
    for c in spec.analysis.comparisons:
        cmp = result.comparisons[c.id]
        a, b = c.waves
        newer = result.waves[b].instrument
        ft = report_table(cmp, instrument=newer, language=lang,
                          labels=_older_labels(result, c, cmp.to_frame()),
                          suppress_below=spec.report.suppress_below)
        sec.text(phrase("findings_text", lang, a=a, b=b, adj=adjust_name(cmp.adjust, lang),
                        level=round(100 * spec.analysis.confidence_level)))
        sentences = _finding_sentences(ft, cmp, a, b, alpha, lang)
        for sentence in sentences or [phrase("no_findings", lang, a=a, b=b)]:
            sec.text(sentence)
        if spec.report.charts:
            figs = dumbbell_plots(cmp, instrument=newer, language=lang)
            for i, fig in enumerate(figs, start=1):
                part = f" ({i}/{len(figs)})" if len(figs) > 1 else ""
                sec.figure(fig, caption=f"{a} → {b}{part}")


def _finding_sentences(ft: Any, cmp: Any, a: str, b: str, alpha: float, lang: str
                       ) -> list[str]:
    frame = cmp.to_frame().reset_index(drop=True)
    cols = list(ft.display.columns)
    at = cols.index(a)  # label columns, then a, b, change, interval, adjusted p, bases
    change_col, ci_col, p_col = cols[at + 2], cols[at + 3], cols[at + 4]
    keep = ((ft.numeric[p_col].to_numpy(float) < alpha) & ~ft.suppressed
            & frame["comparable"].astype(bool).to_numpy())
    out = []
    for i in np.flatnonzero(keep):
        row = ft.display.iloc[i]
        label = str(row[cols[0]])
        changed = label.endswith((" †", " ‡"))
        label = label.removesuffix(" †").removesuffix(" ‡")
        if at > 1 and str(row[cols[1]]):
            label = f"{label}: {row[cols[1]]}"
        share = frame.loc[i, "measure"] in ("proportion", "top_box", "top_two_box")
        unit = " %" if share else ""
        change = f"{row[change_col]} {phrase('points', lang)}" if share else row[change_col]
        key = "finding_up" if frame.loc[i, "difference"] > 0 else "finding_down"
        sentence = phrase(key, lang, item=label, x=f"{row[a]}{unit}", y=f"{row[b]}{unit}",
                          change=change, ci=row[ci_col])
        if changed:
            sentence = f"{sentence[:-1]}; {phrase('changed_item', lang)}."
        out.append(sentence)
    return out


def build_appendix(result: Any) -> Appendix:
    """Assemble the study's appendix: methods, estimates, comparisons, banners, codebook."""
    spec = result.study.spec
    lang = spec.report.language
    title = spec.title.get(lang) or next(iter(spec.title.values()))
    app = Appendix(title=title, language=lang, subtitle=phrase("appendix", lang),
                   metadata=facts({"surveykit": __version__}, lang))
    if result.comparisons:
        _findings(app, result)
    methods_section(app, result)
    if result.participation is not None:
        from surveykit.participation import add_participation_section

        add_participation_section(app, result.participation,
                                  suppress_below=spec.report.suppress_below)
    _estimates(app, result)
    _comparisons(app, result)
    if result.banners is not None and spec.banners.appendix:
        from surveykit.reporting import add_banner_section
        from surveykit.study._banners import banner_notes

        add_banner_section(app, result.banners, notes=banner_notes(spec))
    _codebook(app, result)
    return app
