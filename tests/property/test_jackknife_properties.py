"""Jackknife designs from PSU totals equal the materialised replicate weights (Hypothesis).

``to_replicates("jk1" / "jkn")`` keeps each replicate as the PSU it deletes and the factor
of the others; estimates, standard errors, intervals and degrees of freedom must equal those
of the same replicates given as a ``(n_psu, R)`` multiplier array and as ``(n, R)`` weights,
on random designs with lonely PSUs, census strata, zero weights, domains and ratios.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveykit as sk
from surveykit.design import replicate_rank
from surveykit.design._jackknife import JackknifeMultipliers

pytestmark = pytest.mark.filterwarnings("ignore::surveykit.errors.SurveykitWarning")

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
LONELY = ("certainty", "average", "adjust", "remove")
REL = 1e-12


@st.composite
def designs(draw: st.DrawFn) -> sk.SurveyDesign:
    """1-5 strata of 1-5 PSUs (lonely PSUs, a census stratum, zero weights), 3 domains."""
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    stratified = draw(st.booleans())
    n_strata = int(rng.integers(1, 6)) if stratified else 1
    psu_per = rng.integers(1 if stratified else 2, 6, n_strata)
    if stratified and (psu_per >= 2).sum() == 0:
        psu_per[0] = 2
    psu_stratum = np.repeat(np.arange(n_strata), psu_per)
    rows = rng.integers(1, 5, psu_stratum.shape[0])
    psu = np.repeat(rng.permutation(psu_stratum.shape[0]), rows)  # PSUs out of order
    n = psu.shape[0]
    frame = pd.DataFrame({
        "st": psu_stratum[np.repeat(np.arange(psu_stratum.shape[0]), rows)],
        "psu": psu, "w": rng.uniform(0.5, 4.0, n),
        "y": rng.normal(10.0, 3.0, n), "z": rng.normal(0.0, 1.0, n),
        "x": rng.uniform(1.0, 5.0, n), "b": rng.integers(0, 2, n).astype(float),
        "g": rng.integers(0, 3, n)})
    frame = frame.sample(frac=1.0, random_state=1).reset_index(drop=True)  # rows interleaved
    if draw(st.booleans()):
        frame.loc[frame["psu"] == frame["psu"].iloc[0], "w"] = 0.0  # a PSU without weight
    fpc = None
    if stratified and draw(st.booleans()):
        sizes = frame.groupby("st")["psu"].transform("nunique")
        frame["N"] = np.where(frame["st"] == frame["st"].iloc[-1], sizes, sizes * 3)
        fpc = "N"
    return sk.SurveyDesign(frame, weights="w", strata="st" if stratified else None,
                           psu="psu", fpc=fpc, lonely_psu=draw(st.sampled_from(LONELY)))


def _dense(rep: sk.ReplicateDesign) -> tuple[sk.ReplicateDesign, sk.ReplicateDesign]:
    """The same replicates as a multiplier array and as ``(n, R)`` weights."""
    assert rep._rep_index is not None
    mult = rep._rep_mult
    assert isinstance(mult, np.ndarray)
    as_array = sk.ReplicateDesign._from_multipliers(
        rep.data, rep.analysis_weights(), rep._rep_index, mult, method=rep.method,
        scale=rep.scale, rscales=rep.rscales, mse=rep.mse)
    as_weights = sk.ReplicateDesign(rep.data, weights=rep.analysis_weights(),
                                    replicate_weights=rep.replicate_weights_array,
                                    method="other", scale=rep.scale, rscales=rep.rscales,
                                    mse=rep.mse)
    return as_array, as_weights


def _results(d: sk.ReplicateDesign) -> list[pd.DataFrame | str]:
    """Result frames, or the error (e.g. a PSU without weight leaves no usable replicate)."""
    calls = [lambda: sk.mean(d, ["y", "z"]), lambda: sk.mean(d, ["y", "z"], by="g"),
             lambda: sk.total(d, "y", by="g"), lambda: sk.ratio(d, "y", "x", by="g"),
             lambda: sk.proportion(d, "b", by="g")]
    out: list[pd.DataFrame | str] = []
    for call in calls:
        try:
            out.append(call().to_frame())
        except sk.errors.DesignError as error:
            out.append(str(error))
    return out


def _jackknife(design: sk.SurveyDesign, mse: bool) -> sk.ReplicateDesign | None:
    try:
        return design.to_replicates("jkn" if design.strata_column else "jk1", mse=mse)
    except sk.errors.DesignError:  # e.g. every stratum a census: no variance
        return None


@SETTINGS
@given(designs(), st.booleans())
def test_psu_totals_equal_the_materialised_replicates(design: sk.SurveyDesign,
                                                      mse: bool) -> None:
    rep = _jackknife(design, mse)
    if rep is None:
        return
    assert isinstance(rep._rep_psu, JackknifeMultipliers)
    as_array, as_weights = _dense(rep)
    assert rep.df == as_array.df == as_weights.df
    for ours, *others in zip(_results(rep), _results(as_array), _results(as_weights),
                             strict=True):
        for other in others:
            if isinstance(ours, str) or isinstance(other, str):
                assert ours == other
                continue
            # a variance that is zero in exact arithmetic comes out as rounding noise of
            # the replicate estimates (squared, then the square root: ~1e-16 x the estimate)
            # on one route and as an exact 0 on the other: compare on the estimates' scale
            scale = np.nanmax(np.abs(other["estimate"].to_numpy(dtype=float)), initial=0.0)
            for col in ("estimate", "se", "ci_low", "ci_high", "df"):
                np.testing.assert_allclose(ours[col], other[col], rtol=REL,
                                           atol=max(REL * scale, 1e-300))


@SETTINGS
@given(designs())
def test_domain_rank_in_closed_form_equals_the_computed_rank(design: sk.SurveyDesign) -> None:
    rep = _jackknife(design, False)
    if rep is None:
        return
    w, reps = rep.analysis_weights(), rep.replicate_weights_array
    g = rep.data["g"].to_numpy()
    for rows in [g == 0, g == 1, g != 2, np.ones(rep.n, dtype=bool), g == 5]:
        assert rep.rank_df(rows) == replicate_rank(reps[rows], w[rows]) - 1


def test_plain_jackknife_means_never_build_the_replicate_matrix(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    psu = np.repeat(np.arange(400), 5)
    n = psu.shape[0]
    frame = pd.DataFrame({"psu": psu, "st": psu // 20, "w": rng.uniform(1, 3, n),
                          "y": rng.normal(size=n), "g": rng.integers(0, 4, n)})
    design = sk.SurveyDesign(frame, weights="w", strata="st", psu="psu")
    rep = design.to_replicates("jkn")
    expected = sk.mean(rep, "y", by="g").to_frame()
    one = frame["g"].to_numpy() == 1
    rank_one = replicate_rank(rep.replicate_weights_array[one], rep.analysis_weights()[one])
    mult = rep._rep_psu
    assert isinstance(mult, JackknifeMultipliers)
    assert mult.shape == (400, 400)
    assert mult.nbytes <= 32 * (400 + 400)  # not the 400 x 400 array of 1.28 MB

    def refuse(*args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("the replicate multipliers were materialised")

    monkeypatch.setattr(JackknifeMultipliers, "columns", refuse)
    monkeypatch.setattr(sk.ReplicateDesign, "replicate_chunks", refuse)
    fresh = design.to_replicates("jkn")
    got = sk.mean(fresh, "y", by="g").to_frame()
    sk.mean(fresh, "y"), sk.ratio(fresh, "y", "w", by="g"), sk.total(fresh, "y")
    assert fresh.df == 400 - 20
    assert fresh.rank_df(one) == rank_one - 1
    pd.testing.assert_frame_equal(got, expected)
