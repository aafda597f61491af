"""A matplotlib figure laid out in CSS pixels from the top-left corner, for charts and maps.

Figure + Agg canvas directly (no pyplot: nothing global to close, and importing pyplot costs
~0.8 s at every start). At 100 dpi one CSS pixel is 0.72 pt; text widths are estimated from
DejaVu Sans' mean glyph width, which is what lays out titles, legends and source lines.
"""

from __future__ import annotations

import textwrap

PT = 0.72  # matplotlib sizes are points; at 100 dpi one CSS pixel is 0.72 pt
INK, GREY, LIGHT, GRID = "#1a1a1a", "#5c5c5c", "#8a8a8a", "#e3e3e3"
CHAR_WIDTH = 0.6  # mean DejaVu Sans glyph width in em, for layout estimates


def text_width(text: str, size_px: float) -> float:
    return len(text) * size_px * CHAR_WIDTH


def wrap(text: str, width_px: float, size_px: float) -> list[str]:
    chars = max(int(width_px / (size_px * CHAR_WIDTH)), 10)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, chars) or [""]
    return [line for line in lines if line.strip()] or []


class Canvas:
    """A figure laid out in CSS pixels from the top-left corner."""

    def __init__(self, width: float, height: float):
        # Figure + Agg canvas directly: importing pyplot would cost ~0.8 s at every start.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.width, self.height = width, height
        self.figure = Figure(figsize=(width / 100, height / 100))
        FigureCanvasAgg(self.figure)
        self.figure.patch.set_facecolor("white")

    def text(self, x: float, y: float, text: str, size: float, gid: str | None = None, **kwargs):
        kwargs.setdefault("color", INK)
        artist = self.figure.text(x / self.width, 1 - y / self.height, text, fontsize=size * PT,
                                  va="top", ha=kwargs.pop("ha", "left"), **kwargs)
        if gid:
            artist.set_gid(gid)
        return artist

    def axes(self, left: float, top: float, width: float, height: float):
        return self.figure.add_axes([left / self.width, 1 - (top + height) / self.height,
                                     width / self.width, height / self.height])

    def swatch(self, x: float, y: float, size: float, colour: str):
        from matplotlib.patches import Rectangle

        self.figure.add_artist(Rectangle((x / self.width, 1 - (y + size) / self.height),
                                         size / self.width, size / self.height, color=colour,
                                         transform=self.figure.transFigure))


TITLE_LEADING, SUBTITLE_LEADING = 1.25, 1.4


def heading_height(title: list[str], subtitle: list[str], title_px: float,
                   subtitle_px: float) -> float:
    """Pixels taken by the wrapped title and subtitle lines."""
    return len(title) * title_px * TITLE_LEADING + len(subtitle) * subtitle_px * SUBTITLE_LEADING


def draw_heading(canvas: Canvas, x: float, y: float, title: list[str], subtitle: list[str],
                 title_px: float, subtitle_px: float, prefix: str) -> float:
    """The left-aligned bold title and grey subtitle of a chart or map; returns the y below.

    Ids are PREFIX-title / PREFIX-subtitle ('chart-title', 'map-title'), for tests and CSS."""
    for line in title:
        canvas.text(x, y, line, title_px, gid=f"{prefix}-title", weight="bold")
        y += title_px * TITLE_LEADING
    for line in subtitle:
        canvas.text(x, y, line, subtitle_px, gid=f"{prefix}-subtitle", color=GREY)
        y += subtitle_px * SUBTITLE_LEADING
    return y
