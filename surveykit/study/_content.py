"""Assemble a study's appendix content from its results, through the reporting API.

Numbers stay numbers here: every table is an EstimateTable, ComparisonTable or a frame of
floats handed to ``sk.report`` (which alone formats them, STYLE P4). The headings and
sentences below are the study runner's fixed phrases in the two report languages.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from surveykit._version import __version__
from surveykit.reporting import Appendix, Section, aapor_rates, dumbbell_plot, plot
from surveykit.study._estimate import Block
from surveykit.study._ingest import exclusion_summary
from surveykit.weighting import weight_diagnostics

__all__ = ["build_appendix", "phrase"]

_PHRASES: dict[str, dict[str, str]] = {
    "nb": {
        "appendix": "Statistisk vedlegg", "methods": "Metode", "data": "Data og instrumenter",
        "exclusions": "Utelukkede svar", "rates": "Svarprosent (AAPOR)",
        "weighting": "Vekting", "moe": "Feilmarginer", "derived": "Avledede variabler",
        "codebook": "Kodebok", "frequencies": "Frekvenstabeller", "means": "Gjennomsnitt",
        "indices": "Indekser", "comparison": "Sammenligning", "wave": "Bølge",
        "overall": "alle", "by": "etter", "participation": "Deltakelse",
        "charts": "Figurer",
        "excl_text": "Svar ble utelukket etter disse reglene (hver rad telles én gang, under "
                     "den første regelen som traff den).",
        "rates_text": "Utfallsrater etter AAPOR Standard Definitions, beregnet fra "
                      "disposisjonskodene i {file}; e = andel antatt kvalifiserte blant "
                      "ukjente.",
        "weight_text": "Vektene ble {method} mot befolkningstall (SSB tabell 07459) for "
                       "marginene {margins}{trim}. Tabellen viser mål og oppnådd vektet "
                       "total for hver kategori.",
        "trim_text": ", trimmet til høyst {upper} ganger gjennomsnittsvekten og raket på nytt",
        "deff_text": "Kish' designeffekt av vektingen og effektivt utvalg.",
        "moe_text": "Feilmargin (halv bredde av {level} % konfidensintervall, prosentpoeng) "
                    "for en andel på 50 %, med effektivt utvalg.",
        "cmp_text": "Forskjeller {b} minus {a}, harmonisert gjennom krysstabellen "
                    "(crosswalk) {xw}. p-verdier justert for multiple sammenligninger ({adj}).",
        "refused": "Ikke sammenlignbare, nye eller utgåtte spørsmål",
        "breaks": "Brudd i tidsserien: {items}.",
        "unweighted": "Dataene er ikke vektet (åpen lenke uten utvalgsramme): tallene "
                      "beskriver dem som svarte.",
        "raked": "raket", "poststratified": "poststratifisert",
    },
    "en": {
        "appendix": "Statistical appendix", "methods": "Methods", "data": "Data and instruments",
        "exclusions": "Excluded responses", "rates": "Response rates (AAPOR)",
        "weighting": "Weighting", "moe": "Margins of error", "derived": "Derived variables",
        "codebook": "Codebook", "frequencies": "Frequency tables", "means": "Means",
        "indices": "Indices", "comparison": "Comparison", "wave": "Wave",
        "overall": "all", "by": "by", "participation": "Participation", "charts": "Charts",
        "excl_text": "Responses were excluded by these rules (each row counted once, under "
                     "the first rule that named it).",
        "rates_text": "Outcome rates by the AAPOR Standard Definitions, from the disposition "
                      "counts in {file}; e = estimated share eligible among unknowns.",
        "weight_text": "Weights were {method} to population counts (Statistics Norway table "
                       "07459) on the margins {margins}{trim}. The table shows the target "
                       "and the achieved weighted total of every category.",
        "trim_text": ", trimmed to at most {upper} times the mean weight and raked again",
        "deff_text": "Kish design effect of the weighting and effective sample size.",
        "moe_text": "Margin of error (half width of the {level}% confidence interval, "
                    "percentage points) of a 50% share, at the effective sample size.",
        "cmp_text": "Differences {b} minus {a}, harmonised through the crosswalk {xw}. "
                    "p-values adjusted for multiple comparisons ({adj}).",
        "refused": "Items not compared (not comparable, new or dropped)",
        "breaks": "Trend breaks: {items}.",
        "unweighted": "The data are unweighted (open link without a sampling frame): the "
                      "figures describe those who answered.",
        "raked": "raked", "poststratified": "post-stratified",
    },
}


def phrase(key: str, language: str, **fields: object) -> str:
    """Return a fixed phrase of the study appendix in ``language`` (``"nb"`` or ``"en"``)."""
    return _PHRASES[language][key].format(**fields)


def _opts(result: Any) -> dict[str, Any]:
    return {"suppress_below": result.study.spec.report.suppress_below}


def _methods(app: Appendix, result: Any) -> None:
    lang = result.study.spec.report.language
    sec = app.section(phrase("methods", lang))
    _data_section(sec.section(phrase("data", lang)), result)
    _exclusions(sec.section(phrase("exclusions", lang)), result, lang)
    if result.study.spec.dispositions:
        _rates(sec, result, lang)
    _weighting(sec.section(phrase("weighting", lang)), result, lang)
    if any(result.derivations.values()):
        rows = [{"wave": w, **{k: (", ".join(map(str, v)) if isinstance(v, list) else v)
                               for k, v in r.items()}}
                for w, recs in result.derivations.items() for r in recs]
        sec.section(phrase("derived", lang)).table(pd.DataFrame(rows), n_column=None,
                                                   **_opts(result))


def _data_section(sec: Section, result: Any) -> None:
    for wid, wave in result.waves.items():
        a = wave.responses.accounting
        facts = {"wave": wid, "instrument": wave.instrument.ref,
                 "fingerprint": wave.instrument.fingerprint,
                 "platform": wave.raw.metadata.source,
                 "file": wave.inputs["data"][0].name,
                 "sha256": wave.inputs["data"][1]}
        sec.definition_list(facts)
        sec.table(pd.DataFrame({"read": [a.read], "accepted": [a.accepted],
                                "excluded": [a.excluded]}), n_column=None,
                  caption=f"{wid}: {wave.instrument.ref}", **_opts(result))
    sec.definition_list({"surveykit": __version__})


def _exclusions(sec: Section, result: Any, lang: str) -> None:
    sec.text(phrase("excl_text", lang))
    parts = [exclusion_summary(w).assign(wave=wid) for wid, w in result.waves.items()]
    frame = pd.concat(parts, ignore_index=True)[["wave", "rule", "reason", "rows"]]
    sec.table(frame, n_column=None, **_opts(result))


def _rates(sec: Section, result: Any, lang: str) -> None:
    spec = result.study.spec
    root = result.data_root
    path = root / str(spec.dispositions)
    content = json.loads(path.read_text(encoding="utf-8"))
    classes = content.get("aapor_classes", {})
    cols: dict[str, Any] = {}
    for wave, counts in content.get("waves", {}).items():
        keyed = {classes[k]: v for k, v in counts.items() if k in classes}
        rates = aapor_rates(keyed)
        cols[wave] = rates["value"].to_numpy()
        cols.setdefault("_index", rates.index.tolist())
    if not cols:
        return
    index = cols.pop("_index")
    frame = pd.DataFrame({"rate": index, **cols})
    sub = sec.section(phrase("rates", lang))
    sub.text(phrase("rates_text", lang, file=Path(str(spec.dispositions)).name))
    sub.table(frame, n_column=None, percent=True, **_opts(result))


def _weighting(sec: Section, result: Any, lang: str) -> None:
    w = result.study.spec.weighting
    if w.method == "none":
        sec.text(phrase("unweighted", lang))
    else:
        margins = "; ".join(m.sample if isinstance(m.sample, str) else " × ".join(m.sample)
                            for m in w.margins)
        trim = phrase("trim_text", lang, upper=w.trim.upper) if w.trim and w.trim.upper else ""
        method = phrase("raked" if w.method == "rake" else "poststratified", lang)
        sec.text(phrase("weight_text", lang, method=method, margins=margins, trim=trim))
    rows, moe = [], []
    level = result.study.spec.analysis.confidence_level
    for wid, design in result.designs.items():
        d = weight_diagnostics(design)
        rows.append({"wave": wid, "n": d.n, "kish_deff": d.kish_deff,
                     "effective_n": d.effective_n, "weight_min": d.distribution["min"],
                     "weight_max": d.distribution["max"]})
        z = stats.norm.ppf(0.5 + level / 2)
        moe.append({"wave": wid, "n": d.n, "effective_n": d.effective_n,
                    "moe_50_percentage_points": 100 * z * np.sqrt(0.25 / d.effective_n)})
        if len(d.margins):
            m = d.margins[d.margins["step"] == d.margins["step"].max()]
            frame = m[["margin", "level", "target", "achieved_now"]].assign(
                level=m["level"].astype(str))
            sec.table(frame, n_column=None, caption=f"{wid}: {phrase('weighting', lang)}",
                      **_opts(result))
    sec.text(phrase("deff_text", lang))
    sec.table(pd.DataFrame(rows), n_column=None, **_opts(result))
    sub = sec.section(phrase("moe", lang))
    sub.text(phrase("moe_text", lang, level=round(100 * level)))
    sub.table(pd.DataFrame(moe), n_column=None, **_opts(result))


def _codebook(app: Appendix, result: Any) -> None:
    lang = result.study.spec.report.language
    sec = app.section(phrase("codebook", lang))
    seen = set()
    for wave in result.waves.values():
        inst = wave.instrument
        if inst.ref in seen:
            continue
        seen.add(inst.ref)
        book = inst.codebook(language=lang if lang in inst.language_codes else None)
        sec.section(inst.ref).table(book.astype(str), n_column=None, sheet_name=None,
                                    **_opts(result))


def _relabelled(block: Block) -> Any:
    """Item-mean tables carry ``<var>.num``; report them under the item's name."""
    labels = block.table.labels.copy()
    labels["variable"] = labels["variable"].astype(str).str.removesuffix(".num")
    return dataclasses.replace(block.table, labels=labels)


def _estimates(app: Appendix, result: Any) -> None:
    lang = result.study.spec.report.language
    opts = _opts(result)
    kinds = (("frequency", "frequencies"), ("multi", "frequencies"), ("mean", "means"),
             ("index", "indices"))
    for wid, wave in result.waves.items():
        sec = app.section(f"{phrase('wave', lang)} {wid}: {wave.instrument.ref}")
        inst = wave.instrument
        subs: dict[str, Section] = {}
        by_domain = result.study.spec.report.frequencies_by_domain
        charts = result.study.spec.report.charts
        for block in (b for b in result.estimates if b.wave == wid):
            if block.domain is not None and block.kind in ("frequency", "multi") \
                    and not by_domain:
                continue
            head = dict(kinds)[block.kind]
            sub = subs.get(head) or subs.setdefault(head, sec.section(phrase(head, lang)))
            table = _relabelled(block) if block.kind == "mean" else block.table
            percent = True if block.kind == "multi" else None
            sub.table(table, instrument=inst, percent=percent, **opts,
                      caption=_caption(block, inst, lang))
            if block.kind == "index" and block.domain is None and charts:
                _chart(sub, block, inst, lang, opts["suppress_below"])


def _chart(sec: Section, block: Block, inst: Any, lang: str, threshold: int) -> None:
    import matplotlib.pyplot as plt

    fig = plot(block.table, instrument=inst, language=lang, kind="dot",
               suppress_below=threshold)
    sec.figure(fig, caption=_caption(block, inst, lang) or block.key)
    plt.close(fig)


def _label(inst: Any, name: str, lang: str) -> str:
    """Question text of a variable, an index label or an item text; else the name."""
    for index in inst.indices:
        if index.id == name:
            return str(index.label.get(lang, name))
    if name in {v.var for v in inst.variables}:
        return str(inst.variable(name).text.get(lang, name))
    if name in {v.item.id for v in inst.variables}:
        return str(inst.item(name).text.get(lang, name))
    return name


def _caption(block: Block, inst: Any, lang: str) -> str | None:
    if block.kind == "frequency" and block.domain is None:
        return None
    name = (_label(inst, block.key, lang) if block.kind in ("frequency", "multi")
            else phrase("means" if block.kind == "mean" else "indices", lang))
    if block.domain is None:
        return f"{name} ({phrase('overall', lang)})"
    return f"{name} ({phrase('by', lang)} {_label(inst, block.domain, lang)})"


def _comparisons(app: Appendix, result: Any) -> None:
    if not result.comparisons:
        return
    lang = result.study.spec.report.language
    sec = app.section(phrase("comparison", lang))
    for c in result.study.spec.analysis.comparisons:
        cmp = result.comparisons[c.id]
        frame = cmp.to_frame()
        sub = sec.section(f"{c.waves[1]} – {c.waves[0]}")
        sub.text(phrase("cmp_text", lang, a=c.waves[0], b=c.waves[1],
                        xw=cmp.crosswalk or "-", adj=cmp.adjust))
        shown = frame[frame["comparable"].astype(bool)]
        newer = result.waves[c.waves[1]].instrument
        sub.table(shown, instrument=newer, n_column=None, **_opts(result))
        breaks = sorted(set(shown.loc[shown["flags"].astype(str).str.contains("trend_break"),
                                      "item"].astype(str)))
        if breaks:
            sub.text(phrase("breaks", lang, items=", ".join(breaks)))
        if result.study.spec.report.charts:
            import matplotlib.pyplot as plt

            fig = dumbbell_plot(cmp)
            sub.figure(fig, caption=f"{c.waves[0]} → {c.waves[1]}")
            plt.close(fig)
        refused = frame.loc[~frame["comparable"].astype(bool), ["item", "status", "note"]]
        if len(refused):
            sub.section(phrase("refused", lang)).table(refused.drop_duplicates(),
                                                       n_column=None, **_opts(result))


def build_appendix(result: Any) -> Appendix:
    """Assemble the study's appendix: methods, codebook, estimates, comparisons, participation."""
    spec = result.study.spec
    lang = spec.report.language
    title = spec.title.get(lang) or next(iter(spec.title.values()))
    app = Appendix(title=title, language=lang, subtitle=phrase("appendix", lang),
                   metadata={"surveykit": __version__, "study": spec.id})
    _methods(app, result)
    if result.participation is not None:
        from surveykit.participation import add_participation_section

        add_participation_section(app, result.participation,
                                  suppress_below=spec.report.suppress_below)
    _estimates(app, result)
    _comparisons(app, result)
    _codebook(app, result)
    return app
