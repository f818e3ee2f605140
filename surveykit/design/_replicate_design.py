"""Designs with replicate weights (R's ``svrepdesign`` / the result of ``as.svrepdesign``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._display import object_html
from surveykit._validate import check_columns, check_option, check_type
from surveykit.design._base import FrozenDesign, column_names
from surveykit.design._blas import blas_threads
from surveykit.design._jackknife import JackknifeMultipliers
from surveykit.design._weights import as_weight_vector
from surveykit.errors import DesignError

__all__ = ["REPLICATE_METHODS", "ReplicateDesign", "replicate_rank"]

REPLICATE_METHODS = ("jk1", "jkn", "brr", "fay", "bootstrap", "subbootstrap", "other")
_CHUNK_BYTES = 64 * 2**20
Multipliers = np.ndarray | JackknifeMultipliers


def _default_scales(method: str, n_rep: int, scale: float | None,
                    rscales: np.ndarray | None, fay_rho: float) -> tuple[float, np.ndarray]:
    """R's ``svrepdesign`` defaults for ``scale`` and ``rscales``."""
    if method == "brr":
        scale = 1.0 / n_rep
    elif method == "fay":
        scale = 1.0 / (n_rep * (1.0 - fay_rho) ** 2)
    elif method in ("bootstrap", "subbootstrap") and scale is None:
        if n_rep < 2:
            raise DesignError(f"method={method!r} needs at least 2 replicate columns for its "
                              "default scale 1/(R - 1); got 1. Give more replicates or scale=.")
        scale = 1.0 / (n_rep - 1)
    elif method == "jk1" and scale is None:
        scale = (n_rep - 1) / n_rep
    elif method == "jkn" and rscales is None:
        raise DesignError("method='jkn' needs rscales=(n_h - 1) / n_h for each replicate "
                          "(R: 'Must provide rscales for combined JKn weights').")
    if scale is None:
        scale = 1.0
    rs = np.ones(n_rep) if rscales is None else np.broadcast_to(
        np.asarray(rscales, dtype=float), (n_rep,)).copy()
    return float(scale), rs


def replicate_rank(weights: np.ndarray, scale: np.ndarray | None = None) -> int:
    """Rank of replicate weights or multipliers (rows: units), as R's ``qr(...)$rank``.

    A singular value counts when it exceeds ``1e-5`` times the largest. Rows are divided by
    ``scale`` (their full-sample weight, which leaves the rank unchanged; zeros count as one)
    and duplicate rows dropped first, so the cost grows with the distinct multiplier
    patterns (at most the PSUs), not the rows.

    Examples
    --------
    >>> import numpy as np
    >>> jk1 = np.array([[0.0, 1.5, 1.5], [1.5, 0.0, 1.5], [1.5, 1.5, 0.0]])
    >>> replicate_rank(np.repeat(jk1, 2, axis=0))
    3

    """
    if weights.size == 0:
        return 0
    mult = weights if scale is None else weights / np.where(scale != 0, scale, 1.0)[:, None]
    probe = mult @ np.random.default_rng(0).standard_normal((mult.shape[1], 2))
    _, first = np.unique(probe, axis=0, return_index=True)
    a = mult[np.sort(first)]
    small, large = sorted(a.shape)
    with blas_threads(small * small * large):
        gram = a @ a.T if a.shape[0] <= a.shape[1] else a.T @ a
        s = np.sqrt(np.clip(np.linalg.eigvalsh(gram), 0.0, None))
    return int((s > 1e-5 * s.max()).sum()) if s.max() > 0 else 0


class ReplicateDesign(FrozenDesign):
    """A survey design whose variances come from replicate weights.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit. Never modified.
    weights : str or array-like
        Full-sample analysis weights.
    replicate_weights : list of str or array-like
        Replicate analysis weights ("combined" weights, as R's default
        ``combined.weights=TRUE``): column names or an ``(n, R)`` array.
    method : {"jk1", "jkn", "brr", "fay", "bootstrap", "subbootstrap", "other"}
        How the replicates were made; sets R's default ``scale``.
    scale : float, optional
        Overall multiplier of the variance (R's ``scale``).
    rscales : array-like, optional
        Per-replicate multipliers (R's ``rscales``), default ones.
    mse : bool, default False
        Centre replicate estimates at the full-sample estimate instead of their mean.
    fay_rho : float, default 0
        Fay's rho for ``method="fay"``.
    df : int, optional
        Degrees of freedom; default R's rule: rank of the replicate weights minus one.

    Notes
    -----
    The variance is ``scale * sum_r rscales_r (theta_r - centre)^2`` (R's ``svrVar``).

    Designs made by :meth:`SurveyDesign.to_replicates` keep multipliers per PSU, not
    ``(n, R)`` weights; jackknife designs (JK1, JKn) keep only the PSU each replicate
    deletes and the factor of the others, so their replicate totals come from PSU totals
    and the ``(n, R)`` weights exist only when :attr:`replicate_weights_array` is asked
    for. Weighting steps (post-stratification, raking, calibration, trimming) give each
    replicate its own weights; their result holds the full ``(n, R)`` array and takes the
    general path.
    Equivalent R: ``svrepdesign(data=df, weights=~w, repweights=..., type=..., scale=,
    rscales=, mse=, combined.weights=TRUE)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0]})
    >>> rep = np.array([[0.0, 1.5, 1.5], [1.5, 0.0, 1.5], [1.5, 1.5, 0.0]]).T
    >>> r = ReplicateDesign(df, weights=np.ones(3), replicate_weights=rep, method="jk1")
    >>> r.n_replicates, round(r.scale, 4), r.df
    (3, 0.6667, 2)

    """

    __slots__ = ("_df", "_rep_full", "_rep_index", "_rep_psu", "fay_rho", "method", "mse",
                 "rscales", "scale")

    _df: int | None
    _rep_full: np.ndarray | None
    _rep_index: np.ndarray | None
    _rep_psu: Multipliers | None
    fay_rho: float
    method: str
    mse: bool
    rscales: np.ndarray
    scale: float

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        weights: str | Sequence[float] | np.ndarray | pd.Series,
        replicate_weights: Sequence[str] | np.ndarray,
        method: Literal["jk1", "jkn", "brr", "fay", "bootstrap", "subbootstrap", "other"],
        scale: float | None = None,
        rscales: Sequence[float] | np.ndarray | None = None,
        mse: bool = False,
        fay_rho: float = 0.0,
        df: int | None = None,
    ) -> None:
        check_type("data", data, pd.DataFrame, "a pandas DataFrame")
        check_option("method", method, REPLICATE_METHODS)
        w = as_weight_vector("weights", data, weights)
        rep = self._read_replicates(data, replicate_weights)
        if method == "fay" and not 0 < fay_rho < 1:
            raise DesignError(f"method='fay' needs 0 < fay_rho < 1 (got {fay_rho!r}).")
        sc, rs = _default_scales(method, rep.shape[1],
                                 scale, None if rscales is None else np.asarray(rscales),
                                 fay_rho)
        self._init(data.copy(deep=False), w, method, sc, rs, mse, fay_rho, df,
                   full=rep, index=None, mult=None)
        named = None if isinstance(replicate_weights, np.ndarray) else list(replicate_weights)
        object.__setattr__(self, "_design_columns", column_names(weights, named))

    @staticmethod
    def _read_replicates(data: pd.DataFrame, rw: Sequence[str] | np.ndarray) -> np.ndarray:
        if isinstance(rw, np.ndarray):
            arr = np.asarray(rw, dtype=float)
        else:
            cols = check_columns("replicate_weights", data, list(rw))
            arr = data[cols].to_numpy(dtype=float)
        if arr.ndim != 2 or arr.shape[0] != len(data) or arr.shape[1] < 1:
            raise DesignError(f"'replicate_weights' must be an (n={len(data)}, R) array with "
                              f"at least one replicate column; got shape {arr.shape}.")
        if not np.isfinite(arr).all():
            raise DesignError("'replicate_weights' has missing or infinite values.")
        return arr

    def _init(self, data: pd.DataFrame, w: np.ndarray, method: str, scale: float,
              rscales: np.ndarray, mse: bool, fay_rho: float, df: int | None, *,
              full: np.ndarray | None, index: np.ndarray | None,
              mult: Multipliers | None) -> None:
        sets = object.__setattr__
        for name, value in (("_data", data), ("_w", w), ("_domain", None), ("method", method),
                            ("scale", scale), ("rscales", rscales), ("mse", bool(mse)),
                            ("fay_rho", float(fay_rho)), ("_df", df), ("_rep_full", full),
                            ("_rep_index", index), ("_rep_psu", mult),
                            ("calibrations", ()), ("weighting_history", ()),
                            ("_design_columns", ())):
            sets(self, name, value)
        if self.rscales.shape[0] != self.n_replicates:
            raise DesignError(f"'rscales' has {self.rscales.shape[0]} values; there are "
                              f"{self.n_replicates} replicates.")
        if df is None:
            sets(self, "_df", self._rank_df())

    @classmethod
    def _from_multipliers(cls, data: pd.DataFrame, w: np.ndarray, index: np.ndarray,
                          mult: Multipliers, *, method: str, scale: float,
                          rscales: np.ndarray, mse: bool, fay_rho: float = 0.0,
                          design_columns: tuple[str, ...] = (),
                          df: int | None = None) -> ReplicateDesign:
        """Compressed replicate weights: ``w[i] * mult[index[i], r]`` (R's compressed form).

        ``mult``: the ``(n_psu, R)`` multipliers, or a :class:`JackknifeMultipliers` that
        stands for them without storing them. ``df`` None: the rank of the multipliers of
        the PSUs in use, minus one.
        """
        new = cls.__new__(cls)
        new._init(data.copy(deep=False), w, method, scale, rscales, mse, fay_rho, df,
                  full=None, index=index, mult=mult)
        object.__setattr__(new, "_design_columns", design_columns)
        return new

    def _rank_df(self) -> int:
        return self.rank_df()

    def rank_df(self, rows: np.ndarray | None = None) -> int:
        """R's ``degf`` of the design, or of its subset to ``rows``: rank minus one.

        The rank of the replicate weights of the rows with non-zero weight (R's
        ``qr(weights(design, "analysis"))$rank``, as :func:`replicate_rank` computes it).
        Compressed designs use the multipliers of the PSUs in use instead of the
        ``(n, R)`` weights (rows divided by their weight: the same rank); jackknife
        designs take it in closed form, so no multiplier array is built.

        Parameters
        ----------
        rows : ndarray of bool, optional
            Rows of the subset (default: every row of the design's domain).

        Returns
        -------
        int

        Examples
        --------
        >>> import surveykit as sk
        >>> from surveykit.datasets import load_api
        >>> d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype")
        >>> r = d.to_replicates("jkn")
        >>> r.rank_df(), r.rank_df(r.data["stype"].to_numpy() == "E")
        (197, 99)

        """
        w = self._w if rows is None else self.analysis_weights()
        if self._rep_psu is not None and self._rep_index is not None:
            mask = w != 0 if rows is None else (w != 0) & rows
            used = np.bincount(self._rep_index[mask], minlength=self._rep_psu.shape[0]) > 0
            if isinstance(self._rep_psu, JackknifeMultipliers):
                known = self._rep_psu.rank(used)
                return (known if known is not None else replicate_rank(
                    self._rep_psu.columns(psus=np.flatnonzero(used)))) - 1
            return replicate_rank(self._rep_psu[used]) - 1
        assert self._rep_full is not None
        if rows is None:
            return replicate_rank(self._rep_full, w) - 1
        full = self._rep_full[rows]
        if self._domain is not None:
            full = full * self._domain[rows, None]
        return replicate_rank(full, w[rows]) - 1

    @property
    def _rep_mult(self) -> np.ndarray | None:
        """The ``(n_psu, R)`` multipliers of a compressed design as an array (built on call)."""
        if isinstance(self._rep_psu, JackknifeMultipliers):
            return self._rep_psu.columns()
        return self._rep_psu

    @property
    def n_replicates(self) -> int:
        """Number of replicates ``R``."""
        src = self._rep_psu if self._rep_psu is not None else self._rep_full
        assert src is not None
        return int(src.shape[1])

    @property
    def df(self) -> int:
        """Degrees of freedom (R's ``degf``: rank of the replicate weights minus one)."""
        assert self._df is not None
        return self._df

    @property
    def is_compressed(self) -> bool:
        """True when replicate weights are stored as per-PSU multipliers."""
        return self._rep_psu is not None

    def _rows_in_use(self) -> np.ndarray | None:
        return self._domain

    def replicate_chunks(self, max_bytes: int = _CHUNK_BYTES) -> Iterator[tuple[slice,
                                                                                 np.ndarray]]:
        """Yield ``(slice, (n, r) replicate analysis weights)`` in memory-bounded chunks.

        Rows outside the domain have weight zero.
        """
        step = max(1, int(max_bytes // (8 * max(self.n, 1))))
        dom = self._domain
        for start in range(0, self.n_replicates, step):
            sl = slice(start, min(start + step, self.n_replicates))
            if self._rep_full is not None:
                block = self._rep_full[:, sl]
            else:
                assert self._rep_psu is not None and self._rep_index is not None
                block = self._w[:, None] * self._psu_columns(sl)[self._rep_index]
            yield sl, (block * dom[:, None] if dom is not None else block)

    def _psu_columns(self, replicates: slice) -> np.ndarray:
        """Multipliers of some replicates, ``(n_psu, r)`` (compressed designs)."""
        assert self._rep_psu is not None
        if isinstance(self._rep_psu, JackknifeMultipliers):
            return self._rep_psu.columns(replicates)
        return self._rep_psu[:, replicates]

    @property
    def replicate_weights_array(self) -> np.ndarray:
        """All replicate analysis weights as an ``(n, R)`` array (zero outside the domain)."""
        return np.concatenate([b for _, b in self.replicate_chunks(2**62)], axis=1)

    def with_weights(self, new_weights: object, new_replicate_weights: np.ndarray, *,
                     record: object = None) -> ReplicateDesign:
        """Return a new design with new full-sample and replicate weights (weighting layer).

        The result stores the ``(n, R)`` replicate weights (the per-PSU structure of a
        design from :meth:`SurveyDesign.to_replicates` does not survive weights that
        change per replicate), so its estimates take the general, dense path.

        Parameters
        ----------
        new_weights : str or array-like
            Full-sample analysis weights.
        new_replicate_weights : ndarray
            ``(n, R)`` replicate analysis weights, same ``R``.
        record : object, optional
            Appended to ``weighting_history``.

        """
        w = as_weight_vector("new_weights", self._data, new_weights, allow_negative=True)
        rep = self._read_replicates(self._data, new_replicate_weights)
        if rep.shape[1] != self.n_replicates:
            raise DesignError(f"new_replicate_weights has {rep.shape[1]} replicates; the "
                              f"design has {self.n_replicates}.")
        history = self.weighting_history + ((record,) if record is not None else ())
        new = self._replace(_w=w, _rep_full=rep, _rep_index=None, _rep_psu=None,
                            weighting_history=history,
                            _design_columns=column_names(self._design_columns, new_weights))
        object.__setattr__(new, "_df", new._rank_df())
        return new

    def _repr_html_(self) -> str:
        return object_html(repr(self))

    def __repr__(self) -> str:
        dom = f", domain={int(self._domain.sum())} rows" if self._domain is not None else ""
        return (f"ReplicateDesign(n={self.n}, method={self.method!r}, "
                f"replicates={self.n_replicates}, scale={self.scale:g}, mse={self.mse}{dom})")
