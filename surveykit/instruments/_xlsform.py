"""Export an instrument to an XLSForm workbook (``survey``, ``choices``, ``settings``).

The mapping is 1:1 where XLSForm can express it: ``name`` is the data column (``var``), labels
go to ``label::<Name> (<code>)`` columns per language, ``relevant`` is copied verbatim (it is
already XLSForm syntax), ``{min, max}`` becomes ``. >= min and . <= max``. Grids become a
``begin_group`` with ``appearance: table-list`` holding one ``select_one`` per row. Exclusive
multi-select options become ``not(selected(., 'none') and count-selected(.) > 1)``;
``min_selected``/``max_selected`` and ``max_length`` become constraints too. Missing codes
are ordinary choices. ``settings.version`` is ``yyyymmddrr`` from the release date
(``rr`` = 00; see :func:`xlsform_version`).
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit._spreadsheet import protect_workbook, xml_text
from surveykit._writing import write_atomic
from surveykit.instruments._instrument import Instrument
from surveykit.instruments._schema import ChoiceList, Item, LocalizedText, RangeConstraint

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["write_xlsform", "xlsform_version"]


def xlsform_version(instrument: Instrument, revision: int = 0) -> str:
    """``settings.version`` for an instrument: release date as ``yyyymmdd`` plus ``rr``.

    Drafts have no release date and use today's date.

    Examples
    --------
    >>> import datetime, surveykit as sk
    >>> d = sk.instruments.example_instrument_dict()
    >>> d["status"], d["released"] = "released", datetime.date(2026, 3, 1)
    >>> xlsform_version(sk.Instrument.from_dict(d))
    '2026030100'

    """
    day = instrument.released or _dt.date.today()
    return f"{day:%Y%m%d}{revision:02d}"


def _lang_header(inst: Instrument, column: str, code: str) -> str:
    return f"{column}::{inst.languages.names.get(code, code)} ({code})"


def _labels(inst: Instrument, column: str, text: LocalizedText | None) -> dict[str, str]:
    return {_lang_header(inst, column, c): (text or {}).get(c, "") for c in inst.language_codes}


def _constraint(item: Item, choices: ChoiceList | None) -> str:
    parts: list[str] = []
    c = item.constraint
    if isinstance(c, RangeConstraint):
        if c.min is not None:
            parts.append(f". >= {c.min}")
        if c.max is not None:
            parts.append(f". <= {c.max}")
    elif isinstance(c, str):
        parts.append(f"({c})")
    if item.type == "multi" and choices is not None:
        parts += [f"not(selected(., '{o.code}') and count-selected(.) > 1)"
                  for o in choices.options if o.exclusive]
        if item.min_selected is not None:
            parts.append(f"count-selected(.) >= {item.min_selected}")
        if item.max_selected is not None:
            parts.append(f"count-selected(.) <= {item.max_selected}")
    if item.max_length is not None:
        parts.append(f"string-length(.) <= {item.max_length}")
    return " and ".join(parts)


def _survey_rows(inst: Instrument) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in inst.items:
        choices = inst.choice_lists.get(item.choices or "")
        common = {"required": "yes" if item.required else "",
                  **_labels(inst, "hint", item.hint)}
        if item.type == "grid":
            rows.append({"type": "begin_group", "name": item.id, "appearance": "table-list",
                         "relevant": item.relevant or "", **_labels(inst, "label", item.text)})
            rows += [{"type": f"select_one {item.choices}", "name": r.var, **common,
                      **_labels(inst, "label", r.text)} for r in item.rows or ()]
            rows.append({"type": "end_group", "name": item.id})
            continue
        kind = {"single": f"select_one {item.choices}",
                "multi": f"select_multiple {item.choices}"}.get(item.type, item.type)
        constraint = _constraint(item, choices)
        rows.append({"type": kind, "name": item.var, **common, "relevant": item.relevant or "",
                     "constraint": constraint, **_labels(inst, "label", item.text),
                     **(_labels(inst, "constraint_message", item.constraint_message)
                        if constraint and item.constraint_message else {})})
    return rows


def _choice_rows(inst: Instrument) -> list[dict[str, Any]]:
    rows = []
    for name, cl in inst.choice_lists.items():
        entries = [(o.code, o.label) for o in cl.options]
        entries += [(m.code, m.label) for m in cl.missing]
        for code, label in entries:
            rows.append({"list_name": name, "name": str(code), **_labels(inst, "label", label)})
    return rows


def _sheet(book: Workbook, title: str, rows: list[dict[str, Any]], first: list[str]) -> None:
    sheet = book.create_sheet(title)
    columns = list(dict.fromkeys(first + [k for row in rows for k in row]))
    columns = [c for c in columns if any(row.get(c) for row in rows)] or first
    sheet.append(columns)
    for row in rows:
        sheet.append([xml_text(v) if isinstance(v, str) else v
                      for v in (row.get(c, "") for c in columns)])


def write_xlsform(instrument: Instrument, path: str | Path, *, revision: int = 0) -> Path:
    """Write the instrument as an XLSForm ``.xlsx`` (for Kobo, ODK, SurveyCTO).

    Parameters
    ----------
    instrument : Instrument
        The instrument.
    path : str or Path
        Output ``.xlsx`` file.
    revision : int, default 0
        The ``rr`` part of ``settings.version`` (several deployments on one day).

    Returns
    -------
    Path
        The file written. Check it with pyxform (``pip install surveykit[xlsform]``).

    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from openpyxl import Workbook  # a few tenths of a second: imported when used

    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    _sheet(book, "survey", _survey_rows(instrument), ["type", "name"])
    _sheet(book, "choices", _choice_rows(instrument), ["list_name", "name"])
    settings = [{
        "form_title": instrument.title.get(instrument.languages.source, instrument.id),
        "form_id": instrument.id,
        "version": xlsform_version(instrument, revision),
        "default_language": f"{instrument.languages.names.get(instrument.languages.source)} "
                            f"({instrument.languages.source})",
    }]
    _sheet(book, "settings", settings, ["form_title", "form_id", "version"])
    buf = io.BytesIO()
    protect_workbook(book).save(buf)
    write_atomic(path, buf.getvalue())
    return path
