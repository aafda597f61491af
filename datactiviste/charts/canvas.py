"""The chart's canvas: a matplotlib figure laid out in CSS pixels, and its publication frame.

Why matplotlib (measured, see benchmarks/chart_size.py): it renders a 20-bar chart in about
0.3 s after a 0.7 s import, its 2× PNG is ~90 KB where vl-convert's is ~200 KB (over our
150 KB budget), and we control every text so the SVG keeps real <text> elements. It is already
in the frozen binary for static maps, where vl-convert would add ~31 MiB compressed.

Layout is done in CSS pixels (figure dpi 100, so `width` px wide; the PNG is saved at dpi 200).
The publication frame (title, subtitle, legend, notes, source, byline, credit) is drawn in the
figure itself, so the PNG shared on WhatsApp carries its source. Text goes in with
`parse_math=False`, so a `$` in a title stays a dollar. Font: DejaVu Sans, shipped inside
matplotlib (licence: matplotlib/mpl-data/fonts/ttf/LICENSE_DEJAVU, Bitstream Vera licence +
public domain); the SVG names Verdana and sans-serif as fallbacks (Verdana has DejaVu's widths).
"""

from __future__ import annotations

from datactiviste.charts.frame import Frame
from datactiviste.charts.spec import ChartSpec
from datactiviste.graphics.canvas import (CHAR_WIDTH, GREY, GRID, INK, LIGHT, PT, Canvas,
                                          draw_heading, heading_height, text_width, wrap)

__all__ = ["CHAR_WIDTH", "GREY", "GRID", "INK", "LIGHT", "PT", "Canvas", "text_width", "wrap"]

SIZES = {"title": 20, "subtitle": 14, "tick": 12, "label": 12, "small": 11, "legend": 12}
PAD = 14  # px around the figure


RC = {"font.family": "DejaVu Sans", "font.size": SIZES["tick"] * PT, "svg.fonttype": "none",
      "svg.hashsalt": "datactiviste", "text.parse_math": False, "axes.unicode_minus": False,
      "figure.dpi": 100, "savefig.dpi": 100, "axes.edgecolor": LIGHT, "axes.labelcolor": GREY,
      "xtick.color": GREY, "ytick.color": GREY, "text.color": INK, "axes.linewidth": 0.8,
      "path.simplify": True, "svg.image_inline": True}


PNG_SCALE = 2


LOGO_HEIGHT = 30  # px, bottom right


class Layout:
    """Heights of the header and footer blocks, computed before the figure exists."""

    def __init__(self, spec: ChartSpec, frame: Frame, legend: list[str]):
        self.width = spec.width
        inner = self.width - 2 * PAD
        self.title = wrap(frame.title, inner, SIZES["title"])
        self.subtitle = wrap(frame.subtitle, inner, SIZES["subtitle"])
        footer = inner - (4 * LOGO_HEIGHT + 10 if frame.logo else 0)  # room for a wide logo
        self.notes = wrap(frame.notes, footer, SIZES["small"])
        self.source = wrap(frame.source_line(), footer, SIZES["small"])
        self.credit = wrap(frame.credit, footer, SIZES["small"])
        self.legend_rows = self._legend_rows(legend, inner)
        self.header = (PAD + heading_height(self.title, self.subtitle, SIZES["title"],
                                            SIZES["subtitle"]) + 10
                       + len(self.legend_rows) * 22)
        footer_lines = len(self.notes) + len(self.source) + len(self.credit)
        self.footer = 12 + max(footer_lines * SIZES["small"] * 1.45,
                               LOGO_HEIGHT if frame.logo else 0) + PAD

    @staticmethod
    def _legend_rows(names: list[str], inner: float) -> list[list[int]]:
        rows, current, used = [], [], 0.0
        for index, name in enumerate(names):
            need = 16 + text_width(name, SIZES["legend"]) + 14
            if current and used + need > inner:
                rows.append(current)
                current, used = [], 0.0
            current.append(index)
            used += need
        return rows + ([current] if current else [])


def draw_frame(canvas: Canvas, layout: Layout, frame: Frame, legend: list[str],
                colours: list[str]) -> None:
    y = draw_heading(canvas, PAD, PAD, layout.title, layout.subtitle, SIZES["title"],
                     SIZES["subtitle"], "chart") + 10
    for row in layout.legend_rows:
        x = PAD
        for index in row:
            canvas.swatch(x, y + 1, 12, colours[index])   # level with the capitals
            canvas.text(x + 16, y, legend[index], SIZES["legend"], gid="chart-legend", color=INK)
            x += 16 + text_width(legend[index], SIZES["legend"]) + 14
        y += 22
    y = canvas.height - layout.footer + 12
    for lines, gid, colour in ((layout.notes, "chart-notes", GREY),
                               (layout.source, "chart-source", GREY),
                               (layout.credit, "chart-credit", LIGHT)):
        for line in lines:
            artist = canvas.text(PAD, y, line, SIZES["small"], gid=gid, color=colour)
            if gid == "chart-source" and frame.source_url.lower().startswith(("http://",
                                                                             "https://")):
                artist.set_url(frame.source_url)  # clickable in the SVG and the HTML page
            y += SIZES["small"] * 1.45
    if frame.logo:
        _draw_logo(canvas, frame.logo, canvas.height - layout.footer + 12)


def _draw_logo(canvas: Canvas, path: str, top: float) -> None:
    """The newsroom's logo, bottom right, LOGO_HEIGHT px high (4x pixels kept for the 2x PNG)."""
    from PIL import Image

    from datactiviste.errors import DatactivisteError
    from datactiviste.i18n import _

    try:
        with Image.open(path) as source:
            image = source.convert("RGBA")
    except OSError:
        raise DatactivisteError(_("This logo is not an image Pillow can read: {path}").format(
            path=path), hint=_("Use a PNG or JPEG file.")) from None
    width = LOGO_HEIGHT * image.width / image.height
    scale = LOGO_HEIGHT * PNG_SCALE * 2 / image.height
    if scale < 1:  # never embed more pixels than the PNG can show
        image = image.resize((max(1, round(image.width * scale)),
                              max(1, round(image.height * scale))), Image.LANCZOS)
    ax = canvas.axes(canvas.width - PAD - width, top, width, LOGO_HEIGHT)
    ax.imshow(image, interpolation="antialiased")
    ax.set_axis_off()
    ax.set_gid("chart-logo")
