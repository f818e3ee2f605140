"""``table()``: estimates, crosstabs, comparisons or plain frames to a FormattedTable."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveykit._display import P_DIGITS, is_p_column
from surveykit.comparison import ComparisonTable
from surveykit.estimation import CrosstabTable, EstimateTable
from surveykit.instruments import Instrument
from surveykit.reporting._comparison import comparison_table
from surveykit.reporting._disclosure import suppression_mask
from surveykit.reporting._format import (
    SUPPRESSED,
    auto_digits,
    check_language,
    format_ci,
    format_number,
    format_p_value,
    text,
)
from surveykit.reporting._formatted import FormattedTable, ci_limit_headers
from surveykit.reporting._headers import column_header, is_identifier_column
from surveykit.reporting._labels import Labeller, VariableLabels, free_text_columns

__all__ = ["FormattedTable", "table"]


@dataclass(frozen=True)
class _Options:
    language: str
    percent: bool
    digits: int
    suppress_below: int
    show_ci: bool
    labeller: Labeller
    column_digits: Mapping[str, int]
    id_columns: frozenset[str] = frozenset()
    translate: bool = False
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    suppressed_note: str | None = None


def _refuse_free_text(names: Sequence[object], flagged: set[str], include: bool) -> None:
    hit = sorted(str(n) for n in names if str(n) in flagged)
    if hit and not include:
        raise ValueError(
            f"Column(s) {hit!r} hold free text, which reports never show unless asked "
            "(privacy). Drop them, or pass include_free_text=True if the text has been "
            "reviewed for identifying content.")


def _level_header(conf: float, language: str) -> str:
    pct = format_number(100 * conf, 0 if float(100 * conf).is_integer() else 1, language)
    return f"{pct} % KI" if language == "nb" else f"{pct}% CI"


def _label_columns(columns: Mapping[str, list[Any]], keys: list[str], lab: Labeller
                   ) -> dict[str, list[str]]:
    """Labelled text columns (header -> cells) for the by/row/col/variable/level keys."""
    out: dict[str, list[str]] = {}
    variables = [str(v) for v in columns.get("variable", [])]
    for key in keys:
        if key == "variable":
            out[text("variable", lab.language)] = [lab.variable(v) for v in variables]
        elif key == "level":
            out[text("level", lab.language)] = [lab.value(v, c) for v, c in
                                                zip(variables, columns["level"], strict=True)]
        else:
            out[lab.variable(key)] = lab.values(key, columns[key])
    return out


def _estimate_blocks(est: EstimateTable, opt: _Options
                     ) -> tuple[dict[str, list[str]], dict[str, Any], dict[str, str]]:
    """Display cells, numeric columns and Excel formats of the statistic columns."""
    lang, d = opt.language, opt.digits
    scale = 100.0 if opt.percent else 1.0
    head = text("percent" if opt.percent else "estimate", lang)
    ci_head = _level_header(est.confidence_level, lang)
    values = np.asarray(est.estimate, dtype=float)
    shown: dict[str, list[str]] = {head: [format_number(v * scale, d, lang) for v in values]}
    numeric: dict[str, Any] = {head: values}
    if opt.percent:
        xfmt = ("0." + "0" * d if d else "0") + "%"
    else:
        xfmt = "#,##0" + ("." + "0" * d if d else "")
    formats = {head: xfmt}
    if opt.show_ci:
        lo, hi = est.confidence_interval()
        shown[ci_head] = [format_ci(a, b, d, lang, scale=scale) for a, b in
                          zip(lo, hi, strict=True)]
        low_name, high_name = ci_limit_headers(ci_head, lang)
        numeric[low_name], numeric[high_name] = lo, hi
        formats[low_name] = formats[high_name] = xfmt
    n_head = text("n", lang)
    n = np.asarray(est.n, dtype=float)
    shown[n_head] = [format_number(v, 0, lang) for v in n]
    numeric[n_head] = n
    formats[n_head] = "#,##0"
    return shown, numeric, formats


def _assemble(labels: dict[str, list[str]], shown: dict[str, list[str]],
              numeric: dict[str, Any], formats: dict[str, str], hidden: np.ndarray,
              caption: str, notes: list[str], opt: _Options,
              cells: Mapping[str, np.ndarray] | None = None,
              once: Sequence[str] = ()) -> FormattedTable:
    """Put labels and numbers together, ``":"`` in hidden rows (or only in hidden ``cells``).

    The label columns ``once`` show a label once per run of equal labels (see
    :func:`_runs`; display only, the numbers keep every label). Hidden and repeated cells
    are blanked in the columns before each frame is built once (a study formats hundreds
    of small tables; a masked assignment per column costs more than the frame).
    """

    def mask(col: str) -> np.ndarray:
        return np.asarray(hidden if cells is None else cells[col], dtype=bool)

    extra: dict[str, object] = {}
    shown_labels = labels
    if once and len(hidden) > 1:
        starts, repeats = _runs([[str(v) for v in labels[col]] for col in once])
        shown_labels = {**labels, **{col: _blanked(labels[col], same)
                                     for col, same in zip(once, repeats, strict=True)}}
        extra["group_starts"] = starts
    display = pd.DataFrame({**shown_labels, **{col: _suppressed(v, mask(col))
                                               for col, v in shown.items()}})
    nums = pd.DataFrame({**labels, **{col: _masked_numbers(v, mask(col))
                                      for col, v in numeric.items()}})
    if hidden.any():
        note = opt.suppressed_note or text("suppressed_note", opt.language,
                                           k=opt.suppress_below)
        notes = [note, *notes]
    return FormattedTable(display=display, numeric=nums, number_formats=formats,
                          numeric_columns=tuple(shown), suppressed=hidden.copy(),
                          caption=caption, notes=tuple(notes), language=opt.language,
                          extra=extra)


def _blanked(cells: list[Any], mask: np.ndarray) -> list[Any]:
    """Return the cells with ``""`` where ``mask``."""
    if not mask.any():
        return cells
    return ["" if m else c for c, m in zip(cells, mask.tolist(), strict=True)]


def _suppressed(cells: list[str], mask: np.ndarray) -> list[str]:
    """Return the display cells with :data:`SUPPRESSED` where ``mask``."""
    if not mask.any():
        return cells
    return [SUPPRESSED if m else c for c, m in zip(cells, mask.tolist(), strict=True)]


def _masked_numbers(values: Any, mask: np.ndarray) -> Any:
    """Return the numbers as floats (others NaN), NaN where ``mask``."""
    if not (isinstance(values, np.ndarray) and values.dtype == np.float64):
        values = pd.to_numeric(pd.Series(values), errors="coerce").astype(float).to_numpy()
    return np.where(mask, np.nan, values)


def _tests_note(tests: pd.DataFrame, language: str) -> str:
    if "F" not in tests.index:
        return ""
    stat, ndf_, ddf_, p_ = tests.loc["F", ["statistic", "ndf", "ddf", "p_value"]].to_numpy(
        dtype=float)
    f = format_number(float(stat), 2, language)
    ndf = format_number(float(ndf_), 2, language)
    ddf = format_number(float(ddf_), 1, language)
    p = format_p_value(float(p_), language)
    sep = "; " if language == "nb" else ", "
    name = "Rao–Scott-korrigert F" if language == "nb" else "Rao–Scott adjusted F"
    return f"{name} = {f} (df {ndf}{sep}{ddf}), p = {p}."


def _from_estimates(est: EstimateTable, opt: _Options, include_free_text: bool,
                    caption: str | None) -> FormattedTable:
    lab = opt.labeller
    columns: dict[Any, list[Any]] = {c: s.tolist() for c, s in est.labels.items()
                                     if c not in EstimateTable.VALUE_COLUMNS}
    variables = list(dict.fromkeys(str(v) for v in columns["variable"]))
    flagged = free_text_columns(None, lab.instrument)
    _refuse_free_text(variables, flagged, include_free_text)
    is_crosstab = isinstance(est, CrosstabTable)
    keys = [c for c in est.labels.columns if c not in ("variable", "level")]
    groups: list[list[str]] = [[k] for k in keys] if is_crosstab else []
    if not is_crosstab and len(variables) > 1:
        keys.append("variable")
    if "level" in columns:
        keys.append("level")
    cells = est.to_frame() if groups else pd.DataFrame({"n": est.n})
    hidden = suppression_mask(cells, "n", opt.suppress_below, groups=groups or None)
    labels = _label_columns(columns, keys, lab)
    shown, numeric, formats = _estimate_blocks(est, opt)
    notes = [text("ci_note", opt.language,
                  level=format_number(100 * est.confidence_level, 0, opt.language))] \
        if opt.show_ci else []
    notes.append(text("base_note", opt.language))
    if is_crosstab:
        note = _tests_note(est.tests, opt.language)  # type: ignore[attr-defined]
        if note:
            notes.append(note)
    if caption is None:
        caption = _default_caption(est, variables, lab, is_crosstab)
    return _assemble(labels, shown, numeric, formats, hidden, caption, notes, opt,
                     once=list(labels)[:-1])


_STATISTIC_NAMES = {
    "nb": {"mean": "Gjennomsnitt", "proportion": "Andeler", "total": "Totaler",
           "ratio": "Forholdstall", "quantile": "Kvantiler", "variance": "Varians"},
    "en": {"mean": "Means", "proportion": "Proportions", "total": "Totals",
           "ratio": "Ratios", "quantile": "Quantiles", "variance": "Variances"},
}


def _default_caption(est: EstimateTable, variables: list[str], lab: Labeller,
                     is_crosstab: bool) -> str:
    by = [k for k in est.labels.columns if k not in ("variable", "level")]
    if is_crosstab:
        return " × ".join(lab.variable(k) for k in by)
    if len(variables) == 1:
        return lab.variable(variables[0])
    name = _STATISTIC_NAMES[lab.language].get(est.statistic, est.statistic)
    if by:
        word = " etter " if lab.language == "nb" else " by "
        name += word + ", ".join(lab.variable(k) for k in by)
    return name


def _blank_repeats(ft: FormattedTable, columns: list[str]) -> FormattedTable:
    """Show a label once per run of equal values (display only; Excel keeps every value).

    A column's cell is blanked where the labels up to it, as shown after blanking the
    columns before it, equal the row above; the runs are counted on the unblanked labels.
    """
    if not columns or len(ft.display) < 2:
        return ft
    display = ft.display.copy()
    text_columns = display[columns].astype(str)
    starts, repeats = _runs([text_columns[col].tolist() for col in columns])
    for col, same in zip(columns, repeats, strict=True):
        if same.any():
            display.loc[same, col] = ""
    return FormattedTable(display=display, numeric=ft.numeric,
                          number_formats=ft.number_formats, numeric_columns=ft.numeric_columns,
                          suppressed=ft.suppressed, caption=ft.caption, notes=ft.notes,
                          language=ft.language, extra={**ft.extra, "group_starts": starts})


def _runs(columns: list[list[str]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Where a run of equal labels starts, and per column the cells that repeat a label.

    A column's cell repeats where the labels up to it, as shown after blanking the columns
    before it, equal the row above; the runs are counted on the unblanked labels.
    """
    current = [list(col) for col in columns]
    starts = _changes(["\x1f".join(row) for row in zip(*current, strict=True)])
    repeats = []
    for i in range(len(current)):
        same = ~_changes(["\x1f".join(row) for row in zip(*current[: i + 1], strict=True)])
        repeats.append(same)
        current[i] = _blanked(current[i], same)
    return starts, repeats


def _changes(keys: list[str]) -> np.ndarray:
    """Mark where a key differs from the one above (always the first row)."""
    return np.array([True, *(a != b for a, b in zip(keys[1:], keys, strict=False))])


def _column_kind(name: str, series: pd.Series, ids: frozenset[str]) -> str:
    low = name.lower()
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "text"
    if name in ids or is_identifier_column(name):
        return "id"
    if low in ("n", "count") or low.startswith("n_") or low.endswith("_n"):
        return "count"
    if is_p_column(name):
        return "p"
    return "number"


def _hidden_cells(hide: np.ndarray | pd.DataFrame, rows: np.ndarray,
                  columns: list[str]) -> dict[str, np.ndarray]:
    """One mask per number column: the suppressed rows plus the cells ``hide`` marks."""
    if isinstance(hide, pd.DataFrame):
        unknown = sorted(str(c) for c in hide.columns if str(c) not in columns)
        if len(hide) != len(rows):
            raise ValueError(f"'hide' must have one row per table row ({len(rows)}, got "
                             f"{len(hide)}).")
        if unknown:
            raise ValueError(f"'hide' may only have number columns of the table "
                             f"{columns!r} (got {unknown!r} besides).")
        return {c: rows | (hide[c].to_numpy(dtype=bool) if c in hide else False)
                for c in columns}
    marked = np.asarray(hide, dtype=bool)
    if marked.shape != rows.shape:
        raise ValueError(f"'hide' must have one entry per table row ({len(rows)}, got "
                         f"{marked.shape}).")
    return {c: rows | marked for c in columns}


def _from_frame(frame: pd.DataFrame, opt: _Options, include_free_text: bool,
                caption: str | None, n_column: str | None,
                hide: np.ndarray | pd.DataFrame | None = None) -> FormattedTable:
    lab = opt.labeller
    flagged = free_text_columns(frame, lab.instrument)
    _refuse_free_text(list(frame.columns), flagged, include_free_text)
    frame = frame.reset_index(drop=True)
    if n_column is not None and n_column in frame:
        hidden = suppression_mask(frame, n_column, opt.suppress_below)
    else:
        hidden = np.zeros(len(frame), dtype=bool)
    labels: dict[str, list[str]] = {}
    shown: dict[str, list[str]] = {}
    numeric: dict[str, Any] = {}
    formats: dict[str, str] = {}
    for col in frame.columns:
        s = frame[col]
        kind = _column_kind(str(col), s, opt.id_columns)
        if kind == "text":
            labels[str(col)] = ["" if pd.isna(v) else str(v) for v in s.tolist()]
            continue
        values = s.to_numpy(dtype=float)
        cells, fmt = _number_cells(str(col), kind, values, opt)
        shown[str(col)], numeric[str(col)], formats[str(col)] = cells, values, fmt
    # keep the frame's column order
    order = [str(c) for c in frame.columns]
    marked = None if hide is None else _hidden_cells(hide, hidden, list(shown))
    if marked is not None:
        hidden = np.logical_or.reduce([hidden, *marked.values()])
    out = _assemble(labels, shown, numeric, formats, hidden, caption or "", [], opt, marked)
    names = {c: opt.headers.get(c, column_header(c, opt.language)) if opt.translate else c
             for c in order}
    return FormattedTable(display=out.display[order].rename(columns=names),
                          numeric=out.numeric[order].rename(columns=names),
                          number_formats={names[c]: f for c, f in formats.items()},
                          numeric_columns=tuple(names[c] for c in out.numeric_columns),
                          suppressed=hidden, caption=out.caption, notes=out.notes,
                          language=opt.language)


def _number_cells(col: str, kind: str, values: np.ndarray, opt: _Options
                  ) -> tuple[list[str], str]:
    """Display cells and Excel format of one numeric column of a plain frame."""
    if kind == "id":  # identifiers, codes, seeds, years: "20260302", never "20 260 302"
        return ["" if not np.isfinite(v) else str(int(v)) for v in values], "0"
    if kind == "count":
        return [format_number(v, 0, opt.language) for v in values], "#,##0"
    if kind == "p":
        return [format_p_value(v, opt.language) for v in values], "0." + "0" * P_DIGITS
    digits = opt.column_digits.get(col, opt.digits)
    if opt.percent:
        digits = digits if digits >= 0 else 1
        return ([format_number(100 * v, digits, opt.language) for v in values],
                ("0." + "0" * digits if digits else "0") + "%")
    digits = digits if digits >= 0 else auto_digits(values)
    return ([format_number(v, digits, opt.language) for v in values],
            "#,##0" + ("." + "0" * digits if digits else ""))


def table(est: Any, *, instrument: Instrument | None = None, language: str = "en",
          percent: bool | None = None, digits: int | Mapping[str, int] | None = None,
          suppress_below: int = 5,
          show_ci: bool = True, caption: str | None = None,
          notes: Sequence[str] = (), include_free_text: bool = False,
          n_column: str | None = "n", headers: bool | Mapping[str, str] = False,
          id_columns: Sequence[str] = (),
          labels: Mapping[str, VariableLabels] | None = None,
          hide: np.ndarray | pd.DataFrame | None = None,
          suppressed_note: str | None = None) -> FormattedTable:
    """Format estimates for a report: labels, percentages, CIs, bases, suppression.

    Parameters
    ----------
    est : EstimateTable, CrosstabTable, ComparisonTable or pandas.DataFrame
        What to show. A ComparisonTable shows both waves, the change with its CI
        (shares in percent, change in percentage points), the adjusted p-value and both
        unweighted bases, with trend breaks marked "†" and explained in a note. A plain
        frame is formatted column by column: counts (``n``, ``n_*``) as integers,
        p-values (``p_*``) with four decimals (``"< 0.0001"`` below), other numbers with
        ``digits`` decimals.
    instrument : Instrument, optional
        Source of question texts and code labels in ``language``.
    language : {"en", "nb"}
        Report language: labels and number format (``"nb"``: decimal comma).
    percent : bool, optional
        Show estimates as percentages; default True for proportions.
    digits : int or dict, optional
        Decimals; default 1 for percentages, else by magnitude (2, 1 or 0). For a frame
        or comparison, a dict gives decimals per column (others by magnitude).
    suppress_below : int, default 5
        Cells based on fewer respondents are replaced by ``":"`` with a footnote; in
        two-way tables a complementary cell is suppressed too where a row or column
        total would reveal the hidden one. 1 switches suppression off.
    show_ci : bool, default True
        Add the confidence interval column.
    caption : str, optional
        Caption; default the question text (or the crossed variables).
    notes : sequence of str
        Extra notes printed under the table.
    include_free_text : bool, default False
        Allow columns marked as free text (by ingestion or the instrument).
    n_column : str or None, default "n"
        Count column of a plain frame used for suppression (None: no suppression).
    headers : bool or dict, default False
        Headers of a plain frame: False shows the column names; True shows known
        identifiers (``read``, ``kish_deff``, ``seed``, ...) as headers in ``language``; a
        dict gives headers per column (others as with True).
    id_columns : sequence of str
        Numeric columns of a plain frame holding identifiers or codes, printed as plain
        integers (``3403``, not ``3 403``); ``seed``, ``year``, ``knr``, ``*_id``, ``*_code``
        and similar names are recognised without being listed.
    labels : dict, optional
        Labels of variables that are not in the instrument (derived variables):
        ``{name: VariableLabels(text, {code: label})}`` in the report language.
    hide : array of bool or DataFrame of bool, optional
        Plain frames only: more cells to show as ``":"`` (numbers NaN), besides the rows
        ``n_column`` suppresses; an array hides whole rows, a frame with a column per
        number column hides single cells (for masks from :func:`suppression_mask` with
        the table's own totals).
    suppressed_note : str, optional
        The footnote explaining ``":"``; default "fewer than ``suppress_below``
        respondents" in ``language``.

    Returns
    -------
    FormattedTable

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_api
    >>> d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    >>> ft = table(sk.proportion(d, "sch.wide"), language="nb")
    >>> print(ft.display.to_string(index=False))
    Svar Prosent   95 % KI n (uvektet)
      No    12,6  8,8–17,6         183
     Yes    87,4 82,4–91,2         183

    """
    language = check_language(language)
    lab = Labeller(instrument, language, dict(labels or {}))
    kind_is_estimates = isinstance(est, EstimateTable)
    if percent is None:
        percent = kind_is_estimates and est.statistic == "proportion"
    column_digits: Mapping[str, int] = {}
    if isinstance(digits, Mapping):
        column_digits, digits = dict(digits), None
    if digits is None:
        digits = 1 if percent else (auto_digits(est.estimate) if kind_is_estimates else -1)
    opt = _Options(language, bool(percent), int(digits), int(suppress_below), show_ci, lab,
                   column_digits, frozenset(map(str, id_columns)), headers is not False,
                   dict(headers) if isinstance(headers, Mapping) else {}, suppressed_note)
    if hide is not None and not isinstance(est, pd.DataFrame):
        raise TypeError("'hide' applies to a plain DataFrame only (got "
                        f"{type(est).__name__}); estimates are suppressed by their bases.")
    if suppress_below < 1:
        raise ValueError(f"'suppress_below' must be at least 1 (got {suppress_below}); "
                         "1 switches suppression off.")
    if kind_is_estimates:
        out = _from_estimates(est, opt, include_free_text, caption)
    elif isinstance(est, ComparisonTable):
        items = est.to_frame()["item"].astype(str).unique().tolist()
        _refuse_free_text(items, free_text_columns(None, instrument), include_free_text)
        out = comparison_table(est, lab, suppress_below=opt.suppress_below,
                               show_ci=show_ci, caption=caption)
    elif isinstance(est, pd.DataFrame):
        out = _from_frame(est, opt, include_free_text, caption, n_column, hide)
    elif hasattr(est, "to_frame"):
        out = _from_frame(est.to_frame(), opt, include_free_text, caption, n_column)
        out = out.with_caption(notes=[str(x) for x in getattr(est, "notes", ()) or ()])
    else:
        raise TypeError("'est' must be an EstimateTable, CrosstabTable, ComparisonTable or "
                        f"pandas DataFrame (got {type(est).__name__}).")
    return out.with_caption(notes=list(notes)) if notes else out
