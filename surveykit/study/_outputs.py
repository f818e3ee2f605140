"""Study stage 7: write the numeric tables (CSV), the banner workbook and the appendix.

Everything written here is deterministic: tables are sorted as the analysis plan orders
them and floats are written with 15 significant digits, so two runs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from surveykit._spreadsheet import csv_frame
from surveykit._writing import write_atomic
from surveykit.study._estimate import blocks_frame
from surveykit.study._ingest import exclusion_summary

__all__ = ["write_banner_workbook", "write_outputs", "write_tables"]

_FLOAT = "%.15g"


def _csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table; text that a spreadsheet would run as a formula gets a leading ``'``."""
    write_atomic(path, csv_frame(frame).to_csv(index=False, lineterminator="\n",
                                               float_format=_FLOAT))


def _weighting_frame(result: Any) -> pd.DataFrame:
    from surveykit.weighting import weight_diagnostics

    parts = []
    for wave, design in result.designs.items():
        m = weight_diagnostics(design).margins
        if len(m):
            m = m.drop(columns=["variables"]).assign(level=lambda f: f["level"].astype(str))
            parts.append(m.assign(wave=wave)[["wave", *m.columns]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _accounting_frame(result: Any) -> pd.DataFrame:
    rows = []
    for wave, data in result.waves.items():
        a = data.responses.accounting
        rows += [{"wave": wave, "quantity": "read", "rule": "", "rows": a.read},
                 {"wave": wave, "quantity": "accepted", "rule": "", "rows": a.accepted}]
        for _, r in exclusion_summary(data).iterrows():
            rows.append({"wave": wave, "quantity": "excluded", "rule": r["rule"],
                         "rows": int(r["rows"])})
    return pd.DataFrame(rows)


def write_tables(result: Any) -> list[Path]:
    """Write ``tables/*.csv``: estimates, comparisons, weighting margins, row accounting."""
    out = result.out
    files = []
    tables: dict[str, pd.DataFrame] = {
        "estimates": blocks_frame(result.estimates),
        "accounting": _accounting_frame(result),
        "weighting": _weighting_frame(result),
    }
    for cid, cmp in result.comparisons.items():
        tables[f"comparison_{cid}"] = cmp.to_frame()
    for name, frame in tables.items():
        if len(frame):
            rel = Path("tables") / f"{name}.csv"
            _csv(frame, out / rel)
            files.append(rel)
    return files


def write_banner_workbook(result: Any) -> list[Path]:
    """Write ``banner.xlsx`` when the study has ``banners:`` (its layout, the wave note)."""
    if result.banners is None:
        return []
    from surveykit.reporting import banner_workbook
    from surveykit.study._banners import banner_notes

    spec = result.study.spec
    rel = Path("banner.xlsx")
    title = spec.title.get(spec.report.language) or next(iter(spec.title.values()))
    banner_workbook(result.banners, result.out / rel, layout=spec.banners.layout,
                    title=title, notes=banner_notes(spec))
    return [rel]


def write_outputs(result: Any, formats: Sequence[str], *, pdf: bool = False,
                  show_progress: bool = False) -> list[Path]:
    """Write the CSV tables and the appendix in each of ``formats`` (and PDF if asked)."""
    from surveykit.study._content import build_appendix
    from surveykit.study._progress import progress

    files = write_tables(result) + write_banner_workbook(result)
    steps = list(dict.fromkeys(formats)) + (["pdf"] if pdf else [])
    if not steps:
        return files
    app = build_appendix(result)
    with progress(len(steps), f"{result.study.spec.id}: render", enabled=show_progress) as bar:
        for fmt in steps:
            rel = Path(f"appendix.{fmt}")
            target = result.out / rel
            if fmt == "html":
                app.to_html(target)
            elif fmt == "docx":
                app.to_docx(target)
            elif fmt == "xlsx":
                app.to_xlsx(target)
            else:
                app.to_pdf(target)
            files.append(rel)
            bar.update()
    return files
