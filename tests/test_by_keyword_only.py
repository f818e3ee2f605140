"""``by=`` is keyword-only in every public function that takes it."""

from __future__ import annotations

import inspect

import surveykit as sk


def test_by_is_keyword_only_everywhere() -> None:
    takes_by = {name: inspect.signature(obj).parameters["by"]
                for name in sk.__all__
                if inspect.isfunction(obj := getattr(sk, name))
                and "by" in inspect.signature(obj).parameters}
    assert {"ttest", "nps", "top_box", "compare", "predictive_margins", "mean"} <= set(takes_by)
    positional = [n for n, p in takes_by.items() if p.kind is not p.KEYWORD_ONLY]
    assert positional == []
