"""The plan file (``analysis/<study>/plan.yaml``), a frozen, validated pydantic model.

It says what the next wave must detect, from which baseline, and which allocations to
compare::

    schema: surveykit.plan/1
    id: reputation_2026_plan
    title: {nb: "...", en: "..."}
    study: study.yaml            # the study whose wave is the baseline (relative to this file)
    baseline: "2024"             # the baseline wave
    next_wave: "2026"            # label of the planned wave
    population_year: 2026        # margins of the study's weighting table for the strata
    domain: municipality         # the strata: a weighting margin of the study
    net_n: 1500                  # net interviews of the planned wave
    power: 0.8
    alpha: 0.05
    response_rate: {rate: RR1}   # from the baseline's dispositions, or {value: 0.3}
    targets:
      - {id: pulse_t2b, share: {column: pulse_feeling.num, codes: [6, 7]}, change: 0.05}
      - {id: pulse_mean, mean: pulse_feeling.num, change: 0.2}
    allocations:
      - {method: proportional}
      - {method: bankier, power_q: 0.5}
      - {method: minimum, minimum: 200}
    report: {language: nb, outputs: [html, docx, xlsx]}

:func:`load_plan_file` reads and validates one; every problem is reported at once as a
:class:`~surveykit.StudyError` naming the file, the key path and the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from surveykit.errors import StudyError
from surveykit.study._model import read_mapping

__all__ = ["AllocationSpec", "PlanFile", "ShareSpec", "TargetSpec", "load_plan_file"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ShareSpec(_Frozen):
    """A share planned for: the answers among ``codes`` of ``column``."""

    column: str
    codes: list[int | float | str] = Field(min_length=1)


class TargetSpec(_Frozen):
    """One change the next wave must detect: of a share or of a mean."""

    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: dict[str, str] | None = None
    share: ShareSpec | None = None
    mean: str | None = None
    change: float = Field(description="Smallest change worth detecting (0.05 = 5 points).")

    @model_validator(mode="after")
    def _one_kind(self) -> TargetSpec:
        if (self.share is None) == (self.mean is None):
            raise ValueError("give exactly one of 'share' and 'mean'")
        if self.change == 0:
            raise ValueError("'change' is 0: give the smallest change worth detecting")
        return self


class AllocationSpec(_Frozen):
    """One allocation to compare (see ``sk.plan.allocate``)."""

    method: Literal["proportional", "equal", "neyman", "bankier", "minimum"]
    minimum: int | None = Field(None, ge=1)
    power_q: float = Field(0.5, ge=0, le=1)
    target: str | None = Field(None, description="Target whose unit SD Neyman/Bankier use "
                               "(default: the first).")

    @model_validator(mode="after")
    def _minimum(self) -> AllocationSpec:
        if self.method == "minimum" and self.minimum is None:
            raise ValueError("method 'minimum' needs 'minimum' (net interviews per stratum)")
        return self


class RateSpec(_Frozen):
    """The expected response rate: an AAPOR rate of the baseline dispositions, or a value."""

    rate: str = "RR1"
    value: float | None = Field(None, gt=0, le=1)


class PlanReportSpec(_Frozen):
    """Language and formats of the planning appendix."""

    language: Literal["nb", "en"] = "nb"
    outputs: list[Literal["html", "docx", "xlsx"]] = ["html", "docx", "xlsx"]


class PlanFile(_Frozen):
    """A validated plan file (see the module notes)."""

    schema_: Literal["surveykit.plan/1"] = Field(alias="schema")
    id: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    title: dict[str, str]
    study: str
    baseline: str
    next_wave: str
    population_year: int | None = None
    domain: str
    net_n: int = Field(ge=2)
    power: float = Field(0.8, gt=0, lt=1)
    alpha: float = Field(0.05, gt=0, lt=1)
    comparisons: int = Field(1, ge=1)
    adjustment: Literal["none", "bonferroni", "bh"] = "none"
    expected_rejections: int | None = Field(None, ge=1)
    overlap: float = Field(0.0, ge=0, le=1)
    correlation: float = Field(0.0, ge=-1, le=1)
    level: float = Field(0.95, gt=0, lt=1)
    response_rate: RateSpec = Field(default_factory=lambda: RateSpec(rate="RR1", value=None))
    targets: list[TargetSpec] = Field(min_length=1)
    allocations: list[AllocationSpec] = Field(min_length=1)
    report: PlanReportSpec = Field(default_factory=lambda: PlanReportSpec())

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _targets_named(self) -> PlanFile:
        ids = [t.id for t in self.targets]
        unknown = [a.target for a in self.allocations if a.target and a.target not in ids]
        if unknown:
            raise ValueError(f"allocations name targets {unknown} that are not in {ids}")
        if self.adjustment == "bh" and self.expected_rejections is None:
            raise ValueError("adjustment 'bh' needs 'expected_rejections'")
        return self


def load_plan_file(path: str | Path) -> PlanFile:
    """Read and validate a plan file.

    Raises
    ------
    StudyError
        The file is missing or not YAML, or keys are wrong: one line per problem with the
        key path, what was found and the fix.

    Examples
    --------
    >>> load_plan_file("analysis/reputation_2026/plan.yaml").net_n  # doctest: +SKIP
    1500

    """
    p, data = read_mapping(path, "plan", "schema, id, study")
    try:
        return PlanFile.model_validate(data)
    except ValidationError as exc:
        lines = [f"{'.'.join(str(x) for x in e['loc']) or '(top)'}: {e['msg']} "
                 f"(got {_short(e.get('input'))})" for e in exc.errors()]
        raise StudyError(f"{len(lines)} problem(s) in the plan file {p}: " + " | ".join(lines)
                         + "; fix these keys (see surveykit/study/_plan_model.py for the "
                         "layout).") from None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
