"""The "Møteplasser / Meeting places" section of a study appendix.

Numbers are formatted by :mod:`surveykit.reporting` (counts without decimals, shares as
percentages with one decimal); counts of people below the suppression threshold are shown as
``":"``, with secondary suppression inside each table whose rows add up to a shown total.
Only counts, shares and estimates appear: no pseudonym, and no raw identifier ever reaches
this module.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from surveykit._validate import check_option
from surveykit.instruments import load_instrument
from surveykit.participation._charts import concept_chart, concept_labels, progress_chart
from surveykit.participation._indicators import ParticipationResult
from surveykit.participation._texts import TEXT
from surveykit.reporting import Appendix, FormattedTable, Section, suppression_mask, table

__all__ = ["add_participation_section"]


def _formatted(frame: pd.DataFrame, counts: Sequence[str], shares: Sequence[str], *,
               language: str, caption: str, hidden: np.ndarray | pd.DataFrame | None = None,
               notes: Sequence[str] = (), threshold: int = 5) -> FormattedTable:
    """Format a census table through :func:`surveykit.reporting.table`.

    Counts are shown without decimals, shares (0-1) as percentages with one decimal;
    ``hidden`` marks suppressed rows (boolean array) or cells (boolean frame with a column
    per number column), shown as ``":"`` with the note that counts of people are behind it.
    """
    digits = {**dict.fromkeys(counts, 0), **dict.fromkeys(shares, 1)}
    labels = [c for c in frame.columns if c not in digits]
    shown = frame.assign(**{c: frame[c].astype("string").fillna("") for c in labels},
                         **{c: frame[c] * 100 for c in shares})
    return table(shown, language=language, digits=digits, n_column=None, caption=caption,
                 notes=notes, hide=hidden, suppress_below=threshold,
                 suppressed_note=TEXT[language]["suppressed"].format(k=threshold))


def _hidden(frame: pd.DataFrame, count: str, threshold: int) -> np.ndarray:
    """Primary suppression below ``threshold``; secondary within the table (one total)."""
    return suppression_mask(frame.assign(_all=0), n_column=count, threshold=threshold,
                            groups=["_all"])


def _cell_hidden(frame: pd.DataFrame, cols: list[str], threshold: int,
                 totals: bool) -> pd.DataFrame:
    """Cell suppression of counts whose row adds up to a shown total (and columns, if totals).

    Uses :func:`surveykit.reporting.suppression_mask` on the long form: each row's cells form one
    set (they add up to the row's attendances) and, with ``totals``, each column's cells
    form another (they add up to the "all" row).
    """
    long = frame[cols].reset_index(drop=True).rename_axis("_row").reset_index().melt(
        id_vars="_row", var_name="_col", value_name="n")
    groups: list[str] = ["_row", "_col"] if totals else ["_row"]
    hide = suppression_mask(long, n_column="n", threshold=threshold, groups=groups)
    flags = long.assign(_hide=hide).pivot(index="_row", columns="_col", values="_hide")
    return flags[cols].reset_index(drop=True).astype(bool)


def _key_figures(sec: Section, res: ParticipationResult, lang: str) -> None:
    t = TEXT[lang]
    names = ["participants", "target", "attendances", "unidentified_attendances",
             "events_held", "concepts_held", "returning_participants", "participants_20_40"]
    shares = ["share_of_target", "share_returning", "share_20_40"]
    if "feedback_forms" in res.indicators["indicator"].tolist():
        names.append("feedback_forms")
        shares.append("feedback_forms_per_attendance")
    rows = [(t["kf"][k], res.value(k), np.nan) for k in names]
    rows += [(t["kf"][k], np.nan, res.value(k)) for k in shares]
    frame = pd.DataFrame(rows, columns=[t["indicator"], t["number"], t["percent"]])
    sec.table(_formatted(frame, [t["number"]], [t["percent"]], language=lang,
                         caption=t["key_caption"], notes=[t["census_note"]]))


def _counts(sec: Section, frame: pd.DataFrame, rename: dict[str, str], counts: list[str],
            shares: list[str], *, lang: str, caption: str, threshold: int, suppress_on: str,
            notes: Sequence[str] = ()) -> None:
    shown = frame[list(rename)].rename(columns=rename)
    hidden = _hidden(shown, rename[suppress_on], threshold)
    sec.table(_formatted(shown, [rename[c] for c in counts], [rename[c] for c in shares],
                         language=lang, caption=caption, hidden=hidden, notes=notes,
                         threshold=threshold))


def _labelled(frame: pd.DataFrame, column: str, labels: dict[str, str]) -> pd.DataFrame:
    return frame.assign(**{column: frame[column].astype("string").map(
        lambda v: labels.get(v, v))})


def _municipality_labels(lang: str) -> dict[str, str]:
    inst = load_instrument("meeting_place_feedback")
    out = {str(o.code): o.label[lang] for o in inst.choice_lists["municipality"].options}
    return {**out, "unknown": TEXT[lang]["unknown"]}


def _feedback(sec: Section, res: ParticipationResult, lang: str, threshold: int) -> None:
    t = TEXT[lang]
    fb = res.feedback
    if fb is None:
        return
    labels = {**concept_labels(lang), "all": t["all"]}
    pct = fb["indicator"].isin(["satisfaction_top2", "come_again"]).to_numpy()
    scale = np.where(pct, 100.0, 1.0)
    frame = pd.DataFrame({
        t["concept"]: fb["concept"].map(lambda v: labels.get(v, v)),
        t["indicator"]: fb["indicator"].map(t["fb"]),
        t["estimate"]: fb["estimate"] * scale, t["ci_low"]: fb["ci_low"] * scale,
        t["ci_high"]: fb["ci_high"] * scale, "n": fb["n"],
    })
    level = round(100 * res.confidence_level)
    ft = table(frame, language=lang, digits=1, suppress_below=threshold, n_column="n",
               caption=t["fb_caption"].format(p=level))
    sec.table(ft, notes=[t["self_selected"], t["fb_definitions"]])


def _concept_tests(sec: Section, res: ParticipationResult, lang: str, threshold: int) -> None:
    """Add the unweighted rank tests comparing the concepts (pairs of small ones left out)."""
    t = TEXT[lang]
    overall, pairs = res.concept_tests, res.concept_pairs
    if overall is None or pairs is None or overall.empty:
        return
    names = {**concept_labels(lang)}
    items = t["ct_item"]
    shown = overall.assign(item=overall["item"].map(items))
    sec.table(table(shown, language=lang, n_column=None, headers=t["ct_cols"],
                    digits={"H": 2, "eta_squared_h": 3}, caption=t["ct_caption"]),
              notes=[t["ct_note"]])
    big = pairs[(pairs["n_a"] >= threshold) & (pairs["n_b"] >= threshold)]
    cols = list(t["cp_cols"])
    shown = big.assign(item=big["item"].map(items), concept_a=big["concept_a"].map(
        lambda v: names.get(v, v)), concept_b=big["concept_b"].map(lambda v: names.get(v, v)))
    if not shown.empty:
        sec.table(table(shown[cols], language=lang, n_column=None, headers=t["cp_cols"],
                        digits={"cles": 2}, caption=t["cp_caption"]))


def add_participation_section(app: Appendix, result: ParticipationResult, *,
                              language: str | None = None, suppress_below: int = 5,
                              level: int = 1) -> Section:
    """Add the meeting-place participation section (tables, two charts, notes) to ``app``.

    Parameters
    ----------
    app : surveykit.reporting.Appendix
        The appendix to extend.
    result : ParticipationResult
        From :func:`participation`.
    language : {"nb", "en"}, optional
        Default the appendix language.
    suppress_below : int, default 5
        Counts of people (or feedback bases) below this are suppressed (``":"``).
    level : int, default 1
        Heading level of the section.

    Returns
    -------
    Section
        The new section.

    """
    lang = check_option("language", language or app.language, ("nb", "en"))
    if not isinstance(result, ParticipationResult):
        raise TypeError(f"'result' must be a ParticipationResult (got {type(result).__name__}).")
    t = TEXT[lang]
    sec = app.section(t["title"], level=level)
    sec.text(t["intro"].format(target=result.target))
    identity = "identity_note" if result.key_mode == "configured" else "identity_note_session"
    for note in (t["census_note"], t[identity]):
        sec.text(note)
    _key_figures(sec, result, lang)
    sec.figure(progress_chart(result, language=lang), caption=t["progress_caption"])
    _tables(sec, result, lang, suppress_below)
    sec.figure(concept_chart(result, language=lang, suppress_below=suppress_below),
               caption=t["concept_fig_caption"])
    _feedback(sec, result, lang, suppress_below)
    _concept_tests(sec, result, lang, suppress_below)
    _quality(sec, result, lang)
    return sec


def _tables(sec: Section, res: ParticipationResult, lang: str, k: int) -> None:
    t = TEXT[lang]
    conc = _labelled(res.by_concept, "concept", concept_labels(lang))
    _counts(sec, conc, t["cols_concept"], ["events_held", "attendances", "participants",
                                           "first_time"], ["share_of_participants"],
            lang=lang, caption=t["concept_caption"], threshold=k, suppress_on="participants",
            notes=[t["concept_note"]])
    muni = _labelled(res.by_municipality, "municipality", _municipality_labels(lang))
    _counts(sec, muni, t["cols_muni"], ["participants"], ["share"], lang=lang,
            caption=t["muni_caption"], threshold=k, suppress_on="participants")
    age = res.by_age_band.assign(age_band=res.by_age_band["age_band"].replace(t["bands"]))
    _counts(sec, age, t["cols_age"], ["participants"], ["share_of_known"], lang=lang,
            caption=t["age_caption"], threshold=k, suppress_on="participants",
            notes=[t["age_note"]])
    if res.by_newcomer is not None:
        new = res.by_newcomer.assign(newcomer=res.by_newcomer["newcomer"].replace(t["yes_no"]))
        _counts(sec, new, t["cols_new"], ["participants"], ["share"], lang=lang,
                caption=t["new_caption"], threshold=k, suppress_on="participants")
    _first_time(sec, res, lang, k)
    _counts(sec, res.repeat_visits, t["cols_rep"], ["participants"], ["share"], lang=lang,
            caption=t["rep_caption"], threshold=k, suppress_on="participants")
    ev = _labelled(res.per_event, "concept", concept_labels(lang))
    ev = ev.assign(date=ev["date"].dt.strftime("%Y-%m-%d"))
    cols = t["cols_event"]
    parts = ["first_time", "returning", "unidentified"]
    hidden = _cell_hidden(ev, parts, k, totals=False)
    small = ((ev["attendances"] > 0) & (ev["attendances"] < k)).to_numpy()
    hidden = hidden.assign(attendances=small).mask(small[:, None] & np.ones((1, 4), bool), True)
    shown = ev[list(cols)].rename(columns=cols)
    sec.table(_formatted(shown, [cols[c] for c in ("attendances", *parts)], [], language=lang,
                         caption=t["event_caption"], threshold=k,
                         hidden=hidden.rename(columns=cols)))


def _first_time(sec: Section, res: ParticipationResult, lang: str, k: int) -> None:
    t = TEXT[lang]
    ftr = _labelled(res.first_time_returning, "concept", {**concept_labels(lang), "all": t["all"]})
    parts = ["first_time", "returning", "unidentified"]
    body = ftr["concept"] != t["all"]
    hidden = pd.DataFrame(False, index=ftr.index, columns=parts)
    hidden.loc[body.to_numpy()] = _cell_hidden(ftr[body], parts, k, totals=True).to_numpy()
    cols = t["cols_ftr"]
    sec.table(_formatted(ftr.rename(columns=cols), [cols[c] for c in parts], [], language=lang,
                         caption=t["ftr_caption"], threshold=k,
                         hidden=hidden.rename(columns=cols)))


def _quality(sec: Section, res: ParticipationResult, lang: str) -> None:
    t = TEXT[lang]
    acc = res.accounting.to_frame()
    names = acc["quantity"].map(lambda q: t["acc"].get(q.split(": ")[-1], q.split(": ")[-1]))
    frame = pd.DataFrame({t["quantity"]: names, t["rows"]: acc["n"]})
    sec.table(_formatted(frame, [t["rows"]], [], language=lang, caption=t["acc_caption"],
                         notes=[t["acc_note"].format(k=len(res.near_duplicates))]))

