"""One entry point for the `map` command: read rows, pick the kind of map, write the files."""

from __future__ import annotations

import json
from pathlib import Path

from datactiviste.built_from import into_html, into_json, record
from datactiviste.maps.data import load_rows
from datactiviste.maps.points import MapOptions, MapResult, point_map
from datactiviste.offline import write_offline_html


def build_map(db, options: MapOptions, table: str | None = None, sql: str | None = None) -> MapResult:
    """A choropleth when a region column is given, else a point map (coordinates or place names)."""
    rows = load_rows(db, table=table, sql=sql)
    if options.region:
        from datactiviste.maps.choropleth import choropleth_map

        return choropleth_map(rows, options)
    return point_map(rows, options)


def write_geojson(path, geojson: dict, source: dict | None = None) -> Path:
    """GeoJSON for uMap or QGIS; `source` (what it was built from) as a foreign member."""
    path = Path(path)
    path.write_text(json.dumps(into_json(geojson, source), ensure_ascii=False, sort_keys=True,
                               default=str) + "\n", encoding="utf-8")
    return path


def write_map(db, output, options: MapOptions, table=None, sql=None, geojson=None,
              png=None, svg=None) -> MapResult:
    """Build first, write after: a failed map leaves no half-written file behind.

    Every file records the data it was drawn from (`datactiviste.built_from`), invisibly."""
    result = build_map(db, options, table=table, sql=sql)
    source = record(db, table=table, sql=sql)
    if output:
        write_offline_html(output, into_html(result.html, source), what="map")
    if geojson:
        write_geojson(geojson, result.geojson, source)
    if png or svg:
        from datactiviste.maps.static import write_static

        write_static(result.scene, svg_path=svg, png_path=png, source=source)
    return result
