"""Study stage 5: the analysis frame of a wave and its estimates (frequencies, means, indices).

Every estimate is an :class:`~surveykit.EstimateTable` from the public estimators; this
module only decides *what* is estimated (from the instrument and the analysis plan) and keeps
the results in a flat list of :class:`Block` in a fixed order, so that the tables written from
them are byte-identical from run to run.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import StudyError, SurveykitWarning
from surveykit.estimation import EstimateTable, mean, proportion
from surveykit.ingestion import Responses
from surveykit.instruments import Instrument
from surveykit.study._model import AnalysisSpec

__all__ = ["Block", "ItemPlan", "analysis_frame", "check_measures", "estimate_wave",
           "measure_of", "plan_items", "score_column", "share_column"]

_SKIP_ROLES = {"identifier", "attention_check"}


def score_column(var: str) -> str:
    """Name of the numeric score column of an item (codes as numbers, missing codes NA)."""
    return f"{var}.num"


def share_column(var: str) -> str:
    """Name of the category column of an item whose shares are estimated (missing codes NA).

    "Don't know" and "prefer not to say" leave the base of the shares, as they leave the
    base of the means and of the comparison between waves: the same share of the same
    category is then the same number in every table.
    """
    return f"{var}.share"


@dataclass(frozen=True)
class ItemPlan:
    """What is estimated for a wave: categorical items, multi-select groups, numeric items."""

    categorical: tuple[str, ...]
    multi: tuple[tuple[str, tuple[str, ...]], ...]
    numeric: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """One estimate table of a wave: kind, item key, domain (None: whole sample), table."""

    wave: str
    kind: str  # "frequency" | "multi" | "mean" | "index" | "nps"
    key: str
    domain: str | None
    table: EstimateTable


def _wanted(inst: Instrument, spec: AnalysisSpec) -> list[Any]:
    chosen = [v for v in inst.variables if v.type != "text"
              and not (_SKIP_ROLES & set(v.role))]
    if spec.items != "all":
        names = set(spec.items)
        chosen = [v for v in chosen if v.var in names or v.item.id in names
                  or v.key in names]
    drop = set(spec.exclude_items)
    return [v for v in chosen if not ({v.var, v.item.id, v.key} & drop)]


def measure_of(v: Any, spec: AnalysisSpec) -> str | None:
    """Measurement level of an instrument variable: the study's ``measures``, else the item's.

    ``measures`` may name the data column, the item key (``pulse.trust``) or the item id
    (``pulse``: every row of the grid).
    """
    for name in (v.var, v.key, v.item.id):
        if name in spec.measures:
            return spec.measures[name]
    level: str | None = v.measure
    return level


def check_measures(spec: AnalysisSpec, instruments: list[Instrument]) -> None:
    """Every name under ``analysis.measures`` must be an item of one of the waves."""
    known = {n for inst in instruments for v in inst.variables
             for n in (v.var, v.key, v.item.id)}
    unknown = sorted(set(spec.measures) - known)
    if unknown:
        raise StudyError(f"analysis.measures: {unknown} are not items of the waves' "
                         "instruments; name an item id (education), a grid row "
                         "(pulse.trust) or a data column.")


def plan_items(inst: Instrument, spec: AnalysisSpec, columns: pd.Index) -> ItemPlan:
    """Decide the estimates of a wave from its instrument and the analysis plan.

    Every single-choice item and grid row gets shares of its categories; a mean only where
    its measurement level is interval (:func:`measure_of`), and numeric items a mean.
    """
    categorical, numeric = [], []
    multi: dict[str, list[str]] = {}
    for v in _wanted(inst, spec):
        if v.type == "multi":
            if v.var in columns:
                multi.setdefault(v.item.var or v.item.id, []).append(v.var)
            continue
        if v.var not in columns:
            continue
        level = measure_of(v, spec)
        if v.choices is not None:
            categorical.append(v.var)
            if level == "interval":
                numeric.append(v.var)
        elif v.type in ("integer", "decimal") and level == "interval":
            numeric.append(v.var)
    return ItemPlan(tuple(categorical), tuple((k, tuple(c)) for k, c in multi.items()),
                    tuple(numeric))


def analysis_frame(resp: Responses, plan: ItemPlan, include_free_text: bool) -> pd.DataFrame:
    """Build the wave's design data: items as read plus numeric scores (``<var>.num``).

    Free-text columns leave the frame unless ``include_free_text``; identifier columns always
    leave it. Multi-select option columns become floats (0/1, missing NA).
    """
    data = resp.data
    drop = set(resp.metadata.identifiers)
    if not include_free_text:
        drop |= set(resp.metadata.free_text)
    frame = data.drop(columns=[c for c in data.columns if c in drop])
    scores = resp.to_numeric(list(plan.numeric)).astype("float64")
    scores.columns = [score_column(c) for c in scores.columns]
    shares = pd.DataFrame({share_column(c): _substantive(data[c], resp.metadata
                                                         .missing_codes.get(c, {}))
                           for c in plan.categorical}, index=data.index)
    opts = [c for _, cols in plan.multi for c in cols]
    frame = frame.assign(**{c: frame[c].astype("float64") for c in opts})
    return pd.concat([frame, scores, shares], axis=1)


def _substantive(s: pd.Series, missing: Any) -> pd.Series:
    """Return the item without its missing codes (categories kept in order)."""
    codes = [c for c in missing]
    if isinstance(s.dtype, pd.CategoricalDtype):
        drop = [c for c in s.cat.categories if c in codes or str(c) in map(str, codes)]
        return s.cat.remove_categories(drop) if drop else s
    return s.mask(s.isin(codes)) if codes else s


def _domains(spec: AnalysisSpec, frame: pd.DataFrame) -> list[str | None]:
    missing = [d for d in spec.domains if d not in frame.columns]
    if missing:
        raise StudyError(f"analysis.domains: {missing} are not in the data; name instrument "
                         "variables or derived variables (derive:).")
    return [None, *spec.domains]


def _jobs(plan: ItemPlan, indices: list[str]
          ) -> Iterator[tuple[str, str, Callable[..., EstimateTable], Any]]:
    for var in plan.categorical:
        yield "frequency", var, proportion, share_column(var)
    for key, cols in plan.multi:
        yield "multi", key, mean, list(cols)
    if plan.numeric:
        yield "mean", "items", mean, [score_column(v) for v in plan.numeric]
    if indices:
        yield "index", "indices", mean, list(indices)


def _stacked(tables: list[EstimateTable], domain: str | None) -> EstimateTable:
    """One table from single-variable tables, rows domain-major as a multi-variable table.

    The estimates of different variables come from different rows of the design, so their
    covariances are not computed: the covariance matrix is block-diagonal by variable with
    NaN between variables.
    """
    labels = pd.concat([t.labels for t in tables], ignore_index=True)
    size = len(labels)
    cov = np.full((size, size), np.nan)
    start = 0
    for t in tables:
        stop = start + len(t.estimate)
        cov[start:stop, start:stop] = t.cov
        start = stop
    if domain is not None:
        order = pd.Index(pd.unique(labels[domain].astype(object)))
        position = order.get_indexer(pd.Index(labels[domain].astype(object)))
        rows = np.argsort(position, kind="stable")
    else:
        rows = np.arange(size)

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(t, name) for t in tables])[rows]

    first = tables[0]
    return EstimateTable(labels=labels.iloc[rows].reset_index(drop=True),
                         estimate=cat("estimate"), se=cat("se"), df=cat("df"), n=cat("n"),
                         n_weighted=cat("n_weighted"), cov=cov[np.ix_(rows, rows)],
                         statistic=first.statistic, variance_method=first.variance_method,
                         confidence_level=first.confidence_level)


def _estimate(func: Callable[..., EstimateTable], design: Any, kind: str, variables: Any,
              domain: str | None) -> EstimateTable:
    """Estimate one job; item means and indices each on their own available cases.

    A multi-variable ``svymean(~a + b, na.rm=TRUE)`` drops a row missing any of the
    variables from every estimate; item means and index scores are instead estimated one
    variable at a time, as ``svymean(~a, na.rm=TRUE)`` item by item, each with its own n.
    The options of a multi-select item share their missing rows and stay one estimate.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        if kind not in ("mean", "index"):
            return func(design, variables, by=domain, nan_policy="omit")
        return _stacked([func(design, [v], by=domain, nan_policy="omit")
                         for v in variables], domain)


def estimate_wave(design: Any, wave: str, plan: ItemPlan, indices: list[str],
                  spec: AnalysisSpec, tick: Callable[[], None] | None = None) -> list[Block]:
    """Estimate every planned item overall and in every domain (stage 5).

    Proportions use R's ``svyciprop`` logit intervals; means, multi-select shares and index
    scores use ``svymean``. Rows missing an item leave that item's domain only
    (``nan_policy="omit"``), and every item mean and index score is estimated on its own
    available cases (see :func:`_estimate`). ``tick`` is called once per estimate table.
    """
    blocks = []
    for domain in _domains(spec, design.data):
        for kind, key, func, variables in _jobs(plan, indices):
            table = _estimate(func, design, kind, variables, domain)
            table = dataclasses.replace(table, confidence_level=spec.confidence_level)
            blocks.append(Block(wave, kind, key, domain, table))
            if tick is not None:
                tick()
    return blocks


def count_jobs(plan: ItemPlan, indices: list[str], spec: AnalysisSpec) -> int:
    """Count the estimate tables :func:`estimate_wave` makes (for the progress bar)."""
    return len(list(_jobs(plan, indices))) * (1 + len(spec.domains))


def blocks_frame(blocks: list[Block]) -> pd.DataFrame:
    """All estimates in one long frame: wave, kind, key, domain, domain_level + estimates.

    The frame is what stacking the blocks' ``to_frame()`` would give (each block's domain
    column moved to ``domain_level``, ``level`` as text, ``""`` where a block has none), but
    it is built once from the blocks' arrays: a study has hundreds of blocks, and a frame
    per block costs far more than its numbers.
    """
    if not blocks:
        return pd.DataFrame()
    head: dict[str, list[Any]] = {"wave": [], "kind": [], "key": [], "domain": [],
                                  "domain_level": []}
    labels: dict[str, list[Any]] = {}
    values: dict[str, list[np.ndarray]] = {name: [] for name in EstimateTable.VALUE_COLUMNS}
    order: dict[str, None] = {}  # columns in order of appearance, as a concat gives them
    rows = 0
    for b in blocks:
        t = b.table
        size = len(t.estimate)
        cols: dict[Any, list[Any]] = {c: s.tolist() for c, s in t.labels.items()
                                      if c not in EstimateTable.VALUE_COLUMNS}
        dom = cols.pop(b.domain) if b.domain is not None and b.domain in cols else None
        if "level" in cols:
            cols["level"] = [str(v) for v in cols["level"]]
        order.update(dict.fromkeys([*cols, *EstimateTable.VALUE_COLUMNS]))
        for name, cells in cols.items():
            labels.setdefault(name, [np.nan] * rows).extend(cells)
        for name, cells in labels.items():
            if name not in cols:
                cells.extend([np.nan] * size)
        head["wave"] += [b.wave] * size
        head["kind"] += [b.kind] * size
        head["key"] += [b.key] * size
        head["domain"] += [b.domain or "(all)"] * size
        head["domain_level"] += (["(all)"] * size if dom is None else [str(v) for v in dom])
        for name, array in t.value_columns().items():
            values[name].append(np.asarray(array))
        rows += size
    columns: dict[str, Any] = {**labels, **{name: np.concatenate(values[name])
                                            for name in EstimateTable.VALUE_COLUMNS}}
    if "level" in labels:  # text, "" where a block has no levels (a column of objects)
        columns["level"] = pd.Series(["" if v is np.nan else v for v in labels["level"]],
                                     dtype=object)
    return pd.DataFrame({**head, **{name: columns[name] for name in order}})
