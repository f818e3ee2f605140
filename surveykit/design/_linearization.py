"""Linearisation (Taylor series) variance engine: R's ``svyrecvar``, vectorised.

Given influence values (scores, already multiplied by the weights and zero outside the
domain), the engine

1. residualises them through every calibration record (post-stratification, raking, GREG),
2. for each stage that is used (all stages when an fpc is given, as R's recursion;
   otherwise the first stage only: "ultimate clusters") asks the scores for their cluster
   totals (one weighted sparse product, the scores themselves are never built),
3. centres the cluster totals within strata, applies the finite population correction and
   the lonely-PSU policy, and adds ``mult * f * n_h / (n_h - 1) * sum_p z_p z_p^T`` over
   strata, where ``mult`` is the product of the sampling fractions ``n/N`` of the earlier
   stages.

A stage whose clusters are single rows (element sampling) with estimates in several
domains never builds its ``(n, D*m)`` cluster totals: each row's scores live in one domain
block, so the covariance is assembled from per-stratum totals and one grouped
cross-product of the centred rows (:func:`_element_stage_variance`), O(n m^2) in all.

Domains follow R's ``[.survey.design2``: a stratum (or cluster) counts only where it has rows
in the domain, while the number of sampled PSUs stays that of the full design (calibrated
and PPS designs keep every stratum and cluster, as R).

PPS designs without replacement: Brewer's approximation is this engine with each cluster's
own ``1 - pi`` as its finite population correction; Overton, Hartley-Rao and
joint-probability designs hand the first-stage cluster totals to their ``D`` matrix
(:mod:`surveykit.design._pps`) instead of step 3.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from surveykit.design._blas import blas_threads
from surveykit.design._calibration import residualize
from surveykit.design._codes import group_sums, grouped_crossprod, indicator
from surveykit.design._scores import DenseScores, Scores
from surveykit.errors import DesignError, LonelyPSUWarning

if TYPE_CHECKING:
    import scipy.sparse as sp

    from surveykit.design._stages import Stage
    from surveykit.design._survey_design import SurveyDesign

__all__ = ["linearized_covariance"]


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


def _stage_weights(stage: Stage, nsub: np.ndarray, mult: np.ndarray, policy: str,
                   adjust_domain: bool, stage_no: int) -> tuple[np.ndarray, np.ndarray]:
    """Centring mask ``(H, k)`` and the factor ``g (H, k)`` of the centred totals.

    ``g`` is ``sqrt(mult * f * n_h / (n_h - 1))`` times the lonely-PSU factors (zero for
    census strata and for totals R sets to NA), so the stage variance is
    ``sum_c (g_h (t_c - centre_h t_h / n_h))(...)^T``.
    """
    npsu = stage.npsu.astype(float)
    if stage.popsize is None:
        f = np.ones(stage.n_strata)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(np.isinf(stage.popsize), 1.0, (stage.popsize - npsu) / stage.popsize)
    census = f < 1e-7
    if stage.cluster_popsize is not None:   # PPS: census only if every cluster is certain
        census = group_sums(stage.cluster_stratum, _cluster_fpc(stage) >= 1e-7,
                            stage.n_strata)[:, 0] == 0
    centre, is_na = _policy_masks(stage, nsub, policy, adjust_domain, census, stage_no)
    scale = np.where(npsu > 1, f * npsu / np.maximum(npsu - 1, 1), f)
    g = np.where(is_na, 0.0, np.sqrt(np.where(census, 0.0, scale) * mult)[:, None])
    if policy == "average":
        g = g * np.sqrt(_group_factor(stage, nsub > 0, is_na)[stage.stratum_group])
    return centre, g


def _cluster_fpc(stage: Stage) -> np.ndarray:
    """PPS (Brewer): each cluster's ``1 - pi = (N_c - n_h) / N_c`` (R's per-row ``f``)."""
    pop = stage.cluster_popsize
    assert pop is not None
    npsu = stage.npsu[stage.cluster_stratum].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isinf(pop), 1.0, (pop - npsu) / pop)


def _stage_variance(stage: Stage, totals: np.ndarray, presence: np.ndarray,
                    mult: np.ndarray, policy: str, adjust_domain: bool,
                    stage_no: int, strata_of_clusters: sp.csc_matrix) -> np.ndarray:
    """Variance contribution of one stage from its cluster totals ``(C, k)``.

    ``strata_of_clusters`` is ``indicator(stage.cluster_stratum, stage.n_strata)``. A PPS
    stage weights each centred cluster total by its own ``1 - pi`` (Brewer's
    approximation, R's ``onestrat`` with a per-row fpc).
    """
    h, ind = stage.cluster_stratum, strata_of_clusters
    nsub = group_sums(h, presence, stage.n_strata, ind=ind)
    centre, g = _stage_weights(stage, nsub, mult, policy, adjust_domain, stage_no)
    means = group_sums(h, totals, stage.n_strata, ind=ind) / stage.npsu[:, None]
    zw = (totals - (centre * means)[h]) * g[h]
    if stage.cluster_popsize is not None:
        zw = zw * np.sqrt(_cluster_fpc(stage))[:, None]
    return zw.T @ zw


def _element_stage_variance(stage: Stage, scores: Scores, mult: np.ndarray, policy: str,
                            adjust_domain: bool, stage_no: int) -> np.ndarray:
    """Variance of a stage whose clusters are single rows, with scores in ``D`` domains.

    Equal to :func:`_stage_variance` without the ``(n, D*m)`` cluster totals: a row's
    scores are non-zero in its own domain block only, so with ``b_h`` the centring vector
    and ``t_h`` the stratum totals, off-diagonal blocks are
    ``sum_h g g^T o (n_h b b^T - b t^T - t b^T)`` and diagonal block ``d`` is
    ``sum_{i in d} e_i e_i^T + sum_h (n_h - n_hd) (g b)(g b)^T`` with the centred
    ``e_i = g (u_i - b)``: one grouped cross-product, no loop over domains.
    """
    u, dom = scores.row_values()
    n_dom, m = scores.n_domains, u.shape[1]
    n_h = n_dom * stage.n_strata
    comb = np.where(dom >= 0, stage.strata * n_dom + dom, -1)
    n_hd = np.bincount(comb[comb >= 0], minlength=n_h).reshape(stage.n_strata, n_dom)
    centre, g = _stage_weights(stage, np.repeat(n_hd, m, axis=1), mult, policy,
                               adjust_domain, stage_no)
    npsu = stage.npsu.astype(float)
    t = group_sums(comb, u, n_h).reshape(stage.n_strata, n_dom * m)
    b = centre * t / npsu[:, None]
    gb, gt = g * b, g * t
    v = (gb.T * npsu) @ gb - gb.T @ gt - gt.T @ gb
    keep = comb >= 0
    e = np.zeros_like(u)
    e[keep] = ((u[keep] - b.reshape(n_h, m)[comb[keep]]) * g.reshape(n_h, m)[comb[keep]])
    gb3 = gb.reshape(stage.n_strata, n_dom, m)
    diag = grouped_crossprod(e, np.where(keep, dom, -1), n_dom)
    diag += np.einsum("hd,hdj,hdk->djk", npsu[:, None] - n_hd, gb3, gb3)
    v4 = v.reshape(n_dom, m, n_dom, m)
    idx = np.arange(n_dom)
    v4[idx, :, idx, :] = diag
    return v


def _next_multiplier(stage: Stage, mult: np.ndarray) -> np.ndarray:
    """Multiplier for the strata of the next stage (one per cluster of this stage)."""
    if stage.cluster_popsize is not None:
        return mult[stage.cluster_stratum] * stage.npsu[stage.cluster_stratum] \
            / stage.cluster_popsize
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
    with blas_threads(design.n * scores.n_columns ** 2 * len(design._stages)):
        return _covariance(design, scores)


def _cluster_totals(design: SurveyDesign, scores: Scores, s: int) -> np.ndarray:
    """Totals of the scores in each cluster of stage ``s``.

    Dense scores (calibrated designs) are summed with the design's cluster indicator,
    built once per design: a study sums hundreds of estimates over the same clusters.
    """
    stage = design._stages[s]
    if not isinstance(scores, DenseScores):
        return scores.group_totals(stage.clusters, stage.n_clusters)
    ind = design._cached(("clusters", s),
                         lambda: indicator(stage.clusters, stage.n_clusters))
    return group_sums(stage.clusters, scores.values, stage.n_clusters, ind=ind)


def _strata_of_clusters(design: SurveyDesign, s: int) -> sp.csc_matrix:
    """Return the indicator of the stratum of each cluster of stage ``s`` (once per design)."""
    stage = design._stages[s]
    return design._cached(("strata of clusters", s),
                          lambda: indicator(stage.cluster_stratum, stage.n_strata))


def _covariance(design: SurveyDesign, scores: Scores) -> np.ndarray:
    """Residualise, then add the variance contributions of the stages used."""
    if design.calibrations:
        # R keeps every row of a calibrated design in a subset (prob = Inf), so every
        # stratum and cluster stays present.
        scores = DenseScores(residualize(scores.dense(), design.calibrations), None)
    stages = design._stages
    if design.pps_variance is not None:
        first = stages[0]
        return design.pps_variance.covariance(
            scores.group_totals(first.clusters, first.n_clusters))
    used = stages if (stages[0].has_fpc and len(stages) > 1) else stages[:1]
    k = scores.n_columns
    v = np.zeros((k, k))
    mult = np.ones(used[0].n_strata)
    for s, stage in enumerate(used):
        args = (mult, design.lonely_psu, design.adjust_domain_lonely, s + 1)
        if scores.n_domains > 1 and stage.n_clusters == design.n and design.pps is None:
            v += _element_stage_variance(stage, scores, *args)
        else:
            t = _cluster_totals(design, scores, s)
            # R keeps every row of a PPS design in a subset (prob = Inf): all present
            p = (np.ones(t.shape, dtype=bool) if design.pps is not None
                 else scores.group_presence(stage.clusters, stage.n_clusters))
            v += _stage_variance(stage, t, p, *args, _strata_of_clusters(design, s))
        if s + 1 < len(used):
            mult = _next_multiplier(stage, mult)
    return v
