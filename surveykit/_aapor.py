"""AAPOR outcome rates (response, cooperation, refusal, contact) from disposition counts.

Pure arithmetic shared by the layers that need it: reporting prints the rates, planning takes
the expected response rate of the next wave from them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["DISPOSITIONS", "RATE_FORMULAS", "aapor_rates"]

#: AAPOR final disposition classes (Standard Definitions)
DISPOSITIONS = ("I", "P", "R", "NC", "O", "UH", "UO", "NE")

#: rate -> formula as printed in the methods section (AAPOR Standard Definitions)
RATE_FORMULAS: dict[str, str] = {
    "RR1": "I / ((I+P) + (R+NC+O) + (UH+UO))",
    "RR2": "(I+P) / ((I+P) + (R+NC+O) + (UH+UO))",
    "RR3": "I / ((I+P) + (R+NC+O) + e(UH+UO))",
    "RR4": "(I+P) / ((I+P) + (R+NC+O) + e(UH+UO))",
    "RR5": "I / ((I+P) + (R+NC+O))",
    "RR6": "(I+P) / ((I+P) + (R+NC+O))",
    "COOP1": "I / ((I+P) + R + O)",
    "COOP2": "(I+P) / ((I+P) + R + O)",
    "COOP3": "I / ((I+P) + R)",
    "COOP4": "(I+P) / ((I+P) + R)",
    "REF1": "R / ((I+P) + (R+NC+O) + (UH+UO))",
    "REF2": "R / ((I+P) + (R+NC+O) + e(UH+UO))",
    "REF3": "R / ((I+P) + (R+NC+O))",
    "CON1": "((I+P) + (R+O)) / ((I+P) + (R+NC+O) + (UH+UO))",
    "CON2": "((I+P) + (R+O)) / ((I+P) + (R+NC+O) + e(UH+UO))",
    "CON3": "((I+P) + (R+O)) / ((I+P) + (R+NC+O))",
}


def _counts(counts: Mapping[str, float] | pd.Series) -> dict[str, float]:
    if not isinstance(counts, (Mapping, pd.Series)):
        raise TypeError("'counts' must be a dict or Series of disposition counts keyed "
                        f"{list(DISPOSITIONS)!r} (got {type(counts).__name__}).")
    items = dict(counts.items())
    unknown = sorted(str(k) for k in items if k not in DISPOSITIONS)
    if unknown:
        raise ValueError(f"'counts' has unknown disposition codes {unknown!r}; expected "
                         f"keys among {list(DISPOSITIONS)!r} (AAPOR classes: I complete, "
                         "P partial, R refusal/break-off, NC non-contact, O other, UH/UO "
                         "unknown eligibility, NE not eligible). Map vendor codes first.")
    out = {k: float(items.get(k, 0.0)) for k in DISPOSITIONS}
    bad = {k: v for k, v in out.items() if not np.isfinite(v) or v < 0}
    if bad:
        raise ValueError(f"'counts' must be finite and non-negative (got {bad!r}).")
    if out["I"] + out["P"] == 0:
        raise ValueError("'counts' has no interviews (I + P == 0); outcome rates are "
                         "undefined. Check the disposition mapping.")
    return out


def _default_e(c: dict[str, float]) -> float:
    eligible = c["I"] + c["P"] + c["R"] + c["NC"] + c["O"]
    known = eligible + c["NE"]
    return eligible / known


def aapor_rates(counts: Mapping[str, float] | pd.Series, e: float | None = None) -> pd.DataFrame:
    """AAPOR outcome rates RR1-RR6, COOP1-4, REF1-3 and CON1-3 from disposition counts.

    Parameters
    ----------
    counts : dict or pandas.Series
        Final disposition counts keyed ``I`` (complete), ``P`` (partial), ``R`` (refusal
        and break-off), ``NC`` (non-contact), ``O`` (other eligible non-interview),
        ``UH``, ``UO`` (unknown eligibility) and ``NE`` (not eligible); absent keys count
        0. Weighted counts (floats) give weighted rates.
    e : float, optional
        Estimated share of the unknown-eligibility cases that are eligible, in [0, 1].
        Default: the eligibility rate among cases of known eligibility,
        ``(I+P+R+NC+O) / (I+P+R+NC+O+NE)``.

    Returns
    -------
    pandas.DataFrame
        Indexed by rate name, columns ``value`` (a proportion, NaN where the denominator
        is zero), ``formula``; ``attrs["e"]`` holds the ``e`` used.

    Notes
    -----
    Formulas of the AAPOR Standard Definitions (RR3/RR4, REF2 and CON2 discount the
    unknown-eligibility cases by ``e``; RR5/RR6, REF3 and CON3 assume none of them is
    eligible). Open links and opt-in samples have no sampling frame: report a
    participation rate for them, not these rates.

    Examples
    --------
    >>> r = aapor_rates({"I": 400, "P": 50, "R": 100, "NC": 150, "O": 20, "UH": 200,
    ...                  "UO": 30, "NE": 50}, e=0.5)
    >>> round(float(r.loc["RR1", "value"]), 6), round(float(r.loc["RR3", "value"]), 6)
    (0.421053, 0.479042)

    """
    c = _counts(counts)
    if e is None:
        e = _default_e(c)
    elif not (isinstance(e, (int, float, np.floating)) and 0.0 <= float(e) <= 1.0):
        raise ValueError(f"'e' must be a number in [0, 1] (got {e!r}).")
    e = float(e)
    ip = c["I"] + c["P"]
    elig = ip + c["R"] + c["NC"] + c["O"]
    unknown = c["UH"] + c["UO"]
    den_all, den_e, den_known = elig + unknown, elig + e * unknown, elig
    contacted = ip + c["R"] + c["O"]
    values = {
        "RR1": (c["I"], den_all), "RR2": (ip, den_all),
        "RR3": (c["I"], den_e), "RR4": (ip, den_e),
        "RR5": (c["I"], den_known), "RR6": (ip, den_known),
        "COOP1": (c["I"], ip + c["R"] + c["O"]), "COOP2": (ip, ip + c["R"] + c["O"]),
        "COOP3": (c["I"], ip + c["R"]), "COOP4": (ip, ip + c["R"]),
        "REF1": (c["R"], den_all), "REF2": (c["R"], den_e), "REF3": (c["R"], den_known),
        "CON1": (contacted, den_all), "CON2": (contacted, den_e),
        "CON3": (contacted, den_known),
    }
    num = np.array([v[0] for v in values.values()])
    den = np.array([v[1] for v in values.values()])
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    out = pd.DataFrame({"value": value, "formula": [RATE_FORMULAS[k] for k in values]},
                       index=pd.Index(list(values), name="rate"))
    out.attrs["e"] = e
    return out
