"""A factual description of a chart, for screen readers and for `alt` when none is given.

Blind and partially sighted readers, and WhatsApp previews, get only the alt text. When the
journalist gives none (`--alt`), we write one from the data: what is shown, the highest and
lowest values, the trend from first to last date, and we say it was generated, so an editor
knows to check it. Numbers use the chart's formats ('1 234,5 FCFA').
"""

from __future__ import annotations

import statistics

from datactiviste.charts.data import ChartData
from datactiviste.charts.labels import Labeller
from datactiviste.graphics.frame import GENERATED_NOTE
from datactiviste.i18n import N_, _, ngettext

KIND_NAMES = {"bar": N_("Bar chart"), "column": N_("Column chart"),
              "grouped": N_("Grouped column chart"), "stacked": N_("Stacked column chart"),
              "line": N_("Line chart"), "area": N_("Area chart"), "donut": N_("Donut chart"),
              "pie": N_("Pie chart"), "scatter": N_("Scatter plot"), "table": N_("Table")}
MAX_SERIES_DESCRIBED = 3


def describe(chart_type: str, data: ChartData, labeller: Labeller) -> str:
    """The generated alt text (in the current language), ending with GENERATED_NOTE."""
    parts = [_describe_what(chart_type, data)]
    ordered = data.x_kind in ("date", "year", "number")
    if chart_type == "scatter":
        parts.append(_describe_scatter(data, labeller))
    elif chart_type in ("line", "area") or (ordered and chart_type in ("column", "stacked",
                                                                         "grouped", "table")):
        parts.append(_describe_trends(data, labeller))
    elif chart_type in ("donut", "pie"):
        parts.append(_describe_shares(data, labeller))
    else:
        parts.append(_describe_extremes(data, labeller))
    parts.append(_(GENERATED_NOTE))
    return " ".join(p for p in parts if p)


def _describe_what(chart_type: str, data: ChartData) -> str:
    kind = _(KIND_NAMES[chart_type])
    if data.color_label and len(data.series) > 1:
        return _("{kind}: {y} by {x} and {color}.").format(kind=kind, y=data.y_label,
                                                          x=data.x_label, color=data.color_label)
    return _("{kind}: {y} by {x}.").format(kind=kind, y=data.y_label, x=data.x_label)


def _extremes(data: ChartData):
    points = [(y, x, s.name) for s in data.series for x, y in s.points]
    return max(points, key=lambda p: p[0]), min(points, key=lambda p: p[0]), len(points)


def _who(labeller: Labeller, x, series_name) -> str:
    return labeller.x(x) + (f", {series_name}" if series_name else "")


def _describe_extremes(data: ChartData, labeller: Labeller) -> str:
    high, low, _count = _extremes(data)
    count = len(data.categories)
    text = ngettext("{count} category.", "{count} categories.", count).format(count=count)
    if count == 1 and len(data.series) == 1:
        return text + " " + _("Value: {value}.").format(value=labeller.value(high[0]))
    return text + " " + _("Highest: {high} ({high_value}); lowest: {low} ({low_value}).").format(
        high=_who(labeller, high[1], high[2]), high_value=labeller.value(high[0]),
        low=_who(labeller, low[1], low[2]), low_value=labeller.value(low[0]))


def _describe_shares(data: ChartData, labeller: Labeller) -> str:
    series = data.series[0]
    total = sum(y for _x, y in series.points) or 1.0
    x, y = max(series.points, key=lambda p: p[1])
    count = len(series.points)
    return (ngettext("{count} part.", "{count} parts.", count).format(count=count) + " " +
            _("Largest: {name} with {share} of the total ({value}).").format(
                name=labeller.x(x), share=labeller.share(y / total), value=labeller.value(y)))


def _change(labeller: Labeller, first: float, last: float) -> str:
    if first == last:
        return _("unchanged")
    if first == 0:
        return _("up") if last > first else _("down")
    ratio = (last - first) / abs(first)
    share = labeller.share(abs(ratio))
    return (_("up {share}") if ratio > 0 else _("down {share}")).format(share=share)


def _describe_trends(data: ChartData, labeller: Labeller) -> str:
    sentences = []
    for series in data.series[:MAX_SERIES_DESCRIBED]:
        points = sorted(series.points, key=lambda p: p[0])
        (x0, first), (x1, last) = points[0], points[-1]
        top_x, top = max(points, key=lambda p: p[1])
        low_x, low = min(points, key=lambda p: p[1])
        text = _("from {first} ({start}) to {last} ({end}), {change}; highest {top} ({top_x}), "
                 "lowest {low} ({low_x}).").format(
            first=labeller.value(first), start=labeller.x(x0), last=labeller.value(last),
            end=labeller.x(x1), change=_change(labeller, first, last), top=labeller.value(top),
            top_x=labeller.x(top_x), low=labeller.value(low), low_x=labeller.x(low_x))
        sentences.append(_("{name}: {text}").format(name=series.name, text=text) if series.name else text[:1].upper() + text[1:])
    others = len(data.series) - MAX_SERIES_DESCRIBED
    if others > 0:
        sentences.append(ngettext("And {count} more series.", "And {count} more series.",
                                  others).format(count=others))
    return " ".join(sentences)


def _describe_scatter(data: ChartData, labeller: Labeller) -> str:
    points = [(x, y) for s in data.series for x, y in s.points]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    text = ngettext("{count} point.", "{count} points.", len(points)).format(count=len(points))
    text += " " + _("{x} from {x_min} to {x_max}; {y} from {y_min} to {y_max}.").format(
        x=data.x_label, x_min=labeller.x(min(xs)), x_max=labeller.x(max(xs)), y=data.y_label,
        y_min=labeller.value(min(ys)), y_max=labeller.value(max(ys)))
    if len(points) >= 3 and len(set(xs)) > 1 and len(set(ys)) > 1:
        r = statistics.correlation([float(x) for x in xs], ys)
        strength = (_("strong") if abs(r) >= 0.7 else _("moderate") if abs(r) >= 0.4
                    else _("weak"))
        direction = _("positive") if r > 0 else _("negative")
        text += " " + _("Correlation: {strength}, {direction} (r = {r}).").format(
            strength=strength, direction=direction, r=labeller.number(r, 2))
    return text
