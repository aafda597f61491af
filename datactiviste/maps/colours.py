"""Colour scales for maps: categories, classed values (quantiles), proportional circle sizes.

Palettes are ColorBrewer (Cynthia Brewer, Apache 2.0): readable when printed and by most
colour-blind readers. Class breaks are quantiles rounded to 2 significant digits, so a legend
reads "1 200 – 3 400" rather than "1 187,25 – 3 412,8".
"""

from __future__ import annotations

import math

CATEGORY_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
                    "#1f78b4", "#e31a1c"]
OTHER_COLOUR = "#8c8c8c"
DEFAULT_POINT_COLOUR = "#2c7fb8"
SEQUENTIAL = {3: ["#fee8c8", "#fdbb84", "#e34a33"],
              4: ["#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f"],
              5: ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"],
              6: ["#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"],
              7: ["#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000"]}
MIN_RADIUS, MAX_RADIUS, DEFAULT_RADIUS = 3.0, 22.0, 5.0


def round_significant(value: float, digits: int = 2) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def quantile_breaks(values: list[float], classes: int = 5) -> list[float]:
    """Upper bounds of each class except the last (which ends at the maximum); distinct, sorted."""
    ordered = sorted(values)
    if len(set(ordered)) <= classes:
        distinct = sorted(set(ordered))
        return distinct[:-1]
    breaks = []
    for k in range(1, classes):
        position = k * (len(ordered) - 1) / classes
        low = ordered[int(math.floor(position))]
        high = ordered[int(math.ceil(position))]
        breaks.append(round_significant(low + (high - low) * (position - math.floor(position))))
    return sorted(set(b for b in breaks if ordered[0] <= b < ordered[-1]))


def class_of(value: float, breaks: list[float]) -> int:
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index
    return len(breaks)


def sequential(count: int) -> list[str]:
    count = max(1, count)
    if count in SEQUENTIAL:
        return SEQUENTIAL[count]
    if count < 3:
        return SEQUENTIAL[3][-count:]
    return SEQUENTIAL[7]


def radius(value: float | None, maximum: float) -> float:
    """Circle area proportional to the value (radius ~ square root)."""
    if value is None or maximum <= 0 or value <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(value / maximum), 1)


def category_colours(values: list) -> dict:
    """{category: colour}: the most frequent first, the rest share one grey ("other")."""
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    ranked = sorted(counts, key=lambda v: (-counts[v], str(v)))
    mapping = {value: CATEGORY_COLOURS[i] for i, value in enumerate(ranked[:len(CATEGORY_COLOURS)])}
    for value in ranked[len(CATEGORY_COLOURS):]:
        mapping[value] = OTHER_COLOUR
    return mapping
