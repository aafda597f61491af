"""What column, grouped and stacked charts share: the category axis under the columns."""

from __future__ import annotations

import math
import textwrap

from datactiviste.charts.canvas import CHAR_WIDTH, PAD, SIZES, text_width
from datactiviste.charts.axes import style_axes
from datactiviste.charts.data import ChartData
from datactiviste.charts.labels import Labeller, truncate
from datactiviste.charts.spec import ChartSpec


def wrapped_categories(labels: list[str], slot_px: float) -> list[str] | None:
    """Labels wrapped (at spaces, two lines at most) to fit under a column; None if they can't."""
    chars = max(int(slot_px / (SIZES["tick"] * CHAR_WIDTH)), 3)
    wrapped = ["\n".join(textwrap.wrap(label, chars, break_long_words=False)[:2]) or label
               for label in labels]
    longest = max((max(len(line) for line in w.split("\n")) for w in wrapped), default=0)
    return wrapped if longest <= chars * 1.15 else None


ROTATED_CHARS = 18  # rotated column labels are cut here (the full name is in the table)

ROTATED_EVERY = 30  # past this many columns, only every k-th rotated label is written


def category_axis(ax, labels: list[str], slot_px: float) -> None:
    """Category labels under columns: wrapped to the slot, rotated when still too long."""
    positions = list(range(len(labels)))
    wrapped = wrapped_categories(labels, slot_px)
    if wrapped is None:
        # a 45° label needs about 1.5 line heights across: on a phone, write every k-th one
        step = max(math.ceil(len(labels) / ROTATED_EVERY),
                   math.ceil(SIZES["tick"] * 1.5 / max(slot_px, 1)))
        ax.set_xticks(positions[::step], [truncate(label, ROTATED_CHARS)
                                          for label in labels[::step]],
                      rotation=45, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(positions, wrapped)


def value_margin(data: ChartData, labeller: Labeller, totals: list[float] | None = None) -> float:
    """Room for the value-axis tick labels, the widest being the top one with its unit."""
    values = (totals or []) + data.values()
    widest = max(labeller.value(v, unit=True) for v in (max(values), min(values)))
    return text_width(widest, SIZES["tick"]) + 10


def column_layout(spec: ChartSpec, data: ChartData, labeller: Labeller) -> tuple[float, float, bool]:
    """(left margin, slot width per category, whether labels must be rotated)."""
    left = PAD + value_margin(data, labeller, stack_totals(data))
    slot = (spec.width - left - PAD) / max(len(data.categories), 1)
    labels = [labeller.x(x) for x in data.categories]
    rotated = wrapped_categories(labels, slot) is None
    if rotated:  # the first rotated label reaches left of its column: keep it in the image
        first = text_width(truncate(labels[0], ROTATED_CHARS), SIZES["tick"]) * 0.72
        left = max(left, PAD + first - slot / 2)
        slot = (spec.width - left - PAD) / max(len(data.categories), 1)
    return left, slot, rotated


def stack_totals(data: ChartData) -> list[float]:
    return [sum(s.values.get(x, 0.0) for s in data.series if s.values.get(x, 0.0) > 0)
            for x in data.categories]


def columns_frame(canvas, top, height, spec, data, labeller):
    left, slot, _rotated = column_layout(spec, data, labeller)
    if spec.type == "column" and column_labels_fit(spec, data, labeller):
        left = PAD + 8  # values are written on the columns: no axis, no margin for it
        slot = (spec.width - left - PAD) / max(len(data.categories), 1)
    ax = canvas.axes(left, top, spec.width - left - PAD, height)
    style_axes(ax, None)
    category_axis(ax, [labeller.x(x) for x in data.categories], slot)
    return ax, slot


def column_labels_fit(spec, data, labeller) -> bool:
    _left, slot, _rotated = column_layout(spec, data, labeller)
    return max(text_width(labeller.value(v), SIZES["small"]) for v in data.values()) < slot * 1.02
