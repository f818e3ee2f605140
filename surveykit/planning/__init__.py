"""surveykit.planning (``sk.plan``): plan the next wave before fieldwork.

Public names and signatures::

    margin_of_error(n, *, p=None, sd=None, deff=1.0, population=None, level=0.95) -> float
    n_for_margin(margin, *, p=None, sd=None, deff=1.0, population=None, level=0.95) -> int
    power_for_change(n, delta, *, p1=None, sd=None, alpha=0.05, deff=1.0, overlap=0.0,
                     correlation=0.0, comparisons=1, adjustment="none",
                     expected_rejections=None, test="wald") -> float
    n_for_change(delta, *, p1=None, sd=None, power=0.8, alpha=0.05, deff=1.0, overlap=0.0,
                 correlation=0.0, comparisons=1, adjustment="none",
                 expected_rejections=None, test="wald") -> int          (per wave)
    mde(n, *, p1=None, sd=None, power=0.8, alpha=0.05, deff=1.0, overlap=0.0,
        correlation=0.0, comparisons=1, adjustment="none",
        expected_rejections=None, test="wald") -> float
    adjusted_alpha(alpha=0.05, comparisons=1, adjustment="none",
                   expected_rejections=None) -> float
    describe_adjustment(alpha, comparisons, adjustment, expected_rejections) -> str
    allocate(strata, n, *, method="proportional", minimum=None, power_q=0.5, sd=None,
             p=None, deff=1.0, level=0.95) -> Allocation
        method: "proportional" | "equal" | "neyman" | "bankier" | "minimum"
        strata: mapping stratum -> population, or a frame with ``population`` (and
        ``stratum`` or the index; optional ``sd`` or ``p``, ``deff``)
    allocation_of(strata, sizes, *, sd=None, p=None, deff=1.0, level=0.95) -> Allocation
        the precision of a given allocation (sizes: stratum -> n)
    Allocation: frozen; .method .n .level .margin .deff (Kish) .table; .to_frame()
        (stratum, population, sd, target, n, share, margin)
    gross_sample(net, response_rate) -> int | dict      (per domain with mappings)
    from_baseline(design, *, domain=None, means=(), shares=None, dispositions=None,
                  rate="RR1", e=None, label="baseline") -> BaselineInputs
    BaselineInputs: frozen; .inputs (domain, input, item, value, source);
        .value(input, domain="(all)", item=""); .table(item="")
    draw(frame, allocation, *, strata="municipality", method="srswor", sort_by=None, seed,
         id_column=None, keep_ids=False, key_file=None) -> Draw
        method: "srswor" | "systematic" | "poisson"; frame: DataFrame or CSV/XLSX/Parquet
        path; allocation: mapping stratum -> n or an Allocation
    Draw: frozen; .sample (with stratum, inclusion_prob, design_weight, stratum_size)
        .design() -> SurveyDesign, .to_frame() per stratum, .summary(), .invitations

Proportions are fractions (0.05 is five points); margins are half-widths of normal
confidence intervals; a change is tested two-sided. See each function for its formula and the
R function that gives the same number.
"""

from surveykit.planning._allocation import Allocation, allocate, allocation_of
from surveykit.planning._alpha import adjusted_alpha, describe_adjustment
from surveykit.planning._baseline import BaselineInputs, from_baseline
from surveykit.planning._change import mde, n_for_change, power_for_change
from surveykit.planning._draw import draw
from surveykit.planning._draw_result import Draw
from surveykit.planning._gross import gross_sample
from surveykit.planning._precision import margin_of_error, n_for_margin

__all__ = [
    "Allocation",
    "BaselineInputs",
    "Draw",
    "adjusted_alpha",
    "allocate",
    "allocation_of",
    "describe_adjustment",
    "draw",
    "from_baseline",
    "gross_sample",
    "margin_of_error",
    "mde",
    "n_for_change",
    "n_for_margin",
    "power_for_change",
]
