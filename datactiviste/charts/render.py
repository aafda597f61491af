"""Draw a chart: the canvas and its frame, then the plot of its kind (one module each, in kinds/).

`render_figure` sizes the figure from the frame's header and footer and the plot each kind
needs, then calls the kind's drawer, then narrows the plot where a measured label would stick out
of the picture (`graphics.fit`). The files (SVG, PNG) come from `charts.export`.
"""

from __future__ import annotations

from datactiviste.charts.canvas import CHAR_WIDTH, SIZES, RC, Canvas, Layout, draw_frame
from datactiviste.charts.data import ChartData
from datactiviste.charts.export import figure_to_png, figure_to_svg
from datactiviste.charts.frame import Frame
from datactiviste.charts.kinds import area, bar, column, grouped, line, pie, scatter, stacked, table
from datactiviste.charts.kinds.column_layout import ROTATED_CHARS, column_layout
from datactiviste.charts.labels import Labeller, truncate
from datactiviste.charts.palette import series_colours
from datactiviste.charts.spec import ChartSpec
from datactiviste.graphics.fit import keep_inside

__all__ = ["DRAWERS", "figure_to_png", "figure_to_svg", "render_figure"]

DRAWERS = {"bar": bar.draw_bar, "column": column.draw_column, "grouped": grouped.draw_grouped,
           "stacked": stacked.draw_stacked, "line": line.draw_line, "area": area.draw_area,
           "donut": pie.draw_donut, "pie": pie.draw_pie, "scatter": scatter.draw_scatter,
           "table": table.draw_table}


def _plot_height(spec: ChartSpec, data: ChartData, labeller: Labeller) -> float:
    if spec.type == "bar":
        return (len(data.categories) * bar.row_height(spec, data, labeller)
                * max(1, len(data.series) ** 0.5) + 10)
    if spec.type == "table":
        return min(len(data.rows()), table.TABLE_ROWS_SHOWN + 1) * 22 + 22
    return max(240.0, spec.width * 0.5)


def _room_below(spec: ChartSpec, data: ChartData, labeller: Labeller) -> float:
    """Space under the plot for x labels (more when column labels are rotated)."""
    if spec.type in ("bar", "table", "donut", "pie"):
        return 6
    if spec.type in ("column", "grouped", "stacked"):
        _left, _slot, rotated = column_layout(spec, data, labeller)
        longest = max(len(truncate(labeller.x(x), ROTATED_CHARS)) for x in data.categories)
        return 14 + longest * SIZES["tick"] * CHAR_WIDTH * 0.72 if rotated else 44
    return 54 if spec.type == "scatter" else 34


def render_figure(spec: ChartSpec, data: ChartData, frame: Frame, labeller: Labeller):
    """The matplotlib figure of the whole chart (no pyplot: nothing global to close)."""
    import matplotlib

    names = [s.name for s in data.series]
    colours = series_colours(len(names), spec.palette)
    if spec.type in ("donut", "pie"):
        colours = series_colours(len(data.categories), spec.palette)
    legend = [str(n) for n in names] if (len(names) > 1 and (spec.type in (
        "grouped", "stacked", "area", "scatter") or spec.type == "line" and not
        line.end_labels_fit(spec, data, labeller))) else []
    plot_height = _plot_height(spec, data, labeller)
    if spec.type in ("donut", "pie") and not pie.labels_fit(spec, data, labeller, plot_height):
        legend = pie.legend_entries(spec, data, labeller)
    layout = Layout(spec, frame, legend)
    height = layout.header + plot_height + _room_below(spec, data, labeller) + layout.footer
    with matplotlib.rc_context(RC):
        canvas = Canvas(spec.width, height)
        draw_frame(canvas, layout, frame, legend, colours)
        drawer = DRAWERS[spec.type]
        drawer(canvas, layout.header, plot_height, spec, data, labeller, colours)
        keep_inside(canvas.figure)   # no tick or label cut off at the edges, at any width
    return canvas.figure
