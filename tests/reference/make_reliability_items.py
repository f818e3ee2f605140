"""Write ``data/reliability_belonging.csv``: the belonging items of a synthetic needs assessment.

Drawn with :func:`surveykit.datasets.generate_responses` (seeded, reproducible), raw codes as
exported (1-5, 98 = don't know, NA = not answered). Run from the repository root, then
``Rscript tests/reference/ref_reliability.R``::

    python tests/reference/make_reliability_items.py
"""

from __future__ import annotations

from pathlib import Path

import surveykit as sk
from surveykit.datasets import generate_responses

OUT = Path(__file__).resolve().parent / "data" / "reliability_belonging.csv"
ITEMS = ["bel_at_home", "bel_community", "bel_stranger", "bel_common", "bel_proud",
         "bel_anywhere"]

if __name__ == "__main__":
    inst = sk.load_instrument("needs_assessment", version="1.0.0")
    frame = generate_responses(inst, 400, seed=20260402)[ITEMS]
    frame.to_csv(OUT, index=False, na_rep="")
    print(f"{OUT.name}: {len(frame)} rows")
