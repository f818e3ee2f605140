"""JSON Schemas of the instrument and crosswalk file formats, generated from the models.

Editors use them for completion and checks, e.g. with the YAML language server put
``# yaml-language-server: $schema=../schema/instrument.schema.json`` at the top of an
instrument file. The committed copies live in ``instruments/schema/``; regenerate them
with ``python -m surveykit.instruments._jsonschema instruments/schema`` after changing a
model (a test checks they are current).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from surveykit.instruments._crosswalk import CrosswalkSpec
from surveykit.instruments._schema import InstrumentSpec

__all__ = ["json_schemas", "write_json_schemas"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schemas() -> dict[str, dict[str, Any]]:
    """Return ``{file name: JSON Schema}`` for the instrument and crosswalk formats.

    Examples
    --------
    >>> sorted(json_schemas())
    ['crosswalk.schema.json', 'instrument.schema.json']

    """
    out = {}
    for name, model, title in (
        ("instrument.schema.json", InstrumentSpec, "surveykit instrument file"),
        ("crosswalk.schema.json", CrosswalkSpec, "surveykit crosswalk file"),
    ):
        schema = model.model_json_schema(by_alias=True, mode="validation")
        out[name] = {"$schema": _DRAFT, **schema, "title": title}
    return out


def schema_text(schema: dict[str, Any]) -> str:
    """Serialise a schema the way the committed files are written."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json_schemas(folder: str | Path) -> list[Path]:
    """Write the schemas into ``folder``; return the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        (folder / name).write_text(schema_text(schema), encoding="utf-8")
        written.append(folder / name)
    return written


if __name__ == "__main__":  # pragma: no cover
    for file in write_json_schemas(sys.argv[1] if len(sys.argv) > 1 else "instruments/schema"):
        print(file)
