"""Pie and donut: slices clockwise from noon, the total in a donut's hole."""

from __future__ import annotations

from datactiviste.charts.canvas import CHAR_WIDTH, INK, PAD, PT, SIZES, text_width
from datactiviste.charts.labels import truncate


RADIUS, LABEL_DISTANCE = 0.78, 1.12   # in matplotlib's pie units
PIE_UNITS = 2.5                       # matplotlib's pie spans -1.25..1.25 across the axes
RING = 0.34                           # a donut's ring, thinned when the total needs the room
BOLD = 1.12                           # bold digits are wider than the layout estimate
SMALL_SLICE = 0.04                    # two neighbours this thin would write over each other


def _shares(data) -> list[float]:
    values = [data.series[0].values.get(x, 0.0) for x in data.categories]
    total = sum(values) or 1.0
    return [v / total for v in values]


def slice_names(data, labeller) -> list[str]:
    return [truncate(labeller.x(x), 24) for x in data.categories]


def labels_fit(spec, data, labeller, height: float) -> bool:
    """Whether names can sit beside the slices: room on each side (a phone has ~50 px) and no
    two thin neighbours. Otherwise they go to the legend above the pie, with their shares."""
    side = min(height, spec.width - 2 * PAD)
    room = spec.width / 2 - side * RADIUS * LABEL_DISTANCE / PIE_UNITS - PAD
    widest = max(text_width(name, SIZES["small"]) for name in slice_names(data, labeller))
    shares = _shares(data)
    crowded = any(a < SMALL_SLICE and b < SMALL_SLICE for a, b in zip(shares, shares[1:]))
    return widest <= room and not (len(shares) <= 8 and crowded)


def legend_entries(spec, data, labeller) -> list[str]:
    """'Commune de Mbour (0,2 %)': the legend of a pie whose names do not fit beside it, each
    name as long as one legend row allows."""
    room = int((spec.width - 2 * PAD - 16) / (SIZES["legend"] * CHAR_WIDTH))
    entries = []
    for x, share in zip(data.categories, _shares(data)):
        text = f" ({labeller.share(share)})"
        entries.append(truncate(labeller.x(x), max(room - len(text), 12)) + text)
    return entries


def total_text(data, labeller) -> str:
    """'1 111 434 566\nFCFA': the total written in a donut's hole."""
    total = sum(data.series[0].values.get(x, 0.0) for x in data.categories)
    return labeller.number(total) + (f"\n{data.unit}" if data.unit else "")


def ring(text: str, side: float) -> float:
    """The ring's width (pie units): thinner when a big total would touch it on a phone."""
    widest = max(text_width(line, SIZES["small"]) for line in text.split("\n")) * BOLD
    hole = (widest / 2 + 6) / (side / PIE_UNITS)
    return min(RING, max(0.16, RADIUS - hole))


def draw_pie(canvas, top, height, spec, data, labeller, colours, donut: bool = False):
    """Slices clockwise from noon with name and share outside; the total in a donut's hole."""
    series = data.series[0]
    values = [series.values.get(x, 0.0) for x in data.categories]
    total = sum(values) or 1.0
    # Past 8 slices, slivers under 3 % stay unlabelled (they are in the data table).
    labels = [f"{name}\n{labeller.share(v / total)}"
              if len(values) <= 8 or v / total >= 0.03 else ""
              for name, v in zip(slice_names(data, labeller), values)]
    if not labels_fit(spec, data, labeller, height):
        labels = None   # names and shares are in the legend
    side = min(height, spec.width - 2 * PAD)
    ax = canvas.axes((spec.width - side) / 2, top, side, height)
    wedges, texts = ax.pie(values, colors=colours[:len(values)], startangle=90, counterclock=False,
                           labels=labels, labeldistance=LABEL_DISTANCE, radius=RADIUS,
                           textprops={"fontsize": SIZES["small"] * PT, "color": INK},
                           wedgeprops={"width": ring(total_text(data, labeller), side)
                                       if donut else RADIUS, "edgecolor": "white",
                                       "linewidth": 1})
    for text in texts:
        text.set_gid("slice-label")
    if donut:
        ax.text(0, 0, total_text(data, labeller), ha="center", va="center",
                fontsize=SIZES["small"] * PT, weight="bold", color=INK, gid="donut-total", linespacing=1.3)
    ax.set_aspect("equal")


def draw_donut(canvas, top, height, spec, data, labeller, colours):
    draw_pie(canvas, top, height, spec, data, labeller, colours, donut=True)
