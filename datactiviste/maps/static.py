"""A static map (SVG and PNG) of the same scene as the HTML map, to post or print.

The publication frame is drawn in the picture, as on charts: title and subtitle above the map
(left-aligned), notes, source, byline and credits under it, so the picture shared on WhatsApp
carries its source; the description goes in the SVG's <desc>. Inside the map: a metric scale
bar (bottom left), region names (--labels), and the legend where it hides nothing — placed
by measuring (`graphics.legend.place_legend`: no circle, label, coloured region or scale bar
under it), else below the map.

Coordinates are projected to pixels here (equirectangular with the aspect corrected for the
latitude, fine at country scale), so placement is decided before the figure exists. Output is
deterministic: no dates in the metadata, fixed SVG ids.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.graphics.canvas import GREY, INK, LIGHT, heading_height, text_width, wrap
from datactiviste.graphics.legend import Box, overlaps, place_legend
from datactiviste.graphics.scales import nice_floor
from datactiviste.i18n import _

RC = {"font.family": "DejaVu Sans", "svg.fonttype": "none", "svg.hashsalt": "datactiviste",
      "text.parse_math": False, "path.simplify": True, "figure.dpi": 100}
WATER, LAND, BORDER, REGION_LINE = "#dfeaf2", "#f7f5f0", "#9a9a9a", "#c4c4c4"
PAD = 16
SIZES = {"title": 22, "subtitle": 15, "legend": 13, "label": 12, "small": 12}
WIDTH = 1000


@dataclass
class Scene:
    """What a map shows, independent of Leaflet: reused by the static renderer."""
    bounds: tuple[float, float, float, float]            # south, west, north, east
    countries: dict
    regions: dict | None = None
    areas: list[tuple[dict, str]] = field(default_factory=list)              # (geometry, colour)
    points: list[tuple[float, float, float, str]] = field(default_factory=list)  # lat, lon, r, colour
    title: str | None = None
    legends: list = field(default_factory=list)
    credits: str = ""
    labels: list[tuple] = field(default_factory=list)   # (lat, lon, text[, dy px below the point])
    frame: object = None                                  # graphics.frame.Frame


def _polygons(geometry: dict):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


class Projection:
    """lon/lat -> pixels (y down) of a map area, the view widened to fill it exactly."""

    def __init__(self, bounds, width: float, top: float, left: float = PAD):
        south, west, north, east = bounds
        pad_lat, pad_lon = max(0.1, (north - south) * 0.06), max(0.1, (east - west) * 0.06)
        south, north, west, east = south - pad_lat, north + pad_lat, west - pad_lon, east + pad_lon
        self.aspect = 1 / max(0.2, math.cos(math.radians((south + north) / 2)))
        ratio = (north - south) * self.aspect / (east - west)
        self.width = width
        self.height = float(min(1100, max(380, width * ratio)))
        wanted_lat = self.height / width * (east - west) / self.aspect   # lat span that fills
        if wanted_lat > north - south:
            middle = (south + north) / 2
            south, north = middle - wanted_lat / 2, middle + wanted_lat / 2
        else:
            wanted_lon = (north - south) * self.aspect * width / self.height
            middle = (west + east) / 2
            west, east = middle - wanted_lon / 2, middle + wanted_lon / 2
        self.south, self.west, self.north, self.east = south, west, north, east
        self.left, self.top = left, top

    @property
    def box(self) -> Box:
        return (self.left, self.top, self.left + self.width, self.top + self.height)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.left + (lon - self.west) / (self.east - self.west) * self.width
        y = self.top + (self.north - lat) / (self.north - self.south) * self.height
        return x, y

    def km_per_px(self) -> float:
        latitude = (self.south + self.north) / 2
        return (self.east - self.west) * 111.32 * math.cos(math.radians(latitude)) / self.width


@dataclass
class LegendBlock:
    rows: list[tuple[str, str, str, float]]   # (kind, style, text, row height)
    width: float
    height: float


LEGEND_TITLE_MAX = 360   # px: a longer legend title wraps (bold text is ~5 % wider)


def _legend_block(legends) -> LegendBlock | None:
    rows, width = [], 0.0
    for legend in legends:
        if not legend.items:
            continue
        entries = []
        for kind, value, label in legend.items:
            height = max(20.0, 2 * float(value) + 6) if kind == "circle" else 20.0
            entries.append((kind, value, label, height))
            symbol = 2 * float(value) if kind == "circle" else 14
            width = max(width, symbol + 8 + text_width(label, SIZES["legend"]))
        # 'Taux de réussite au baccalauréat général, session normale…' on several lines,
        # never running past the picture's edge.
        for line in wrap(legend.title, max(width, LEGEND_TITLE_MAX) / 1.05, SIZES["legend"]):
            rows.append(("title", "", line, SIZES["legend"] * 1.5))
            width = max(width, text_width(line, SIZES["legend"]) * 1.05)
        rows += entries
        if getattr(legend, "note", ""):   # wrapped to the entries' width, not widening them
            for line in wrap(legend.note, max(width, 150), SIZES["small"]):
                rows.append(("note", "", line, SIZES["small"] * 1.35))
                width = max(width, text_width(line, SIZES["small"]))
    if not rows:
        return None
    return LegendBlock(rows, width + 20, sum(r[3] for r in rows) + 14)


def _scale_bar(projection: Projection) -> tuple[float, float, Box]:
    """(length in km, length in px, box) of a metric scale bar about 1/5 of the map wide."""
    km_per_px = projection.km_per_px()
    length = nice_floor(projection.width / 5 * km_per_px)
    pixels = length / km_per_px
    x, y = projection.left + 12, projection.top + projection.height - 14
    return length, pixels, (x - 4, y - 22, x + pixels + 60, y + 6)


def _blocked_by_areas(scene: Scene, projection: Projection):
    """A test: does a coloured (data) region lie under this box? (a 6 × 5 grid of samples)."""
    from matplotlib.path import Path as MplPath

    paths = []
    for geometry, colour in scene.areas:
        if colour is None:
            continue
        for polygon in _polygons(geometry):
            paths.append(MplPath([projection(x, y) for x, y in (c[:2] for c in polygon[0])]))

    def blocked(box: Box) -> bool:
        samples = [(box[0] + (box[2] - box[0]) * i / 5, box[1] + (box[3] - box[1]) * j / 4)
                   for i in range(6) for j in range(5)]
        return any(path.contains_points(samples).any() for path in paths)
    return blocked


def _mark_boxes(scene: Scene, projection: Projection) -> list[Box]:
    boxes = []
    for lat, lon, radius, _colour in scene.points:
        x, y = projection(lon, lat)
        boxes.append((x - radius, y - radius, x + radius, y + radius))
    for lat, lon, text, *shift in scene.labels:
        x, y = projection(lon, lat)
        y += shift[0] if shift else 0
        half = text_width(text, SIZES["label"]) / 2
        boxes.append((x - half, y - SIZES["label"] * 0.7, x + half, y + SIZES["label"] * 0.7))
    return boxes


@dataclass
class StaticLayout:
    projection: Projection
    title: list[str]
    subtitle: list[str]
    legend: LegendBlock | None
    legend_box: Box | None            # inside the map, or None (then below it)
    footer: list[tuple[str, str, str]]  # (text, colour, gid)
    scale: tuple[float, float, Box]
    marks: list[Box]
    height: float


def layout(scene: Scene, width: int = WIDTH) -> StaticLayout:
    """Every box of the picture, measured: the legend goes where it covers nothing."""
    frame = scene.frame
    inner = width - 2 * PAD
    title = wrap(getattr(frame, "title", "") or scene.title or "", inner, SIZES["title"])
    subtitle = wrap(getattr(frame, "subtitle", "") or "", inner, SIZES["subtitle"])
    top = PAD + heading_height(title, subtitle, SIZES["title"], SIZES["subtitle"]) + 8
    projection = Projection(scene.bounds, inner, top)
    scale = _scale_bar(projection)
    marks = _mark_boxes(scene, projection)
    legend = _legend_block(scene.legends)
    legend_box = None
    if legend:
        legend_box = place_legend((legend.width, legend.height), projection.box,
                                  marks + [scale[2]], blocked=_blocked_by_areas(scene, projection))
    footer = []
    for text, colour, gid in ((getattr(frame, "notes", ""), GREY, "map-notes"),
                              (frame.source_line() if frame else "", GREY, "map-source"),
                              (getattr(frame, "credit", ""), LIGHT, "map-credit"),
                              (scene.credits, LIGHT, "map-credits")):
        footer += [(line, colour, gid) for line in wrap(text or "", inner, SIZES["small"])]
    below = legend.height + 8 if legend and legend_box is None else 0
    height = (projection.box[3] + 10 + below + len(footer) * SIZES["small"] * 1.45 + PAD)
    return StaticLayout(projection, title, subtitle, legend, legend_box, footer, scale, marks,
                        height)


def figure(scene: Scene, width_px: int = WIDTH):
    try:
        import matplotlib
    except ImportError:
        raise DatactivisteError(_("Static maps (--png, --svg) need matplotlib."),
                                hint="pip install matplotlib") from None
    from datactiviste.graphics.canvas import Canvas, draw_heading

    plan = layout(scene, width_px)
    with matplotlib.rc_context(RC):
        canvas = Canvas(width_px, plan.height)
        draw_heading(canvas, PAD, PAD, plan.title, plan.subtitle, SIZES["title"],
                     SIZES["subtitle"], "map")
        _draw_map(canvas, scene, plan)
        y = plan.projection.box[3] + 10
        if plan.legend and plan.legend_box is None:
            _draw_legend(canvas, plan.legend, (PAD, y, PAD + plan.legend.width,
                                               y + plan.legend.height), boxed=False)
            y += plan.legend.height + 8
        elif plan.legend:
            _draw_legend(canvas, plan.legend, plan.legend_box, boxed=True)
        for line, colour, gid in plan.footer:
            canvas.text(PAD, y, line, SIZES["small"], gid=gid, color=colour)
            y += SIZES["small"] * 1.45
    return canvas.figure


def _draw_map(canvas, scene: Scene, plan: StaticLayout) -> None:
    from matplotlib.collections import PolyCollection

    p = plan.projection
    ax = canvas.axes(p.left, p.top, p.width, p.height)
    ax.set_facecolor(WATER)
    ax.set_gid("map-area")

    def patches(geometries, face, edge, width, dashed=False):
        rings, faces = [], []
        for geometry, colour in geometries:
            for polygon in _polygons(geometry):
                rings.append([(x, y) for x, y in (c[:2] for c in polygon[0])])
                faces.append(colour or face)
        return PolyCollection(rings, facecolors=faces if face != "none" else "none",
                              edgecolors=edge, linewidths=width, linestyles="--" if dashed else "-")

    ax.add_collection(patches([(f["geometry"], None) for f in scene.countries["features"]],
                              LAND, BORDER, 0.6))
    if scene.regions and scene.regions.get("features"):
        ax.add_collection(patches([(f["geometry"], None) for f in scene.regions["features"]],
                                  "none", REGION_LINE, 0.4, dashed=True))
    if scene.areas:
        ax.add_collection(patches(scene.areas, "#d9d9d9", "#555555", 0.6))
    if scene.points:
        # scatter's `s` is the square of the marker's diameter in points (1 px = 0.72 pt)
        sizes = [(2 * r * 0.72) ** 2 for _lat, _lon, r, _c in scene.points]
        ax.scatter([pt[1] for pt in scene.points], [pt[0] for pt in scene.points], s=sizes,
                   c=[pt[3] for pt in scene.points], alpha=0.75, edgecolors="white",
                   linewidths=0.7, zorder=3, gid="map-marks")
    for lat, lon, text, *shift in scene.labels:
        ax.annotate(text, (lon, lat), xytext=(0, -(shift[0] if shift else 0) * 0.72),
                    textcoords="offset points", ha="center", va="center",
                    fontsize=SIZES["label"] * 0.72, color=INK, weight="bold", zorder=4,
                    gid="map-label", bbox=_HALO)
    ax.set_xlim(p.west, p.east)
    ax.set_ylim(p.south, p.north)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#cccccc")
    _draw_scale(canvas, plan)


# A light box behind names and the scale: readable over any colour, and the SVG keeps real
# <text> (a stroked halo, matplotlib's path effect, would turn every letter into a path).
_HALO = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.72}


def _draw_scale(canvas, plan: StaticLayout) -> None:
    from matplotlib.lines import Line2D

    from datactiviste.i18n.formats import NBSP, format_number

    length, pixels, box = plan.scale
    x, y = box[0] + 4, box[3] - 6
    fig_h, fig_w = canvas.height, canvas.width
    line = Line2D([x / fig_w, (x + pixels) / fig_w], [1 - y / fig_h, 1 - y / fig_h],
                  transform=canvas.figure.transFigure, color=INK, linewidth=2, gid="map-scale")
    canvas.figure.add_artist(line)
    for end in (x, x + pixels):
        canvas.figure.add_artist(Line2D([end / fig_w] * 2, [1 - y / fig_h, 1 - (y - 6) / fig_h],
                                        transform=canvas.figure.transFigure, color=INK,
                                        linewidth=1.5))
    canvas.text(x, y - 20, format_number(length) + NBSP + "km", SIZES["small"], gid="map-scale",
                color=INK, bbox=_HALO)


def _draw_legend(canvas, block: LegendBlock, box: Box, boxed: bool) -> None:
    from matplotlib.patches import Ellipse, FancyBboxPatch

    fig = canvas.figure
    w, h = canvas.width, canvas.height
    if boxed:
        fig.add_artist(FancyBboxPatch((box[0] / w, 1 - box[3] / h), (box[2] - box[0]) / w,
                                      (box[3] - box[1]) / h, boxstyle="round,pad=0",
                                      transform=fig.transFigure, facecolor="white", alpha=0.94,
                                      edgecolor="#cccccc", linewidth=0.6, gid="map-legend-box"))
    x, y = box[0] + 10, box[1] + 7
    for kind, value, text, height in block.rows:
        if kind == "title":
            canvas.text(x, y, text, SIZES["legend"], gid="map-legend", weight="bold")
        elif kind == "note":
            canvas.text(x, y + 2, text, SIZES["small"], gid="map-legend", color=GREY)
        elif kind == "circle":
            radius = float(value)
            centre = (x + radius, y + height / 2)
            fig.add_artist(Ellipse((centre[0] / w, 1 - centre[1] / h), 2 * radius / w,
                                   2 * radius / h, transform=fig.transFigure,
                                   facecolor="#3182bd", alpha=0.55, edgecolor="#2c5d8a",
                                   linewidth=0.8))
            canvas.text(x + 2 * radius + 8, y + height / 2 - SIZES["legend"] * 0.6, text,
                        SIZES["legend"], gid="map-legend")
        else:
            canvas.swatch(x, y + 3, 14, value)
            canvas.text(x + 22, y + 2, text, SIZES["legend"], gid="map-legend")
        y += height


def legend_overlaps(plan: StaticLayout) -> bool:
    """True when the placed legend touches a mark or the scale bar (for tests and checks)."""
    if plan.legend_box is None:
        return False
    return any(overlaps(plan.legend_box, box) for box in plan.marks + [plan.scale[2]])


def write_static(scene: Scene, svg_path=None, png_path=None, source: dict | None = None) -> list[Path]:
    """Write the SVG and/or PNG, each recording `source` (`datactiviste.built_from`); returns
    the written paths."""
    import matplotlib

    from datactiviste.built_from import into_png, into_svg

    fig = figure(scene)
    written = []
    frame = scene.frame
    with matplotlib.rc_context(RC):
        if svg_path:
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
            svg = buffer.getvalue()
            svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg[svg.index("<svg"):], flags=re.S)
            svg = svg.replace("'DejaVu Sans'", "'DejaVu Sans', Verdana, sans-serif")
            opening = re.search(r"<svg\b[^>]*>", svg).group(0)
            sized = re.sub(r'(width|height)="([\d.]+)pt"',
                           lambda m: f'{m.group(1)}="{float(m.group(2)) * 100 / 72:.0f}"', opening)
            title = (getattr(frame, "title", "") or scene.title or _("Map"))
            desc = getattr(frame, "alt", "") or ""
            svg = svg.replace(opening, sized[:-1] + ' role="img">'
                              f"\n <title>{escape(title)}</title>"
                              + (f"\n <desc>{escape(desc)}</desc>" if desc else ""), 1)
            Path(svg_path).write_text(into_svg(svg, source), encoding="utf-8")
            written.append(Path(svg_path))
        if png_path:
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
            Path(png_path).write_bytes(into_png(_quantised(buffer.getvalue()), source))
            written.append(Path(png_path))
    return written


def _quantised(png: bytes) -> bytes:
    """A 256-colour palette PNG: flat map colours survive and the file is much smaller."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    output = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        output, format="PNG", optimize=True)
    return output.getvalue()
