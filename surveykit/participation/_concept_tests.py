"""The concepts compared on their feedback forms: rank tests across and between concepts.

The forms are a self-selected sample (whoever chose to answer after an event), so there is
no design to be faithful to: these are ordinary, **unweighted** rank tests of the answers
(pingouin), labelled as such wherever they are shown. Per answer scale (satisfaction 1-5,
come again 1-4, recommend 0-10): a Kruskal-Wallis test across the concepts with its effect
size ``eta_squared_h = (H - k + 1) / (n - k)``, and Mann-Whitney tests of every pair of
concepts with Holm-adjusted p-values and the common-language effect size ``cles`` (the
chance that a form of the first concept scores higher than one of the second, ties counting
half). "Don't know" answers are not on the scale and leave the test. A concept with fewer
than ``min_forms`` answers on a scale is left out of that scale's tests.
"""

from __future__ import annotations

import pandas as pd

from surveykit._lazy import lazy_module

pg = lazy_module("pingouin")

__all__ = ["SCALES", "concept_tests"]

#: answer column -> its scale (what the codes mean; a higher code is not always better)
SCALES: dict[str, str] = {
    "satisfaction": "1 very dissatisfied to 5 very satisfied",
    "come_again": "1 definitely to 4 definitely not",
    "recommend": "0 not at all likely to 10 extremely likely",
}

_OVERALL = ["item", "concepts", "n", "H", "df", "p_value", "eta_squared_h"]
_PAIRS = ["item", "concept_a", "concept_b", "n_a", "n_b", "U", "p_value", "p_holm", "cles"]


def _plain(res: pd.DataFrame) -> pd.DataFrame:
    """Name pingouin's columns as 0.7 does (``p_unc``; older releases: ``p-unc``)."""
    return res.rename(columns=lambda c: str(c).replace("-", "_"))


def _kruskal(item: str, data: pd.DataFrame) -> dict[str, object]:
    res = _plain(pg.kruskal(data, dv=item, between="concept"))
    h, k, n = float(res["H"].iloc[0]), data["concept"].nunique(), len(data)
    return {"item": item, "concepts": k, "n": n, "H": h, "df": int(res["ddof1"].iloc[0]),
            "p_value": float(res["p_unc"].iloc[0]), "eta_squared_h": (h - k + 1) / (n - k)}


def _pairs(item: str, data: pd.DataFrame) -> pd.DataFrame:
    res = _plain(pg.pairwise_tests(data, dv=item, between="concept", parametric=False,
                                   padjust="holm", effsize="CLES"))
    sizes = data["concept"].value_counts()
    holm = res["p_corr"] if "p_corr" in res else res["p_unc"]  # one pair: nothing to adjust
    return pd.DataFrame({
        "item": item, "concept_a": res["A"].astype(str), "concept_b": res["B"].astype(str),
        "n_a": res["A"].map(sizes).astype(int), "n_b": res["B"].map(sizes).astype(int),
        "U": res["U_val"].astype(float), "p_value": res["p_unc"].astype(float),
        "p_holm": holm.astype(float), "cles": res["CLES"].astype(float)})


def concept_tests(forms: pd.DataFrame, concepts: list[str], *,
                  min_forms: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kruskal-Wallis across concepts and pairwise Mann-Whitney (Holm) per answer scale.

    Parameters
    ----------
    forms : pandas.DataFrame
        One row per form: ``concept`` and the answer columns of :data:`SCALES` (floats,
        NaN outside the scale), as :func:`feedback_frame` returns them.
    concepts : list of str
        The register's concepts, in the order the rows should follow.
    min_forms : int, default 5
        Fewest answers a concept needs on a scale to take part in that scale's tests.

    Returns
    -------
    overall : pandas.DataFrame
        Per scale: ``item``, ``concepts`` (how many took part), ``n``, ``H``, ``df``,
        ``p_value``, ``eta_squared_h``.
    pairs : pandas.DataFrame
        Per scale and pair of concepts: ``item``, ``concept_a``, ``concept_b``, ``n_a``,
        ``n_b``, ``U``, ``p_value``, ``p_holm`` (Holm within the scale), ``cles``.

    Notes
    -----
    Unweighted and not design-based: the forms are a self-selected sample, and the tests
    describe differences among those who answered. Same numbers as R's
    ``kruskal.test(satisfaction ~ concept)`` and ``pairwise.wilcox.test(satisfaction,
    concept, p.adjust.method = "holm", exact = FALSE, correct = TRUE)``.

    Examples
    --------
    >>> forms = pd.DataFrame({"concept": ["a"] * 6 + ["b"] * 6,
    ...                       "satisfaction": [5.0, 5, 4, 5, 4, 5, 2, 3, 2, 1, 3, 2],
    ...                       "come_again": [1.0] * 12, "recommend": [9.0] * 12})
    >>> overall, pairs = concept_tests(forms, ["a", "b"])
    >>> overall[["item", "concepts", "n"]].to_dict("records")
    [{'item': 'satisfaction', 'concepts': 2, 'n': 12}]
    >>> round(float(pairs["cles"].iloc[0]), 3)
    1.0

    """
    order = {c: i for i, c in enumerate(concepts)}
    overall, pairs = [], []
    for item in SCALES:
        data = forms.loc[forms["concept"].notna() & forms[item].notna(), ["concept", item]]
        data = data.assign(concept=data["concept"].astype(str))
        sizes = data["concept"].value_counts()
        kept = sorted(sizes.index[sizes >= min_forms], key=lambda c: (order.get(c, len(order)), c))
        data = data[data["concept"].isin(kept)]
        if len(kept) < 2 or data[item].nunique() < 2:
            continue
        data = data.assign(concept=pd.Categorical(data["concept"], categories=kept))
        overall.append(_kruskal(item, data))
        pairs.append(_pairs(item, data))
    return (pd.DataFrame(overall, columns=_OVERALL),
            pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=_PAIRS))
