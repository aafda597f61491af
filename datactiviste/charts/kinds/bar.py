"""Horizontal bars: the default for categories with long names."""

from __future__ import annotations

from datactiviste.charts.canvas import INK, LIGHT, PAD, PT, SIZES, text_width
from datactiviste.charts.axes import pad_limits, style_axes
from datactiviste.charts.labels import truncate


def draw_bar(canvas, top, height, spec, data, labeller, colours):
    """Horizontal bars sorted by value, labels on the left, values at the bar ends."""
    size = SIZES["label"]
    labels = [truncate(labeller.x(x), 32) for x in data.categories]
    value_texts = [labeller.value(v) for v in data.values()]
    left = PAD + min(max(text_width(t, SIZES["tick"]) for t in labels) + 8, spec.width * 0.42)
    positives = [t for t, v in zip(value_texts, data.values()) if v >= 0]
    right = max((text_width(t, size) for t in positives), default=0) + PAD + 6
    ax = canvas.axes(left, top, spec.width - left - right, height)
    style_axes(ax, None)
    count = len(data.categories)
    positions = list(range(count))
    bar_height = 0.72 / len(data.series)
    values = data.values()
    low, high = pad_limits(values)
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
