"""The level each planned test uses when a study plans several comparisons at once.

``adjustment="bonferroni"`` spreads ``alpha`` over the comparisons; ``"bh"`` uses the
Benjamini-Hochberg threshold a test is expected to meet; :func:`describe_adjustment` says
which in one sentence for the plan report.
"""

from __future__ import annotations

from typing import Literal

from surveykit._validate import check_option
from surveykit.errors import ArgumentError
from surveykit.planning._checks import check_count, check_open_unit

__all__ = ["Adjustment", "adjusted_alpha", "describe_adjustment"]

Adjustment = Literal["none", "bonferroni", "bh"]
_ADJUSTMENTS = ("none", "bonferroni", "bh")


def adjusted_alpha(
    alpha: float = 0.05,
    comparisons: int = 1,
    adjustment: Adjustment = "none",
    expected_rejections: int | None = None,
) -> float:
    """Return the per-comparison level that the planned test uses.

    ``"bonferroni"`` divides ``alpha`` by the number of ``comparisons``; ``"bh"`` uses the
    Benjamini-Hochberg threshold the test is expected to meet, ``alpha * k / m`` with ``k``
    the ``expected_rejections`` among ``m`` comparisons (``k = 1`` is Bonferroni, ``k = m``
    no adjustment).

    Examples
    --------
    >>> adjusted_alpha(0.05, 10, "bonferroni")
    0.005
    >>> adjusted_alpha(0.05, 10, "bh", expected_rejections=4)
    0.02

    """
    level = check_open_unit("alpha", alpha)
    m = check_count("comparisons", comparisons)
    check_option("adjustment", adjustment, _ADJUSTMENTS)
    if adjustment == "none":
        return level
    if adjustment == "bonferroni":
        return level / m
    if expected_rejections is None:
        raise ArgumentError(
            "adjustment='bh' needs expected_rejections=: how many of the comparisons are "
            "expected to show a change (1 gives the Bonferroni level, comparisons gives none)."
        )
    k = check_count("expected_rejections", expected_rejections)
    if k > m:
        raise ArgumentError(
            f"expected_rejections ({k}) cannot exceed comparisons ({m})."
        )
    return level * k / m


_ADJUST_WORDS = {
    "en": ("alpha {a}, no adjustment for multiple comparisons",
           "alpha {a} over {m} comparisons, Bonferroni: each test at {lv}",
           "alpha {a} over {m} comparisons, Benjamini-Hochberg expecting {k} changes: each "
           "test at {lv}"),
    "nb": ("alfa {a}, ingen justering for mange sammenligninger",
           "alfa {a} fordelt på {m} sammenligninger, Bonferroni: hver test på nivå {lv}",
           "alfa {a} over {m} sammenligninger, Benjamini-Hochberg med {k} forventede "
           "endringer: hver test på nivå {lv}"),
}


def describe_adjustment(
    alpha: float = 0.05,
    comparisons: int = 1,
    adjustment: Adjustment = "none",
    expected_rejections: int | None = None,
    language: str = "en",
) -> str:
    """Say in one sentence which level the planned test uses and why (``"en"`` or ``"nb"``).

    Examples
    --------
    >>> describe_adjustment(0.05, 12, "bonferroni")
    'alpha 0.05 over 12 comparisons, Bonferroni: each test at 0.004167'

    """
    level = adjusted_alpha(alpha, comparisons, adjustment, expected_rejections)
    words = _ADJUST_WORDS[check_option("language", language, tuple(_ADJUST_WORDS))]
    sep = (lambda v: v.replace(".", ",")) if language == "nb" else (lambda v: v)
    pick = _ADJUSTMENTS.index(adjustment)
    return words[pick].format(a=sep(f"{alpha:g}"), m=comparisons, k=expected_rejections,
                              lv=sep(f"{level:.4g}"))
