"""Time ``read_responses`` stage by stage beside the bare readers, with peak memory.

Run: ``python benchmarks/bench_ingestion.py [--rows 10000 100000] [--large] [--repeat 1]
[--formats csv sav]`` (``--large`` adds 1 000 000 rows; ``--formats csv`` measures only the
CSV, e.g. at a million rows, where the ``.sav`` takes minutes). The instrument is built
here: 10 five-point grids of 8 rows with a don't-know code, 5 integer items (one screener
with a constraint), 2 multi-selects of 5 options (one with an exclusive option and skip
logic), 3 nominal single choices and 2 text items: 100 data columns, plus a respondent id
and a duration.

For CSV (``;``) and SPSS ``.sav`` at each size the script prints one Markdown table:

- ``floor s``: the bare reader, ``pandas.read_csv(engine="pyarrow")`` for CSV and
  ``pyreadstat.read_sav`` for ``.sav`` (best of ``--repeat``);
- the stages of ``read_responses`` (best run): ``read`` (the file reader; for ``.sav`` the
  parse in a child process), ``map`` (platform adapter and deployment), ``type``,
  ``validate`` (skip logic, structure and value rules), ``quality`` (flags) and
  ``accounting`` (everything else: report, version check, metadata, row accounting and the
  assembled frame). Stages are timed by wrapping the functions ``read_responses`` calls;
  ``total s`` is the whole call and ``x floor`` its ratio to the floor;
- ``us/row``: total microseconds per row (flat across sizes when the cost is linear);
- ``peak/file``: the highest resident memory during the call above the memory before it,
  over the file size, measured in a fresh child process after a warm-up read of 200 rows
  (``floor peak/file``: the same for the bare reader; ``parser peak/file``: the resident
  peak of the child process that parses the ``.sav``, which starts from its parent's pages);
- ``cpu s``: CPU seconds of the call (with the parser child), beside the floor's, which
  move less than wall time on a busy machine.

A second table shows linearity: per format, CPU seconds per 10 000 rows at each size, for
``read_responses`` and for the floor, and ``read_responses``'s against the smallest size
(1.0 everywhere when the cost grows linearly with the rows).

Timings on a machine shared with other work are only comparable within one run; the load
average is printed with the table. The script never asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pyreadstat

import surveykit as sk
from surveykit.ingestion import _read as read_module


def _t(text: str) -> dict[str, str]:
    return {"nb": text, "en": text}


def bench_instrument() -> sk.Instrument:
    """A 100-column instrument (see the module docstring)."""
    scale = {"measure": "ordinal",
             "options": [{"code": k, "label": _t(f"{k}")} for k in range(1, 6)],
             "missing": [{"code": 98, "kind": "dont_know", "label": _t("Vet ikke")}]}
    nominal = {"measure": "nominal",
               "options": [{"code": k, "label": _t(f"Valg {k}")} for k in range(1, 7)]}
    opts = {"measure": "nominal",
            "options": [{"code": f"o{k}", "label": _t(f"Alternativ {k}")} for k in range(1, 5)]
            + [{"code": "none", "label": _t("Ingen"), "exclusive": True}]}
    items = [{"id": "age", "var": "age", "type": "integer", "role": ["screener"],
              "text": _t("Alder"), "required": True, "constraint": {"min": 20, "max": 40}}]
    items += [{"id": f"n{k}", "var": f"n{k}", "type": "integer", "text": _t(f"Tall {k}"),
               "constraint": {"min": 0, "max": 1000}} for k in range(1, 5)]
    items += [{"id": f"g{g}", "type": "grid", "choices": "scale", "text": _t(f"Grid {g}"),
               "quality": {"straightlining": True},
               "rows": [{"id": f"r{r}", "var": f"g{g}_r{r}", "text": _t(f"Rad {r}")}
                        for r in range(1, 9)]} for g in range(1, 11)]
    items += [{"id": f"m{k}", "var": f"m{k}", "type": "multi", "choices": "opts",
               "text": _t(f"Flervalg {k}"), "min_selected": 1} for k in (1, 2)]
    items[-1]["relevant"] = "${age} >= 25"
    items += [{"id": f"s{k}", "var": f"s{k}", "type": "single", "choices": "nominal",
               "text": _t(f"Enkeltvalg {k}")} for k in range(1, 4)]
    items += [{"id": f"t{k}", "var": f"t{k}", "type": "text", "text": _t(f"Tekst {k}"),
               "max_length": 200} for k in (1, 2)]
    return sk.Instrument.from_dict({
        "schema": "surveykit.instrument/1", "id": "bench", "version": "1.0.0",
        "status": "draft", "title": _t("Benchmark"), "universe": _t("Alle"),
        "languages": {"source": "nb", "targets": ["en"], "names": {"nb": "Norsk", "en": "En"}},
        "choice_lists": {"scale": scale, "nominal": nominal, "opts": opts}, "items": items})


def bench_data(inst: sk.Instrument, n: int, seed: int = 2026) -> pd.DataFrame:
    """Random valid answers with a few planted problems, one column per data column."""
    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {"respondent_id": np.arange(1, n + 1),
                               "duration": rng.gamma(9.0, 60.0, n).round(1)}
    for v in inst.variables:
        if v.option is not None:
            cols[v.var] = (rng.random(n) < (0.02 if v.option.code == "none" else 0.4)
                           ).astype(int)
        elif v.choices is not None:
            codes = np.array(v.choices.all_codes)
            cols[v.var] = rng.choice(codes, n)
        elif v.type == "integer":
            cols[v.var] = rng.integers(20, 41, n) if v.var == "age" else rng.integers(0, 1001, n)
        else:
            cols[v.var] = np.where(rng.random(n) < 0.3, "Litt tekst her", "")
    return pd.DataFrame(cols)


STAGES: dict[str, tuple[str, ...]] = {
    "read": ("read_file",),
    "map": ("_convert",),
    "type": ("type_frame",),
    "validate": ("relevance", "apply_skip_logic", "structure_rules", "value_rules"),
    "quality": ("quality_flags",),
}
DEPLOYMENT = {"duration": {"column": "duration", "unit": "seconds"}}


FORMATS = {"csv": "CSV (;)", "sav": "SPSS .sav"}


def write_files(n: int, folder: Path, formats: tuple[str, ...] = ("csv", "sav")
                ) -> dict[str, Path]:
    """Write ``n`` rows as ``bench{n}.csv`` and ``bench{n}.sav`` in ``folder``."""
    df = bench_data(bench_instrument(), n)
    paths = {FORMATS[f]: folder / f"bench{n}.{f}" for f in formats}
    if "csv" in formats:
        df.to_csv(paths["CSV (;)"], sep=";", index=False)
    if "sav" in formats:
        pyreadstat.write_sav(df, str(paths["SPSS .sav"]))
    return paths


def floor_reader(path: Path) -> Callable[[], object]:
    """The bare reader the format is compared with."""
    if path.suffix == ".csv":
        return lambda: pd.read_csv(path, sep=";", engine="pyarrow")
    return lambda: pyreadstat.read_sav(str(path))


def timed_stages(path: Path, inst: sk.Instrument) -> dict[str, float]:
    """Seconds per stage of one ``read_responses`` call (``accounting``: the rest)."""
    spent = dict.fromkeys(STAGES, 0.0)

    def wrap(stage: str, func: Callable[..., object]) -> Callable[..., object]:
        def inner(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - start
        return inner

    with contextlib.ExitStack() as stack:
        for stage, names in STAGES.items():
            for name in names:
                stack.enter_context(mock.patch.object(
                    read_module, name, wrap(stage, getattr(read_module, name))))
        start, cpu = time.perf_counter(), _cpu()
        resp = sk.read_responses(path, inst, deployment=DEPLOYMENT)
        total, cpu = time.perf_counter() - start, _cpu() - cpu
    assert resp.accounting.read == resp.accounting.accepted + resp.accounting.excluded
    return {**spent, "accounting": total - sum(spent.values()), "total": total, "cpu": cpu}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the SPSS parser runs in one)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def best_of(repeat: int, func: Callable[[], object]) -> tuple[float, float]:
    """Least wall seconds and least CPU seconds of ``repeat`` calls."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, used = time.perf_counter(), _cpu()
        func()
        wall, cpu = min(wall, time.perf_counter() - start), min(cpu, _cpu() - used)
    return wall, cpu


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))


def _hwm_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))


def memory_child(path: str, what: str) -> None:
    """In a fresh interpreter: print the peak memory above the start of one read, as JSON."""
    inst = bench_instrument()

    def call(file: Path) -> object:
        if what == "floor":
            return floor_reader(file)()
        return sk.read_responses(file, inst, deployment=DEPLOYMENT)

    with tempfile.TemporaryDirectory() as tmp:  # load lazy modules and caches first
        small = write_files(200, Path(tmp))
        call(small["CSV (;)" if path.endswith(".csv") else "SPSS .sav"])
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
        fh.write("5")  # reset the high-water mark to the current resident memory
    before = _rss_kib()
    call(Path(path))
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"extra": (_hwm_kib() - before) * 1024, "child": child * 1024}))


def peak_memory(path: Path, what: str) -> dict[str, int]:
    """Run :func:`memory_child` in a fresh interpreter and return its numbers."""
    out = subprocess.run([sys.executable, __file__, "--memory-child", str(path), what],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(sizes: list[int], repeat: int, formats: tuple[str, ...] = ("csv", "sav")
        ) -> pd.DataFrame:
    """Write the data in each format for each size and measure every file."""
    inst = bench_instrument()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            for label, path in write_files(n, Path(tmp), formats).items():
                size = path.stat().st_size
                floor, floor_cpu = best_of(repeat, floor_reader(path))
                runs = [timed_stages(path, inst) for _ in range(repeat)]
                stages = min(runs, key=lambda r: r["total"])
                mem, floor_mem = peak_memory(path, "ours"), peak_memory(path, "floor")
                row: dict[str, object] = {"format": label, "rows": n,
                                          "file MB": round(size / 1e6, 1),
                                          "floor s": round(floor, 2)}
                row.update({k: round(v, 2) for k, v in stages.items()})
                row["total s"] = row.pop("total")
                row["x floor"] = round(stages["total"] / floor, 1)
                row["cpu s"] = row.pop("cpu")
                row["floor cpu s"] = round(floor_cpu, 2)
                row["x floor cpu"] = round(stages["cpu"] / floor_cpu, 1)
                row["us/row"] = round(1e6 * stages["total"] / n, 1)
                row["peak/file"] = round(mem["extra"] / size, 1)
                row["floor peak/file"] = round(floor_mem["extra"] / size, 1)
                row["parser peak/file"] = round(mem["child"] / size, 1) if mem["child"] else None
                results.append(row)
                path.unlink()  # a million rows take gigabytes in the temporary folder
    return pd.DataFrame(results)


def linearity(table: pd.DataFrame) -> pd.DataFrame:
    """CPU seconds per 10 000 rows at each size, and against the smallest size, per format."""
    out = table[["format", "rows"]].copy()
    out["cpu s / 10k rows"] = (table["cpu s"] / table["rows"] * 1e4).round(3)
    out["floor cpu s / 10k rows"] = (table["floor cpu s"] / table["rows"] * 1e4).round(3)
    first = out.groupby("format")["cpu s / 10k rows"].transform("first")
    out["x smallest size"] = (out["cpu s / 10k rows"] / first).round(2)
    return out.sort_values(["format", "rows"], kind="stable")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--large", action="store_true", help="also 1 000 000 rows")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--formats", nargs="+", choices=sorted(FORMATS), default=["csv", "sav"])
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(*args.memory_child)
        return
    sizes = list(args.rows) + ([1_000_000] if args.large else [])
    table = run(sizes, args.repeat, tuple(args.formats))
    print(f"read_responses by stage, seconds (load {os.getloadavg()[0]:.1f} at the end)\n")
    print(_show(table))
    print("\nlinearity: CPU seconds per 10 000 rows\n")
    print(_show(linearity(table)))


def _show(table: pd.DataFrame) -> str:
    return table.to_markdown(index=False) if _has_tabulate() else table.to_string(index=False)


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
