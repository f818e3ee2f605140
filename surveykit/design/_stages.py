"""The sampling stages of a design: strata, clusters and population sizes, as integer codes.

Built once when a :class:`~surveykit.SurveyDesign` is created (R's ``svydesign`` +
``as.fpc``). Stage ``s > 1`` is stratified by the clusters of stage ``s - 1`` (R's
``interaction(strata, ids[, s-1])``) and its cluster codes are nested in those of stage
``s - 1`` (R's ``interaction(ids[, 1:s])``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit.design._codes import factorize, interaction
from surveykit.errors import DesignError

__all__ = ["Stage", "build_stages"]


@dataclass(frozen=True, eq=False)
class Stage:
    """One sampling stage as codes.

    Attributes
    ----------
    strata, clusters : ndarray of int
        Per-row stratum and cluster codes at this stage (clusters nested in strata).
    n_strata, n_clusters : int
        Number of distinct codes.
    cluster_stratum : ndarray of int
        Stratum code of each cluster, shape ``(n_clusters,)``.
    npsu : ndarray of int
        Number of sampled clusters in each stratum (R's ``fpc$sampsize``), full design.
    popsize : ndarray of float or None
        Population number of clusters per stratum (``inf`` allowed), or None without fpc.
    stratum_group : ndarray of int
        Code of the enclosing cluster of the previous stage for each stratum (zeros at
        stage 1); R's recursion calls ``onestage`` once per such group.
    n_groups : int
        Number of groups.
    stratum_labels : list
        Printable label of each stratum (for error messages).
    cluster_popsize : ndarray of float or None
        PPS sampling (``pps="brewer"``): population size implied by each cluster's own
        inclusion probability, ``npsu / pi`` (R's per-row ``fpc$popsize``); ``popsize``
        is then None.

    """

    strata: np.ndarray
    n_strata: int
    clusters: np.ndarray
    n_clusters: int
    cluster_stratum: np.ndarray
    npsu: np.ndarray
    popsize: np.ndarray | None
    stratum_group: np.ndarray
    n_groups: int
    stratum_labels: list[str]
    cluster_popsize: np.ndarray | None = None

    @property
    def has_fpc(self) -> bool:
        """Whether the stage has a finite population correction (per stratum or cluster)."""
        return self.popsize is not None or self.cluster_popsize is not None


def _first_of(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Value of ``values`` at a representative row of each code (codes 0..n-1 all present).

    One O(n) scatter (the last row of each code wins); callers use it only for values that
    are constant within a code, or check that they are.
    """
    rep = np.zeros(n, dtype=np.int64)
    rep[codes] = np.arange(codes.shape[0])
    return values[rep]


def _cluster_codes(data: pd.DataFrame, psu: list[str], strata1: np.ndarray | None,
                   nest: bool) -> list[tuple[np.ndarray, int]]:
    n = len(data)
    if not psu:
        codes = [(np.arange(n, dtype=np.int64), n)]
    else:
        codes = []
        prev: np.ndarray | None = None
        for col in psu:
            raw, nraw = factorize(data[col])
            cur = (raw, nraw) if prev is None else interaction(prev, raw)
            codes.append(cur)
            prev = cur[0]
    if nest and strata1 is not None:
        codes = [interaction(strata1, c) for c, _ in codes]
    return codes


def _check_nesting(strata1: np.ndarray, clusters1: np.ndarray, n_clusters: int,
                   data: pd.DataFrame, psu: list[str]) -> None:
    # nested iff every row has the stratum of its cluster's representative row: O(n)
    wrong = strata1 != _first_of(clusters1, strata1, n_clusters)[clusters1]
    if wrong.any():
        row = int(np.flatnonzero(wrong)[0])
        label = data[psu[0]].iloc[row] if psu else row
        shown = repr(label) if isinstance(label, str) else str(label)
        raise DesignError(
            f"Clusters are not nested in strata at stage 1: PSU {shown} of column "
            f"{psu[0] if psu else 'row'!r} appears in more than one stratum. "
            "Pass nest=True if PSU labels are only unique within strata."
        )


def _popsize(fpc_rows: np.ndarray, strata: np.ndarray, n_strata: int, npsu: np.ndarray,
             is_popsize: bool, stage: int, labels: list[str], column: str) -> np.ndarray:
    popsize_rows = fpc_rows if is_popsize else npsu[strata] / fpc_rows
    first = _first_of(strata, popsize_rows, n_strata)
    varies = popsize_rows != first[strata]
    if varies.any():
        h = int(strata[np.flatnonzero(varies)[0]])
        raise DesignError(
            f"'fpc' column {column!r} varies within stratum {labels[h]} at stage {stage}; "
            "the finite population correction must be constant within each stratum "
            "(for inclusion probabilities that vary within a stratum, as in PPS sampling, "
            "build the design with pps='brewer' or another pps=... method)."
        )
    if (first < npsu).any():
        h = int(np.flatnonzero(first < npsu)[0])
        raise DesignError(
            f"'fpc' column {column!r} implies more than 100% sampling in stratum {labels[h]} "
            f"at stage {stage}: population size {first[h]:g} < {int(npsu[h])} sampled units."
        )
    return first.astype(float)


def _cluster_popsize(fpc_rows: np.ndarray, clusters: np.ndarray, n_clusters: int,
                     npsu_rows: np.ndarray, stage: int, column: str) -> np.ndarray:
    """Per-cluster population sizes ``npsu / pi`` of a PPS stage (R's ``as.fpc(pps=TRUE)``)."""
    first = _first_of(clusters, fpc_rows, n_clusters)
    varies = fpc_rows != first[clusters]
    if varies.any():
        raise DesignError(
            f"'fpc' column {column!r} varies within a cluster at stage {stage} (first at row "
            f"{int(np.flatnonzero(varies)[0])}); with pps=... it holds each cluster's "
            "inclusion probability, which must be the same on all rows of the cluster."
        )
    return _first_of(clusters, npsu_rows, n_clusters) / first


def detect_fpc_kind(data: pd.DataFrame, fpc: list[str]) -> bool:
    """Return True when ``fpc`` columns hold population sizes, False for sampling fractions.

    As R's ``as.fpc``: all values >= 1 (and some > 1) are population sizes, all <= 1 are
    sampling fractions; a mixture is an error.
    """
    values = data[fpc].to_numpy(dtype=float)
    if np.isnan(values).any():
        col = fpc[int(np.flatnonzero(np.isnan(values).any(axis=0))[0])]
        raise DesignError(f"'fpc' column {col!r} has missing values; fpc must be complete.")
    if (values <= 0).any():
        raise DesignError("'fpc' values must be positive (population sizes or fractions).")
    is_popsize = bool((values > 1).any())
    if (values == 1).all():
        raise DesignError(
            f"Every 'fpc' value in columns {fpc!r} is 1, which can mean two things: a "
            "sampling fraction of 100 % (every unit of the population sampled: a census, "
            "no sampling variance at all) or a population of one unit per stratum. Give "
            "population sizes (units in the stratum, e.g. 6194) or fractions (n / N, "
            "e.g. 0.03); leave 'fpc' out for sampling with replacement."
        )
    if is_popsize != bool((values >= 1).all()):
        raise DesignError(
            "'fpc' mixes population sizes (> 1) and sampling fractions (< 1) "
            f"in columns {fpc!r}: give all as population sizes or all as fractions."
        )
    return is_popsize


def _stratum_labels(data: pd.DataFrame, strata: str | None, codes: np.ndarray,
                    n: int, stage: int) -> list[str]:
    if stage == 1 and strata is not None:
        first = _first_of(codes, np.arange(len(data)), n)  # one row per stratum, not a column
        return [repr(v) if isinstance(v, str) else str(v)
                for v in data[strata].iloc[first].to_numpy()]
    return [f"#{h + 1}" for h in range(n)]


def _check_complete(data: pd.DataFrame, columns: list[str]) -> None:
    for col in columns:
        missing = data[col].isna().to_numpy()
        if missing.any():
            raise DesignError(
                f"Design column {col!r} has {int(missing.sum())} missing value(s) (first at "
                f"row {data.index[int(np.flatnonzero(missing)[0])]!r}); strata and PSU "
                "identifiers must be complete."
            )


def build_stages(data: pd.DataFrame, *, strata: str | None, psu: list[str],
                 fpc: list[str], nest: bool, pps: bool = False) -> list[Stage]:
    """Factorise strata, clusters and fpc of every stage (R's ``svydesign``/``as.fpc``).

    With ``pps=True`` the fpc columns are inclusion probabilities that may vary within a
    stratum (constant within a cluster); each cluster then gets its own population size.
    """
    n = len(data)
    _check_complete(data, [*( [strata] if strata else []), *psu])
    strata1 = factorize(data[strata]) if strata is not None else None
    cluster_codes = _cluster_codes(data, psu, strata1[0] if strata1 else None, nest)
    if not psu:
        n_raw = n
    elif nest and strata is not None:
        n_raw = factorize(data[psu[0]])[1]
    else:
        n_raw = cluster_codes[0][1] if len(psu) == 1 else factorize(data[psu[0]])[1]
    if n_raw == 1 and not (nest and strata is not None):
        raise DesignError(
            f"The design has only one primary sampling unit (column {psu[0] if psu else 'row'!r}"
            "); a variance cannot be estimated from one PSU."
        )
    s_codes = strata1 if strata1 else (np.zeros(n, dtype=np.int64), 1)
    if strata is not None and not nest:
        _check_nesting(s_codes[0], *cluster_codes[0], data, psu)
    is_popsize = detect_fpc_kind(data, fpc) if fpc else True
    if pps and fpc and is_popsize:
        raise DesignError(
            f"With pps=..., 'fpc' ({fpc!r}) must hold inclusion probabilities (fractions "
            "<= 1), not population sizes, as R's svydesign requires for PPS sampling."
        )
    if fpc and len(fpc) != len(cluster_codes):
        raise DesignError(
            f"'fpc' has {len(fpc)} column(s) but the design has {len(cluster_codes)} "
            "stage(s); give one fpc column per stage (psu=[...] and fpc=[...])."
        )
    stages: list[Stage] = []
    for s, (clusters, n_clusters) in enumerate(cluster_codes, start=1):
        if s > 1:
            prev = stages[-1]
            s_codes = (prev.clusters, prev.n_clusters)
        st, n_st = s_codes
        cluster_stratum = _first_of(clusters, st, n_clusters)
        npsu = np.bincount(cluster_stratum, minlength=n_st)
        labels = _stratum_labels(data, strata, st, n_st, s)
        pop = cluster_pop = None
        if fpc:
            fpc_rows = data[fpc[s - 1]].to_numpy(dtype=float)
            if pps:
                cluster_pop = _cluster_popsize(fpc_rows, clusters, n_clusters,
                                               npsu[st].astype(float), s, fpc[s - 1])
            else:
                pop = _popsize(fpc_rows, st, n_st, npsu, is_popsize, s, labels, fpc[s - 1])
        group = (np.zeros(n_st, dtype=np.int64) if s == 1
                 else np.arange(n_st, dtype=np.int64))
        n_groups = 1 if s == 1 else n_st
        stages.append(Stage(st, n_st, clusters, n_clusters, cluster_stratum, npsu, pop,
                            group, n_groups, labels, cluster_pop))
    return stages
