"""Colours for classed values: sequential (darker = more) and diverging (signed values).

ColorBrewer schemes (Cynthia Brewer, Apache 2.0) marked colour-blind safe on colorbrewer2.org:
'Blues' for one-signed data, 'RdBu' for data on either side of a midpoint. A single hue that
darkens with the value reads the same for every kind of colour vision and in greyscale print;
red is never used to mean "more" (the issue's success rate drawn in red for high success).
"""

from __future__ import annotations

BLUES = {
    2: ["#c6dbef", "#3182bd"],
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
}
# RdBu from its midpoint outwards: index 0 is the lightest on each side.
REDS_OUT = ["#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"]
BLUES_OUT = ["#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061"]
NO_DATA = "#d9d9d9"


def sequential(count: int) -> list[str]:
    """`count` colours from light to dark (1 to 7)."""
    count = max(1, min(int(count), 7))
    return BLUES[count] if count >= 2 else [BLUES[3][1]]


def diverging(below: int, above: int) -> list[str]:
    """Colours for `below` classes under the midpoint (reds, darkest first) then `above` classes
    over it (blues, lightest first): the further from the midpoint, the darker."""
    below, above = min(below, len(REDS_OUT)), min(above, len(BLUES_OUT))
    return list(reversed(_outwards(REDS_OUT, below))) + _outwards(BLUES_OUT, above)


def _outwards(ramp: list[str], count: int) -> list[str]:
    """`count` steps of a ramp, spread so that 2 classes are not both nearly white."""
    if count <= 0:
        return []
    if count == 1:
        return [ramp[1]]
    picks = [round(i * (len(ramp) - 1) / (count - 1)) for i in range(count)] if count < len(
        ramp) else list(range(len(ramp)))
    return [ramp[i] for i in picks]
CIRCLE = "#3182bd"   # proportional circles: one colour, the size says the value
