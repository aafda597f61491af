"""Stacked columns: series piled up, the total written on top when it fits."""

from __future__ import annotations

from datactiviste.charts.canvas import INK, LIGHT, PT, SIZES, text_width
from datactiviste.charts.axes import pad_limits, style_axes, value_axis
from datactiviste.charts.kinds.column_layout import columns_frame


def draw_stacked(canvas, top, height, spec, data, labeller, colours):
    ax, slot = columns_frame(canvas, top, height, spec, data, labeller)
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
    low, high = pad_limits(positive + negative)
    ax.set_ylim(low, high * 1.08)
    totals = [labeller.value(v) for v in positive]
    if max(text_width(t, SIZES["small"]) for t in totals) < slot * 1.02:
        for position, total, text in zip(positions, positive, totals):
            ax.annotate(text, (position, total), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=SIZES["small"] * PT, color=INK,
                        gid="value-label")
    style_axes(ax, "y")
    value_axis(ax, labeller)
    ax.axhline(0, color=LIGHT, linewidth=0.8)
    ax.set_xlim(-0.6, len(positions) - 0.4)
