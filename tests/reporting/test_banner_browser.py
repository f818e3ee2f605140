"""A banner section in headless Chromium: spanning headings, letters, no overflow, no errors.

Needs Debian's ``chromium`` and the ``playwright`` Python package (the system browser is
used). Set ``SURVEYKIT_SCREENSHOT_DIR`` to keep the screenshot.
"""

import os
import shutil
from pathlib import Path

import pytest
from banner_example import example_table

import surveykit as sk

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} not found: apt-get install -y chromium"),
]

_LAYOUT = """() => {
  const t = document.querySelector('table.multihead');
  const heads = Array.from(t.querySelectorAll('thead tr')).map(r =>
    Array.from(r.cells).map(c => [c.textContent, c.colSpan, getComputedStyle(c).textAlign]));
  const wrap = t.closest('.tablewrap');
  const cell = t.querySelector('tbody tr:nth-child(3) td:nth-child(3)');
  return {heads, overflow: wrap.scrollWidth - wrap.clientWidth,
          cell: [cell.textContent, getComputedStyle(cell).textAlign],
          base: getComputedStyle(t.querySelector('tr.base td')).fontStyle,
          tables: document.querySelectorAll('table.multihead').length};
}"""


def test_banner_section_in_headless_chromium(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright not installed: pip install playwright")
    app = sk.report.Appendix("Vedlegg", language="nb")
    sk.report.add_banner_section(app, example_table("nb"))
    html = tmp_path / "banner.html"
    app.to_html(html)
    shot = tmp_path / "banner.png"
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(html.as_uri(), wait_until="load")
            got = page.evaluate(_LAYOUT)
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert got["tables"] == 3
    groups, cats, letters = got["heads"]
    assert [(t, span) for t, span, _ in groups] == [("", 1), ("Totalt", 1), ("Kommune", 3),
                                                    ("Kjønn", 3)]
    assert groups[2][2] == "center" and cats[2][0] == "Hamar"
    assert [t for t, _, _ in letters][2:] == ["A", "B", "D", "E", "F", "G"]
    assert got["cell"] == ["20\u00a0Bd", "right"]
    assert got["base"] == "italic"
    assert got["overflow"] <= 0  # the table fits the page: no sideways scrolling
    keep = os.environ.get("SURVEYKIT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "banner_nb.png")
