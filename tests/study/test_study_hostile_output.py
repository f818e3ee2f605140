"""Hostile labels, answers and titles through a whole study run: nothing runs, nothing breaks.

Every payload (HTML, script, spreadsheet formulas, DDE, Word fields, control characters)
must come out as inert text: escaped in HTML (checked in headless Chromium), string cells
with the quote prefix in Excel, a leading ``'`` in CSV, plain runs in Word.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from hostile_study import PAYLOADS, instrument_dict, write_study

import surveykit as sk

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
FORMULA = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    study = sk.Study.load(write_study(root / "study"))
    return study.run(root / "out")


def _looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA) and NUMBER.fullmatch(text) is None


def _xlsx_problems(path: Path) -> list[str]:
    from openpyxl import load_workbook

    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                body = z.read(name).decode("utf-8")
                if "<f>" in body or "<f " in body:
                    found.append(f"{name}: formula element")
    for ws in load_workbook(path):
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{ws.title}!{cell.coordinate}: formula {cell.value!r}")
                elif (isinstance(cell.value, str) and _looks_like_formula(cell.value)
                      and not cell.quotePrefix):
                    found.append(f"{ws.title}!{cell.coordinate}: no quote prefix {cell.value!r}")
    return found


def test_payloads_reach_every_output(run):
    """The test means something only if the payloads are in the outputs at all."""
    estimates = (run.out / "tables" / "estimates.csv").read_text(encoding="utf-8")
    assert "cmd|' /C calc'!A0" in estimates and "@SUM(1+1)" in estimates
    html = (run.out / "appendix.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in html and "HYPERLINK" in html
    with zipfile.ZipFile(run.out / "appendix.docx") as z:
        assert "DDEAUTO" in z.read("word/document.xml").decode("utf-8")


def test_xlsx_has_no_formula_and_no_bare_formula_text(run):
    assert _xlsx_problems(run.out / "appendix.xlsx") == []


def test_csv_fields_never_start_like_a_formula(run):
    bad = []
    for path in sorted((run.out / "tables").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.reader(fh)):
                bad += [(path.name, i, f) for f in row if _looks_like_formula(f)]
    assert bad == []
    prefixed = (run.out / "tables" / "estimates.csv").read_text(encoding="utf-8")
    assert ",'=cmd|' /C calc'!A0," in prefixed and ",'@SUM(1+1)," in prefixed


def test_docx_has_no_field_from_user_content_and_no_control_characters(run):
    with zipfile.ZipFile(run.out / "appendix.docx") as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}
    for name, body in parts.items():
        assert not NOT_XML.search(body), name
        instructions = re.findall(r"<w:instrText[^>]*>([^<]*)<", body)
        instructions += re.findall(r'<w:fldSimple[^>]*w:instr="([^"]*)"', body)
        for text in instructions:
            assert not re.search(r"DDE|cmd|HYPERLINK|calc", text, re.IGNORECASE), (name, text)


def test_html_runs_no_script_in_chromium(run):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright not installed: pip install playwright")
    dialogs, errors = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((run.out / "appendix.html").as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            handlers = page.evaluate("""() => document.querySelectorAll(
                '[onerror], [onload], [onclick], img[src="x"]').length""")
            scripts = page.evaluate("""() => Array.from(document.scripts)
                .filter(s => s.textContent.includes('alert')).length""")
            text = page.evaluate("() => document.body.innerText")
        finally:
            browser.close()
    assert dialogs == [] and errors == []
    assert handlers == 0 and scripts == 0
    assert PAYLOADS["script"] in text  # shown as text, not run and not dropped


def test_codebook_and_xlsform_of_a_hostile_instrument_hold_text_only(tmp_path):
    inst = sk.Instrument.from_dict(instrument_dict())
    book = sk.instruments.write_codebook(inst, tmp_path / "codebook.xlsx")
    form = sk.instruments.write_xlsform(inst, tmp_path / "form.xlsx")
    assert _xlsx_problems(book) == []
    assert _xlsx_problems(form) == []
    from openpyxl import load_workbook

    labels = {c.value for ws in load_workbook(book) for row in ws.iter_rows() for c in row}
    assert PAYLOADS["dde"] in labels  # kept as text, not dropped
