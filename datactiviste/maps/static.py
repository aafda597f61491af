"""A static map (SVG and PNG) of the same scene as the HTML map, to post or print.

matplotlib draws the outlines, areas and circles in longitude/latitude with the aspect corrected
for the latitude (an equirectangular view, fine at country scale), then the title, legend and
credits, so the picture shared on WhatsApp carries its source. Output is deterministic: no dates
in the metadata, fixed SVG ids.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

RC = {"font.family": "DejaVu Sans", "svg.fonttype": "none", "svg.hashsalt": "datactiviste",
      "text.parse_math": False, "path.simplify": True, "figure.dpi": 100}
WATER, LAND, BORDER, REGION_LINE = "#dfeaf2", "#f7f5f0", "#9a9a9a", "#c4c4c4"


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


def _polygons(geometry: dict):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _patches(geometries, face, edge, width, dashed=False):
    from matplotlib.collections import PolyCollection

    rings, faces = [], []
    for geometry, colour in geometries:
        for polygon in _polygons(geometry):
            rings.append(polygon[0])
            faces.append(colour or face)
    return PolyCollection(rings, facecolors=faces if face != "none" else "none", edgecolors=edge,
                          linewidths=width, linestyles="--" if dashed else "-")


def figure(scene: Scene, width_px: int = 1000):
    try:
        import matplotlib
    except ImportError:
        raise DatactivisteError(_("Static maps (--png, --svg) need matplotlib."),
                                hint="pip install matplotlib") from None
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    south, west, north, east = scene.bounds
    pad_lat, pad_lon = max(0.1, (north - south) * 0.08), max(0.1, (east - west) * 0.08)
    south, north, west, east = south - pad_lat, north + pad_lat, west - pad_lon, east + pad_lon
    aspect = 1 / max(0.2, math.cos(math.radians((south + north) / 2)))
    map_ratio = (north - south) * aspect / (east - west)
    height_px = int(min(1400, max(450, width_px * map_ratio))) + 90
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width_px / 100, height_px / 100), dpi=100)
        ax = fig.add_axes([0.01, 60 / height_px, 0.98, 1 - 95 / height_px])
        ax.set_facecolor(WATER)
        ax.add_collection(_patches([(f["geometry"], None) for f in scene.countries["features"]],
                                   LAND, BORDER, 0.6))
        if scene.regions and scene.regions.get("features"):
            ax.add_collection(_patches([(f["geometry"], None) for f in scene.regions["features"]],
                                       "none", REGION_LINE, 0.4, dashed=True))
        if scene.areas:
            ax.add_collection(_patches(scene.areas, "#d9d9d9", "#555555", 0.6))
        if scene.points:
            lats = [p[0] for p in scene.points]
            lons = [p[1] for p in scene.points]
            sizes = [(p[2] * 0.72) ** 2 * math.pi for p in scene.points]   # px radius -> pt^2
            ax.scatter(lons, lats, s=sizes, c=[p[3] for p in scene.points], alpha=0.8,
                       edgecolors="white", linewidths=0.5, zorder=3)
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_aspect(aspect)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("#cccccc")
        if scene.title:
            fig.text(0.5, 1 - 18 / height_px, scene.title, ha="center", va="center", fontsize=15,
                     fontweight="bold", color="#1a1a1a")
        _legend(fig, ax, scene.legends)
        fig.text(0.01, 22 / height_px, scene.credits, ha="left", va="center", fontsize=8,
                 color="#5c5c5c")
    return fig


def _legend(fig, ax, legends):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels = [], []
    for legend in legends:
        if not legend.items:
            continue
        handles.append(Patch(color="none"))
        labels.append(legend.title)
        for kind, value, label in legend.items:
            if kind == "circle":
                handles.append(Line2D([], [], marker="o", linestyle="none", color="#3182bd",
                                      markersize=float(value) * 1.44 * 0.72, alpha=0.6))
            else:
                handles.append(Patch(facecolor=value, edgecolor="#777777"))
            labels.append(label)
    if handles:
        circles = any(kind == "circle" for legend in legends for kind, _v, _l in legend.items)
        ax.legend(handles, labels, loc="lower right", fontsize=8, framealpha=0.92, borderpad=0.6,
                  labelspacing=1.6 if circles else 0.5, handletextpad=1.2 if circles else 0.8)


def write_static(scene: Scene, svg_path=None, png_path=None) -> list[Path]:
    """Write the SVG and/or PNG; returns the written paths."""
    import matplotlib

    fig = figure(scene)
    written = []
    with matplotlib.rc_context(RC):
        if svg_path:
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
            svg = buffer.getvalue()
            svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg[svg.index("<svg"):], flags=re.S)
            opening = re.search(r"<svg\b[^>]*>", svg).group(0)
            svg = svg.replace(opening, opening[:-1] + ' role="img">'
                              f"\n <title>{escape(scene.title or _('Map'))}</title>", 1)
            Path(svg_path).write_text(svg, encoding="utf-8")
            written.append(Path(svg_path))
        if png_path:
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
            Path(png_path).write_bytes(_quantised(buffer.getvalue()))
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
