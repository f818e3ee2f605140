"""Run a plan file: baseline inputs, allocations, margins per stratum, power per allocation.

:func:`compute_plan` does the arithmetic from a weighted baseline design (pure, testable);
:func:`run_plan` reads the plan file, weights the baseline wave through its study file, takes
the strata's populations from the study's weighting table and the dispositions from the study,
and writes the tables and the appendix.

Assumptions stated in the appendix: both waves have the planned net n and the same design
effect; the design effect of a change estimate is the baseline's item design effect times the
Kish design effect of the planned allocation (relative to proportional allocation); within a
stratum the design effect is the baseline's Kish design effect of the weights there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit import planning as plan
from surveykit._display import object_html
from surveykit.errors import StudyError
from surveykit.study._plan_model import AllocationSpec, PlanFile, TargetSpec

__all__ = ["PlanResult", "compute_plan", "item_key"]

WAVE = {"nb": "runde", "en": "wave"}


@dataclass(frozen=True)
class PlanResult:
    """What a plan computed.

    Attributes
    ----------
    plan : PlanFile
        The plan file.
    inputs : surveykit.planning.BaselineInputs
        Baseline inputs per stratum with their sources.
    strata : pandas.DataFrame
        ``stratum``, ``label``, ``population``, ``kish_deff``, ``response_rate``.
    allocations : pandas.DataFrame
        Per allocation and stratum: ``allocation``, ``stratum``, ``label``, ``population``,
        ``n``, ``share``, ``gross`` and ``margin_<target>`` per target (``stratum`` is
        ``"(all)"`` in the row of the whole region).
    power : pandas.DataFrame
        Per allocation and target: ``allocation``, ``target``, ``change``, ``p1`` or ``sd``,
        ``deff``, ``power``, ``n_needed``, ``mde``, ``detects``.
    curves : pandas.DataFrame
        ``allocation``, ``target``, ``n``, ``power``: the power curves.
    recommended : str or None
        The allocation recommended (see :func:`compute_plan`).
    files : list of pathlib.Path
        Files written (by :func:`run_plan`).

    """

    plan: PlanFile
    inputs: Any
    strata: pd.DataFrame
    allocations: pd.DataFrame
    power: pd.DataFrame
    curves: pd.DataFrame
    recommended: str | None
    files: list[Path] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`allocations` (per allocation and stratum)."""
        return self.allocations.copy()

    def summary(self) -> pd.DataFrame:
        """Return a copy of :attr:`power` (per allocation and target), what the display shows."""
        return self.power.copy()

    def __repr__(self) -> str:
        names = list(dict.fromkeys(self.allocations["allocation"]))
        return (f"<PlanResult {self.plan.id}: {len(names)} allocations, "
                f"{self.power['target'].nunique()} targets, recommended {self.recommended}>")

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("power per allocation and target", self.summary()),
                           ("allocations", self.allocations))


def item_key(target: TargetSpec) -> str:
    """Return the item name of a target in the baseline inputs (the column of a mean)."""
    return target.mean if target.mean is not None else target.id


def allocation_name(spec: AllocationSpec) -> str:
    """Return a short name of an allocation, e.g. ``"bankier q=0.5"`` or ``"minimum 200"``."""
    if spec.method == "bankier":
        return f"bankier q={spec.power_q:g}"
    if spec.method == "minimum":
        return f"minimum {spec.minimum}"
    return spec.method


Lookup = dict[tuple[str, str, str], float]


def _lookup(inputs: Any) -> Lookup:
    """Index the baseline inputs by (input, stratum, item)."""
    rows = inputs.inputs
    return {(i, str(d), k): float(v) for i, d, k, v in zip(
        rows["input"], rows["domain"], rows["item"], rows["value"], strict=True)}


def _value(inputs: Lookup, name: str, stratum: Any, item: str = "") -> float:
    return inputs.get((name, str(stratum), item), float("nan"))


def _strata(inputs: Lookup, population: pd.Series, labels: dict[str, str]) -> pd.DataFrame:
    rows = []
    overall_rate = _value(inputs, "response_rate", "(all)")
    overall_kish = _value(inputs, "kish_deff", "(all)")
    for code, size in population.items():
        kish = _value(inputs, "kish_deff", code)
        rate = _value(inputs, "response_rate", code)
        rows.append({"stratum": str(code), "label": labels.get(str(code), str(code)),
                     "population": float(size),
                     "kish_deff": kish if np.isfinite(kish) else overall_kish,
                     "response_rate": rate if np.isfinite(rate) else overall_rate})
    return pd.DataFrame(rows)


def _sd(inputs: Lookup, target: TargetSpec, stratum: Any) -> float:
    sd = _value(inputs, "sd", stratum, item_key(target))
    return sd if np.isfinite(sd) and sd > 0 else _value(inputs, "sd", "(all)", item_key(target))


def _frame(strata: pd.DataFrame, inputs: Lookup, target: TargetSpec) -> pd.DataFrame:
    return pd.DataFrame({
        "stratum": strata["stratum"], "population": strata["population"],
        "sd": [_sd(inputs, target, s) for s in strata["stratum"]],
        "deff": strata["kish_deff"],
    })


def _allocate(spec: AllocationSpec, strata: pd.DataFrame, inputs: Lookup, p: PlanFile,
              by_id: dict[str, TargetSpec]) -> pd.DataFrame:
    driver = by_id[spec.target] if spec.target else p.targets[0]
    chosen = plan.allocate(_frame(strata, inputs, driver), p.net_n, method=spec.method,
                           minimum=spec.minimum, power_q=spec.power_q, level=p.level)
    sizes = dict(zip(chosen.table["stratum"], chosen.table["n"], strict=True))
    rates = dict(zip(strata["stratum"], strata["response_rate"], strict=True))
    gross = (plan.gross_sample(sizes, rates) if all(np.isfinite(list(rates.values())))
             else dict.fromkeys(sizes, np.nan))
    out = pd.DataFrame({
        "allocation": allocation_name(spec), "stratum": strata["stratum"],
        "label": strata["label"], "population": strata["population"],
        "n": chosen.table["n"].to_numpy(), "share": chosen.table["share"].to_numpy(),
        "gross": [gross[s] for s in strata["stratum"]],
    })
    total = {"allocation": allocation_name(spec), "stratum": "(all)", "label": "",
             "population": strata["population"].sum(), "n": p.net_n, "share": 1.0,
             "gross": float(np.nansum(out["gross"])) if np.isfinite(out["gross"]).all()
             else np.nan, "kish_deff": chosen.deff}
    for t in p.targets:
        given = plan.allocation_of(_frame(strata, inputs, t), sizes, level=p.level)
        out[f"margin_{t.id}"] = given.table["margin"].to_numpy()
        total[f"margin_{t.id}"] = given.margin
        out[f"power_{t.id}"] = [
            plan.power_for_change(sizes[s], t.change, **_change_args(p, inputs, t, k, s))
            for s, k in zip(strata["stratum"], strata["kish_deff"], strict=True)]
        item_deff = _value(inputs, "deff", "(all)", item_key(t))
        total[f"power_{t.id}"] = plan.power_for_change(
            p.net_n, t.change, **_change_args(p, inputs, t, item_deff * chosen.deff))
    out["kish_deff"] = np.nan
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def _change_args(p: PlanFile, inputs: Lookup, t: TargetSpec, deff: float,
                 stratum: str = "(all)") -> dict[str, Any]:
    """Arguments of the change formulas: the baseline's level in ``stratum`` (else overall)."""
    args: dict[str, Any] = {
        "alpha": p.alpha, "deff": deff, "overlap": p.overlap, "correlation": p.correlation,
        "comparisons": p.comparisons, "adjustment": p.adjustment,
        "expected_rejections": p.expected_rejections,
    }
    if t.share is not None:
        p1 = _value(inputs, "estimate", stratum, item_key(t))
        usable = 0 < p1 < 1 and 0 < p1 + t.change < 1
        args["p1"] = p1 if usable else _value(inputs, "estimate", "(all)", item_key(t))
    else:
        sd = _value(inputs, "sd", stratum, item_key(t))
        args["sd"] = sd if sd > 0 else _value(inputs, "sd", "(all)", item_key(t))
    return args


def _power(p: PlanFile, inputs: Lookup, allocations: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                          pd.DataFrame]:
    rows, curves = [], []
    grid = np.unique(np.linspace(100, 2.5 * p.net_n, 60).round().astype(int))
    for name, block in allocations.groupby("allocation", sort=False):
        kish = float(block.loc[block["stratum"] == "(all)", "kish_deff"].iloc[0])
        for t in p.targets:
            item_deff = _value(inputs, "deff", "(all)", item_key(t))
            args = _change_args(p, inputs, t, item_deff * kish)
            rows.append({
                "allocation": name, "target": t.id, "change": t.change,
                "p1": args.get("p1", np.nan), "sd": args.get("sd", np.nan),
                "item_deff": item_deff, "allocation_deff": kish, "deff": item_deff * kish,
                "power": plan.power_for_change(p.net_n, t.change, **args),
                "n_needed": plan.n_for_change(t.change, power=p.power, **args),
                "mde": plan.mde(p.net_n, power=p.power, **args),
            })
            curves += [{"allocation": name, "target": t.id, "n": int(n),
                        "power": plan.power_for_change(int(n), t.change, **args)} for n in grid]
    table = pd.DataFrame(rows)
    table["detects"] = table["power"] >= p.power
    return table, pd.DataFrame(curves)


def _recommend(power: pd.DataFrame, allocations: pd.DataFrame, first: str) -> str | None:
    """Among allocations that detect every target, the smallest largest stratum margin."""
    ok = power.groupby("allocation", sort=False)["detects"].all()
    good = [a for a, v in ok.items() if v]
    if not good:
        return None
    body = allocations[allocations["stratum"] != "(all)"]
    worst = body.groupby("allocation", sort=False)[f"margin_{first}"].max().to_dict()
    return str(min(good, key=lambda a: (worst[a], good.index(a))))


def compute_plan(p: PlanFile, design: Any, population: pd.Series, *,
                 dispositions: dict[str, Any] | None = None,
                 labels: dict[str, str] | None = None) -> PlanResult:
    """Compute a plan from the weighted baseline design.

    Parameters
    ----------
    p : PlanFile
        The plan.
    design : SurveyDesign or ReplicateDesign
        The weighted baseline wave.
    population : pandas.Series
        Population of each stratum (indexed by the stratum codes of ``p.domain``).
    dispositions : dict, optional
        AAPOR counts (``I``, ``P``, ...) of the baseline, or per stratum.
    labels : dict, optional
        Stratum code -> name shown in the tables.

    Returns
    -------
    PlanResult
        The recommended allocation is, among those whose power reaches ``p.power`` for every
        target, the one with the smallest largest stratum margin of the first target.

    """
    shares = {t.id: (t.share.column, t.share.codes) for t in p.targets if t.share is not None}
    means = [t.mean for t in p.targets if t.mean is not None]
    counts = dispositions if p.response_rate.value is None else None
    try:
        inputs = plan.from_baseline(design, domain=p.domain, means=means, shares=shares,
                                    dispositions=counts, rate=p.response_rate.rate,
                                    label=f"{WAVE[p.report.language]} {p.baseline}",
                                    language=p.report.language)
    except (KeyError, ValueError) as exc:
        raise StudyError(f"plan {p.id}: baseline inputs: {exc}") from exc
    values = _lookup(inputs)
    strata = _strata(values, population, labels or {})
    if p.response_rate.value is not None:
        strata["response_rate"] = p.response_rate.value
    by_id = {t.id: t for t in p.targets}
    try:
        allocations = pd.concat([_allocate(a, strata, values, p, by_id)
                                 for a in p.allocations], ignore_index=True)
        power, curves = _power(p, values, allocations)
    except ValueError as exc:
        raise StudyError(f"plan {p.id}: {exc}") from exc
    return PlanResult(p, inputs, strata, allocations, power, curves,
                      _recommend(power, allocations, p.targets[0].id))


def read_dispositions(path: Path, wave: str) -> dict[str, Any] | None:
    """Return the AAPOR counts of ``wave`` from a study's ``dispositions.json`` (or None).

    Vendor keys are mapped to the AAPOR classes by the file's ``aapor_classes``; a wave given
    per stratum (``{"by": {stratum: counts}}``) gives counts per stratum.
    """
    if not path.is_file():
        return None
    content = json.loads(path.read_text(encoding="utf-8"))
    classes = content.get("aapor_classes", {})
    counts = content.get("waves", {}).get(wave)
    if counts is None:
        return None

    def keyed(c: dict[str, Any]) -> dict[str, Any]:
        return {classes.get(k, k): v for k, v in c.items() if k in classes or k in classes.values()}

    if "by" in counts:
        return {str(s): keyed(c) for s, c in counts["by"].items()}
    return keyed(counts)
