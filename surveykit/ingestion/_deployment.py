"""Deployment files: how one platform export of one wave maps onto the instrument.

A deployment file lives with its study, ``analysis/<study>/deployments/<wave>-<platform>.yaml``::

    schema: surveykit.deployment/1
    instrument: reputation@2.0.0         # optional; checked against the instrument used
    wave: "2026"                         # default: the <wave> part of the file name
    platform: nettskjema                 # default: the <platform> part of the file name
    respondent_id: $submission_id        # column holding the respondent id
    duration: {column: $answer_time_ms, unit: milliseconds}
    complete: {column: dispcode, values: [31, 32]}
    columns: {q1: age, kommune: municipality, q7_3: needs__jobs}   # platform -> instrument
    codes: {municipality: {"1": 3403, "2": 3411, "-1": null}}      # platform -> instrument code
    options: {needs: {Bolig: housing, "1": housing}}              # multi-select tokens
    ignore: [ip_hash, panel_source]      # columns that are expected but not used
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from surveykit._yaml import YamlError, describe, load_yaml
from surveykit.errors import IngestionError

__all__ = ["Deployment", "load_deployment"]

Scalar = int | float | str | None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class DurationSpec(_Frozen):
    """Column with the total response time and its unit."""

    column: str
    unit: Literal["seconds", "milliseconds", "minutes"] = "seconds"


class CompleteSpec(_Frozen):
    """Column whose listed values mark a completed response."""

    column: str
    values: tuple[int | str, ...] = Field(min_length=1)


class Deployment(_Frozen):
    """One platform export's mapping to an instrument (see the module docstring).

    Examples
    --------
    >>> d = Deployment(platform="generic", columns={"Q1": "age"})
    >>> d.columns["Q1"]
    'age'

    """

    schema_version: Literal["surveykit.deployment/1"] = Field(
        "surveykit.deployment/1", alias="schema"
    )
    instrument: str | None = None
    wave: str | None = None
    platform: str | None = None
    respondent_id: str | None = None
    duration: DurationSpec | None = None
    complete: CompleteSpec | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    codes: dict[str, dict[str, Scalar]] = Field(default_factory=dict)
    options: dict[str, dict[str, str]] = Field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    source: str | None = Field(None, exclude=True)


def load_deployment(spec: str | os.PathLike[str] | dict[str, Any] | Deployment) -> Deployment:
    """Load a deployment from a YAML file, a dict or return a ``Deployment`` as is.

    Raises
    ------
    IngestionError
        The file is missing or not YAML, or a key is unknown or has the wrong type (the
        message names the file and the key path).

    """
    if isinstance(spec, Deployment):
        return spec
    if isinstance(spec, dict):
        return _validate(spec, "<dict>", {})
    path = Path(spec)
    if not path.is_file():
        raise IngestionError(f"deployment file {str(path)!r} does not exist.")
    try:
        data = load_yaml(path.read_bytes()).data
    except YamlError as exc:
        raise IngestionError(
            f"{path}: not a valid YAML deployment file: {describe(exc)}."
        ) from None
    if not isinstance(data, dict):
        raise IngestionError(f"{path}: a deployment file must be a mapping of keys.")
    stem = path.stem
    defaults = {}
    if "-" in stem:
        wave, platform = stem.split("-", 1)
        defaults = {"wave": wave, "platform": platform}
    return _validate(data, str(path), defaults)


def _validate(data: dict[str, Any], source: str, defaults: dict[str, str]) -> Deployment:
    merged = {**defaults, **{k: v for k, v in data.items()}}
    for key in ("wave",):
        if merged.get(key) is not None:
            merged[key] = str(merged[key])
    codes = merged.get("codes")
    if isinstance(codes, dict):
        merged["codes"] = {
            var: {str(k): v for k, v in m.items()} if isinstance(m, dict) else m
            for var, m in codes.items()
        }
    options = merged.get("options")
    if isinstance(options, dict):
        merged["options"] = {
            var: {str(k): str(v) for k, v in m.items()} if isinstance(m, dict) else m
            for var, m in options.items()
        }
    try:
        return Deployment.model_validate({**merged, "source": source})
    except ValidationError as exc:
        lines = [
            f"  {'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})"
            for e in exc.errors()
        ]
        raise IngestionError(
            f"{source}: invalid deployment file:\n" + "\n".join(lines)
            + "\nSee the surveykit.deployment/1 keys in the ingestion docs."
        ) from None
