"""Vertical columns in data order, values on top when they fit."""

from __future__ import annotations

from datactiviste.charts.canvas import INK, LIGHT, PT, SIZES
from datactiviste.charts.axes import pad_limits, style_axes, value_axis
from datactiviste.charts.kinds.column_layout import column_labels_fit, columns_frame


def draw_column(canvas, top, height, spec, data, labeller, colours):
    """Vertical columns in data order (dates in order), values on top when they fit."""
    ax, slot = columns_frame(canvas, top, height, spec, data, labeller)
    series = data.series[0]
    positions = list(range(len(data.categories)))
    values = [series.values.get(x, 0.0) for x in data.categories]
    low, high = pad_limits(values)
    ax.set_ylim(low, high * 1.06)
    ax.bar(positions, values, width=0.74, color=colours[0], gid="bars-0")
    texts = [labeller.value(v) for v in values]
    if column_labels_fit(spec, data, labeller):
        for position, value, text in zip(positions, values, texts):
            ax.annotate(text, (position, value), xytext=(0, 3 if value >= 0 else -3),
                        textcoords="offset points", ha="center",
                        va="bottom" if value >= 0 else "top", fontsize=SIZES["small"] * PT,
                        color=INK, gid="value-label")
        ax.set_yticks([])
    else:
        style_axes(ax, "y")
        value_axis(ax, labeller)
    ax.axhline(0, color=LIGHT, linewidth=0.8)
    ax.set_xlim(-0.6, len(positions) - 0.4)
