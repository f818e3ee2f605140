"""Replicate weights from a linearisation design (R's ``as.svrepdesign``).

Weights are built per first-stage PSU (R's compressed form) as multipliers of the
full-sample weights: JK1 and JKn (R's ``jk1weights``/``jknweights``), BRR and Fay (R's
``brrweights`` with R's Hadamard matrices, so the replicates equal R's for the same design),
the bootstrap of Canty and Davison (R's ``bootweights``: resample ``n_h`` PSUs with
replacement, or without replacement from the population when an fpc is given) and the Rao-Wu
rescaled bootstrap with ``n_h - 1`` draws (R's ``subbootweights``). Bootstrap replicates use
numpy's generator with ``seed``; they cannot reproduce R's random numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from surveykit._validate import check_option
from surveykit.design._hadamard import hadamard
from surveykit.design._jackknife import ALL_PSUS, JackknifeMultipliers
from surveykit.design._replicate_design import ReplicateDesign
from surveykit.errors import DesignError

if TYPE_CHECKING:
    from surveykit.design._survey_design import SurveyDesign

__all__ = ["make_replicates"]

METHODS = ("auto", "jk1", "jkn", "brr", "fay", "bootstrap", "subbootstrap")


def _psu_layout(design: SurveyDesign) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PSU index of each row, stratum of each PSU, PSUs in order of first appearance."""
    st = design._stages[0]
    first = np.empty(st.n_clusters, dtype=np.int64)
    first[st.clusters[::-1]] = np.arange(st.clusters.shape[0] - 1, -1, -1)  # earliest wins
    first_rows = np.sort(first)
    psu_order = st.clusters[first_rows]          # PSU codes in order of appearance
    rank = np.empty(st.n_clusters, dtype=np.int64)
    rank[psu_order] = np.arange(st.n_clusters)
    index = rank[st.clusters]                     # R's match(psu, unique(psu))
    psu_stratum = st.strata[first_rows]
    return index, psu_stratum, first_rows


def _jk1(design: SurveyDesign) -> tuple[JackknifeMultipliers, float, np.ndarray]:
    if design.strata_column is not None:
        raise DesignError("method='jk1' is for unstratified designs; use 'jkn' "
                          "(R: 'Can't use JK1 for a stratified design').")
    st = design._stages[0]
    n = st.n_clusters
    zeros = np.zeros(n, dtype=np.int64)
    mult = JackknifeMultipliers(zeros, np.arange(n), zeros, np.full(n, n / (n - 1)))
    fpc = 1.0
    if st.popsize is not None:
        fpc = float((st.popsize[0] - n) / st.popsize[0])
    return mult, fpc * (n - 1) / n, np.ones(n)


def _jkn(design: SurveyDesign) -> tuple[JackknifeMultipliers, float, np.ndarray]:
    """R's ``jknweights``: one replicate per PSU of every stratum with two or more PSUs.

    A stratum's replicate ``j`` drops its ``j``-th PSU and multiplies the others by
    ``n_h / (n_h - 1)``; census strata (fpc equal to the sample) have none; a lonely PSU
    under "adjust" gets one replicate that drops it and multiplies every other PSU by
    ``nstrat / (nstrat - 1)``. Replicates follow the strata in order of appearance.
    """
    if design.strata_column is None:
        raise DesignError("method='jkn' is for stratified designs; this design has no strata. "
                          "Use 'jk1' (or 'bootstrap') for an unstratified design (R: 'Must "
                          "use JK1 or bootstrap for an unstratified design').")
    _, psu_stratum, _ = _psu_layout(design)
    st = design._stages[0]
    n_psu = psu_stratum.shape[0]
    size = np.bincount(psu_stratum, minlength=st.n_strata).astype(float)
    appear = np.full(st.n_strata, n_psu, dtype=np.int64)
    np.minimum.at(appear, psu_stratum, np.arange(n_psu))
    nstrat = int((size > 0).sum())
    f = np.ones(st.n_strata) if st.popsize is None else \
        (np.asarray(st.popsize, dtype=float) - size) / np.asarray(st.popsize, dtype=float)
    lonely = (size == 1) & (f != 0.0)
    if lonely.any() and design.lonely_psu == "fail":
        h = int(np.flatnonzero(lonely)[np.argmin(appear[lonely])])
        raise DesignError(f"Stratum {st.stratum_labels[h]} has only one PSU and "
                          "lonely_psu='fail'.")
    adjust = lonely & (design.lonely_psu == "adjust")
    keep = (size[psu_stratum] >= 2) & (f[psu_stratum] != 0.0) | adjust[psu_stratum]
    order = np.lexsort((np.arange(n_psu), appear[psu_stratum]))
    dropped = order[keep[order]]
    h = psu_stratum[dropped]
    if dropped.shape[0] == 0:
        raise DesignError("All strata were sampled exhaustively: there is no variance.")
    alone = adjust[h]
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(alone, nstrat / max(nstrat - 1, 1), size[h] / (size[h] - 1))
        rscales = np.where(alone, (nstrat - 1) / nstrat, f[h] * (size[h] - 1) / size[h])
    group = np.where(alone, ALL_PSUS, h)
    mult = JackknifeMultipliers(psu_stratum, dropped, group, factor)
    scale = n_psu / mult.shape[1] if (design.lonely_psu == "average"
                                       and mult.shape[1] < n_psu) else 1.0
    return mult, scale, rscales


def _brr_pairs(design: SurveyDesign) -> tuple[np.ndarray, np.ndarray]:
    """R's ``brrweights``: half-sample columns (n_psu, 2) and the pair index of each PSU."""
    _, _, first_rows = _psu_layout(design)
    assert design.strata_column is not None
    labels = design.data[design.strata_column].iloc[first_rows].astype(str).to_numpy()
    sizes = {lab: int((labels == lab).sum()) for lab in sorted(set(labels))}
    if any(s < 2 for s in sizes.values()):
        raise DesignError("BRR needs at least two PSUs in every stratum "
                          "(R: 'Some strata have fewer than 2 PSUs').")
    if any(s > 2 and s % 2 for s in sizes.values()):
        raise DesignError("BRR cannot split a stratum with an odd number (> 2) of PSUs.")
    oo = np.lexsort((np.arange(labels.shape[0]), labels))
    halves = np.zeros((labels.shape[0], 2))
    pair = np.zeros(labels.shape[0], dtype=np.int64)
    upto = 0
    large = [lab for lab, s in sizes.items() if s > 2]
    good = [lab for lab, s in sizes.items() if s == 2]
    for lab in large + good:
        idx = oo[labels[oo] == lab]
        halves[idx, 0] = np.resize([0, 1], idx.shape[0])
        halves[idx, 1] = np.resize([1, 0], idx.shape[0])
        pair[idx] = upto + np.repeat(np.arange(idx.shape[0] // 2), 2)
        upto += idx.shape[0] // 2
    return halves, pair


def _brr(design: SurveyDesign, fay_rho: float) -> tuple[np.ndarray, float, np.ndarray]:
    if design.strata_column is None:
        raise DesignError("BRR and Fay need a stratified design; use 'jk1' or 'bootstrap'.")
    halves, pair = _brr_pairs(design)
    h = hadamard(int(pair.max()) + 1)
    col = h[1 + pair, :].astype(np.int64)        # (n_psu, R): 1 -> second half-column
    rows = np.arange(halves.shape[0])[:, None]
    wa = halves[rows, col]
    wb = halves[rows, 1 - col]
    mult = wa * (2 - fay_rho) + wb * fay_rho
    n_rep = mult.shape[1]
    return mult, 1.0 / (n_rep * (1 - fay_rho) ** 2), np.ones(n_rep)


def _bootstrap(design: SurveyDesign, replicates: int, seed: int | None,
               sub: bool) -> tuple[np.ndarray, float, np.ndarray]:
    rng = np.random.default_rng(seed)
    _, psu_stratum, _ = _psu_layout(design)
    st = design._stages[0]
    n_psu = psu_stratum.shape[0]
    mult = np.zeros((n_psu, replicates))
    strata_order = psu_stratum[np.sort(np.unique(psu_stratum, return_index=True)[1])]
    for h in strata_order:
        members = np.flatnonzero(psu_stratum == h)
        nh = members.shape[0]
        draws = nh - 1 if sub else nh
        if sub and nh < 2:
            raise DesignError(f"Stratum {st.stratum_labels[h]} has one PSU: the subbootstrap "
                              "needs at least two.")
        if st.popsize is not None and not sub:
            pop = round(float(st.popsize[h]))
            picks = np.stack([rng.choice(pop, nh, replace=False) % nh
                              for _ in range(replicates)])
        else:
            picks = rng.integers(0, nh, size=(replicates, draws))
        offsets = (np.arange(replicates) * nh)[:, None]
        counts = np.bincount((picks + offsets).ravel(), minlength=replicates * nh)
        mult[members] = counts.reshape(replicates, nh).T
    if sub:
        nh_psu = np.bincount(psu_stratum)[psu_stratum].astype(float)
        return mult * (nh_psu / (nh_psu - 1))[:, None], 1.0 / (replicates - 1), \
            np.ones(replicates)
    per_stratum = 1.0 / np.mean(1.0 / np.bincount(psu_stratum)[np.unique(psu_stratum)])
    scale = per_stratum / ((per_stratum - 1) * (replicates - 1))
    return mult, scale, np.ones(replicates)


def _known_df(design: SurveyDesign, method: str,
              mult: np.ndarray | JackknifeMultipliers) -> int | None:
    """R's ``degf`` (rank of the replicate weights minus one) where the construction fixes it.

    Every PSU carrying weight: JK1's ``n`` columns are independent (rank ``n``); each JKn
    stratum's columns sum to ``n_h`` times the ones vector, one dependency per stratum but
    the first (rank ``R - S + 1``); BRR and Fay span the ones vector and one Hadamard row
    per pair of PSUs (rank ``pairs + 1``). None where no closed form applies (bootstrap,
    JKn with adjusted lonely PSUs, PSUs without weight): the rank is then computed.
    """
    index, psu_stratum, _ = _psu_layout(design)
    carried = np.bincount(index[design.analysis_weights() > 0], minlength=mult.shape[0])
    if not (carried > 0).all():
        return None
    if method == "jk1":
        return mult.shape[1] - 1
    if method in ("brr", "fay"):
        return mult.shape[0] // 2
    if method != "jkn":
        return None
    sizes = np.bincount(psu_stratum)
    present = np.flatnonzero(sizes)
    if design.lonely_psu == "adjust" and (sizes[present] == 1).any():
        return None
    popsize = design._stages[0].popsize
    census = np.zeros(sizes.shape[0], dtype=bool) if popsize is None else \
        np.asarray(popsize[:sizes.shape[0]], dtype=float) == sizes
    strata = int(((sizes[present] >= 2) & ~census[present]).sum())
    return mult.shape[1] - strata


def make_replicates(design: SurveyDesign, method: str = "auto", *,
                    replicates: int | None = None, seed: int | None = None,
                    fay_rho: float = 0.0, mse: bool = False, **kwargs: Any) -> ReplicateDesign:
    """Convert a design to replicate weights (R's ``as.svrepdesign``).

    Parameters
    ----------
    design : SurveyDesign
        Uses first-stage strata, PSUs and fpc (later stages are ignored, as R).
    method : {"auto", "jk1", "jkn", "brr", "fay", "bootstrap", "subbootstrap"}
        ``"auto"``: "jk1" without strata, "jkn" with strata (R's default).
    replicates : int, optional
        Number of bootstrap replicates (default 50, as R).
    seed : int, optional
        Seed for the bootstrap methods.
    fay_rho : float
        Fay's rho for ``"fay"`` (0 < rho < 1).
    mse : bool
        Centre the variance at the full-sample estimate.
    **kwargs
        Not used; reserved.

    Returns
    -------
    ReplicateDesign
        With compressed (per-PSU) multipliers of the design weights.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    >>> r = d.to_replicates("jk1")
    >>> r.n_replicates, round(float(sk.mean(r, "api00").se[0]), 3)
    (15, 26.329)

    """
    check_option("method", method, METHODS)
    if design.pps is not None:
        raise DesignError(
            "Replicate weights for a PPS design (pps=...) are not supported: the jackknife "
            "and bootstrap here use a constant fpc per stratum and would ignore the unequal "
            "inclusion probabilities. Estimate on the PPS design itself.")
    if kwargs:
        raise TypeError(f"Unexpected arguments: {sorted(kwargs)!r}.")
    if method == "auto":
        method = "jk1" if design.strata_column is None else "jkn"
    if design.domain is not None:
        raise DesignError("Convert the full design to replicates before taking subset().")
    mult: np.ndarray | JackknifeMultipliers
    if method == "jk1":
        mult, scale, rscales = _jk1(design)
    elif method == "jkn":
        mult, scale, rscales = _jkn(design)
    elif method in ("brr", "fay"):
        if method == "fay" and not 0 < fay_rho < 1:
            raise DesignError(f"method='fay' needs 0 < fay_rho < 1 (got {fay_rho!r}).")
        mult, scale, rscales = _brr(design, fay_rho if method == "fay" else 0.0)
    else:
        n_rep = 50 if replicates is None else int(replicates)
        if n_rep < 2:
            raise DesignError(f"'replicates' must be at least 2 (got {n_rep}).")
        mult, scale, rscales = _bootstrap(design, n_rep, seed, method == "subbootstrap")
    index, _, _ = _psu_layout(design)
    return ReplicateDesign._from_multipliers(
        design.data, design.analysis_weights(), index, mult, method=method, scale=scale,
        rscales=rscales, mse=mse, fay_rho=fay_rho if method == "fay" else 0.0,
        design_columns=design._design_columns, df=_known_df(design, method, mult))
