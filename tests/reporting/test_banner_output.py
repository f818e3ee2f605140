"""Banner tables as a workbook, as appendix tables (HTML, Word, Excel) and in the appendix.

The table is built by hand (``banner_example``), so every cell's expected content is known:
headings merged over their columns, column letters, numbers stored as numbers with their
formats, letters in their own cell, small bases marked, suppressed cells shown as ":".
"""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest
from banner_example import example_table
from openpyxl import load_workbook

import surveykit as sk
from surveykit.reporting import add_banner_section, banner_tables, banner_workbook

_NUMBER = (int, float)


@pytest.fixture(scope="module")
def table():
    return example_table("nb")


@pytest.fixture(scope="module")
def sheets(table, tmp_path_factory):
    path = banner_workbook(table, tmp_path_factory.mktemp("b") / "banner.xlsx")
    return load_workbook(path)


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_one_sheet_per_question_after_a_contents_sheet_with_links(sheets):
    assert sheets.sheetnames == ["Innhold", "impression", "concepts", "recommend"]
    contents = sheets["Innhold"]
    assert contents["A1"].value == "Krysstabeller"
    links = [(c.value, c.hyperlink.location) for c in contents["A"][3:6]]
    assert links == [("impression", "'impression'!A1"), ("concepts", "'concepts'!A1"),
                     ("recommend", "'recommend'!A1")]
    assert contents["B4"].value == "Inntrykk av regionen"


def test_headings_are_merged_over_their_columns_with_letters_under_each(sheets):
    ws = sheets["impression"]
    assert ws["A1"].value == "Inntrykk av regionen"
    # total B:C, then Hamar D:E, Ringsaker F:G, Stange H:I (nobody is in "Annen kommune",
    # so it is left out and the others keep their letters), Mann J:K ... Annet kjønn N:O
    assert {"B4:C4", "D4:I4", "J4:O4", "D5:E5", "N5:O5", "D6:E6", "H6:I6"} <= _merged(ws)
    assert [ws[f"{c}4"].value for c in "BDJ"] == ["Totalt", "Kommune", "Kjønn"]
    assert [ws[f"{c}5"].value for c in "DFHJLN"] == ["Hamar", "Ringsaker", "Stange", "Mann",
                                                     "Kvinne", "Annet kjønn"]
    assert [ws[f"{c}6"].value for c in "BDFHJLN"] == [None, "A", "B", "D", "E", "F", "G"]
    assert "Annen kommune" not in [c.value for c in ws[5]]
    assert ws.freeze_panes == "B7"
    assert ws.print_title_rows == "$4:$6"


def test_bases_then_rows_with_numbers_stored_as_numbers_and_formatted(sheets):
    ws = sheets["impression"]
    labels = [ws[f"A{r}"].value for r in range(7, 13)]
    assert labels == ["Base (uvektet)", "Base (vektet)", "Godt", "Dårlig", "Topp 2 (netto)",
                      "Gjennomsnitt"]
    assert (ws["B7"].value, ws["B7"].number_format) == (1200, "#,##0")
    assert (ws["D8"].value, ws["D8"].number_format) == (750, "#,##0")
    # percentages as proportions with 0 decimals, means with 2, letters beside the number
    assert (ws["D9"].value, ws["D9"].number_format, ws["E9"].value) == (
        pytest.approx(0.2025), "0%", "Bd")
    assert (ws["F12"].value, ws["F12"].number_format, ws["G12"].value) == (
        pytest.approx(7.5), "0.00", "a")
    assert (ws["J11"].value, ws["K11"].value) == (pytest.approx(0.6325), "F")
    for row in ws.iter_rows(min_row=7, max_row=12, min_col=2, max_col=15):
        for cell in row[::2]:  # figure cells: numbers only
            assert isinstance(cell.value, _NUMBER), cell.coordinate
        for cell in row[1::2]:  # letter cells: text or empty
            assert cell.value is None or isinstance(cell.value, str), cell.coordinate


def test_small_base_is_marked_and_suppressed_cells_show_a_colon(sheets):
    ws = sheets["impression"]
    assert (ws["N7"].value, ws["O7"].value) == (20, "*")
    nps = sheets["recommend"]
    assert nps["A1"].value == "=Anbefale å bo" and nps["A1"].data_type == "s"
    assert nps["A1"].quotePrefix
    assert [nps["A9"].value, nps["B9"].number_format] == ["NPS (−100 til 100)", "0"]
    # fewer than 5 answers: the figure and its bases are suppressed, no "*" beside them
    assert [nps["N7"].value, nps["N8"].value, nps["N9"].value, nps["O7"].value] == [
        ":", ":", ":", None]
    assert nps["D9"].value == pytest.approx(-3.75) and nps["E9"].value == "D"


def test_notes_block_closes_every_sheet(sheets, table):
    for name in ("impression", "recommend"):
        text = [c.value for c in sheets[name]["A"] if c.value]
        assert all(note in text for note in table.notes), name
        assert any("egen celle" in t for t in text)


def test_long_layout_puts_every_question_under_one_heading(table, tmp_path):
    ws = load_workbook(banner_workbook(table, tmp_path / "long.xlsx", layout="long",
                                       title="Omdømme 2026")).active
    assert ws.title == "Omdømme 2026"
    assert [ws["D3"].value, ws["D4"].value, ws["D5"].value] == ["Kommune", "Hamar", "A"]
    titles = [ws[f"A{r}"].value for r in range(6, ws.max_row + 1)
              if ws[f"A{r}"].font.size == 11 and ws[f"A{r}"].font.bold]
    assert titles == ["Inntrykk av regionen", "Kjente møteplasser", "=Anbefale å bo"]
    assert ws["A7"].value == "Base (uvektet)" and ws["B9"].number_format == "0%"
    assert ws.freeze_panes == "B6"


def test_workbook_is_byte_stable_and_english_has_english_labels(tmp_path):
    en = example_table("en")
    a = banner_workbook(en, tmp_path / "a.xlsx").read_bytes()
    b = banner_workbook(en, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(a)).infolist()} == {
        (1980, 1, 1, 0, 0, 0)}
    book = load_workbook(io.BytesIO(a))
    assert book.sheetnames[0] == "Contents"
    ws = book["impression"]
    assert [ws["A7"].value, ws["A8"].value, ws["A12"].value, ws["B4"].value] == [
        "Base (unweighted)", "Base (weighted)", "Mean", "Total"]


def test_unknown_layout_is_refused_by_name(table, tmp_path):
    with pytest.raises(ValueError, match="'layout'"):
        banner_workbook(table, tmp_path / "x.xlsx", layout="wide")


def test_appendix_tables_set_letters_beside_the_figure_and_keep_numbers_apart(table):
    fts = banner_tables(table)
    assert [ft.caption for ft in fts] == ["Inntrykk av regionen", "Kjente møteplasser",
                                          "=Anbefale å bo"]
    ft = fts[0]
    row = ft.display.iloc[2].tolist()  # "Godt"
    assert row[:3] == ["Godt", "20", "20\u00a0Bd"]
    assert ft.display.iloc[5, 1:4].tolist() == ["7,00", "7,25", "7,50\u00a0a"]
    assert ft.display.iloc[0, -1] == "20\u00a0*"
    assert list(ft.display.columns)[:3] == ["Spørsmål", "Totalt", "Hamar (A)"]
    groups, cats, letters = ft.extra["header_rows"]
    assert [(t, s) for t, s, _ in groups] == [("", 1), ("Totalt", 1), ("Kommune", 3),
                                               ("Kjønn", 3)]
    assert [t for t, _, _ in letters] == ["", "", "A", "B", "D", "E", "F", "G"]
    assert "nowrap" in cats[2][2] and "nowrap" not in cats[-1][2]  # "Annet kjønn" may wrap
    assert ft.numeric["Hamar (A)"].iloc[2] == pytest.approx(0.2025)
    assert ft.numeric["A: høyere enn"].iloc[2] == "Bd"
    assert ft.extra["row_formats"][:3] == ["#,##0", "#,##0", "0%"]
    assert "p < 0,05; små bokstaver p < 0,10" in ft.notes[0]
    nps = fts[2]
    assert nps.display.iloc[2].tolist()[-1] == ":" and "«:»" in nps.notes[0]


@pytest.fixture(scope="module")
def appendix(table):
    app = sk.report.Appendix("Vedlegg", language="nb")
    app.section("Metode").text("Utvalg og vekting.")
    add_banner_section(app, table, notes=["Krysstabellene gjelder bølge 2026."])
    app.section("Kodebok").text("Variabler.")
    return app


def test_section_opens_with_the_notes_then_a_table_per_question(appendix, table):
    sec = appendix.sections[1]
    assert sec.title == "Krysstabeller"
    texts = [b.text for b in sec.content if hasattr(b, "text")]
    assert texts[1:] == [*table.notes, "Krysstabellene gjelder bølge 2026."]
    assert sum(e.kind == "table" for e in appendix.outline()) == 3


def test_html_draws_the_banner_heading_over_its_columns(appendix):
    html = appendix.to_html()
    first = html[html.index('id="table-1"'):html.index('id="table-2"')]
    assert first.count("<thead><tr>") == 1 and first.count("</tr><tr>") >= 2
    assert '<th scope="colgroup" colspan="3" class="span grp">Kommune</th>' in first
    assert '<th scope="col" class="span letter">A</th>' in first
    assert '<tr class="base">' in first and '<tr class="net">' in first
    assert '<td class="num gstart">' in first and "20\u00a0Bd" in first


def test_word_table_has_three_repeated_header_rows(appendix, tmp_path):
    path = appendix.to_docx(tmp_path / "a.docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tblHeader/>") == 9  # three tables, three header rows each
    assert '<w:gridSpan w:val="3"/>' in xml


def _orientations(app, path) -> list[bool]:
    xml = zipfile.ZipFile(app.to_docx(path)).read("word/document.xml").decode("utf-8")
    return ['w:orient="landscape"' in s for s in re.findall(r"<w:pgSz[^>]*/>", xml)]


def test_consecutive_wide_word_tables_share_one_landscape_section(tmp_path):
    wide = pd.DataFrame({f"Kolonne nummer {i}": ["1 234 567,8"] * 3 for i in range(14)})
    app = sk.report.Appendix("Vedlegg", language="nb")
    sec = app.section("Tabeller").text("Innledning.")
    sec.table(sk.report.table(wide, language="nb", n_column=None), caption="Én")
    sec.table(sk.report.table(wide, language="nb", n_column=None), caption="To")
    sec.text("Etterord.")
    # portrait, one landscape section for both tables, portrait again for the text
    assert _orientations(app, tmp_path / "w.docx") == [False, True, False]


def test_appendix_workbook_keeps_row_formats_letters_and_colons(appendix, tmp_path):
    book = load_workbook(appendix.to_xlsx(tmp_path / "a.xlsx"))
    ws = book["Tabell 1"]
    head = [c.value for c in ws[3]]
    assert head[:4] == ["Spørsmål", "Totalt", "Hamar (A)", "A: høyere enn"]
    assert (ws["B4"].value, ws["B4"].number_format) == (1200, "#,##0")
    assert (ws["C6"].value, ws["C6"].number_format, ws["D6"].value) == (
        pytest.approx(0.2025), "0%", "Bd")
    assert ws["C9"].number_format == "0.00"
    nps = book["Tabell 3"]
    assert nps.cell(row=6, column=len(head)).value is None  # the last letters column
    assert nps.cell(row=6, column=len(head) - 1).value == ":"


def test_a_banner_from_sk_banner_renders_its_letters_where_the_frame_has_them(tmp_path):
    from surveykit.datasets import load_api

    d = sk.SurveyDesign(load_api("apistrat"), weights="pw", strata="stype", fpc="fpc")
    bt = sk.banner(d, rows=["sch.wide", "api00"], banner=["stype"], language="en")
    ws = load_workbook(banner_workbook(bt, tmp_path / "api.xlsx"))["sch.wide"]
    f = bt.to_frame()
    yes = f[(f.row_category == "Yes") & (f.banner_variable == "stype")]
    row = next(r for r in range(7, ws.max_row + 1) if ws[f"A{r}"].value == "Yes")
    shown = [ws.cell(row=row, column=5 + 2 * j).value or "" for j in range(3)]
    assert shown == yes["letters"].tolist()
    assert [ws.cell(row=row, column=4 + 2 * j).value for j in range(3)] == pytest.approx(
        (yes["estimate"] / 100).tolist())
