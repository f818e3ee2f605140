"""The run manifest: what produced a study's outputs, and (separately) how long it took.

``manifest.json`` is deterministic: the same study file, inputs and surveykit version give
the same bytes (paths are relative, no clock times). ``timings.json`` holds what naturally
differs between runs: the start time and the seconds of each stage and weighting step.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._version import __version__
from surveykit._writing import write_atomic

__all__ = ["Timings", "build_manifest", "dependency_versions", "weighting_record",
           "write_json"]

MANIFEST_SCHEMA = "surveykit.manifest/1"


def _plain(value: Any) -> Any:
    """JSON-safe copy: numpy scalars to Python, tuples to lists, NaN to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def write_json(path: Path, content: Any) -> None:
    """Write indented, key-ordered-as-given UTF-8 JSON with a final newline."""
    text = json.dumps(_plain(content), indent=2, ensure_ascii=False, default=str) + "\n"
    write_atomic(path, text)


def dependency_versions() -> dict[str, str]:
    """Versions of Python and the numerical libraries that shape the numbers."""
    import scipy

    return {"python": platform.python_version(), "numpy": np.__version__,
            "pandas": pd.__version__, "scipy": scipy.__version__}


def weighting_record(design: Any) -> list[dict[str, Any]]:
    """Return the weighting history of a design without clock times (see timings)."""
    steps = []
    for step in design.weighting_history:
        targets = step.targets
        steps.append({
            "method": step.method,
            "options": {k: v for k, v in dict(step.options).items()
                        if isinstance(v, str | int | float | bool | type(None))},
            "iterations": int(step.iterations),
            "tolerance": float(step.tolerance),
            "converged": bool(step.converged),
            "targets": len(targets),
            "max_relative_misfit": float(
                ((targets["achieved"] - targets["target"]).abs() / targets["target"]).max()
            ) if len(targets) else 0.0,
            "details": {k: v for k, v in dict(step.details).items()
                        if isinstance(v, str | int | float | bool | type(None))},
        })
    return steps


def build_manifest(study: dict[str, Any], waves: list[dict[str, Any]],
                   outputs: dict[str, str]) -> dict[str, Any]:
    """Assemble the manifest from the study facts, per-wave records and output digests."""
    return {
        "schema": MANIFEST_SCHEMA,
        "surveykit_version": __version__,
        "software": dependency_versions(),
        "study": study,
        "waves": waves,
        "outputs": dict(sorted(outputs.items())),
        "timings": "timings.json (kept apart so that this file is identical from run to run)",
    }


class Timings:
    """Wall-clock seconds of each stage (``with timings.stage("weight"): ...``)."""

    def __init__(self) -> None:
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.stages: dict[str, float] = {}
        self.extra: dict[str, Any] = {}
        self._t0 = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a block; repeated names add up."""
        t = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t

    def to_dict(self) -> dict[str, Any]:
        """Start time, total and per-stage seconds, and the weighting steps' seconds."""
        return {"started": self.started, "python": sys.version.split()[0],
                "total_seconds": round(time.perf_counter() - self._t0, 3),
                "stages": {k: round(v, 3) for k, v in self.stages.items()}, **self.extra}
