"""PPS sampling without replacement: Hartley-Rao, Overton and joint-probability variances.

A design built with ``pps=HartleyRao(...)``, ``pps="overton"`` or
``pps=PPSMatrix(joint)`` (R's ``svydesign(..., pps=HR()/"overton"/ppsmat())``) keeps a
matrix ``D`` of weighted covariances of the sampling indicators,
``D_ij = (pi_ij - pi_i pi_j) / pi_ij`` (R's ``dcheck``), exactly or approximately, for
the first-stage clusters. Its variance of the totals ``T`` of influence values per cluster
is the Horvitz-Thompson form ``T' D T`` or the Yates-Grundy form
``T' D T - T' diag(D 1) T`` (R's ``htvar.matrix`` / ``ygvar.matrix`` inside ``ppsvar``).

``D`` is block-diagonal by stratum and kept as one dense block per stratum, so memory
grows with the sum of squared stratum sample sizes. Brewer's approximation
(``pps="brewer"``) needs no matrix: it is the ordinary linearisation engine with a finite
population correction per cluster (see :mod:`surveykit.design._stages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from surveykit.errors import DesignError

__all__ = ["HartleyRao", "PPSMatrix", "PPSVariance", "pps_variance"]

VarianceForm = Literal["HT", "YG"]


@dataclass(frozen=True, eq=False)
class HartleyRao:
    """Hartley-Rao approximation to the joint inclusion probabilities (R's ``HR()``).

    Parameters
    ----------
    psum : float, dict or None, default None
        The population sum of squared inclusion probabilities divided by the sample size,
        ``sum_k pi_k^2 / n``: one number, or ``{stratum: value}`` for a stratified design.
        None estimates it in each stratum by the mean sampled probability, as R's
        ``HR()``.

    Notes
    -----
    Off-diagonal ``D_ij = 1 - (n - pi_i - pi_j + psum) / (n - 1)`` within a stratum of
    ``n`` sampled clusters (zero where ``pi_i + pi_j == 1``, as R), diagonal ``1 - pi_i``.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit as sk
    >>> df = pd.DataFrame({"p": [0.2, 0.4, 0.5, 0.3], "y": [1.0, 3.0, 4.0, 2.0]})
    >>> d = sk.SurveyDesign(df, fpc="p", pps=sk.HartleyRao(psum=0.3))
    >>> round(float(sk.total(d, "y").se[0]), 6)
    3.435921

    R: ``svytotal(~y, svydesign(id=~1, fpc=~p, data=df, pps=HR(0.3)))``.

    """

    psum: float | Mapping[object, float] | None = None


@dataclass(frozen=True, eq=False)
class PPSMatrix:
    """Joint inclusion probabilities of the sampled units (R's ``ppsmat()``).

    Parameters
    ----------
    joint : array-like
        ``(n, n)`` symmetric matrix of pairwise inclusion probabilities of the rows of the
        data, with the inclusion probabilities on the diagonal.
    tolerance : float, default 1e-4
        Entries of ``D`` smaller than this in absolute value are set to zero, as R.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> import surveykit as sk
    >>> joint = np.array([[0.5, 0.3], [0.3, 0.7]])    # pi_1, pi_12; pi_21, pi_2
    >>> df = pd.DataFrame({"p": np.diag(joint), "y": [3.0, 5.0]})
    >>> d = sk.SurveyDesign(df, probs="p", pps=sk.PPSMatrix(joint))
    >>> round(float(sk.total(d, "y").se[0]), 6)
    4.361239

    R: ``svytotal(~y, svydesign(id=~1, probs=~p, data=df, pps=ppsmat(joint)))``.

    """

    joint: np.ndarray
    tolerance: float = 1e-4


PPSMethod = Literal["brewer", "overton", "hartley-rao"] | HartleyRao | PPSMatrix
PPS_NAMES = ("brewer", "overton", "hartley-rao")


@dataclass(frozen=True, eq=False)
class PPSVariance:
    """The matrix ``D`` in per-stratum blocks and the variance form.

    Attributes
    ----------
    blocks : tuple of (ndarray of int, ndarray)
        For each stratum, the cluster codes and their dense ``D`` block.
    form : {"HT", "YG"}
        Horvitz-Thompson or Yates-Grundy.
    method : str
        "hartley-rao", "overton" or "matrix" (for printing).

    """

    blocks: tuple[tuple[np.ndarray, np.ndarray], ...]
    form: VarianceForm
    method: str

    def covariance(self, totals: np.ndarray) -> np.ndarray:
        """``(k, k)`` covariance from the ``(C, k)`` totals of influence values per cluster.

        Examples
        --------
        >>> v = PPSVariance(((np.array([0, 1]), np.array([[0.5, -0.1], [-0.1, 0.4]])),),
        ...                 "HT", "matrix")
        >>> v.covariance(np.array([[1.0], [2.0]]))
        array([[1.7]])

        """
        k = totals.shape[1]
        v = np.zeros((k, k))
        for idx, dmat in self.blocks:
            t = totals[idx]
            v += t.T @ (dmat @ t)
            if self.form == "YG":
                v -= t.T @ (dmat.sum(axis=0)[:, None] * t)
        return v


def _pairwise(prob: np.ndarray, psum: float, method: str) -> np.ndarray:
    """R's ``HRDcheck`` / ``overton2Dcheck`` for the clusters of one stratum."""
    n = prob.shape[0]
    if method == "overton":
        fbar = (prob[:, None] + prob[None, :]) / 2.0
        with np.errstate(divide="ignore", invalid="ignore"):
            dmat = 1.0 - (n - fbar) / (n - 1)
    else:
        fbar = prob[:, None] + prob[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            dmat = 1.0 - (n - fbar + psum) / (n - 1)
    dmat = np.where(fbar == 1.0, 0.0, dmat)
    np.fill_diagonal(dmat, 1.0 - prob)
    return dmat


def _stratum_psum(psum: float | Mapping[object, float] | None, label: object,
                  prob: np.ndarray, strata_given: bool) -> float:
    if psum is None:
        return float(prob.mean())
    if isinstance(psum, Mapping):
        if label not in psum:
            raise DesignError(f"HartleyRao(psum=...) has no value for stratum {label!r}; "
                              f"give one value per stratum (keys {list(psum)!r}).")
        return float(psum[label])
    if strata_given:
        raise DesignError("HartleyRao(psum=<one number>) needs an unstratified design; for "
                          "a stratified design give {stratum: value} for every stratum.")
    return float(psum)


def _joint_block(spec: PPSMatrix, n_clusters: int) -> np.ndarray:
    """R's ``pi2Dcheck``: ``(pi_ij - pi_i pi_j) / pi_ij``, small entries set to zero."""
    joint = np.asarray(spec.joint, dtype=float)
    if joint.shape != (n_clusters, n_clusters):
        raise DesignError(f"PPSMatrix(joint) must be {n_clusters} x {n_clusters} (one row and "
                          f"column per sampled unit, in data order); got {joint.shape}.")
    if not np.allclose(joint, joint.T, rtol=1e-12, atol=0.0):
        raise DesignError("PPSMatrix(joint) must be symmetric (pi_ij = pi_ji).")
    if not (np.isfinite(joint).all() and (joint > 0).all() and (joint <= 1).all()):
        raise DesignError("PPSMatrix(joint) entries must be joint inclusion probabilities "
                          "in (0, 1]; a zero joint probability leaves the Horvitz-Thompson "
                          "variance undefined.")
    diag = np.diag(joint)
    dmat = (joint - np.outer(diag, diag)) / joint
    return np.where(np.abs(dmat) < spec.tolerance, 0.0, dmat)


def pps_variance(method: HartleyRao | PPSMatrix | str, form: VarianceForm,
                 clusters: np.ndarray, n_clusters: int, cluster_stratum: np.ndarray,
                 stratum_values: list[object], prob_rows: np.ndarray,
                 strata_given: bool) -> PPSVariance:
    """Build the per-stratum ``D`` blocks of a one-stage PPS design.

    Parameters
    ----------
    method : HartleyRao, PPSMatrix or "overton"
        The approximation or the joint probabilities.
    form : {"HT", "YG"}
        Variance form.
    clusters, n_clusters, cluster_stratum : ndarray, int, ndarray
        First-stage cluster code of every row (codes in order of first appearance), their
        number and the stratum code of every cluster.
    stratum_values : list
        The stratum value of each stratum code (keys of ``HartleyRao(psum={...})``).
    prob_rows : ndarray
        Inclusion probability of every row; a cluster takes the value of its first row.
    strata_given : bool
        Whether the design has strata.

    Returns
    -------
    PPSVariance

    """
    first = np.full(n_clusters, -1, dtype=np.int64)
    first[clusters[::-1]] = np.arange(clusters.shape[0] - 1, -1, -1)
    prob = prob_rows[first]
    if isinstance(method, PPSMatrix):
        block = (np.arange(n_clusters), _joint_block(method, n_clusters))
        return PPSVariance((block,), form, "matrix")
    name = "overton" if method == "overton" else "hartley-rao"
    spec = method if isinstance(method, HartleyRao) else HartleyRao()
    blocks = []
    for h, label in enumerate(stratum_values):
        idx = np.flatnonzero(cluster_stratum == h)
        if idx.size == 0:
            continue
        psum = 0.0 if name == "overton" else _stratum_psum(spec.psum, label, prob[idx],
                                                           strata_given)
        blocks.append((idx, _pairwise(prob[idx], psum, name)))
    return PPSVariance(tuple(blocks), form, name)
