"""Hostile YAML and expressions: every loader refuses with its own error and the key path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import surveykit as sk
from surveykit._yaml import YamlError, load_yaml
from surveykit.ingestion import load_deployment
from surveykit.instruments import parse_expression
from surveykit.study._model import load_study_file

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

HOSTILE = {
    "laughs": (LAUGHS, "max_yaml_nodes"),
    "deep": ("items:\n  - x: " + "[" * 5000, "max_yaml_depth"),
    "digits": ("version: " + "9" * 100_000 + "\n", "digits"),
    "date": ("id: x\nwhen:\n  start: 2026-02-30\n", "2026-02-30"),
    "unhashable": ("? [1, 2]\n: x\n", "cannot be a key"),
    "bytes": (b"id: \xff\xfe\n", "UTF-8"),
}


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    f = tmp_path / name
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content, encoding="utf-8")
    return f


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_shared_loader_refuses_with_line_and_reason(case: str) -> None:
    content, words = HOSTILE[case]
    with pytest.raises(YamlError, match=words) as info:
        load_yaml(content)
    assert info.value.line is not None


def test_key_path_names_where_the_limit_was_hit() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(HOSTILE["deep"][0])
    # PyYAML < 6.0.4 emits the brackets, so the limit is hit inside them; 6.0.4's scanner
    # refuses the nesting itself before the first bracket is an event
    assert info.value.path.startswith("items[0].x")
    with pytest.raises(YamlError) as info:
        load_yaml(HOSTILE["digits"][0])
    assert info.value.path == "version"


def test_aliases_within_the_limit_still_load() -> None:
    assert load_yaml("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}
    with sk.input_limits(max_yaml_nodes=10), pytest.raises(YamlError, match="max_yaml_nodes"):
        load_yaml("a: &x [1, 2, 3, 4]\nb: *x\nc: *x\n")


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_instrument_loader_gives_instrument_error(tmp_path: Path, case: str) -> None:
    f = _write(tmp_path, "1.0.0.yaml", HOSTILE[case][0])
    with pytest.raises(sk.InstrumentError, match=HOSTILE[case][1]):
        sk.load_instrument(f)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_deployment_loader_gives_ingestion_error(tmp_path: Path, case: str) -> None:
    f = _write(tmp_path, "w1-generic.yaml", HOSTILE[case][0])
    with pytest.raises(sk.IngestionError, match=HOSTILE[case][1]) as info:
        load_deployment(f)
    assert str(f) in str(info.value)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_study_loader_gives_study_error(tmp_path: Path, case: str) -> None:
    f = _write(tmp_path, "study.yaml", HOSTILE[case][0])
    with pytest.raises(sk.StudyError, match=HOSTILE[case][1]) as info:
        load_study_file(f)
    assert info.value.problems and info.value.problems[0]["file"] == str(f)


@pytest.mark.parametrize("source", [
    "(" * 150 + "1" + ")" * 150,
    "-" * 500 + "1",
    " + ".join(["${a}"] * 300),
    "not(" * 60 + "1" + ")" * 60,
    "1 + " * 2000 + "1",
])
def test_deep_expressions_are_expression_errors(source: str) -> None:
    with pytest.raises(sk.ExpressionError, match="max_expression") as info:
        parse_expression(source)
    assert len(str(info.value)) < 400


def test_moderately_nested_expressions_still_parse_and_evaluate() -> None:
    text = "(" * 20 + "${a} + 1" + ")" * 20 + " + " + " + ".join(["1"] * 60)
    data = pd.DataFrame({"a": [1.0, 2.0]})
    assert parse_expression(text + " = 62").evaluate(data).tolist() == [True, False]
