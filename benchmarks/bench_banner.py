"""Timing of a banner table: 40 questions by a 12-column banner, beside R survey.

Generated data (seeded): ``--rows`` respondents (default 100,000) in 40 strata x 25 PSUs,
positive weights, ``--questions`` five-point items ``q1..q40`` (answers shifted by PSU and
by the banner variables, so some letters appear) and three banner variables: ``kjonn``
(2 columns), ``alder`` (4) and ``kommune`` (6): 12 columns plus the total.

surveykit: ``sk.banner(design, rows=q1..q40, banner=[kjonn, alder, kommune])`` (column
percentages, SEs, intervals, bases and letters from every pair of columns of each banner
variable on each category).

R survey (through ``Rscript`` when it is on the PATH): the same table the way it is built
in R: for each question ``svymean(~q, design)`` for the total, and for each banner variable
``svyby(~q, ~banner, design, svymean, covmat = TRUE)`` followed by one ``svycontrast`` with
every pair of columns on every category and ``2 * pt(-abs(z), degf(design))``. Only the
table is timed in both (the design is built before the clock starts; R's file reading is
not timed), as wall-clock and as CPU seconds (on a shared machine the CPU time is the
steadier comparison). The script prints both times, their ratio, and the largest relative
difference between the two tools' p-values (they compute the same numbers). It never
asserts on timings.

Usage::

    python benchmarks/bench_banner.py                # 100,000 rows, 40 questions
    python benchmarks/bench_banner.py --rows 20000 --no-r
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import surveykit as sk

BANNER = {"kjonn": 2, "alder": 4, "kommune": 6}
N_STRATA, PSU_PER_STRATUM = 40, 25


def make_data(n: int, questions: int, seed: int = 20261203) -> pd.DataFrame:
    """Seeded survey: strata, nested PSUs, weights, banner variables, five-point items."""
    rng = np.random.default_rng(seed)
    n_psu = N_STRATA * PSU_PER_STRATUM
    psu = np.sort(np.concatenate([np.arange(n_psu), rng.integers(0, n_psu, n - n_psu)]))
    frame = pd.DataFrame({"stratum": psu // PSU_PER_STRATUM + 1, "psu": psu + 1,
                          "w": rng.uniform(50.0, 150.0, n)})
    shift = np.zeros(n)
    for name, k in BANNER.items():
        codes = rng.integers(0, k, n)
        frame[name] = np.array([f"{name[0]}{c + 1}" for c in range(k)])[codes]
        shift += 0.05 * codes
    psu_effect = rng.normal(0, 0.3, n_psu)[psu]
    for j in range(1, questions + 1):
        latent = psu_effect + shift * (j % 3) + rng.normal(size=n)
        frame[f"q{j}"] = np.digitize(latent, [-1.0, -0.3, 0.3, 1.0]) + 1
    return frame


def bench_surveykit(df: pd.DataFrame, questions: int
                    ) -> tuple[float, float, sk.BannerTable]:
    """Wall-clock and CPU seconds for the banner table (the design is built first, untimed)."""
    d = sk.SurveyDesign(df, strata="stratum", psu="psu", weights="w")
    rows = [f"q{j}" for j in range(1, questions + 1)]
    kinds = dict.fromkeys(rows, "categories")
    # warm up: the first call loads scipy and fills pandas' caches, as R's packages are loaded
    sk.banner(sk.SurveyDesign(df.head(2000), strata="stratum", psu="psu", weights="w"),
              rows=rows[:1], banner=list(BANNER), row_kinds={rows[0]: "categories"})
    start, cpu = time.perf_counter(), time.process_time()
    table = sk.banner(d, rows=rows, banner=list(BANNER), row_kinds=kinds, language="en")
    return time.perf_counter() - start, time.process_time() - cpu, table


R_SCRIPT = r"""
suppressPackageStartupMessages({library(survey); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
df <- read.csv(args[1])
questions <- as.integer(args[3])
banner <- c("kjonn", "alder", "kommune")
for (j in seq_len(questions)) df[[paste0("q", j)]] <- factor(df[[paste0("q", j)]], levels = 1:5)
for (b in banner) df[[b]] <- factor(df[[b]])
d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = df)
df_design <- degf(d)
start <- proc.time()
p_all <- c()
for (j in seq_len(questions)) {
  f <- as.formula(paste0("~q", j))
  total <- svymean(f, d)
  for (b in banner) {
    by <- svyby(f, as.formula(paste0("~", b)), d, svymean, covmat = TRUE)
    D <- nrow(by); m <- length(coef(by)) / D
    pairs <- t(combn(D, 2))
    cons <- list()
    for (k in seq_len(m)) for (r in seq_len(nrow(pairs))) {
      v <- rep(0, D * m)
      v[(k - 1) * D + pairs[r, 1]] <- 1; v[(k - 1) * D + pairs[r, 2]] <- -1
      cons[[length(cons) + 1]] <- v
    }
    pc <- svycontrast(by, cons)
    p <- 2 * pt(-abs(as.vector(coef(pc)) / as.vector(SE(pc))), df_design)
    p_all <- c(p_all, p)
  }
}
used <- proc.time() - start
cpu <- used[["user.self"]] + used[["sys.self"]]
writeLines(toJSON(list(seconds = used[["elapsed"]], cpu = cpu, p = p_all), digits = NA,
                  auto_unbox = TRUE), args[2])
"""


def bench_r(df: pd.DataFrame, questions: int, workdir: Path) -> dict | None:
    """R's seconds and p-values (category-major within each question and banner variable)."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    csv, out, script = workdir / "data.csv", workdir / "r_out.json", workdir / "bench.R"
    df.to_csv(csv, index=False)
    script.write_text(R_SCRIPT)
    proc = subprocess.run([rscript, str(script), str(csv), str(out), str(questions)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"R failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(out.read_text())


def surveykit_p_values(df: pd.DataFrame, questions: int) -> np.ndarray:
    """surveykit's p-values in R's order, from the same engine ``sk.banner`` uses."""
    from surveykit.banner._banner import _BANNER_COL, _pair_tests
    from surveykit.banner._columns import BannerVariable, resolve_banner
    from surveykit.banner._domains import estimates
    from surveykit.banner._rows import resolve_rows

    d = sk.SurveyDesign(df, strata="stratum", psu="psu", weights="w")
    rows = [f"q{j}" for j in range(1, questions + 1)]
    qs = resolve_rows(d.data, rows, None, dict.fromkeys(rows, "categories"), "none", "en")
    out = []
    for q in qs:
        for bv in resolve_banner(d, list(BANNER), None, "en"):
            assert isinstance(bv, BannerVariable)
            col = _BANNER_COL.format(bv.name)
            work = d.with_columns(**q.columns, **{col: bv.position.astype(float)})
            t, _ = estimates(work, q, col)
            tests = _pair_tests(t, q, np.arange(bv.size), np.ones(bv.size, bool), "none")
            out.append(tests.p_value.ravel())
    return np.concatenate(out)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--no-r", action="store_true", help="skip R survey")
    args = parser.parse_args()
    df = make_data(args.rows, args.questions)
    seconds, cpu, table = bench_surveykit(df, args.questions)
    cells = len(table.frame)
    lettered = int((table.frame["letters"] != "").sum())
    print(f"banner table: {args.questions} questions x {len(table.columns) - 1} columns "
          f"(+ total) at {args.rows:,} rows: {cells:,} cells, {lettered:,} with letters")
    print(f"{'':10} {'wall s':>9} {'CPU s':>9}")
    print(f"surveykit  {seconds:9.2f} {cpu:9.2f}")
    if args.no_r:
        return
    with tempfile.TemporaryDirectory() as tmp:
        r = bench_r(df, args.questions, Path(tmp))
    if r is None:
        print("R survey   not run (Rscript not found or failed)")
        return
    print(f"R survey   {r['seconds']:9.2f} {r['cpu']:9.2f}   (svyby + svycontrast loop)")
    print(f"ratio R / surveykit: {r['seconds'] / seconds:.1f}x wall-clock, "
          f"{r['cpu'] / cpu:.1f}x CPU")
    ours = surveykit_p_values(df, args.questions)
    theirs = np.asarray(r["p"], dtype=float)
    rel = np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-300)
    print(f"p-values compared: {len(theirs):,}; largest relative difference {rel.max():.2e}")


if __name__ == "__main__":
    main()
