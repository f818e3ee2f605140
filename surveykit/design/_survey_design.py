"""The linearisation design: strata, clusters, fpc, weights and the lonely-PSU policy."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from surveykit._validate import as_column_list, check_columns, check_option, check_type
from surveykit.design._base import FrozenDesign, column_names
from surveykit.design._calibration import CalibrationRecord
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

    """

    __slots__ = ("_stages", "adjust_domain_lonely", "fpc_columns", "lonely_psu", "nest",
                 "psu_columns", "strata_column", "with_replacement")

    _stages: list[Stage]
    adjust_domain_lonely: bool
    fpc_columns: list[str]
    lonely_psu: LonelyPolicy
    nest: bool
    psu_columns: list[str]
    strata_column: str | None
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
        stages = build_stages(data, strata=strata, psu=psu_cols, fpc=fpc_cols, nest=nest)
        w = design_weights(data, weights, probs, stages)
        sets = object.__setattr__
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
        if self.lonely_psu == "fail":
            return
        for s, stage in enumerate(self._stages[:1] if self._stages[0].popsize is None
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

    def __repr__(self) -> str:
        parts = [f"n={self.n}", f"strata={self.strata_column!r}", f"psu={self.psu_columns!r}"]
        if self.fpc_columns:
            parts.append(f"fpc={self.fpc_columns!r}")
        parts.append(f"lonely_psu={self.lonely_psu!r}")
        if self._domain is not None:
            parts.append(f"domain={int(self._domain.sum())} rows")
        return f"SurveyDesign({', '.join(parts)})"
