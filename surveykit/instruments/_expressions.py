"""Parse and evaluate the XLSForm expression subset used by ``relevant`` and ``constraint``.

Grammar (XPath 1.0 precedence, lowest first)::

    expr     := or
    or       := and ("or" and)*
    and      := equality ("and" equality)*
    equality := relation (("=" | "!=") relation)*
    relation := additive (("<" | "<=" | ">" | ">=") additive)*
    additive := multiply (("+" | "-") multiply)*
    multiply := unary (("*" | "div" | "mod") unary)*
    unary    := "-" unary | primary
    primary  := NUMBER | STRING | "${" name "}" | "." | "(" expr ")" | FUNCTION "(" args ")"

Functions: ``not(x)``, ``selected(${multi}, 'code')``, ``count-selected(${multi})``,
``true()``, ``false()``. Evaluation is vectorised over a DataFrame (no ``eval``): every node
becomes a pandas Series aligned with the data. See :func:`evaluate_expression` for the
missing-value rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from surveykit._limits import get_input_limits, limit_hint
from surveykit.errors import ExpressionError

__all__ = [
    "Binary",
    "Call",
    "Current",
    "Expression",
    "Literal",
    "Node",
    "Ref",
    "Unary",
    "parse_expression",
]

FUNCTIONS: dict[str, int] = {
    "not": 1,
    "selected": 2,
    "count-selected": 1,
    "true": 0,
    "false": 0,
}
_KEYWORDS = {"and", "or", "div", "mod"}

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*)
  | (?P<dot>\.)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# ---------------------------------------------------------------------------- AST nodes


@dataclass(frozen=True)
class Literal:
    """A number or string literal."""

    value: float | str


@dataclass(frozen=True)
class Ref:
    """A reference ``${name}`` to a data variable."""

    name: str
    position: int


@dataclass(frozen=True)
class Current:
    """``.``: the value of the item the constraint belongs to."""

    position: int


@dataclass(frozen=True)
class Unary:
    """Unary minus."""

    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    """A binary operator: ``or and = != < <= > >= + - * div mod``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    """A function call such as ``selected(${needs}, 'other')``."""

    name: str
    args: tuple[Node, ...]
    position: int


Node = Literal | Ref | Current | Unary | Binary | Call


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _error(source: str, position: int, message: str) -> ExpressionError:
    shown = source if len(source) <= 120 else source[:100] + "..."
    err = ExpressionError(f"expression {shown!r}, character {position + 1}: {message}")
    err.expression = source  # type: ignore[attr-defined]
    err.position = position  # type: ignore[attr-defined]
    return err


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise _error(source, pos, f"unexpected character {source[pos]!r}.")
        kind = match.lastgroup or ""
        if kind == "refname":  # pragma: no cover - inner group never ends a match
            kind = "ref"
        if kind == "ref":
            name = match.group("refname")
            if not _VAR.match(name):
                raise _error(source, pos, f"'${{{name}}}' is not a valid variable reference.")
            tokens.append(_Token("ref", name, pos))
        elif kind != "ws":
            text = match.group(kind)
            if kind == "name" and text in _KEYWORDS:
                kind = "op"
            tokens.append(_Token(kind, text, pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


class _Parser:
    """Recursive-descent parser producing the AST."""

    _LEVELS: tuple[tuple[str, ...], ...] = (
        ("or",),
        ("and",),
        ("=", "!="),
        ("<", "<=", ">", ">="),
        ("+", "-"),
        ("*", "div", "mod"),
    )

    def __init__(self, source: str) -> None:
        lim = get_input_limits()
        if len(source) > lim.max_expression_chars:
            raise _error(source, 0, f"the expression has {len(source)} "
                         f"characters, more than max_expression_chars = "
                         f"{lim.max_expression_chars} ({limit_hint('max_expression_chars')}).")
        self.source = source
        self.tokens = _tokenize(source)
        self.i = 0
        self.depth = 0
        self.max_depth = lim.max_expression_depth

    def _nest(self, tok: _Token, weight: int = 1) -> None:
        """Count one more level of nesting; refuse beyond the limit before recursing.

        Parentheses and calls weigh 4 levels: each costs the parser several frames.
        """
        self.depth += weight
        if self.depth > self.max_depth:
            raise _error(self.source, tok.position, f"the expression is nested deeper than "
                         f"max_expression_depth = {self.max_depth} levels; simplify it or "
                         f"{limit_hint('max_expression_depth')}.")

    def _peek(self) -> _Token:
        return self.tokens[self.i]

    def _take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _expect(self, kind: str, what: str) -> _Token:
        tok = self._peek()
        if tok.kind != kind:
            raise _error(self.source, tok.position, f"expected {what}, found {_show(tok)}.")
        return self._take()

    def parse(self) -> Node:
        if self._peek().kind == "end":
            raise _error(self.source, 0, "the expression is empty.")
        node = self._binary(0)
        tok = self._peek()
        if tok.kind != "end":
            raise _error(
                self.source, tok.position, f"expected an operator or the end, found {_show(tok)}."
            )
        return node

    def _binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self._unary()
        node = self._binary(level + 1)
        chain = 0
        while self._peek().kind == "op" and self._peek().text in self._LEVELS[level]:
            op = self._take()
            chain += 1
            self._nest(op)
            node = Binary(op.text, node, self._binary(level + 1))
        self.depth -= chain
        return node

    def _unary(self) -> Node:
        tok = self._peek()
        if tok.kind == "op" and tok.text == "-":
            self._take()
            self._nest(tok)
            node: Node = Unary("-", self._unary())
            self.depth -= 1
            return node
        return self._primary()

    def _primary(self) -> Node:
        tok = self._take()
        if tok.kind == "number":
            return Literal(float(tok.text))
        if tok.kind == "string":
            return Literal(tok.text[1:-1])
        if tok.kind == "ref":
            return Ref(tok.text, tok.position)
        if tok.kind == "dot":
            return Current(tok.position)
        if tok.kind in ("lparen", "name"):
            self._nest(tok, 4)
            node = self._binary(0) if tok.kind == "lparen" else self._call(tok)
            if tok.kind == "lparen":
                self._expect("rparen", "')'")
            self.depth -= 4
            return node
        raise _error(self.source, tok.position, f"expected a value, found {_show(tok)}.")

    def _call(self, tok: _Token) -> Node:
        if tok.text not in FUNCTIONS:
            close = difflib.get_close_matches(tok.text, list(FUNCTIONS), n=1)
            hint = f" Did you mean {close[0]}()?" if close else ""
            raise _error(
                self.source,
                tok.position,
                f"unknown function or word {tok.text!r}; supported functions are "
                f"{', '.join(f + '()' for f in FUNCTIONS)}, operators and/or/div/mod, and "
                f"references are written ${{var}}.{hint}",
            )
        self._expect("lparen", f"'(' after {tok.text}")
        args: list[Node] = []
        if self._peek().kind != "rparen":
            args.append(self._binary(0))
            while self._peek().kind == "comma":
                self._take()
                args.append(self._binary(0))
        self._expect("rparen", "')' or ','")
        if len(args) != FUNCTIONS[tok.text]:
            raise _error(
                self.source,
                tok.position,
                f"{tok.text}() takes {FUNCTIONS[tok.text]} argument(s), got {len(args)}.",
            )
        if tok.text in ("selected", "count-selected") and not isinstance(args[0], Ref | Current):
            raise _error(
                self.source, tok.position, f"the first argument of {tok.text}() must be ${{var}}."
            )
        return Call(tok.text, tuple(args), tok.position)


def _show(tok: _Token) -> str:
    return "the end of the expression" if tok.kind == "end" else repr(tok.text)


def _walk(node: Node) -> list[Node]:
    out: list[Node] = [node]
    if isinstance(node, Unary):
        out += _walk(node.operand)
    elif isinstance(node, Binary):
        out += _walk(node.left) + _walk(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            out += _walk(arg)
    return out


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its source text and syntax tree.

    Build it with :func:`parse_expression`; evaluate it with
    :func:`surveykit.evaluate_expression` or :meth:`evaluate`.
    """

    source: str
    tree: Node

    @property
    def references(self) -> tuple[str, ...]:
        """Variables named as ``${var}``, in order of first appearance."""
        names = [n.name for n in _walk(self.tree) if isinstance(n, Ref)]
        return tuple(dict.fromkeys(names))

    @property
    def uses_current(self) -> bool:
        """Whether the expression uses ``.`` (the answer itself, as in constraints)."""
        return any(isinstance(n, Current) for n in _walk(self.tree))

    @property
    def selected_references(self) -> tuple[str, ...]:
        """Variables used as the first argument of ``selected()``/``count-selected()``."""
        names = [
            n.args[0].name
            for n in _walk(self.tree)
            if isinstance(n, Call) and n.args and isinstance(n.args[0], Ref)
        ]
        return tuple(dict.fromkeys(names))

    def unknown_references(self, known: Sequence[str]) -> list[tuple[str, str]]:
        """Return ``(name, hint)`` for each reference not in ``known``."""
        out = []
        for name in self.references:
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=1)
                out.append((name, f"did you mean ${{{close[0]}}}?" if close else ""))
        return out

    def evaluate(
        self,
        data: object,
        *,
        current: str | None = None,
        multi: Mapping[str, Sequence[object]] | None = None,
    ) -> object:
        """Evaluate over ``data``; see :func:`surveykit.evaluate_expression`."""
        from surveykit.instruments._evaluate import evaluate_tree

        return evaluate_tree(self, data, current=current, multi=multi)


def parse_expression(source: str) -> Expression:
    """Parse an XLSForm ``relevant``/``constraint`` expression.

    Parameters
    ----------
    source : str
        The expression, e.g. ``"selected(${needs}, 'other') and ${age} >= 20"``.

    Returns
    -------
    Expression
        With ``references`` (the ``${var}`` names) and ``tree`` (the syntax tree).

    Raises
    ------
    ExpressionError
        If the text does not parse; the message names the character position.

    Examples
    --------
    >>> expr = parse_expression("selected(${needs}, 'other') and ${age} >= 20")
    >>> expr.references
    ('needs', 'age')
    >>> parse_expression("${age} >= or 1")
    Traceback (most recent call last):
    ...
    surveykit.ExpressionError: expression '${age} >= or 1', character 11: expected a value, ...

    """
    if not isinstance(source, str):
        raise TypeError(f"'source' must be a str (got {type(source).__name__} {source!r}).")
    return Expression(source, _Parser(source).parse())
