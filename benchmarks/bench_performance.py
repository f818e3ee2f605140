"""Where users wait: import, the demo, JKn with many PSUs, score intervals, BLAS threads, scale.

Each section prints its timings beside the floor or the peer doing the same work, measured
in the same run, with the ratio, and the load average when it ran (timings on a machine
shared with other work are only comparable within one run). The script never asserts.

Sections (``--sections``, default all but ``scale``):

``import``  ``import surveykit`` in a fresh interpreter against ``import pandas`` (best of
            ``--repeat``), the modules it leaves unloaded, and ``surveykit --help``
``demo``    wall and CPU time of ``python -m surveykit demo --out DIR`` (best of
            ``--repeat``; with ``--baseline`` the two trees run in turns)
``jkn``     ``to_replicates("jkn")`` and 20 means with 1 000 and 8 000 PSUs (10 rows each,
            20 PSUs per stratum), the bytes per row the replicate design keeps, beside the
            same replicates held as a PSU x replicate multiplier array and R's
            ``as.svrepdesign(type = "JKn")`` + ``svymean`` when ``Rscript`` is on the PATH
``score``   score quantile intervals (100 000 rows, 10 domains, 3 quantiles): the sorted
            sweep against the per-theta design pass it replaces (same limits, checked)
``blas``    200 bootstrap replicates and their 20 means with 1 and 2 BLAS threads, with
            and without the one-thread guard for small products
``scale``   10M rows x 20 variables, 50 strata x 20 PSUs: design construction (beside one
            pass over the design columns), 20 means, 8 domains, a 5-margin rake, and peak
            memory, beside svy when importable (several GB of memory)

Usage::

    python benchmarks/bench_performance.py
    python benchmarks/bench_performance.py --sections scale --scale-rows 10000000
    python benchmarks/bench_performance.py --sections import demo --baseline OLD_TREE

``--baseline`` names a source tree of an earlier surveykit (e.g. ``git archive`` of a commit):
import and demo are then timed for both in the same run. CPU seconds of the child
interpreters are printed beside wall time: they move less with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import surveykit as sk

sys.path.insert(0, str(Path(__file__).parent))
from bench_estimation import VARS, make_data
from bench_weighting import SIZES, TOL, margins_for

SECTIONS = ("import", "demo", "jkn", "score", "blas", "scale")
HEAVY = ("matplotlib", "patsy", "docx", "openpyxl", "scipy.stats", "statsmodels", "pingouin")


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Smallest wall-clock time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def load() -> str:
    """The 1-minute load average, for the record."""
    return f"load {os.getloadavg()[0]:.1f}"


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], source: str | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of a child interpreter (``source``: a tree to import from)."""
    env = dict(os.environ)
    if source is not None:  # run from the tree itself: "-c" puts the working directory first
        env["PYTHONPATH"] = source
    cpu, start = _child_cpu(), time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True, env=env,
                   cwd=source)
    return time.perf_counter() - start, _child_cpu() - cpu


def _best(args: list[str], repeat: int, source: str | None = None) -> tuple[float, float]:
    runs = [_run(args, source) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def compile_bytecode(packages: list[str]) -> None:
    """Write the packages' bytecode first, as ``pip install`` does.

    An editable or source-tree checkout run with ``PYTHONDONTWRITEBYTECODE`` set would
    otherwise compile every module from source in every timed interpreter (about 200
    modules for the demo), a cost no installed copy pays.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], check=True)


# --- import ----------------------------------------------------------------------------

def bench_import(repeat: int, baseline: str | None) -> None:
    """``import surveykit`` beside ``import pandas``, in fresh interpreters (wall and CPU)."""
    pandas = _best(["-c", "import pandas"], repeat)
    ours = _best(["-c", "import surveykit"], repeat)
    probe = ("import sys, json, surveykit; "
             f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                          text=True)
    print(f"\n## import, best of {repeat} ({load()})")
    print(f"{'':24} {'wall s':>7} {'CPU s':>7} {'CPU beyond pandas':>18}")
    print(f"{'import pandas':24} {pandas[0]:7.3f} {pandas[1]:7.3f}")
    print(f"{'import surveykit':24} {ours[0]:7.3f} {ours[1]:7.3f} {ours[1] - pandas[1]:18.3f}")
    if baseline:
        base = _best(["-c", "import surveykit"], repeat, baseline)
        print(f"{'import surveykit (base)':24} {base[0]:7.3f} {base[1]:7.3f} "
              f"{base[1] - pandas[1]:18.3f}")
    cli = _best(["-m", "surveykit", "--help"], repeat)
    print(f"{'surveykit --help':24} {cli[0]:7.3f} {cli[1]:7.3f}")
    if baseline:
        base = _best(["-m", "surveykit", "--help"], repeat, baseline)
        print(f"{'surveykit --help (base)':24} {base[0]:7.3f} {base[1]:7.3f}")
    print(f"heavy modules loaded by the import: {json.loads(done.stdout) or 'none'}")


# --- demo ------------------------------------------------------------------------------

def bench_demo(baseline: str | None, repeat: int) -> None:
    """Wall and CPU time of the demo (three studies, all outputs), best of ``repeat``.

    With a baseline the two trees run in turns, so that both meet the same machine.
    """
    print(f"\n## demo, best of {repeat} ({load()})")
    trees = [("surveykit demo", None)] + ([("surveykit demo (base)", baseline)]
                                          if baseline else [])
    runs: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in trees}
    for _ in range(repeat):
        for label, source in trees:
            with tempfile.TemporaryDirectory() as tmp:
                runs[label].append(_run(["-m", "surveykit", "demo", "--out", tmp, "--quiet"],
                                        source))
    for label, timed in runs.items():
        wall = sorted(r[0] for r in timed)
        print(f"{label:24} wall {wall[0]:7.2f} s (median {wall[len(wall) // 2]:6.2f}), "
              f"CPU {min(r[1] for r in timed):7.2f} s")
    if baseline:
        ours, base = (min(r[0] for r in runs[label]) for label, _ in trees)
        print(f"{'base / now':24} {base / ours:7.2f}x wall ({load()})")


# --- jkn -------------------------------------------------------------------------------

R_JKN = r"""
suppressMessages(library(survey))
args <- commandArgs(TRUE)
df <- read.csv(args[1])
vars <- grep("^v", names(df), value = TRUE)
t0 <- proc.time()[["elapsed"]]
d <- svydesign(ids = ~psu, strata = ~st, weights = ~w, data = df)
r <- as.svrepdesign(d, type = "JKn")
t1 <- proc.time()[["elapsed"]]
m <- svymean(make.formula(vars), r)
t2 <- proc.time()[["elapsed"]]
cat(t1 - t0, t2 - t1, "\n")
"""


def jkn_frame(n_psu: int, rows_per_psu: int = 10, seed: int = 1) -> pd.DataFrame:
    """``n_psu`` PSUs of ``rows_per_psu`` rows, 20 PSUs per stratum, 20 variables."""
    rng = np.random.default_rng(seed)
    psu = np.repeat(np.arange(n_psu), rows_per_psu)
    frame = pd.DataFrame(rng.normal(size=(psu.size, 20)), columns=VARS)
    frame["psu"], frame["st"] = psu, psu // 20
    frame["w"] = rng.uniform(1.0, 3.0, psu.size)
    return frame


def _r_jkn(frame: pd.DataFrame) -> tuple[float, float] | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv, script = Path(tmp) / "jkn.csv", Path(tmp) / "jkn.R"
        frame.to_csv(csv, index=False)
        script.write_text(R_JKN)
        done = subprocess.run([rscript, str(script), str(csv)], capture_output=True,
                              text=True, check=False)
    if done.returncode != 0:
        print(f"R failed: {done.stderr[-500:]}", file=sys.stderr)
        return None
    build, means = (float(v) for v in done.stdout.split())
    return build, means


def _kept_bytes(rep: sk.ReplicateDesign) -> int:
    """Bytes the replicate design keeps for its replicates (beyond data and weights)."""
    return sum(a.nbytes for a in (rep._rep_psu, rep._rep_index, rep._rep_full)
               if a is not None)


def bench_jkn(sizes: list[int], with_r: bool) -> None:
    """JKn replicates and 20 means with many PSUs: PSU totals against the multiplier array."""
    print(f"\n## JKn, 10 rows per PSU, 20 PSUs per stratum, 20 means ({load()})")
    print(f"{'PSUs':>6} {'build s':>8} {'means s':>8} {'B/row':>6} {'array build':>12} "
          f"{'array means':>12} {'array B/row':>12} {'R build':>8} {'R means':>8} "
          f"{'R/sk':>6}")
    for n_psu in sizes:
        frame = jkn_frame(n_psu)
        design = sk.SurveyDesign(frame, weights="w", strata="st", psu="psu")
        sk.mean(design, VARS)  # the estimator's lazy imports are not part of the timing
        start = time.perf_counter()
        rep = design.to_replicates("jkn")
        build = time.perf_counter() - start
        means = best_of(lambda rep=rep: sk.mean(rep, VARS), 2)
        # the same replicates as the (PSUs x R) multiplier array: the path this replaces
        start = time.perf_counter()
        dense = sk.ReplicateDesign._from_multipliers(
            rep.data, rep.analysis_weights(), rep._rep_index, rep._rep_mult, method="jkn",
            scale=rep.scale, rscales=rep.rscales, mse=False, df=rep.df)
        dense_build = time.perf_counter() - start
        dense_means = best_of(lambda dense=dense: sk.mean(dense, VARS), 1)
        same = np.allclose(sk.mean(rep, VARS).se, sk.mean(dense, VARS).se, rtol=1e-12)
        r = _r_jkn(frame) if with_r and n_psu <= 1000 else None
        r_cols = (f"{r[0]:8.3f} {r[1]:8.3f} {(r[0] + r[1]) / (build + means):6.1f}"
                  if r else f"{'-':>8} {'-':>8} {'-':>6}")
        print(f"{n_psu:6d} {build:8.3f} {means:8.3f} {_kept_bytes(rep) / len(frame):6.0f} "
              f"{build + dense_build:12.3f} {dense_means:12.3f} "
              f"{_kept_bytes(dense) / len(frame):12.0f} {r_cols}"
              f"{'' if same else '  SEs DIFFER'}")
        del rep, dense
    print("array: the same design holding its multipliers as a PSUs x replicates array "
          "(what to_replicates kept before); R only up to 1 000 PSUs (its replicate "
          "weights are n x R)")


# --- score -----------------------------------------------------------------------------

def bench_score(n: int = 100_000) -> None:
    """Score quantile intervals: the sweep against the per-theta design pass."""
    from surveykit.estimation import _quantiles

    rng = np.random.default_rng(7)
    psu = rng.integers(0, 500, n)
    frame = pd.DataFrame({"st": psu // 25, "psu": psu, "w": rng.uniform(1, 4, n),
                          "x": np.round(rng.gamma(2.0, 10.0, n), 1),
                          "g": rng.integers(0, 10, n)})
    design = sk.SurveyDesign(frame, weights="w", strata="st", psu="psu")

    def run() -> np.ndarray:
        t = sk.quantile(design, "x", [0.25, 0.5, 0.75], by="g", interval_type="score")
        ci = t.confidence_interval()
        return np.concatenate([ci.low, ci.high])

    run()
    swept_time = best_of(run, 3)
    swept = run()

    class _NoSweep:
        @staticmethod
        def applies(design: object) -> bool:
            return False

        @staticmethod
        def build(*args: object) -> None:
            return None

    real = _quantiles.ExceedanceSweep
    _quantiles.ExceedanceSweep = _NoSweep  # type: ignore[assignment,misc]
    try:
        start = time.perf_counter()
        direct = run()
        direct_time = time.perf_counter() - start
    finally:
        _quantiles.ExceedanceSweep = real  # type: ignore[misc]
    same = np.array_equal(swept, direct, equal_nan=True)
    floor = best_of(lambda: sk.quantile(design, "x", [0.25, 0.5, 0.75], by="g")
                    .confidence_interval(), 3)
    print(f"\n## score quantile intervals, {n} rows, 10 domains, 3 quantiles ({load()})")
    print(f"{'':36} {'total s':>8} {'interval s':>11}")
    print(f"{'Woodruff interval (for scale)':36} {floor:8.3f}")
    print(f"{'score, per-theta design pass':36} {direct_time:8.3f} {direct_time - floor:11.3f}")
    print(f"{'score, one sorted sweep':36} {swept_time:8.3f} {swept_time - floor:11.3f}")
    print(f"interval ratio {(direct_time - floor) / max(swept_time - floor, 1e-9):.1f}x; "
          f"limits identical: {same}")


# --- blas ------------------------------------------------------------------------------

def bench_blas(reps: int = 200) -> None:
    """Bootstrap replicates and means with 1 and 2 BLAS threads, guard on and off."""
    from threadpoolctl import threadpool_limits

    from surveykit.design import _blas

    frame = make_data(20_000)
    design = sk.SurveyDesign(frame, weights="w", strata="stratum", psu="psu")
    sk.mean(design, VARS)

    def task() -> None:
        rep = design.to_replicates("bootstrap", replicates=reps, seed=1)
        sk.mean(rep, VARS)

    print(f"\n## BLAS threads: {reps} bootstrap replicates + 20 means, 20 000 rows ({load()})")
    print(f"{'guard':>6} {'1 thread':>9} {'2 threads':>10} {'2/1':>6}")
    for guard in (False, True):
        saved = _blas.SMALL_FLOPS
        _blas.SMALL_FLOPS = saved if guard else 0.0
        try:
            times = {}
            for threads in (1, 2):
                with threadpool_limits(threads, user_api="blas"):
                    times[threads] = best_of(task, 5)
        finally:
            _blas.SMALL_FLOPS = saved
        print(f"{'on' if guard else 'off':>6} {times[1]:9.3f} {times[2]:10.3f} "
              f"{times[2] / times[1]:6.1f}")


# --- scale -----------------------------------------------------------------------------

def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def bench_scale(n: int) -> None:
    """Design construction, estimates and a 5-margin rake at ``n`` rows, beside svy."""
    frame = make_data(n)
    rng = np.random.default_rng(5)
    for k, size in SIZES.items():
        frame[k] = rng.integers(0, size, n)
    margins = margins_for(frame, rng)
    base = _peak_gb()
    print(f"\n## {n} rows x 20 variables, 50 strata x 20 PSUs ({load()}); "
          f"frame {frame.memory_usage().sum() / 2**30:.2f} GiB, peak so far {base:.2f} GiB")

    def build() -> sk.SurveyDesign:
        return sk.SurveyDesign(frame, weights="w", strata="stratum", psu="psu")

    design = build()
    floor = best_of(lambda: (pd.factorize(frame["stratum"]), pd.factorize(frame["psu"]),
                             frame["w"].to_numpy(dtype=float, copy=True)), 2)
    ours = {"build": best_of(build, 2),
            "20 means": best_of(lambda: sk.mean(design, VARS), 2),
            "by 8 domains": best_of(lambda: sk.mean(design, VARS, by="dom"), 1),
            "rake 5 margins": best_of(lambda: sk.rake(design, margins, tol=TOL), 1)}
    ours_peak = _peak_gb()
    theirs: dict[str, float] = {}
    try:
        import polars as pl
        import svy
    except ImportError:
        pass
    else:
        data = pl.from_pandas(frame)

        def svy_build() -> object:
            return svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="w"))

        def svy_rake() -> None:
            sample = svy.Sample(data, svy.Design(wgt="w"))
            sample.weighting.rake(controls=margins, tol=TOL, max_iter=1000)

        sample = svy_build()
        theirs = {"build": best_of(svy_build, 1),
                  "20 means": best_of(lambda: sample.estimation.mean(VARS), 1),
                  "rake 5 margins": best_of(svy_rake, 1)}
    print(f"{'task':<15} {'surveykit':>10} {'svy':>8} {'svy/sk':>7}")
    print(f"{'floor: one pass':<15} {floor:10.2f}   (factorise strata and PSU, copy weights)")
    for task, t in ours.items():
        other = theirs.get(task)
        cols = f"{other:8.2f} {other / t:7.1f}" if other else f"{'-':>8} {'-':>7}"
        print(f"{task:<15} {t:10.2f} {cols}")
    print(f"build / floor {ours['build'] / floor:.1f}x; peak memory: {ours_peak:.2f} GiB "
          f"after surveykit, {_peak_gb():.2f} GiB at the end (with svy)")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", nargs="+", choices=SECTIONS,
                        default=[s for s in SECTIONS if s != "scale"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jkn-psus", type=int, nargs="+", default=[1000, 8000])
    parser.add_argument("--scale-rows", type=int, default=10_000_000)
    parser.add_argument("--no-r", action="store_true", help="skip R even when installed")
    parser.add_argument("--baseline", default=None,
                        help="a source tree of an earlier surveykit to time import and demo")
    args = parser.parse_args(argv)
    print(f"surveykit {sk.__version__}, numpy {np.__version__}, pandas {pd.__version__}; "
          f"{os.cpu_count()} CPUs, {load()}")
    compile_bytecode([str(Path(sk.__file__).parent)]
                     + ([str(Path(args.baseline) / "surveykit")] if args.baseline else []))
    if "import" in args.sections:
        bench_import(args.repeat, args.baseline)
    if "demo" in args.sections:
        bench_demo(args.baseline, args.repeat)
    if "jkn" in args.sections:
        bench_jkn(args.jkn_psus, not args.no_r)
    if "score" in args.sections:
        bench_score()
    if "blas" in args.sections:
        bench_blas()
    if "scale" in args.sections:
        bench_scale(args.scale_rows)


if __name__ == "__main__":
    main()
