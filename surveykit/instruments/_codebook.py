"""Codebooks: one row per variable and code, and writers for Markdown, HTML and XLSX."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from surveykit._validate import check_option
from surveykit._writing import write_atomic
from surveykit._xlsx_plain import plain_workbook
from surveykit.instruments._instrument import Instrument, Variable

__all__ = ["CODEBOOK_COLUMNS", "codebook", "write_codebook"]

CODEBOOK_COLUMNS = ["var", "item_id", "type", "group", "text", "code", "label", "is_missing",
                    "missing_kind", "measure", "required", "relevant"]


def _language(inst: Instrument, language: str | None) -> str:
    if language is None:
        return inst.languages.source
    return str(check_option("language", language, inst.language_codes))


def _rows(v: Variable, lang: str) -> list[dict[str, Any]]:
    base = {
        "var": v.var, "item_id": v.key, "type": v.type,
        "group": v.item.text.get(lang) if v.row is not None or v.option is not None else None,
        "text": v.text.get(lang), "measure": v.measure,
        "required": v.item.required, "relevant": v.item.relevant,
    }
    none = {"code": None, "label": None, "is_missing": False, "missing_kind": None}
    if v.option is not None:
        kinds = {m.code: m.kind for m in v.choices.missing} if v.choices else {}
        kind = kinds.get(v.option.code)
        return [{**base, "code": 1, "label": v.option.label.get(lang),
                 "is_missing": kind is not None, "missing_kind": kind, "measure": "nominal"}]
    if v.choices is None:
        return [{**base, **none}]
    rows = [{**base, "code": o.code, "label": o.label.get(lang), "is_missing": False,
             "missing_kind": None} for o in v.choices.options]
    rows += [{**base, "code": m.code, "label": m.label.get(lang), "is_missing": True,
              "missing_kind": m.kind} for m in v.choices.missing]
    return rows


def codebook(instrument: Instrument, language: str | None = None) -> pd.DataFrame:
    """Return the codebook of an instrument: one row per variable and code.

    Parameters
    ----------
    instrument : Instrument
        The instrument.
    language : str, optional
        Language of texts and labels (default the source language).

    Returns
    -------
    pandas.DataFrame
        Columns ``var, item_id, type, group, text, code, label, is_missing, missing_kind,
        measure, required, relevant``. Variables without codes (integer, text, date) have
        one row with empty ``code``. A multi-select option is a 0/1 column: its one row has
        ``code`` 1 labelled with the option. ``group`` is the grid's or multi-select's stem.
        ``measure`` is the level at which the answers are analysed
        (:attr:`Variable.measure`): shares for nominal and ordinal, a mean too for interval.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.Instrument.from_dict(sk.instruments.example_instrument_dict())
    >>> cb = inst.codebook(language="en")
    >>> cb.loc[cb["var"] == "sat_region", ["code", "label", "is_missing"]].tail(2)
      code           label  is_missing
    5    5  Very satisfied       False
    6   98      Don't know        True

    """
    lang = _language(instrument, language)
    rows = [row for v in instrument.variables for row in _rows(v, lang)]
    frame = pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)
    frame["code"] = pd.Series([row["code"] for row in rows], index=frame.index, dtype=object)
    return frame


@dataclass(frozen=True)
class _Section:
    heading: str
    facts: list[str]
    codes: list[tuple[str, str, str]]


def _sections(inst: Instrument, lang: str) -> list[_Section]:
    out = []
    for number, item in enumerate(inst.items, start=1):
        variables = [v for v in inst.variables if v.item is item]
        facts = [f"type {item.type}", "variables " + ", ".join(v.var for v in variables)]
        if item.required:
            facts.append("required")
        if item.relevant:
            facts.append(f"asked if {item.relevant}")
        if item.constraint is not None:
            facts.append(f"constraint {_constraint(item.constraint)}")
        if item.role:
            facts.append("role " + ", ".join(item.role))
        codes: list[tuple[str, str, str]] = []
        if item.type == "grid":
            codes += [(r.var, r.text.get(lang, ""), "row") for r in item.rows or ()]
        cl = inst.choice_lists.get(item.choices or "")
        if cl is not None:
            codes += [(str(o.code), o.label.get(lang, ""), "") for o in cl.options]
            codes += [(str(m.code), m.label.get(lang, ""), m.kind) for m in cl.missing]
        heading = f"{number}. {item.id}: {item.text.get(lang, '')}"
        out.append(_Section(heading, facts, codes))
    return out


def _constraint(value: object) -> str:
    if isinstance(value, str):
        return value
    lo, hi = getattr(value, "min", None), getattr(value, "max", None)
    return f"{'' if lo is None else lo}–{'' if hi is None else hi}"


def _header(inst: Instrument, lang: str) -> list[str]:
    released = inst.released.isoformat() if inst.released else "not released"
    return [f"{inst.id} {inst.version} ({inst.status}, {released})",
            f"Universe: {inst.universe.get(lang, '')}",
            f"Fingerprint: {inst.fingerprint}", f"Language: {lang}"]


def _markdown(inst: Instrument, lang: str) -> str:
    lines = [f"# {inst.title.get(lang, inst.id)}", ""]
    lines += [f"- {fact}" for fact in _header(inst, lang)] + [""]
    for sec in _sections(inst, lang):
        lines += [f"## {sec.heading}", "", "; ".join(sec.facts), ""]
        if sec.codes:
            lines += ["| code | label | note |", "|---|---|---|"]
            lines += [f"| {c} | {label.replace('|', '/')} | {n} |" for c, label, n in sec.codes]
            lines.append("")
    return "\n".join(lines)


def _html(inst: Instrument, lang: str) -> str:
    e = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">',
             f"<title>{e(inst.title.get(lang, inst.id))}</title></head><body>",
             f"<h1>{e(inst.title.get(lang, inst.id))}</h1><ul>"]
    parts += [f"<li>{e(fact)}</li>" for fact in _header(inst, lang)] + ["</ul>"]
    for sec in _sections(inst, lang):
        parts += [f"<h2>{e(sec.heading)}</h2>", f"<p>{e('; '.join(sec.facts))}</p>"]
        if sec.codes:
            parts.append("<table><tr><th>code</th><th>label</th><th>note</th></tr>")
            parts += [f"<tr><td>{e(c)}</td><td>{e(label)}</td><td>{e(n)}</td></tr>"
                      for c, label, n in sec.codes]
            parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _xlsx(inst: Instrument, lang: str, path: Path) -> None:
    about = pd.DataFrame({"key": ["title", "id", "version", "status", "released", "universe",
                                  "fingerprint", "language"],
                          "value": [inst.title.get(lang), inst.id, inst.version, inst.status,
                                    inst.released.isoformat() if inst.released else None,
                                    inst.universe.get(lang), inst.fingerprint, lang]})
    write_atomic(path, plain_workbook({"instrument": about, "codebook": codebook(inst, lang)}))


def write_codebook(
    instrument: Instrument,
    path: str | Path,
    *,
    language: str | None = None,
    format: str | None = None,
) -> Path:
    """Write a codebook as Markdown, HTML or XLSX.

    Parameters
    ----------
    instrument : Instrument
        The instrument.
    path : str or Path
        Output file.
    language : str, optional
        Default the source language.
    format : {"md", "html", "xlsx"}, optional
        Default from the file suffix.

    Returns
    -------
    Path
        The file written.

    """
    path = Path(path)
    fmt = format or path.suffix.lstrip(".").lower()
    fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
    check_option("format", fmt, ("md", "html", "xlsx"))
    lang = _language(instrument, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        _xlsx(instrument, lang, path)
    else:
        text = _markdown(instrument, lang) if fmt == "md" else _html(instrument, lang)
        write_atomic(path, text)
    return path
