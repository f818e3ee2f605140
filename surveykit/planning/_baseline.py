"""Planning inputs taken from a baseline wave: design effects, item variances, response rates.

Each input is kept with its source, so that a plan can say where every number comes from:
the Kish design effect ``n sum(w**2) / (sum w)**2`` of the baseline's weights per domain
(``sk.weight_diagnostics``), the design effect and the unit standard deviation of each planned
item per domain (the weighted mean's ``deff``, as R's ``svymean(deff = TRUE)``, and the
weighted standard deviation, or ``sqrt(p (1 - p))`` of a share), and the expected response rate
(an AAPOR rate of the baseline's final dispositions, per domain when they are given per
domain).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveykit._aapor import aapor_rates
from surveykit._display import object_html
from surveykit._validate import check_option
from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.errors import ArgumentError, ColumnError
from surveykit.estimation import mean
from surveykit.weighting import weight_diagnostics

__all__ = ["BaselineInputs", "from_baseline"]

Design = SurveyDesign | ReplicateDesign
ALL = "(all)"

#: the sources' wording in each report language
SOURCES: dict[str, dict[str, str]] = {
    "en": {
        "n": "respondents of the {label}",
        "kish": "Kish 1 + CV² of the {label} weights (n = {n})",
        "estimate_share": "weighted share of {item} (n = {n})",
        "estimate_mean": "weighted mean of {item} (n = {n})",
        "sd_share": "sqrt(p (1 - p)) of the weighted share of {item} (n = {n})",
        "sd_mean": "weighted standard deviation of {item} (n = {n})",
        "deff_share": "design effect of the weighted share of {item}, var / var_srs "
                      "(svymean deff)",
        "deff_mean": "design effect of the weighted mean of {item}, var / var_srs "
                     "(svymean deff)",
        "item": "{column} in the {label}",
        "rate": "AAPOR {rate} ({formula}) of the {label} dispositions: {detail}",
    },
    "nb": {
        "n": "respondenter i {label}",
        "kish": "Kish 1 + CV² av vektene i {label} (n = {n})",
        "estimate_share": "vektet andel for {item} (n = {n})",
        "estimate_mean": "vektet gjennomsnitt av {item} (n = {n})",
        "sd_share": "kvadratroten av p (1 - p) for den vektede andelen for {item} (n = {n})",
        "sd_mean": "vektet standardavvik for {item} (n = {n})",
        "deff_share": "designeffekt for den vektede andelen for {item}, var / var_srs "
                      "(svymean deff)",
        "deff_mean": "designeffekt for det vektede gjennomsnittet av {item}, var / var_srs "
                     "(svymean deff)",
        "item": "{column} i {label}",
        "rate": "AAPOR {rate} ({formula}) av disposisjonskodene i {label}: {detail}",
    },
}


@dataclass(frozen=True)
class BaselineInputs:
    """Planning inputs of a baseline wave, per domain, each with its source.

    Attributes
    ----------
    inputs : pandas.DataFrame
        Long frame: ``domain`` (``"(all)"`` for the whole sample), ``input`` (``n``,
        ``kish_deff``, ``response_rate``, or ``deff``/``sd``/``estimate`` of an item),
        ``item`` (empty for the domain-wide inputs), ``value`` and ``source``.

    """

    inputs: pd.DataFrame

    def value(self, input: str, domain: Any = ALL, item: str = "") -> float:
        """Return one input's value.

        Examples
        --------
        >>> base = from_baseline(_example_design(), domain="area", means=["y"])
        >>> base.value("kish_deff")
        1.125

        """
        rows = self.inputs[(self.inputs["input"] == input) & (self.inputs["domain"] == domain)
                           & (self.inputs["item"] == item)]
        if rows.empty:
            raise ArgumentError(
                f"no baseline input {input!r} for domain {domain!r} and item {item!r}; the "
                f"inputs are {sorted(set(self.inputs['input']))} for domains "
                f"{list(dict.fromkeys(self.inputs['domain']))}."
            )
        return float(rows["value"].iloc[0])

    def table(self, item: str = "") -> pd.DataFrame:
        """Return one row per domain: n, Kish deff, response rate and ``item``'s inputs.

        Examples
        --------
        >>> base = from_baseline(_example_design(), domain="area", means=["y"])
        >>> base.table("y").columns.tolist()
        ['domain', 'n', 'kish_deff', 'estimate', 'sd', 'deff']

        """
        keep = self.inputs[(self.inputs["item"] == "") | (self.inputs["item"] == item)]
        wide = keep.pivot_table(index="domain", columns="input", values="value", sort=False)
        order = [c for c in ("n", "kish_deff", "response_rate", "estimate", "sd", "deff")
                 if c in wide.columns]
        return wide[order].reset_index().rename_axis(columns=None)

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`inputs`, the long frame with every input and its source."""
        return self.inputs.copy()

    def summary(self) -> pd.DataFrame:
        """Return one row per domain with the domain-wide inputs (:meth:`table` of no item).

        Examples
        --------
        >>> base = from_baseline(_example_design(), domain="area", means=["y"])
        >>> base.summary().columns.tolist()
        ['domain', 'n', 'kish_deff']

        """
        return self.table()

    def __repr__(self) -> str:
        domains = list(dict.fromkeys(self.inputs["domain"]))
        return (f"BaselineInputs({len(self.inputs)} inputs for {len(domains)} domains)\n"
                + self.summary().to_string(index=False))

    def _repr_html_(self) -> str:
        return object_html(repr(self).splitlines()[0], ("per domain", self.summary()),
                           ("planning inputs from the baseline", self.inputs))


def _example_design() -> SurveyDesign:
    frame = pd.DataFrame({"area": ["a", "a", "b", "b", "b", "a"],
                          "y": [1.0, 3.0, 2.0, 5.0, 4.0, 2.0],
                          "w": [1.0, 2.0, 1.0, 2.0, 1.0, 1.0]})
    return SurveyDesign(frame, weights="w")


def _row(domain: Any, input: str, value: float, source: str, item: str = "") -> dict[str, Any]:
    return {"domain": domain, "input": input, "item": item, "value": float(value),
            "source": source}


def _domains(design: Design, domain: str | None) -> list[tuple[Any, Design]]:
    out: list[tuple[Any, Design]] = [(ALL, design)]
    if domain is None:
        return out
    if domain not in design.data.columns:
        raise ColumnError(f"domain {domain!r} is not a column of the baseline design.")
    levels = pd.unique(design.data.loc[design.analysis_weights() > 0, domain].dropna())
    for level in sorted(levels, key=str):
        out.append((level, design.subset(design.data[domain] == level)))
    return out


def _item_rows(design: Design, name: str, values: pd.Series, share: bool, where: Any,
               label: str, words: dict[str, str]) -> list[dict[str, Any]]:
    column = "_surveykit_planning_item"
    d = design.with_columns(**{column: values.to_numpy(dtype=float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = mean(d, column, deff=True, nan_policy="omit").to_frame().iloc[0]
    ok = d.analysis_weights() > 0
    x = values.to_numpy(dtype=float)[ok]
    w = d.analysis_weights()[ok]
    keep = ~np.isnan(x)
    est = float(t["estimate"])
    if share:
        sd = math.sqrt(est * (1 - est))
    else:
        dev = x[keep] - est
        sd = math.sqrt(float(np.sum(w[keep] * dev**2) / np.sum(w[keep])))
    n = int(keep.sum())
    kind = "share" if share else "mean"
    return [_row(where, key, value, words[f"{key}_{kind}"].format(item=label, n=n), name)
            for key, value in (("estimate", est), ("sd", sd), ("deff", float(t["deff"])))]


def _rates(dispositions: Mapping[Any, Any] | None, rate: str, e: float | None,
           label: str, words: dict[str, str]) -> dict[Any, tuple[float, str]]:
    if dispositions is None:
        return {}
    per_domain = all(isinstance(v, Mapping) for v in dispositions.values())
    groups = dispositions if per_domain else {ALL: dispositions}
    out = {}
    for where, counts in groups.items():
        try:
            table = aapor_rates(counts, e)
        except (TypeError, ValueError) as exc:
            raise ArgumentError(f"dispositions of {where!r}: {exc}") from exc
        if rate not in table.index:
            raise ArgumentError(f"rate must be one of {list(table.index)}; found {rate!r}.")
        value = float(table["value"].to_numpy(dtype=float)[table.index.get_loc(rate)])
        formula = str(table["formula"].to_numpy()[table.index.get_loc(rate)])
        if not value > 0:
            raise ArgumentError(
                f"the baseline's {rate} in {where!r} is {value:g}: no interviews to plan from."
            )
        detail = ", ".join(f"{k}={v:g}" for k, v in counts.items())
        out[where] = (value, words["rate"].format(rate=rate, formula=formula, label=label,
                                                  detail=detail))
    return out


def from_baseline(
    design: Design,
    *,
    domain: str | None = None,
    means: Sequence[str] = (),
    shares: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
    dispositions: Mapping[Any, Any] | None = None,
    rate: str = "RR1",
    e: float | None = None,
    label: str = "baseline",
    language: str = "en",
) -> BaselineInputs:
    """Take the planning inputs of the next wave from a weighted baseline design.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The baseline wave's weighted design.
    domain : str, optional
        Column of the domains (municipalities) to give inputs for, besides the whole sample.
    means : sequence of str
        Numeric columns whose mean the next wave compares (missing values are left out).
    shares : mapping, optional
        ``name -> (column, codes)``: the share of answers among ``codes`` (e.g. the top two
        boxes of a 1-7 scale, ``("pulse_feeling.num", [6, 7])``); missing answers are left out.
    dispositions : mapping, optional
        AAPOR disposition counts (keys ``I``, ``P``, ``R``, ``NC``, ``O``, ``UH``, ``UO``,
        ``NE``) of the baseline, or a mapping of domain -> such counts.
    rate : str
        The AAPOR rate used as the expected response rate (``"RR1"``, the most cautious, counts
        every case of unknown eligibility as eligible).
    e : float, optional
        AAPOR's ``e`` for RR3/RR4 (default: the eligibility rate among known cases).
    label : str
        Name of the baseline in the sources (e.g. ``"wave 2024"``).
    language : {"en", "nb"}
        Language of the sources.

    Returns
    -------
    BaselineInputs
        Every input per domain with its source.

    Examples
    --------
    >>> base = from_baseline(_example_design(), domain="area", means=["y"],
    ...                      shares={"high": ("y", [4, 5])},
    ...                      dispositions={"I": 6, "R": 4, "NC": 10}, label="wave 1")
    >>> base.table("high").round(4)
      domain    n  kish_deff  response_rate  estimate      sd  deff
    0  (all)  6.0      1.125            0.3     0.375  0.4841   4.7
    1      a  3.0      1.125            NaN     0.000  0.0000   NaN
    2      b  3.0      1.125            NaN     0.750  0.4330   2.8
    >>> print(base.inputs.loc[2, "source"])
    AAPOR RR1 (I / ((I+P) + (R+NC+O) + (UH+UO))) of the wave 1 dispositions: I=6, R=4, NC=10

    """
    if not isinstance(design, SurveyDesign | ReplicateDesign):
        raise ArgumentError(
            f"design must be a SurveyDesign or ReplicateDesign; found {type(design).__name__}."
        )
    items = [(c, c, None) for c in means] + [(k, c, codes) for k, (c, codes)
                                             in (shares or {}).items()]
    missing = [c for _, c, _ in items if c not in design.data.columns]
    if missing:
        raise ColumnError(f"columns {missing} of means/shares are not in the baseline design.")
    words = SOURCES[check_option("language", language, tuple(SOURCES))]
    rates = _rates(dispositions, rate, e, label, words)
    rows: list[dict[str, Any]] = []
    for where, sub in _domains(design, domain):
        diag = weight_diagnostics(sub)
        rows.append(_row(where, "n", diag.n, words["n"].format(label=label)))
        rows.append(_row(where, "kish_deff", diag.kish_deff,
                         words["kish"].format(label=label, n=diag.n)))
        if where in rates:
            rows.append(_row(where, "response_rate", *rates[where]))
        for name, column, codes in items:
            raw = pd.to_numeric(design.data[column], errors="coerce")
            values = raw if codes is None else raw.isin(list(codes)).astype(float).where(
                raw.notna())
            rows += _item_rows(sub, name, values, codes is not None, where,
                               words["item"].format(column=column, label=label), words)
    return BaselineInputs(pd.DataFrame(rows, columns=["domain", "input", "item", "value",
                                                      "source"]))
