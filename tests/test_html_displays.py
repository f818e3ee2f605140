"""Every public result and design object has an HTML display in Jupyter, text escaped."""

from __future__ import annotations

import html

import pandas as pd
import pytest

import surveykit as sk


@pytest.fixture(scope="module")
def design() -> sk.SurveyDesign:
    data = pd.DataFrame({"y": [1.0, 2, 4, 5, 3, 6], "g": [0, 0, 1, 1, 0, 1],
                         "<s>": ["a"] * 3 + ["b"] * 3, "w": 2.0})
    return sk.SurveyDesign(data, weights="w", strata="<s>")


def _shows(obj: object, *texts: str) -> str:
    shown = obj._repr_html_()  # type: ignore[attr-defined]
    assert shown.startswith("<div>") and shown.endswith("</div>")
    for text in texts:
        assert html.escape(text) in shown, text
    return shown


def test_designs(design) -> None:
    shown = _shows(design, repr(design))
    assert "'<s>'" not in shown
    rep = design.to_replicates("jkn")
    _shows(rep, repr(rep))


def test_instruments_crosswalks_and_diffs() -> None:
    old = sk.load_instrument("reputation", version="1.0.0")
    new = sk.load_instrument("reputation", version="2.0.0")
    assert "<caption>columns</caption>" in _shows(old, repr(old))
    xw = sk.load_crosswalk("reputation", "1.0.0", "2.0.0")
    _shows(xw, repr(xw))
    diff = sk.diff_instruments(old, new)
    _shows(diff, str(diff).splitlines()[0])


def test_results(design) -> None:
    t = sk.ttest(design, "y", by="g")
    _shows(t, "t-test of y by g")
    assert t.to_frame().loc[0, "p_value"] == t.p_value
    _shows(sk.report.Appendix(title="A <draft>", language="en"), "A <draft>")
