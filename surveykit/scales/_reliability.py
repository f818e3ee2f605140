"""Internal consistency of a multi-item scale: Cronbach's alpha and McDonald's omega.

Statistics use the respondents with every item valid (listwise deletion), after missing
codes are removed and reverse-coded items reversed exactly as :func:`scale_score` does, so
reliability and score describe the same items. They are unweighted, as in R's ``psych``
and ``pingouin``: reliability is a property of the measurement, not a population total.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._display import frame_html, frame_text
from surveykit._lazy import lazy_module
from surveykit._validate import check_option, check_probability
from surveykit.instruments import Instrument
from surveykit.scales._factor import FactorMethod, one_factor_loadings
from surveykit.scales._items import index_spec, item_matrix

stats = lazy_module("scipy.stats")

__all__ = ["ReliabilityResult", "reliability"]


@dataclass(frozen=True, eq=False)
class ReliabilityResult:
    """Reliability of a scale (frozen); unpacks as ``alpha, omega_total = result``.

    Attributes
    ----------
    items : tuple of str
        The item columns, in order.
    n : int
        Respondents with every item valid (the statistics use these rows).
    n_incomplete : int
        Rows left out because an item was missing.
    alpha, alpha_ci_low, alpha_ci_high : float
        Cronbach's alpha and its Feldt confidence interval at ``confidence_level``.
    confidence_level : float
    standardized_alpha : float
        Alpha of the standardised items, ``k rbar / (1 + (k - 1) rbar)``.
    omega_total : float
        McDonald's omega from a one-factor model of the correlations:
        ``(sum l)^2 / ((sum l)^2 + sum(1 - l^2))``.
    factor_method : str
        ``"minres"`` or ``"ml"``: how the loadings were fitted.
    loadings : ndarray
        Standardised one-factor loadings per item.
    item_mean, item_sd : ndarray
        Per-item mean and standard deviation (``n - 1`` denominator) after reverse coding.
    item_rest_correlation : ndarray
        Correlation of each item with the sum of the other items (psych's ``r.drop``).
    alpha_if_deleted : ndarray
        Alpha of the scale without the item (psych's ``alpha.drop``).

    """

    items: tuple[str, ...]
    n: int
    n_incomplete: int
    alpha: float
    alpha_ci_low: float
    alpha_ci_high: float
    confidence_level: float
    standardized_alpha: float
    omega_total: float
    factor_method: str
    loadings: np.ndarray
    item_mean: np.ndarray
    item_sd: np.ndarray
    item_rest_correlation: np.ndarray
    alpha_if_deleted: np.ndarray

    def __iter__(self) -> Iterator[float]:
        """Unpack as ``alpha, omega_total = result``."""
        return iter((self.alpha, self.omega_total))

    def to_frame(self) -> pd.DataFrame:
        """One row per item: item, mean, sd, item_rest_correlation, alpha_if_deleted, loading."""
        return pd.DataFrame({
            "item": list(self.items), "mean": self.item_mean, "sd": self.item_sd,
            "item_rest_correlation": self.item_rest_correlation,
            "alpha_if_deleted": self.alpha_if_deleted, "loading": self.loadings,
        })

    def scale_frame(self) -> pd.DataFrame:
        """One row for the scale: n, items, alpha with its CI, standardized alpha, omega."""
        return pd.DataFrame([{
            "n": self.n, "items": len(self.items), "alpha": self.alpha,
            "alpha_ci_low": self.alpha_ci_low, "alpha_ci_high": self.alpha_ci_high,
            "standardized_alpha": self.standardized_alpha, "omega_total": self.omega_total,
        }])

    def summary(self) -> pd.DataFrame:
        """Return the scale's one row (:meth:`scale_frame`), the figures the display leads with."""
        return self.scale_frame()

    def __repr__(self) -> str:
        head = (f"ReliabilityResult({len(self.items)} items, n={self.n}: "
                f"alpha={self.alpha:.4f} [{self.alpha_ci_low:.4f}, {self.alpha_ci_high:.4f}], "
                f"omega_total={self.omega_total:.4f} ({self.factor_method}))")
        return head + "\n" + frame_text(self.to_frame())

    def _repr_html_(self) -> str:
        level = f"{100 * self.confidence_level:g}%"
        caption = (f"Reliability, {len(self.items)} items, n = {self.n}: alpha "
                   f"{self.alpha:.3f} ({level} CI {self.alpha_ci_low:.3f} to "
                   f"{self.alpha_ci_high:.3f}), omega total {self.omega_total:.3f}")
        return frame_html(self.to_frame(), caption, precision=3)


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return float(k / (k - 1) * (1.0 - np.trace(cov) / cov.sum()))


def _feldt(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    """Feldt's F-based interval (as ``pingouin.cronbach_alpha``, without its rounding)."""
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1.0 - (1.0 - alpha) * stats.f.isf((1 - level) / 2, df1, df2)
    high = 1.0 - (1.0 - alpha) * stats.f.isf((1 + level) / 2, df1, df2)
    return float(low), float(high)


def _item_statistics(x: np.ndarray, cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Item-rest correlations and alpha if item deleted."""
    k = x.shape[1]
    total = x.sum(axis=1)
    rest = total[:, None] - x
    xc, rc = x - x.mean(axis=0), rest - rest.mean(axis=0)
    r_rest = (xc * rc).sum(axis=0) / np.sqrt((xc**2).sum(axis=0) * (rc**2).sum(axis=0))
    keep = ~np.eye(k, dtype=bool)
    dropped = np.array([_alpha(cov[np.ix_(keep[i], keep[i])]) if k > 2 else np.nan
                        for i in range(k)])  # one small matrix per item
    return r_rest, dropped


def _omega(corr: np.ndarray, method: FactorMethod) -> tuple[float, np.ndarray]:
    load = one_factor_loadings(corr, method)
    common = load.sum() ** 2
    return float(common / (common + np.sum(1.0 - load**2))), load


def _complete_rows(values: pd.DataFrame, nan_policy: str) -> np.ndarray:
    complete = values.notna().all(axis=1).to_numpy()
    if nan_policy == "raise" and not complete.all():
        rows = list(values.index[~complete][:5])
        raise ValueError(f"{int((~complete).sum())} row(s) have a missing item (first index "
                         f"labels {rows!r}); pass nan_policy='omit' to use the complete rows.")
    if complete.sum() < 3:
        raise ValueError(f"Reliability needs at least 3 respondents with every item valid "
                         f"(found {int(complete.sum())}).")
    return complete


def reliability(
    data: pd.DataFrame,
    items: str | Sequence[str] | None = None,
    *,
    instrument: Instrument | None = None,
    index: str | None = None,
    reverse: Sequence[str] | None = None,
    missing_codes: Iterable[object] = (),
    scale_range: tuple[float, float] | None = None,
    factor_method: FactorMethod = "minres",
    confidence_level: float = 0.95,
    nan_policy: Literal["omit", "raise"] = "omit",
) -> ReliabilityResult:
    """Cronbach's alpha (with a Feldt interval), McDonald's omega and item statistics.

    Parameters
    ----------
    data : DataFrame
        Responses (numeric codes or categoricals). Not modified.
    items : str or sequence of str, optional
        Item columns, or item keys with ``instrument`` (at least two). Not with ``index``.
    instrument : Instrument, optional
        Supplies missing codes, scale ranges and the ``reverse`` flags.
    index : str, optional
        An index declared in ``instrument`` (``"belonging"``): its items are used.
    reverse, missing_codes, scale_range
        As in :func:`surveykit.scale_score`.
    factor_method : {"minres", "ml"}, default "minres"
        Fit of the one-factor model behind omega: minimum residual (psych's default) or
        maximum likelihood (R's ``factanal``).
    confidence_level : float, default 0.95
        Level of the alpha interval.
    nan_policy : {"omit", "raise"}, default "omit"
        ``"omit"`` uses the rows with every item valid (listwise); ``"raise"`` refuses
        missing items.

    Returns
    -------
    ReliabilityResult

    Notes
    -----
    ``alpha = k / (k - 1) (1 - sum_i s_i^2 / s_total^2)`` from the item covariances. The
    interval is Feldt's, ``1 - (1 - alpha) F_{1 -+ (1 - level)/2}(n - 1, (n - 1)(k - 1))``
    (pingouin's ``cronbach_alpha``, which rounds it to three decimals and counts incomplete
    rows in ``n``; here ``n`` is the complete rows). Omega total is model-based
    (McDonald 1999): ``(sum l)^2 / ((sum l)^2 + sum(1 - l^2))`` with the standardised
    loadings ``l`` of a one-factor model of the item correlations. R's
    ``psych::omega(nfactors = 1)`` reports ``1 - sum(1 - l^2) / sum(R)`` instead (the
    observed total variance in the denominator); the two agree when one factor fits.
    Item-rest correlations and alpha-if-deleted match ``psych::alpha``'s ``r.drop`` and
    ``alpha.drop$raw_alpha``.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.load_instrument("needs_assessment")
    >>> df = sk.datasets.generate_responses(inst, 400, seed=5)
    >>> rel = sk.reliability(df, instrument=inst, index="belonging")
    >>> round(rel.alpha, 3), round(rel.omega_total, 3), rel.n
    (0.826, 0.827, 311)

    """
    check_option("factor_method", factor_method, ("minres", "ml"))
    check_option("nan_policy", nan_policy, ("omit", "raise"))
    level = check_probability("confidence_level", confidence_level)
    if index is not None:
        if items is not None:
            raise ValueError(f"Pass 'items' or 'index' {index!r}, not both.")
        items = list(index_spec(instrument, index).items)
    if items is None:
        raise ValueError("Pass 'items' (item columns or keys) or 'index' (with 'instrument').")
    values, _ = item_matrix(data, items, instrument=instrument, reverse=reverse,
                            missing_codes=missing_codes, scale_range=scale_range)
    if values.shape[1] < 2:
        raise ValueError(f"Reliability needs at least two items (got {list(values.columns)!r}).")
    complete = _complete_rows(values, nan_policy)
    x = values.to_numpy()[complete]
    cov = np.cov(x, rowvar=False)
    sd = np.sqrt(np.diag(cov))
    if np.any(sd == 0):
        const = list(values.columns[sd == 0])
        raise ValueError(f"Items {const!r} do not vary among the complete rows; drop them.")
    corr = cov / np.outer(sd, sd)
    k, n = x.shape[1], x.shape[0]
    alpha = _alpha(cov)
    rbar = float(corr[~np.eye(k, dtype=bool)].mean())
    omega, load = _omega(corr, factor_method)
    r_rest, dropped = _item_statistics(x, cov)
    low, high = _feldt(alpha, n, k, level)
    return ReliabilityResult(
        items=tuple(values.columns), n=n, n_incomplete=int((~complete).sum()), alpha=alpha,
        alpha_ci_low=low, alpha_ci_high=high, confidence_level=level,
        standardized_alpha=k * rbar / (1 + (k - 1) * rbar), omega_total=omega,
        factor_method=factor_method, loadings=load, item_mean=x.mean(axis=0), item_sd=sd,
        item_rest_correlation=r_rest, alpha_if_deleted=dropped,
    )
