"""folium elements that draw our data safely and compactly.

Why not folium's Marker/Popup/GeoJsonTooltip: they paste cell values into HTML (a value
`<img src=x onerror=...>` would run) and into JavaScript template literals, and cost ~1 KB of
script per marker. Here the data travels as one JSON array and popups are built with
`textContent`, so a value is always shown as text, and 5,000 points stay well under 1 MB.
"""

from __future__ import annotations

import json

from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

LEAFLET_JS = ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
CLUSTER_JS = ("markerclusterjs", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/"
                                 "1.1.0/leaflet.markercluster.js")
CLUSTER_CSS = [("markerclustercss", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/"
                                    "1.1.0/MarkerCluster.css"),
               ("markerclusterdefaultcss", "https://cdnjs.cloudflare.com/ajax/libs/"
                                           "leaflet.markercluster/1.1.0/MarkerCluster.Default.css")]


def js_json(value) -> str:
    """JSON safe to place inside a <script> element (no '</script>', no line separators)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# One helper shared by all layers: a popup table built with textContent (never innerHTML).
HELPERS = """
<script>
window.datactiviste = window.datactiviste || {
  table: function (labels, values) {
    var table = document.createElement("table");
    table.className = "dtv-popup";
    for (var i = 0; i < labels.length; i++) {
      if (values[i] === null || values[i] === undefined || values[i] === "") continue;
      var row = table.insertRow(), head = document.createElement("th"), cell = row.insertCell(-1);
      head.textContent = labels[i];
      row.insertBefore(head, cell);
      cell.textContent = String(values[i]);
    }
    return table;
  },
  text: function (value) {
    var span = document.createElement("span");
    span.textContent = String(value);
    return span;
  },
  counts: {}
};
</script>
"""


class Helpers(Element):
    def __init__(self):
        super().__init__(HELPERS)


class Outlines(MacroElement):
    """A vector basemap: country or region outlines, not clickable, drawn below the data."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.geoJSON({{ this.data }}, {interactive: false, style: {{ this.style }}})
          .addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, geojson: dict, style: dict):
        super().__init__()
        self._name = "Outlines"
        self.data = js_json(_geometry_only(geojson))
        self.style = js_json(style)


def _geometry_only(geojson: dict) -> dict:
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": f["geometry"]}
                         for f in geojson["features"]]}


class PointLayer(JSCSSMixin, MacroElement):
    """Circles from one compact array: [lat, lon, radius, colour index, tooltip, popup values...]."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
          var d = {{ this.data }}, dtv = window.datactiviste, markers = [];
          // Proportional circles shrink with a narrow map (a phone), down to half, and the
          // legend's circles follow through the --dtv-scale CSS variable: sizes stay comparable.
          function factor() {
            return d.scaled ? Math.max(0.5, Math.min(1, map.getSize().x / 720)) : 1;
          }
          var f = factor();
          document.documentElement.style.setProperty("--dtv-scale", f);
          d.rows.forEach(function (r) {
            var colour = d.colours[r[3]];
            var marker = L.circleMarker([r[0], r[1]], {radius: r[2] * f, color: "#ffffff", weight: 1,
                                                        fillColor: colour, fillOpacity: 0.8});
            marker.baseRadius = r[2];
            marker.bindPopup(function () { return dtv.table(d.labels, r.slice(5)); });
            if (r[4] !== null && r[4] !== "") marker.bindTooltip(function () { return dtv.text(r[4]); });
            markers.push(marker);
          });
          var group;
          if (d.cluster) {
            // Clustering runs in chunks so an old laptop stays responsive; count when done.
            group = L.markerClusterGroup({maxClusterRadius: 45, animate: false, chunkedLoading: true,
              chunkProgress: function (done, total) {
                if (total === markers.length && done === total) dtv.counts.points = total;
              }});
            group.addTo(map);
            group.addLayers(markers);
          } else {
            group = L.featureGroup(markers).addTo(map);
            dtv.counts.points = markers.length;
          }
          dtv.points = group;
          if (d.scaled) map.on("resize", function () {
            var g = factor();
            document.documentElement.style.setProperty("--dtv-scale", g);
            markers.forEach(function (m) { m.setRadius(m.baseRadius * g); });
          });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, rows: list[list], labels: list[str], colours: list[str], cluster: bool,
                 scaled: bool = False):
        """`scaled`: proportional circles, made smaller on a narrow map with their legend."""
        super().__init__()
        self._name = "PointLayer"
        self.data = js_json({"rows": rows, "labels": labels, "colours": colours, "cluster": cluster,
                             "scaled": scaled})
        self.default_js = [CLUSTER_JS] if cluster else []
        self.default_css = list(CLUSTER_CSS) if cluster else []


class AreaLayer(MacroElement):
    """Filled regions: each feature carries its class index, tooltip and popup values."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
          var d = {{ this.data }}, dtv = window.datactiviste;
          var layer = L.geoJSON(d.geojson, {
            style: function (f) {
              var c = f.properties.c;
              return {color: "#555555", weight: 1, fillOpacity: c === null ? 0.15 : 0.85,
                      fillColor: c === null ? "#d9d9d9" : d.colours[c]};
            },
            onEachFeature: function (f, l) {
              l.bindPopup(function () { return dtv.table(d.labels, f.properties.v); });
              l.bindTooltip(function () { return dtv.text(f.properties.t); }, {sticky: true});
            }
          }).addTo(map);
          dtv.counts.areas = d.geojson.features.length;
          dtv.areas = layer;
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, geojson: dict, labels: list[str], colours: list[str]):
        super().__init__()
        self._name = "AreaLayer"
        self.data = js_json({"geojson": geojson, "labels": labels, "colours": colours})


class EmbeddedTiles(MacroElement):
    """Raster tiles carried inside the page as data: URIs (from a trainer's MBTiles pack)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
          var d = {{ this.data }};
          var Embedded = L.TileLayer.extend({
            getTileUrl: function (c) {
              var tile = d.tiles[c.z + "/" + c.x + "/" + c.y];
              return tile ? "data:" + d.mime + ";base64," + tile : d.blank;
            }
          });
          new Embedded("", {minNativeZoom: d.min, maxNativeZoom: d.max, maxZoom: 18,
                            bounds: d.bounds}).addTo(map);
          window.datactiviste.counts.tiles = Object.keys(d.tiles).length;
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    BLANK = ("data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")

    def __init__(self, pack, bounds):
        super().__init__()
        self._name = "EmbeddedTiles"
        south, west, north, east = bounds
        self.data = js_json({"tiles": pack.tiles, "mime": pack.mime, "min": pack.min_zoom,
                             "max": pack.max_zoom, "blank": self.BLANK,
                             "bounds": [[south - 1, west - 1], [north + 1, east + 1]]})


class PlaceLabels(MacroElement):
    """Names written on the map (--labels), as text nodes (never HTML), not clickable."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
          var d = {{ this.data }}, group = L.layerGroup(), spans = [];
          d.labels.forEach(function (l) {
            var span = document.createElement("span");
            span.textContent = l[2];
            if (l[3]) span.style.transform = "translate(-50%, calc(-50% + " + l[3] + "px))";
            spans.push(span);
            group.addLayer(L.marker([l[0], l[1]], {interactive: false, keyboard: false,
              icon: L.divIcon({className: "dtv-label", html: span, iconSize: null})}));
          });
          group.addTo(map);
          // Names that would overlap a name already written (largest regions first) are
          // hidden until the reader zooms in; the tooltip still names every region.
          function declutter() {
            var kept = [];
            spans.forEach(function (span) {
              span.style.visibility = "";
              var r = span.getBoundingClientRect(), free = kept.every(function (k) {
                return r.right + 2 < k.left || k.right + 2 < r.left ||
                       r.bottom < k.top || k.bottom < r.top; });
              if (free) kept.push(r); else span.style.visibility = "hidden";
            });
            window.datactiviste.counts.labels = kept.length;
          }
          map.on("zoomend resize", declutter);
          declutter();
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, labels: list[tuple]):
        """(lat, lon, text[, dy]): dy px moves a name below its circle."""
        super().__init__()
        self._name = "PlaceLabels"
        self.data = js_json({"labels": [[round(label[0], 4), round(label[1], 4), label[2],
                                         round(label[3], 1) if len(label) > 3 else 0]
                                        for label in labels]})


class MetricScale(MacroElement):
    """A scale bar in kilometres only (Leaflet's default adds miles), bottom left."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, metric: true, maxWidth: 120, position: "bottomleft"})
          .addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"
