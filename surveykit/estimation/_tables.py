"""Two-way tables: cell proportions and design-based tests of association (R's ``svychisq``).

The four tests follow ``svychisq.survey.design`` / ``svychisq.svyrep.design`` of R survey
4.1 line by line:

* ``F``: Pearson's X^2 on the weighted table (scaled to the sample size ``N``) divided by
  ``trace(Delta)``, referred to ``F(d0, d0 * nu)`` with ``d0 = trace(Delta)^2 /
  trace(Delta^2)`` (Rao and Scott's second-order correction with Satterthwaite's df);
* ``Chisq``: the first-order correction, ``X^2 / mean(eigen(Delta))`` on
  ``(r-1)(c-1)`` df (the reported statistic is X^2 itself, as R prints it);
* ``Wald`` and ``adjWald``: Koch et al.'s Wald test of ``N_ij - N_i. N_.j / N = 0`` for the
  cells ``i, j >= 2``, divided by its df, and with Fellegi's adjustment
  ``(nu - df + 1) / (df nu)``.

``Delta = (C' D^-1 C / N)^-1 (C' D^-1 V D^-1 C)`` compares the design covariance ``V`` of
the cell proportions with the multinomial one; ``C`` spans the interaction contrasts and
``nu`` is the design's degrees of freedom.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from surveykit._lazy import lazy_module
from surveykit._validate import check_columns, check_option
from surveykit.design._codes import sorted_codes
from surveykit.estimation._domains import build_domains, object_df_and_rows, ratio_core
from surveykit.estimation._inputs import Design, check_design, variance_name
from surveykit.estimation._results import EstimateTable

stats = lazy_module("scipy.stats")

__all__ = ["CrosstabTable", "crosstab"]

TEST_NAMES = ("F", "Chisq", "Wald", "adjWald")


@dataclass(frozen=True, eq=False)
class CrosstabTable(EstimateTable):
    """Cell proportions of a two-way table (an :class:`EstimateTable`) and its tests.

    Attributes
    ----------
    tests : pandas.DataFrame
        Indexed ``F``, ``Chisq``, ``Wald``, ``adjWald``; columns ``statistic``, ``ndf``,
        ``ddf`` (infinite for ``Chisq``) and ``p_value``.

    """

    tests: pd.DataFrame = field(default_factory=pd.DataFrame)


def _cell_codes(design: Design, row: str, col: str, nan_policy: str
                ) -> tuple[np.ndarray, list[object], list[object], np.ndarray]:
    rcodes, rlev = sorted_codes(design.data[row])
    ccodes, clev = sorted_codes(design.data[col])
    valid = (rcodes >= 0) & (ccodes >= 0)
    dom = design.domain
    missing = ~valid if dom is None else (~valid & dom)
    if missing.any() and nan_policy == "raise":
        raise ValueError(
            f"Columns {row!r} and {col!r} have {int(missing.sum())} row(s) with a missing "
            "value. Pass nan_policy='omit' to leave them out of the table (R's svychisq "
            "default, na.rm=TRUE)."
        )
    if len(rlev) < 2 or len(clev) < 2:
        raise ValueError(f"crosstab needs at least two levels in {row!r} and in {col!r} "
                         f"(found {len(rlev)} and {len(clev)}).")
    cell = np.where(valid, rcodes + len(rlev) * ccodes, -1)
    return cell, rlev, clev, valid


def _indicators(codes: np.ndarray, k: int) -> np.ndarray:
    return (codes[:, None] == np.arange(k)[None, :]).astype(float)


def _contrast_basis(nr: int, nc: int) -> np.ndarray:
    """Interaction columns of ``~rows*cols`` residualised on ``~rows+cols`` (R's ``Cmat``)."""
    rows = np.tile(np.arange(nr), nc)
    cols = np.repeat(np.arange(nc), nr)
    main = np.column_stack([np.ones(nr * nc), _indicators(rows, nr)[:, 1:],
                            _indicators(cols, nc)[:, 1:]])
    inter = np.column_stack([(rows == i) & (cols == j)
                             for j in range(1, nc) for i in range(1, nr)]).astype(float)
    coef = np.linalg.lstsq(main, inter, rcond=None)[0]
    return inter - main @ coef


def _pearson(design: Design, cell: np.ndarray, nr: int, nc: int, n_total: int) -> float:
    """Pearson's X^2 of the weighted table rescaled to ``n_total`` (R's ``svytable(Ntotal=)``)."""
    w = design.analysis_weights()
    ok = cell >= 0
    counts = np.bincount(cell[ok], weights=w[ok], minlength=nr * nc).reshape(nc, nr).T
    table = counts * n_total / counts.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n_total
    return float(((table - expected) ** 2 / expected).sum())


def _rao_scott(p: np.ndarray, v: np.ndarray, x2: float, nr: int, nc: int, n_total: int,
               nu: float) -> dict[str, tuple[float, float, float, float]]:
    cmat = _contrast_basis(nr, nc)
    inv_p = np.where(p == 0, 0.0, 1.0 / np.where(p == 0, 1.0, p))
    denom = cmat.T @ (cmat * inv_p[:, None]) / n_total
    numr = cmat.T @ (inv_p[:, None] * v * inv_p[None, :]) @ cmat
    delta = np.linalg.solve(denom, numr)
    tr = float(np.trace(delta))
    d0 = tr**2 / float(np.trace(delta @ delta))
    f_stat = x2 / tr
    k = delta.shape[1]
    return {
        "F": (f_stat, d0, d0 * nu, float(stats.f.sf(f_stat, d0, d0 * nu))),
        "Chisq": (x2, float(k), np.inf, float(stats.chi2.sf(x2 / (tr / k), k))),
    }


def _wald(design: Design, cell: np.ndarray, valid: np.ndarray, nr: int, nc: int, nu: float
          ) -> dict[str, tuple[float, float, float, float]]:
    k = nr * nc
    rcode = np.where(valid, cell % nr, -1)
    ccode = np.where(valid, cell // nr, -1)
    values = np.column_stack([_indicators(cell, k), _indicators(rcode, nr),
                              _indicators(ccode, nc), np.ones(len(cell))])
    tot, cov = ratio_core(design, values, None, build_domains(design, None, valid))
    tot = tot.reshape(-1)
    cells, rt, ct, n = tot[:k], tot[k:k + nr], tot[k + nr:k + nr + nc], tot[-1]
    rows = np.tile(np.arange(nr), nc)
    cols = np.repeat(np.arange(nc), nr)
    jac = np.column_stack([
        np.eye(k),
        -_indicators(rows, nr) * (ct[cols] / n)[:, None],
        -_indicators(cols, nc) * (rt[rows] / n)[:, None],
        rt[rows] * ct[cols] / n**2,
    ])
    y = cells - rt[rows] * ct[cols] / n
    vy = jac @ cov @ jac.T
    use = (rows > 0) & (cols > 0)
    stat = float(y[use] @ np.linalg.solve(vy[np.ix_(use, use)], y[use]))
    df = float((nr - 1) * (nc - 1))
    wald = stat / df
    adj_ddf = nu - df + 1
    adj = stat * adj_ddf / (df * nu)
    return {
        "Wald": (wald, df, nu, float(stats.f.sf(wald, df, nu))),
        "adjWald": (adj, df, adj_ddf, float(stats.f.sf(adj, df, adj_ddf))),
    }


def crosstab(design: Design, row: str, col: str, *,
             nan_policy: Literal["raise", "omit"] = "raise") -> CrosstabTable:
    """Weighted cell proportions of ``row`` x ``col`` and Rao-Scott / Wald tests.

    Parameters
    ----------
    design : SurveyDesign or ReplicateDesign
        The survey design.
    row, col : str
        Categorical columns (levels in R's factor order: sorted).
    nan_policy : {"raise", "omit"}, default "raise"
        "omit" leaves rows with a missing ``row`` or ``col`` out of the table and the
        tests (R's ``svychisq`` default ``na.rm=TRUE``); the design stays whole.

    Returns
    -------
    CrosstabTable
        An :class:`EstimateTable` of joint cell proportions (columns ``row``, ``col`` with
        the levels, ``variable`` = ``"row:col"``; rows with the row level varying
        fastest, as R's ``interaction``) and ``tests``: statistic, ndf, ddf, p_value for
        ``F``, ``Chisq``, ``Wald`` and ``adjWald``.

    Notes
    -----
    Matches ``svychisq(~row + col, design, statistic=...)`` of R survey 4.1.1 for each of
    the four statistics, and ``svymean(~interaction(row, col), design, na.rm=TRUE)`` for
    the proportions. ``N`` and the design degrees of freedom ``nu`` (PSUs minus strata) are
    those of the design object R holds: every row and PSU, including rows with missing
    values and PSUs whose weights are all zero; a subset keeps only its rows, except a
    subset of a calibrated or post-stratified design, which keeps all rows (R gives the
    others zero weight). The table's ``df`` column is ``nu``. For ``Chisq`` R reports the unadjusted
    Pearson X^2 and the p-value of ``X^2 / mean(eigenvalues of Delta)``; so does this
    table.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    >>> t = sk.crosstab(d, "stype", "sch.wide")
    >>> t.tests.loc["F", ["statistic", "ndf", "ddf"]].round(4).tolist()
    [5.1934, 1.4946, 20.925]
    >>> # R: svychisq(~stype + sch.wide, dclus1): F = 5.1934, ndf = 1.4946, ddf = 20.925

    """
    design = check_design(design)
    check_columns("row", design.data, [row])
    check_columns("col", design.data, [col])
    check_option("nan_policy", nan_policy, ("raise", "omit"))
    cell, rlev, clev, valid = _cell_codes(design, row, col, nan_policy)
    nr, nc = len(rlev), len(clev)
    dom = build_domains(design, None, valid)
    est, cov = ratio_core(design, _indicators(cell, nr * nc),
                          np.ones((len(cell), nr * nc)), dom)
    p = est.reshape(-1)
    nu, n_total = object_df_and_rows(design)
    x2 = _pearson(design, cell, nr, nc, n_total)
    res = _rao_scott(p, cov, x2, nr, nc, n_total, nu) | _wald(design, cell, valid, nr, nc, nu)
    tests = pd.DataFrame([res[name] for name in TEST_NAMES], index=pd.Index(TEST_NAMES),
                         columns=["statistic", "ndf", "ddf", "p_value"])
    labels = pd.DataFrame({row: [rlev[i % nr] for i in range(nr * nc)],
                           col: [clev[i // nr] for i in range(nr * nc)],
                           "variable": f"{row}:{col}"})
    w = design.analysis_weights()
    inside = (cell >= 0) & (w != 0)
    n = np.bincount(cell[inside], minlength=nr * nc)
    nw = np.bincount(cell[inside], weights=w[inside], minlength=nr * nc)
    return CrosstabTable(
        labels=labels, estimate=p, se=np.sqrt(np.diag(cov)),
        df=np.full(p.shape, nu), n=n, n_weighted=nw, cov=cov, statistic="proportion",
        variance_method=variance_name(design), tests=tests,
    )
