"""Number formatting in Norwegian (decimal comma) and English."""

import math

import pytest

from surveykit.reporting._format import (
    format_ci,
    format_integer,
    format_number,
    format_p_value,
    format_percent,
    text,
)

NBSP, MINUS = "\u00a0", "\u2212"


@pytest.mark.parametrize(("value", "digits", "en", "nb"), [
    (1234.5678, 2, "1,234.57", f"1{NBSP}234,57"),
    (1234567.0, 0, "1,234,567", f"1{NBSP}234{NBSP}567"),
    (0.05, 1, "0.1", "0,1"),
    (-2.5, 1, "-2.5", f"{MINUS}2,5"),
    (-0.04, 1, "0.0", "0,0"),
    (999.95, 1, "1,000.0", f"1{NBSP}000,0"),
])
def test_number_en_nb(value, digits, en, nb):
    assert format_number(value, digits, "en") == en
    assert format_number(value, digits, "nb") == nb


def test_missing_and_infinite():
    assert format_number(None) == ""
    assert format_number(math.nan, 2, "nb") == ""
    assert format_number(math.inf) == "∞"


def test_percent_ci_and_p():
    assert format_percent(0.4567, 1, "nb") == f"45,7{NBSP}%"
    assert format_percent(0.4567, 1, "en") == "45.7%"
    assert format_percent(0.4567, 0, "nb", sign=False) == "46"
    assert format_ci(0.101, 0.2, 1, "nb", scale=100) == "10,1–20,0"
    assert format_ci(-0.5, 0.25, 2, "nb") == f"{MINUS}0,50 – 0,25"
    assert format_p_value(0.00004, "nb") == "< 0,0001"
    assert format_p_value(0.0004, "nb") == "0,0004"
    assert format_p_value(0.0451, "en") == "0.0451"
    assert format_p_value(0.0451, "en", digits=3) == "0.045"
    assert format_integer(2870, "nb") == f"2{NBSP}870"


def test_language_is_checked():
    with pytest.raises(ValueError, match="'language' must be one of"):
        format_number(1.0, 1, "de")
    assert text("table", "en") == "Table"
