"""An offline map above every table that has latitude and longitude columns.

No tile server: the basemap is the bundled African country outlines
(`datactiviste.maps.geodata.countries_geojson`, Natural Earth) drawn as vectors. Leaflet and
Leaflet.markercluster are read from their xstatic packages at run time and served by our
plugin under /-/datactiviste/vendor/; nothing of them is copied into this repository.
The script fetches the table's rows as JSON with the page's own filters (up to
`MAX_POINTS`), clusters them, and zooms to them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from datactiviste.serve.export import LATITUDE_NAMES, LONGITUDE_NAMES

MAX_POINTS = 5000
VENDOR_PREFIX = "/-/datactiviste/vendor/"


@lru_cache(maxsize=None)
def vendor_files() -> dict[str, Path]:
    """{served name: installed file} for Leaflet and its cluster plugin."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    leaflet_dir, cluster_dir = Path(leaflet.BASE_DIR), Path(cluster.BASE_DIR)
    return {
        "leaflet.js": leaflet_dir / "leaflet.js",
        "leaflet.css": leaflet_dir / "leaflet.css",
        "leaflet.markercluster.js": cluster_dir / "leaflet.markercluster.js",
        "MarkerCluster.css": cluster_dir / "MarkerCluster.css",
        "MarkerCluster.Default.css": cluster_dir / "MarkerCluster.Default.css",
    }


def read_vendor_file(name: str) -> tuple[bytes, str] | None:
    path = vendor_files().get(name)
    if path is None:
        return None
    content_type = "text/javascript" if name.endswith(".js") else "text/css"
    body = path.read_bytes()
    if name.endswith(".js"):  # the source map is not shipped: do not make browsers ask for it
        body = body.replace(b"//# sourceMappingURL=leaflet.js.map", b"")
    return body, content_type + "; charset=utf-8"


@lru_cache(maxsize=1)
def countries_json() -> bytes:
    from datactiviste.maps.geodata import countries_geojson

    return json.dumps(countries_geojson(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def coordinate_columns(columns) -> tuple[str, str] | None:
    """(latitude column, longitude column) by name, or None."""
    lowered = {str(c).lower(): c for c in columns or []}
    latitude = next((lowered[n] for n in LATITUDE_NAMES if n in lowered and n != "y"), None)
    longitude = next((lowered[n] for n in LONGITUDE_NAMES if n in lowered and n != "x"), None)
    return (latitude, longitude) if latitude and longitude else None


def map_script(latitude: str, longitude: str, urls, translator, tiles=()) -> str:
    """The page script: Leaflet map, country outlines, clustered points from the table's JSON."""
    from markupsafe import escape

    layers = []
    for index, pack in enumerate(tiles):
        options = pack.leaflet_options(urls.path(f"/-/datactiviste/tiles/{index}/{{z}}/{{x}}/{{y}}"))
        options["attribution"] = str(escape(options["attribution"]))
        layers.append(options)
    settings = {
        "tiles": layers,
        "lat": latitude, "lon": longitude, "max": MAX_POINTS,
        "countries": urls.path("/-/datactiviste/countries.geojson"),
        "label": translator.gettext("Map of the rows (points grouped when close)"),
        "more": translator.gettext("The map shows the first {count} rows."),
        "credit": translator.gettext("Outlines: Natural Earth"),
    }
    return _SCRIPT.replace("__SETTINGS__", json.dumps(settings, ensure_ascii=False))


_SCRIPT = """
(function () {
  var S = __SETTINGS__;
  var anchor = document.querySelector(".table-wrapper") || document.querySelector(".zero-results");
  if (!anchor || !window.L) { return; }
  var box = document.createElement("div");
  box.className = "dt-map";
  box.id = "dt-map";
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", S.label);
  anchor.parentNode.insertBefore(box, anchor);
  var note = document.createElement("p");
  note.className = "dt-map-note";
  anchor.parentNode.insertBefore(note, anchor);
  var map = L.map(box, {maxZoom: 12, minZoom: 2, worldCopyJump: false});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(S.credit);
  map.setView([8, 10], 3);
  box.setAttribute("data-zoom", String(map.getZoom()));
  map.on("zoomend", function () { box.setAttribute("data-zoom", String(map.getZoom())); });
  (S.tiles || []).forEach(function (t) {
    L.tileLayer(t.url, {minZoom: t.minZoom, maxNativeZoom: t.maxZoom, maxZoom: 12,
                        bounds: t.bounds, attribution: t.attribution}).addTo(map);
  });
  var outlineFill = (S.tiles || []).length ? 0 : 1;
  fetch(S.countries).then(function (r) { return r.json(); }).then(function (data) {
    var outlines = L.geoJSON(data, {style: {color: "#6b7b8c", weight: 1, fillColor: "#f2efe6",
                                           fillOpacity: outlineFill}}).addTo(map);
    if (outlineFill) { outlines.bringToBack(); }
  });
  var cluster = L.markerClusterGroup({chunkedLoading: true});
  map.addLayer(cluster);
  var params = new URLSearchParams(location.search);
  ["_next", "_size", "_facet", "_col", "_nocol"].forEach(function (k) { params.delete(k); });
  params.set("_shape", "objects");
  params.set("_size", "max");
  var points = [];
  function load(url) {
    return fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      (data.rows || []).forEach(function (row) {
        var lat = parseFloat(row[S.lat]), lon = parseFloat(row[S.lon]);
        if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
          points.push(L.circleMarker([lat, lon], {radius: 5, color: "#b3361b", weight: 1,
                                                  fillOpacity: 0.8}));
        }
      });
      if (data.next_url && points.length < S.max) {
        return load(data.next_url);
      }
      if (data.next_url) { note.textContent = S.more.replace("{count}", points.length); }
    });
  }
  var jsonUrl = location.pathname.replace(/\\/$/, "") + ".json?" + params.toString();
  load(jsonUrl).then(function () {
    cluster.addLayers(points);
    if (points.length) { map.fitBounds(cluster.getBounds(), {padding: [20, 20], maxZoom: 10}); }
    box.setAttribute("data-points", String(points.length));
  });
})();
"""
