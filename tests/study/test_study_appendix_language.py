"""The nb study appendix speaks Bokmål: facts, rule names, statuses, labels, numbers."""

import re
from html import unescape

import openpyxl
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reputation(reputation_appendix):
    return reputation_appendix


@pytest.fixture(scope="module")
def html(reputation) -> str:
    return (reputation.out / "appendix.html").read_text(encoding="utf-8")


def _table(html: str, caption_part: str) -> list[list[str]]:
    """Body cells of the table whose caption contains ``caption_part``."""
    for t in re.findall(r"<table.*?</table>", html, re.S):
        if caption_part in unescape(t.split("</caption>")[0]):
            return [[unescape(re.sub(r"<.*?>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                         row, re.S)]
                    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", t.split("<tbody>")[1], re.S)]
    raise AssertionError(f"no table captioned {caption_part!r}")


def test_weighting_text_uses_labels_and_nb_numbers(html):
    found = re.search(r"<p>Vektene ble.*?</p>", html, re.S)
    assert found is not None
    text = unescape(found.group(0))
    assert "Hvilken kommune bor du i?" in text and "Aldersgruppe × Kjønn (for vekting)" in text
    assert "municipality" not in text and "age_group" not in text
    assert "høyst 5 ganger" in text and "5.0" not in text


def test_fact_keys_are_bokmal(html):
    keys = set(re.findall(r"<dt>(.*?)</dt>", html))
    assert {"Bølge", "Instrument", "Fingeravtrykk", "Plattform", "Datafil",
            "SHA-256 (datafil)", "surveykit-versjon"} <= keys
    assert "Studie" not in keys  # the study's internal id is no reader's label
    assert not {"wave", "fingerprint", "platform", "file", "sha256", "surveykit",
                "study"} & keys


def test_exclusion_rules_named_in_nb_ids_kept_in_excel(reputation, html):
    rules = {row[1] for row in _table(html, "Utelukkede svar etter regel")}
    assert {"Dublett svarmønster", "For rask besvarelse", "Manuell"} <= rules
    assert not {"duplicate_answers", "speeder", "manual"} & rules
    book = openpyxl.load_workbook(reputation.out / "appendix.xlsx", read_only=True)
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row}
    assert {"duplicate_answers", "speeder", "manual"} <= cells


def test_items_not_compared_show_texts_statuses_and_source_language_note(html):
    rows = _table(html, "spørsmål som ikke ble sammenlignet")
    items, statuses = {r[0] for r in rows}, {r[1] for r in rows}
    assert "Har du selv vært på en av disse møteplassene?" in items
    assert not {"mp_heard", "mp_visited", "info_sources"} & items
    assert statuses == {"ny", "ikke sammenlignbar", "utgått"}
    assert "nytt spørsmål i 2026, ikke stilt i 2024" in {r[2] for r in rows}
    assert "Asked of those" not in html  # the crosswalk's English reasons stay in Excel
    assert "Begrunnelsene fra koblingstabellen mellom versjonene står i Excel-arket" in html


def test_universe_rule_in_words_expression_in_excel(reputation, html):
    reasons = {row[2] for row in _table(html, "Utelukkede svar etter regel")}
    assert "utenfor populasjonen: svarte «Annen kommune» på «Hvilken kommune bor du i?»" \
        in reasons
    book = openpyxl.load_workbook(reputation.out / "appendix.xlsx", read_only=True)
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row}
    assert "outside the universe: not (${municipality} != 9999)" in cells


def test_multi_select_rows_show_the_option_and_calibrated_margins_a_note(html):
    rows = _table(html, "Hvor får du vanligvis vite om hva som skjer i regionen? Velg alt "
                        "som passer., 2024 (alle)")
    assert rows[0][0] == "Lokalaviser (papir eller nett)"
    found = re.search(r"Hvilken kommune bor du i\?, 2024 \(alle\).*?</figure>", html, re.S)
    assert found is not None and "vektingen fastsetter den" in unescape(found.group(0))


def test_margin_name_shown_once_per_group(html):
    rows = _table(html, "2024: mål og oppnådd vektet total")
    names = [r[0] for r in rows]
    assert names.count("Hvilken kommune bor du i?") == 1
    assert names.count("Aldersgruppe × Kjønn (for vekting)") == 1
    assert names.count("") == len(names) - 2
