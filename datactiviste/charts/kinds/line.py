"""Lines (and areas), labelled at their ends instead of a legend."""

from __future__ import annotations

from datactiviste.charts.canvas import PAD, PT, SIZES, text_width
from datactiviste.charts.axes import pad_limits, spread, style_axes, value_axis, x_axis, x_positions
from datactiviste.i18n import _
from datactiviste.i18n.formats import keep_with_punctuation


END_LABELS_SHARE = 0.3   # end labels wider than this share of the chart go to a legend


def end_labels(data, labeller) -> list[str]:
    """'Riz : 488,5 FCFA/kg' for each series, written at the end of its line."""
    labels = []
    for series in data.series:
        _last_x, last_y = series.points[-1] if series.points else (None, 0)
        value = labeller.value(last_y)
        labels.append(keep_with_punctuation(_("{name}: {text}").format(
            name=series.name, text=value)) if series.name else value)
    return labels


def end_labels_fit(spec, data, labeller) -> bool:
    """On a phone, 'Oignon : 402,9 FCFA/kg' would squeeze the lines to a sliver."""
    widest = max(text_width(t, SIZES["label"]) for t in end_labels(data, labeller))
    return len(data.series) == 1 or widest <= spec.width * END_LABELS_SHARE


def line_like(canvas, top, height, spec, data, labeller, colours, area: bool):
    stacked = area and len(data.series) > 1
    direct = not stacked and end_labels_fit(spec, data, labeller)
    end_labels_text = end_labels(data, labeller)
    right = PAD + (max(text_width(t, SIZES["label"]) for t in end_labels_text) + 8 if direct else 0)
    tick_guess = max(text_width(labeller.value(v, unit=True), SIZES["tick"])
                     for v in data.values())
    left = PAD + tick_guess + 6
    ax = canvas.axes(left, top, spec.width - left - right, height)
    style_axes(ax, "y")
    values = data.values()
    if stacked:
        xs = x_positions(data, data.categories)
        layers = [[s.values.get(x, 0.0) for x in data.categories] for s in data.series]
        ax.stackplot(xs, layers, colors=colours[:len(layers)], alpha=0.9, gid="areas")
        totals = [sum(column) for column in zip(*layers)]
        ax.set_ylim(*pad_limits(totals))
    else:
        for index, series in enumerate(data.series):
            points = sorted(series.points, key=lambda p: p[0])
            xs = x_positions(data, [p[0] for p in points])
            ys = [p[1] for p in points]
            ax.plot(xs, ys, color=colours[index], linewidth=2.2 if len(xs) <= 100 else 1.2,
                    gid=f"line-{index}",
                    marker="o" if len(xs) == 1 else None)
            if area:
                ax.fill_between(xs, ys, color=colours[index], alpha=0.25, linewidth=0)
        ax.set_ylim(*pad_limits(values, zero=area or min(values) >= 0))
    value_axis(ax, labeller)
    x_axis(ax, data, labeller)
    if direct:
        transform = ax.transData
        ends = []
        for series in data.series:
            x, y = max(series.points, key=lambda p: p[0])
            ends.append(transform.transform((x_positions(data, [x])[0], y))[1])
        placed = spread(ends, SIZES["label"] * 1.25 * 100 / 100)
        inverse = ax.transData.inverted()
        for index, (series, pixel_y) in enumerate(zip(data.series, placed)):
            x, _y = max(series.points, key=lambda p: p[0])
            anchor_x = x_positions(data, [x])[0]
            data_y = inverse.transform((0, pixel_y))[1]
            ax.annotate(end_labels_text[index], (anchor_x, data_y), xytext=(6, 0),
                        textcoords="offset points", va="center", ha="left",
                        fontsize=SIZES["label"] * PT, color=colours[index],
                        weight="bold", annotation_clip=False, gid="direct-label")


def draw_line(canvas, top, height, spec, data, labeller, colours):
    """One or several lines, labelled at their ends instead of a legend."""
    line_like(canvas, top, height, spec, data, labeller, colours, area=False)
