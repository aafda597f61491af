"""The maps in a real Chromium with the network cut: they draw, popups open, data stays text."""

from __future__ import annotations

import pytest

from datactiviste.maps.build import write_map
from datactiviste.maps.points import MapOptions
from tests.browser import offline_browser, offline_page  # noqa: F401 (fixtures)
from tests.test_maps_fixtures import (XSS, big_points_db, places_db, points_db,  # noqa: F401
                                      regions_db)


def _open(offline_page, path):
    dialogs = []
    offline_page.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page = offline_page.open(path)
    page.wait_for_function("window.datactiviste && Object.keys(window.datactiviste.counts).length")
    return page, dialogs


def _assert_clean(offline_page, dialogs):
    assert offline_page.external == []
    assert offline_page.console_errors == []
    assert dialogs == []                       # the <img onerror=alert> never ran


def test_point_map_draws_every_point_and_shows_data_as_text(points_db, offline_page, tmp_path):
    out = tmp_path / "points.html"
    write_map(points_db, out, MapOptions(title="Écoles", size="eleves", color="statut"), table="ecoles")
    page, dialogs = _open(offline_page, out)
    markers = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    assert markers.count() == 100
    assert page.locator(".dtv-title").inner_text() == "Écoles"
    assert "ecoles_senegal.csv" in page.locator(".dtv-source").inner_text()
    assert "franco-arabe" in page.locator(".dtv-legend").inner_text()
    # The first school is named with an XSS payload: its popup shows it as text.
    page.evaluate("window.datactiviste.points.getLayers()[0].openPopup()")
    popup = page.locator(".leaflet-popup-content")
    assert XSS in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert "Élèves" in popup.inner_text()
    page.evaluate("window.datactiviste.points._map.closePopup()")
    page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 0")
    markers.nth(5).click(force=True)           # and a real click opens another popup
    assert page.locator(".leaflet-popup-content").inner_text().startswith("Nom de l'école")
    _assert_clean(offline_page, dialogs)


def test_clustered_map(big_points_db, offline_page, tmp_path):
    out = tmp_path / "cluster.html"
    write_map(big_points_db, out, MapOptions(), table="ecoles")
    page, dialogs = _open(offline_page, out)
    # Clustering runs in chunks: the count is published once every point is in the clusters.
    state = page.evaluate("[window.datactiviste.counts.points, window.datactiviste.points.getLayers().length]")
    assert state == [5000, 5000]
    clusters = page.locator(".marker-cluster")
    assert clusters.count() > 3
    # Under load, cluster icons and single markers can overlap for a frame while the clusters
    # settle: wait until no point is drawn twice, then check the counts.
    page.wait_for_function("""() => {
        const total = [...document.querySelectorAll('.marker-cluster')]
            .reduce((sum, el) => sum + parseInt(el.innerText || '0', 10), 0);
        const singles = document.querySelectorAll(
            '.leaflet-marker-pane path, .leaflet-overlay-pane path.leaflet-interactive').length;
        return total > 0 && total + singles <= 5000;
    }""", timeout=20000)
    total = sum(int(t) for t in clusters.all_inner_texts())
    singles = page.locator(".leaflet-marker-pane path, .leaflet-overlay-pane path.leaflet-interactive").count()
    assert 0 < total <= 5000 and total + singles <= 5000
    _assert_clean(offline_page, dialogs)


def test_choropleth(regions_db, offline_page, tmp_path):
    """Population is a count: circles by area over the regions, a legend of round values."""
    out = tmp_path / "regions.html"
    result = write_map(regions_db, out, MapOptions(title="Population", region="region",
                                                   value="habitants"), table="population")
    assert result.unmatched == [XSS, "Atlantide"]
    assert result.choice.startswith("Cercles proportionnels")
    page, dialogs = _open(offline_page, out)
    counts = page.evaluate("window.datactiviste.counts")
    assert counts["areas"] == 14 and counts["points"] == 8   # 8 regions have data, 6 none
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 22
    legend = page.locator(".dtv-legend").inner_text()
    assert "pas de données" in legend and "3\u00a0732\u00a0284" not in legend
    assert "2\u00a0000\u00a0000" in legend or "2\u00a0500\u00a0000" in legend
    page.evaluate("window.datactiviste.areas.getLayers().find(l => l.feature.properties.v[0] === 'Thiès').openPopup()")
    assert "2\u00a0162\u00a0833" in page.locator(".leaflet-popup-content").inner_text()
    _assert_clean(offline_page, dialogs)


def test_place_name_map(places_db, offline_page, tmp_path):
    out = tmp_path / "places.html"
    result = write_map(places_db, out, MapOptions(place="commune", countries={"SN"}), table="marches")
    assert result.unmatched == [XSS, "Ndiobène Gandiol"]    # a village too small for the gazetteer
    page, dialogs = _open(offline_page, out)
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 8
    assert "GeoNames" in page.locator(".dtv-credits").inner_text()
    page.evaluate("window.datactiviste.points.getLayers()[0].openPopup()")
    assert "marches" in page.locator(".leaflet-popup-content").inner_text()
    _assert_clean(offline_page, dialogs)


def test_embedded_tile_pack(points_db, offline_page, tmp_path):
    from tests.test_maps_fixtures import make_mbtiles

    pack = make_mbtiles(tmp_path / "senegal.mbtiles")
    out = tmp_path / "tiles.html"
    result = write_map(points_db, out, MapOptions(tiles=str(pack)), table="ecoles")
    assert any("tuiles" in m for m in result.messages)
    page, dialogs = _open(offline_page, out)
    page.wait_for_function("document.querySelectorAll('img.leaflet-tile-loaded').length > 0")
    sources = page.eval_on_selector_all("img.leaflet-tile", "els => els.map(e => e.src.slice(0, 22))")
    assert sources and all(s.startswith("data:") for s in sources)
    assert any(s.startswith("data:image/png;base64") for s in sources)
    assert "Pack du formateur" in page.locator(".dtv-credits").inner_text()
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 100
    _assert_clean(offline_page, dialogs)
