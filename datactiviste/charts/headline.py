"""The headline check (`graphics.headline`) fed with what a chart draws.

One series: its categories, or its points in order for dates and years (then "hausse" is
checked too). Several series over time: each series the title names is checked for its trend,
and the series are ranked by their last value ("Le riz, le plus cher"). Several series per
category (grouped, stacked): categories are ranked by their total.
"""

from __future__ import annotations

from datactiviste.charts.data import ChartData
from datactiviste.charts.labels import Labeller
from datactiviste.graphics.headline import check_headline, find_named, fold_text

ORDERED_KINDS = ("date", "year", "number")


def headline_warnings(texts: list[str], chart_type: str, data: ChartData,
                      labeller: Labeller) -> list[str]:
    if chart_type == "scatter":
        return []
    ordered = data.x_kind in ORDERED_KINDS
    fmt = labeller.value
    warnings: list[str] = []
    for text in (t for t in texts if t):
        if len(data.series) == 1:
            points = sorted(data.series[0].points, key=lambda p: p[0]) if ordered else \
                data.series[0].points
            warnings += check_headline(text, [(labeller.x(x), y) for x, y in points],
                                       ordered=ordered, format_value=fmt)
        elif ordered:
            last = [(str(s.name), max(s.points, key=lambda p: p[0])[1]) for s in data.series
                    if s.points]
            warnings += check_headline(text, last, format_value=fmt)
            named = {label for _pos, label in find_named(fold_text(text), [n for n, _v in last])}
            for series in data.series:
                if str(series.name) in named:
                    points = sorted(series.points, key=lambda p: p[0])
                    warnings += check_headline(text, [(labeller.x(x), y) for x, y in points],
                                               ordered=True, format_value=fmt)
        else:
            totals: dict = {}
            for series in data.series:
                for x, y in series.points:
                    totals[x] = totals.get(x, 0.0) + y
            warnings += check_headline(text, [(labeller.x(x), y) for x, y in totals.items()],
                                       format_value=fmt)
    return list(dict.fromkeys(warnings))
