"""Arithmetic expressions of named estimates with exact gradients (R's ``deriv`` in ``nlcon``).

An expression such as ``"log(a) - log(b)"`` or ``"`2024` / `2023` - 1"`` is parsed with
Python's :mod:`ast` (``mode="eval"``; nothing is ever evaluated by Python) and walked node
by node in forward-mode automatic differentiation: every node yields its value and its
gradient with respect to the named estimates, exact to rounding, as R's symbolic
``deriv``. Allowed: numbers, names, ``+ - * / ^ **``, unary minus and the functions in
:data:`FUNCTIONS`. Names that are not identifiers (``E:api00``, ``2024``) are written in
backticks, as in R; dotted names (``api.stu``) need none.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from surveykit._lazy import lazy_module

special = lazy_module("scipy.special")
stats = lazy_module("scipy.stats")

__all__ = ["FUNCTIONS", "Dual", "ExpressionValue", "evaluate_gradient"]


@dataclass(frozen=True)
class Dual:
    """A value with its gradient."""

    value: float
    grad: np.ndarray


def _unary(f: Callable[[np.float64], object], df: Callable[[np.float64], object]
           ) -> Callable[[Dual], Dual]:
    def apply(x: Dual) -> Dual:
        v = np.float64(x.value)
        with np.errstate(all="ignore"):
            return Dual(float(f(v)), float(df(v)) * x.grad)  # type: ignore[arg-type]
    return apply


FUNCTIONS: dict[str, Callable[[Dual], Dual]] = {
    "exp": _unary(np.exp, np.exp),
    "log": _unary(np.log, lambda v: 1.0 / v),
    "log2": _unary(np.log2, lambda v: 1.0 / (v * np.log(2.0))),
    "log10": _unary(np.log10, lambda v: 1.0 / (v * np.log(10.0))),
    "log1p": _unary(np.log1p, lambda v: 1.0 / (1.0 + v)),
    "expm1": _unary(np.expm1, np.exp),
    "sqrt": _unary(np.sqrt, lambda v: 0.5 / np.sqrt(v)),
    "sin": _unary(np.sin, np.cos),
    "cos": _unary(np.cos, lambda v: -np.sin(v)),
    "tan": _unary(np.tan, lambda v: 1.0 / np.cos(v) ** 2),
    "asin": _unary(np.arcsin, lambda v: 1.0 / np.sqrt(1.0 - v * v)),
    "acos": _unary(np.arccos, lambda v: -1.0 / np.sqrt(1.0 - v * v)),
    "atan": _unary(np.arctan, lambda v: 1.0 / (1.0 + v * v)),
    "sinh": _unary(np.sinh, np.cosh),
    "cosh": _unary(np.cosh, np.sinh),
    "tanh": _unary(np.tanh, lambda v: 1.0 - np.tanh(v) ** 2),
    "pnorm": _unary(lambda v: stats.norm.cdf(v), lambda v: stats.norm.pdf(v)),  # scipy on use
    "dnorm": _unary(lambda v: stats.norm.pdf(v), lambda v: -v * stats.norm.pdf(v)),
    "lgamma": _unary(lambda v: special.gammaln(v), lambda v: special.digamma(v)),
}


def _add(a: Dual, b: Dual) -> Dual:
    return Dual(a.value + b.value, a.grad + b.grad)


def _sub(a: Dual, b: Dual) -> Dual:
    return Dual(a.value - b.value, a.grad - b.grad)


def _mul(a: Dual, b: Dual) -> Dual:
    return Dual(a.value * b.value, b.value * a.grad + a.value * b.grad)


def _div(a: Dual, b: Dual) -> Dual:
    x, y = np.float64(a.value), np.float64(b.value)
    with np.errstate(all="ignore"):
        return Dual(float(x / y), (a.grad * y - x * b.grad) / (y * y))


def _pow(a: Dual, b: Dual) -> Dual:
    x, k = np.float64(a.value), np.float64(b.value)
    with np.errstate(all="ignore"):
        value = np.power(x, k)
        if not b.grad.any():            # constant exponent: d(a^k) = k a^(k-1) da
            return Dual(float(value), float(k * np.power(x, k - 1)) * a.grad)
        return Dual(float(value), float(value) * (b.grad * float(np.log(x)) + k * a.grad / x))


_BINARY: dict[type, Callable[[Dual, Dual], Dual]] = {
    ast.Add: _add, ast.Sub: _sub, ast.Mult: _mul, ast.Div: _div, ast.Pow: _pow,
}
_QUOTED = re.compile(r"`([^`]*)`")


class ExpressionValue:
    """Parse one expression and evaluate it with its gradient at the named estimates."""

    def __init__(self, text: str, names: Sequence[str]) -> None:
        self.text = text
        self.names = list(names)
        self._quoted: dict[str, str] = {}

        def quote(m: re.Match[str]) -> str:
            key = f"_q{len(self._quoted)}_"
            self._quoted[key] = m.group(1)
            return key

        source = _QUOTED.sub(quote, text).replace("^", "**")
        try:
            self.tree = ast.parse(source.strip(), mode="eval").body
        except SyntaxError as exc:
            raise ValueError(f"Contrast expression {text!r} is not a valid arithmetic "
                             f"expression ({exc.msg}); write e.g. \"log(a) - log(b)\" or "
                             "\"`2024` / `2023` - 1\".") from exc

    def _name(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self._quoted.get(node.id, node.id)
        if isinstance(node, ast.Attribute):           # R's dotted names: api.stu
            base = self._name(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None

    def _unknown(self, name: str) -> ValueError:
        close = difflib.get_close_matches(name, self.names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return ValueError(f"Contrast expression {self.text!r} names {name!r}, which is not "
                          f"an estimate; the estimates are {self.names!r}.{hint} Write "
                          "names that are not identifiers in backticks (`E:api00`).")

    def _eval(self, node: ast.expr, values: np.ndarray) -> Dual:
        k = values.shape[0]
        name = self._name(node)
        if name is not None:
            if name not in self.names:
                raise self._unknown(name)
            i = self.names.index(name)
            if name not in self._used:
                self._used.append(name)
            grad = np.zeros(k)
            grad[i] = 1.0
            return Dual(float(values[i]), grad)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
                and not isinstance(node.value, bool):
            return Dual(float(node.value), np.zeros(k))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = self._eval(node.operand, values)
            return inner if isinstance(node.op, ast.UAdd) else Dual(-inner.value, -inner.grad)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](self._eval(node.left, values),
                                          self._eval(node.right, values))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in FUNCTIONS and len(node.args) == 1 and not node.keywords):
            return FUNCTIONS[node.func.id](self._eval(node.args[0], values))
        if isinstance(node, ast.Call):
            fname = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            what = ("takes exactly one argument" if fname in FUNCTIONS
                    else f"is not available (functions: {', '.join(sorted(FUNCTIONS))})")
            raise ValueError(f"Contrast expression {self.text!r}: {fname}() {what}.")
        raise ValueError(f"Contrast expression {self.text!r}: {ast.unparse(node)!r} is not "
                         "allowed (numbers, estimate names, + - * / ^ and functions only).")

    def evaluate(self, values: np.ndarray) -> tuple[Dual, list[str]]:
        """Value and gradient at ``values`` (one per name) and the names used, in order."""
        self._used: list[str] = []
        return self._eval(self.tree, np.asarray(values, dtype=float)), self._used


def evaluate_gradient(texts: Sequence[str], names: Sequence[str], values: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """Values ``(m,)``, Jacobian ``(m, k)`` and referenced names of ``m`` expressions.

    Examples
    --------
    >>> v, jac, used = evaluate_gradient(["a / b - 1", "log(a) - log(b)"], ["a", "b"],
    ...                                  np.array([6.0, 4.0]))
    >>> v.round(6).tolist(), jac.round(6).tolist(), used
    ([0.5, 0.405465], [[0.25, -0.375], [0.166667, -0.25]], [['a', 'b'], ['a', 'b']])

    """
    results = [ExpressionValue(t, names).evaluate(values) for t in texts]
    duals = [d for d, _ in results]
    used = [u for _, u in results]
    jac = np.vstack([d.grad for d in duals]) if duals else np.zeros((0, len(names)))
    return np.array([d.value for d in duals]), jac, used
