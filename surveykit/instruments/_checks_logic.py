"""Consistency rules for the expressions of one instrument (``relevant`` and ``constraint``).

Every expression must parse (the XLSForm subset of :mod:`~surveykit.instruments._expressions`),
skip logic may refer only to earlier answers, ``.`` (the item's own answer) only in
constraints, and ``selected()`` only to options the multi-select has. The other rules of an
instrument file live in :mod:`~surveykit.instruments._checks`, which runs these with them.
"""

from __future__ import annotations

from surveykit.errors import ExpressionError
from surveykit.instruments._expressions import Call, Literal, Ref, _walk, parse_expression
from surveykit.instruments._instrument import Instrument
from surveykit.instruments._problems import Problem
from surveykit.instruments._schema import Item

__all__ = ["check_logic"]

_p = Problem.at


def _expr_problems(
    inst: Instrument, path: str, source: str, known: list[str], *, earlier: bool, item: Item
) -> list[Problem]:
    try:
        expr = parse_expression(source)
    except ExpressionError as exc:
        return [_p(path, str(exc), "correct the syntax (XLSForm subset: ${var}, = != < <= > "
                   ">=, and/or/not(), selected(), count-selected()).")]
    out = []
    every = inst.data_columns + list(inst.multi_options)
    for name, hint in expr.unknown_references(known):
        if name in every:
            out.append(_p(path, f"${{{name}}} refers to an item that comes later (or to the "
                          "item itself); skip logic may only use earlier answers.",
                          "move the referenced item before this one, or change the logic."))
        else:
            out.append(_p(path, f"${{{name}}} is not a variable of this instrument.",
                          (hint.capitalize() if hint else "use an existing var.")))
    if expr.uses_current and earlier:
        out.append(_p(path, "'.' (the item's own answer) is only allowed in constraints.",
                      "refer to other items as ${var}."))
    for node in _walk(expr.tree):
        if isinstance(node, Call) and node.name == "selected" and isinstance(node.args[1],
                                                                              Literal):
            var = node.args[0].name if isinstance(node.args[0], Ref) else item.var
            codes = [str(c) for c in inst.multi_options.get(var or "", ())]
            if codes and str(node.args[1].value) not in codes:
                out.append(_p(path, f"{node.args[1].value!r} is not an option of ${{{var}}} "
                              f"{codes}.", "use one of the option codes."))
    return out


def check_logic(inst: Instrument) -> list[Problem]:
    """Skip logic and constraints that parse, refer to earlier answers and to real options."""
    out: list[Problem] = []
    before: list[str] = []
    for i, item in enumerate(inst.items):
        if item.relevant is not None:
            out += _expr_problems(inst, f"items[{i}].relevant", item.relevant, before,
                                  earlier=True, item=item)
        if isinstance(item.constraint, str):
            known = inst.data_columns + list(inst.multi_options)
            out += _expr_problems(inst, f"items[{i}].constraint", item.constraint, known,
                                  earlier=False, item=item)
        before += [v.var for v in inst._flatten(item)]
        if item.type == "multi" and item.var:
            before.append(item.var)
    return out
