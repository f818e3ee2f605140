"""Time reading and validating 100,000 respondents x 100 variables from CSV and .sav.

Run: ``python benchmarks/bench_ingestion.py [--rows 100000]``. Prints a Markdown table with
rows, variables, seconds to write (not timed in the result), read + type + validate, and
rows per second. The instrument is built here: 10 five-point grids of 8 rows with a don't-know
code, 5 integer items (one screener with a constraint), 2 multi-selects of 5 options (one
with an exclusive option and skip logic), 3 nominal single choices and 2 text items.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

import surveykit as sk


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


def run(n: int) -> pd.DataFrame:
    """Write the data as CSV and .sav, then time ``read_responses`` on each."""
    inst = bench_instrument()
    df = bench_data(inst, n)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, sav_path = Path(tmp) / "bench.csv", Path(tmp) / "bench.sav"
        df.to_csv(csv_path, sep=";", index=False)
        pyreadstat.write_sav(df, str(sav_path))
        dep = {"duration": {"column": "duration", "unit": "seconds"}}
        for label, path in (("CSV (;)", csv_path), ("SPSS .sav", sav_path)):
            start = time.perf_counter()
            resp = sk.read_responses(path, inst, deployment=dep)
            secs = time.perf_counter() - start
            a = resp.accounting
            assert a.read == n == a.accepted + a.excluded
            results.append({"format": label, "rows": n,
                            "variables": len(inst.data_columns), "seconds": round(secs, 2),
                            "rows_per_second": int(n / secs), "report_rows": len(resp.report)})
    return pd.DataFrame(results)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    table = run(args.rows)
    print(table.to_markdown(index=False) if hasattr(table, "to_markdown") else table)


if __name__ == "__main__":
    main()
