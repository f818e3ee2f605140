"""The methods section of a study appendix: data, exclusions, response rates, weighting.

Every table is a frame of numbers with identifier column names, handed to ``sk.report``
with ``headers=True`` (headers in the report language) and a caption; reporting alone
formats the numbers (numbers become strings only in reporting).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
import pandas as pd

from surveykit._distributions import norm_ppf
from surveykit._version import __version__
from surveykit.reporting import (
    Appendix,
    Labeller,
    Section,
    VariableLabels,
    aapor_rates,
    column_header,
    format_number,
    table,
    weighting_tables,
)
from surveykit.study._ingest import exclusion_summary
from surveykit.study._phrases import phrase, rule_name, rule_text
from surveykit.weighting import weight_diagnostics

__all__ = ["derived_labels", "facts", "instrument_name", "methods_section"]


def facts(items: dict[str, object], language: str) -> dict[str, object]:
    """Key/value facts with their keys in ``language`` (``wave`` -> ``Bølge``)."""
    return {column_header(k, language): v for k, v in items.items()}


def derived_labels(result: Any, language: str) -> dict[str, VariableLabels]:
    """Labels of the study's derived variables in ``language``.

    The variable label is the derivation's ``label``; for a code map each target is labelled
    with the source item's label of its code (``male`` <- code 1 -> "Mann").
    """
    inst = next(iter(result.waves.values())).instrument
    out: dict[str, VariableLabels] = {}
    for d in result.study.spec.derive:
        text = d.label.get(language, d.name) if d.label else d.name
        values: dict[str, str] = {}
        if d.map:
            try:
                choices = inst.variable(d.source).choices
            except ValueError:
                choices = None
            for code, target in d.map.items():
                label = choices.label(int(code) if code.isdigit() else code, language) \
                    if choices is not None else None
                values.setdefault(str(target), str(label) if label is not None else target)
        out[d.name] = VariableLabels(str(text), values)
    return out


def _plain(result: Any) -> dict[str, Any]:
    """Options of a plain methods frame: headers in the report language, no suppression."""
    return {"suppress_below": result.study.spec.report.suppress_below, "n_column": None,
            "headers": True}


def methods_section(app: Appendix, result: Any) -> None:
    """Add the methods section (data, exclusions, rates, weighting, derived variables)."""
    lang = result.study.spec.report.language
    sec = app.section(phrase("methods", lang))
    _data_section(sec.section(phrase("data", lang)), result, lang)
    _exclusions(sec.section(phrase("exclusions", lang)), result, lang)
    if result.study.spec.dispositions:
        _rates(sec, result, lang)
    _weighting(sec.section(phrase("weighting", lang)), result, lang)
    if any(result.derivations.values()):
        _derived(sec.section(phrase("derived", lang)), result, lang)


def instrument_name(inst: Any, language: str) -> str:
    """Name the instrument in words: title and version (``reputation@1.0.0`` is for code).

    Examples
    --------
    >>> import surveykit as sk
    >>> instrument_name(sk.load_instrument("reputation", version="1.0.0"), "nb")
    'Omdømmeundersøkelse blant unge voksne i Hamarregionen, versjon 1.0.0'

    """
    title = inst.title.get(language) or next(iter(inst.title.values()))
    return phrase("version", language, title=title, version=inst.version)


def _derived(sec: Section, result: Any, lang: str) -> None:
    """Show derived variables by their labels; ids, method and classes stay in Excel."""
    labels = derived_labels(result, lang)
    inst = next(iter(result.waves.values())).instrument
    lab = Labeller(inst, lang, labels)
    ids = [{"wave": w, "variable": r["name"], "derived_from": r["from"],
            "missing": r["missing"], "imputed": r["imputed"],
            "method": r.get("method", ""),
            "imputation_classes": ", ".join(map(str, r.get("by", []))),
            "seed": r.get("seed", np.nan)}
           for w, recs in result.derivations.items() for r in recs]
    frame = pd.DataFrame(ids)
    words = frame.assign(
        variable=[lab.variable(v) for v in frame["variable"]],
        derived_from=[lab.variable(v) for v in frame["derived_from"]],
        method=[phrase("hot_deck", lang, by=", ".join(lab.variable(b).lower() for b in
                                                      r.get("by", [])))
                if r.get("method") == "hot_deck" else str(r.get("method", "") or "")
                for recs in result.derivations.values() for r in recs]).drop(
        columns="imputation_classes")
    shown = table(words, language=lang, caption=phrase("cap_derived", lang), **_plain(result))
    sec.table(dataclasses.replace(shown, numeric=frame.rename(
        columns=lambda c: column_header(str(c), lang))))


def _data_section(sec: Section, result: Any, lang: str) -> None:
    for wid, wave in result.waves.items():
        a = wave.responses.accounting
        info: dict[str, object] = {"wave": wid,
                                   "instrument": instrument_name(wave.instrument, lang),
                 "fingerprint": wave.instrument.fingerprint,
                 "platform": wave.raw.metadata.source,
                 "file": wave.inputs["data"][0].name,
                 "sha256": wave.inputs["data"][1]}
        sec.definition_list(facts(info, lang))
        sec.table(pd.DataFrame({"read": [a.read], "accepted": [a.accepted],
                                "excluded": [a.excluded]}),
                  caption=phrase("cap_accounting", lang, wave=wid),
                  **_plain(result))
    sec.definition_list(facts({"surveykit": __version__}, lang))


def _exclusions(sec: Section, result: Any, lang: str) -> None:
    parts = [exclusion_summary(w).assign(wave=wid) for wid, w in result.waves.items()]
    frame = pd.concat(parts, ignore_index=True)[["wave", "rule", "reason", "rows"]]
    if not len(frame):
        sec.text(phrase("no_exclusions", lang))
        return
    sec.text(phrase("excl_text", lang))
    inst = next(iter(result.waves.values())).instrument
    reasons = frame["reason"].astype(str).to_numpy()
    frame["reason"] = [rule_text(str(r), str(x), lang, inst)
                       for r, x in zip(frame["rule"], frame["reason"], strict=True)]
    ids = frame["rule"].astype(str).to_numpy()
    frame["rule"] = [rule_name(r, lang) for r in ids]
    shown = table(frame, language=lang, caption=phrase("cap_exclusions", lang), **_plain(result))
    # the Excel sheet (numeric frame) keeps the rule ids and expressions, the page says them
    # in words
    rule_col, reason_col = column_header("rule", lang), column_header("reason", lang)
    sec.table(dataclasses.replace(shown, numeric=shown.numeric.assign(
        **{rule_col: ids, reason_col: reasons})))


def _rates(sec: Section, result: Any, lang: str) -> None:
    spec = result.study.spec
    path = result.data_root / str(spec.dispositions)
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
    sub.text(phrase("rates_text", lang))
    sub.table(frame, percent=True, caption=phrase("cap_rates", lang), **_plain(result))


def _weighting(sec: Section, result: Any, lang: str) -> None:
    w = result.study.spec.weighting
    if w.method == "none":
        sec.text(phrase("unweighted", lang))
    else:
        inst = next(iter(result.waves.values())).instrument
        lab = Labeller(inst, lang, derived_labels(result, lang))
        margins = "; ".join(
            " × ".join(lab.variable(v) for v in ((m.sample,) if isinstance(m.sample, str)
                                                 else m.sample)) for m in w.margins)
        upper = w.trim.upper if w.trim and w.trim.upper else None
        trim = "" if upper is None else phrase(
            "trim_text", lang, upper=format_number(upper, 0 if float(upper).is_integer()
                                                   else 2, lang))
        method = phrase("raked" if w.method == "rake" else "poststratified", lang)
        sec.text(phrase("weight_text", lang, method=method, margins=margins, trim=trim))
    rows, moe = [], []
    level = result.study.spec.analysis.confidence_level
    labels = derived_labels(result, lang)
    for wid, design in result.designs.items():
        d = weight_diagnostics(design)
        rows.append({"wave": wid, "n": d.n, "kish_deff": d.kish_deff,
                     "effective_n": d.effective_n, "weight_min": d.distribution["min"],
                     "weight_max": d.distribution["max"]})
        z = norm_ppf(0.5 + level / 2)
        moe.append({"wave": wid, "n": d.n, "effective_n": d.effective_n,
                    "moe_50_percentage_points": 100 * z * np.sqrt(0.25 / d.effective_n)})
        if len(d.margins):
            _, table = weighting_tables(d, instrument=result.waves[wid].instrument,
                                        language=lang, labels=labels,
                                        caption=phrase("cap_margins", lang, wave=wid))
            sec.table(table)
    sec.text(phrase("deff_text", lang))
    sec.table(pd.DataFrame(rows), caption=phrase("cap_deff", lang), **_plain(result))
    sub = sec.section(phrase("moe", lang))
    sub.text(phrase("moe_text", lang, level=round(100 * level)))
    sub.table(pd.DataFrame(moe), caption=phrase("cap_moe", lang), **_plain(result))
