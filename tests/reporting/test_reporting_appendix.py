"""Appendix: HTML/XLSX determinism, self-contained HTML, real Word tables, Excel numbers."""

import datetime as dt
import re
import zipfile

import pandas as pd
import pytest

import surveykit as sk
from surveykit import report
from surveykit.datasets import load_api


def small_appendix(language="nb"):
    d = sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum", fpc="fpc")
    app = report.Appendix("Vedlegg <test>", language=language, subtitle="Undertittel",
                          metadata={"Prosjekt": "Rom for flere unge voksne"},
                          date=dt.date(2026, 5, 1))
    methods = app.section("Metode")
    methods.text("Tekst med <b>tegn</b> & sånt.")
    methods.section("Svarprosent").table(
        report.aapor_table({"I": 183, "R": 40, "NC": 60, "UH": 17}, language=language))
    results = app.section("Resultater")
    est = sk.proportion(d, "sch.wide", by="stype")
    results.table(est, caption="Andel skoler", notes=["Egen merknad."], sheet_name="Andel")
    results.figure(report.plot(est, language=language), caption="Andel skoler",
                   alt="Stolpediagram")
    results.section("Middel").table(sk.mean(d, "api00", by="stype"))
    results.definition_list({"numpy": "2.x", "fingerprint": "ab" * 32})
    return app


def test_outline_numbers_sections_tables_figures():
    app = small_appendix()
    got = [(e.kind, e.number) for e in app.outline() if e.kind != "block"]
    assert got == [("section", "1"), ("section", "1.1"), ("table", "1"), ("section", "2"),
                   ("table", "2"), ("figure", "1"), ("section", "2.1"), ("table", "3")]
    assert app.section("Sub", level=2) in app.sections[-1].content
    with pytest.raises(ValueError, match="level"):
        report.Appendix("x").section("y", level=0)


def test_html_is_deterministic_self_contained_and_escaped(tmp_path):
    a = small_appendix().to_html(tmp_path / "a.html")
    b = small_appendix().to_html()
    assert a == b
    assert (tmp_path / "a.html").read_bytes() == a.encode("utf-8")
    assert "<script" not in a
    assert not re.search(r'(src|href)="(https?:)?//', a)
    assert "Vedlegg &lt;test&gt;" in a and "&lt;b&gt;tegn&lt;/b&gt; &amp; sånt" in a
    anchors = set(re.findall(r'id="([^"]+)"', a))
    targets = re.findall(r'href="#([^"]+)"', a)
    assert targets and set(targets) <= anchors
    assert a.count('src="data:image/png;base64,') == 1
    assert 'lang="nb"' in a and "Tabell 2." in a and "Figur 1." in a
    assert '<td class="num">' in a


def test_xlsx_deterministic_numbers_and_formats(tmp_path):
    from openpyxl import load_workbook

    small_appendix().to_xlsx(tmp_path / "a.xlsx")
    small_appendix().to_xlsx(tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    wb = load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["Innhold", "Tabell 1", "Andel", "Tabell 3"]
    ws = wb["Andel"]
    assert ws["A1"].value == "Tabell 2. Andel skoler"
    header = [c.value for c in ws[3]]
    assert header[:3] == ["stype", "Svar", "Prosent"]
    cell = ws.cell(row=4, column=3)
    assert isinstance(cell.value, float) and cell.number_format == "0.0%"
    est = sk.proportion(sk.SurveyDesign(load_api("apiclus1"), weights="pw", psu="dnum",
                                        fpc="fpc"), "sch.wide", by="stype")
    assert cell.value == pytest.approx(float(est.estimate[0]), rel=1e-12)
    notes = [r[0].value for r in ws.iter_rows(min_row=4) if r[0].value]
    assert "Egen merknad." in notes
    contents = wb["Innhold"]
    links = [c.hyperlink.location if c.hyperlink.location else c.hyperlink.target
             for c in contents["A"] if c.hyperlink]
    assert len(links) == 3
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
        assert "2026-05-01T00:00:00Z" in core


def test_docx_has_headings_tables_and_picture(tmp_path):
    docx = pytest.importorskip("docx")
    app = small_appendix()
    app.to_docx(tmp_path / "a.docx")
    app.to_docx(tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    doc = docx.Document(tmp_path / "a.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["1 Metode", "1.1 Svarprosent"]
    assert [p.text for p in doc.paragraphs if p.style.name == "TOC Heading"] == ["Innhold"]
    # metadata, AAPOR, proportions, means, definition list
    assert len(doc.tables) == 5
    prop = doc.tables[2]
    assert [c.text for c in prop.rows[0].cells][:3] == ["stype", "Svar", "Prosent"]
    assert prop.rows[1].cells[2].paragraphs[0].alignment is not None  # right-aligned
    assert len(doc.inline_shapes) == 1
    assert doc.core_properties.created.date() == dt.date(2026, 5, 1)


def test_pdf_names_missing_browser(tmp_path):
    with pytest.raises(FileNotFoundError, match="needs a headless Chromium"):
        small_appendix().to_pdf(tmp_path / "a.pdf", chromium="/nonexistent/chromium")


def test_section_table_rejects_options_for_formatted_tables():
    ft = report.table(pd.DataFrame({"a": [1.5]}))
    with pytest.raises(TypeError, match="already formatted"):
        report.Appendix("x").section("s").table(ft, suppress_below=3)


def test_figure_rejects_non_png():
    with pytest.raises(ValueError, match="not a PNG"):
        report.Appendix("x").section("s").figure(b"GIF89a....", caption="c")


def _docx_part(path, name):
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def test_docx_is_a4_in_the_report_language_with_page_numbers_and_contents(tmp_path):
    pytest.importorskip("docx")
    small_appendix().to_docx(tmp_path / "a.docx")
    body = _docx_part(tmp_path / "a.docx", "word/document.xml")
    assert re.findall(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', body) == [("11906", "16838")]
    assert re.search('<w:pgMar w:top="1247"', body)  # 2.2 cm margins
    styles = _docx_part(tmp_path / "a.docx", "word/styles.xml")
    langs = set(re.findall(r'<w:lang w:val="([^"]+)"', styles))
    assert langs == {"nb-NO"}
    assert "Theme" not in re.search(r"<w:docDefaults>.*</w:docDefaults>", styles).group(0)
    footer = _docx_part(tmp_path / "a.docx", "word/footer1.xml")
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-3" \\h \\z \\u </w:instrText>', body)
    assert re.search(r"<w:t[^>]*>1.1  Svarprosent</w:t>", body)
    settings = _docx_part(tmp_path / "a.docx", "word/settings.xml")
    assert re.search('<w:updateFields w:val="true"/>', settings)
    english = report.Appendix("Appendix", language="en")
    english.section("Methods").text("Text.")
    english.to_docx(tmp_path / "en.docx")
    en_styles = _docx_part(tmp_path / "en.docx", "word/styles.xml")
    assert set(re.findall(r'<w:lang w:val="([^"]+)"', en_styles)) == {"en-GB"}


def test_docx_tables_size_columns_from_content_and_repeat_headers(tmp_path):
    docx = pytest.importorskip("docx")
    small_appendix().to_docx(tmp_path / "a.docx")
    doc = docx.Document(tmp_path / "a.docx")
    prop = doc.tables[2]
    widths = [int(c.get(docx.oxml.ns.qn("w:w"))) for c in
              prop._tbl.tblGrid.findall(docx.oxml.ns.qn("w:gridCol"))]
    assert sum(widths) <= round(16.8 * 567)
    header = prop.rows[0]._tr
    assert header.find(f"{docx.oxml.ns.qn('w:trPr')}/{docx.oxml.ns.qn('w:tblHeader')}") \
        is not None
    body = _docx_part(tmp_path / "a.docx", "word/document.xml")
    assert re.search('<w:tblLayout w:type="fixed"/>', body)


def test_docx_sets_a_wide_table_in_a_landscape_section(tmp_path):
    docx = pytest.importorskip("docx")
    wide = pd.DataFrame({f"Kolonne nummer {i}": [f"verdi{i}abcdefgh"] * 3 for i in range(9)})
    app = report.Appendix("Vedlegg", language="nb")
    app.section("Bred").table(wide, caption="Bred tabell")
    app.section("Smal").text("Etter tabellen.")
    app.to_docx(tmp_path / "w.docx")
    doc = docx.Document(tmp_path / "w.docx")
    orient = [(s.orientation, round(s.page_width.cm, 1)) for s in doc.sections]
    assert orient == [(0, 21.0), (1, 29.7), (0, 21.0)]


def test_xlsx_links_sheets_names_limits_in_the_language_and_keeps_codes_numeric(tmp_path):
    from openpyxl import load_workbook

    app = small_appendix()
    app.sections[-1].table(pd.DataFrame({"Kode": ["3403", "3411"], "Kommune": ["Hamar", "Stange"]}),
                           caption="Koder", sheet_name="Koder")
    app.to_xlsx(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert not any("worksheets/_rels" in n for n in z.namelist())  # no external links
    wb = load_workbook(tmp_path / "a.xlsx")
    links = {c.value: c.hyperlink.location for row in wb["Innhold"].iter_rows()
             for c in row if c.hyperlink is not None}
    assert links["Andel"] == "'Andel'!A1" and links["Koder"] == "'Koder'!A1"
    assert wb["Andel"]["A2"].hyperlink.location == "'Innhold'!A1"
    header = [c.value for c in wb["Andel"][3]]
    assert "95 % KI nedre" in header and "95 % KI øvre" in header
    assert not any(str(h).endswith((" low", " high")) for h in header)
    assert [wb["Koder"].cell(row=r, column=1).value for r in (4, 5)] == [3403, 3411]
    assert wb["Koder"].cell(row=4, column=2).value == "Hamar"


def test_html_gives_long_text_room_and_lets_words_in_number_columns_wrap():
    import numpy as np

    from surveykit.reporting._html import table_html

    ft = report.table(pd.DataFrame({"Spørsmål": ["Hvor sannsynlig er det at du vil anbefale "
                                                 "Hamarregionen til en venn?", "Kort"],
                                    "n": [1046.0, 12.0]}), headers=True, language="nb")
    out = table_html(ft)
    assert '<td class="long">Hvor sannsynlig' in out and '<td class="num">1\xa0046</td>' in out
    words = report.FormattedTable(display=pd.DataFrame({"Endring": ["ikke sammenl.", "1,2"]}),
                                  numeric=pd.DataFrame({"Endring": [np.nan, 1.2]}),
                                  number_formats={"Endring": "0.0"},
                                  numeric_columns=("Endring",),
                                  suppressed=np.array([False, False]))
    assert '<td class="num words">ikke sammenl.</td>' in table_html(words)
