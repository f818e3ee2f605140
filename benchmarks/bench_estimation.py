"""Timing of surveykit's core estimators beside R survey and the Python peers.

Generated data (seeded): ``n`` rows in 50 strata x 20 PSUs (PSUs nested in strata),
positive weights, 20 numeric variables ``v1..v20`` and a domain variable ``dom`` with 8
levels. Tasks, each timed as the best of ``--repeat`` runs:

``build``        design construction only
``mean``         design construction + linearised means (and SEs) of the 20 variables
``mean_by8``     design construction + the same means in the 8 domains (R's ``svyby``)
``boot_build``   200 bootstrap replicates from the design (R's ``as.svrepdesign``)
``boot_mean``    bootstrap SEs of the 20 means on that replicate design

"Best of ``--repeat``" stops repeating a task once 20 s have been spent on it, so slow peers
at 1M rows are timed once or twice.

Peers, run in the same process/run on the same data: R survey through ``Rscript`` when it is
on the PATH (the data are written once to a CSV file; only the R calls are timed, with
``proc.time`` inside R, not R's file reading), ``svy`` and ``samplics`` when importable (each
gets its native frame before the clock starts). Bootstrap replicates differ between
packages (R: Canty-Davison; svy: Rao-Wu; samplics: its own), so only the timings, not the
numbers, are comparable there. The script never asserts on timings.

Usage::

    python benchmarks/bench_estimation.py --sizes 10000 100000 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import surveykit as sk

N_VARS = 20
N_STRATA = 50
PSU_PER_STRATUM = 20
N_DOMAINS = 8
TASKS = ("build", "mean", "mean_by8", "boot_build", "boot_mean")
VARS = [f"v{j}" for j in range(1, N_VARS + 1)]
Timings = dict[str, float]


def make_data(n: int, seed: int = 20260101) -> pd.DataFrame:
    """Seeded benchmark data: strata, nested PSUs, weights, 20 numeric variables, domains."""
    rng = np.random.default_rng(seed)
    n_psu = N_STRATA * PSU_PER_STRATUM
    psu = rng.integers(0, n_psu, size=n)
    psu[:n_psu] = np.arange(n_psu)            # every PSU is sampled at least once
    psu = np.sort(psu)
    stratum = psu // PSU_PER_STRATUM
    psu_effect = rng.normal(size=n_psu)[psu]
    values = rng.normal(size=(n, N_VARS)) + psu_effect[:, None] * 0.5
    values += np.arange(N_VARS)[None, :]
    frame = pd.DataFrame(values, columns=VARS)
    frame.insert(0, "dom", rng.integers(1, N_DOMAINS + 1, size=n))
    frame.insert(0, "w", rng.uniform(50.0, 150.0, size=n) * (1 + stratum % 3))
    frame.insert(0, "psu", psu + 1)
    frame.insert(0, "stratum", stratum + 1)
    return frame


BUDGET_SECONDS = 20.0


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Smallest wall-clock time of up to ``repeat`` calls (fewer once 20 s are spent)."""
    times: list[float] = []
    while len(times) < repeat and sum(times) < BUDGET_SECONDS:
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# --- surveykit -------------------------------------------------------------------------

def bench_surveykit(df: pd.DataFrame, repeat: int, reps: int) -> Timings:
    """Time the five tasks with surveykit."""
    def build() -> sk.SurveyDesign:
        return sk.SurveyDesign(df, weights="w", strata="stratum", psu="psu")

    design = build()
    rep_design = design.to_replicates("bootstrap", replicates=reps, seed=1)
    return {
        "build": best_of(build, repeat),
        "mean": best_of(lambda: sk.mean(build(), VARS), repeat),
        "mean_by8": best_of(lambda: sk.mean(build(), VARS, by="dom"), repeat),
        "boot_build": best_of(
            lambda: design.to_replicates("bootstrap", replicates=reps, seed=1), repeat),
        "boot_mean": best_of(lambda: sk.mean(rep_design, VARS), repeat),
    }


def surveykit_means(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Overall means and SEs, for the agreement check against R."""
    t = sk.mean(sk.SurveyDesign(df, weights="w", strata="stratum", psu="psu"), VARS)
    return t.estimate, t.se


# --- svy -------------------------------------------------------------------------------

def bench_svy(df: pd.DataFrame, repeat: int, reps: int) -> Timings | None:
    """Time the tasks with svy (polars frame made before the clock starts)."""
    try:
        import polars as pl
        import svy
    except ImportError:
        return None
    data = pl.from_pandas(df)

    def build() -> object:
        return svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="w"))

    sample = build()
    rep_sample = sample.weighting.create_bs_wgts(n_reps=reps, rstate=1)
    return {
        "build": best_of(build, repeat),
        "mean": best_of(lambda: build().estimation.mean(VARS), repeat),
        "mean_by8": best_of(lambda: build().estimation.mean(VARS, by="dom"), repeat),
        "boot_build": best_of(
            lambda: sample.weighting.create_bs_wgts(n_reps=reps, rstate=1), repeat),
        "boot_mean": best_of(
            lambda: rep_sample.estimation.mean(VARS, method="replication"), repeat),
    }


# --- samplics --------------------------------------------------------------------------

def bench_samplics(df: pd.DataFrame, repeat: int, reps: int) -> Timings | None:
    """Time the tasks with samplics (one call per variable: it estimates one ``y``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from samplics import (
                PopParam,
                ReplicateEstimator,
                ReplicateWeight,
                RepMethod,
                TaylorEstimator,
            )
    except ImportError:
        return None
    w, st, psu, dom = df["w"], df["stratum"], df["psu"], df["dom"]

    def means(domain: pd.Series | None) -> None:
        for v in VARS:
            TaylorEstimator(PopParam.mean).estimate(y=df[v], samp_weight=w, stratum=st,
                                                    psu=psu, domain=domain)

    def boot_weights() -> np.ndarray:
        rw = ReplicateWeight(RepMethod.bootstrap, strat=True, nb_reps=reps, rand_seed=1)
        out = rw.replicate(w.to_numpy(), psu.to_numpy(), st.to_numpy())
        assert np.array_equal(out["_samp_weight"].to_numpy(), w.to_numpy())  # row order kept
        return out.filter(like="_boot_wgt_").to_numpy()

    repw = boot_weights()

    def boot_means() -> None:
        for v in VARS:
            ReplicateEstimator(RepMethod.bootstrap, PopParam.mean).estimate(
                y=df[v].to_numpy(), samp_weight=w.to_numpy(), rep_weights=repw)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "build": float("nan"),  # samplics has no design object
            "mean": best_of(lambda: means(None), repeat),
            "mean_by8": best_of(lambda: means(dom), repeat),
            "boot_build": best_of(boot_weights, repeat),
            "boot_mean": best_of(boot_means, repeat),
        }


# --- R survey --------------------------------------------------------------------------

R_SCRIPT = r"""
suppressPackageStartupMessages({library(survey); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
df <- read.csv(args[1])
rep <- as.integer(args[3]); nrep <- as.integer(args[4])
f <- as.formula(paste("~", paste(sprintf("v%d", 1:20), collapse = "+")))
best <- function(fn) {
  t <- c()
  while (length(t) < rep && sum(t) < 20) {
    gc(FALSE)
    s <- proc.time()[["elapsed"]]; fn(); t <- c(t, proc.time()[["elapsed"]] - s)
  }
  min(t)
}
build <- function() svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = df)
d <- build()
set.seed(1)
rd <- as.svrepdesign(d, type = "bootstrap", replicates = nrep)
m <- svymean(f, d)
out <- list(
  build = best(build),
  mean = best(function() svymean(f, build())),
  mean_by8 = best(function() svyby(f, ~dom, build(), svymean)),
  boot_build = best(function() as.svrepdesign(d, type = "bootstrap", replicates = nrep)),
  boot_mean = best(function() svymean(f, rd)),
  estimate = unname(coef(m)), se = unname(SE(m))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE), args[2])
"""


def bench_r(df: pd.DataFrame, repeat: int, reps: int, workdir: Path) -> dict | None:
    """Run R survey on the same data; returns timings plus R's means and SEs."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    csv, out, script = workdir / "data.csv", workdir / "r_out.json", workdir / "bench.R"
    df.to_csv(csv, index=False)
    script.write_text(R_SCRIPT)
    proc = subprocess.run([rscript, str(script), str(csv), str(out), str(repeat), str(reps)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"R failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(out.read_text())


# --- report ----------------------------------------------------------------------------

def _fmt(x: float) -> str:
    return "-" if x is None or np.isnan(x) else f"{x:9.3f}"


def _ratio(peer: float | None, ours: float) -> str:
    if peer is None or np.isnan(peer) or ours <= 0:
        return "-"
    return f"{peer / ours:7.1f}x"


def print_table(n: int, results: dict[str, Timings | None]) -> None:
    """One block per size: seconds per tool and peer/surveykit ratios (>1: we are faster)."""
    ours = results["surveykit"]
    assert ours is not None
    peers = [name for name, r in results.items() if name != "surveykit" and r is not None]
    head = f"{'task':<11}{'surveykit':>10}" + "".join(f"{p:>11}" for p in peers)
    head += "".join(f"{p + '/sk':>14}" for p in peers)
    print(f"\nn = {n:,} rows (seconds, best of repeats; ratio = peer time / surveykit time)")
    print(head)
    print("-" * len(head))
    for task in TASKS:
        row = f"{task:<11}{_fmt(ours[task]):>10}"
        row += "".join(f"{_fmt(results[p].get(task, np.nan)):>11}" for p in peers)
        row += "".join(f"{_ratio(results[p].get(task), ours[task]):>14}" for p in peers)
        print(row)
    missing = [name for name, r in results.items() if r is None]
    if missing:
        print(f"(not run: {', '.join(missing)})")


def agreement(df: pd.DataFrame, r_out: dict) -> str:
    """Largest relative difference of surveykit's means and SEs from R's."""
    est, se = surveykit_means(df)
    d_est = np.max(np.abs(est - np.asarray(r_out["estimate"])) / np.abs(est))
    d_se = np.max(np.abs(se - np.asarray(r_out["se"])) / se)
    return f"max rel. diff. vs R: estimates {d_est:.1e}, SEs {d_se:.1e}"


def run(sizes: list[int], repeat: int, reps: int, peers: list[str]) -> None:
    """Benchmark every size and print one table each."""
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            df = make_data(n)
            results: dict[str, Timings | None] = {
                "surveykit": bench_surveykit(df, repeat, reps)}
            r_out = bench_r(df, repeat, reps, Path(tmp)) if "R" in peers else None
            if "R" in peers:
                results["R"] = None if r_out is None else {t: r_out[t] for t in TASKS}
            if "svy" in peers:
                results["svy"] = bench_svy(df, repeat, reps)
            if "samplics" in peers:
                results["samplics"] = bench_samplics(df, repeat, reps)
            print_table(n, results)
            if r_out is not None:
                print(agreement(df, r_out))
            sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--peers", nargs="*", default=["R", "svy", "samplics"],
                        choices=["R", "svy", "samplics"])
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit BLAS threads in this process (needs threadpoolctl)")
    args = parser.parse_args(argv)
    print(f"surveykit {sk.__version__}, numpy {np.__version__}, pandas {pd.__version__}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if args.blas_threads is None:
        run(args.sizes, args.repeat, args.replicates, args.peers)
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=args.blas_threads, user_api="blas"):
        run(args.sizes, args.repeat, args.replicates, args.peers)


if __name__ == "__main__":
    main()
