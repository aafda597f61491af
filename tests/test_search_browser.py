"""Search in a real Chromium with the network cut: a table's search box and the search of every table."""

from __future__ import annotations

import pytest

from datactiviste.ingest.importer import import_file
from datactiviste.serve.launch import prepare
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.french_csv import rows, write_french_csv

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recherche")
    db = folder / "projet.db"
    import_file(write_french_csv(folder / "paiements.csv"), db)
    communes = folder / "communes.csv"
    communes.write_text("commune,departement\nSaint-Louis,Saint-Louis\nDakar-Plateau,Dakar\nÉcole-Ville,Thiès\n",
                        encoding="utf-8")
    import_file(communes, db)
    prepared = prepare([db], language="fr", port=0)
    prepared.server.start_in_thread()
    yield prepared.server
    prepared.server.stop()


def _senegal_rows() -> list[str]:
    return [r[1] for r in rows() if "nég" in r[1].lower() or "SENEGAL" in r[1]]


def test_table_search_box_is_french_and_finds_accented_words(server, offline_page):
    page = offline_page.open(server.url + "projet/paiements")
    label = page.locator('label[for="_search"]')
    assert label.inner_text().strip() == "Rechercher :"
    page.fill("#_search", "senegal")
    page.press("#_search", "Enter")
    page.wait_for_url("**_search=senegal**")
    assert f"{len(_senegal_rows())} lignes où la recherche correspond à « senegal »" in page.inner_text("h3")
    shown = page.locator("td.col-beneficiaire").all_inner_texts()
    assert sorted(shown) == sorted(_senegal_rows())
    assert offline_page.external == [] and offline_page.console_errors == []


@pytest.mark.parametrize("width", [390, 1200])
def test_search_every_table_from_the_home_page(server, offline_page, width, tmp_path):
    offline_page.page.set_viewport_size({"width": width, "height": 900})
    page = offline_page.open(server.url)
    page.fill("#dt-search-q", "ecole")
    page.click('form.dt-search input[type="submit"]')
    page.wait_for_url("**/-/datactiviste/search?q=ecole")
    body = page.inner_text("body")
    expected = sum(1 for r in rows() if "cole" in r[1].lower())
    assert f"paiements (projet) — {expected} lignes" in body
    assert "communes (projet) — 1 ligne" in body
    marks = page.locator("mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} <= {"école", "ecole"}
    page.click("section.dt-search-table a:text('ligne 1')")
    page.wait_for_url("**/projet/paiements/1")
    assert "École Sénégalaise de Dakar" in page.inner_text("body")
    assert offline_page.external == [] and offline_page.console_errors == []
    page.go_back()
    page.screenshot(path=str(tmp_path / f"search-{width}.png"), full_page=True)
    # wide rows scroll inside their table, the page itself never sideways (phones)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
