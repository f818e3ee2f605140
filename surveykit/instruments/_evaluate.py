"""Vectorised evaluation of parsed expressions over a pandas DataFrame.

Every node of the syntax tree becomes a :class:`_Value`: a Series aligned with the data plus
its XPath type (``node`` for a data column, ``number``, ``string`` or ``boolean``). The
comparison and conversion rules are those of XPath 1.0, which ODK/JavaRosa implement, with an
unanswered item being a node whose string value is ``''`` (see :func:`evaluate_expression`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import ExpressionError
from surveykit.instruments._expressions import (
    Binary,
    Call,
    Current,
    Expression,
    Literal,
    Node,
    Ref,
    Unary,
    parse_expression,
)

__all__ = ["evaluate_expression", "evaluate_tree"]


@dataclass(frozen=True)
class _Value:
    kind: str  # node | number | string | boolean
    series: pd.Series


@dataclass(frozen=True)
class _Context:
    expr: Expression
    data: pd.DataFrame
    current: str | None
    multi: Mapping[str, Sequence[object]]


# ------------------------------------------------------------------------- conversions


def _decategorize(series: pd.Series) -> pd.Series:
    """Replace a categorical by its category values, keeping missing entries missing.

    ``astype(categories.dtype)`` fails for integer categories with a missing value (NaN cannot
    become an integer), so the values are looked up by code instead.
    """
    cats = series.cat.categories
    codes = series.cat.codes.to_numpy()
    missing = codes < 0
    if pd.api.types.is_numeric_dtype(cats.dtype):
        lookup = np.append(np.asarray(cats, dtype=float), np.nan)
        return pd.Series(lookup[np.where(missing, len(cats), codes)], index=series.index)
    return series.astype(object).where(~missing, None)


def _numeric_array(series: pd.Series) -> np.ndarray:
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = _decategorize(series)
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return np.asarray(series.astype("Float64").to_numpy(dtype=float, na_value=np.nan))
    text = series.astype("string").str.strip()
    return np.asarray(pd.to_numeric(text, errors="coerce"), dtype=float)


def _format_numbers(values: np.ndarray) -> np.ndarray:
    finite = np.isfinite(values)
    integral = finite & (values == np.round(values)) & (np.abs(values) < 2**53)
    ints = np.char.mod("%d", np.where(integral, values, 0).astype(np.int64))
    floats = np.char.mod("%.15g", np.where(finite, values, 0.0))
    return np.where(integral, ints, np.where(finite, floats, "NaN")).astype(object)


def _to_number(v: _Value) -> np.ndarray:
    return _numeric_array(v.series)


def _to_string(v: _Value) -> np.ndarray:
    s = v.series
    if v.kind == "boolean":
        return np.where(s.to_numpy(dtype=bool), "true", "false").astype(object)
    if v.kind == "number":
        return _format_numbers(s.to_numpy(dtype=float))
    missing = s.isna().to_numpy()
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = _decategorize(s)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        out = _format_numbers(_numeric_array(s))
    else:
        out = s.astype("string").fillna("").to_numpy(dtype=object)
    return np.where(missing, "", out).astype(object)


def _to_bool(v: _Value) -> np.ndarray:
    s = v.series
    if v.kind == "boolean":
        return s.to_numpy(dtype=bool)
    if v.kind == "number":
        num = s.to_numpy(dtype=float)
        return np.asarray((num != 0) & ~np.isnan(num))
    if v.kind == "string":
        return np.asarray(s.to_numpy(dtype=object) != "")
    is_num = pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)
    if is_num and not isinstance(s.dtype, pd.CategoricalDtype):
        num = _numeric_array(s)
        return np.asarray((num != 0) & ~np.isnan(num))
    return np.asarray(_to_string(v) != "")


# ---------------------------------------------------------------------- node evaluation


def _wrap(ctx: _Context, kind: str, values: Any) -> _Value:
    return _Value(kind, pd.Series(values, index=ctx.data.index))


def _unknown(ctx: _Context, name: str, position: int, what: str) -> ExpressionError:
    known = list(map(str, ctx.data.columns)) + list(ctx.multi)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean ${{{close[0]}}}?" if close else ""
    err = ExpressionError(
        f"expression {ctx.expr.source!r}, character {position + 1}: {what} ${{{name}}} "
        f"is not a column of the data (nor a multi-select with {name}__<code> columns).{hint}"
    )
    err.expression = ctx.expr.source  # type: ignore[attr-defined]
    err.position = position  # type: ignore[attr-defined]
    return err


def _option_columns(ctx: _Context, name: str) -> list[tuple[str, str]]:
    """``(code, column)`` pairs of a multi-select variable present in the data."""
    if name in ctx.multi:
        return [(str(c), f"{name}__{c}") for c in ctx.multi[name]]
    prefix = f"{name}__"
    return [(str(c)[len(prefix) :], str(c)) for c in ctx.data.columns if str(c).startswith(prefix)]


def _selected_mask(ctx: _Context, column: str) -> np.ndarray:
    return np.asarray(_numeric_array(ctx.data[column]) == 1)


def _multi_string(ctx: _Context, name: str, position: int) -> _Value:
    """Build the string value of a multi-select stored as ``var__code`` columns: ``'a b'``."""
    pairs = _option_columns(ctx, name)
    _require_columns(ctx, name, pairs, position)
    text = np.full(len(ctx.data), "", dtype=object)
    answered = np.zeros(len(ctx.data), dtype=bool)
    for code, column in pairs:
        text = text + np.where(_selected_mask(ctx, column), code + " ", "")
        answered |= ctx.data[column].notna().to_numpy()
    out = pd.Series(text, index=ctx.data.index, dtype=object).str.rstrip()
    return _Value("node", out.where(answered, None))


def _require_columns(
    ctx: _Context, name: str, pairs: list[tuple[str, str]], position: int
) -> None:
    absent = [col for _, col in pairs if col not in ctx.data.columns]
    if not pairs or len(absent) == len(pairs):
        raise _unknown(ctx, name, position, "the variable")
    if absent:
        raise ExpressionError(
            f"expression {ctx.expr.source!r}: multi-select ${{{name}}} is missing the option "
            f"columns {absent}; add them (0/1, NA where the item was not shown)."
        )


def _resolve_name(ctx: _Context, node: Ref | Current) -> str:
    if isinstance(node, Ref):
        return node.name
    if ctx.current is None:
        raise ExpressionError(
            f"expression {ctx.expr.source!r}, character {node.position + 1}: '.' means the "
            "item's own answer and is only allowed in a constraint; pass current=<var>."
        )
    return ctx.current


def _node_value(ctx: _Context, node: Ref | Current) -> _Value:
    name = _resolve_name(ctx, node)
    position = node.position
    if name in ctx.data.columns:
        return _Value("node", ctx.data[name])
    return _multi_string(ctx, name, position)


def _selected(ctx: _Context, node: Call) -> _Value:
    target = node.args[0]
    assert isinstance(target, Ref | Current)  # guaranteed by the parser
    name = _resolve_name(ctx, target)
    wanted = node.args[1]
    if isinstance(wanted, Literal):
        code = _literal_text(wanted.value)
        if name in ctx.multi and code not in {str(c) for c in ctx.multi[name]}:
            raise ExpressionError(
                f"expression {ctx.expr.source!r}, character {node.position + 1}: {code!r} is "
                f"not an option of ${{{name}}}; its options are {list(ctx.multi[name])}."
            )
        column = f"{name}__{code}"
        if column in ctx.data.columns:
            return _wrap(ctx, "boolean", _selected_mask(ctx, column))
    codes = _to_string(_eval(ctx, wanted))
    text = _to_string(_node_value(ctx, target))
    padded = " " + pd.Series(text, dtype=object).str.split().str.join(" ") + " "
    needles = np.char.add(np.char.add(" ", codes.astype(str)), " ")
    found = np.char.find(padded.to_numpy(dtype=str), needles) >= 0
    return _wrap(ctx, "boolean", found)


def _literal_text(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(_format_numbers(np.array([value], dtype=float))[0])


def _count_selected(ctx: _Context, node: Call) -> _Value:
    target = node.args[0]
    assert isinstance(target, Ref | Current)
    name = _resolve_name(ctx, target)
    pairs = _option_columns(ctx, name)
    if name in ctx.data.columns and (
        not pairs or not any(col in ctx.data.columns for _, col in pairs)
    ):
        text = pd.Series(_to_string(_node_value(ctx, target)), dtype=object)
        return _wrap(ctx, "number", text.str.count(r"\S+").to_numpy(dtype=float))
    _require_columns(ctx, name, pairs, target.position if isinstance(target, Ref) else 0)
    total = np.zeros(len(ctx.data), dtype=float)
    for _, column in pairs:
        total += _selected_mask(ctx, column)
    return _wrap(ctx, "number", total)


def _compare(op: str, a: _Value, b: _Value) -> np.ndarray:
    if op in ("<", "<=", ">", ">="):
        x, y = _to_number(a), _to_number(b)
        with np.errstate(invalid="ignore"):
            return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
    kinds = {a.kind, b.kind}
    if "boolean" in kinds:
        equal = _to_bool(a) == _to_bool(b)
    elif "number" in kinds:
        equal = _to_number(a) == _to_number(b)
    else:
        equal = _to_string(a) == _to_string(b)
    return np.asarray(equal if op == "=" else ~equal, dtype=bool)


def _arith(op: str, a: _Value, b: _Value) -> np.ndarray:
    x, y = _to_number(a), _to_number(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "div":
            return x / y
        return np.fmod(x, y)


def _eval(ctx: _Context, node: Node) -> _Value:
    if isinstance(node, Literal):
        if isinstance(node.value, float):  # a float array: compared without parsing text
            return _wrap(ctx, "number", np.full(len(ctx.data), node.value, dtype=float))
        return _wrap(ctx, "string", np.full(len(ctx.data), node.value, dtype=object))
    if isinstance(node, Ref | Current):
        return _node_value(ctx, node)
    if isinstance(node, Unary):
        return _wrap(ctx, "number", -_to_number(_eval(ctx, node.operand)))
    if isinstance(node, Binary):
        left, right = _eval(ctx, node.left), _eval(ctx, node.right)
        if node.op in ("and", "or"):
            x, y = _to_bool(left), _to_bool(right)
            return _wrap(ctx, "boolean", (x & y) if node.op == "and" else (x | y))
        if node.op in ("=", "!=", "<", "<=", ">", ">="):
            return _wrap(ctx, "boolean", _compare(node.op, left, right))
        return _wrap(ctx, "number", _arith(node.op, left, right))
    if node.name == "not":
        return _wrap(ctx, "boolean", ~_to_bool(_eval(ctx, node.args[0])))
    if node.name in ("true", "false"):
        return _wrap(ctx, "boolean", np.full(len(ctx.data), node.name == "true"))
    if node.name == "selected":
        return _selected(ctx, node)
    return _count_selected(ctx, node)


def evaluate_tree(
    expr: Expression,
    data: Any,
    *,
    current: str | None = None,
    multi: Mapping[str, Sequence[object]] | None = None,
) -> pd.Series:
    """Evaluate a parsed expression; see :func:`evaluate_expression`."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"'data' must be a pandas DataFrame (got {type(data).__name__}).")
    ctx = _Context(expr, data, current, dict(multi or {}))
    value = _eval(ctx, expr.tree)
    return pd.Series(_to_bool(value), index=data.index, dtype=bool)


def evaluate_expression(
    expression: str | Expression,
    data: pd.DataFrame,
    *,
    current: str | None = None,
    multi: Mapping[str, Sequence[object]] | None = None,
) -> pd.Series:
    """Evaluate an XLSForm ``relevant``/``constraint`` expression for every row of ``data``.

    Parameters
    ----------
    expression : str or Expression
        The expression (see :func:`parse_expression` for the supported subset).
    data : pandas.DataFrame
        One row per respondent; columns named by the instrument's ``var``. Multi-select items
        are ``var__code`` 0/1 columns (``selected(${needs}, 'other')`` reads ``needs__other``)
        or, failing that, one column of space-separated codes as XLSForm exports it.
    current : str, optional
        The variable that ``.`` stands for (the item a constraint belongs to).
    multi : mapping, optional
        ``{var: option codes}`` of multi-select items (``Instrument.multi_options``):
        ``count-selected()`` then sums exactly those columns and ``selected()`` rejects
        unknown codes. Without it, every ``var__*`` column counts.

    Returns
    -------
    pandas.Series of bool
        Aligned with ``data.index``.

    Raises
    ------
    ExpressionError
        On a syntax error (with the character position) or a reference to a variable that
        is not in the data (with a "did you mean").

    Notes
    -----
    Missing values follow XPath 1.0 as ODK evaluates it: an unanswered item is the empty
    string. So ``=``, ``<``, ``<=``, ``>``, ``>=`` against a number are false for a missing
    answer, ``!=`` is ``not(=)`` and hence true, ``${x} = ''`` is true and ``${x} != ''``
    is the idiom for "answered". ``selected()`` of a row where the item was not shown is
    false and ``count-selected()`` is 0. A node compared with a string compares string
    values (``1.0`` reads as ``'1'``); compared with a number, both become numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"age": [25, 41, None], "needs__other": [1, 0, None],
    ...                    "needs__jobs": [1, 1, None]})
    >>> evaluate_expression("${age} <= 40 and selected(${needs}, 'other')", df).tolist()
    [True, False, False]
    >>> evaluate_expression("count-selected(${needs}) > 1 or ${age} != 25", df).tolist()
    [True, True, True]

    """
    expr = expression if isinstance(expression, Expression) else parse_expression(expression)
    return evaluate_tree(expr, data, current=current, multi=multi)
