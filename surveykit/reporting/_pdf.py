"""Print an Appendix to PDF with headless Chromium (the HTML is the source of truth)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from surveykit._writing import write_atomic

if TYPE_CHECKING:
    from surveykit.reporting._appendix import Appendix

__all__ = ["find_chromium", "render_pdf"]

_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run",
          "--no-pdf-header-footer")


def find_chromium(chromium: str | None = None) -> str:
    """Path of a Chromium executable, or a ``FileNotFoundError`` saying how to install one."""
    for candidate in ((chromium,) if chromium else _CANDIDATES):
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    tried = chromium or ", ".join(_CANDIDATES)
    raise FileNotFoundError(
        f"PDF output needs a headless Chromium browser; none found (tried {tried}). "
        "Install it (Debian/Ubuntu: apt-get install chromium) or pass chromium='/path'. "
        "The HTML appendix has the same content.")


def render_pdf(app: Appendix, path: Path, *, chromium: str | None = None,
               timeout: float = 120.0) -> Path:
    """Write the HTML to a temporary file and print it to ``path`` with Chromium."""
    exe = find_chromium(chromium)
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="surveykit-pdf-") as tmp:
        html_path = Path(tmp) / "appendix.html"
        app.to_html(html_path)
        printed = Path(tmp) / "appendix.pdf"
        cmd = [exe, *_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={printed}",
               html_path.as_uri()]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                check=False)
        if result.returncode != 0 or not printed.exists():
            raise RuntimeError(f"Chromium could not print {path.name} (exit code "
                               f"{result.returncode}): {result.stderr.strip()[-500:]}")
        return write_atomic(path, printed.read_bytes())
