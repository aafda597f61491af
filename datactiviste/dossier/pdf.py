"""A PDF of the dossier when a Chromium-family browser is installed (headless print to PDF).

The page has no script and loads nothing, so Chromium's own `--print-to-pdf` is enough (no
Playwright at run time). Chromium, Chrome and Edge all accept these flags; without any of them
the dossier is still complete: the HTML prints to PDF from any browser (A4 stylesheet).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from datactiviste.dossier.folder import write_atomically
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

TIMEOUT = 90  # seconds: a first Chromium start on a slow laptop takes a while
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge",
              "chrome")
WINDOWS_PATHS = (r"Microsoft\Edge\Application\msedge.exe", r"Google\Chrome\Application\chrome.exe")


def find_browser() -> str | None:
    """A headless-capable Chromium, Chrome or Edge, or None. DATACTIVISTE_CHROMIUM wins."""
    explicit = os.environ.get("DATACTIVISTE_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    for root in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        for relative in WINDOWS_PATHS:
            if root and (Path(root) / relative).is_file():
                return str(Path(root) / relative)
    return None


def print_pdf(html_path: Path, pdf_path: Path, browser: str) -> Path:
    """Print `html_path` to `pdf_path` (renamed into place only when complete)."""
    with tempfile.TemporaryDirectory(prefix="dossier-pdf-") as scratch:
        target = Path(scratch) / "dossier.pdf"
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-dev-shm-usage", "--no-pdf-header-footer",
                   "--print-to-pdf-no-header",   # the same, for Chromium/Edge before 2023
                   f"--user-data-dir={Path(scratch) / 'profile'}",
                   f"--print-to-pdf={target}", html_path.resolve().as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise DatactivisteError(_("The browser could not print the PDF ({error}).").format(
                error=type(error).__name__),
                hint=_("The HTML is complete: open it and print to PDF.")) from None
        if not target.is_file() or target.stat().st_size == 0:
            raise DatactivisteError(_("The browser did not write the PDF."),
                                    hint=_("The HTML is complete: open it and print to PDF."))
        return write_atomically(pdf_path, target.read_bytes())
