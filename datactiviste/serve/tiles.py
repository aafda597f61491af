"""Trainer-prepared raster tile packs (MBTiles) under the offline map: `serve --tiles FILE`.

An MBTiles file is a SQLite database of PNG/JPEG tiles (`tiles(zoom_level, tile_column,
tile_row, tile_data)`, rows in TMS order) plus a `metadata` table. We read it directly (no
extra plugin) and serve `/-/datactiviste/tiles/N/z/x/y` to Leaflet; the map then shows the
tiles under the country outlines, within the pack's zoom levels and bounds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.serve.sqlite_uri import readonly_uri

RASTER_FORMATS = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


@dataclass
class TilePack:
    path: Path
    name: str
    format: str
    min_zoom: int
    max_zoom: int
    bounds: list[float] | None  # [west, south, east, north]
    attribution: str

    @property
    def content_type(self) -> str:
        return RASTER_FORMATS[self.format]

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ coordinates (MBTiles rows are stored bottom-up, TMS)."""
        connection = sqlite3.connect(readonly_uri(self.path), uri=True)
        try:
            row = connection.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, (1 << z) - 1 - y)).fetchone()
        finally:
            connection.close()
        return row[0] if row else None

    def leaflet_options(self, url: str) -> dict:
        options = {"url": url, "minZoom": self.min_zoom, "maxZoom": self.max_zoom,
                   "attribution": self.attribution}
        if self.bounds:
            west, south, east, north = self.bounds
            options["bounds"] = [[south, west], [north, east]]
        return options


def open_tile_pack(path) -> TilePack:
    """Check an MBTiles file and read its metadata, or say clearly what is wrong with it."""
    path = Path(path)
    if not path.exists():
        raise DatactivisteError(_("Tile pack not found: {path}").format(path=path),
                                hint=_("Check the name of the .mbtiles file given to --tiles."))
    try:
        connection = sqlite3.connect(readonly_uri(path), uri=True)
        try:
            metadata = dict(connection.execute("SELECT name, value FROM metadata").fetchall())
            zooms = connection.execute("SELECT min(zoom_level), max(zoom_level), count(*) FROM tiles").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise DatactivisteError(
            _("{path} is not an MBTiles tile pack.").format(path=path),
            hint=_("A tile pack is a .mbtiles file made with QGIS (Generate XYZ tiles) or a similar tool.")) \
            from None
    fmt = (metadata.get("format") or "png").lower()
    if fmt not in RASTER_FORMATS:
        raise DatactivisteError(
            _("{path} holds {format} tiles; only image tiles (png, jpg, webp) can be shown.").format(
                path=path, format=fmt),
            hint=_("Make a raster tile pack (QGIS: Generate XYZ tiles (MBTiles))."))
    if not zooms or not zooms[2]:
        raise DatactivisteError(_("The tile pack {path} contains no tile.").format(path=path))
    bounds = None
    if metadata.get("bounds"):
        try:
            bounds = [float(v) for v in metadata["bounds"].split(",")]
        except ValueError:
            bounds = None
    return TilePack(path=path, name=metadata.get("name") or path.stem, format=fmt,
                    min_zoom=int(zooms[0]), max_zoom=int(zooms[1]), bounds=bounds,
                    attribution=metadata.get("attribution") or metadata.get("name") or path.stem)
