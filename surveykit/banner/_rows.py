"""What each row question shows: its analysis columns and the display rows built from them.

Every display row is a linear combination of the estimates of the row question's analysis
columns in one banner column: a category's percent is ``100 x`` the mean of its 0/1
indicator, a net the sum of its categories' percents, a mean row the mean itself, an NPS
row the score of :func:`surveykit.nps`. So one estimator call per (row question, banner
variable) gives every display row and, through ``surveykit.contrast``, every test.

A Likert item's mean row is the mean of its answer codes (the scale's values, lowest to
highest option, "don't know" left out), from an analysis column of the codes themselves;
its label names the scale (``"Mean (1-5)"``). A :class:`Recipe` says how a question's
analysis columns are made from data, so that the same question can be estimated on another
wave's data (harmonised into the same coding).

============  ==================================================  =====================
kind          when                                                display rows
============  ==================================================  =====================
categories    single-choice item, text or categorical column      one per code
likert        ordinal or interval choice list with numeric codes  codes, nets, the mean
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
from surveykit.instruments._scale import item_scale, keys_of

__all__ = ["NETS", "ROW_KINDS", "DisplayRow", "Recipe", "RowQuestion", "analysis_columns",
           "code_label", "resolve_rows", "text_in"]

ROW_KINDS = ("categories", "likert", "nps", "mean", "multi")
NETS = ("top2", "top1", "none")
_NET_LABELS = {
    "nb": {"top": "Topp {k} (netto)", "bottom": "Bunn {k} (netto)"},
    "en": {"top": "Top {k} (net)", "bottom": "Bottom {k} (net)"},
}
_MEAN_LABEL = {"nb": "Gjennomsnitt ({low}\u2013{high})", "en": "Mean ({low}\u2013{high})"}


@dataclass(frozen=True)
class DisplayRow:
    """One line of the table: its kind, its label and its coefficients on the columns."""

    kind: str
    category: str
    coefficients: tuple[float, ...]


@dataclass(frozen=True)
class Recipe:
    """How a row question's analysis columns are made from a data frame.

    ``kind`` as the question's; ``sources`` the data columns read; ``codes`` the categories
    (in order) of a categories or Likert question; ``missing`` codes set to NA first;
    ``key`` the instrument item key (None for a plain column or set).
    """

    kind: str
    name: str
    sources: tuple[str, ...]
    codes: tuple[object, ...] = ()
    missing: tuple[object, ...] = ()
    key: str | None = None


@dataclass(frozen=True, eq=False)
class RowQuestion:
    """A row question: its analysis columns (name -> values), display rows and recipe."""

    variable: str
    label: str
    kind: str
    columns: dict[str, np.ndarray]
    rows: tuple[DisplayRow, ...]
    recipe: Recipe


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


def _numeric_codes(codes: Sequence[object]) -> bool:
    return bool(codes) and all(isinstance(c, int | float | np.integer | np.floating)
                               and not isinstance(c, bool | np.bool_) for c in codes)


def _likert_rows(codes: Sequence[object], nets: str, language: str) -> list[DisplayRow]:
    """Return the nets (on the first ``m`` columns) and the mean (on the codes, last)."""
    m = len(codes)
    k = {"top2": 2, "top1": 1}.get(nets, 0)
    out = []
    if k and m >= 2 * k + 1:
        labels = _NET_LABELS.get(language, _NET_LABELS["en"])
        top = (*(100.0 if i >= m - k else 0.0 for i in range(m)), 0.0)
        bottom = (*(100.0 if i < k else 0.0 for i in range(m)), 0.0)
        out += [DisplayRow("net", labels["top"].format(k=k), top),
                DisplayRow("net", labels["bottom"].format(k=k), bottom)]
    nums = [float(c) for c in codes]  # type: ignore[arg-type]
    mean = _MEAN_LABEL.get(language, _MEAN_LABEL["en"]).format(
        low=code_label(min(nums)), high=code_label(max(nums)))
    return [*out, DisplayRow("mean", mean, _unit(m + 1, m, 1.0))]


def _clean(recipe: Recipe, data: pd.DataFrame) -> pd.Series:
    values = data[recipe.sources[0]]
    return values.where(~values.isin(list(recipe.missing))) if recipe.missing else values


def analysis_columns(recipe: Recipe, data: pd.DataFrame, *, check: bool = True
                     ) -> dict[str, np.ndarray]:
    """Analysis columns (name -> values) of a row question on ``data``.

    ``check=False`` lets values outside a categorical question's codes through as 0 in
    every indicator (for a wave whose shares are not shown, e.g. a scale the crosswalk
    stretched), instead of refusing them.
    """
    name, kind = recipe.name, recipe.kind
    if kind == "multi":
        return _multi_columns(name, data, recipe.sources)
    values = _clean(recipe, data)
    if kind == "nps":
        y = _numeric(name, values)
        bad = ~np.isnan(y) & ~np.isin(y, np.arange(11))
        if bad.any():
            raise ArgumentError(
                f"Row question {name!r} is an NPS row and needs answers 0-10; found "
                f"{sorted(set(y[bad]))[:5]} (first at row "
                f"{values.index[int(np.flatnonzero(bad)[0])]!r}). Declare other codes as "
                "missing codes in the instrument.")
        return {f"{name}|nps": y}
    if kind == "mean":
        return {f"{name}|mean": _numeric(name, values)}
    if check:
        _check_codes(name, values, recipe.codes)
    cols = {f"{name}|{c}": v for c, v in zip(recipe.codes, _indicators(values, recipe.codes),
                                               strict=True)}
    if kind == "likert":
        cols[f"{name}|value"] = _numeric(name, values)
    return cols


def _question(recipe: Recipe, label: str, data: pd.DataFrame, code_labels: Sequence[str],
              nets: str, language: str) -> RowQuestion:
    """Return the row question of ``recipe`` on ``data``, with its display rows."""
    cols = analysis_columns(recipe, data)
    kind, m = recipe.kind, len(recipe.codes)
    if kind == "nps":
        rows: list[DisplayRow] = [DisplayRow("nps", "", (1.0,))]
    elif kind == "mean":
        rows = [DisplayRow("mean", "", (1.0,))]
    elif kind == "multi":
        rows = [DisplayRow("option", lab, _unit(len(cols), i))
                for i, lab in enumerate(code_labels)]
    else:
        width = m + (kind == "likert")
        rows = [DisplayRow("category", lab, _unit(width, i))
                for i, lab in enumerate(code_labels)]
        if kind == "likert":
            rows += _likert_rows(recipe.codes, nets, language)
    return RowQuestion(recipe.name, label, kind, cols, tuple(rows), recipe)


def _multi_columns(name: str, data: pd.DataFrame, columns: Sequence[str]
                   ) -> dict[str, np.ndarray]:
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
    return {k: np.where(shown, np.nan_to_num(v), np.nan) for k, v in cols.items()}


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
    var = inst.variables_of(key)[0]
    label = text_in(var.text, language, key)
    kind = kind or _instrument_kind(var)
    scale = item_scale(inst, key)
    _present(data, scale.columns, key)
    labels = [text_in(o.label, language, str(o.code)) for o in scale.options]
    if kind in ("categories", "likert") and not scale.options:
        kind = "mean"
    if kind == "likert" and not _numeric_codes(scale.codes or ()):
        kind = "categories"
    recipe = Recipe(kind, key, scale.columns, scale.codes or (), scale.missing, key)
    return _question(recipe, label, data, labels, nets, language)


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
    if kind == "multi":
        raise ArgumentError(f"Row question {name!r}: give a multi-select set as a tuple of its "
                            "0/1 columns, e.g. rows=[('q5__a', 'q5__b')].")
    codes: tuple[object, ...] = ()
    if kind in ("categories", "likert"):
        codes = tuple(_levels(values))
        if kind == "likert" and not _numeric_codes(codes):
            kind = "categories"
    return _question(Recipe(kind, name, (name,), codes), name, data,
                     [code_label(c) for c in codes], nets, language)


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
    """Resolve ``rows`` into row questions (see the module docstring for what each shows).

    A grid id stands for its rows, without its attention checks (the instrument marks
    them), as a study's banner shows them.
    """
    check_option("nets", nets, NETS)
    kinds = dict(row_kinds or {})
    for name, kind in kinds.items():
        check_option(f"row_kinds[{name!r}]", kind, ROW_KINDS)
    out: list[RowQuestion] = []
    named = {e for e in rows if isinstance(e, str)}
    for entry in rows:
        if not isinstance(entry, str):
            cols = tuple(str(c) for c in entry)
            _present(data, cols, str(cols))
            name = _set_name(cols)
            out.append(_question(Recipe("multi", name, cols), name, data,
                                 [c.split("__", 1)[-1] for c in cols], nets, language))
            continue
        keys = keys_of(instrument, entry) if instrument is not None else None
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
