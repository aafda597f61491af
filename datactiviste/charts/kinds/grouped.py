"""Grouped columns: one column per series side by side in each category."""

from __future__ import annotations

from datactiviste.charts.canvas import LIGHT
from datactiviste.charts.axes import pad_limits, style_axes, value_axis
from datactiviste.charts.kinds.column_layout import columns_frame


def draw_grouped(canvas, top, height, spec, data, labeller, colours):
    ax, slot = columns_frame(canvas, top, height, spec, data, labeller)
    count = len(data.series)
    width = 0.8 / count
    values = data.values()
    low, high = pad_limits(values)
    ax.set_ylim(low, high)
    style_axes(ax, "y")
    value_axis(ax, labeller)
    for index, series in enumerate(data.series):
        table = series.values
        xs = [i - 0.4 + width * (index + 0.5) for i, x in enumerate(data.categories) if x in table]
        ys = [table[x] for x in data.categories if x in table]
        ax.bar(xs, ys, width=width * 0.92, color=colours[index], gid=f"bars-{index}")
    ax.axhline(0, color=LIGHT, linewidth=0.8)
    ax.set_xlim(-0.6, len(data.categories) - 0.4)
