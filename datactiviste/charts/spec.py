"""The chart spec: everything needed to draw a chart again, saved as NAME.json.

A spec says where the data comes from (a table or an SQL query in a project database), how
to draw it (type, columns, aggregation, palette) and the publication frame (title, source,
byline, notes, alt text). `datactiviste chart --spec NAME.json` re-renders it, so an editor
can fix a title a week later without remembering the options. The JSON is written with
sorted keys and no timestamp: the same chart gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, ngettext

SPEC_VERSION = 1
CHART_TYPES = ("bar", "column", "grouped", "stacked", "line", "area", "donut", "pie", "scatter",
               "table")
AGGREGATIONS = ("sum", "count", "mean", "median")
# Types that draw one bar/slice/row per category (so a category limit applies).
CATEGORY_TYPES = ("bar", "column", "grouped", "stacked", "donut", "pie")
# Types that need --color to make sense.
COLOR_TYPES = ("grouped", "stacked")


@dataclass
class ChartSpec:
    """One chart. Field names are the CLI option names (without dashes)."""

    type: str
    x: str | None = None
    y: str | None = None
    table: str | None = None
    sql: str | None = None
    db: str = "datactiviste.db"
    color: str | None = None
    agg: str | None = None
    title: str | None = None
    subtitle: str | None = None
    source: str | None = None
    source_url: str | None = None
    byline: str | None = None
    notes: str | None = None
    alt: str | None = None
    credit: str | None = None
    logo: str | None = None
    unit: str | None = None
    palette: list[str] | None = None
    width: int = 640
    lang: str = "fr"
    version: int = SPEC_VERSION

    def validate(self) -> None:
        """Raise a translated DatactivisteError for options that cannot work together."""
        if self.type not in CHART_TYPES:
            raise DatactivisteError(
                _("Unknown chart type: {type}.").format(type=self.type),
                hint=_("Choose one of: {types}.").format(types=", ".join(CHART_TYPES)))
        if bool(self.table) == bool(self.sql):
            raise DatactivisteError(_("Give either --table or --sql (exactly one)."),
                                    hint=_("Example: --table budget, or --sql \"SELECT region, "
                                           "SUM(montant) AS total FROM budget GROUP BY region\""))
        if not self.x:
            raise DatactivisteError(_("Missing --x: the column for categories, dates or the "
                                      "horizontal axis."))
        if not self.y and not (self.agg == "count" or self.type == "table"):
            raise DatactivisteError(_("Missing --y: the column holding the values."),
                                    hint=_("To count rows per category, use --agg count "
                                           "without --y."))
        if self.agg and self.agg not in AGGREGATIONS:
            raise DatactivisteError(
                _("Unknown aggregation: {agg}.").format(agg=self.agg),
                hint=_("Choose one of: {choices}.").format(choices=", ".join(AGGREGATIONS)))
        if self.type in COLOR_TYPES and not self.color:
            raise DatactivisteError(
                _("A {type} chart needs --color: the column that splits each bar into "
                  "series.").format(type=self.type))
        if self.type == "scatter" and self.agg:
            raise DatactivisteError(_("A scatter plot shows every row: remove --agg."))
        if not 320 <= int(self.width) <= 2000:
            raise DatactivisteError(_("--width must be between 320 and 2000 pixels."))
        if self.logo and not Path(self.logo).is_file():
            raise DatactivisteError(_("Logo not found: {path}").format(path=self.logo),
                                    hint=_("Give a PNG or JPEG file, ideally small (under "
                                           "50 KB): it is embedded in every output."))
        if self.palette:
            from datactiviste.charts.palette import parse_colour

            self.palette = [parse_colour(colour) for colour in self.palette]

    def to_json(self, built_from: dict | None = None) -> str:
        """The spec as JSON; `built_from`, the data the chart was drawn from, is recorded too
        (read by lesson checks, ignored when the spec is loaded again)."""
        from datactiviste.built_from import into_json

        return json.dumps(into_json(asdict(self), built_from), ensure_ascii=False, indent=2,
                          sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict) -> ChartSpec:
        from datactiviste.built_from import JSON_KEY

        data = {key: value for key, value in data.items() if key != JSON_KEY}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise DatactivisteError(
                ngettext("Unknown field in the chart spec: {names}.", "Unknown fields in the chart spec: {names}.",
                         len(unknown)).format(names=", ".join(unknown)),
                hint=_("Known fields: {names}.").format(names=", ".join(sorted(known))))
        if "type" not in data:
            raise DatactivisteError(_("The chart spec has no \"type\"."))
        return cls(**data)

    @classmethod
    def load(cls, path: str | Path) -> ChartSpec:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DatactivisteError(_("Spec file not found: {path}").format(path=path)) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise DatactivisteError(_("This chart spec is not valid JSON: {error}").format(
                error=error), path=str(path)) from None
        if not isinstance(data, dict):
            raise DatactivisteError(_("This chart spec is not a JSON object."), path=str(path))
        return cls.from_dict(data)
