"""Scatter plot: every row a point, both axes titled."""

from __future__ import annotations

from datactiviste.charts.canvas import GREY, PAD, PT, SIZES, text_width
from datactiviste.charts.axes import pad_limits, style_axes, value_axis, x_axis


def draw_scatter(canvas, top, height, spec, data, labeller, colours):
    left = PAD + max(text_width(labeller.value(v, unit=True), SIZES["tick"])
                     for v in data.values()) + 6
    ax = canvas.axes(left, top + 18, spec.width - left - PAD, height - 18)
    style_axes(ax, "both")
    ax.spines["left"].set_visible(False)
    xs_all, ys_all = [], []
    for index, series in enumerate(data.series):
        xs = [float(x) for x, _y in series.points]
        ys = [y for _x, y in series.points]
        xs_all += xs
        ys_all += ys
        ax.scatter(xs, ys, s=30, color=colours[index], alpha=0.8, linewidths=0.5,
                   edgecolors="white", gid=f"points-{index}")
    ax.set_ylim(*pad_limits(ys_all, zero=False))
    ax.set_xlim(*pad_limits(xs_all, zero=False))
    value_axis(ax, labeller)
    x_axis(ax, data, labeller)
    canvas.text(left, top, data.y_label, SIZES["small"], gid="axis-title", color=GREY)
    ax.set_xlabel(data.x_label, fontsize=SIZES["small"] * PT, color=GREY, gid="axis-title")
