"""Pie and donut: slices clockwise from noon, the total in a donut's hole."""

from __future__ import annotations

from datactiviste.charts.canvas import INK, PAD, PT, SIZES
from datactiviste.charts.labels import truncate


def draw_pie(canvas, top, height, spec, data, labeller, colours, donut: bool = False):
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


def draw_donut(canvas, top, height, spec, data, labeller, colours):
    draw_pie(canvas, top, height, spec, data, labeller, colours, donut=True)
