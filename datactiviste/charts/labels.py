"""How every number and category reads on a chart, in the chart's language.

One `Labeller` per chart so bars, axes, the alt text and the data table agree: the same
decimals everywhere (chosen from the data, at most two), the unit repeated after each value
('1 234,5 FCFA', '12,5 %'), dates as 'janv. 2024', years without a thousands separator.
"""

from __future__ import annotations

import datetime as dt

from datactiviste.i18n.formats import NBSP, format_date, format_number, format_percent

DATE_STYLE_BY_PRECISION = {"year": "year", "month": "month", "day": "day"}


def truncate(text: str, limit: int) -> str:
    """Shorten a label to `limit` characters with an ellipsis (full text stays in the table)."""
    return text if len(text) <= limit else text[:max(limit - 1, 1)].rstrip() + "…"


def _decimals_present(value: float) -> int:
    text = f"{value:.2f}".rstrip("0")
    return len(text.split(".")[1])


class Labeller:
    def __init__(self, data, lang: str):
        self.data = data
        self.lang = lang
        values = [abs(v) for v in data.values() if v is not None]
        # As many decimals as the data really has (12,3 -> 1; 0,25 -> 2), capped by size:
        # none from 1 000 ('18 540 340 FCFA'), one from 100, two below.
        largest = max(values, default=0)
        cap = 0 if largest >= 1000 else 1 if largest >= 100 else 2
        self.decimals = min(max((_decimals_present(v) for v in values), default=0), cap)

    @property
    def is_percent(self) -> bool:
        return (self.data.unit or "").strip() in ("%", "pour cent", "percent")

    def number(self, value, decimals: int | None = None) -> str:
        # One number of decimals for the whole chart: '38,0 %' beside '49,5 %', not '38 %'.
        return format_number(value, self.decimals if decimals is None else decimals, self.lang,
                             strip_zeros=False)

    def value(self, value, decimals: int | None = None, unit: bool = True) -> str:
        """A y value with its unit: '1 234,5 FCFA', '12,5 %'."""
        if self.is_percent and unit:
            return format_percent(value, self.decimals if decimals is None else decimals, self.lang,
                                  strip_zeros=False)
        text = self.number(value, decimals)
        if unit and self.data.unit:
            return text + NBSP + self.data.unit
        return text

    def share(self, fraction: float) -> str:
        """A share of a whole (donut slices): '12,5 %'; a sliver is '< 0,1 %', never '0 %'."""
        if 0 < abs(fraction) < 0.0005:
            return "<" + NBSP + format_percent(0.001, 1, self.lang, ratio=True)
        return format_percent(fraction, 1, self.lang, ratio=True)

    def x(self, value) -> str:
        """A category, date or x number as the reader should see it."""
        kind = self.data.x_kind
        if kind == "date" and isinstance(value, (dt.date, dt.datetime)):
            return format_date(value, DATE_STYLE_BY_PRECISION.get(self.data.date_style, "day"),
                               self.lang)
        if kind == "year":
            return str(int(value))
        if kind == "number":
            return format_number(value, None, self.lang)
        return str(value)

    def date_tick(self, value: dt.datetime, span_days: float) -> str:
        if span_days > 3 * 366:
            return format_date(value, "year", self.lang)
        if span_days > 75:
            return format_date(value, "month", self.lang)
        return format_date(value, "day_month", self.lang)
