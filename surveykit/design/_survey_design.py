"""The linearisation design: strata, clusters, fpc, weights and the lonely-PSU policy."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from surveykit._display import object_html
from surveykit._validate import as_column_list, check_columns, check_option, check_type
from surveykit.design._base import FrozenDesign, column_names
from surveykit.design._calibration import CalibrationRecord
from surveykit.design._pps import PPS_NAMES, HartleyRao, PPSMatrix, PPSVariance, pps_variance
from surveykit.design._stages import Stage, build_stages
from surveykit.design._weights import as_weight_vector, design_weights
from surveykit.errors import DesignError, LonelyPSUWarning

if TYPE_CHECKING:
    from surveykit.design._replicate_design import ReplicateDesign

__all__ = ["LONELY_PSU_POLICIES", "SurveyDesign"]

LONELY_PSU_POLICIES = ("fail", "adjust", "average", "certainty", "remove")
LonelyPolicy = Literal["fail", "adjust", "average", "certainty", "remove"]


class SurveyDesign(FrozenDesign):
    """A complex survey design for linearisation (Taylor series) variance estimation.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per sampled unit. Never modified.
    weights : str or array-like, optional
        Analysis (sampling) weights: a column name or values aligned with ``data``.
    probs : str, list of str or array-like, optional
        Selection probabilities instead of weights (one column per stage is multiplied).
    strata : str, optional
        Column of first-stage strata.
    psu : str or list of str, optional
        Cluster identifiers, one column per stage (``["dnum", "snum"]``). None: each row
        is its own PSU (element sampling).
    fpc : str or list of str, optional
        Finite population correction, one column per stage, as population sizes (numbers
        of PSUs in the stratum) or sampling fractions; the kind is detected as in R
        (all values >= 1 are sizes, all <= 1 fractions, a mixture is an error).
    nest : bool, default False
        PSU labels are unique only within strata (R's ``nest=TRUE``).
    lonely_psu : {"fail", "adjust", "average", "certainty", "remove"}, default "fail"
        What to do with a stratum that has a single PSU (R's ``options(survey.lonely.psu)``,
        here a field of the design). ``"fail"`` raises :class:`~surveykit.DesignError`
        naming the strata when a variance is computed.
    adjust_domain_lonely : bool, default False
        Apply the policy also to strata with a single PSU *within a domain* (R's
        ``options(survey.adjust.domain.lonely=TRUE)``).
    with_replacement : bool, default False
        Declare first-stage sampling with replacement; ``fpc`` must then be None.
    pps : {"brewer", "overton", "hartley-rao"}, HartleyRao or PPSMatrix, optional
        Sampling with probability proportional to size without replacement (R's
        ``svydesign(pps=...)``); ``fpc`` then holds each cluster's inclusion probability,
        which may vary within a stratum. ``"brewer"``: Brewer's approximation, any number
        of stages. ``"overton"``, ``"hartley-rao"`` (R's ``HR()``),
        :class:`~surveykit.HartleyRao` with a known ``psum`` and
        :class:`~surveykit.PPSMatrix` (joint inclusion probabilities, R's ``ppsmat``): one
        stage. Inclusion probabilities come from ``probs``, else ``fpc``, else
        ``1 / weights``.
    variance : {"HT", "YG"}, default "HT"
        Horvitz-Thompson or Yates-Grundy form of the PPS variance (R's ``variance=``);
        "YG" needs a ``pps`` method other than "brewer", as in R.

    Attributes
    ----------
    weights : pandas.Series
        Analysis weights aligned with ``data`` (zero outside a subset's domain).
    df : int
        Design degrees of freedom: PSUs minus strata among rows with non-zero weight
        (R's ``degf``).

    See Also
    --------
    ReplicateDesign : designs with replicate weights.

    Notes
    -----
    Equivalent R: ``svydesign(ids=~psu, strata=~strata, fpc=~fpc, weights=~w, data=df,
    nest=nest)`` with ``options(survey.lonely.psu=lonely_psu)``.

    With ``pps="brewer"`` and clusters, R 4.1.1 pairs each cluster's ``1 - pi`` with the
    clusters of its stratum in order of first appearance but their totals in sorted order
    of the cluster labels; surveykit keeps each cluster with its own probability. The two
    agree when the data are sorted by cluster within strata (sort them to get R's number).
    A subset of a PPS design keeps every stratum and cluster, as R does.

    Calibrating an Overton, Hartley-Rao or joint-probability design: R 4.1.1's ``ppsvar``
    computes the calibration residuals but then uses the raw influence values, so its
    standard errors ignore the calibration; surveykit residualises, as for every other
    design (and as R does for Brewer). R's number: build the same PPS design again with
    the calibrated weights as ``weights=`` and the probabilities as ``fpc=``. The deff of
    a total on those designs also differs (R's ``svytotal.pps`` leaves out the ``1/n`` of
    the SRS variance); means agree.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"st": [1, 1, 2, 2], "psu": [1, 2, 3, 4],
    ...                    "w": [10.0, 10.0, 20.0, 20.0], "y": [1.0, 2.0, 3.0, 5.0]})
    >>> d = SurveyDesign(df, weights="w", strata="st", psu="psu")
    >>> d.df
    2
    >>> d.subset("y > 1").df
    1
    >>> pps = pd.DataFrame({"p": [0.2, 0.4, 0.5, 0.3], "y": [1.0, 3.0, 4.0, 2.0]})
    >>> SurveyDesign(pps, fpc="p", pps="brewer").weights.round(2).tolist()
    [5.0, 2.5, 2.0, 3.33]

    """

    __slots__ = ("_stages", "adjust_domain_lonely", "fpc_columns", "lonely_psu", "nest",
                 "pps", "pps_variance", "psu_columns", "strata_column", "variance",
                 "with_replacement")

    _stages: list[Stage]
    adjust_domain_lonely: bool
    fpc_columns: list[str]
    lonely_psu: LonelyPolicy
    nest: bool
    psu_columns: list[str]
    pps: str | HartleyRao | PPSMatrix | None
    pps_variance: PPSVariance | None
    strata_column: str | None
    variance: str
    with_replacement: bool

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        weights: str | Sequence[float] | np.ndarray | pd.Series | None = None,
        probs: str | list[str] | np.ndarray | pd.Series | None = None,
        strata: str | None = None,
        psu: str | list[str] | None = None,
        fpc: str | list[str] | None = None,
        nest: bool = False,
        lonely_psu: LonelyPolicy = "fail",
        adjust_domain_lonely: bool = False,
        with_replacement: bool = False,
        pps: str | HartleyRao | PPSMatrix | None = None,
        variance: Literal["HT", "YG"] = "HT",
    ) -> None:
        check_type("data", data, pd.DataFrame, "a pandas DataFrame")
        check_option("lonely_psu", lonely_psu, LONELY_PSU_POLICIES)
        if strata is not None:
            check_type("strata", strata, str, "one column name")
        psu_cols = as_column_list("psu", psu)
        fpc_cols = as_column_list("fpc", fpc)
        check_columns("strata", data, [strata] if strata else [])
        check_columns("psu", data, psu_cols)
        check_columns("fpc", data, fpc_cols)
        if with_replacement and fpc_cols:
            raise DesignError("with_replacement=True and fpc=... contradict each other: "
                              "an fpc describes sampling without replacement. Drop one.")
        if len(data) == 0:
            raise DesignError("The data has no rows.")
        _check_pps(pps, variance, psu_cols, with_replacement)
        stages = build_stages(data, strata=strata, psu=psu_cols, fpc=fpc_cols, nest=nest,
                              pps=pps is not None)
        w = design_weights(data, weights, probs, stages)
        sets = object.__setattr__
        sets(self, "pps", pps)
        sets(self, "variance", variance)
        sets(self, "pps_variance", None if pps in (None, "brewer") else _matrix_variance(
            data, pps, variance, stages[0], strata, w, probs, fpc_cols))
        sets(self, "_data", data.copy(deep=False))
        sets(self, "_w", w)
        sets(self, "_domain", None)
        sets(self, "_design_columns", column_names(weights, probs, strata, psu_cols, fpc_cols))
        sets(self, "_stages", stages)
        sets(self, "strata_column", strata)
        sets(self, "psu_columns", psu_cols)
        sets(self, "fpc_columns", fpc_cols)
        sets(self, "nest", bool(nest))
        sets(self, "lonely_psu", lonely_psu)
        sets(self, "adjust_domain_lonely", bool(adjust_domain_lonely))
        sets(self, "with_replacement", bool(with_replacement))
        sets(self, "calibrations", ())
        sets(self, "weighting_history", ())
        self._warn_lonely()

    def _warn_lonely(self) -> None:
        if self.lonely_psu == "fail" or self.pps_variance is not None:
            return
        for s, stage in enumerate(self._stages[:1] if not self._stages[0].has_fpc
                                  else self._stages, start=1):
            lonely = np.flatnonzero(stage.npsu == 1)
            if lonely.size and s == 1:
                labels = ", ".join(stage.stratum_labels[h] for h in lonely[:10])
                warnings.warn(f"{lonely.size} stratum/strata with a single PSU at stage 1 "
                              f"({labels}); lonely_psu={self.lonely_psu!r} will be applied.",
                              LonelyPSUWarning, stacklevel=3)

    @property
    def df(self) -> int:
        """Design degrees of freedom, R's ``degf``: PSUs minus strata among rows in use."""
        inset = self.analysis_weights() != 0
        st = self._stages[0]
        n_psu = np.count_nonzero(np.bincount(st.clusters[inset], minlength=st.n_clusters))
        n_strata = np.count_nonzero(np.bincount(st.strata[inset], minlength=st.n_strata))
        return int(n_psu - n_strata)

    @property
    def n_stages(self) -> int:
        """Number of sampling stages."""
        return len(self._stages)

    def with_weights(self, new_weights: object, *, record: object = None,
                     calibration: CalibrationRecord | None = None) -> SurveyDesign:
        """Return a new design with other analysis weights (used by the weighting layer).

        Parameters
        ----------
        new_weights : str or array-like
            A column of ``data`` or values aligned with it.
        record : object, optional
            Description of the weighting step, appended to ``weighting_history``.
        calibration : CalibrationRecord, optional
            Appended to ``calibrations``; the linearisation engine residualises influence
            values through it.

        Returns
        -------
        SurveyDesign

        """
        w = as_weight_vector("new_weights", self._data, new_weights, allow_negative=True)
        history = self.weighting_history + ((record,) if record is not None else ())
        cals = self.calibrations + ((calibration,) if calibration is not None else ())
        return self._replace(_w=w, weighting_history=history, calibrations=cals,
                             _design_columns=column_names(self._design_columns, new_weights))

    def to_replicates(self, method: str = "auto", *, replicates: int | None = None,
                      seed: int | None = None, fay_rho: float = 0.0,
                      mse: bool = False, **kwargs: Any) -> ReplicateDesign:
        """Build replicate weights for this design (R's ``as.svrepdesign``).

        See :func:`surveykit.design.make_replicates` for the methods and their options.
        """
        from surveykit.design._to_replicates import make_replicates

        return make_replicates(self, method, replicates=replicates, seed=seed,
                               fay_rho=fay_rho, mse=mse, **kwargs)

    def _repr_html_(self) -> str:
        return object_html(repr(self))

    def __repr__(self) -> str:
        parts = [f"n={self.n}", f"strata={self.strata_column!r}", f"psu={self.psu_columns!r}"]
        if self.fpc_columns:
            parts.append(f"fpc={self.fpc_columns!r}")
        if self.pps is not None:
            name = self.pps if isinstance(self.pps, str) else type(self.pps).__name__
            parts.append(f"pps={name!r}, variance={self.variance!r}")
        parts.append(f"lonely_psu={self.lonely_psu!r}")
        if self._domain is not None:
            parts.append(f"domain={int(self._domain.sum())} rows")
        return f"SurveyDesign({', '.join(parts)})"


def _check_pps(pps: object, variance: str, psu: list[str], with_replacement: bool) -> None:
    """Validate ``pps=`` and ``variance=`` (R's ``svydesign`` rules)."""
    check_option("variance", variance, ("HT", "YG"))
    if pps is None or pps == "brewer":
        if variance != "HT":
            raise DesignError(f"variance={variance!r} needs pps='overton', 'hartley-rao', "
                              "HartleyRao(...) or PPSMatrix(...); this design has only the "
                              "Horvitz-Thompson form (R: \"Only variance='HT' supported\").")
    elif isinstance(pps, str):
        check_option("pps", pps, PPS_NAMES)
    elif not isinstance(pps, HartleyRao | PPSMatrix):
        raise DesignError(f"pps must be one of {PPS_NAMES!r}, a HartleyRao or a PPSMatrix; "
                          f"got {type(pps).__name__}.")
    if pps is not None and pps != "brewer" and len(psu) > 1:
        raise DesignError(f"pps={pps if isinstance(pps, str) else type(pps).__name__!r} "
                          "supports one sampling stage only (psu has "
                          f"{len(psu)} columns); use pps='brewer' for multistage PPS.")
    if isinstance(pps, PPSMatrix) and psu:
        raise DesignError("PPSMatrix gives joint probabilities of the rows: build the design "
                          "without psu= (element sampling), as R's ppsmat().")
    if pps is not None and with_replacement:
        raise DesignError("with_replacement=True and pps=... contradict each other: pps "
                          "describes sampling without replacement. Drop one.")


def _matrix_variance(data: pd.DataFrame, pps: str | HartleyRao | PPSMatrix, variance: str,
                     stage: Stage, strata: str | None, w: np.ndarray, probs: object,
                     fpc: list[str]) -> PPSVariance:
    """``D`` of an Overton, Hartley-Rao or joint-probability design (R's ``pps_design``)."""
    prob = data[fpc[0]].to_numpy(dtype=float) if fpc and probs is None else 1.0 / w
    first = np.full(stage.n_strata, -1, dtype=np.int64)
    first[stage.strata[::-1]] = np.arange(stage.strata.shape[0] - 1, -1, -1)
    values = (data[strata].to_numpy()[first].tolist() if strata is not None
              else [1] * stage.n_strata)
    return pps_variance(pps, variance, stage.clusters, stage.n_clusters,  # type: ignore[arg-type]
                        stage.cluster_stratum, values, prob, strata is not None)
