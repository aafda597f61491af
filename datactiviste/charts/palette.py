"""Colours: a colour-blind-safe default palette and a check that series stay distinguishable.

About 1 man in 12 has a red-green deficiency. Datawrapper warns online when two series would
look alike; we do the same offline: simulate protanopia and deuteranopia (Machado, Oliveira &
Fernandes 2009, severity 1, applied in linear RGB), then measure the CIELAB distance
(CIE76 ΔE) between every pair of colours the chart uses. Two colours closer than
`MIN_DELTA_E` under a simulation, while clearly different in normal vision, get a warning.

The default palette is Okabe & Ito's (2008), designed for colour-blind readers, reordered so
the first colours also contrast with white.
"""

from __future__ import annotations

import re
from itertools import combinations

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

# Okabe-Ito: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, black
# (min ΔE between any two under simulation: 17; Okabe-Ito's grey would collide with purple).
DEFAULT_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
                   "#333333"]
# Below this ΔE two flat colours are hard to tell apart in a small legend swatch or line.
MIN_DELTA_E = 12.0

_MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
}
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def parse_colour(text: str) -> str:
    """'#abc', 'abc' or '#AABBCC' -> '#aabbcc'; anything else is a user error."""
    match = _HEX.match(str(text).strip())
    if not match:
        raise DatactivisteError(_("Not a colour: {value}.").format(value=text),
                                hint=_("Write colours as hexadecimal codes, e.g. "
                                       "--palette \"#0072b2,#e69f00\"."))
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.lower()


def _to_linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _to_srgb(channel: float) -> float:
    channel = min(max(channel, 0.0), 1.0)
    return channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = parse_colour(colour)
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def simulate(colour: str, deficiency: str) -> tuple[float, float, float]:
    """The sRGB (0-1) colour as seen with `deficiency` ('protanopia' or 'deuteranopia')."""
    linear = [_to_linear(c) for c in _rgb(colour)]
    matrix = _MACHADO[deficiency]
    return tuple(_to_srgb(sum(row[i] * linear[i] for i in range(3))) for row in matrix)


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_to_linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIE76 distance between two sRGB (0-1) colours."""
    return sum((a - b) ** 2 for a, b in zip(_lab(first), _lab(second))) ** 0.5


def colour_blind_conflicts(colours: list[str], names: list[str] | None = None,
                           threshold: float = MIN_DELTA_E) -> list[dict]:
    """Pairs of colours that look alike under a simulated deficiency (empty list: all fine).

    Each conflict: {'first', 'second' (series names), 'deficiency', 'delta_e'}.
    """
    names = names or list(colours)
    conflicts = []
    for (i, a), (j, b) in combinations(enumerate(colours), 2):
        if delta_e(_rgb(a), _rgb(b)) < threshold:
            continue  # already alike for everyone: not a colour-blindness problem
        for deficiency in _MACHADO:
            distance = delta_e(simulate(a, deficiency), simulate(b, deficiency))
            if distance < threshold:
                conflicts.append({"first": names[i], "second": names[j],
                                  "deficiency": deficiency, "delta_e": round(distance, 1)})
                break
    return conflicts


def conflict_message(conflict: dict) -> str:
    deficiency = (_("protanopia") if conflict["deficiency"] == "protanopia"
                  else _("deuteranopia"))
    return _("Colours of «{first}» and «{second}» look alike with {deficiency} "
             "(ΔE {delta}): choose more different colours or label the series directly.").format(
        first=conflict["first"], second=conflict["second"], deficiency=deficiency,
        delta=conflict["delta_e"])


def series_colours(count: int, palette: list[str] | None = None) -> list[str]:
    """`count` colours from the palette (cycled, which the check will then flag)."""
    palette = palette or DEFAULT_PALETTE
    return [palette[i % len(palette)] for i in range(count)]
