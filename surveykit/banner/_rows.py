"""What each row question shows: its analysis columns and the display rows built from them.

Every display row is a linear combination of the estimates of the row question's analysis
columns in one banner column: a category's percent is ``100 x`` the mean of its 0/1
indicator, a net the sum of its categories' percents, a mean row the mean itself, an NPS
row the score of :func:`surveykit.nps`. So one estimator call per (row question, banner
variable) gives every display row and, through ``surveykit.contrast``, every test.

============  ==================================================  =====================
kind          when                                                display rows
============  ==================================================  =====================
categories    single-choice item, text or categorical column      one per code
likert        ordinal or interval choice list with numeric codes  codes, then the nets
nps           choice list 0-10 (or ``row_kinds={..: "nps"}``)     the NPS score
mean          integer or decimal item, numeric column             the mean
multi         multi-select item, or a tuple of 0/1 columns        one per option
============  ==================================================  =====================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit._validate import check_option
from surveykit.errors import ArgumentError, ColumnError
from surveykit.instruments import Instrument, Variable

__all__ = ["NETS", "ROW_KINDS", "DisplayRow", "RowQuestion", "code_label", "resolve_rows",
           "text_in"]

ROW_KINDS = ("categories", "likert", "nps", "mean", "multi")
NETS = ("top2", "top1", "none")
_NET_LABELS = {
    "nb": {"top": "Topp {k} (netto)", "bottom": "Bunn {k} (netto)"},
    "en": {"top": "Top {k} (net)", "bottom": "Bottom {k} (net)"},
}


@dataclass(frozen=True)
class DisplayRow:
    """One line of the table: its kind, its label and its coefficients on the columns."""

    kind: str
    category: str
    coefficients: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class RowQuestion:
    """A row question: its analysis columns (name -> values) and its display rows."""

    variable: str
    label: str
    kind: str
    columns: dict[str, np.ndarray]
    rows: tuple[DisplayRow, ...]


def text_in(text: Mapping[str, str], language: str, fallback: str) -> str:
    """``text`` in ``language``, else its first language, else ``fallback``."""
    return text.get(language) or next(iter(text.values()), fallback)


def _indicators(values: pd.Series, codes: Sequence[object]) -> list[np.ndarray]:
    missing = values.isna().to_numpy()
    out = []
    for code in codes:
        hit = (values == code).to_numpy(dtype=float)
        out.append(np.where(missing, np.nan, hit))
    return out


def _check_codes(name: str, values: pd.Series, codes: Sequence[object]) -> None:
    bad = values.notna() & ~values.isin(list(codes))
    if bad.any():
        extra = sorted(map(str, pd.unique(values[bad])))[:10]
        first = values.index[int(np.flatnonzero(bad.to_numpy())[0])]
        raise ArgumentError(
            f"Row question {name!r} has values {extra} that are neither codes {list(codes)} "
            f"nor missing codes of its scale (first at row {first!r}). Recode them, or "
            "declare them as missing codes in the instrument.")


def _numeric(name: str, values: pd.Series) -> np.ndarray:
    try:
        num = pd.to_numeric(values, errors="raise").astype("Float64")
    except (ValueError, TypeError) as exc:
        raise ArgumentError(f"Row question {name!r} must be numeric for a mean or NPS row "
                            f"({exc}); give row_kinds={{{name!r}: 'categories'}} to show "
                            "its categories instead.") from exc
    return np.asarray(num.to_numpy(dtype=float, na_value=np.nan))


def _unit(m: int, i: int, scale: float = 100.0) -> tuple[float, ...]:
    out = [0.0] * m
    out[i] = scale
    return tuple(out)


def _net_rows(codes: Sequence[object], nets: str, language: str) -> list[DisplayRow]:
    k = {"top2": 2, "top1": 1}.get(nets, 0)
    m = len(codes)
    if k == 0 or m < 2 * k + 1:
        return []
    labels = _NET_LABELS.get(language, _NET_LABELS["en"])
    top = tuple(100.0 if i >= m - k else 0.0 for i in range(m))
    bottom = tuple(100.0 if i < k else 0.0 for i in range(m))
    return [DisplayRow("net", labels["top"].format(k=k), top),
            DisplayRow("net", labels["bottom"].format(k=k), bottom)]


def _categories(name: str, label: str, values: pd.Series, codes: Sequence[object],
                code_labels: Sequence[str], kind: str, nets: str,
                language: str) -> RowQuestion:
    _check_codes(name, values, codes)
    cols = {f"{name}|{c}": v for c, v in zip(codes, _indicators(values, codes), strict=True)}
    m = len(codes)
    rows = [DisplayRow("category", lab, _unit(m, i)) for i, lab in enumerate(code_labels)]
    if kind == "likert":
        rows += _net_rows(codes, nets, language)
    return RowQuestion(name, label, kind, cols, tuple(rows))


def _nps(name: str, label: str, values: pd.Series) -> RowQuestion:
    y = _numeric(name, values)
    bad = ~np.isnan(y) & ~np.isin(y, np.arange(11))
    if bad.any():
        raise ArgumentError(f"Row question {name!r} is an NPS row and needs answers 0-10; "
                            f"found {sorted(set(y[bad]))[:5]} (first at row "
                            f"{values.index[int(np.flatnonzero(bad)[0])]!r}). Declare other "
                            "codes as missing codes in the instrument.")
    # estimated by surveykit.nps (promoters and detractors together, one pass)
    return RowQuestion(name, label, "nps", {f"{name}|nps": y},
                       (DisplayRow("nps", "", (1.0,)),))


def _mean(name: str, label: str, values: pd.Series) -> RowQuestion:
    return RowQuestion(name, label, "mean", {f"{name}|mean": _numeric(name, values)},
                       (DisplayRow("mean", "", (1.0,)),))


def _multi(name: str, label: str, data: pd.DataFrame, columns: Sequence[str],
           option_labels: Sequence[str]) -> RowQuestion:
    cols: dict[str, np.ndarray] = {}
    for col in columns:
        y = _numeric(col, data[col])
        bad = ~np.isnan(y) & ~np.isin(y, (0.0, 1.0))
        if bad.any():
            raise ArgumentError(f"Multi-select option column {col!r} of {name!r} must hold "
                                f"0 (not chosen), 1 (chosen) or missing; found "
                                f"{sorted(set(y[bad]))[:5]}.")
        cols[f"{name}|{col}"] = y
    # the base is who saw the item: a row counts where any option column has a value
    seen = np.column_stack(list(cols.values()))
    shown = ~np.isnan(seen).all(axis=1)
    cols = {k: np.where(shown, np.nan_to_num(v), np.nan) for k, v in cols.items()}
    m = len(columns)
    rows = tuple(DisplayRow("option", lab, _unit(m, i)) for i, lab in enumerate(option_labels))
    return RowQuestion(name, label, "multi", cols, rows)


def _instrument_kind(var: Variable) -> str:
    ch = var.choices
    if var.type == "multi":
        return "multi"
    if ch is None:
        if var.type in ("integer", "decimal"):
            return "mean"
        raise ArgumentError(f"Row question {var.key!r} is a {var.type} item; a banner shows "
                            "single-choice, multi-select, grid, integer and decimal items.")
    if tuple(ch.codes) == tuple(range(11)):
        return "nps"
    if ch.scale_range is not None and var.measure in ("ordinal", "interval"):
        return "likert"
    return "categories"


def _from_instrument(data: pd.DataFrame, inst: Instrument, key: str, kind: str | None,
                     nets: str, language: str) -> RowQuestion:
    variables = inst.variables_of(key)
    var = variables[0]
    label = text_in(var.text, language, key)
    kind = kind or _instrument_kind(var)
    ch = var.choices
    missing = list(ch.missing_codes) if ch is not None else []
    if kind == "multi":
        subst = [v for v in variables if v.option is not None and v.option.code not in missing]
        _present(data, [v.var for v in subst], key)
        return _multi(key, label, data, [v.var for v in subst],
                      [text_in(v.option.label, language, str(v.option.code))
                       for v in subst if v.option is not None])
    _present(data, [var.var], key)
    values = data[var.var]
    values = values.where(~values.isin(missing)) if missing else values
    if kind == "nps":
        return _nps(key, label, values)
    if kind == "mean" or ch is None:
        return _mean(key, label, values)
    labels = [text_in(o.label, language, str(o.code)) for o in ch.options]
    return _categories(key, label, values, ch.codes, labels, kind, nets, language)


def _present(data: pd.DataFrame, columns: Sequence[str], key: str) -> None:
    absent = [c for c in columns if c not in data.columns]
    if absent:
        raise ColumnError(f"Row question {key!r} needs the column(s) {absent!r}, which the "
                          "design's data does not have. Check the instrument version against "
                          "the data.")


def _levels(values: pd.Series) -> list[object]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return list(values.cat.categories)
    found = pd.unique(values.dropna())
    try:
        return sorted(found)
    except TypeError:
        return sorted(found, key=str)


def _from_column(data: pd.DataFrame, name: str, kind: str | None, nets: str,
                 language: str) -> RowQuestion:
    _present(data, [name], name)
    values = data[name]
    numeric = (pd.api.types.is_numeric_dtype(values)
               and not pd.api.types.is_bool_dtype(values))
    kind = kind or ("mean" if numeric else "categories")
    if kind == "nps":
        return _nps(name, name, values)
    if kind == "mean":
        return _mean(name, name, values)
    if kind == "multi":
        raise ArgumentError(f"Row question {name!r}: give a multi-select set as a tuple of its "
                            "0/1 columns, e.g. rows=[('q5__a', 'q5__b')].")
    codes = _levels(values)
    return _categories(name, name, values, codes, [code_label(c) for c in codes], kind, nets,
                       language)


def code_label(code: object) -> str:
    """Label of a code without an instrument: whole floats print as integers.

    Examples
    --------
    >>> code_label(3.0), code_label(2.5), code_label("ja")
    ('3', '2.5', 'ja')

    """
    if isinstance(code, float | np.floating) and float(code).is_integer():
        return str(int(code))
    return str(code)


def _set_name(columns: Sequence[str]) -> str:
    stems = {c.split("__")[0] for c in columns}
    return stems.pop() if len(stems) == 1 else "+".join(columns)


def resolve_rows(data: pd.DataFrame, rows: Sequence[str | Sequence[str]],
                 instrument: Instrument | None, row_kinds: Mapping[str, str] | None,
                 nets: str, language: str) -> list[RowQuestion]:
    """Resolve ``rows`` into row questions (see the module docstring for what each shows)."""
    check_option("nets", nets, NETS)
    kinds = dict(row_kinds or {})
    for name, kind in kinds.items():
        check_option(f"row_kinds[{name!r}]", kind, ROW_KINDS)
    out: list[RowQuestion] = []
    named = {e for e in rows if isinstance(e, str)}
    for entry in rows:
        if not isinstance(entry, str):
            cols = [str(c) for c in entry]
            _present(data, cols, str(tuple(cols)))
            name = _set_name(cols)
            out.append(_multi(name, name, data, cols,
                              [c.split("__", 1)[-1] for c in cols]))
            continue
        keys = _instrument_keys(instrument, entry)
        if keys is None:
            out.append(_from_column(data, entry, kinds.get(entry), nets, language))
            continue
        named.update(keys)
        for key in keys:
            assert instrument is not None
            out.append(_from_instrument(data, instrument, key,
                                        kinds.get(key, kinds.get(entry)), nets, language))
    unknown = [k for k in kinds if k not in named]
    if unknown:
        raise ArgumentError(f"'row_kinds' names {unknown!r}, which are not row questions "
                            f"({sorted(named)!r}).")
    return out


def _instrument_keys(inst: Instrument | None, name: str) -> list[str] | None:
    """Item keys of ``name`` (an item key, a grid id, or a data column), None if not one."""
    if inst is None:
        return None
    keys = inst.item_keys
    if name in keys:
        return [name]
    grid = [k for k in keys if k.startswith(f"{name}.")]
    if grid:
        return grid
    by_var = {v.var: v.key for v in inst.variables}
    return [by_var[name]] if name in by_var else None
