"""Open a realistic appendix in headless Chromium: no console errors, figures load, TOC works.

Needs Debian's ``chromium`` (``apt-get install -y chromium``) and the ``playwright`` Python
package (``pip install playwright``; no ``playwright install``: the system browser is used).
Set ``SURVEYKIT_SCREENSHOT_DIR`` to keep the full-page screenshot.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} not found: apt-get install -y chromium"),
]


@pytest.fixture(scope="module")
def appendix():
    from reporting_appendix_example import build_appendix

    return build_appendix("nb")


def _check_page(page, url):
    messages, errors = [], []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    images = page.evaluate("""() => Array.from(document.images).map(i => ({
        alt: i.alt, complete: i.complete, width: i.naturalWidth}))""")
    links = page.evaluate("""() => Array.from(document.querySelectorAll('nav.toc a'))
        .map(a => [a.getAttribute('href'),
                   !!document.getElementById(a.getAttribute('href').slice(1))])""")
    align = page.evaluate("""() => getComputedStyle(document.querySelector('td.num'))
        .textAlign""")
    return messages, errors, images, links, align


def test_appendix_in_headless_chromium(appendix, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright not installed: pip install playwright")
    html = tmp_path / "appendix.html"
    appendix.to_html(html)
    shot = tmp_path / "appendix.png"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            messages, errors, images, links, align = _check_page(page, html.as_uri())
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert [m for m in messages if m[0] == "error"] == []
    assert len(images) >= 2
    assert all(i["complete"] and i["width"] > 0 for i in images), images
    assert len(links) >= 5 and all(ok for _, ok in links), links
    assert align == "right"
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("SURVEYKIT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "appendix_nb.png")


def test_pdf_printed_by_chromium(appendix, tmp_path):
    pdf = appendix.to_pdf(tmp_path / "appendix.pdf")
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-"
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 3
