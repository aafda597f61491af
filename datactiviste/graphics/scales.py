"""Numbers a legend can show: class breaks that do not overlap, circle sizes scaled by area.

Both rules come from cartography handbooks (and what Datawrapper does): a reader compares
circles by their *area*, so the radius grows with the square root of the value; a reader reads
class limits, so they are round ('50', '55', not '53,25') and each value belongs to exactly one
class ('48 – 51,9 %', '52 – 56,9 %', never '48 – 52', '52 – 57').
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_RADIUS = 24.0   # px, the largest circle (of the largest value)
MIN_RADIUS = 1.5    # px, so a tiny value stays visible (the only departure from area scaling)
NICE_STEPS = (1, 2, 2.5, 5, 10)


def nice_floor(value: float) -> float:
    """The largest of 1, 2, 2.5, 5 × 10^k not above `value` (value > 0)."""
    power = 10 ** math.floor(math.log10(value))
    return max(step * power for step in NICE_STEPS if step * power <= value * (1 + 1e-12))


def decimals_of(values) -> int:
    """The decimals the data itself is written with (at most 3): the precision of a class."""
    from datactiviste.i18n.formats import shortest_decimal

    most = 0
    for value in values:
        most = max(most, len(shortest_decimal(float(value)).partition(".")[2]))
    return min(most, 3)


def _round_to(value: float, unit: float) -> float:
    return round(round(value / unit) * unit, 10)


@dataclass(frozen=True)
class Class:
    low: float          # the smallest value this class can hold (shown)
    high: float         # the largest value it can hold, at the data's precision (shown)
    count: int          # features in the class


@dataclass(frozen=True)
class Classes:
    """Half-open classes [break_k, break_k+1) from the real minimum to the real maximum."""
    breaks: list[float]      # inner limits, increasing; a value equal to a limit goes above it
    minimum: float
    maximum: float
    precision: int           # decimals of the data
    classes: list[Class]

    def index(self, value: float) -> int:
        for position, limit in enumerate(self.breaks):
            if value < limit:
                return position
        return len(self.breaks)


def class_breaks(values: list[float], count: int = 5, midpoint: float | None = None) -> Classes:
    """Quantile classes with round limits; a `midpoint` (0 for signed values) is always a limit.

    Quantiles give each class about as many features (no empty classes on skewed data); limits
    are then rounded to a step of 1, 2, 2.5 or 5 × 10^k fitting the range, and duplicates merged,
    so there may be fewer classes than asked, never empty or overlapping ones.
    """
    ordered = sorted(float(v) for v in values)
    if not ordered:
        raise ValueError("no values to class")
    low, high = ordered[0], ordered[-1]
    precision = decimals_of(ordered)
    if high == low:
        return Classes([], low, high, precision, [Class(low, high, len(ordered))])
    unit = nice_floor((high - low) / (count * 2))
    unit = max(unit, 10 ** -precision)
    breaks = set()
    for k in range(1, count):
        position = k * (len(ordered) - 1) / count
        below, above = ordered[math.floor(position)], ordered[math.ceil(position)]
        quantile = below + (above - below) * (position - math.floor(position))
        breaks.add(_round_to(quantile, unit))
    if midpoint is not None and low < midpoint < high:
        breaks = {b for b in breaks if abs(b - midpoint) >= unit} | {midpoint}
    inner = sorted(b for b in breaks if low < b <= high)
    while True:   # rounding can leave a class empty: merge it with its neighbour
        classes = _classes(ordered, low, high, inner, precision)
        empty = next((i for i, c in enumerate(classes) if c.count == 0), None)
        if empty is None or not inner:
            return Classes(inner, low, high, precision, classes)
        keep = midpoint if midpoint in inner else None
        drop = empty if empty < len(inner) and inner[empty] != keep else empty - 1
        inner = inner[:max(drop, 0)] + inner[max(drop, 0) + 1:]


def _classes(ordered: list[float], low: float, high: float, inner: list[float],
             precision: int) -> list[Class]:
    step = 10 ** -precision
    limits = [low] + inner + [high]
    classes, start = [], 0
    for position in range(len(limits) - 1):
        last = position == len(limits) - 2
        top = limits[position + 1] if last else round(limits[position + 1] - step, precision)
        members = [v for v in ordered[start:] if (v <= top if last else v < limits[position + 1])]
        start += len(members)
        classes.append(Class(limits[position], top, len(members)))
    return classes


def circle_radius(value: float | None, maximum: float, largest: float = MAX_RADIUS) -> float:
    """Radius in px so that the circle's AREA is proportional to the value."""
    if value is None or maximum <= 0 or value <= 0:
        return 0.0
    return round(max(MIN_RADIUS, largest * math.sqrt(value / maximum)), 2)


def circle_legend_values(minimum: float, maximum: float, wanted: int = 3) -> list[float]:
    """2 or 3 round values inside [minimum, maximum], largest first: the circles of the legend.

    A legend that shows '63 / 16 / 3,9' for data between 48 and 63 describes nothing on the map:
    every value shown here is a round number a reader can name and lies in the real range.
    """
    if maximum <= 0:
        return []
    low = max(minimum, maximum * 1e-6, 0.0)
    top = nice_floor(maximum)
    chosen = [top]
    for fraction in (1 / 3, 1 / 10):
        candidate = nice_floor(top * fraction)
        if candidate >= low and all(candidate < c * 0.7 for c in chosen):
            chosen.append(candidate)
    if len(chosen) < 2 and low > 0 and nice_floor(low) < top:
        # a narrow range (48 to 63): a round value near the minimum
        candidate = nice_floor(low) if nice_floor(low) >= minimum else None
        if candidate is None:
            power = 10 ** math.floor(math.log10(max(top - low, 1e-12)))
            candidate = math.ceil(low / power) * power
        if candidate < top:
            chosen.append(candidate)
    return chosen[:wanted]
