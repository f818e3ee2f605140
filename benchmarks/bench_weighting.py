"""Raking and linear calibration: surveykit against R survey, Python peers and bare numpy.

Data: ``--rows`` rows (default 1,000,000) with five integer-coded margins of 4, 2, 4, 3 and
2 categories and positive base weights; targets are the weighted sample shares moved by up
to +-20 % and rescaled to one population total. Raking tolerance 1e-10 (each package's own
convergence measure, set as close to that as its API allows).

Run from the repository root::

    python benchmarks/bench_weighting.py            # all that is installed (R via Rscript)
    python benchmarks/bench_weighting.py --rows 200000 --no-r

Peers are in the ``bench`` extra (``pip install -e .[bench]``); one that is missing or fails
is reported as such, not dropped silently. Prints a table of median seconds and ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import surveykit as sk

SIZES = {"m1": 4, "m2": 2, "m3": 4, "m4": 3, "m5": 2}
TOL = 1e-10


def make_data(n: int, seed: int = 1) -> tuple[pd.DataFrame, dict[str, dict[int, float]]]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({k: rng.integers(0, s, n) for k, s in SIZES.items()})
    df["w"] = rng.uniform(0.5, 2.0, n)
    return df, margins_for(df, rng)


def margins_for(df: pd.DataFrame, rng: np.random.Generator) -> dict[str, dict[int, float]]:
    """Population totals of the margins ``m1``..``m5``: the sample's shares moved by +-20 %."""
    total = 1_000_000.0
    margins = {}
    for k, s in SIZES.items():
        share = np.bincount(df[k], weights=df["w"], minlength=s) / df["w"].sum()
        moved = share * rng.uniform(0.8, 1.2, s)
        margins[k] = {i: float(total * v) for i, v in enumerate(moved / moved.sum())}
    return margins


def timed(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def bare_numpy_ipf(df: pd.DataFrame, margins: dict[str, dict[int, float]]) -> np.ndarray:
    """IPF over the cells with numpy only: the floor any implementation works against."""
    sizes = list(SIZES.values())
    cell = np.zeros(len(df), dtype=np.int32)
    for k, s in SIZES.items():
        cell = cell * s + df[k].to_numpy()
    w = df["w"].to_numpy()
    t0 = np.bincount(cell, weights=w, minlength=int(np.prod(sizes))).reshape(sizes)
    t = t0.copy()
    targets = [np.array(list(m.values())) for m in margins.values()]
    for _ in range(1000):
        for ax, tg in enumerate(targets):
            other = tuple(i for i in range(len(sizes)) if i != ax)
            shape = [1] * len(sizes)
            shape[ax] = sizes[ax]
            t = t * (tg / t.sum(axis=other)).reshape(shape)
        if max(np.abs(t.sum(axis=tuple(i for i in range(len(sizes)) if i != ax)) - tg).max()
               for ax, tg in enumerate(targets)) <= TOL * 1e6:
            break
    mult = np.divide(t, t0, out=np.ones_like(t), where=t0 > 0).ravel()
    return w * mult[cell]


def python_peers(df: pd.DataFrame, margins: dict, repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def run(name: str, fn: Callable[[], Any]) -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out[name] = timed(fn, repeat)
        except Exception as exc:  # a peer's failure is a result to report
            out[name] = f"failed: {type(exc).__name__}: {str(exc)[:80]}"

    try:
        import polars as pl
        import svy

        def svy_rake() -> None:
            s = svy.Sample(pl.from_pandas(df), svy.Design(wgt="w"))
            s.weighting.rake(controls=margins, tol=TOL, max_iter=1000)
        run("svy rake", svy_rake)
    except ImportError as exc:
        out["svy rake"] = f"not installed ({exc.name})"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from samplics.weighting import SampleWeight
        x = {k: df[k].to_numpy() for k in SIZES}
        run("samplics rake", lambda: SampleWeight().rake(
            df["w"].to_numpy(), x, control=margins, tol=TOL, max_iter=1000))
    except ImportError as exc:
        out["samplics rake"] = f"not installed ({exc.name})"
    try:
        import weightipy as wp
        scheme = wp.scheme_from_dict({k: {i: 100 * v / 1e6 for i, v in m.items()}
                                      for k, m in margins.items()})
        run("weightipy", lambda: wp.weight_dataframe(df, scheme, weight_column="wt"))
    except ImportError as exc:
        out["weightipy"] = f"not installed ({exc.name})"
    try:
        from ipfn import ipfn
        aggregates = [pd.Series(m, name="w").rename_axis(k) for k, m in margins.items()]
        dims = [[k] for k in margins]
        run("ipfn", lambda: ipfn.ipfn(df.copy(), aggregates, dims, weight_col="w",
                                      convergence_rate=TOL, max_iteration=1000).iteration())
    except ImportError as exc:
        out["ipfn"] = f"not installed ({exc.name})"
    try:
        import balance  # noqa: F401
        out["balance rake"] = "installed but not wired (see README)"
    except ImportError:
        out["balance rake"] = ("not installed: balance 0.23 needs numpy<2, scipy<1.14 and "
                               "scikit-learn<1.4 on Python 3.11; incompatible with this env")
    return out


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(TRUE)
df <- read.csv(args[1]); tg <- read.csv(args[2])
for (k in c("m1","m2","m3","m4","m5")) df[[k]] <- factor(df[[k]])
d <- svydesign(ids = ~1, weights = ~w, data = df)
pops <- lapply(c("m1","m2","m3","m4","m5"), function(k) {
  x <- tg[tg$margin == k, ]; out <- data.frame(factor(x$level), x$total)
  names(out) <- c(k, "Freq"); out })
sm <- lapply(c("m1","m2","m3","m4","m5"), function(k) as.formula(paste0("~", k)))
t_rake <- system.time(rake(d, sm, pops, control = list(maxit = 1000, epsilon = 1e-10)))[["elapsed"]]
tot <- c(`(Intercept)` = 1e6)
for (k in c("m1","m2","m3","m4","m5")) { x <- tg[tg$margin == k, ]
  for (i in 2:nrow(x)) tot[paste0(k, x$level[i])] <- x$total[i] }
t_cal <- system.time(calibrate(d, ~m1+m2+m3+m4+m5, tot))[["elapsed"]]
cat(t_rake, t_cal, "\n")
"""


def r_times(df: pd.DataFrame, margins: dict) -> dict[str, Any]:
    if shutil.which("Rscript") is None:
        return {"R survey rake": "Rscript not found", "R survey calibrate": "Rscript not found"}
    with tempfile.TemporaryDirectory() as tmp:
        data, tg, script = (Path(tmp) / n for n in ("d.csv", "t.csv", "b.R"))
        df.to_csv(data, index=False)
        pd.DataFrame([(k, i, v) for k, m in margins.items() for i, v in m.items()],
                     columns=["margin", "level", "total"]).to_csv(tg, index=False)
        script.write_text(R_SCRIPT)
        res = subprocess.run(["Rscript", str(script), str(data), str(tg)], capture_output=True,
                             text=True, check=False, env={**os.environ, "LC_ALL": "C"})
    if res.returncode != 0:
        return {"R survey rake": f"failed: {res.stderr[-200:]}"}
    rk, cal = map(float, res.stdout.split())
    return {"R survey rake": rk, "R survey calibrate": cal}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-r", action="store_true")
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()
    df, margins = make_data(args.rows)
    design = sk.SurveyDesign(df, weights="w")
    ours = sk.rake(design, margins, tol=TOL).weights.to_numpy()
    assert np.allclose(ours, bare_numpy_ipf(df, margins), rtol=1e-8)
    res: dict[str, Any] = {
        "numpy IPF over cells": timed(lambda: bare_numpy_ipf(df, margins), args.repeat),
        "surveykit rake": timed(lambda: sk.rake(design, margins, tol=TOL), args.repeat),
        "surveykit calibrate linear": timed(lambda: sk.calibrate(design, margins),
                                            args.repeat),
    }
    if not args.no_peers:
        res.update(python_peers(df, margins, max(1, args.repeat // 2)))
    if not args.no_r:
        res.update(r_times(df, margins))
    report(res, args.rows)


def report(res: dict[str, Any], rows: int) -> None:
    base = res["surveykit rake"]
    cal = res["surveykit calibrate linear"]
    print(f"\nRaking {rows:,} rows to 5 margins (4, 2, 4, 3, 2 categories), tol {TOL:g}\n")
    print(f"{'method':34s} {'seconds':>10s} {'vs surveykit':>14s}")
    for name, t in res.items():
        if isinstance(t, float):
            ref = cal if "calibrate" in name else base
            print(f"{name:34s} {t:10.4f} {t / ref:13.2f}x")
        else:
            print(f"{name:34s} {t}")


if __name__ == "__main__":
    main()
