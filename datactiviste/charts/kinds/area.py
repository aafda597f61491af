"""Areas: a line filled to zero, or series stacked."""

from __future__ import annotations

from datactiviste.charts.kinds.line import line_like


def draw_area(canvas, top, height, spec, data, labeller, colours):
    line_like(canvas, top, height, spec, data, labeller, colours, area=True)
