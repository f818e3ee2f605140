"""Canonical SHA-256 fingerprints of instruments and items.

The fingerprint is computed from the validated model, never from the file bytes, so YAML
formatting, comments, quoting, key order and defaults written out or left implicit do not
change it. The canonical form is JSON with sorted keys, no whitespace, UTF-8, and integral
floats written as integers (``20.0`` and ``20`` are the same bound).

The instrument fingerprint leaves out ``status``: retiring a released version is a change of
its life cycle, not of its content, and must not break the recorded fingerprint.

Both fingerprints also leave out an item's ``measure``, the level at which the analysis
treats its answers (shares only, or a mean as well). It says nothing about what respondents
were asked or how their answers are coded, which is what the fingerprint identifies; a
released version may therefore be annotated with it (or have it corrected) without becoming
another version, and every recorded fingerprint stays valid. The measure each estimate used
is stated where it matters: in the codebook and in the estimate tables of the appendix.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from surveykit.instruments._schema import InstrumentSpec, Item

__all__ = ["ANALYSIS_KEYS", "canonical_json", "instrument_fingerprint", "item_fingerprint",
           "sha256_hex"]

#: item keys about the analysis, not the questionnaire: left out of both fingerprints
ANALYSIS_KEYS = ("measure",)


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical_json(value: Any) -> str:
    """Canonical JSON text of a JSON-like value.

    Examples
    --------
    >>> canonical_json({"b": 1.0, "a": [2, "x"]})
    '{"a":[2,"x"],"b":1}'

    """
    return json.dumps(
        _normalise(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def sha256_hex(text: str) -> str:
    """SHA-256 of UTF-8 ``text`` as 64 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def item_fingerprint(spec: InstrumentSpec, item: Item) -> str:
    """Fingerprint of one item: its own keys plus the content of its choice list."""
    choices = spec.choice_lists.get(item.choices) if item.choices else None
    payload = {
        "item": item.model_dump(mode="json", by_alias=True, exclude=set(ANALYSIS_KEYS)),
        "choice_list": choices.model_dump(mode="json", by_alias=True) if choices else None,
    }
    return sha256_hex(canonical_json(payload))


def instrument_fingerprint(spec: InstrumentSpec) -> str:
    """Fingerprint of a whole instrument version (everything but ``status``)."""
    payload = spec.model_dump(mode="json", by_alias=True, exclude={
        "status": True, "items": {"__all__": set(ANALYSIS_KEYS)}})
    return sha256_hex(canonical_json(payload))
