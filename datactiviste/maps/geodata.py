"""The bundled reference geodata: African country and region (admin-1) outlines, and places.

A small stable API, shared with the Datasette server (`datactiviste.serve`) for its offline map:
`countries_geojson()`, `regions_geojson(country_iso2=None)`, and the file paths below. The files
are built by `scripts/build_geodata.py` (Natural Earth admin-1, GeoNames, pycountry; see
`assets/geo/SOURCES.md`); nothing here needs shapely or the network.

Feature properties:
- countries: code (ISO 3166-1 alpha-2), iso3, name, name_fr, alt (list), outdated_regions
- regions: code (ISO 3166-2, empty for Somaliland), country, name, name_fr, type, alt (list)
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parents[1] / "assets" / "geo"
COUNTRIES_PATH = GEO_DIR / "africa_countries.geojson"
COUNTRIES_COARSE_PATH = GEO_DIR / "africa_countries_coarse.geojson"   # for continental maps
REGIONS_PATH = GEO_DIR / "africa_regions.geojson"
PLACES_PATH = GEO_DIR / "africa_places.tsv.gz"
SOURCES_PATH = GEO_DIR / "SOURCES.md"

# Above this span (degrees), a map uses the coarse country outlines and no region lines.
WIDE_SPAN = 12.0
# Countries whose bundled (Natural Earth) regions predate a reform: say so when they are used.
OUTDATED_REGIONS = ("CD", "CI", "MG", "ML", "TD")


@lru_cache(maxsize=None)
def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def countries_geojson(detail: str = "fine") -> dict:
    """All bundled African country outlines, as a GeoJSON FeatureCollection (a fresh copy).

    detail="coarse" gives the lighter outlines (88 KB instead of 313 KB) for continental maps."""
    return copy.deepcopy(_load(COUNTRIES_COARSE_PATH if detail == "coarse" else COUNTRIES_PATH))


def regions_geojson(country_iso2: str | None = None) -> dict:
    """Admin-1 region outlines, of one country (ISO 3166-1 alpha-2) or of all Africa."""
    features = _load(REGIONS_PATH)["features"]
    if country_iso2:
        wanted = country_iso2.upper()
        features = [f for f in features if f["properties"]["country"] == wanted]
    return {"type": "FeatureCollection", "features": copy.deepcopy(features)}


def country_codes() -> list[str]:
    """ISO alpha-2 codes of the bundled countries."""
    return [f["properties"]["code"] for f in _load(COUNTRIES_PATH)["features"]]


def feature_bbox(feature: dict) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of a Polygon/MultiPolygon feature."""
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    xs = [x for polygon in polygons for ring in polygon for x, _y in ring]
    ys = [y for polygon in polygons for ring in polygon for _x, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _in_ring(lon: float, lat: float, ring: list) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(feature: dict, lon: float, lat: float) -> bool:
    """Point in a Polygon/MultiPolygon feature (even-odd rule; holes respected). Pure Python."""
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        if _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, h) for h in polygon[1:]):
            return True
    return False


@lru_cache(maxsize=None)
def _country_boxes(path: Path = COUNTRIES_PATH) -> tuple:
    return tuple((f, feature_bbox(f)) for f in _load(path)["features"])


def is_wide(bbox: tuple[float, float, float, float]) -> bool:
    """True for a (min lon, min lat, max lon, max lat) box spanning several countries."""
    return max(bbox[2] - bbox[0], bbox[3] - bbox[1]) > WIDE_SPAN


def country_at(lon: float, lat: float) -> str | None:
    """ISO alpha-2 of the bundled African country containing the point, or None."""
    for feature, (x0, y0, x1, y1) in _country_boxes():
        if x0 <= lon <= x1 and y0 <= lat <= y1 and contains(feature, lon, lat):
            return feature["properties"]["code"]
    return None


def countries_near(bbox: tuple[float, float, float, float], margin: float = 2.0) -> dict:
    """Country outlines whose box meets `bbox` (min lon, min lat, max lon, max lat) widened by
    `margin` degrees: the basemap. Coarse outlines when the box is wide (see `is_wide`)."""
    x0, y0, x1, y1 = bbox[0] - margin, bbox[1] - margin, bbox[2] + margin, bbox[3] + margin
    path = COUNTRIES_COARSE_PATH if is_wide(bbox) else COUNTRIES_PATH
    features = [copy.deepcopy(f) for f, (a, b, c, d) in _country_boxes(path)
                if a <= x1 and c >= x0 and b <= y1 and d >= y0]
    return {"type": "FeatureCollection", "features": features}
