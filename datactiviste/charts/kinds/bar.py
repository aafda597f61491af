"""Horizontal bars: the default for categories with long names."""

from __future__ import annotations

import textwrap

from datactiviste.charts.canvas import CHAR_WIDTH, INK, LIGHT, PAD, PT, SIZES, text_width
from datactiviste.charts.axes import pad_limits, style_axes

LABEL_SHARE = 0.42   # category names take at most this share of the width, left of the bars
LABEL_LINES = 2      # a longer name wraps on two lines, the rest cut with '…' (full in table)
ROW, LINE = 28, 15   # px per bar row, and per extra line of its name


def bar_labels(spec, data, labeller) -> list[str]:
    """Category names fitted left of the bars: on one line, else wrapped on two, then cut.

    'Ministère de l'Économie, du Plan et de la Coopération' on a phone becomes
    'Ministère de l'Économie,\ndu Plan et de la…' instead of running off the picture."""
    room = spec.width * LABEL_SHARE - 8
    chars = max(int(room / (SIZES["tick"] * CHAR_WIDTH)), 6)
    return ["\n".join(textwrap.wrap(name, chars, max_lines=LABEL_LINES, placeholder="…"))
            or name for name in (labeller.x(x) for x in data.categories)]


def row_height(spec, data, labeller) -> float:
    """Pixels per category: taller rows when a name takes two lines."""
    lines = max((label.count("\n") + 1 for label in bar_labels(spec, data, labeller)),
                default=1)
    return ROW + LINE * (lines - 1)


def draw_bar(canvas, top, height, spec, data, labeller, colours):
    """Horizontal bars sorted by value, labels on the left, values at the bar ends."""
    size = SIZES["label"]
    labels = bar_labels(spec, data, labeller)
    value_texts = [labeller.value(v) for v in data.values()]
    widest = max(text_width(line, SIZES["tick"]) for t in labels for line in t.split("\n"))
    left = PAD + min(widest + 8, spec.width * LABEL_SHARE)
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
                    / (spec.width - left - right), 0.6)
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
