"""Shared helpers for the R reference tests of the estimators (tests/estimation/test_reference_*).

The ``tests/reference/ref_estimation_*.R`` scripts write one JSON file per topic; each case
holds the exact R call (``call``), the design it ran on (``design``, built by
``design_call``), the surveykit estimator and arguments (``estimator``, ``args``) and R's
values. ``ref_estimation_designs.json`` says how to rebuild every design in Python:
linearization designs from their column specification, replicate designs from R's own
replicate-weight multipliers (user-supplied weights, so random bootstrap weights agree).

Tolerances: ``REL`` where surveykit runs the same algorithm as R, ``REL_ITER``
where R iterates (glm fits, likelihood and logit intervals). ``ABS`` only absorbs values that
are zero in exact arithmetic (R prints ``0``, floating point gives ``1e-17``); a standard
error is compared on the scale of its estimate for the same reason.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._exact_csv import read_csv_exact

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REL = 1e-9
REL_ITER = 1e-6
ABS = 1e-12

# R survey's as.svrepdesign(type=) -> surveykit replicate method
R_REPLICATE_METHODS: dict[str, Any] = {
    "JK1": "jk1",
    "JKn": "jkn",
    "BRR": "brr",
    "Fay": "fay",
    "bootstrap": "bootstrap",
    "subbootstrap": "subbootstrap",
}


@cache
def _json(name: str) -> dict[str, Any]:
    with open(HERE / name, encoding="utf-8") as fh:
        return json.load(fh)


def load_cases(name: str) -> list[dict[str, Any]]:
    """Cases of ``tests/reference/ref_estimation_<name>.json``."""
    return list(_json(f"ref_estimation_{name}.json")["cases"])


def versions(name: str) -> str:
    """The R and survey versions that produced a JSON file."""
    doc = _json(f"ref_estimation_{name}.json")
    return f"{doc['R_version']}, survey {doc['survey_version']}"


def case_params(name: str, select: Any = None) -> list[Any]:
    """``pytest.param`` objects, one per case, with the R call in the id."""
    import pytest

    return [
        pytest.param(case, id=f"{case['id']}: {case['call']}")
        for case in load_cases(name)
        if select is None or select(case)
    ]


@cache
def _dataset(name: str) -> pd.DataFrame:
    df = read_csv_exact(DATA / f"{name}.csv")
    extra = _json("ref_estimation_designs.json")["extra_columns"].get(name, {})
    for column, values in extra.items():
        df[column] = np.asarray(values, dtype=np.int64)
    return df


def dataset(name: str) -> pd.DataFrame:
    """A fresh copy of an api data set, with the constructed columns the R scripts add."""
    return _dataset(name).copy()


def design_spec(design: str) -> dict[str, Any]:
    """The JSON description of one reference design."""
    return dict(_json("ref_estimation_designs.json")["designs"][design])


def build_design(design: str, *, lonely_psu: Any = "fail") -> Any:
    """The surveykit design matching R's design ``design`` (see ``design_spec``)."""
    import surveykit as sk

    spec = design_spec(design)
    data = dataset(spec["data"])
    if spec["kind"] == "linearization":
        kwargs = {key: value for key, value in spec["spec"].items()}
        return sk.SurveyDesign(data, lonely_psu=lonely_psu, **kwargs)
    pweights = np.asarray(spec["pweights"], dtype=float)
    multipliers = np.asarray(spec["multipliers"], dtype=float)
    data["_pw"] = pweights
    method = R_REPLICATE_METHODS[spec["type"]]
    extra: dict[str, Any] = {"fay_rho": float(spec["fay_rho"])} if method == "fay" else {}
    return sk.ReplicateDesign(
        data,
        weights="_pw",
        replicate_weights=multipliers * pweights[:, None],
        method=method,
        scale=float(spec["scale"]),
        rscales=np.asarray(spec["rscales"], dtype=float),
        mse=bool(spec["mse"]),
        **extra,
    )


def _key(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def keyed(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[str, ...], pd.Series]:
    """Rows of a result frame by their key columns (missing key columns count as empty)."""
    out: dict[tuple[str, ...], pd.Series] = {}
    for _, row in frame.iterrows():
        key = tuple(_key(row[k]) if k in frame.columns else "" for k in keys)
        out[key] = row
    return out


def r_value(value: Any) -> float:
    """A JSON number from R (``null`` is NA, ``"Inf"`` strings are infinities)."""
    if value is None or value == "NA":
        return math.nan
    if isinstance(value, str):
        return {"Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}[value]
    return float(value)


def close(actual: float, expected: Any, rel: float, floor: float = ABS) -> bool:
    """``actual`` equals R's ``expected`` to ``rel`` (or ``floor`` near zero; NaN == NA)."""
    exp = r_value(expected)
    if math.isnan(exp):
        return math.isnan(actual)
    if math.isinf(exp):
        return actual == exp
    return bool(abs(actual - exp) <= max(rel * abs(exp), floor))


def compare_rows(
    frame: pd.DataFrame,
    rows: list[dict[str, Any]],
    keys: list[str],
    columns: list[str],
    *,
    rel: float = REL,
    call: str = "",
) -> None:
    """Assert every R row appears in ``frame`` (matched on ``keys``) with equal ``columns``."""
    got = keyed(frame, keys)
    problems: list[str] = []
    for row in rows:
        key = tuple(_key(row.get(k)) for k in keys)
        if key not in got:
            problems.append(f"row {dict(zip(keys, key, strict=True))} missing; surveykit rows: "
                            f"{sorted(got)}")
            continue
        for col in columns:
            if col not in row:
                continue
            actual = float(got[key][col])
            # a standard error that is zero in exact arithmetic is rounding noise in both
            # R and surveykit: compare it on the scale of its estimate
            floor = rel * abs(r_value(row["estimate"])) if col == "se" else ABS
            if not close(actual, row[col], rel, floor):
                problems.append(f"{dict(zip(keys, key, strict=True))} {col}: R {row[col]!r}, "
                                f"surveykit {actual!r}")
    assert not problems, f"{call}\n" + "\n".join(problems)


def compare_values(
    actual: Any, expected: Any, *, rel: float = REL, what: str = "", call: str = ""
) -> None:
    """Assert arrays (or scalars) agree elementwise with R's values."""
    act = np.atleast_1d(np.asarray(actual, dtype=float))
    exp = np.atleast_1d(np.asarray([r_value(v) for v in np.atleast_1d(expected)], dtype=float))
    assert act.shape == exp.shape, f"{call}\n{what}: shape {act.shape} != R {exp.shape}"
    bad = [
        f"{what}[{i}]: R {e!r}, surveykit {a!r}"
        for i, (a, e) in enumerate(zip(act, exp, strict=True))
        if not close(float(a), e, rel)
    ]
    assert not bad, f"{call}\n" + "\n".join(bad)


# --- reference files on data other than api (ref_glm_families, ref_predmeans, ref_mi) --------
@cache
def other_json(name: str) -> dict[str, Any]:
    """``tests/reference/<name>.json`` of the scripts that carry their own design specs."""
    return _json(f"{name}.json")


def other_cases(name: str) -> list[Any]:
    """``pytest.param`` objects for the cases of ``tests/reference/<name>.json``."""
    import pytest

    return [pytest.param(case, id=f"{case['id']}: {case['call']}")
            for case in other_json(name)["cases"]]


@cache
def _other_dataset(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", keep_default_na=False, na_values=[""])


def other_dataset(name: str) -> pd.DataFrame:
    """A fresh copy of a non-api reference data set (nhanes, election_pps, glm_survey, smi)."""
    return _other_dataset(name).copy()


def build_spec_design(spec: dict[str, Any], data: pd.DataFrame | None = None) -> Any:
    """The surveykit design described by a design spec of ``ref_glm_common.R``.

    Linearization designs come from their columns; replicate designs from R's replicate
    multipliers, stored once per PSU, times the base design's sampling weights.
    """
    import surveykit as sk

    frame = other_dataset(spec["data"]) if data is None else data
    if spec["kind"] == "linearization":
        return sk.SurveyDesign(frame, **spec["spec"])
    base = build_spec_design(other_json_designs()[spec["base"]], frame)
    pweights = base.analysis_weights()
    per_psu = dict(zip(spec["psu_ids"], np.asarray(spec["multipliers"], dtype=float),
                       strict=True))
    multipliers = np.vstack([per_psu[k] for k in frame[spec["psu"]]])
    frame = frame.assign(_pw=pweights)
    return sk.ReplicateDesign(
        frame, weights="_pw", replicate_weights=multipliers * pweights[:, None],
        method=R_REPLICATE_METHODS[spec["type"]], scale=float(spec["scale"]),
        rscales=np.asarray(spec["rscales"], dtype=float), mse=bool(spec["mse"]))


def other_json_designs() -> dict[str, Any]:
    """Design specs shared by ref_glm_families.json and ref_predmeans.json."""
    return dict(other_json("ref_glm_families")["designs"])
