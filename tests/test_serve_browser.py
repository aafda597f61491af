"""The served pages in a real Chromium with the network cut: nothing external, no script error."""

from __future__ import annotations

from pathlib import Path

import pytest

from datactiviste.serve.launch import prepare
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.serve_fixtures import make_project_db

pytestmark = pytest.mark.browser

PAGES = {
    "index": ("", "datactiviste : vos données"),
    "database": ("projet", "Requête SQL personnalisée"),
    "table": ("projet/depenses?_facet=region&_sort_desc=montant", "À propos de ces données"),
    "row": ("projet/communes/01001", "Liens depuis d’autres tables"),
    "query": ("projet?sql=select+region%2C+count(*)+from+depenses+group+by+region", "renvoyant 5 lignes"),
    "error": ("projet/absente", "Table introuvable"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = make_project_db(tmp_path_factory.mktemp("browser") / "projet.db")
    prepared = prepare([path], language="fr", port=0)
    prepared.server.start_in_thread()
    yield prepared.server
    prepared.server.stop()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_works_offline_in_french(server, offline_page, name):
    path, expected = PAGES[name]
    page = offline_page.open(server.url + path)
    assert expected in page.inner_text("body")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert offline_page.external == []
    errors = offline_page.console_errors
    if name == "error":  # Chromium reports the page's own 404 status; that is the point of the page
        errors = [e for e in errors if "404" not in e]
    assert errors == []
    assert any(url.endswith("app.css") or "app.css?" in url for url in offline_page.local)


def test_column_menu_is_french_and_works(server, offline_page):
    page = offline_page.open(server.url + "projet/depenses")
    page.click('th[data-column="montant"] svg')
    menu = page.locator(".dropdown-menu")
    menu.wait_for(state="visible")
    text = menu.inner_text()
    assert "Trier par ordre décroissant" in text and "Facette sur cette colonne" in text
    assert "Type : REAL" in text
    page.click("a.dropdown-sort-desc")
    page.wait_for_url("**_sort_desc=montant**")
    assert "triées par montant (ordre décroissant)" in page.inner_text("h3")
    assert offline_page.external == [] and offline_page.console_errors == []


def test_numbers_read_the_french_way_and_keys_stay_links(server, offline_page):
    import json
    import urllib.request

    from datactiviste.i18n.formats import format_exact

    with urllib.request.urlopen(server.url + "projet/depenses.json?_shape=array&_sort_desc=montant&_size=1") as r:
        top = json.loads(r.read())[0]
    page = offline_page.open(server.url + "projet/depenses?_sort_desc=montant")
    first_row = "table.rows-and-columns tbody tr:first-child "
    shown = page.inner_text(first_row + "td.col-montant")
    assert shown == format_exact(top["montant"], "fr") and "\u00a0" in shown and "," in shown
    assert page.inner_text(first_row + "td.col-latitude") == str(top["latitude"]).replace(".", ",")
    page.click(first_row + "td.col-code_commune a")  # a foreign key: still a link to its row
    page.wait_for_url(f"**/projet/communes/{top['code_commune']}")
    assert top["code_commune"] in page.inner_text("body")
    assert offline_page.external == [] and offline_page.console_errors == []


def test_table_with_coordinates_shows_an_offline_clustered_map(server, offline_page):
    page = offline_page.open(server.url + "projet/depenses")
    page.wait_for_selector("#dt-map[data-points]", timeout=15000)
    assert page.get_attribute("#dt-map", "data-points") == "120"
    page.wait_for_function("document.querySelectorAll('#dt-map path.leaflet-interactive').length > 20")
    clusters = page.locator("#dt-map .marker-cluster, #dt-map path.leaflet-interactive")
    assert clusters.count() > 20
    assert page.locator("#dt-map .marker-cluster").count() >= 1
    assert "Natural Earth" in page.inner_text("#dt-map .leaflet-control-attribution")
    assert offline_page.external == [] and offline_page.console_errors == []
    assert not any("tile" in url for url in offline_page.local)


def test_map_follows_the_filters(server, offline_page):
    page = offline_page.open(server.url + "projet/depenses?region=Dakar")
    page.wait_for_selector("#dt-map[data-points]", timeout=15000)
    assert page.get_attribute("#dt-map", "data-points") == "30"


def test_table_without_coordinates_has_no_map(server, offline_page):
    page = offline_page.open(server.url + "projet/communes")
    assert page.locator("#dt-map").count() == 0
    assert not any("leaflet" in url for url in offline_page.local)


def test_home_page_upload_imports_a_file_and_shows_the_report(tmp_path, offline_page):
    path = make_project_db(tmp_path / "projet.db", rows=5)
    prepared = prepare([path], language="fr", port=0)
    prepared.server.start_in_thread()
    try:
        csv_file = tmp_path / "écoles.csv"
        csv_file.write_bytes("commune;élèves\nThiès;1 234\nKaolack;567\n".encode("cp1252"))
        page = offline_page.open(prepared.server.url)
        assert "Ajouter un fichier" in page.inner_text("body")
        page.set_input_files("form.dt-upload input[type=file]", str(csv_file))
        page.click("form.dt-upload input[type=submit]")
        page.wait_for_selector("pre.dt-report")
        report = page.inner_text("body")
        assert "Rapport d’import" in report and "ecoles" in report
        page.click("text=Ouvrir la table")
        page.wait_for_selector("table.rows-and-columns")
        body = page.inner_text("body")
        assert "1234" in body.replace("\u00a0", "").replace(" ", "") and "À propos de ces données" in body
        assert offline_page.external == [] and offline_page.console_errors == []
    finally:
        prepared.server.stop()


def test_a_trainer_tile_pack_is_drawn_under_the_map_offline(tmp_path, offline_page):
    from tests.serve_fixtures import make_tile_pack

    path = make_project_db(tmp_path / "projet.db", rows=20)
    pack = make_tile_pack(tmp_path / "senegal.mbtiles")
    prepared = prepare([path], language="fr", port=0, tiles=[pack])
    prepared.server.start_in_thread()
    try:
        page = offline_page.open(prepared.server.url + "projet/depenses")
        page.wait_for_selector("#dt-map[data-points]", timeout=15000)
        page.wait_for_function(
            "Array.from(document.querySelectorAll('#dt-map img.leaflet-tile-loaded')).length > 0")
        tiles = [u for u in offline_page.local if "/-/datactiviste/tiles/0/" in u]
        assert tiles and offline_page.external == [] and offline_page.console_errors == []
        attribution = page.inner_text("#dt-map .leaflet-control-attribution")
        assert "Formateur <b>test</b>" in attribution  # shown as text, not HTML
    finally:
        prepared.server.stop()
