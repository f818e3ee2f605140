"""PPS designs: argument checks, errors and invariants (values against R: test_reference_pps)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit import DesignError


@pytest.fixture
def strat() -> pd.DataFrame:
    return pd.DataFrame({"st": [1, 1, 1, 2, 2, 2], "p": [0.2, 0.4, 0.5, 0.3, 0.6, 0.1],
                         "y": [1.0, 3.0, 4.0, 2.0, 5.0, 1.5]})


def test_varying_fpc_refused_without_pps_and_points_to_pps(strat: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match=r"varies within stratum 1.*pps='brewer'"):
        sk.SurveyDesign(strat, strata="st", fpc="p")


def test_varying_fpc_accepted_with_pps(strat: pd.DataFrame) -> None:
    d = sk.SurveyDesign(strat, strata="st", fpc="p", pps="brewer")
    np.testing.assert_allclose(d.weights.to_numpy(), 1.0 / strat["p"].to_numpy())
    assert strat.columns.tolist() == ["st", "p", "y"]   # nothing added to the user's frame


def test_pps_fpc_must_be_probabilities(strat: pd.DataFrame) -> None:
    strat = strat.assign(N=[10, 10, 10, 20, 20, 20])
    with pytest.raises(DesignError, match="inclusion probabilities"):
        sk.SurveyDesign(strat, strata="st", fpc="N", pps="brewer")


def test_pps_probability_must_be_constant_within_cluster(strat: pd.DataFrame) -> None:
    strat = strat.assign(psu=[1, 1, 2, 3, 4, 4])
    with pytest.raises(DesignError, match="varies within a cluster"):
        sk.SurveyDesign(strat, strata="st", psu="psu", fpc="p", pps="hartley-rao")


def test_yates_grundy_needs_a_matrix_method(strat: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match="Only variance='HT'"):
        sk.SurveyDesign(strat, strata="st", fpc="p", pps="brewer", variance="YG")
    with pytest.raises(ValueError, match="variance"):
        sk.SurveyDesign(strat, strata="st", fpc="p", pps="overton", variance="XX")


def test_multistage_only_with_brewer(strat: pd.DataFrame) -> None:
    strat = strat.assign(psu=[1, 2, 3, 4, 5, 6], ssu=range(6))
    with pytest.raises(DesignError, match="one sampling stage"):
        sk.SurveyDesign(strat, strata="st", psu=["psu", "ssu"], fpc=["p", "p"],
                        pps=sk.HartleyRao())


def test_unknown_pps_method(strat: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="pps"):
        sk.SurveyDesign(strat, strata="st", fpc="p", pps="sampford")
    with pytest.raises(DesignError, match="HartleyRao or a PPSMatrix"):
        sk.SurveyDesign(strat, strata="st", fpc="p", pps=3)  # type: ignore[arg-type]


def test_hartley_rao_psum_per_stratum(strat: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match="no value for stratum 2"):
        sk.SurveyDesign(strat, strata="st", fpc="p", pps=sk.HartleyRao(psum={1: 0.2}))
    with pytest.raises(DesignError, match="unstratified"):
        sk.SurveyDesign(strat, strata="st", fpc="p", pps=sk.HartleyRao(psum=0.2))


def test_joint_matrix_checks(strat: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match="6 x 6"):
        sk.SurveyDesign(strat, fpc="p", pps=sk.PPSMatrix(np.eye(3)))
    joint = np.outer(strat["p"], strat["p"])
    np.fill_diagonal(joint, strat["p"])
    joint[0, 1] = 0.0
    with pytest.raises(DesignError, match="symmetric"):
        sk.SurveyDesign(strat, fpc="p", pps=sk.PPSMatrix(joint))
    joint[1, 0] = 0.0
    with pytest.raises(DesignError, match="zero joint probability"):
        sk.SurveyDesign(strat, fpc="p", pps=sk.PPSMatrix(joint))
    with pytest.raises(DesignError, match="without psu"):
        sk.SurveyDesign(strat.assign(psu=range(6)), psu="psu", fpc="p",
                        pps=sk.PPSMatrix(np.eye(6)))


def test_replicates_refused_for_pps(strat: pd.DataFrame) -> None:
    d = sk.SurveyDesign(strat, strata="st", fpc="p", pps="brewer")
    with pytest.raises(DesignError, match="PPS design"):
        d.to_replicates("jkn")


def test_pps_with_replacement_contradicts(strat: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match="contradict"):
        sk.SurveyDesign(strat, strata="st", probs="p", pps="overton", with_replacement=True)


def test_independent_joint_probabilities_give_poisson_variance(strat: pd.DataFrame) -> None:
    # pi_ij = pi_i pi_j: D is diagonal 1 - pi_i, the Poisson-sampling HT variance
    p = strat["p"].to_numpy()
    joint = np.outer(p, p)
    np.fill_diagonal(joint, p)
    d = sk.SurveyDesign(strat, probs="p", pps=sk.PPSMatrix(joint, tolerance=0.0))
    y = strat["y"].to_numpy()
    expected = np.sum((1 - p) * (y / p) ** 2)
    assert sk.total(d, "y").se[0] == pytest.approx(np.sqrt(expected), rel=1e-12)


def test_subset_keeps_pps_and_repr(strat: pd.DataFrame) -> None:
    d = sk.SurveyDesign(strat, strata="st", fpc="p", pps="overton", variance="YG")
    sub = d.subset("y > 1")
    assert sub.pps == "overton" and sub.pps_variance is d.pps_variance
    assert "pps='overton', variance='YG'" in repr(d)


def test_calibrated_matrix_design_residualises(strat: pd.DataFrame) -> None:
    # the total of a calibration variable is known exactly after calibration: SE 0
    d = sk.SurveyDesign(strat, strata="st", fpc="p", pps="hartley-rao")
    cal = sk.calibrate(d, {"y": 40.0})
    assert sk.total(cal, "y").se[0] == pytest.approx(0.0, abs=1e-9)
    assert sk.total(d, "y").se[0] > 1.0
