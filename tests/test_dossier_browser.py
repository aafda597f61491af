"""The built dossier in a real Chromium with the network cut: zero requests, figures drawn, phones, PDF."""

from __future__ import annotations

import re

import pytest

from datactiviste.dossier import build_dossier
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.dossier_helpers import full_dossier, sample_database


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    folder = full_dossier(root / "complet", sample_database(root / "datactiviste.db"))
    return build_dossier(folder, pdf=True)


def test_zero_requests_and_every_figure_drawn(built, offline_page):
    page = offline_page.open(built.html)
    assert offline_page.external == []
    assert offline_page.console_errors == []
    assert [p for p in offline_page.local if not p.startswith(("file:", "data:"))] == []
    sizes = page.eval_on_selector_all("figure svg", "els => els.map(e => e.getBoundingClientRect().height)")
    assert len(sizes) == 4 and min(sizes) > 150
    assert page.inner_text("h1").startswith("La liste Fleuve arrive en tête")
    assert "62\u00a0voix" in page.inner_text("main")
    assert page.locator("a[download$='.csv']").count() == 11


def test_phone_width_has_no_horizontal_scroll(built, offline_browser):
    context = offline_browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(built.html.resolve().as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("document.querySelector('figure svg').getBoundingClientRect().width") <= 390
    context.close()


def test_a_figure_links_to_its_data_and_back(built, offline_page):
    page = offline_page.open(built.html)
    page.click("#figure-5 .data-link a")
    assert page.evaluate("location.hash") == "#data-5"
    assert "Graphique 1" in page.inner_text("#data-5")


def test_pdf_is_printed_on_a4_pages(built):
    assert built.pdf is not None
    data = built.pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert 3 <= pages <= 12
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", data)
    assert abs(float(box.group(1)) - 595) < 3 and abs(float(box.group(2)) - 842) < 3   # A4 in points
