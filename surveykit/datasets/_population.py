"""Population margins of the demo study: residents aged 20-40 in Hamarregionen (SSB 07459)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from surveykit._validate import check_option, check_type
from surveykit.datasets._files import data_file

__all__ = ["MUNICIPALITIES", "POPULATION_FILE", "load_population"]

#: Name of the bundled margins file (identical to ``analysis/population/``'s copy).
POPULATION_FILE = "hamarregionen_pop_20_40_2025_2026.csv"

#: SSB kommunenummer (since 2020) of the four municipalities of Hamarregionen.
MUNICIPALITIES = {3403: "Hamar", 3411: "Ringsaker", 3412: "Løten", 3413: "Stange"}

_YEARS = (2025, 2026)


@lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    with data_file(POPULATION_FILE).open("rb") as fh:
        raw = pd.read_csv(fh, dtype={"age_group": str, "sex": str, "kommune": str})
    frame = raw.rename(columns={"year_jan1": "year", "pop_jan1_n": "count"})
    return frame[["year", "knr", "kommune", "age_group", "sex", "count"]]


def load_population(
    year: int = 2026, *, include_age_40: bool = True, municipalities: list[int] | None = None
) -> pd.DataFrame:
    """Return the population of Hamarregionen aged 20-40 by municipality, age group and sex.

    Registered residents on 1 January of ``year`` (SSB table 07459, through FHI's ``csdata``;
    see ``surveykit/datasets/_data/SOURCES.md``). These are the raking margins of the demo
    study and the frame that :func:`generate_responses` samples from.

    Parameters
    ----------
    year : {2025, 2026}
        Reference date 1 January ``year``. 2025 is the baseline's margin, 2026 the
        follow-up's.
    include_age_40 : bool, default True
        Keep the single-year group ``"40"`` (the brief's "20-40" read inclusively);
        ``False`` gives ages 20-39 in four 5-year groups.
    municipalities : list of int, optional
        SSB municipality numbers to keep (default all four: 3403, 3411, 3412, 3413);
        ``[3403, 3412, 3413]`` is the three-owner region without Ringsaker.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, knr, kommune, age_group, sex, count``; ``age_group`` is one of
        ``"20-24", "25-29", "30-34", "35-39", "40"``, ``sex`` is ``"female"`` or ``"male"``.

    Examples
    --------
    >>> from surveykit.datasets import load_population
    >>> pop = load_population(2026, include_age_40=False)
    >>> int(pop["count"].sum())
    23766
    >>> pop.groupby("sex")["count"].sum().to_dict()
    {'female': 11670, 'male': 12096}

    """
    check_option("year", year, _YEARS)
    check_type("include_age_40", include_age_40, bool, "True or False")
    frame = _read()
    keep = frame["year"].eq(year)
    if not include_age_40:
        keep &= frame["age_group"].ne("40")
    if municipalities is not None:
        unknown = sorted(set(municipalities) - set(MUNICIPALITIES))
        if unknown:
            raise ValueError(
                f"'municipalities' must be SSB numbers among {sorted(MUNICIPALITIES)} "
                f"(got unknown {unknown})."
            )
        keep &= frame["knr"].isin(municipalities)
    return frame.loc[keep].reset_index(drop=True)
