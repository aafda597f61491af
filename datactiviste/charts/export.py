"""A drawn figure to files: an accessible, compact SVG and a 2× palette PNG."""

from __future__ import annotations

import io
import re
from html import escape

from datactiviste.charts.canvas import PNG_SCALE, RC

_SVG_TAG = re.compile(r"<svg\b[^>]*>")


def figure_to_svg(figure, title: str, description: str) -> str:
    """The SVG as text: no XML prolog, no metadata, with <title>/<desc> and role="img"."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(RC):  # svg.fonttype is read when saving
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},
                       facecolor="white")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = svg.replace("'DejaVu Sans'", "'DejaVu Sans', Verdana, sans-serif")
    svg = _share_marker_styles(svg)
    opening = _SVG_TAG.search(svg).group(0)
    # matplotlib sizes the SVG in points (72 per inch); we lay out in CSS pixels (100 per
    # inch): say so, so the SVG opens at the intended width (640 px, not 614).
    sized = re.sub(r'(width|height)="([\d.]+)pt"',
                   lambda m: f'{m.group(1)}="{float(m.group(2)) * 100 / 72:.0f}"', opening)
    svg = svg.replace(opening, sized, 1)
    opening = sized
    accessible = (opening[:-1] + ' role="img" aria-labelledby="chart-svg-title chart-svg-desc">'
                  f'\n <title id="chart-svg-title">{escape(title)}</title>'
                  f'\n <desc id="chart-svg-desc">{escape(description)}</desc>')
    return svg.replace(opening, accessible, 1)


_USE = re.compile(r'<use xlink:href="#(\w+)" x="(-?[\d.]+)" y="(-?[\d.]+)" style="([^"]*)"/>')


def _style_dict(style: str) -> dict:
    return {key.strip(): value.strip() for key, value in
            (part.split(":", 1) for part in style.split(";") if ":" in part)}


def _share_marker_styles(svg: str) -> str:
    """Scatter points: matplotlib repeats the same style on each of 365 <use>; put it once on
    the marker definition and round positions to 0.01 pt (halves the SVG, same picture)."""
    styles: dict[str, set] = {}
    for marker, _x, _y, style in _USE.findall(svg):
        styles.setdefault(marker, set()).add(style)
    shared = {m: next(iter(v)) for m, v in styles.items() if len(v) == 1}

    def use(match):
        marker, x, y, style = match.groups()
        position = f'x="{float(x):.2f}" y="{float(y):.2f}"'
        if marker in shared:
            return f'<use xlink:href="#{marker}" {position}/>'
        return f'<use xlink:href="#{marker}" {position} style="{style}"/>'

    svg = _USE.sub(use, svg)
    for marker, style in shared.items():
        definition = re.search(r'<path id="' + marker + r'" d="[^"]*"( style="([^"]*)")?', svg)
        if not definition:
            continue
        merged = {**_style_dict(style), **_style_dict(definition.group(2) or "")}
        text = "; ".join(f"{k}: {v}" for k, v in merged.items())
        replacement = definition.group(0).replace(definition.group(1) or "", "") + f' style="{text}"'
        svg = svg.replace(definition.group(0), replacement, 1)
    return svg


def figure_to_png(figure) -> bytes:
    """2× PNG reduced to a 256-colour palette: flat chart colours survive, size halves.

    matplotlib renders raw RGBA (no intermediate PNG to encode and decode again), Pillow
    quantises (median cut, no dithering: deterministic) and compresses.
    """
    import matplotlib
    from PIL import Image

    buffer = io.BytesIO()
    dpi = 100 * PNG_SCALE
    with matplotlib.rc_context(RC):
        figure.savefig(buffer, format="rgba", dpi=dpi, facecolor="white")
    raw = buffer.getvalue()
    width = int(round(figure.get_figwidth() * dpi))
    size = (width, len(raw) // (4 * width))
    image = Image.frombuffer("RGBA", size, raw, "raw", "RGBA", 0, 1).convert("RGB")
    quantised = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
    output = io.BytesIO()
    quantised.save(output, format="PNG", compress_level=9)
    return output.getvalue()


_ID = re.compile(r'\bid="([^"]+)"')


def prefix_ids(svg: str, prefix: str) -> str:
    """Every id of an SVG (and every reference to it) prefixed, so two renderings of a chart
    can sit in one page: matplotlib names clip paths and glyphs the same in both."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = re.compile(r'(\bid="|#|url\(#)(' + "|".join(re.escape(i) for i in
                                                         sorted(ids, key=len, reverse=True))
                         + r')(?=["\)\s])')
    return pattern.sub(lambda m: m.group(1) + prefix + m.group(2), svg)
