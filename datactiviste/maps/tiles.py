"""`--tiles FILE.mbtiles`: a trainer's raster tile pack embedded in the map, still one file.

MBTiles is SQLite (tiles stored by zoom/column/TMS row, plus a metadata table). We embed only
the tiles that cover the map's area, from the zoom that shows the whole area up to the pack's
deepest zoom, stopping before the embedded tiles exceed a byte budget; Leaflet enlarges the
deepest embedded level when the reader zooms further. Vector packs (pbf) need a renderer we do
not ship, so they are refused with a message.
"""

from __future__ import annotations

import base64
import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

DEFAULT_BUDGET = 4 * 1024 * 1024     # bytes of tiles embedded at most
MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


@dataclass
class TilePack:
    mime: str
    tiles: dict[str, str] = field(default_factory=dict)   # "z/x/y" -> base64
    min_zoom: int = 0
    max_zoom: int = 0
    attribution: str = ""
    size: int = 0


def tile_x(lon: float, zoom: int) -> int:
    return min(2 ** zoom - 1, max(0, int((lon + 180) / 360 * 2 ** zoom)))


def tile_y(lat: float, zoom: int) -> int:
    lat = max(-85.0511, min(85.0511, lat))
    rad = math.radians(lat)
    y = (1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * 2 ** zoom
    return min(2 ** zoom - 1, max(0, int(y)))


def fitting_zoom(bounds: tuple[float, float, float, float], pixels: int = 900) -> int:
    """The zoom at which (south, west, north, east) fits about `pixels` wide."""
    south, west, north, east = bounds
    for zoom in range(18, -1, -1):
        width = (tile_x(east, zoom) - tile_x(west, zoom) + 1) * 256
        height = (tile_y(south, zoom) - tile_y(north, zoom) + 1) * 256
        if width <= pixels * 1.5 and height <= pixels * 1.5:
            return zoom
    return 0


def read_tiles(path: str | Path, bounds, budget: int = DEFAULT_BUDGET) -> TilePack:
    path = Path(path)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        metadata = dict(connection.execute("SELECT name, value FROM metadata").fetchall())
    except sqlite3.Error as error:
        raise DatactivisteError(_("{path} is not an MBTiles tile pack: {error}").format(path=path, error=error),
                                hint=_("Ask your trainer for a raster .mbtiles file (PNG or JPEG tiles).")) from None
    try:
        kind = (metadata.get("format") or "png").lower()
        if kind not in MIME:
            raise DatactivisteError(_("{path} holds {format} tiles: only raster tiles (PNG, JPEG, WebP) can be "
                                      "embedded in a map.").format(path=path, format=kind))
        levels = [z for (z,) in connection.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY 1")]
        if not levels:
            raise DatactivisteError(_("{path} has no tiles.").format(path=path))
        pack = TilePack(MIME[kind], attribution=metadata.get("attribution", "") or metadata.get("name", ""))
        start = max(levels[0], min(levels[-1], fitting_zoom(bounds)))
        pack.min_zoom = start
        south, west, north, east = bounds
        for zoom in [z for z in levels if z >= start]:
            x0, x1 = tile_x(west, zoom), tile_x(east, zoom)
            y0, y1 = tile_y(north, zoom), tile_y(south, zoom)
            rows = connection.execute(
                "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ? AND "
                "tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ? ORDER BY 1, 2",
                (zoom, x0, x1, 2 ** zoom - 1 - y1, 2 ** zoom - 1 - y0)).fetchall()
            level_size = sum(len(data) for _x, _y, data in rows)
            if pack.tiles and pack.size + level_size > budget:
                break
            for x, tms_row, data in rows:
                pack.tiles[f"{zoom}/{x}/{2 ** zoom - 1 - tms_row}"] = base64.b64encode(data).decode("ascii")
            pack.size += level_size
            pack.max_zoom = zoom
        return pack
    finally:
        connection.close()
