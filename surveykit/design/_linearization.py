"""Linearisation (Taylor series) variance engine: R's ``svyrecvar``, vectorised.

Given influence values (scores, already multiplied by the weights and zero outside the
domain), the engine

1. residualises them through every calibration record (post-stratification, raking, GREG),
2. sums them to cluster totals at the last stage that is used (all stages when an fpc is
   given, as R's recursion; otherwise the first stage only: "ultimate clusters"),
3. for each stage, centres the cluster totals within strata, applies the finite population
   correction and the lonely-PSU policy, and adds
   ``mult * f * n_h / (n_h - 1) * sum_p z_p z_p^T`` over strata, where ``mult`` is the
   product of the sampling fractions ``n/N`` of the earlier stages.

Domains follow R's ``[.survey.design2``: a stratum (or cluster) counts only where it has rows
in the domain, while the number of sampled PSUs stays that of the full design.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from surveykit.design._calibration import residualize
from surveykit.design._codes import group_sums
from surveykit.design._scores import DenseScores, Scores
from surveykit.errors import DesignError, LonelyPSUWarning

if TYPE_CHECKING:
    from surveykit.design._stages import Stage
    from surveykit.design._survey_design import SurveyDesign

__all__ = ["linearized_covariance"]


def _stage_maps(stages: list[Stage]) -> list[np.ndarray]:
    """For each used stage, the stage cluster of every cluster of the last used stage."""
    maps = [np.arange(stages[-1].n_clusters)]
    for s in range(len(stages) - 1, 0, -1):
        maps.insert(0, stages[s].cluster_stratum[maps[0]])
    return maps


def _policy_masks(stage: Stage, nsub: np.ndarray, policy: str, adjust_domain: bool,
                  census: np.ndarray, stage_no: int) -> tuple[np.ndarray, np.ndarray]:
    """Centre (H, k) and NA (H, k) masks for the lonely-PSU policy (R's ``onestrat``)."""
    npsu = stage.npsu[:, None]
    present = nsub > 0
    lonely = (npsu == 1) & present & ~census[:, None]
    if policy == "fail" and lonely.any():
        bad = [stage.stratum_labels[h] for h in np.flatnonzero(lonely.any(axis=1))]
        raise DesignError(
            f"Stratum {', '.join(bad)} has only one PSU at stage {stage_no} and "
            "lonely_psu='fail'. Choose lonely_psu='adjust', 'average', 'certainty' or "
            "'remove' when building the design, or merge the stratum with a neighbour."
        )
    domain_lonely = (nsub == 1) & (npsu > 1) & ~census[:, None]
    if adjust_domain and domain_lonely.any():
        bad = [stage.stratum_labels[h] for h in np.flatnonzero(domain_lonely.any(axis=1))]
        warnings.warn(f"Stratum {', '.join(bad)} has only one PSU in the domain at stage "
                      f"{stage_no}; lonely_psu={policy!r} applied (adjust_domain_lonely=True).",
                      LonelyPSUWarning, stacklevel=4)
    uncentred = (policy == "adjust") & (nsub <= 1) & ((npsu == 1) | adjust_domain)
    is_na = (policy == "average") & present & ~census[:, None] & (
        (npsu == 1) | (domain_lonely & adjust_domain))
    return ~uncentred, is_na


def _group_factor(stage: Stage, present: np.ndarray, is_na: np.ndarray) -> np.ndarray:
    """R's ``nstrat / nokstrat`` per group (previous-stage cluster) and column."""
    nstrat = group_sums(stage.stratum_group, present, stage.n_groups)
    nok = group_sums(stage.stratum_group, present & ~is_na, stage.n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(nstrat > 0, nstrat / nok, 1.0)
    return np.where((nstrat > 0) & (nok == 0), np.nan, factor)


def _stage_variance(stage: Stage, totals: np.ndarray, presence: np.ndarray,
                    mult: np.ndarray, policy: str, adjust_domain: bool,
                    stage_no: int) -> np.ndarray:
    """Variance contribution of one stage from its cluster totals ``(C, k)``."""
    npsu = stage.npsu.astype(float)
    if stage.popsize is None:
        f = np.ones(stage.n_strata)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(np.isinf(stage.popsize), 1.0, (stage.popsize - npsu) / stage.popsize)
    census = f < 1e-7
    h = stage.cluster_stratum
    nsub = group_sums(h, presence, stage.n_strata)
    centre, is_na = _policy_masks(stage, nsub, policy, adjust_domain, census, stage_no)
    means = group_sums(h, totals, stage.n_strata) / npsu[:, None]
    z = totals - (centre * means)[h]
    z = np.where(is_na[h], 0.0, z)
    if policy == "average":
        factor = _group_factor(stage, nsub > 0, is_na)
        z = z * np.sqrt(factor[stage.stratum_group[h]])
    scale = np.where(npsu > 1, f * npsu / np.maximum(npsu - 1, 1), f)
    scale = np.where(census, 0.0, scale) * mult
    zw = z * np.sqrt(scale[h])[:, None]
    return zw.T @ zw


def _next_multiplier(stage: Stage, mult: np.ndarray) -> np.ndarray:
    """Multiplier for the strata of the next stage (one per cluster of this stage)."""
    assert stage.popsize is not None
    ratio = stage.npsu / stage.popsize
    return (mult * ratio)[stage.cluster_stratum]


def linearized_covariance(design: SurveyDesign, scores: Scores | np.ndarray) -> np.ndarray:
    """Covariance matrix of the totals of influence values (R's ``svyrecvar``).

    Parameters
    ----------
    design : SurveyDesign
        The design (its stages, fpc, lonely-PSU policy, calibrations and domain).
    scores : Scores or ndarray
        Influence values: an ``(n, k)`` array (zero outside the domain; presence of
        strata in the domain is taken from ``design.domain``) or a :class:`DomainScores`.

    Returns
    -------
    ndarray
        ``(k, k)`` covariance matrix.

    """
    if isinstance(scores, np.ndarray):
        values = scores[:, None] if scores.ndim == 1 else scores
        scores = DenseScores(np.asarray(values, dtype=float), design.domain)
    if design.calibrations:
        # R keeps every row of a calibrated design in a subset (prob = Inf), so every
        # stratum and cluster stays present.
        scores = DenseScores(residualize(scores.dense(), design.calibrations), None)
    stages = design._stages
    used = stages if (stages[0].popsize is not None and len(stages) > 1) else stages[:1]
    last = used[-1]
    totals = scores.group_totals(last.clusters, last.n_clusters)
    presence = scores.group_presence(last.clusters, last.n_clusters)
    maps = _stage_maps(used)
    k = scores.n_columns
    v = np.zeros((k, k))
    mult = np.ones(used[0].n_strata)
    for s, stage in enumerate(used):
        t = group_sums(maps[s], totals, stage.n_clusters)
        p = group_sums(maps[s], presence, stage.n_clusters) > 0
        v += _stage_variance(stage, t, p, mult, design.lonely_psu,
                             design.adjust_domain_lonely, s + 1)
        if s + 1 < len(used):
            mult = _next_multiplier(stage, mult)
    return v
