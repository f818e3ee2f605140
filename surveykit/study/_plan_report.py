"""The planning section of an appendix (nb/en), its power-curve chart and the plan's outputs.

Tables: the baseline inputs with their sources, the net sample and invitations per stratum
under each allocation, each target's margin per stratum, and the power of each allocation to
detect each target's change; a chart of power against the net sample per wave. Only planning
numbers appear (population counts, planned sizes, margins, power): no respondent data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._spreadsheet import csv_frame
from surveykit._writing import write_atomic
from surveykit.reporting import Appendix, Section, format_number
from surveykit.study._plan import PlanResult

__all__ = ["add_plan_section", "power_chart", "write_plan_outputs"]

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Planlegging av neste runde",
        "intro": ("Planen for runde {next} bygger på runde {base}: designeffekter, "
                  "variasjon og svarprosent er hentet fra den, og hver inngangsverdi vises med "
                  "kilde. Netto utvalg: {n} intervjuer, fordelt på {k} kommuner på {a} måter. "
                  "Testen av endring er tosidig med signifikansnivå {alpha} ({adj}); "
                  "ønsket styrke er {power} %."),
        "assume": ("Forutsetninger: begge runder har samme netto utvalg og designeffekt; "
                   "designeffekten for en endring er spørsmålets designeffekt i runde {base} "
                   "ganget med Kish-designeffekten av fordelingen (1 ved proporsjonal "
                   "fordeling); i hver kommune brukes Kish-designeffekten av vektene i runde "
                   "{base}. Feilmarginer er halve bredden av et {level} % konfidensintervall, "
                   "med endelighetskorreksjon."),
        "recommend": ("Anbefalt fordeling: {alloc}. Blant fordelingene som oppdager alle "
                      "endringene med minst {power} % styrke, gir den den minste største "
                      "feilmarginen i en kommune ({target})."),
        "none": ("Ingen av fordelingene oppdager alle endringene med {power} % styrke med "
                 "{n} intervjuer; tabellen viser hvor mange intervjuer som trengs."),
        "inputs_caption": "Inngangsverdier fra runde {base} (hele regionen), med kilde",
        "strata_caption": "Inngangsverdier fra runde {base} per kommune",
        "n_caption": "Netto utvalg per kommune etter fordeling",
        "gross_caption": "Invitasjoner (bruttoutvalg) per kommune etter fordeling",
        "margin_caption": "Feilmargin per kommune etter fordeling: {target}",
        "power_caption": "Styrke til å oppdage endringen, per fordeling",
        "muni_power_caption": "Styrke (%) til å oppdage en endring på {change} per kommune: "
                              "{target}",
        "muni_power_note": ("I hver kommune: kommunens netto utvalg i begge runder, "
                            "kommunens nivå og Kish-designeffekt i runde {base} (hele regionen: "
                            "designeffekten i tabellen under)."),
        "chart_caption": "Styrke mot netto utvalg per runde ({alloc})",
        "gross_note": "Bruttoutvalg = netto utvalg / forventet svarprosent, rundet opp.",
        "pp_note": "Andeler og feilmarginer for andeler i prosentpoeng.",
        "pp": "prosentpoeng",
        "mde_note": ("MDE: minste endring som oppdages med ønsket styrke med planlagt netto "
                     "utvalg (økning fra nivået i runde {base})."),
        "input": "Inngangsverdi", "value": "Verdi", "source": "Kilde", "municipality": "Kommune",
        "all": "Hele regionen", "target": "Mål", "change": "Endring", "deff": "Designeffekt",
        "power": "Styrke (%)", "n_needed": "Netto n som trengs", "mde": "MDE",
        "detects": "Oppdager", "yes": "ja", "no": "nei", "allocation": "Fordeling",
        "population": "Befolkning", "n": "n", "kish_deff": "Kish-designeffekt",
        "response_rate": "Svarprosent", "estimate": "Estimat", "sd": "Standardavvik",
        "item_deff": "Designeffekt (spørsmål)", "net_n": "Netto n per runde",
        "target_power": "Ønsket styrke",
    },
    "en": {
        "title": "Planning the next wave",
        "intro": ("The plan for wave {next} builds on wave {base}: design effects, variation "
                  "and response rate come from it, and every input is shown with its source. "
                  "Net sample: {n} interviews across {k} municipalities, allocated in {a} "
                  "ways. The test of a change is two-sided at level {alpha} ({adj}); the "
                  "power sought is {power} %."),
        "assume": ("Assumptions: both waves have the same net sample and design effect; the "
                   "design effect of a change is the item's design effect in wave {base} "
                   "times the Kish design effect of the allocation (1 under proportional "
                   "allocation); within a municipality the Kish design effect of the wave "
                   "{base} weights there is used. Margins are half-widths of {level} % "
                   "confidence intervals, with the finite population correction."),
        "recommend": ("Recommended allocation: {alloc}. Of the allocations that detect every "
                      "change with at least {power} % power, it gives the smallest largest "
                      "municipal margin ({target})."),
        "none": ("No allocation detects every change with {power} % power with {n} "
                 "interviews; the table shows the interviews needed."),
        "inputs_caption": "Inputs from wave {base} (whole region), with their sources",
        "strata_caption": "Inputs from wave {base} per municipality",
        "n_caption": "Net sample per municipality by allocation",
        "gross_caption": "Invitations (gross sample) per municipality by allocation",
        "margin_caption": "Margin of error per municipality by allocation: {target}",
        "power_caption": "Power to detect the change, by allocation",
        "muni_power_caption": "Power (%) to detect a change of {change} per municipality: "
                              "{target}",
        "muni_power_note": ("In each municipality: its net sample in both waves, its level and "
                            "Kish design effect in wave {base} (whole region: the design effect "
                            "in the table below)."),
        "chart_caption": "Power against the net sample per wave ({alloc})",
        "gross_note": "Gross sample = net sample / expected response rate, rounded up.",
        "pp_note": "Shares and margins of shares in percentage points.",
        "pp": "percentage points",
        "mde_note": ("MDE: the smallest change detected with the power sought at the planned "
                     "net sample (an increase from the wave {base} level)."),
        "input": "Input", "value": "Value", "source": "Source", "municipality": "Municipality",
        "all": "Whole region", "target": "Target", "change": "Change", "deff": "Design effect",
        "power": "Power (%)", "n_needed": "Net n needed", "mde": "MDE",
        "detects": "Detects", "yes": "yes", "no": "no", "allocation": "Allocation",
        "population": "Population", "n": "n", "kish_deff": "Kish design effect",
        "response_rate": "Response rate", "estimate": "Estimate", "sd": "Standard deviation",
        "item_deff": "Design effect (item)", "net_n": "Net n per wave",
        "target_power": "Power sought",
    },
}


METHOD_NAMES = {
    "nb": {"proportional": "proporsjonal", "equal": "lik", "neyman": "Neyman",
           "bankier": "Bankier", "minimum": "minimum"},
    "en": {"proportional": "proportional", "equal": "equal", "neyman": "Neyman",
           "bankier": "Bankier", "minimum": "minimum"},
}


def allocation_label(name: str, lang: str) -> str:
    """Return an allocation's name in ``lang`` (``"bankier q=0.5"`` -> ``"Bankier q=0,5"``).

    Examples
    --------
    >>> allocation_label("bankier q=0.5", "nb"), allocation_label("minimum 200", "en")
    ('Bankier q=0,5', 'minimum 200')

    """
    method, _, rest = name.partition(" ")
    shown = METHOD_NAMES[lang].get(method, method) + (f" {rest}" if rest else "")
    return shown.replace(".", ",") if lang == "nb" else shown


def _label(result: PlanResult, target_id: str, lang: str) -> str:
    t = next(t for t in result.plan.targets if t.id == target_id)
    return (t.label or {}).get(lang, t.id)


def _is_share(result: PlanResult, target_id: str) -> bool:
    return next(t for t in result.plan.targets if t.id == target_id).share is not None


def _scale(result: PlanResult, target_id: str) -> float:
    return 100.0 if _is_share(result, target_id) else 1.0


def _wide(result: PlanResult, column: str, lang: str, scale: float = 1.0) -> pd.DataFrame:
    t = TEXT[lang]
    a = result.allocations.assign(
        label=result.allocations["label"].replace("", t["all"]),
        allocation=[allocation_label(x, lang) for x in result.allocations["allocation"]])
    wide = a.pivot(index="label", columns="allocation", values=column)
    wide = wide.loc[list(dict.fromkeys(a["label"])), list(dict.fromkeys(a["allocation"]))]
    wide = wide.astype(float) * scale
    return wide.reset_index().rename(columns={"label": t["municipality"]}).rename_axis(
        columns=None)


def _inputs(sec: Section, result: PlanResult, lang: str) -> None:
    t = TEXT[lang]
    base = result.plan.baseline
    rows = result.inputs.inputs
    overall = rows[rows["domain"].astype(str) == "(all)"]
    names = {tg_key: _label(result, tg.id, lang) for tg in result.plan.targets
             for tg_key in [tg.mean or tg.id]}
    shown = pd.DataFrame({
        t["input"]: [t.get(i, i) + (f": {names.get(k, k)}" if k else "")
                     for i, k in zip(overall["input"], overall["item"], strict=True)],
        t["value"]: [format_number(v, 0 if i == "n" else 3, lang)
                     for i, v in zip(overall["input"], overall["value"], strict=True)],
        t["source"]: overall["source"].to_numpy(),
    })
    sec.table(shown, caption=t["inputs_caption"].format(base=base), n_column=None)
    strata = result.strata.rename(columns={"label": t["municipality"],
                                           "population": t["population"],
                                           "kish_deff": t["kish_deff"],
                                           "response_rate": t["response_rate"]})
    strata[t["response_rate"]] = strata[t["response_rate"]] * 100
    sec.table(strata.drop(columns="stratum"), caption=t["strata_caption"].format(base=base),
              n_column=None, digits={t["population"]: 0, t["kish_deff"]: 3,
                                     t["response_rate"]: 1})


def _power_table(sec: Section, result: PlanResult, lang: str) -> None:
    t = TEXT[lang]
    pw = result.power
    frame = pd.DataFrame({
        t["allocation"]: [allocation_label(x, lang) for x in pw["allocation"]],
        t["target"]: [f"{_label(result, x, lang)}, Δ = {_change(result, x, lang)}"
                      for x in pw["target"]],
        t["deff"]: pw["deff"],
        t["power"]: pw["power"] * 100,
        t["n_needed"]: pw["n_needed"],
        t["mde"]: [m * _scale(result, x) for m, x in zip(pw["mde"], pw["target"], strict=True)],
        t["detects"]: np.where(pw["detects"], t["yes"], t["no"]),
    })
    sec.table(frame, caption=t["power_caption"], n_column=None,
              notes=[t["pp_note"], t["mde_note"].format(base=result.plan.baseline)],
              digits={t["deff"]: 2, t["power"]: 1, t["n_needed"]: 0, t["mde"]: 2})


def _change(result: PlanResult, target_id: str, lang: str) -> str:
    tg = next(x for x in result.plan.targets if x.id == target_id)
    if _is_share(result, target_id):
        return f"{format_number(tg.change * 100, 1, lang)} {TEXT[lang]['pp']}"
    return format_number(tg.change, 2, lang)


def power_chart(result: PlanResult, *, language: str = "en") -> Any:
    """Draw power against the net sample per wave, one panel per target.

    Every allocation is a line; the dashed lines mark the power sought and the planned n.
    """
    from matplotlib.figure import Figure

    t = TEXT[language]
    targets = [tg.id for tg in result.plan.targets]
    fig = Figure(figsize=(4.2 * len(targets), 3.4), layout="constrained")
    axes = fig.subplots(1, len(targets), squeeze=False)[0]
    for ax, target in zip(axes, targets, strict=True):
        block = result.curves[result.curves["target"] == target]
        for name, line in block.groupby("allocation", sort=False):
            ax.plot(line["n"], line["power"] * 100, label=allocation_label(str(name), language),
                    linewidth=1.6)
        ax.axhline(result.plan.power * 100, color="0.4", linestyle="--", linewidth=0.9)
        ax.axvline(result.plan.net_n, color="0.4", linestyle=":", linewidth=0.9)
        ax.set_title(f"{_label(result, target, language)}\nΔ = {_change(result, target, language)}",
                     fontsize=9)
        ax.set_xlabel(t["net_n"], fontsize=8)
        ax.set_ylabel(t["power"], fontsize=8)
        ax.set_ylim(0, 100)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="lower right")
    return fig


def add_plan_section(app: Appendix, result: PlanResult, *, language: str | None = None,
                     level: int = 1) -> Section:
    """Add the planning section (texts, tables, power-curve chart) to ``app``.

    Parameters
    ----------
    app : surveykit.reporting.Appendix
        The appendix to extend.
    result : PlanResult
        From :func:`surveykit.study.compute_plan` or :func:`surveykit.study.run_plan`.
    language : {"nb", "en"}, optional
        Default the appendix language.
    level : int
        Heading level of the section.

    Returns
    -------
    Section

    """
    lang = language or app.language
    t = TEXT[lang]
    p = result.plan
    sec = app.section(t["title"], level=level)
    from surveykit.planning import describe_adjustment

    pct = format_number(p.power * 100, 0, lang)
    sec.text(t["intro"].format(next=p.next_wave, base=p.baseline, n=p.net_n,
                               k=len(result.strata), a=len(p.allocations),
                               alpha=format_number(p.alpha, 2, lang),
                               adj=describe_adjustment(p.alpha, p.comparisons, p.adjustment,
                                                       p.expected_rejections, language=lang),
                               power=pct))
    sec.text(t["assume"].format(base=p.baseline, level=format_number(p.level * 100, 0, lang)))
    first = _label(result, p.targets[0].id, lang)
    rec = allocation_label(result.recommended, lang) if result.recommended else ""
    sec.text(t["recommend"].format(alloc=rec, power=pct, target=first)
             if result.recommended else t["none"].format(power=pct, n=p.net_n))
    _inputs(sec, result, lang)
    sec.table(_wide(result, "n", lang), caption=t["n_caption"], n_column=None, digits=0)
    for target in p.targets:
        sec.table(_wide(result, f"margin_{target.id}", lang, _scale(result, target.id)),
                  caption=t["margin_caption"].format(target=_label(result, target.id, lang)),
                  n_column=None, digits=2 if not _is_share(result, target.id) else 1,
                  notes=[t["pp_note"]] if _is_share(result, target.id) else [])
    for target in p.targets:
        sec.table(_wide(result, f"power_{target.id}", lang, 100.0),
                  caption=t["muni_power_caption"].format(
                      target=_label(result, target.id, lang),
                      change=_change(result, target.id, lang)),
                  n_column=None, digits=1,
                  notes=[t["muni_power_note"].format(base=p.baseline)])
    _power_table(sec, result, lang)
    alloc = ", ".join(allocation_label(a, lang)
                      for a in dict.fromkeys(result.allocations["allocation"]))
    sec.figure(power_chart(result, language=lang), caption=t["chart_caption"].format(
        alloc=alloc))
    if result.allocations["gross"].notna().any():
        sec.table(_wide(result, "gross", lang), caption=t["gross_caption"], n_column=None,
                  digits=0, notes=[t["gross_note"]])
    return sec


def write_plan_outputs(result: PlanResult, out: Path, *, title: str,
                       outputs: tuple[str, ...] = ("html", "docx", "xlsx")) -> list[Path]:
    """Write ``tables/plan_*.csv`` and the planning appendix in ``outputs``; return the paths."""
    lang = result.plan.report.language
    files = []
    tables = {"plan_inputs": result.inputs.inputs, "plan_strata": result.strata,
              "plan_allocations": result.allocations, "plan_power": result.power,
              "plan_curves": result.curves}
    (out / "tables").mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        path = out / "tables" / f"{name}.csv"
        write_atomic(path, csv_frame(frame).to_csv(index=False, lineterminator="\n"))
        files.append(path)
    app = Appendix(title=title, language=lang)
    add_plan_section(app, result, language=lang)
    for fmt in outputs:
        path = out / f"plan.{fmt}"
        getattr(app, f"to_{fmt}")(path)
        files.append(path)
    return files
