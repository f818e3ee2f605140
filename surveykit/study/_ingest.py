"""Study stages 1-3: ingest every wave, exclude rows by the study's rules, check errors."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import IngestionError, StudyError
from surveykit.ingestion import Responses, read_responses
from surveykit.instruments import Instrument, load_instrument
from surveykit.study._model import ExclusionSpec, WaveSpec

__all__ = ["WaveData", "exclude_rows", "ingest_wave", "resolve_instrument", "sha256_file"]


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class WaveData:
    """One wave after ingestion and exclusion.

    Attributes
    ----------
    spec : WaveSpec
        The wave's entry in the study file.
    instrument : Instrument
        The instrument version the data were read with.
    raw : Responses
        Responses as read (every row, the full report).
    responses : Responses
        Responses after the exclusions (``accounting.exclusions`` says which and why).
    inputs : dict
        ``{role: (path, sha256)}`` of the data and deployment files.
    errors_left : int
        Validation errors left after exclusion (non-zero only with ``on_errors="continue"``).
    """

    spec: WaveSpec
    instrument: Instrument
    raw: Responses
    responses: Responses
    inputs: dict[str, tuple[Path, str]] = field(default_factory=dict)
    errors_left: int = 0


def resolve_instrument(ref: str, base: Path) -> Instrument:
    """Load ``name@version`` from the bundled instruments, or a YAML path relative to ``base``."""
    if "@" in ref and not ref.endswith((".yaml", ".yml")):
        name, version = ref.split("@", 1)
        return load_instrument(name, version=version)
    return load_instrument(str(base / ref))


def _path(root: Path, relative: str, key: str) -> Path:
    path = root / relative
    if not path.is_file():
        raise StudyError(f"{key}: file {str(path)!r} does not exist (paths are relative to the "
                         f"data root {str(root)!r}; pass --data-root / data_root= to point "
                         "elsewhere).")
    return path


def ingest_wave(spec: WaveSpec, index: int, root: Path, study_dir: Path) -> WaveData:
    """Read one wave's file with its instrument and deployment (stage 1)."""
    inst = resolve_instrument(spec.instrument, study_dir)
    data_path = _path(root, spec.data, f"waves[{index}].data")
    inputs = {"data": (data_path, sha256_file(data_path))}
    deployment = None
    if spec.deployment:
        deployment = _path(root, spec.deployment, f"waves[{index}].deployment")
        inputs["deployment"] = (deployment, sha256_file(deployment))
    try:
        resp = read_responses(data_path, instrument=inst, source=spec.platform, wave=spec.id,
                              deployment=deployment)
    except IngestionError as exc:
        raise StudyError(f"waves[{index}] ({spec.id}): {exc}") from exc
    return WaveData(spec, inst, resp, resp, inputs)


def _outside_universe(resp: Responses, inst: Instrument, expression: str) -> pd.Index:
    inside = inst.evaluate(expression, resp.data)
    keep = inside.astype("boolean").fillna(False).to_numpy(dtype=bool)
    return resp.data.index[~keep]


def exclude_rows(wave: WaveData, rules: ExclusionSpec, on_errors: str) -> WaveData:
    """Apply the study's exclusions, then check what validation errors are left (stages 2-3).

    Rows outside ``universe`` go first (recorded with rule ``manual`` and the expression as
    the reason), then the rows named by ``rules``. Errors left after that stop the run
    (``on_errors="stop"``), are excluded (``"exclude"``) or are kept and counted
    (``"continue"``).
    """
    resp = wave.responses
    if rules.universe:
        out = _outside_universe(resp, wave.instrument, rules.universe)
        if len(out):
            resp = resp.exclude(rows=out, reason=f"outside the universe: not ({rules.universe})")
    if rules.rules:
        resp = resp.exclude(list(rules.rules))
    errors = resp.report.errors
    left = 0
    if len(errors):
        if on_errors == "stop":
            first = errors.iloc[0]
            raise StudyError(
                f"wave {wave.spec.id}: {len(errors)} validation error(s) remain after exclusion "
                f"in {wave.inputs['data'][0].name} (first: row {first['row']}, "
                f"{first['var']}: {first['rule']}: {first['message']}). Fix the data, add the "
                "rule to exclusions.rules, or run with on_errors='exclude' / --on-errors "
                "exclude.", stage="validate")  # CLI: exit 1, findings
        if on_errors == "exclude":
            resp = resp.exclude(severity="error")
        else:
            left = int(errors["row"].nunique())
    return WaveData(wave.spec, wave.instrument, wave.raw, resp, wave.inputs, left)


def exclusion_summary(wave: WaveData) -> pd.DataFrame:
    """Rows excluded per rule (a row may be named by several rules; counted once, first rule)."""
    ex = wave.responses.accounting.exclusions
    if not len(ex):
        return pd.DataFrame({"rule": pd.Series(dtype=str), "reason": pd.Series(dtype=str),
                             "rows": pd.Series(dtype=np.int64)})
    first = ex.drop_duplicates("row")
    out = first.groupby(["rule", "reason"], sort=True).size().rename("rows").reset_index()
    return out


def accounting_record(wave: WaveData) -> dict[str, Any]:
    """Read / accepted / excluded counts of a wave, for the manifest and the methods."""
    a = wave.responses.accounting
    return {"read": a.read, "accepted": a.accepted, "excluded": a.excluded,
            "errors_left": wave.errors_left,
            "excluded_by_rule": {r: int(n) for r, n in
                                 exclusion_summary(wave).groupby("rule")["rows"].sum().items()}}
