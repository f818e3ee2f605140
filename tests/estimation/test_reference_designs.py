"""The reference designs themselves against R survey 4.1.1 (``ref_estimation_designs.json``).

Every reference test rebuilds its design from the JSON; these tests pin that the rebuilt
designs are R's: ``weights(design)`` and ``degf(design)`` for the linearization designs,
``degf`` (rank of the replicate weights - 1), ``scale`` and ``rscales`` for the replicate
designs, and ``SurveyDesign.to_replicates`` against ``as.svrepdesign(type=)`` for the
deterministic methods (jackknives, BRR, Fay). Each id carries the R call.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from reference import reference_cases as rc

DESIGNS = rc._json("ref_estimation_designs.json")["designs"]


def _params(kind: str, select: Any = None) -> list[Any]:
    return [pytest.param(name, id=f"{name}: {spec['call']}") for name, spec in DESIGNS.items()
            if spec["kind"] == kind and (select is None or select(spec))]


@pytest.mark.parametrize("name", _params("linearization"))
def test_linearization_design_matches_r(name: str) -> None:
    """R: ``weights(design)`` and ``degf(design)`` of the design in the test id."""
    spec = DESIGNS[name]
    design = rc.build_design(name)
    rc.compare_values(design.weights.to_numpy(), spec["weights"], what="weights",
                      call=spec["call"])
    assert design.df == spec["degf"], (spec["call"], design.df)


@pytest.mark.parametrize("name", _params("replicate"))
def test_replicate_design_matches_r(name: str) -> None:
    """R: ``degf(design)``, ``design$scale`` and ``design$rscales`` of the design in the id."""
    spec = DESIGNS[name]
    design = rc.build_design(name)
    assert design.df == spec["degf"], (spec["call"], design.df)
    rc.compare_values(design.scale, spec["scale"], what="scale", call=spec["call"])
    rc.compare_values(design.rscales, spec["rscales"], what="rscales", call=spec["call"])


DETERMINISTIC = {"JK1": "jk1", "JKn": "jkn", "BRR": "brr", "Fay": "fay"}


@pytest.mark.parametrize("name", _params("replicate", lambda s: s["type"] in DETERMINISTIC))
def test_to_replicates_matches_as_svrepdesign(name: str) -> None:
    """R: ``as.svrepdesign(base, type=)``: the same replicate weights, scale and rscales."""
    spec = DESIGNS[name]
    base = rc.build_design(spec["base"])
    kwargs = {"fay_rho": float(spec["fay_rho"])} if spec["type"] == "Fay" else {}
    rep = base.to_replicates(DETERMINISTIC[spec["type"]], **kwargs)
    expected = np.asarray(spec["multipliers"], dtype=float) * np.asarray(spec["pweights"])[:, None]
    got = rep.replicate_weights_array
    assert got.shape == expected.shape, (spec["call"], got.shape)
    rc.compare_values(got.ravel(), expected.ravel(), what="replicate weights",
                      call=spec["call"])
    rc.compare_values(rep.scale, spec["scale"], what="scale", call=spec["call"])
    rc.compare_values(rep.rscales, spec["rscales"], what="rscales", call=spec["call"])
    assert rep.df == spec["degf"]
