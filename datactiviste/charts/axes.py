"""Axes shared by the chart kinds: quiet style, value ticks with the unit, x ticks, limits."""

from __future__ import annotations

import math

from datactiviste.charts.canvas import GRID, LIGHT, PT, SIZES
from datactiviste.charts.data import ChartData
from datactiviste.charts.labels import Labeller, truncate


def style_axes(ax, grid_axis: str | None = "y") -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(LIGHT)
    ax.tick_params(length=0, labelsize=SIZES["tick"] * PT, pad=6)
    ax.set_facecolor("white")
    if grid_axis:
        ax.grid(axis=grid_axis, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)


def value_axis(ax, labeller: Labeller, axis: str = "y") -> None:
    """Ticks as '1 234', the top one with the unit ('1 500 FCFA'), like Datawrapper."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=5))
    ticks = target.get_major_locator()()
    low, high = (ax.get_ylim() if axis == "y" else ax.get_xlim())
    visible = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9]
    step = (visible[1] - visible[0]) if len(visible) > 1 else 1
    decimals = max(0, -math.floor(math.log10(abs(step)))) if step and step < 1 else 0
    top = max(visible) if visible else None

    def fmt(value, _position):
        with_unit = top is not None and abs(value - top) < 1e-9 and axis == "y"
        return labeller.value(value, decimals, unit=with_unit)

    target.set_major_formatter(FuncFormatter(fmt))


def pad_limits(values: list[float], zero: bool = True) -> tuple[float, float]:
    low, high = min(values), max(values)
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        high = low + 1
    span = high - low
    return (low - span * 0.04 if low < 0 or not zero else low), high + span * 0.06


def x_positions(data: ChartData, xs: list):
    if data.x_kind == "date":
        from matplotlib.dates import date2num

        return [date2num(x) for x in xs]
    if data.x_kind == "category":
        index = {x: i for i, x in enumerate(data.categories)}
        return [index[x] for x in xs]
    return [float(x) for x in xs]


def x_axis(ax, data: ChartData, labeller: Labeller) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if data.x_kind == "date":
        from matplotlib.dates import AutoDateLocator, num2date

        span = (max(data.categories) - min(data.categories)).days if data.categories else 0
        from matplotlib.dates import MONTHLY

        room = max(3, _ticks_room(ax))
        locator = AutoDateLocator(minticks=min(3, room - 1), maxticks=room)
        if room < 7:
            locator.intervald[MONTHLY] = [1, 2, 3, 4, 6, 12]  # a phone: one tick a year
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda v, _p: labeller.date_tick(num2date(v).replace(tzinfo=None), span)))
    elif data.x_kind == "category":
        positions = list(range(len(data.categories)))
        step = max(1, len(positions) // 8)
        ax.set_xticks(positions[::step], [truncate(labeller.x(x), 14)
                                          for x in data.categories[::step]])
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=min(6, _ticks_room(ax)),
                                               integer=data.x_kind == "year"))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: labeller.x(v)))


TICK_ROOM = 80  # px per x tick label ('janv. 2024' at 12 px is about 72)


def _ticks_room(ax) -> int:
    """How many x tick labels fit under these axes: 7 from 300 px, fewer on a phone."""
    width = ax.get_position().width * ax.figure.get_figwidth() * 100
    return 7 if width >= 300 else max(2, int(width // TICK_ROOM))


def spread(positions: list[float], gap: float) -> list[float]:
    """Move label y positions (pixels) apart by at least `gap`, keeping their order."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    for previous, current in zip(order, order[1:]):
        if placed[current] - placed[previous] < gap:
            placed[current] = placed[previous] + gap
    return placed
