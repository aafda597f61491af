"""Where a region's name or circle goes: a point inside its largest polygon, near the middle.

The centroid of a crescent-shaped region (Saint-Louis, Matam) falls outside it; we take the
horizontal line through the polygon's centroid and put the point in the middle of the widest
stretch of that line that lies inside the polygon, which is inside by construction.
"""

from __future__ import annotations


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _area_centroid(ring: list) -> tuple[float, float, float]:
    """(|area|, x, y) of a ring by the shoelace formula (degrees; fine for choosing)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def _crossings(polygon: list, y: float) -> list[float]:
    xs = []
    for ring in polygon:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            if (y0 <= y < y1) or (y1 <= y < y0):
                xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return sorted(xs)


def label_point(geometry: dict) -> tuple[float, float] | None:
    """(lon, lat) inside the largest polygon of a Polygon/MultiPolygon, or None."""
    polygons = [p for p in _rings(geometry) if p and len(p[0]) >= 3]
    if not polygons:
        return None
    largest = max(polygons, key=lambda p: _area_centroid([tuple(c[:2]) for c in p[0]])[0])
    polygon = [[tuple(c[:2]) for c in ring] for ring in largest]
    _area, x, y = _area_centroid(polygon[0])
    xs = _crossings(polygon, y)
    spans = [(xs[i + 1] - xs[i], (xs[i] + xs[i + 1]) / 2) for i in range(0, len(xs) - 1, 2)]
    if spans:
        return max(spans)[1], y
    return x, y
