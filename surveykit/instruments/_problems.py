"""Problem records (file, key path, message, fix) and pydantic errors turned into them.

A key path reads like the YAML it points into: ``items[3].choices``,
``choice_lists.needs.options[0].code``. Every loader and lint check reports through
:class:`Problem`, so the CLI, ``InstrumentError.problems`` and tests see one shape.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from surveykit.errors import InstrumentError

__all__ = ["Problem", "format_path", "problems_from_validation", "raise_problems"]


@dataclass(frozen=True)
class Problem:
    """One problem in an instrument or crosswalk file.

    Attributes
    ----------
    file : str
        The file (as given, or relative to the instruments folder).
    path : str
        Key path inside the file, e.g. ``items[3].choices``; empty for the whole file.
    message : str
        What is wrong: what was expected and what was found.
    fix : str
        How to fix it.

    """

    file: str
    path: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message} Fix: {self.fix}"

    @classmethod
    def at(cls, path: str, message: str, fix: str) -> Problem:
        """Return a problem at ``path`` whose file the caller fills in later."""
        return cls("", path, message, fix)

    def to_dict(self) -> dict[str, str]:
        """Return the record as a plain dict (``file``, ``path``, ``message``, ``fix``)."""
        return asdict(self)


def format_path(loc: Iterable[str | int]) -> str:
    """Join a location into a key path.

    Examples
    --------
    >>> format_path(["items", 3, "choices"])
    'items[3].choices'
    >>> format_path(["choice_lists", "needs", "options", 0, "code"])
    'choice_lists.needs.options[0].code'

    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _real_loc(raw: Any, loc: Sequence[str | int], missing: bool) -> list[str | int]:
    """Drop union-member tags (``int``, ``str``, ``RangeConstraint``) that pydantic adds."""
    out: list[str | int] = []
    node = raw
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
            out.append(part)
        elif last and missing:
            out.append(part)
        # anything else is a union-member tag such as 'int' or 'RangeConstraint': drop it
    return out


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """Find the pydantic model that owns the keys at ``loc`` (for spelling suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part)) or next(
                (f for f in current.model_fields.values() if f.alias == part), None
            )
            if field is None:
                return None
            current = field.annotation
        current = _unwrap(current, part)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any, part: str | int) -> Any:
    """Step from a container annotation to the element annotation, preferring models."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        members = [_unwrap(a, part) for a in typing.get_args(tp)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        return models[0] if models else tp
    if origin in (tuple, list):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    return tp


def _allowed_keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _fix_for(err: Any, key: str, allowed: list[str]) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return f"add the key '{key}'."
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(key, allowed, n=1)
        if close:
            return f"rename '{key}' to '{close[0]}' (a spelling mistake?)."
        return f"remove '{key}'; allowed keys here are {', '.join(allowed)}."
    if kind == "literal_error":
        return f"use one of {err['ctx']['expected']}."
    if kind == "string_pattern_mismatch":
        return "use lower-case snake_case (letters, digits, single '_'), e.g. 'sat_region'."
    if isinstance(value, bool):
        return "quote the value: YAML reads unquoted yes/no/on/off/true/false as booleans."
    if kind in ("string_type",) and isinstance(value, int | float):
        return f"quote the value: write \"{value}\" so that YAML reads it as text."
    if kind.startswith("date"):
        return "write the date as YYYY-MM-DD."
    return "correct the value as the message says."


def problems_from_validation(
    exc: ValidationError, raw: Any, file: str, model: type[BaseModel]
) -> list[Problem]:
    """Convert every pydantic error to a :class:`Problem` with a key path and a fix.

    Errors that differ only by union member (``int`` or ``str``) are merged into one.
    """
    merged: dict[str, list[tuple[str, str, str]]] = {}
    for err in exc.errors():
        loc = _real_loc(raw, err["loc"], err["type"] == "missing")
        key = str(loc[-1]) if loc else ""
        parent = loc[:-1] if err["type"] in ("missing", "extra_forbidden") else loc
        allowed = _allowed_keys(_model_at(model, [p for p in parent if isinstance(p, str)]))
        message = err["msg"].removeprefix("Input should be ")
        found = ""
        if err["type"] == "extra_forbidden":
            message = f"unknown key '{key}'"
        elif err["type"] == "missing":
            message = f"required key '{key}' is missing"
        else:
            message = "expected " + message
            found = f" (found {err.get('input')!r})"
        entry = (message, found, _fix_for(err, key, allowed))
        merged.setdefault(format_path(loc), []).append(entry)
    out = []
    for path, entries in merged.items():
        if any(other.startswith(path + ".") for other in merged) and path:
            continue  # the value matched another union member better: report that one
        messages = list(dict.fromkeys(m for m, _, _ in entries))
        text = messages[0] + "".join(" or " + m.removeprefix("expected ") for m in messages[1:])
        fixes = list(dict.fromkeys(f for _, _, f in entries))
        out.append(Problem(file, path, text + entries[0][1] + ".", " ".join(fixes[:2])))
    return out


def raise_problems(file: str, problems: Sequence[Problem], what: str = "instrument") -> None:
    """Raise one :class:`InstrumentError` listing every problem (if there are any)."""
    if not problems:
        return
    lines = [f"  {p.path or '(file)'}: {p.message} Fix: {p.fix}" for p in problems]
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    raise InstrumentError(
        f"{what} file {file} has {count}:\n" + "\n".join(lines),
        [p.to_dict() for p in problems],
    )
