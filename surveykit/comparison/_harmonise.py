"""Bring waves into one coding (crosswalk) and, for overlapping samples, into one design.

* :func:`crosswalk_per_wave` says which crosswalk recodes which wave (one crosswalk: every
  wave but the newest; a mapping: as given);
* :func:`harmonise_design` recodes the data of one design into the newer coding;
* :func:`harmonise_stacked` does the same for the rows of each wave of a stacked design;
* :func:`stack_designs` binds the waves of an overlapping sample into one design with the
  wave as a domain (R: ``rbind`` of the two data sets and one ``svydesign``), so that
  estimates of different waves share PSUs and get their covariance.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from surveykit.design import ReplicateDesign, SurveyDesign
from surveykit.errors import DesignError, SurveykitWarning
from surveykit.instruments import Crosswalk

__all__ = ["crosswalk_per_wave", "harmonise_design", "harmonise_stacked", "stack_designs",
           "wave_labels"]

Design = SurveyDesign | ReplicateDesign


def _recoded(design: Design, recoded: pd.DataFrame) -> Design:
    """``design`` with the columns of ``recoded`` (same rows) that are new or changed.

    Source-coding columns the crosswalk leaves out stay in the design's data (nothing is
    dropped from a design); analyses name the target-coding columns.
    """
    data = design.data
    changed = [c for c in recoded.columns if c not in data.columns or not (
        recoded[c].equals(data[c]) or recoded[c].astype(object).equals(data[c].astype(object)))]
    return design.with_columns(**{c: recoded[c] for c in changed})


def crosswalk_per_wave(labels: Sequence[str], crosswalk: Crosswalk | Mapping[str, Crosswalk |
                       None] | None) -> dict[str, Crosswalk | None]:
    """Crosswalk to apply to each wave (None: the wave is already in the newest coding)."""
    if crosswalk is None:
        return dict.fromkeys(labels)
    if isinstance(crosswalk, Crosswalk):
        return {label: (crosswalk if i < len(labels) - 1 else None)
                for i, label in enumerate(labels)}
    if not isinstance(crosswalk, Mapping):
        raise TypeError("'crosswalk' must be a Crosswalk (applied to every wave but the "
                        "newest) or a mapping {wave: Crosswalk or None} "
                        f"(got {type(crosswalk).__name__}).")
    unknown = [k for k in crosswalk if k not in labels]
    if unknown:
        raise KeyError(f"'crosswalk' names waves {unknown!r}; the waves are {list(labels)!r}.")
    targets = {xw.spec.to for xw in crosswalk.values() if xw is not None}
    if len(targets) > 1:
        raise ValueError(f"The crosswalks lead to different versions {sorted(targets)}; "
                         "every wave must be harmonised into the same (newest) version.")
    return {label: crosswalk.get(label) for label in labels}


def _check_source(xw: Crosswalk, data: pd.DataFrame, label: str) -> None:
    src_only = set(xw.source.data_columns) - set(xw.target.data_columns)
    tgt_only = set(xw.target.data_columns) - set(xw.source.data_columns)
    cols = set(data.columns)
    if cols & tgt_only and not cols & src_only:
        raise ValueError(
            f"Wave {label!r} looks like {xw.target.ref} data (it has "
            f"{sorted(cols & tgt_only)[:3]} and none of the {xw.source.ref} columns "
            f"{sorted(src_only)[:3]}), yet the crosswalk {xw.spec.from_} -> {xw.spec.to} "
            "would recode it. Pass crosswalk={wave: Crosswalk or None} naming the older "
            "waves only.")


def harmonise_design(design: Design, xw: Crosswalk | None, label: str) -> Design:
    """Recode the data of ``design`` into the crosswalk's target coding (None: unchanged)."""
    if xw is None:
        return design
    _check_source(xw, design.data, label)
    return _recoded(design, xw.apply(design.data).data)


def wave_labels(data: pd.DataFrame, wave: str) -> list[str]:
    """Waves of a stacked design, oldest first: category order, else sorted values."""
    if wave not in data.columns:
        raise KeyError(f"'wave' names column {wave!r}, which is not in the design's data.")
    col = data[wave]
    if isinstance(col.dtype, pd.CategoricalDtype):
        levels = [c for c in col.cat.categories if (col == c).any()]
    else:
        levels = sorted(pd.unique(col.dropna()), key=lambda v: (str(type(v)), v))
    if len(levels) < 2:
        raise ValueError(f"Column {wave!r} must hold at least two waves (found {levels!r}).")
    return levels


def harmonise_stacked(design: Design, wave: str, crosswalks: Mapping[object, Crosswalk | None]
                      ) -> Design:
    """Recode the rows of each wave of a stacked design with that wave's crosswalk."""
    data = design.data
    if not any(xw is not None for xw in crosswalks.values()):
        return design
    col = data[wave]
    parts, positions = [], []
    for label, xw in crosswalks.items():
        pos = np.flatnonzero((col == label).to_numpy(dtype=bool, na_value=False))
        rows = data.iloc[pos]
        if xw is not None:
            _check_source(xw, rows, str(label))
            rows = xw.apply(rows).data
        parts.append(rows)
        positions.append(pos)
    rest = np.setdiff1d(np.arange(len(data)), np.concatenate(positions))
    parts.append(data.iloc[rest])
    positions.append(rest)
    combined = pd.concat(parts, axis=0).iloc[np.argsort(np.concatenate(positions))]
    combined.index = data.index
    return _recoded(design, combined)


def _same(designs: Sequence[Design], attrs: Sequence[str]) -> None:
    for attr in attrs:
        values = [getattr(d, attr) for d in designs]
        first = values[0]
        if any(not np.array_equal(np.asarray(v), np.asarray(first)) for v in values[1:]):
            raise DesignError(f"Overlapping waves must share one design: their {attr!r} "
                              f"differ ({values!r}). Build the waves with the same strata, "
                              "PSU and fpc columns, or pass samples='independent'.")


def _stacked_data(designs: Mapping[str, Design], wave: str) -> pd.DataFrame:
    frames = [d.data.assign(**{wave: label}) for label, d in designs.items()]
    return pd.concat(frames, axis=0, ignore_index=True)


def stack_designs(designs: Mapping[str, Design], wave: str) -> Design:
    """One design over the rows of all waves, with column ``wave`` naming each row's wave.

    The waves must use the same strata, PSU and fpc columns, and the same PSU labels for
    the same clusters (a panel member or a re-sampled cluster appears in several waves
    under one PSU id): that is where the covariance between waves comes from. Replicate
    designs must share their replicate structure (method, number of replicates, scale,
    rscales, mse), as when the replicate weights were formed once for the panel.
    Weighting steps are kept as final weights; their calibration records are not carried
    over (a warning says so), as with R's ``rbind`` of two weighted data sets.
    """
    ds = list(designs.values())
    if all(isinstance(d, SurveyDesign) for d in ds):
        sds = [d for d in ds if isinstance(d, SurveyDesign)]
        _same(sds, ("strata_column", "psu_columns", "fpc_columns", "nest", "lonely_psu"))
        first = sds[0]
        out: Design = SurveyDesign(
            _stacked_data(designs, wave), weights=np.concatenate([d.weights for d in sds]),
            strata=first.strata_column, psu=first.psu_columns or None,
            fpc=first.fpc_columns or None, nest=first.nest, lonely_psu=first.lonely_psu,
            adjust_domain_lonely=first.adjust_domain_lonely,
            with_replacement=first.with_replacement)
    elif all(isinstance(d, ReplicateDesign) for d in ds):
        rds = [d for d in ds if isinstance(d, ReplicateDesign)]
        _same(rds, ("method", "n_replicates", "scale", "rscales", "mse"))
        first_r = rds[0]
        out = ReplicateDesign(
            _stacked_data(designs, wave), weights=np.concatenate([d.weights for d in rds]),
            replicate_weights=np.vstack([d.replicate_weights_array for d in rds]),
            method=first_r.method, scale=first_r.scale, rscales=first_r.rscales,  # type: ignore[arg-type]
            mse=first_r.mse, fay_rho=first_r.fay_rho)
    else:
        raise DesignError("Overlapping waves must all be SurveyDesign or all ReplicateDesign "
                          f"(got {[type(d).__name__ for d in ds]}).")
    if any(d.calibrations for d in ds):
        warnings.warn("The stacked design keeps the calibrated weights of each wave but not "
                      "their calibration records, so standard errors do not include the "
                      "variance reduction from calibration (as R's rbind of weighted data).",
                      SurveykitWarning, stacklevel=3)
    domains = [d.domain if d.domain is not None else np.ones(d.n, bool) for d in ds]
    mask = np.concatenate(domains)
    return out if mask.all() else out.subset(mask)
