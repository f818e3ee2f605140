"""Labels for variables, indices and codes, taken from an instrument in the report language."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from surveykit.instruments import Instrument
from surveykit.reporting._format import check_language

__all__ = ["CROSS", "Labeller", "VariableLabels", "free_text_columns"]

#: joins the levels of crossed variables ("20–24 × Mann")
CROSS = " \u00d7 "
#: a numeric range written with a hyphen, shown with an en dash ("20-24" -> "20–24")
_RANGE = re.compile(r"^(\d+)-(\d+)$")


def free_text_columns(frame: pd.DataFrame | None = None,
                      instrument: Instrument | None = None) -> set[str]:
    """Columns marked as free text by ingestion (``attrs``) or by the instrument.

    Ingestion records them in ``frame.attrs["surveykit"]["free_text"]``; an instrument marks
    items of type ``text`` or with ``disclosure_risk: free_text``.

    Examples
    --------
    >>> df = pd.DataFrame({"comment": ["x"]})
    >>> df.attrs["surveykit"] = {"free_text": ["comment"]}
    >>> sorted(free_text_columns(df))
    ['comment']

    """
    found: set[str] = set()
    if frame is not None:
        meta = frame.attrs.get("surveykit") or {}
        found.update(str(c) for c in meta.get("free_text", ()))
    if instrument is not None:
        found.update(v.var for v in instrument.variables
                     if v.type == "text" or v.item.disclosure_risk == "free_text")
    return found


@dataclass(frozen=True)
class VariableLabels:
    """Labels of a variable outside the instrument (a derived variable), in one language.

    ``values`` maps a code (as text) to its label; codes not listed are shown as given.

    Examples
    --------
    >>> VariableLabels("Sex (for weighting)", {"male": "Man"}).values["male"]
    'Man'

    """

    text: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Labeller:
    """Look up variable texts and code labels of an instrument in one language.

    Without an instrument every lookup returns the name or code as text, so that reports
    work on plain data too.

    Examples
    --------
    >>> import surveykit as sk
    >>> inst = sk.Instrument.from_dict(sk.instruments.example_instrument_dict())
    >>> lab = Labeller(inst, "en")
    >>> lab.value("sat_region", 5)
    'Very satisfied'
    >>> Labeller(None, "nb").variable("age")
    'age'

    """

    instrument: Instrument | None
    language: str
    extra: Mapping[str, VariableLabels] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_language(self.language)
        inst = self.instrument
        if inst is not None and self.language not in inst.language_codes:
            raise ValueError(
                f"'language' must be one of the instrument's languages "
                f"{list(inst.language_codes)!r} (got {self.language!r}); {inst.ref} has no "
                "texts in that language. Pick one of its languages for the report.")

    def _find_var(self, name: str) -> Any:
        if self.instrument is None:
            return None
        try:
            return self.instrument.variable(name)
        except ValueError:
            return None

    def variable(self, name: str) -> str:
        """Question text of a data column, an index label, or the name itself."""
        if name in self.extra:
            return self.extra[name].text
        if self.instrument is None:
            return str(name)
        for index in self.instrument.indices:
            if index.id == name:
                return index.label.get(self.language, name)
        var = self._find_var(name)
        if var is None:
            return str(name)
        text = var.text.get(self.language, name)
        if var.option is not None:
            option = var.option.label.get(self.language, str(var.option.code))
            return f"{var.item.text.get(self.language, name)}: {option}"
        return str(text)

    def value(self, name: str, code: object) -> str:
        """Label of ``code`` of column ``name`` in the report language (else ``str(code)``).

        Codes may be the stored codes (``5``, ``5.0``, ``"5"``) or a label in another
        language of the instrument (data read with labels as categoricals).
        """
        if isinstance(code, tuple):
            return self.crossed((name,) * len(code), code)
        if name in self.extra:
            return self.extra[name].values.get(_plain(code), _plain(code))
        var = self._find_var(name)
        if var is None or var.choices is None or var.option is not None:
            return _plain(code)
        choices = var.choices
        for key in _code_candidates(code):
            label = choices.label(key, self.language)
            if label is not None:
                return str(label)
        for entry in (*choices.options, *choices.missing):
            if str(code) in entry.label.values():
                return str(entry.label.get(self.language, code))
        return _plain(code)

    def crossed(self, names: Sequence[str], codes: Sequence[object]) -> str:
        """Label of a cell of crossed variables: ``"20–24 × Male"`` (one label per variable).

        Examples
        --------
        >>> Labeller(None, "en").crossed(["age_group", "sex"], ("20-24", "male"))
        '20–24 × male'

        """
        if len(names) != len(codes):
            raise ValueError(f"{len(names)} variable(s) {list(names)!r} but {len(codes)} "
                             f"code(s) {tuple(codes)!r}; give one code per crossed variable.")
        return CROSS.join(self.value(n, c) for n, c in zip(names, codes, strict=True))

    def values(self, name: str, codes: Sequence[object]) -> list[str]:
        """Labels of many codes of one column."""
        cache: dict[str, str] = {}
        out = []
        for code in codes:
            key = repr(code)
            if key not in cache:
                cache[key] = self.value(name, code)
            out.append(cache[key])
        return out


def _code_candidates(code: object) -> list[object]:
    out: list[object] = [code]
    try:
        as_float = float(code)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return out
    if as_float.is_integer():
        out.append(int(as_float))
    return out


def _plain(code: object) -> str:
    """Show an unlabelled code as text: ``3.0`` -> ``"3"``, ``"20-24"`` -> ``"20–24"``."""
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return _RANGE.sub("\\1\u2013\\2", str(code))
