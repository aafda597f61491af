"""The data as a formatted table: numbers right-aligned, one decimal setting for all."""

from __future__ import annotations

from datactiviste.charts.canvas import GREY, PAD, SIZES
from datactiviste.charts.labels import truncate

TABLE_ROWS_SHOWN = 25


def draw_table(canvas, top, height, spec, data, labeller, colours):
    """The data as a formatted table: numbers right-aligned, one decimal setting for all."""
    rows = data.rows()
    headers = [data.x_label] + ([data.color_label] if data.color_label else []) + [data.y_label]
    inner = spec.width - 2 * PAD
    y = top
    number_x = PAD + inner
    category_width = inner * (0.45 if data.color_label else 0.65)
    for column, header in enumerate(headers):
        x = number_x if column == len(headers) - 1 else PAD + column * category_width
        canvas.text(x, y, truncate(header, 40), SIZES["small"], gid="table-header", color=GREY,
                    weight="bold", ha="right" if column == len(headers) - 1 else "left")
    y += 22
    shown = rows[:TABLE_ROWS_SHOWN]
    for x_value, group, value in shown:
        cells = [labeller.x(x_value)] + ([str(group)] if data.color_label else [])
        for column, cell in enumerate(cells):
            canvas.text(PAD + column * category_width, y, truncate(cell, 40), SIZES["label"],
                        gid="table-cell")
        canvas.text(number_x, y, labeller.value(value), SIZES["label"], gid="table-cell",
                    ha="right")
        y += 22
    if len(rows) > len(shown):
        canvas.text(PAD, y, f"… ({len(rows) - len(shown)})", SIZES["small"], color=GREY)
