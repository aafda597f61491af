"""Keep every text of a plot inside its picture, by measuring what matplotlib really drew.

Layout is planned from estimated text widths (`canvas.text_width`), and matplotlib puts tick
labels centred on their tick: the last date of a time axis ('janv. 2025' at the right end of
the axes), a long category name left of a bar, a slice name beside a pie or a line's end label
can then reach past the edge of the figure and be cut off in the PNG, the SVG and the page.
`keep_inside` draws the figure once, measures each axes' texts (tick labels, annotations,
axis titles) with the renderer, and narrows the axes by what sticks out, until nothing does.
Labels stay under their ticks: the plot gets narrower, never the reader's text; then x tick
labels that a narrower plot made run into each other are thinned (every 2nd, 3rd…).
"""

from __future__ import annotations

MARGIN = 6        # px kept clear between any text and the left or right edge of the picture
ROUNDS = 6        # re-measure: a narrower axes can move its other labels too
MIN_SHARE = 0.35  # never narrow an axes below this share of its planned width


def drawn_tick_labels(axis) -> list:
    """The tick labels matplotlib will draw: those of ticks inside the view limits (a locator
    also returns ticks beyond them, whose labels are measured but never drawn)."""
    low, high = sorted(axis.get_view_interval())
    slack = (high - low) * 1e-6
    return [label for location, label in zip(axis.get_majorticklocs(),
                                               axis.get_majorticklabels())
            if low - slack <= location <= high + slack]


def _texts(ax) -> list:
    """The visible, non-empty texts that belong to these axes (ticks, annotations, titles)."""
    found = drawn_tick_labels(ax.xaxis) + drawn_tick_labels(ax.yaxis) + list(ax.texts)
    found += [ax.xaxis.label, ax.yaxis.label]
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def text_extents(ax, renderer) -> tuple[float, float] | None:
    """(leftmost, rightmost) pixel reached by the axes' texts, or None when it has none."""
    boxes = [t.get_window_extent(renderer) for t in _texts(ax)]
    boxes = [b for b in boxes if b.width > 0]
    if not boxes:
        return None
    return min(b.x0 for b in boxes), max(b.x1 for b in boxes)


def keep_inside(figure, margin: float = MARGIN) -> None:
    """Narrow each axes of `figure` until its texts sit `margin` px inside the left and right
    edges (figure at 100 dpi: one pixel is one CSS pixel)."""
    width = figure.get_figwidth() * figure.dpi
    planned = {id(ax): ax.get_position().width for ax in figure.axes}
    for _round in range(ROUNDS):
        renderer = figure.canvas.get_renderer()
        moved = False
        for ax in figure.axes:
            reach = text_extents(ax, renderer) if ax.axison or ax.texts else None
            if reach is None:
                continue
            over_left = max(0.0, margin - reach[0])
            over_right = max(0.0, reach[1] - (width - margin))
            if over_left < 0.5 and over_right < 0.5:
                continue
            box = ax.get_position()
            x0 = box.x0 + over_left / width
            x1 = box.x1 - over_right / width
            if x1 - x0 < planned[id(ax)] * MIN_SHARE:
                continue  # would leave no plot: the caller's layout must change instead
            ax.set_position([x0, box.y0, x1 - x0, box.height])
            moved = True
        if not moved:
            break
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        thin_ticks(ax, renderer)


GAP = 4  # px at least between two horizontal tick labels side by side


def thin_ticks(ax, renderer) -> None:
    """Write every 2nd (3rd…) x tick label when neighbours would run into each other, as on a
    narrowed phone plot ('janv. 2023janv. 2024'); the values stay in the data table."""
    labels = [t for t in drawn_tick_labels(ax.xaxis) if t.get_visible()
              and t.get_text().strip() and not t.get_rotation()]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for step in range(1, len(labels) + 1):
        kept = boxes[::step]
        if all(b.x0 - a.x1 >= GAP for a, b in zip(kept, kept[1:])):
            break
    for index, label in enumerate(labels):
        label.set_visible(index % step == 0)
