"""Degrees of freedom of replicate designs: the closed forms agree with the computed rank."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.design import replicate_rank
from surveykit.design._to_replicates import _jkn, _known_df

pytestmark = pytest.mark.filterwarnings("ignore::surveykit.LonelyPSUWarning")


def _design(sizes: list[int], rows_per_psu: int = 3, *, fpc: bool = False,
            lonely: str = "fail", seed: int = 0) -> sk.SurveyDesign:
    rng = np.random.default_rng(seed)
    strata = np.repeat(np.arange(len(sizes)), np.array(sizes) * rows_per_psu)
    psu = np.repeat(np.arange(sum(sizes)), rows_per_psu)
    frame = pd.DataFrame({"st": strata, "psu": psu, "w": rng.uniform(1, 5, psu.shape[0]),
                          "y": rng.normal(size=psu.shape[0])})
    if fpc:  # the first stratum is a census, the others are sampled from 50 PSUs
        frame["fpc"] = np.where(frame["st"] == 0, sizes[0], 50.0)
    return sk.SurveyDesign(frame, weights="w", strata="st", psu="psu",
                           fpc="fpc" if fpc else None, lonely_psu=lonely)


def _computed_df(design: sk.SurveyDesign, method: str) -> int:
    rep = design.to_replicates(method)
    assert rep._rep_mult is not None
    return replicate_rank(rep._rep_mult) - 1


@pytest.mark.parametrize(("sizes", "fpc", "lonely"), [
    ([2, 3, 4], False, "fail"),
    ([5], False, "fail"),
    ([2, 2, 2, 2, 2], False, "fail"),
    ([3, 1, 4, 2], False, "certainty"),
    ([3, 1, 4, 2], False, "average"),
    ([4, 3, 5], True, "fail"),
])
def test_jkn_closed_form_equals_the_rank(sizes: list[int], fpc: bool, lonely: str) -> None:
    design = _design(sizes, fpc=fpc, lonely=lonely)
    mult, *_ = _jkn(design)
    assert _known_df(design, "jkn", mult) == _computed_df(design, "jkn")
    assert design.to_replicates("jkn").df == _computed_df(design, "jkn")


@pytest.mark.parametrize("method", ["brr", "fay"])
@pytest.mark.parametrize("sizes", [[2, 2, 2], [2] * 7, [4, 2, 6, 2]])
def test_brr_closed_form_equals_the_rank(method: str, sizes: list[int]) -> None:
    design = _design(sizes)
    kwargs = {"fay_rho": 0.3} if method == "fay" else {}
    rep = design.to_replicates(method, **kwargs)
    assert rep._rep_mult is not None
    assert rep.df == replicate_rank(rep._rep_mult) - 1


def test_jk1_closed_form_equals_the_rank() -> None:
    frame = pd.DataFrame({"psu": np.repeat(np.arange(9), 2), "w": 2.0, "y": np.arange(18.0)})
    design = sk.SurveyDesign(frame, weights="w", psu="psu")
    rep = design.to_replicates("jk1")
    assert rep._rep_mult is not None
    assert rep.df == replicate_rank(rep._rep_mult) - 1 == 8


def test_no_closed_form_without_weight_in_every_psu() -> None:
    design = _design([3, 3])
    frame = design.data.assign(w=np.where(design.data["psu"] == 0, 0.0, design.data["w"]))
    zero = sk.SurveyDesign(frame, weights="w", strata="st", psu="psu")
    mult, *_ = _jkn(zero)
    assert _known_df(zero, "jkn", mult) is None
    assert zero.to_replicates("jkn").df == _computed_df(zero, "jkn")


def test_adjusted_lonely_psu_has_no_closed_form() -> None:
    design = _design([3, 1, 4], lonely="adjust")
    mult, *_ = _jkn(design)
    assert _known_df(design, "jkn", mult) is None
    assert design.to_replicates("jkn").df == _computed_df(design, "jkn")


def test_a_single_replicate_column_is_a_design_as_in_r() -> None:
    """One census stratum and one lonely PSU ('adjust') leave one jackknife replicate.

    R's ``svrepdesign`` accepts a one-column ``repweights`` matrix (its
    ``as.svrepdesign`` fails on this design when it drops the matrix's dimension); the
    replicate gives the same estimate as the full sample here, so the SE is 0 and df 0.
    """
    frame = pd.DataFrame({"st": [1, 0, 0, 1, 0, 0, 0, 0, 0], "psu": [0, 2, 1, 0, 2, 2, 1, 1, 1],
                          "w": [0.58, 3.78, 2.56, 3.35, 2.49, 2.03, 1.26, 3.61, 1.42],
                          "y": [13.1, 9.37, 7.82, 9.22, 11.23, 10.24, 16.83, 7.48, 4.87],
                          "N": [3, 2, 2, 3, 2, 2, 2, 2, 2]})
    design = sk.SurveyDesign(frame, weights="w", strata="st", psu="psu", fpc="N",
                             lonely_psu="adjust")
    rep = design.to_replicates("jkn")
    assert rep.replicate_weights_array.shape == (9, 1)
    dense = sk.ReplicateDesign(frame, weights="w", replicate_weights=rep.replicate_weights_array,
                               method="other", scale=rep.scale, rscales=rep.rscales)
    ours, theirs = sk.mean(rep, "y").to_frame(), sk.mean(dense, "y").to_frame()
    assert ours["estimate"].iloc[0] == pytest.approx(theirs["estimate"].iloc[0], rel=1e-12)
    assert ours["se"].iloc[0] == theirs["se"].iloc[0] == 0.0
    assert rep.df == dense.df == 0
    with pytest.raises(sk.DesignError, match="at least 2 replicate columns"):
        sk.ReplicateDesign(frame, weights="w", replicate_weights=rep.replicate_weights_array,
                           method="bootstrap")
