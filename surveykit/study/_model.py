"""The study file (``analysis/<study>/study.yaml``): a frozen, validated pydantic model.

A study file names everything a study run needs::

    schema: surveykit.study/1
    id: reputation_2026
    title: {nb: "...", en: "..."}
    data_root: .                 # data paths are relative to it (relative to the study file)
    allow_outside: [../population]   # folders outside data root and study folder to read from
    waves:                       # one entry per data file
      - {id: "2024", instrument: reputation@1.0.0, data: data/2024-questback.sav,
         platform: questback, deployment: deployments/2024-questback.yaml, population_year: 2025}
    dispositions: dispositions.json          # AAPOR disposition counts per wave (optional)
    exclusions: {rules: [partial, speeder], universe: "${municipality} != 9999", on_errors: stop}
    derive:                                  # analysis variables built from items
      - {name: age_group, from: age, bins: {"20-24": [20, 24], "25-29": [25, 29]}}
      - {name: sex_binary, from: sex, map: {1: male, 2: female},
         impute: {method: hot_deck, by: [age_group], seed: 1}}
    weighting: {method: rake, population: ../population/pop.csv, count: pop_jan1_n,
                margins: [{sample: municipality, population: knr}], trim: {upper: 5}}
    design: {strata: null, psu: null}
    analysis: {items: all, domains: [municipality], indices: all, comparisons: [...]}
    report: {language: nb, suppress_below: 5, outputs: [html, docx, xlsx]}
    banners: {banner: [municipality, age_group, sex], rows: all, adjustment: holm}

:func:`load_study_file` reads and validates one; every problem is reported at once as a
:class:`~surveykit.StudyError` naming the file, the key path, what was expected and the fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from surveykit._yaml import YamlError, describe, load_yaml
from surveykit.errors import StudyError

__all__ = [
    "WAVE_COLUMN",
    "AnalysisSpec",
    "BannerSpec",
    "ComparisonSpec",
    "DeriveSpec",
    "DesignSpec",
    "ExclusionSpec",
    "ImputeSpec",
    "MarginSpec",
    "ParticipationSpec",
    "ReportSpec",
    "StudyFile",
    "TrimSpec",
    "WaveSpec",
    "WeightingSpec",
    "load_study_file",
]

_REF = re.compile(r"^[a-z][a-z0-9_]*@\d+\.\d+\.\d+$")
_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
#: in ``banners.banner``: a column per wave (the banner variable of surveykit.banner)
WAVE_COLUMN = "wave"
LocalizedText = dict[str, str]
Scalar = int | float | str | bool


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class WaveSpec(_Frozen):
    """One data file: its wave label, instrument version, platform and deployment."""

    id: str = Field(description="Wave label, e.g. '2026'; stamped on every row.")
    instrument: str = Field(description="Bundled instrument as 'name@version' or a YAML path.")
    data: str = Field(description="Data file, relative to data_root.")
    platform: str = Field("auto", description="Platform layout (read_responses' source=).")
    deployment: str | None = Field(None, description="Deployment file, relative to data_root.")
    population_year: int | None = Field(None, description="Year of the weighting margins.")
    label: LocalizedText | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _wave_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("instrument")
    @classmethod
    def _instrument_ref(cls, value: str) -> str:
        if not (_REF.match(value) or value.endswith((".yaml", ".yml"))):
            raise ValueError(f"expected 'name@version' (e.g. 'reputation@2.0.0') or a path to an "
                             f"instrument .yaml file, got {value!r}")
        return value


class ExclusionSpec(_Frozen):
    """Which rows leave the analysis, and what validation errors do to the run."""

    rules: tuple[str, ...] = Field((), description="ValidationReport rules whose rows go.")
    universe: str | None = Field(None, description="Expression true for rows in the universe.")
    on_errors: Literal["stop", "exclude", "continue"] = Field(
        "stop", description="Errors left after exclusion: stop the run, exclude the rows, "
        "or continue (recorded in the manifest).")

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from surveykit.ingestion import RULES

        unknown = [r for r in value if r not in RULES]
        if unknown:
            raise ValueError(f"unknown rule(s) {unknown}; expected some of {sorted(RULES)}")
        return value


class ImputeSpec(_Frozen):
    """Seeded hot-deck imputation of a derived weighting variable's missing values."""

    method: Literal["hot_deck"] = "hot_deck"
    by: tuple[str, ...] = Field((), description="Donor classes (derived or item variables).")
    seed: int = Field(description="Random seed; recorded in the manifest.")


class DeriveSpec(_Frozen):
    """An analysis variable built from one column by bins or a code map."""

    name: str = Field(pattern=_NAME)
    source: str = Field(alias="from", description="The column it is built from.")
    bins: dict[str, tuple[float, float]] | None = Field(
        None, description="label: [low, high], both inclusive.")
    map: dict[str, str] | None = Field(None, description="code: label; other codes -> missing.")
    impute: ImputeSpec | None = None
    label: LocalizedText | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> DeriveSpec:
        if (self.bins is None) == (self.map is None):
            raise ValueError("give exactly one of 'bins' or 'map'")
        for lab, (lo, hi) in (self.bins or {}).items():
            if lo > hi:
                raise ValueError(f"bins[{lab!r}] low {lo} is above high {hi}")
        return self


class MarginSpec(_Frozen):
    """One raking margin: sample variable(s) and the population column(s) they match."""

    sample: str | tuple[str, ...]
    population: str | tuple[str, ...]
    map: dict[str, str] | None = Field(
        None, description="Population level -> sample level (when the codings differ).")

    @model_validator(mode="after")
    def _same_arity(self) -> MarginSpec:
        a = 1 if isinstance(self.sample, str) else len(self.sample)
        b = 1 if isinstance(self.population, str) else len(self.population)
        if a != b:
            raise ValueError(f"'sample' names {a} variable(s) but 'population' names {b}")
        return self


class TrimSpec(_Frozen):
    """Weight trimming bounds, relative to the mean weight."""

    upper: float | None = Field(None, gt=1)
    lower: float | None = Field(None, ge=0, lt=1)


class WeightingSpec(_Frozen):
    """Population margins and the weighting method."""

    method: Literal["rake", "poststratify", "none"] = "rake"
    population: str | None = Field(None, description="Long population table (CSV).")
    count: str = "pop_jan1_n"
    year_column: str | None = Field("year_jan1", description="Filtered by population_year.")
    where: dict[str, Scalar | list[Scalar]] = Field(default_factory=dict)
    margins: tuple[MarginSpec, ...] = ()
    trim: TrimSpec | None = None
    tol: float = Field(1e-10, gt=0)
    max_iter: int = Field(1000, ge=1)

    @model_validator(mode="after")
    def _targets_given(self) -> WeightingSpec:
        if self.method != "none" and (self.population is None or not self.margins):
            raise ValueError(f"method {self.method!r} needs 'population' and 'margins'")
        if self.method == "poststratify" and len(self.margins) != 1:
            raise ValueError("poststratify takes one (possibly crossed) margin")
        return self


class DesignSpec(_Frozen):
    """Sampling design columns (none: equal-probability sample of respondents)."""

    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    lonely_psu: Literal["fail", "adjust", "average", "certainty", "remove"] = "fail"


class ComparisonSpec(_Frozen):
    """Compare two waves (the first is the reference), through the instruments' crosswalk."""

    id: str = Field(pattern=_NAME)
    waves: tuple[str, str]
    items: Literal["all"] | tuple[str, ...] = "all"
    adjust: Literal["bh", "holm", "bonferroni", "none"] = Field(
        "bh", description="Multiple-comparison adjustment (bh: Benjamini-Hochberg FDR).")
    by: tuple[str, ...] = Field((), description="Domains compared one by one (optional).")
    min_base: int = Field(30, ge=1, description="Smaller unweighted bases are flagged.")
    measures: dict[str, Literal["mean", "mean_pomp", "proportion", "nps", "top_box",
                                "top_two_box"]] = Field(
        default_factory=dict,
        description="Measure per item where the automatic choice does not fit, e.g. "
                    "{education: proportion} for an ordered but categorical item.")

    @field_validator("waves", mode="before")
    @classmethod
    def _waves_as_text(cls, value: Any) -> Any:
        return [str(v) if isinstance(v, int) else v for v in value] if isinstance(
            value, list | tuple) else value


class AnalysisSpec(_Frozen):
    """Which items, indices and domains are estimated, and which comparisons are made."""

    items: Literal["all"] | tuple[str, ...] = "all"
    exclude_items: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    indices: Literal["all"] | tuple[str, ...] = "all"
    nps: tuple[str, ...] = Field((), description="0-10 items reported as Net Promoter Scores.")
    measures: dict[str, Literal["nominal", "ordinal", "interval"]] = Field(
        default_factory=dict,
        description="Measurement level per item (item id, grid row key or data column), "
                    "overriding the instrument's: nominal and ordinal items get shares, "
                    "interval items a mean as well (in the wave tables and comparisons).")
    comparisons: tuple[ComparisonSpec, ...] = ()
    confidence_level: float = Field(0.95, gt=0, lt=1)


class ReportSpec(_Frozen):
    """Report language, disclosure control and output formats."""

    language: Literal["nb", "en"] = "nb"
    suppress_below: int = Field(5, ge=1)
    outputs: tuple[Literal["html", "docx", "xlsx"], ...] = ("html", "docx", "xlsx")
    include_free_text: bool = False
    charts: bool = True
    frequencies_by_domain: bool = Field(
        False, description="Also print every frequency table by each domain (the numbers "
        "are always in tables/estimates.csv); means and indices are printed by domain.")


class ParticipationSpec(_Frozen):
    """Meeting-place lists (relative to data_root) and the participation target."""

    events: str = Field(description="Event register (CSV/XLSX/YAML): event_id, concept, date.")
    attendance: str | tuple[str, ...] = Field(
        description="Sign-up/check-in export(s), read together: the first row of a person at "
        "an event counts (list the check-in sheet first); rows marked not attended are "
        "no-shows.")
    participants: str | None = Field(None, description="Participant list with attributes.")
    feedback_wave: str | None = Field(None, description="Wave holding the feedback forms.")
    target: int = Field(300, ge=1, description="Distinct participants the project aims for.")


class BannerSpec(_Frozen):
    """Banner tables ("krysstabeller"): which questions by which background variables.

    The tables are made of one wave's weighted design (``wave``, default the last one);
    ``surveykit run`` writes them to ``banner.xlsx`` and, unless ``appendix: false``, adds
    them to the appendix.
    """

    banner: tuple[str, ...] = Field(
        min_length=1, description="Banner variables across the top (item or derived "
        "variables, e.g. [municipality, age_group, sex]); a total column comes first. "
        "'wave' adds a column per wave, each from its own weighted design (items through "
        "the crosswalk, as the comparisons).")
    rows: Literal["all"] | tuple[str, ...] = Field(
        "all", description="Questions down the side: item ids (a grid id gives every row), "
        "grid rows (pulse.trust) or data columns; 'all' is every analysed item but the "
        "banner variables.")
    wave: str | None = Field(None, description="Wave the tables are made of (default: the "
                             "last wave of the study file); with 'wave' in banner, the wave "
                             "the other columns show.")
    level: float = Field(0.95, gt=0, lt=1, description="Level of the upper-case letters.")
    second_level: float | None = Field(
        None, gt=0, lt=1, description="Lower level of the lower-case letters (e.g. 0.90).")
    adjustment: Literal["none", "bonferroni", "holm", "bh"] = Field(
        "none", description="Multiplicity adjustment per row and banner variable.")
    min_base: int = Field(30, ge=1, description="Columns with fewer respondents are shown "
                          "with '*' and not tested.")
    nets: Literal["top2", "top1", "none"] = Field(
        "top2", description="Net rows of Likert items (top and bottom two or one boxes).")
    layout: Literal["sheets", "long"] = Field(
        "sheets", description="banner.xlsx: one sheet per question, or one long sheet.")
    labels: dict[str, LocalizedText] = Field(
        default_factory=dict, description="Heading per banner variable, e.g. "
        "{municipality: {nb: Kommune, en: Municipality}} (default: the derived variable's "
        "label, else the question text).")
    appendix: bool = Field(True, description="Also add the tables to the appendix.")

    @field_validator("wave", mode="before")
    @classmethod
    def _wave_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _levels_in_order(self) -> BannerSpec:
        if self.second_level is not None and self.second_level >= self.level:
            raise ValueError(f"second_level ({self.second_level}) must be below level "
                             f"({self.level}): lower-case letters mark the weaker evidence, "
                             "e.g. level: 0.95, second_level: 0.90")
        repeated = sorted({b for b in self.banner if self.banner.count(b) > 1})
        if repeated:
            raise ValueError(f"banner: each variable once (repeated: {repeated})")
        unknown = sorted(set(self.labels) - set(self.banner))
        if unknown:
            raise ValueError(f"labels: {unknown} are not banner variables {list(self.banner)}")
        return self


class StudyFile(_Frozen):
    """A validated study file; see the module docstring for the layout.

    Examples
    --------
    >>> spec = StudyFile.model_validate({
    ...     "schema": "surveykit.study/1", "id": "mini", "title": {"en": "Mini"},
    ...     "waves": [{"id": 2026, "instrument": "reputation@2.0.0", "data": "a.csv"}]})
    >>> spec.waves[0].id, spec.report.language
    ('2026', 'nb')

    """

    schema_version: Literal["surveykit.study/1"] = Field(alias="schema")
    id: str = Field(pattern=_NAME)
    title: LocalizedText
    data_root: str = "."
    allow_outside: bool | tuple[str, ...] = Field(
        False, description="Input paths must lie in the data root or the study folder; true "
        "allows any path, a list names further folders (relative to the data root).")
    seed: int = 20260301
    waves: tuple[WaveSpec, ...] = Field(min_length=1)
    dispositions: str | None = None
    exclusions: ExclusionSpec = Field(default_factory=lambda: ExclusionSpec.model_validate({}))
    derive: tuple[DeriveSpec, ...] = ()
    weighting: WeightingSpec = Field(
        default_factory=lambda: WeightingSpec.model_validate({"method": "none"}))
    design: DesignSpec = Field(default_factory=DesignSpec)
    analysis: AnalysisSpec = Field(default_factory=lambda: AnalysisSpec.model_validate({}))
    report: ReportSpec = Field(default_factory=lambda: ReportSpec.model_validate({}))
    participation: ParticipationSpec | None = None
    banners: BannerSpec | None = None

    @model_validator(mode="after")
    def _cross_checks(self) -> StudyFile:
        ids = [w.id for w in self.waves]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"waves: wave ids must be unique (repeated: {dup})")
        for c in self.analysis.comparisons:
            unknown = [w for w in c.waves if w not in ids]
            if unknown:
                raise ValueError(f"analysis.comparisons[{c.id}].waves: unknown wave(s) {unknown}; "
                                 f"the study's waves are {ids}")
        if self.weighting.method != "none" and any(w.population_year is None
                                                     for w in self.waves):
            missing = [w.id for w in self.waves if w.population_year is None]
            raise ValueError(f"waves {missing}: 'population_year' is needed for weighting")
        names = [d.name for d in self.derive]
        if len(set(names)) != len(names):
            raise ValueError(f"derive: names must be unique (got {names})")
        b = self.banners
        if b is not None and b.wave is not None and b.wave not in ids:
            raise ValueError(f"banners.wave: unknown wave {b.wave!r}; the study's waves are "
                             f"{ids}")
        if b is not None and WAVE_COLUMN in b.banner and len(ids) < 2:
            raise ValueError(f"banners.banner: {WAVE_COLUMN!r} makes a column per wave and "
                             f"needs at least two waves (the study has {ids}); leave it out")
        p = self.participation
        if p is not None and p.feedback_wave is not None and p.feedback_wave not in ids:
            raise ValueError(f"participation.feedback_wave: unknown wave {p.feedback_wave!r}; "
                             f"the study's waves are {ids}")
        return self


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _problems(exc: ValidationError) -> list[dict[str, str]]:
    found = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(
            ("function-", "literal[", "tuple[", "list["))))
        msg = err["msg"].removeprefix("Value error, ")
        fix = "see the study file keys in surveykit.study.StudyFile"
        if err["type"] == "extra_forbidden":
            msg, fix = "unknown key", "remove it or check its spelling"
        elif err["type"] == "missing":
            msg, fix = "required key is missing", "add it"
        elif err["type"] == "literal_error":
            fix = "use one of the listed values"
        found.append({"path": _loc(loc), "message": msg,
                      "got": repr(err.get("input"))[:80], "fix": fix})
    return found


def read_mapping(path: str | Path, kind: str, keys: str) -> tuple[Path, dict[str, Any]]:
    """Read a ``study.yaml`` or ``plan.yaml`` (``kind``) that must hold a mapping of ``keys``.

    Returns the path and the mapping; raises StudyError when the file is missing, is not
    YAML (with the line, in ``.problems``) or holds something else than a mapping.
    """
    p = Path(path)
    if not p.is_file():
        raise StudyError(f"{kind} file {str(p)!r} does not exist. Pass the path of a "
                         f"{kind}.yaml (e.g. analysis/reputation_2026/{kind}.yaml).")
    try:
        data = load_yaml(p.read_bytes()).data
    except YamlError as exc:
        raise StudyError(f"{p}: not valid YAML: {describe(exc)}.", problems=[
            {"file": str(p), "path": exc.path, "message": exc.message,
             "fix": "correct the file there", "got": ""}]) from None
    if not isinstance(data, dict):
        raise StudyError(f"{p}: a {kind} file must be a mapping of keys ({keys}, ...).")
    return p, data


def load_study_file(path: str | Path) -> StudyFile:
    """Read and validate a study file.

    Parameters
    ----------
    path : str or path-like
        The ``study.yaml`` file.

    Returns
    -------
    StudyFile

    Raises
    ------
    StudyError
        The file is missing or not YAML, or keys are wrong: one line per problem with the
        key path, what was expected, what was found and the fix (also in ``.problems``).

    """
    p, data = read_mapping(path, "study", "schema, id, waves")
    try:
        return StudyFile.model_validate(data)
    except ValidationError as exc:
        found = [{"file": str(p), **f} for f in _problems(exc)]
        lines = [f"{p}: {f['path']}: {f['message']} (got {f['got']}); fix: {f['fix']}"
                 for f in found]
        raise StudyError(f"{len(found)} problem(s) in the study file: " + " | ".join(lines),
                         problems=found) from None
