"""Write ``data/olr_likert.csv``: a synthetic Likert item for the svyolr reference cases.

Drawn with :func:`surveykit.datasets.generate_responses` from the needs-assessment
instrument (seeded, reproducible): the 5-point item ``bel_proud`` ("proud of the place"),
with its "don't know" code set to NA, against age and sex, in a design stratified by
municipality (weights and fpc from the 2026 population of each municipality). Run from the
repository root, then ``Rscript tests/reference/ref_olr.R``::

    python tests/reference/make_olr_likert.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import surveykit as sk
from surveykit.datasets import generate_responses, load_population

OUT = Path(__file__).resolve().parent / "data" / "olr_likert.csv"


def make() -> pd.DataFrame:
    """The reference sample: completes in the four municipalities, men and women."""
    inst = sk.load_instrument("needs_assessment", version="1.0.0")
    raw = generate_responses(inst, 500, seed=20260401, quality=False)
    keep = (raw["status"] == "complete") & raw["municipality"].isin([3403, 3411, 3412, 3413])
    keep &= raw["sex"].isin([1, 2])
    df = raw.loc[keep, ["respondent_id", "municipality", "age", "sex", "bel_proud"]].copy()
    df["sex"] = np.where(df["sex"] == 1, "man", "woman")
    df["proud"] = df["bel_proud"].astype("float64").where(df["bel_proud"] != 98)
    pop = load_population(2026).groupby("knr")["count"].sum()
    df["N"] = df["municipality"].map(pop).astype("int64")
    df["w"] = df["N"] / df.groupby("municipality")["municipality"].transform("size")
    return df[["respondent_id", "municipality", "age", "sex", "proud", "w", "N"]]


if __name__ == "__main__":
    frame = make()
    frame.to_csv(OUT, index=False, na_rep="")
    print(f"{OUT.name}: {len(frame)} rows, {int(frame['proud'].isna().sum())} with proud NA")
