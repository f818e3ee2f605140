"""Fixed texts of the meeting-places appendix section, in bokmål (``nb``) and English (``en``).

The texts live in the package's one vocabulary (``participation.*`` ids); this module gives
them the nested shape the section's code reads (``TEXT["nb"]["acc"]["excluded"]``).
"""

from __future__ import annotations

from typing import Any

from surveykit.reporting import vocabulary_group as group

__all__ = ["TEXT"]


def _nested(flat: dict[str, str]) -> dict[str, Any]:
    """``{"a.b": x}`` -> ``{"a": {"b": x}}`` (keys split at the first dot only)."""
    out: dict[str, Any] = {}
    for key, text in flat.items():
        head, dot, rest = key.partition(".")
        if dot:
            out.setdefault(head, {})[rest] = text
        else:
            out[key] = text
    return out


TEXT: dict[str, dict[str, Any]] = {lang: _nested(group("participation", lang))
                                   for lang in ("nb", "en")}
