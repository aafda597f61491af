"""Which symbol the data asks for: proportional circles for counts, colour classes for rates.

The cartographer's rule (Bertin; every newsroom style guide): a quantity that adds up across
places (people, schools, francs) is drawn as a circle whose area grows with it; a quantity
that does not add up (a rate, a share, a percentage, an average, a density) is drawn as a
colour, darker for more, since a big circle for a 63 % turnout next to a 48 % one says
nothing. Signed values (a change, a balance) get a diverging palette around zero.

`choose_symbology` looks at the unit, the column's name and the range of the values, says in
one sentence why it chose, and obeys `--symbol circle|colour` when given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from datactiviste.graphics import palettes
from datactiviste.graphics.scales import Classes, circle_legend_values, class_breaks
from datactiviste.i18n import _
from datactiviste.ingest.names import fold

SYMBOLS = ("circle", "colour")
# Words (folded) that name a quantity that does not add up.
RATE_WORDS = frozenset({
    "taux", "part", "parts", "pourcentage", "pourcent", "pct", "ratio", "moyenne", "moyen",
    "median", "mediane", "densite", "indice", "score", "proportion", "prevalence",
    "incidence", "participation", "couverture", "frequentation", "rendement", "croissance",
    "evolution", "variation", "ecart", "solde", "rate", "rates", "share", "percent",
    "percentage", "average", "mean", "density", "index", "turnout", "coverage",
    "growth", "change", "yield", "ppm", "pourmille", "capita", "habitant", "hab"})
RATE_UNITS = re.compile(r"%|‰|pour ?(?:cent|mille|1 ?000|100)|per ?(?:cent|mille|1,?000|100)|"
                        r"/ ?(?:hab|km|1 ?000|100)|par (?:hab|km|an)", re.I)


@dataclass
class Symbology:
    kind: str                     # 'circle' or 'colour'
    measure: str                  # 'count', 'rate' or 'signed'
    reason: str                   # one line for the user, in their language
    classes: Classes | None = None
    colours: list[str] = field(default_factory=list)
    legend_values: list[float] = field(default_factory=list)   # circles
    maximum: float = 0.0

    def colour_of(self, value: float | None) -> str:
        if value is None or self.classes is None:
            return palettes.NO_DATA
        return self.colours[self.classes.index(value)]


def measure_of(values: list[float], name: str = "", unit: str | None = None,
               counted: bool = False) -> tuple[str, str]:
    """('count' | 'rate' | 'signed', why) from the unit, the column name and the range."""
    if counted:
        return "count", _("rows are counted")
    if any(v < 0 for v in values) and any(v > 0 for v in values):
        return "signed", _("it has values on both sides of zero")
    if unit and RATE_UNITS.search(unit):
        return "rate", _("its unit is {unit}").format(unit=unit)
    words = set(re.split(r"[^a-z0-9%]+", fold(name or "")))
    if "%" in (name or "") or words & RATE_WORDS:
        return "rate", _("its name says it is a rate, share or average")
    fractional = any(not float(v).is_integer() for v in values)
    if values and fractional and 0 <= min(values) and max(values) <= 1:
        return "rate", _("its values are fractions between 0 and 1")
    if values and fractional and 0 <= min(values) and max(values) <= 100:
        return "rate", _("its values lie between 0 and 100 with decimals, like percentages")
    return "count", _("its values are counts or amounts that add up")


def choose_symbology(values: list[float], name: str = "", unit: str | None = None,
                     override: str | None = None, classes: int = 5,
                     counted: bool = False) -> Symbology:
    """The symbols for these values, with the sentence that explains the choice."""
    values = [float(v) for v in values if v is not None]
    measure, why = measure_of(values, name, unit, counted)
    kind = override or ("circle" if measure == "count" else "colour")
    if kind == "circle" and (measure == "signed" or not values or max(values) <= 0):
        kind = "colour"   # a circle cannot be negative
    if kind == "circle":
        positive = [v for v in values if v > 0]
        reason = (_("Proportional circles (area ∝ value): {column} — {why}. "
                    "--symbol colour draws colour classes instead.") if not override else
                  _("Proportional circles (area ∝ value), as asked with --symbol circle."))
        return Symbology("circle", measure, reason.format(column=name, why=why),
                         legend_values=circle_legend_values(min(positive), max(positive)),
                         maximum=max(positive))
    midpoint = 0.0 if measure == "signed" else None
    found = class_breaks(values, classes, midpoint=midpoint)
    if measure == "signed":
        below = sum(1 for c in found.classes if c.low < 0)   # 0 is a limit: no class spans it
        colours = palettes.diverging(below, len(found.classes) - below)
    else:
        colours = palettes.sequential(len(found.classes))
    reason = (_("Colour classes (darker = more): {column} — {why}. "
                "--symbol circle draws proportional circles instead.") if not override else
              _("Colour classes (darker = more), as asked with --symbol colour."))
    return Symbology("colour", measure, reason.format(column=name, why=why), classes=found,
                     colours=colours)
