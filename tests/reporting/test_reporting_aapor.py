"""AAPOR outcome rates against hand-computed values and outcomerate's published example."""

import pandas as pd
import pytest

from surveykit import report

COUNTS = {"I": 400, "P": 50, "R": 100, "NC": 150, "O": 20, "UH": 200, "UO": 30, "NE": 50}


def test_rates_by_hand_with_given_e():
    r = report.aapor_rates(COUNTS, e=0.5)["value"]
    # eligible known: 400+50+100+150+20 = 720; unknown 230; e*unknown = 115
    assert r["RR1"] == pytest.approx(400 / 950, rel=1e-12)
    assert r["RR2"] == pytest.approx(450 / 950, rel=1e-12)
    assert r["RR3"] == pytest.approx(400 / 835, rel=1e-12)
    assert r["RR4"] == pytest.approx(450 / 835, rel=1e-12)
    assert r["RR5"] == pytest.approx(400 / 720, rel=1e-12)
    assert r["RR6"] == pytest.approx(450 / 720, rel=1e-12)
    assert r["COOP1"] == pytest.approx(400 / 570, rel=1e-12)
    assert r["COOP2"] == pytest.approx(450 / 570, rel=1e-12)
    assert r["COOP3"] == pytest.approx(400 / 550, rel=1e-12)
    assert r["COOP4"] == pytest.approx(450 / 550, rel=1e-12)
    assert r["REF1"] == pytest.approx(100 / 950, rel=1e-12)
    assert r["REF2"] == pytest.approx(100 / 835, rel=1e-12)
    assert r["REF3"] == pytest.approx(100 / 720, rel=1e-12)
    assert r["CON1"] == pytest.approx(570 / 950, rel=1e-12)
    assert r["CON2"] == pytest.approx(570 / 835, rel=1e-12)
    assert r["CON3"] == pytest.approx(570 / 720, rel=1e-12)


def test_default_e_is_eligibility_rate_among_known():
    out = report.aapor_rates(COUNTS)
    assert out.attrs["e"] == pytest.approx(720 / 770, rel=1e-12)
    assert out.loc["RR3", "value"] == pytest.approx(400 / (720 + 720 / 770 * 230), rel=1e-12)


def test_outcomerate_readme_example():
    """outcomerate README: freq <- c(I=4, P=2, R=1, NC=1, O=1, UH=1, UO=1, NE=1);
    outcomerate(freq, e = eligibility_rate(freq)) prints rates to 3 decimals."""
    printed = {"RR1": 0.364, "RR2": 0.545, "RR3": 0.370, "RR4": 0.556, "RR5": 0.444,
               "RR6": 0.667, "COOP1": 0.500, "COOP2": 0.750, "COOP3": 0.571, "COOP4": 0.857,
               "REF1": 0.091, "REF2": 0.093, "REF3": 0.111, "CON1": 0.727, "CON2": 0.741,
               "CON3": 0.889}
    out = report.aapor_rates(pd.Series({"I": 4, "P": 2, "R": 1, "NC": 1, "O": 1, "UH": 1,
                                        "UO": 1, "NE": 1}))
    assert out.attrs["e"] == pytest.approx(0.9)
    for rate, value in printed.items():
        assert out.loc[rate, "value"] == pytest.approx(value, abs=5e-4), rate


def test_missing_keys_count_zero_and_zero_denominator_is_nan():
    out = report.aapor_rates({"I": 10})
    assert out.loc["RR1", "value"] == 1.0
    assert out.loc["COOP3", "value"] == 1.0


def test_bad_input_messages():
    with pytest.raises(ValueError, match="unknown disposition codes \\['complete'\\]"):
        report.aapor_rates({"complete": 3})
    with pytest.raises(ValueError, match="non-negative"):
        report.aapor_rates({"I": 3, "R": -1})
    with pytest.raises(ValueError, match="no interviews"):
        report.aapor_rates({"R": 3})
    with pytest.raises(ValueError, match="'e' must be a number in \\[0, 1\\]"):
        report.aapor_rates({"I": 3}, e=1.5)
    with pytest.raises(TypeError, match="dict or Series"):
        report.aapor_rates([1, 2])


def test_weighted_counts_and_table_in_nb():
    ft = report.aapor_table({"I": 10.5, "R": 4.5, "UH": 5.0}, e=0.0, language="nb")
    assert ft.numeric.iloc[0, 2] == pytest.approx(10.5 / 20.0)
    assert ft.display.iloc[0, 2] == "52,5"
    assert any("0,000" in n for n in ft.notes)
