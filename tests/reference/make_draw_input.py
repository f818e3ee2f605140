"""Write ``data/draw_input.json``: a small frame and three samples drawn from it by sk.plan.draw.

The frame (275 people in four municipalities of different sizes, with age, sex, an interval
outcome ``y`` and a 0/1 outcome ``z``) is synthetic and seeded. The samples are
``sk.plan.draw`` with the seeds below (SRS without replacement, systematic sorted by age and
sex, Poisson); R's and numpy's random streams differ, so R gets the drawn samples (frame row
positions, 1-based there) and the systematic starts, and ``ref_draw.R`` computes from them.
The test draws again and checks that the same seeds still select the same people. Run from
the repository root, then ``Rscript tests/reference/ref_draw.R``::

    python tests/reference/make_draw_input.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import surveykit as sk

OUT = Path(__file__).resolve().parent / "data" / "draw_input.json"
SIZES = {"Hamar": 120, "Løten": 30, "Stange": 80, "Elverum": 45}
ALLOCATION = {"Hamar": 24, "Løten": 9, "Stange": 16, "Elverum": 10}
DRAWS: dict[str, dict[str, Any]] = {
    "srswor": {"method": "srswor", "seed": 20261201},
    "systematic": {"method": "systematic", "sort_by": ["age", "sex"], "seed": 20261202},
    "poisson": {"method": "poisson", "seed": 20261203},
}


def make_frame() -> pd.DataFrame:
    """The synthetic frame, rows in a shuffled (not stratum) order."""
    rng = np.random.default_rng(20261130)
    muni = np.repeat(list(SIZES), list(SIZES.values()))
    rng.shuffle(muni)
    n = muni.size
    age = rng.integers(20, 41, n)
    sex = rng.choice(["female", "male"], n)
    y = np.round(3.0 + 0.04 * (age - 30) + rng.normal(0.0, 0.9, n), 1)
    z = (rng.random(n) < np.where(sex == "female", 0.55, 0.4)).astype(int)
    return pd.DataFrame({"municipality": muni, "age": age, "sex": sex, "y": y, "z": z})


def make() -> dict[str, Any]:
    """Frame, allocation, draw arguments, and each draw's rows and per-stratum table."""
    frame = make_frame()
    samples = {}
    for name, args in DRAWS.items():
        d = sk.plan.draw(frame, ALLOCATION, **args)
        table = d.to_frame()
        samples[name] = {
            "args": args,
            "rows": (d.sample.index.to_numpy() + 1).tolist(),
            "starts": ({str(k): float(v) for k, v in zip(table["stratum"], table["start"],
                                                         strict=True)}
                       if "start" in table else None),
        }
    return {"frame": frame.to_dict(orient="list"), "allocation": ALLOCATION,
            "samples": samples}


if __name__ == "__main__":
    OUT.write_text(json.dumps(make(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}")
