"""Ready-made methods tables: outcome rates, weighting, margins of error, codebook, software."""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata

import numpy as np
import pandas as pd

from surveykit._aapor import aapor_rates
from surveykit._distributions import norm_ppf
from surveykit.instruments import Instrument
from surveykit.reporting._format import check_language, format_number
from surveykit.reporting._formatted import FormattedTable
from surveykit.reporting._headers import column_header
from surveykit.reporting._labels import CROSS, Labeller, VariableLabels
from surveykit.reporting._tables import _blank_repeats, table
from surveykit.reporting._vocabulary import group, term
from surveykit.weighting import WeightDiagnostics

__all__ = ["aapor_table", "codebook_table", "moe_table", "software_versions",
           "weighting_tables"]

_RATE_NAMES = {lang: group("rate", lang) for lang in ("nb", "en")}
_H = {lang: group("methods", lang) for lang in ("nb", "en")}
#: headers shared with every other report table come from the one vocabulary in _headers
_SHARED = {"rate": "rate", "n": "n", "measure": "measure", "margin": "margin",
           "level": "level", "target": "target", "achieved": "achieved_now",
           "kish": "kish_deff", "neff": "effective_n", "var": "variable", "missing": "missing"}
for _lang, _words in _H.items():
    _words.update({key: column_header(col, _lang) for key, col in _SHARED.items()})


def _ft(display: dict[str, list[str]], numeric: dict[str, object], formats: dict[str, str],
        caption: str, notes: Sequence[str], language: str) -> FormattedTable:
    return FormattedTable(display=pd.DataFrame(display), numeric=pd.DataFrame(numeric),
                          number_formats=formats,
                          numeric_columns=tuple(c for c in display if c in formats),
                          suppressed=np.zeros(len(next(iter(display.values()))), dtype=bool),
                          caption=caption, notes=tuple(notes), language=language)


def aapor_table(counts: Mapping[str, float] | pd.Series, *, e: float | None = None,
                language: str = "en", caption: str | None = None) -> FormattedTable:
    """AAPOR outcome rates as a report table (rate, description, value in %, formula).

    Examples
    --------
    >>> ft = aapor_table({"I": 400, "P": 50, "R": 100, "NC": 150, "UH": 230}, language="nb")
    >>> ft.display.iloc[0].tolist()[:3]
    ['RR1', 'Svarprosent 1', '43,0']

    """
    language = check_language(language)
    h = _H[language]
    rates = aapor_rates(counts, e=e)
    names = [f"{_RATE_NAMES[language][r.rstrip('0123456789')]} {r[-1]}" for r in rates.index]
    values = rates["value"].to_numpy(float)
    display = {h["rate"]: list(rates.index), h["what"]: names,
               h["value"]: [format_number(100 * v, 1, language) for v in values],
               h["formula"]: rates["formula"].tolist()}
    numeric = {h["rate"]: list(rates.index), h["what"]: names, h["value"]: values,
               h["formula"]: rates["formula"].tolist()}
    notes = [h["src"], h["e_note"].format(e=format_number(rates.attrs["e"], 3, language))]
    cap = caption or ("Utfallsrater (AAPOR)" if language == "nb" else "Outcome rates (AAPOR)")
    return _ft(display, numeric, {h["value"]: "0.0%"}, cap, notes, language)


def moe_table(n: Sequence[int] | int, *, deff: float = 1.0, population: int | None = None,
              proportions: Sequence[float] = (0.1, 0.3, 0.5), language: str = "en",
              confidence_level: float = 0.95, caption: str | None = None) -> FormattedTable:
    """Margins of error in percentage points for sample sizes ``n`` and proportions ``p``.

    ``1.96 * sqrt(p (1 - p) / n) * sqrt(deff)``, times ``sqrt((N - n) / (N - 1))`` when the
    population size ``N`` is given (the convention of Norwegian survey reports).

    Examples
    --------
    >>> ft = moe_table([300, 1200], language="en")
    >>> print(ft.display.to_string(index=False))
        n p = 10% p = 30% p = 50%
      300     3.4     5.2     5.7
    1,200     1.7     2.6     2.8

    """
    language = check_language(language)
    h = _H[language]
    ns = np.atleast_1d(np.asarray(n, dtype=float))
    z = float(norm_ppf((1 + confidence_level) / 2))
    fpc = np.sqrt((population - ns) / (population - 1)) if population else np.ones_like(ns)
    display: dict[str, list[str]] = {h["n"]: [format_number(v, 0, language) for v in ns]}
    numeric: dict[str, object] = {h["n"]: ns}
    formats = {h["n"]: "#,##0"}
    for p in proportions:
        moe = 100 * z * np.sqrt(p * (1 - p) / ns) * np.sqrt(deff) * fpc
        unit = "\u00a0%" if language == "nb" else "%"
        col = f"p = {format_number(100 * p, 0, language)}{unit}"
        display[col] = [format_number(v, 1, language) for v in moe]
        numeric[col] = moe
        formats[col] = "0.0"
    fpc_txt = "·√((N−n)/(N−1))" if population else ""
    note = h["moe_note"].format(fpc=fpc_txt, deff=format_number(deff, 2, language))
    cap = caption or (h["moe"])
    return _ft(display, numeric, formats, cap, [note], language)


def weighting_tables(diag: WeightDiagnostics, *, instrument: Instrument | None = None,
                     language: str = "en", labels: Mapping[str, VariableLabels] | None = None,
                     caption: str | None = None) -> tuple[FormattedTable, FormattedTable]:
    """Summary (Kish deff, effective n, ...) and margins (target vs achieved) tables.

    The margins table shows the last weighting step. Margins and their levels are labelled
    from the instrument (or ``labels`` for derived variables); a crossed margin shows as
    ``"Age group × Sex"`` with levels ``"20–24 × Male"``. ``caption`` replaces the
    margins table's caption.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.weighting import weight_diagnostics
    >>> data = pd.DataFrame({"age": ["20-24", "25-29"] * 3, "sex": ["f", "m", "m"] * 2})
    >>> d = sk.rake(sk.SurveyDesign(data, weights=np.ones(6)), {("age", "sex"): {
    ...     ("20-24", "f"): 40, ("20-24", "m"): 20, ("25-29", "f"): 10, ("25-29", "m"): 30}})
    >>> _, margins = weighting_tables(weight_diagnostics(d), language="en",
    ...     labels={"sex": VariableLabels("Sex", {"f": "Female", "m": "Male"})})
    >>> margins.display.iloc[:2, :2].to_numpy().tolist()
    [['age × Sex', '20–24 × Female'], ['', '20–24 × Male']]

    """
    language = check_language(language)
    h = _H[language]
    measures = [h["nn"], h["sumw"], h["kish"], h["neff"], h["eff"], h["maxmin"]]
    values = [diag.n, diag.sum_weights, diag.kish_deff, diag.effective_n,
              100 * diag.efficiency, float(diag.distribution["max/min"])]
    digits = [0, 0, 3, 1, 1, 2]
    summary = _ft({h["measure"]: measures,
                   h["value"].split(" ")[0]: [format_number(v, d, language)
                                              for v, d in zip(values, digits, strict=True)]},
                  {h["measure"]: measures, h["value"].split(" ")[0]: values},
                  {h["value"].split(" ")[0]: "General"},
                  "Vekting: oppsummering" if language == "nb" else "Weighting: summary",
                  [], language)
    m = diag.margins
    if len(m):
        m = m[m["step"] == m["step"].max()]
    lab = Labeller(instrument, language, dict(labels or {}))
    names = [tuple(v) if isinstance(v, (tuple, list)) else (str(v),) for v in m["variables"]]
    frame = pd.DataFrame({
        h["margin"]: [CROSS.join(lab.variable(v) for v in vs) for vs in names],
        h["level"]: [lab.crossed(vs, lv if isinstance(lv, tuple) else (lv,))
                     for vs, lv in zip(names, m["level"], strict=True)],
        h["target"]: m["target"].to_numpy(float),
        h["achieved"]: m["achieved_now"].to_numpy(float),
        h["rel"]: 100 * m["relative_difference"].to_numpy(float),
    })
    margins = table(frame, language=language, n_column=None,
                    digits={h["target"]: 0, h["achieved"]: 0, h["rel"]: 2},
                    caption=caption or ("Vekting: mål og oppnådde marginer" if language == "nb"
                                        else "Weighting: targets and achieved margins"))
    # the margin's name once per group, as in domain-split tables (Excel keeps every value)
    return summary, _blank_repeats(margins, [h["margin"]])


def codebook_table(instrument: Instrument, *, language: str = "en",
                   caption: str | None = None) -> FormattedTable:
    """Return the instrument's codebook in the report language (variable, question, codes)."""
    language = check_language(language)
    h = _H[language]
    cb = instrument.codebook(language=language)
    first = ~cb["var"].duplicated()
    codes = ["" if pd.isna(c) else str(c) for c in cb["code"]]
    labels = ["" if pd.isna(x) else str(x) for x in cb["label"]]
    texts = ["" if pd.isna(t) else str(t) for t in cb["text"]]
    display = {
        h["var"]: np.where(first, cb["var"].astype(str), "").tolist(),
        h["text"]: np.where(first, texts, "").tolist(),
        h["code"]: codes,
        h["label"]: [f"{x} ({h['missing'].lower()})" if miss else x
                     for x, miss in zip(labels, cb["is_missing"], strict=True)],
        h["analysed_as"]: np.where(first, [term(f"methods.level_{m}", language)
                                           if isinstance(m, str) else ""
                                           for m in cb["measure"]], "").tolist(),
    }
    title = instrument.title.get(language, instrument.id)
    cap = caption or term("methods.codebook_caption", language, title=title,
                          version=instrument.version)
    out = _ft(display, dict(display), {}, cap, [], language)
    out.extra["group_starts"] = first.to_numpy()
    return out


#: packages that can shape a report's numbers or files, in the order they are listed
_SOFTWARE = ("surveykit", "numpy", "pandas", "scipy", "statsmodels", "patsy", "pingouin",
             "matplotlib")


def software_versions() -> dict[str, str]:
    """Versions of Python and the packages that ran in this session (for the methods section).

    A package is listed only when it was imported (it is in ``sys.modules``), so the list
    names what produced the numbers, not everything installed: statsmodels appears once a
    p-value was adjusted or a formula read, pingouin once concepts were compared.

    Examples
    --------
    >>> v = software_versions()
    >>> list(v)[:4]
    ['Python', 'surveykit', 'numpy', 'pandas']

    """
    out = {"Python": platform.python_version()}
    for name in _SOFTWARE:
        if name not in sys.modules:
            continue
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out
