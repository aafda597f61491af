"""The data as a formatted table: numbers right-aligned, one decimal setting for all."""

from __future__ import annotations

from datactiviste.charts.canvas import CHAR_WIDTH, GREY, PAD, SIZES, text_width
from datactiviste.charts.labels import truncate

TABLE_ROWS_SHOWN = 25


def draw_table(canvas, top, height, spec, data, labeller, colours):
    """The data as a formatted table: numbers right-aligned, one decimal setting for all."""
    rows = data.rows()
    headers = [data.x_label] + ([data.color_label] if data.color_label else []) + [data.y_label]
    inner = spec.width - 2 * PAD
    y = top
    number_x = PAD + inner
    # Text columns share what the widest number leaves, and are cut to fit it (the full
    # names are in the page's data table): 'Direction régionale de l'hydrau…  1 234 567'.
    number_room = max(text_width(labeller.value(v), SIZES["label"]) for _x, _g, v in rows) + 12
    text_columns = 2 if data.color_label else 1
    category_width = min(inner * (0.45 if data.color_label else 0.65),
                         (inner - number_room) / text_columns)
    chars = max(int(category_width / (SIZES["label"] * CHAR_WIDTH)) - 1, 6)
    last_chars = int((inner - text_columns * category_width) / (SIZES["small"] * CHAR_WIDTH))
    for column, header in enumerate(headers):
        last = column == len(headers) - 1
        x = number_x if last else PAD + column * category_width
        canvas.text(x, y, truncate(header, min(40, max(last_chars, 6) if last else chars)),
                    SIZES["small"], gid="table-header", color=GREY, weight="bold",
                    ha="right" if last else "left")
    y += 22
    shown = rows[:TABLE_ROWS_SHOWN]
    for x_value, group, value in shown:
        cells = [labeller.x(x_value)] + ([str(group)] if data.color_label else [])
        for column, cell in enumerate(cells):
            canvas.text(PAD + column * category_width, y, truncate(cell, min(40, chars)),
                        SIZES["label"], gid="table-cell")
        canvas.text(number_x, y, labeller.value(value), SIZES["label"], gid="table-cell",
                    ha="right")
        y += 22
    if len(rows) > len(shown):
        canvas.text(PAD, y, f"… ({len(rows) - len(shown)})", SIZES["small"], color=GREY)
