"""The demo appendices as a client sees them in Word: converted to PDF with LibreOffice.

Each bundled study's DOCX is converted with ``soffice --headless --convert-to pdf``; every
page must be A4 (portrait, or landscape for a wide table), no figure may be wider or taller
than the text area, and the page count stays within a stated range. The first pages and
the comparison-table page are rendered to PNG with ``pdftoppm`` and kept in
``$SURVEYKIT_DOCX_PAGES_DIR`` (CI sets ``build/docx-pages``) for a person to look at.

Needs LibreOffice Writer and poppler (Debian: ``apt-get install -y libreoffice-writer-nogui
poppler-utils``); skipped only where they are not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.reporting._docx import PAGE_CM, TEXT_AREA_CM
from surveykit.study import DEMO_DATA_DIRS, bundled_studies

TOOLS = ("soffice", "pdfinfo", "pdfimages", "pdftotext", "pdftoppm")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.office,
    pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                       reason="needs LibreOffice and poppler: apt-get install -y "
                              "libreoffice-writer-nogui poppler-utils"),
]

#: pages of each demo appendix as LibreOffice sets it (stated range, not an exact count);
#: the reputation study's banner tables add about six landscape pages (three tables a page)
PAGES = {"reputation_2026": (36, 64), "needs_assessment": (14, 30), "meeting_places": (5, 14)}
#: what the comparison table's caption starts with, per study that has one
COMPARISON = {"reputation_2026": "Endring 2024"}
A4_PT = sorted(round(cm / 2.54 * 72) for cm in PAGE_CM)
#: a figure may exceed the text area by rounding only (cm)
SLACK_CM = 0.15


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("demo") / "data"
    sk.make_demo_study(root)
    out = tmp_path_factory.mktemp("docx")
    docs = []
    for name in PAGES:
        study = sk.Study.load(bundled_studies()[name])
        result = study.run(out / name, data_root=root / DEMO_DATA_DIRS[name],
                           outputs=("docx",))
        target = out / f"{name}.docx"
        shutil.copyfile(result.out / "appendix.docx", target)
        docs.append(target)
    profile = (tmp_path_factory.mktemp("lo-profile")).as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, docs)],
                   check=True, capture_output=True, timeout=900)
    return {name: out / f"{name}.pdf" for name in PAGES}


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _page_sizes(pdf: Path) -> list[tuple[int, int]]:
    count = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))
    info = _run("pdfinfo", "-f", "1", "-l", str(count), str(pdf))
    return [(round(float(w)), round(float(h))) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def _images_cm(pdf: Path) -> list[tuple[int, float, float]]:
    """(page, printed width, printed height) of every image, from its pixels and ppi."""
    out = []
    for line in _run("pdfimages", "-list", str(pdf)).splitlines()[2:]:
        f = line.split()
        if f[2] != "image":
            continue
        page, width, height, xppi, yppi = int(f[0]), int(f[3]), int(f[4]), int(f[12]), int(f[13])
        out.append((page, width / xppi * 2.54, height / yppi * 2.54))
    return out


def _page_with(pdf: Path, pages: int, text: str) -> int:
    for page in range(1, pages + 1):
        if text in _run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"):
            return page
    raise AssertionError(f"no page of {pdf.name} shows {text!r}")


def _keep_pngs(pdf: Path, name: str, pages: list[int]) -> None:
    keep = os.environ.get("SURVEYKIT_DOCX_PAGES_DIR")
    target = Path(keep) if keep else pdf.parent / "pages"
    target.mkdir(parents=True, exist_ok=True)
    for page in pages:
        _run("pdftoppm", "-png", "-singlefile", "-r", "80", "-f", str(page), "-l", str(page),
             str(pdf), str(target / f"{name}-p{page:02d}"))
    assert len(list(target.glob(f"{name}-p*.png"))) >= len(set(pages))


@pytest.mark.parametrize("name", list(PAGES))
def test_demo_docx_prints_on_a4_with_figures_inside_the_text_area(pdfs, name):
    pdf = pdfs[name]
    sizes = _page_sizes(pdf)
    low, high = PAGES[name]
    assert low <= len(sizes) <= high, f"{name}: {len(sizes)} pages"
    assert sizes[0] == tuple(A4_PT), f"{name}: first page {sizes[0]} pt is not A4 portrait"
    assert all(sorted(s) == A4_PT for s in sizes), f"{name}: a page is not A4: {set(sizes)}"
    for page, width, height in _images_cm(pdf):
        landscape = sizes[page - 1][0] > sizes[page - 1][1]
        area = TEXT_AREA_CM[::-1] if landscape else TEXT_AREA_CM
        assert width <= area[0] + SLACK_CM and height <= area[1] + SLACK_CM, (
            f"{name}: the image on page {page} prints {width:.1f} x {height:.1f} cm, "
            f"larger than the text area {area[0]:.1f} x {area[1]:.1f} cm")
    shown = [1, 2]
    if name in COMPARISON:
        shown.append(_page_with(pdf, len(sizes), COMPARISON[name]))
    figures = sorted({page for page, _, _ in _images_cm(pdf)})
    _keep_pngs(pdf, name, shown + figures[:3])
