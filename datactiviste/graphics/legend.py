"""Legend entries from a symbology, and where a legend may go without hiding anything.

Entries carry the unit ('48,2 – 50,9 %') and, for classes, how many features each holds, so a
reader can answer "how many regions are above 60 %?" from the legend alone.

`place_legend` is measured placement: it tries the corners and edge middles of the drawing
area and keeps the first where the legend's box touches no data mark, no source line and no
scale bar; when every spot is taken it says so (None) and the caller puts the legend outside
the map, never over the data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from datactiviste.graphics.scales import circle_radius
from datactiviste.graphics.symbology import Symbology

Box = tuple[float, float, float, float]   # left, top, right, bottom (pixels, y down)
DASH = "\u00a0–\u00a0"
MINUS = "\u2212"   # a real minus: '−1,5 – −0,6', not '-1,5 – -0,6' beside the dash


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def class_items(symbology: Symbology, fmt: Callable[[float], str]) -> list[tuple[str, str, str]]:
    """('swatch', colour, '48,2 – 50,9 % (3)') per class, lowest first."""
    items = []
    for colour, found in zip(symbology.colours, symbology.classes.classes):
        low, high = _signed(fmt(found.low)), _signed(fmt(found.high))
        text = low if found.low == found.high else f"{low}{DASH}{high}"
        items.append(("swatch", colour, f"{text} ({found.count})"))
    return items


def circle_items(symbology: Symbology, fmt: Callable[[float], str],
                 largest: float) -> list[tuple[str, str, str]]:
    """('circle', radius, '2 500 000') for the 2–3 round legend values, largest first."""
    return [("circle", str(circle_radius(value, symbology.maximum, largest)), fmt(value))
            for value in symbology.legend_values]


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def overlap_area(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def place_legend(size: tuple[float, float], area: Box, obstacles: Sequence[Box],
                 margin: float = 8.0, blocked: Callable[[Box], bool] | None = None) -> Box | None:
    """The first free spot for a legend of `size` (w, h) inside `area`, or None.

    Candidates in reading order of preference: bottom-right, top-right, bottom-left, top-left,
    then the middles of the right, left, bottom and top edges. A spot is free when its box,
    grown by `margin`, overlaps none of `obstacles` (data marks, source, scale bar) and
    `blocked(box)` (say, "a coloured region lies under it") is false.
    """
    width, height = size
    left, top, right, bottom = area
    if width + 2 * margin > right - left or height + 2 * margin > bottom - top:
        return None
    xs = {"l": left + margin, "r": right - margin - width, "c": (left + right - width) / 2}
    ys = {"t": top + margin, "b": bottom - margin - height, "m": (top + bottom - height) / 2}
    for corner in ("rb", "rt", "lb", "lt", "rm", "lm", "cb", "ct"):
        x, y = xs[corner[0]], ys[corner[1]]
        box = (x, y, x + width, y + height)
        grown = (x - margin, y - margin, x + width + margin, y + height + margin)
        if not any(overlaps(grown, obstacle) for obstacle in obstacles) and not (
                blocked and blocked(grown)):
            return box
    return None
