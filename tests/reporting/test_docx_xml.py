"""Paragraphs written as WordprocessingML are the ones python-docx writes, element for element."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor
from lxml import etree

from surveykit.reporting._docx import _Body, _caption_xml, _notes_xml, _paragraph_xml, _run_xml
from surveykit.reporting._docx_table import W_NS

_TEXTS = ["Plain", " leading and trailing ", "tab\there", "two\nlines\r\nand CR",
          "A & B < C > D", "", "\t", "Ærlig talt → 50 %"]


def _xml(element) -> bytes:
    """The element's XML with only the namespaces it uses declared (exclusive C14N)."""
    return etree.tostring(element, method="c14n", exclusive=True)


def _parsed(xml: str):
    return parse_xml(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>')[0]


@pytest.mark.parametrize("text", _TEXTS)
def test_run_is_python_docx_run(text: str) -> None:
    para = Document().add_paragraph()
    run = para.add_run(text)
    run.bold = True
    assert _xml(_parsed(f"<w:p>{_run_xml(text, '<w:b/>')}</w:p>")[0]) == _xml(run._r)


@pytest.mark.parametrize("text", _TEXTS)
def test_paragraph_and_heading_are_python_docx_ones(text: str) -> None:
    doc = Document()
    body = _Body(doc)
    assert _xml(_parsed(_paragraph_xml(text))) == _xml(doc.add_paragraph(text)._p)
    for level in (0, 1, 3):
        body.heading(text, level)
        assert _xml(_parsed(body._xml.pop())) == _xml(doc.add_heading(text, level)._p)


@pytest.mark.parametrize("keep_next", [True, False])
def test_caption_is_python_docx_caption(keep_next: bool) -> None:
    doc = Document()
    para = doc.add_paragraph(style="Caption")
    lead = para.add_run("Table 3. ")
    lead.bold, lead.font.color.rgb = True, RGBColor.from_string("1F4E79")
    body = para.add_run("Trust & use\tby region")
    body.bold, body.font.color.rgb = True, RGBColor(0, 0, 0)
    para.paragraph_format.keep_with_next = keep_next
    para.paragraph_format.space_before, para.paragraph_format.space_after = Pt(8), Pt(3)
    ours = _parsed(_caption_xml(_Body(doc).style_id("Caption"), "Table", "3",
                                "Trust & use\tby region", keep_next=keep_next))
    assert _xml(ours) == _xml(para._p)


def test_notes_are_python_docx_paragraphs() -> None:
    doc = Document()
    expected = []
    for i, note in enumerate(["CI = confidence interval.", "n < 10: not shown."]):
        para = doc.add_paragraph()
        if i == 0:
            lead = para.add_run("Notes: ")
            lead.bold, lead.font.size = True, Pt(8.5)
        run = para.add_run(note)
        run.font.size, run.font.color.rgb = Pt(8.5), RGBColor.from_string("5B6475")
        para.paragraph_format.space_after = Pt(0)
        expected.append(_xml(para._p))
    body = parse_xml(f'<w:body xmlns:w="{W_NS}">'
                     f'{_notes_xml("Notes", ("CI = confidence interval.", "n < 10: not shown."))}'
                     "</w:body>")
    assert [_xml(p) for p in body] == expected
