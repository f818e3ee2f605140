"""Property tests: fingerprints ignore YAML formatting and key order; the vectorised
expression evaluator agrees with a row-by-row reference implementation of XPath rules."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveykit as sk

FIXTURE = Path(__file__).parents[1] / "instruments" / "fixtures" / "good" / "demo" / "2.0.0.yaml"
BASE = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
BASE_FINGERPRINT = sk.load_instrument(FIXTURE).fingerprint


def _shuffle(value: object, rnd: random.Random) -> object:
    if isinstance(value, dict):
        keys = list(value)
        rnd.shuffle(keys)
        return {k: _shuffle(value[k], rnd) for k in keys}
    if isinstance(value, list):
        return [_shuffle(v, rnd) for v in value]
    return value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), flow=st.sampled_from([None, True, False]),
       width=st.integers(40, 200), indent=st.integers(2, 6))
def test_fingerprint_ignores_formatting_and_key_order(tmp_path_factory, seed, flow, width,
                                                      indent) -> None:
    data = _shuffle(BASE, random.Random(seed))
    text = "# reformatted copy\n" + yaml.safe_dump(
        data, sort_keys=False, default_flow_style=flow, width=width, indent=indent,
        allow_unicode=bool(seed % 2))
    path = tmp_path_factory.mktemp("fp") / "2.0.0.yaml"
    path.write_text(text, encoding="utf-8")
    inst = sk.load_instrument(path)
    assert inst.fingerprint == BASE_FINGERPRINT


@settings(max_examples=25, deadline=None)
@given(item=st.integers(0, 5), lang=st.sampled_from(["nb", "en"]), extra=st.text(min_size=1))
def test_fingerprint_changes_with_any_text(item, lang, extra) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["items"][item]["text"][lang] += extra
    inst = sk.Instrument.from_dict(data)
    assert inst.fingerprint != BASE_FINGERPRINT
    changed = {k for k, v in inst.item_fingerprints.items()
               if v != sk.load_instrument(FIXTURE).item_fingerprints[k]}
    assert changed == {data["items"][item]["id"]}


# ------------------------------------------------------------ expression evaluator

COLUMNS = ("a", "b", "c")
values = st.one_of(st.none(), st.integers(-3, 3).map(float))


def _leaf() -> st.SearchStrategy[tuple]:
    ref = st.sampled_from(COLUMNS).map(lambda c: ("ref", c))
    num = st.integers(-3, 3).map(lambda n: ("num", float(n)))
    op = st.sampled_from(["=", "!=", "<", "<=", ">", ">="])
    arith = st.tuples(st.just("arith"), st.sampled_from(["+", "-", "*"]), ref, num)
    operand = st.one_of(ref, num, arith)
    return st.tuples(st.just("cmp"), op, operand, operand)


expressions = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        st.tuples(st.just("not"), inner),
        st.tuples(st.sampled_from(["and", "or"]), inner, inner),
    ),
    max_leaves=6,
)


def _render(node: tuple) -> str:
    kind = node[0]
    if kind == "ref":
        return "${" + node[1] + "}"
    if kind == "num":
        return str(int(node[1]))
    if kind == "arith":
        return f"({_render(node[2])} {node[1]} {_render(node[3])})"
    if kind == "cmp":
        return f"{_render(node[2])} {node[1]} {_render(node[3])}"
    if kind == "not":
        return f"not({_render(node[1])})"
    return f"({_render(node[1])} {kind} {_render(node[2])})"


def _value(node: tuple, row: dict) -> float:
    if node[0] == "ref":
        v = row[node[1]]
        return math.nan if v is None else v
    if node[0] == "num":
        return node[1]
    left, right = _value(node[2], row), _value(node[3], row)
    return {"+": left + right, "-": left - right, "*": left * right}[node[1]]


def _text(value: float | None) -> str:
    return "" if value is None else str(int(value))


def _reference(node: tuple, row: dict) -> bool:
    """XPath 1.0 on one row.

    Two answers compared with = or != compare their string values (an unanswered item is
    ''); anything compared with a number compares numbers, where a missing answer is NaN,
    so only != is true.
    """
    kind = node[0]
    if kind == "cmp" and node[1] in ("=", "!=") and node[2][0] == node[3][0] == "ref":
        equal = _text(row[node[2][1]]) == _text(row[node[3][1]])
        return equal if node[1] == "=" else not equal
    if kind == "cmp":
        x, y = _value(node[2], row), _value(node[3], row)
        return {"=": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y,
                ">=": x >= y}[node[1]]
    if kind == "not":
        return not _reference(node[1], row)
    if kind == "and":
        return _reference(node[1], row) and _reference(node[2], row)
    return _reference(node[1], row) or _reference(node[2], row)


@settings(max_examples=150, deadline=None)
@given(expr=expressions, rows=st.lists(st.fixed_dictionaries({c: values for c in COLUMNS}),
                                       min_size=1, max_size=30))
def test_evaluator_matches_rowwise_reference(expr, rows) -> None:
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=float)
    got = sk.evaluate_expression(_render(expr), frame).tolist()
    assert got == [_reference(expr, row) for row in rows]
