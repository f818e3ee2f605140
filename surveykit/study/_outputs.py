"""Study stage 7: write the numeric tables (CSV), the banner workbook and the appendix.

Everything written here is deterministic: tables are sorted as the analysis plan orders
them and floats are written with 15 significant digits, so two runs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._spreadsheet import csv_frame
from surveykit._writing import write_atomic
from surveykit.study._estimate import blocks_frame
from surveykit.study._ingest import exclusion_summary

__all__ = ["write_banner_workbook", "write_outputs", "write_tables"]

_FLOAT = "%.15g"


def _csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table; text that a spreadsheet would run as a formula gets a leading ``'``."""
    write_atomic(path, _floats_as_text(csv_frame(frame)).to_csv(index=False,
                                                                lineterminator="\n"))


def _floats_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with its float columns as the text ``to_csv`` writes for them.

    That is ``"%.15g"`` per number and ``""`` for NaN, what ``float_format`` gives, formatted
    here a column at a time (``to_csv`` calls a formatter per cell).

    Examples
    --------
    >>> frame = _floats_as_text(pd.DataFrame({"x": [1 / 3, float("nan")], "n": [3, 4]}))
    >>> frame["x"].tolist(), frame["n"].tolist()
    (['0.333333333333333', ''], [3, 4])

    """
    out = frame.copy()
    for i, (_, column) in enumerate(frame.items()):
        if isinstance(column.dtype, np.dtype) and column.dtype.kind == "f":
            out.isetitem(i, np.array(["" if v != v else _FLOAT % v for v in column.tolist()],
                                     dtype=object))
    return out


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
                  show_progress: bool = False, processes: int = 1) -> list[Path]:
    """Write the CSV tables, the banner workbook and the appendix in each of ``formats``.

    With ``processes`` above 1 (where the system forks), a child process writes the tables
    and the banner workbook while this one builds the appendix; then the slowest
    ``processes - 1`` appendix formats are rendered by children while this process renders
    the others. The files are the same bytes either way.
    """
    from surveykit.study._content import build_appendix
    from surveykit.study._forks import start
    from surveykit.study._progress import progress

    fork = processes > 1
    steps = list(dict.fromkeys(formats)) + (["pdf"] if pdf else [])
    started: list[Any] = [start(lambda: write_tables(result) + write_banner_workbook(result),
                                "the tables and the banner workbook",
                                fork=fork and bool(steps))]
    try:
        if steps:
            app = build_appendix(result)
            children = processes - 1
            for fmt in sorted(steps, key=_RENDER_ORDER.index):
                started.append(start(partial(_render, app, fmt, result.out),
                                     f"appendix.{fmt}", fork=fork and children > 0))
                children -= 1
        with progress(len(started), f"{result.study.spec.id}: write",
                      enabled=show_progress) as bar:
            done = [_counted(step, bar) for step in started]
    except BaseException:
        for step in started:
            step.cancel()
        raise
    return done[0] + [Path(f"appendix.{fmt}") for fmt in steps]


def _counted(step: Any, bar: Any) -> Any:
    value = step.result()
    bar.update()
    return value


#: Appendix formats, the slowest to render first (they go to child processes).
_RENDER_ORDER = ("pdf", "docx", "xlsx", "html")


def _render(app: Any, fmt: str, out: Path) -> None:
    target = out / f"appendix.{fmt}"
    if fmt == "html":
        app.to_html(target)
    elif fmt == "docx":
        app.to_docx(target)
    elif fmt == "xlsx":
        app.to_xlsx(target)
    else:
        app.to_pdf(target)
