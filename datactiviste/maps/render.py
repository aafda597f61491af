"""folium Map -> one self-contained, deterministic HTML file.

The map has no tiles (a vector basemap of outlines instead, or nothing loads offline); folium's
CDN links are limited to Leaflet (+ MarkerCluster when used) and inlined from the `xstatic-*`
packages by `datactiviste.offline.inline_assets`, which raises if anything external remains.
folium names elements with random ids: they are renumbered so the same input gives the same bytes.
"""

from __future__ import annotations

import re
from html import escape

from datactiviste.i18n import get_language
from datactiviste.maps.frame import frame_html
from datactiviste.maps.layers import LEAFLET_CSS, LEAFLET_JS, Helpers, MetricScale, Outlines
from datactiviste.offline import inline_assets

COUNTRY_STYLE = {"color": "#9a9a9a", "weight": 1, "fillColor": "#f7f5f0", "fillOpacity": 1}
REGION_STYLE = {"color": "#c4c4c4", "weight": 0.6, "fill": False, "dashArray": "3 3"}
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
_RANDOM_ID = re.compile(r"\b([a-z_]+)_([0-9a-f]{32})\b")


def new_map(bounds: tuple[float, float, float, float], legends=None):
    """A tile-less Leaflet map fitted to (south, west, north, east), with a metric scale bar.

    Title, legend and source sit outside the map (`frame.frame_html`): nothing floats over the
    data, so only the scale bar's corner is kept clear. `legends` is accepted for older callers.
    """
    import folium

    south, west, north, east = bounds
    pad_lat = max(0.05, (north - south) * 0.08)
    pad_lon = max(0.05, (east - west) * 0.08)
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], tiles=None, zoom_start=6,
                      control_scale=False, attribution_control=False)
    # Without tiles Leaflet has no zoom limits, and MarkerCluster refuses to start.
    fmap.options.update(max_zoom=18, min_zoom=2, zoom_snap=0.25)
    fmap.default_js = [LEAFLET_JS]
    fmap.default_css = [LEAFLET_CSS]
    from folium.map import FitBounds

    # Straight to the fitted view, no zoom animation from zoom_start: an old laptop opens the map
    # at once, and the same file draws the same pixels on every load.
    fit = FitBounds([[south - pad_lat, west - pad_lon], [north + pad_lat, east + pad_lon]],
                    padding_top_left=(10, 10), padding_bottom_right=(10, 30))
    fit.options["animate"] = False
    fmap.add_child(fit)
    fmap.get_root().header.add_child(Helpers(), name="datactiviste_helpers")
    MetricScale().add_to(fmap)
    return fmap


def add_basemap(fmap, countries: dict, regions: dict | None = None, tiles=None,
                bounds=None) -> tuple[list[str], str | None]:
    """Outlines (filled, or over a trainer's embedded tiles): (messages for the user, tiles credit)."""
    messages, attribution = [], None
    style = COUNTRY_STYLE
    if tiles:
        from datactiviste.i18n import _
        from datactiviste.i18n.formats import format_size
        from datactiviste.maps.layers import EmbeddedTiles
        from datactiviste.maps.tiles import read_tiles

        pack = read_tiles(tiles, bounds)
        EmbeddedTiles(pack, bounds).add_to(fmap)
        style = {**COUNTRY_STYLE, "fill": False}
        messages.append(_("{count} tiles embedded (zoom {low} to {high}, {size}).").format(
            count=len(pack.tiles), low=pack.min_zoom, high=pack.max_zoom, size=format_size(pack.size)))
        attribution = pack.attribution or None
    Outlines(countries, style).add_to(fmap)
    if regions and regions.get("features"):
        Outlines(regions, REGION_STYLE).add_to(fmap)
    return messages, attribution


def _renumber(html: str) -> str:
    numbers: dict[str, str] = {}

    def replace(match):
        key = match.group(2)
        if key not in numbers:
            numbers[key] = str(len(numbers) + 1)
        return f"{match.group(1)}_{numbers[key]}"

    return _RANDOM_ID.sub(replace, html)


def finish(fmap, frame, legends, credits: str, note: str | None = None) -> str:
    """Render to one HTML string: frame added, assets inlined, ids deterministic, checked offline.

    `frame` is a `graphics.frame.Frame` (a plain title string is accepted too)."""
    from branca.element import Element

    from datactiviste.graphics.frame import Frame

    if not isinstance(frame, Frame):
        frame = Frame(title=frame or "")
    root = fmap.get_root()
    root.html.add_child(Element(frame_html(frame, legends, credits, note)))
    html = root.render()
    html = html.replace("<html>", f'<html lang="{get_language()}">', 1)
    # folium forbids zooming the page (user-scalable=no): a reader with poor sight needs it
    html = _VIEWPORT.sub('<meta name="viewport" content="width=device-width, initial-scale=1" />',
                         html, count=1)
    page_title = f"<title>{escape(frame.title or 'datactiviste')}</title>"
    html = html.replace("<head>", f"<head>\n    <meta charset=\"utf-8\">\n    {page_title}", 1)
    html = "\n".join(line.rstrip() for line in _renumber(html).splitlines()) + "\n"
    return inline_assets(html, what="map")
