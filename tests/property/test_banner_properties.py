"""Invariants of sk.banner's significance letters on random designs (Hypothesis).

- symmetry: if a cell carries the letter of column B, B's estimate is lower and B's cell
  does not carry this column's letter;
- the letters do not depend on the order of the banner's columns;
- with the banner independent of the rows, letters appear at no more than the nominal
  false-positive rate (one large simulated cluster design, fixed seed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import surveykit as sk

SETTINGS = settings(max_examples=5, deadline=None)


def random_survey(seed: int, n_psu: int = 6, per_psu: int = 12) -> pd.DataFrame:
    """3 strata of ``n_psu`` PSUs; a banner variable g that shifts the answers."""
    rng = np.random.default_rng(seed)
    n = 3 * n_psu * per_psu
    psu = np.repeat(np.arange(3 * n_psu), per_psu)
    g = rng.choice(["a", "b", "c", "d"], n)
    shift = pd.Series(g).map({"a": 0.0, "b": 0.6, "c": -0.5, "d": 0.2}).to_numpy()
    latent = shift + rng.normal(0, 0.4, 3 * n_psu)[psu] + rng.normal(size=n)
    y = np.digitize(latent, [-1.0, -0.3, 0.3, 1.0]) + 1
    return pd.DataFrame({"stratum": psu // n_psu, "psu": psu, "w": rng.uniform(1, 4, n),
                         "g": g, "y": y.astype(float), "x": 10 + 3 * latent,
                         "o1": (latent > 0).astype(float),
                         "o2": (rng.uniform(size=n) < 0.3).astype(float)})


def banner_of(df: pd.DataFrame, **kw: object) -> sk.BannerTable:
    d = sk.SurveyDesign(df, weights="w", strata="stratum", psu="psu")
    return sk.banner(d, rows=["y", "x", ("o1", "o2")], banner="g", min_base=5,
                     row_kinds={"y": "likert"}, second_level=0.8, language="en", **kw)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1),
       adjustment=st.sampled_from(["none", "bonferroni", "holm", "bh"]))
def test_letters_are_antisymmetric(seed: int, adjustment: str) -> None:
    f = banner_of(random_survey(seed), adjustment=adjustment).to_frame()
    cells: dict[tuple[str, str, str], dict] = {
        (r["row_variable"], r["row_category"], r["column_letter"]): r
        for r in f[f.banner_variable == "g"].to_dict("records")}
    for (var, cat, letter), cell in cells.items():
        for mark in cell["letters"]:
            other = cells[(var, cat, mark.upper())]
            assert other["estimate"] < cell["estimate"]
            assert letter not in other["letters"].upper()
            assert not other["small_base"] and not cell["small_base"]


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), order=st.permutations(["a", "b", "c", "d"]))
def test_letters_do_not_depend_on_the_column_order(seed: int, order: list[str]) -> None:
    df = random_survey(seed)

    def marks(frame: pd.DataFrame) -> set[tuple[str, str, str, str]]:
        f = frame[frame.banner_variable == "g"]
        name = dict(zip(f["column_letter"], f["banner_category"], strict=False))
        return {(r.row_variable, r.row_category, r.banner_category,
                 name[m.upper()] + ("!" if m.isupper() else "?"))
                for r in f.itertuples() for m in r.letters}

    base = banner_of(df, adjustment="holm").to_frame()
    moved = banner_of(df.assign(g=pd.Categorical(df["g"], categories=order)),
                      adjustment="holm").to_frame()
    assert marks(base) == marks(moved)
    key = ["row_variable", "row_category", "banner_category"]
    a, b = base.sort_values(key), moved.sort_values(key)
    np.testing.assert_allclose(a["estimate"], b["estimate"], rtol=1e-12)


def test_no_letters_beyond_the_false_positive_rate_when_the_banner_is_independent() -> None:
    rng = np.random.default_rng(20261203)
    n, n_psu = 12_000, 300
    psu = rng.integers(0, n_psu, n)
    effect = rng.normal(0, 0.5, n_psu)[psu]
    df = pd.DataFrame({"stratum": psu % 8, "psu": psu, "w": rng.uniform(1, 5, n),
                       "g": rng.choice(list("abcde"), n)})
    rows = []
    for k in range(8):
        latent = effect + rng.normal(size=n)
        df[f"q{k}"] = np.digitize(latent, [-1.0, 0.0, 1.0]).astype(float)
        rows.append(f"q{k}")
    d = sk.SurveyDesign(df, weights="w", strata="stratum", psu="psu")
    kinds = dict.fromkeys(rows, "categories")
    raw = sk.banner(d, rows=rows, banner="g", row_kinds=kinds).to_frame()
    raw = raw[raw.banner_variable == "g"]
    # 8 rows x 4 categories x 10 pairs = 320 tests at 5 %: about 16 by chance
    n_tests = 8 * 4 * 10
    n_letters = int(raw["letters"].str.len().sum())
    assert n_letters <= 0.05 * n_tests * 1.5, n_letters
    # Bonferroni within each row and banner: at most a few of the 32 families light up
    adj = sk.banner(d, rows=rows, banner="g", row_kinds=kinds,
                    adjustment="bonferroni").to_frame()
    adj = adj[adj.banner_variable == "g"]
    families = adj.groupby(["row_variable", "row_category"])["letters"].agg("".join)
    assert (families != "").sum() <= 0.05 * 32 * 2 + 1
    # the same design with a real difference between the columns does give letters
    d2 = d.with_columns(q0=np.where(df["g"] == "a", np.minimum(df["q0"] + 1, 3), df["q0"]))
    shifted = sk.banner(d2, rows=["q0"], banner="g", row_kinds={"q0": "categories"},
                        adjustment="bonferroni").to_frame()
    top = shifted[(shifted.banner_category == "a") & (shifted.row_category == "3")]
    assert top["letters"].iloc[0] == "BCDE"
