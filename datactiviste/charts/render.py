"""Draw a chart with matplotlib: one figure gives the SVG (selectable text) and the 2× PNG.

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

import io
import math
import re
import textwrap
from html import escape

from datactiviste.charts.data import ChartData
from datactiviste.charts.frame import Frame
from datactiviste.charts.labels import Labeller, truncate
from datactiviste.charts.palette import series_colours
from datactiviste.charts.spec import ChartSpec
from datactiviste.i18n import _
from datactiviste.i18n.formats import keep_with_punctuation

PT = 0.72  # matplotlib sizes are points; at 100 dpi one CSS pixel is 0.72 pt
SIZES = {"title": 20, "subtitle": 14, "tick": 12, "label": 12, "small": 11, "legend": 12}
INK, GREY, LIGHT, GRID = "#1a1a1a", "#5c5c5c", "#8a8a8a", "#e3e3e3"
PAD = 14  # px around the figure
CHAR_WIDTH = 0.6  # mean DejaVu Sans glyph width in em, for layout estimates
RC = {"font.family": "DejaVu Sans", "font.size": SIZES["tick"] * PT, "svg.fonttype": "none",
      "svg.hashsalt": "datactiviste", "text.parse_math": False, "axes.unicode_minus": False,
      "figure.dpi": 100, "savefig.dpi": 100, "axes.edgecolor": LIGHT, "axes.labelcolor": GREY,
      "xtick.color": GREY, "ytick.color": GREY, "text.color": INK, "axes.linewidth": 0.8,
      "path.simplify": True, "svg.image_inline": True}
PNG_SCALE = 2
LOGO_HEIGHT = 30  # px, bottom right


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
        self.header = (PAD + len(self.title) * SIZES["title"] * 1.25
                       + len(self.subtitle) * SIZES["subtitle"] * 1.4 + 10
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


def _draw_frame(canvas: Canvas, layout: Layout, frame: Frame, legend: list[str],
                colours: list[str]) -> None:
    y = PAD
    for line in layout.title:
        canvas.text(PAD, y, line, SIZES["title"], gid="chart-title", weight="bold")
        y += SIZES["title"] * 1.25
    for line in layout.subtitle:
        canvas.text(PAD, y, line, SIZES["subtitle"], gid="chart-subtitle", color=GREY)
        y += SIZES["subtitle"] * 1.4
    y += 10
    for row in layout.legend_rows:
        x = PAD
        for index in row:
            canvas.swatch(x, y + 2, 12, colours[index])
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


def _style_axes(ax, grid_axis: str | None = "y") -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(LIGHT)
    ax.tick_params(length=0, labelsize=SIZES["tick"] * PT, pad=6)
    ax.set_facecolor("white")
    if grid_axis:
        ax.grid(axis=grid_axis, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)


def _value_axis(ax, labeller: Labeller, axis: str = "y") -> None:
    """Ticks as '1 234', the top one with the unit ('1 500 FCFA'), like Datawrapper."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=5))
    ticks = target.get_major_locator()()
    low, high = (ax.get_ylim() if axis == "y" else ax.get_xlim())
    visible = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9]
    step = (visible[1] - visible[0]) if len(visible) > 1 else 1
    decimals = max(0, -math.floor(math.log10(abs(step)))) if step and step < 1 else 0
    top = max(visible) if visible else None

    def fmt(value, _position):
        with_unit = top is not None and abs(value - top) < 1e-9 and axis == "y"
        return labeller.value(value, decimals, unit=with_unit)

    target.set_major_formatter(FuncFormatter(fmt))


def _pad_limits(values: list[float], zero: bool = True) -> tuple[float, float]:
    low, high = min(values), max(values)
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        high = low + 1
    span = high - low
    return (low - span * 0.04 if low < 0 or not zero else low), high + span * 0.06


def _plot_height(spec: ChartSpec, data: ChartData) -> float:
    if spec.type == "bar":
        return len(data.categories) * 28 * max(1, len(data.series) ** 0.5) + 10
    if spec.type == "table":
        return min(len(data.rows()), TABLE_ROWS_SHOWN + 1) * 22 + 22
    return max(240.0, spec.width * 0.5)


def _room_below(spec: ChartSpec, data: ChartData, labeller: Labeller) -> float:
    """Space under the plot for x labels (more when column labels are rotated)."""
    if spec.type in ("bar", "table", "donut", "pie"):
        return 6
    if spec.type in ("column", "grouped", "stacked"):
        _left, _slot, rotated = _column_layout(spec, data, labeller)
        longest = max(len(truncate(labeller.x(x), ROTATED_CHARS)) for x in data.categories)
        return 14 + longest * SIZES["tick"] * CHAR_WIDTH * 0.72 if rotated else 44
    return 54 if spec.type == "scatter" else 34


TABLE_ROWS_SHOWN = 25


def render_figure(spec: ChartSpec, data: ChartData, frame: Frame, labeller: Labeller):
    """The matplotlib figure of the whole chart (no pyplot: nothing global to close)."""
    import matplotlib

    names = [s.name for s in data.series]
    colours = series_colours(len(names), spec.palette)
    if spec.type in ("donut", "pie"):
        colours = series_colours(len(data.categories), spec.palette)
    legend = [str(n) for n in names] if (len(names) > 1 and spec.type in (
        "grouped", "stacked", "area", "scatter")) else []
    layout = Layout(spec, frame, legend)
    plot_height = _plot_height(spec, data)
    height = layout.header + plot_height + _room_below(spec, data, labeller) + layout.footer
    with matplotlib.rc_context(RC):
        canvas = Canvas(spec.width, height)
        _draw_frame(canvas, layout, frame, legend, colours)
        drawer = DRAWERS[spec.type]
        drawer(canvas, layout.header, plot_height, spec, data, labeller, colours)
    return canvas.figure


# --- one drawer per chart type -------------------------------------------------------------

def _draw_bar(canvas, top, height, spec, data, labeller, colours):
    """Horizontal bars sorted by value, labels on the left, values at the bar ends."""
    size = SIZES["label"]
    labels = [truncate(labeller.x(x), 32) for x in data.categories]
    value_texts = [labeller.value(v) for v in data.values()]
    left = PAD + min(max(text_width(t, SIZES["tick"]) for t in labels) + 8, spec.width * 0.42)
    positives = [t for t, v in zip(value_texts, data.values()) if v >= 0]
    right = max((text_width(t, size) for t in positives), default=0) + PAD + 6
    ax = canvas.axes(left, top, spec.width - left - right, height)
    _style_axes(ax, None)
    count = len(data.categories)
    positions = list(range(count))
    bar_height = 0.72 / len(data.series)
    values = data.values()
    low, high = _pad_limits(values)
    negatives = [labeller.value(v) for v in values if v < 0]
    if negatives:  # labels of negative bars sit left of the bar: make room inside the axes
        share = min((max(text_width(t, size) for t in negatives) + 8)
                    / (spec.width - left - right), 0.45)
        low -= (high - low) * share / (1 - share)
    ax.set_xlim(low, high)
    ax.set_ylim(count - 0.5, -0.5)
    for index, series in enumerate(data.series):
        offsets = [p - 0.36 + bar_height * (index + 0.5) for p in positions]
        table = series.values
        xs = [offsets[i] for i, x in enumerate(data.categories) if x in table]
        ys = [table[x] for x in data.categories if x in table]
        ax.barh(xs, ys, height=bar_height * 0.92, color=colours[index], gid=f"bars-{index}")
        for position, value in zip(xs, ys):
            ax.annotate(labeller.value(value), (value, position), xytext=(4 if value >= 0 else -4, 0),
                        textcoords="offset points", va="center",
                        ha="left" if value >= 0 else "right", fontsize=size * PT, color=INK,
                        gid="value-label")
    ax.set_yticks(positions, labels)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.axvline(0, color=LIGHT, linewidth=0.8)


def _wrapped_categories(labels: list[str], slot_px: float) -> list[str] | None:
    """Labels wrapped (at spaces, two lines at most) to fit under a column; None if they can't."""
    chars = max(int(slot_px / (SIZES["tick"] * CHAR_WIDTH)), 3)
    wrapped = ["\n".join(textwrap.wrap(label, chars, break_long_words=False)[:2]) or label
               for label in labels]
    longest = max((max(len(line) for line in w.split("\n")) for w in wrapped), default=0)
    return wrapped if longest <= chars * 1.15 else None


ROTATED_CHARS = 18  # rotated column labels are cut here (the full name is in the table)
ROTATED_EVERY = 30  # past this many columns, only every k-th rotated label is written


def _category_axis(ax, labels: list[str], slot_px: float) -> None:
    """Category labels under columns: wrapped to the slot, rotated when still too long."""
    positions = list(range(len(labels)))
    wrapped = _wrapped_categories(labels, slot_px)
    if wrapped is None:
        step = math.ceil(len(labels) / ROTATED_EVERY)
        ax.set_xticks(positions[::step], [truncate(label, ROTATED_CHARS)
                                          for label in labels[::step]],
                      rotation=45, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(positions, wrapped)


def _value_margin(data: ChartData, labeller: Labeller, totals: list[float] | None = None) -> float:
    """Room for the value-axis tick labels, the widest being the top one with its unit."""
    values = (totals or []) + data.values()
    widest = max(labeller.value(v, unit=True) for v in (max(values), min(values)))
    return text_width(widest, SIZES["tick"]) + 10


def _column_layout(spec: ChartSpec, data: ChartData, labeller: Labeller) -> tuple[float, float, bool]:
    """(left margin, slot width per category, whether labels must be rotated)."""
    left = PAD + _value_margin(data, labeller, _stack_totals(data))
    slot = (spec.width - left - PAD) / max(len(data.categories), 1)
    labels = [labeller.x(x) for x in data.categories]
    rotated = _wrapped_categories(labels, slot) is None
    if rotated:  # the first rotated label reaches left of its column: keep it in the image
        first = text_width(truncate(labels[0], ROTATED_CHARS), SIZES["tick"]) * 0.72
        left = max(left, PAD + first - slot / 2)
        slot = (spec.width - left - PAD) / max(len(data.categories), 1)
    return left, slot, rotated


def _stack_totals(data: ChartData) -> list[float]:
    return [sum(s.values.get(x, 0.0) for s in data.series if s.values.get(x, 0.0) > 0)
            for x in data.categories]


def _columns_frame(canvas, top, height, spec, data, labeller):
    left, slot, _rotated = _column_layout(spec, data, labeller)
    if spec.type == "column" and _column_labels_fit(spec, data, labeller):
        left = PAD + 8  # values are written on the columns: no axis, no margin for it
        slot = (spec.width - left - PAD) / max(len(data.categories), 1)
    ax = canvas.axes(left, top, spec.width - left - PAD, height)
    _style_axes(ax, None)
    _category_axis(ax, [labeller.x(x) for x in data.categories], slot)
    return ax, slot


def _column_labels_fit(spec, data, labeller) -> bool:
    _left, slot, _rotated = _column_layout(spec, data, labeller)
    return max(text_width(labeller.value(v), SIZES["small"]) for v in data.values()) < slot * 1.02


def _draw_column(canvas, top, height, spec, data, labeller, colours):
    """Vertical columns in data order (dates in order), values on top when they fit."""
    ax, slot = _columns_frame(canvas, top, height, spec, data, labeller)
    series = data.series[0]
    positions = list(range(len(data.categories)))
    values = [series.values.get(x, 0.0) for x in data.categories]
    low, high = _pad_limits(values)
    ax.set_ylim(low, high * 1.06)
    ax.bar(positions, values, width=0.74, color=colours[0], gid="bars-0")
    texts = [labeller.value(v) for v in values]
    if _column_labels_fit(spec, data, labeller):
        for position, value, text in zip(positions, values, texts):
            ax.annotate(text, (position, value), xytext=(0, 3 if value >= 0 else -3),
                        textcoords="offset points", ha="center",
                        va="bottom" if value >= 0 else "top", fontsize=SIZES["small"] * PT,
                        color=INK, gid="value-label")
        ax.set_yticks([])
    else:
        _style_axes(ax, "y")
        _value_axis(ax, labeller)
    ax.axhline(0, color=LIGHT, linewidth=0.8)
    ax.set_xlim(-0.6, len(positions) - 0.4)


def _draw_grouped(canvas, top, height, spec, data, labeller, colours):
    ax, slot = _columns_frame(canvas, top, height, spec, data, labeller)
    count = len(data.series)
    width = 0.8 / count
    values = data.values()
    low, high = _pad_limits(values)
    ax.set_ylim(low, high)
    _style_axes(ax, "y")
    _value_axis(ax, labeller)
    for index, series in enumerate(data.series):
        table = series.values
        xs = [i - 0.4 + width * (index + 0.5) for i, x in enumerate(data.categories) if x in table]
        ys = [table[x] for x in data.categories if x in table]
        ax.bar(xs, ys, width=width * 0.92, color=colours[index], gid=f"bars-{index}")
    ax.axhline(0, color=LIGHT, linewidth=0.8)
    ax.set_xlim(-0.6, len(data.categories) - 0.4)


def _draw_stacked(canvas, top, height, spec, data, labeller, colours):
    ax, slot = _columns_frame(canvas, top, height, spec, data, labeller)
    positions = list(range(len(data.categories)))
    positive = [0.0] * len(positions)
    negative = [0.0] * len(positions)
    for index, series in enumerate(data.series):
        table = series.values
        values = [table.get(x, 0.0) for x in data.categories]
        bottoms = [positive[i] if v >= 0 else negative[i] for i, v in enumerate(values)]
        ax.bar(positions, values, bottom=bottoms, width=0.74, color=colours[index],
               edgecolor="white", linewidth=0.6, gid=f"bars-{index}")
        for i, v in enumerate(values):
            if v >= 0:
                positive[i] += v
            else:
                negative[i] += v
    low, high = _pad_limits(positive + negative)
    ax.set_ylim(low, high * 1.08)
    totals = [labeller.value(v) for v in positive]
    if max(text_width(t, SIZES["small"]) for t in totals) < slot * 1.02:
        for position, total, text in zip(positions, positive, totals):
            ax.annotate(text, (position, total), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=SIZES["small"] * PT, color=INK,
                        gid="value-label")
    _style_axes(ax, "y")
    _value_axis(ax, labeller)
    ax.axhline(0, color=LIGHT, linewidth=0.8)
    ax.set_xlim(-0.6, len(positions) - 0.4)


def _x_positions(data: ChartData, xs: list):
    if data.x_kind == "date":
        from matplotlib.dates import date2num

        return [date2num(x) for x in xs]
    if data.x_kind == "category":
        index = {x: i for i, x in enumerate(data.categories)}
        return [index[x] for x in xs]
    return [float(x) for x in xs]


def _x_axis(ax, data: ChartData, labeller: Labeller) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if data.x_kind == "date":
        from matplotlib.dates import AutoDateLocator, num2date

        span = (max(data.categories) - min(data.categories)).days if data.categories else 0
        ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=7))
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda v, _p: labeller.date_tick(num2date(v).replace(tzinfo=None), span)))
    elif data.x_kind == "category":
        positions = list(range(len(data.categories)))
        step = max(1, len(positions) // 8)
        ax.set_xticks(positions[::step], [truncate(labeller.x(x), 14)
                                          for x in data.categories[::step]])
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=data.x_kind == "year"))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: labeller.x(v)))


def _spread(positions: list[float], gap: float) -> list[float]:
    """Move label y positions (pixels) apart by at least `gap`, keeping their order."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    for previous, current in zip(order, order[1:]):
        if placed[current] - placed[previous] < gap:
            placed[current] = placed[previous] + gap
    return placed


def _line_like(canvas, top, height, spec, data, labeller, colours, area: bool):
    stacked = area and len(data.series) > 1
    direct = not stacked
    end_labels = []
    for series in data.series:
        last_x, last_y = series.points[-1] if series.points else (None, 0)
        value = labeller.value(last_y)
        end_labels.append(keep_with_punctuation(_("{name}: {text}").format(
            name=series.name, text=value)) if series.name else value)
    right = PAD + (max(text_width(t, SIZES["label"]) for t in end_labels) + 8 if direct else 0)
    tick_guess = max(text_width(labeller.value(v, unit=True), SIZES["tick"])
                     for v in data.values())
    left = PAD + tick_guess + 6
    ax = canvas.axes(left, top, spec.width - left - right, height)
    _style_axes(ax, "y")
    values = data.values()
    if stacked:
        xs = _x_positions(data, data.categories)
        layers = [[s.values.get(x, 0.0) for x in data.categories] for s in data.series]
        ax.stackplot(xs, layers, colors=colours[:len(layers)], alpha=0.9, gid="areas")
        totals = [sum(column) for column in zip(*layers)]
        ax.set_ylim(*_pad_limits(totals))
    else:
        for index, series in enumerate(data.series):
            points = sorted(series.points, key=lambda p: p[0])
            xs = _x_positions(data, [p[0] for p in points])
            ys = [p[1] for p in points]
            ax.plot(xs, ys, color=colours[index], linewidth=2.2 if len(xs) <= 100 else 1.2,
                    gid=f"line-{index}",
                    marker="o" if len(xs) == 1 else None)
            if area:
                ax.fill_between(xs, ys, color=colours[index], alpha=0.25, linewidth=0)
        ax.set_ylim(*_pad_limits(values, zero=area or min(values) >= 0))
    _value_axis(ax, labeller)
    _x_axis(ax, data, labeller)
    if direct:
        transform = ax.transData
        ends = []
        for series in data.series:
            x, y = max(series.points, key=lambda p: p[0])
            ends.append(transform.transform((_x_positions(data, [x])[0], y))[1])
        placed = _spread(ends, SIZES["label"] * 1.25 * 100 / 100)
        inverse = ax.transData.inverted()
        for index, (series, pixel_y) in enumerate(zip(data.series, placed)):
            x, _y = max(series.points, key=lambda p: p[0])
            anchor_x = _x_positions(data, [x])[0]
            data_y = inverse.transform((0, pixel_y))[1]
            ax.annotate(end_labels[index], (anchor_x, data_y), xytext=(6, 0),
                        textcoords="offset points", va="center", ha="left",
                        fontsize=SIZES["label"] * PT, color=colours[index],
                        weight="bold", annotation_clip=False, gid="direct-label")


def _draw_line(canvas, top, height, spec, data, labeller, colours):
    """One or several lines, labelled at their ends instead of a legend."""
    _line_like(canvas, top, height, spec, data, labeller, colours, area=False)


def _draw_area(canvas, top, height, spec, data, labeller, colours):
    _line_like(canvas, top, height, spec, data, labeller, colours, area=True)


def _draw_pie(canvas, top, height, spec, data, labeller, colours, donut: bool = False):
    """Slices clockwise from noon with name and share outside; the total in a donut's hole."""
    series = data.series[0]
    values = [series.values.get(x, 0.0) for x in data.categories]
    total = sum(values) or 1.0
    # Past 8 slices, slivers under 3 % stay unlabelled (they are in the data table).
    labels = [f"{truncate(labeller.x(x), 24)}\n{labeller.share(v / total)}"
              if len(values) <= 8 or v / total >= 0.03 else ""
              for x, v in zip(data.categories, values)]
    side = min(height, spec.width - 2 * PAD)
    ax = canvas.axes((spec.width - side) / 2, top, side, height)
    wedges, texts = ax.pie(values, colors=colours[:len(values)], startangle=90, counterclock=False,
                           labels=labels, labeldistance=1.12, radius=0.78,
                           textprops={"fontsize": SIZES["small"] * PT, "color": INK},
                           wedgeprops={"width": 0.34 if donut else 0.78, "edgecolor": "white",
                                       "linewidth": 1})
    for text in texts:
        text.set_gid("slice-label")
    if donut:
        centre = labeller.number(total) + (f"\n{data.unit}" if data.unit else "")
        ax.text(0, 0, centre, ha="center", va="center", fontsize=SIZES["small"] * PT,
                weight="bold", color=INK, gid="donut-total", linespacing=1.3)
    ax.set_aspect("equal")


def _draw_donut(canvas, top, height, spec, data, labeller, colours):
    _draw_pie(canvas, top, height, spec, data, labeller, colours, donut=True)


def _draw_scatter(canvas, top, height, spec, data, labeller, colours):
    left = PAD + max(text_width(labeller.value(v, unit=True), SIZES["tick"])
                     for v in data.values()) + 6
    ax = canvas.axes(left, top + 18, spec.width - left - PAD, height - 18)
    _style_axes(ax, "both")
    ax.spines["left"].set_visible(False)
    xs_all, ys_all = [], []
    for index, series in enumerate(data.series):
        xs = [float(x) for x, _y in series.points]
        ys = [y for _x, y in series.points]
        xs_all += xs
        ys_all += ys
        ax.scatter(xs, ys, s=30, color=colours[index], alpha=0.8, linewidths=0.5,
                   edgecolors="white", gid=f"points-{index}")
    ax.set_ylim(*_pad_limits(ys_all, zero=False))
    ax.set_xlim(*_pad_limits(xs_all, zero=False))
    _value_axis(ax, labeller)
    _x_axis(ax, data, labeller)
    canvas.text(left, top, data.y_label, SIZES["small"], gid="axis-title", color=GREY)
    ax.set_xlabel(data.x_label, fontsize=SIZES["small"] * PT, color=GREY, gid="axis-title")


def _draw_table(canvas, top, height, spec, data, labeller, colours):
    """The data as a formatted table: numbers right-aligned, one decimal setting for all."""
    rows = data.rows()
    headers = [data.x_label] + ([data.color_label] if data.color_label else []) + [data.y_label]
    inner = spec.width - 2 * PAD
    y = top
    number_x = PAD + inner
    category_width = inner * (0.45 if data.color_label else 0.65)
    for column, header in enumerate(headers):
        x = number_x if column == len(headers) - 1 else PAD + column * category_width
        canvas.text(x, y, truncate(header, 40), SIZES["small"], gid="table-header", color=GREY,
                    weight="bold", ha="right" if column == len(headers) - 1 else "left")
    y += 22
    shown = rows[:TABLE_ROWS_SHOWN]
    for x_value, group, value in shown:
        cells = [labeller.x(x_value)] + ([str(group)] if data.color_label else [])
        for column, cell in enumerate(cells):
            canvas.text(PAD + column * category_width, y, truncate(cell, 40), SIZES["label"],
                        gid="table-cell")
        canvas.text(number_x, y, labeller.value(value), SIZES["label"], gid="table-cell",
                    ha="right")
        y += 22
    if len(rows) > len(shown):
        canvas.text(PAD, y, f"… ({len(rows) - len(shown)})", SIZES["small"], color=GREY)


DRAWERS = {"bar": _draw_bar, "column": _draw_column, "grouped": _draw_grouped,
           "stacked": _draw_stacked, "line": _draw_line, "area": _draw_area, "donut": _draw_donut,
           "pie": _draw_pie, "scatter": _draw_scatter, "table": _draw_table}


# --- files --------------------------------------------------------------------------------

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
