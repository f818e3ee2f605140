"""Charts of participation: progress against the target, and the concepts side by side.

Figures come from :func:`surveykit.reporting.new_figure`, as every chart of the package: a
:class:`matplotlib.figure.Figure` returned to the caller (matplotlib imported on first use, no
pyplot state; nothing is shown, saved or left open), in the report's accent colour.
Texts come in Norwegian bokmål (``"nb"``) or English (``"en"``); concept names are the
instrument's labels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit._validate import check_option
from surveykit.instruments import load_instrument
from surveykit.reporting import PALETTE, new_figure
from surveykit.reporting import vocabulary_group as group

__all__ = ["concept_chart", "concept_labels", "progress_chart"]

_TEXT = {lang: group("chart", lang) for lang in ("nb", "en")}


def concept_labels(language: str) -> dict[str, str]:
    """Concept code -> label in ``language`` (from the meeting_place_feedback instrument)."""
    inst = load_instrument("meeting_place_feedback")
    return {str(o.code): o.label[language] for o in inst.choice_lists["mp_concept"].options}


def progress_chart(result: Any, *, language: str = "en") -> Any:
    """Cumulative distinct participants by month, the target line and the project period.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> reg = sk.EventRegister.from_frame(pd.DataFrame({"event_id": ["A1"],
    ...     "concept": ["activity_night"], "date": ["2025-09-01"]}))
    >>> lists = pd.DataFrame({"event_id": ["A1", "A1"], "participant_id": ["p1", "p2"]})
    >>> fig = progress_chart(sk.participation(reg, sk.read_attendance(lists, reg)))
    >>> fig.axes[0].get_title()
    'Distinct participants over time against the target'

    """
    check_option("language", language, ("nb", "en"))
    t = _TEXT[language]
    fig = new_figure(7.5, 4, layout=None)  # autofmt_xdate lays it out
    ax = fig.subplots()
    start, end = (pd.Timestamp(d) for d in result.period)
    prog = result.progress
    month_end = prog["month"] + pd.offsets.MonthEnd(0)
    ax.step(np.r_[start, month_end], np.r_[0, prog["cumulative_participants"]], where="post",
            color=PALETTE[0], linewidth=2, label=t["cumulative"])
    ax.plot([start, end], [0, result.target], color="grey", linestyle=":",
            label=t["pace"])
    ax.axhline(result.target, color="#c0504d", linestyle="--",
               label=t["target"].format(t=result.target))
    ax.axvspan(start, end, color="#dbe5f1", alpha=0.35, label=t["period"])
    ax.set_xlim(start - pd.Timedelta(days=15), end + pd.Timedelta(days=15))
    top = max(result.target, int(prog["cumulative_participants"].max() or 0))
    ax.set_ylim(0, top * 1.12)
    ax.set_xlabel(t["month"])
    ax.set_ylabel(t["people"])
    ax.set_title(t["progress_title"])
    ax.legend(loc="lower right", frameon=False, fontsize=8)  # clear of both lines
    fig.autofmt_xdate()
    return fig


def concept_chart(result: Any, *, language: str = "en", suppress_below: int = 5) -> Any:
    """Distinct participants per concept, and NPS per concept with its interval.

    Concepts with fewer than ``suppress_below`` feedback forms get no NPS point.
    """
    check_option("language", language, ("nb", "en"))
    t = _TEXT[language]
    labels = concept_labels(language)
    conc = result.by_concept
    names = [labels.get(c, c) for c in conc["concept"]]
    fig = new_figure(9, 3.8, layout=None)  # tight_layout below
    left, right = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(conc))[::-1]
    left.barh(y, conc["participants"], color=PALETTE[0])
    left.set_yticks(y, names)
    left.set_xlabel(t["participants"])
    _nps_panel(right, result, conc["concept"].tolist(), y, t, suppress_below)
    fig.suptitle(t["concept_title"])
    fig.tight_layout()
    return fig


def _nps_panel(ax: Any, result: Any, concepts: list[str], y: np.ndarray, t: dict[str, str],
               suppress_below: int) -> None:
    fb = result.feedback
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_xlim(-100, 100)
    ax.set_xlabel(t["nps"])
    if fb is None:
        ax.text(0, float(np.mean(y)) if len(y) else 0, t["no_feedback"], ha="center")
        return
    nps = fb[fb["indicator"] == "nps"].set_index("concept").reindex(concepts)
    shown = (nps["n"] >= suppress_below).to_numpy()
    est = nps["estimate"].to_numpy(dtype=float)
    err = np.vstack([est - nps["ci_low"].to_numpy(dtype=float),
                     nps["ci_high"].to_numpy(dtype=float) - est])
    ax.errorbar(est[shown], y[shown], xerr=err[:, shown], fmt="o", color="#c0504d",
                capsize=3, label=t["ci"].format(p=round(100 * result.confidence_level)))
    ax.legend(loc="lower right", frameon=False, fontsize=8)
