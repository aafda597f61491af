"""From a project database to the numbers a chart draws, with clear errors on bad input.

The data comes from one table (`--table`) or one read-only SQL query (`--sql`). This module
checks the columns exist (suggesting close names, including original headers), that y holds
numbers (naming the values that are not), that something is left to draw, and that a bar
chart is not asked to draw 10,000 bars; then it aggregates repeated x values and orders
categories (bars sorted by value, dates and numbers in order).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sqlite3
import statistics
from dataclasses import dataclass, field

from datactiviste import project
from datactiviste.charts.spec import CATEGORY_TYPES, ChartSpec
from datactiviste.errors import DatactivisteError
from datactiviste.graphics.frame import with_source_line
from datactiviste.i18n import _, ngettext
from datactiviste.ingest.names import quote

# More bars than this cannot be read on a phone; beyond it we refuse and suggest aggregating.
MAX_CATEGORIES = {"bar": 60, "column": 60, "grouped": 30, "stacked": 40, "donut": 20, "pie": 20}
MAX_SERIES = 12
MAX_POINTS = 10_000
MAX_TABLE_ROWS = 1_000
PIE_SLICES_WARNING = 6

_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?)?$")
_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f']")


@dataclass
class Series:
    """One coloured series: (x, y) points in drawing order (a scatter may repeat an x)."""

    name: str | None
    points: list[tuple]

    @property
    def values(self) -> dict:
        return dict(self.points)


@dataclass
class ChartData:
    """What the renderers draw. `categories` are x values in drawing order."""

    x_kind: str  # 'category', 'date', 'number' or 'year'
    date_style: str | None
    categories: list
    series: list[Series]
    x_label: str
    y_label: str
    color_label: str | None
    unit: str | None
    agg: str | None
    provenance: dict | None
    warnings: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple]:
        """(x, series name, y) for every drawn point: the accessible table and the CSV."""
        return [(x, s.name, y) for s in self.series for x, y in s.points]

    def values(self) -> list[float]:
        return [y for s in self.series for _x, y in s.points]


def open_database(path: str) -> sqlite3.Connection:
    from pathlib import Path

    if not Path(path).is_file():
        raise DatactivisteError(_("Database not found: {path}").format(path=path),
                                hint=_("Import a file first (datactiviste import FILE --db {path}) "
                                       "or give the right --db.").format(path=path))
    connection = project.connect(path)
    connection.execute("PRAGMA query_only = ON")  # a chart never changes the data
    return connection


def _suggest(name: str, candidates: list[str]) -> str | None:
    folded = {c.casefold(): c for c in candidates}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=3, cutoff=0.5)
    return ", ".join(f"«{folded[c]}»" for c in close) or None


def _resolve_column(name: str, columns: list[str], labels: dict[str, str], where: str) -> str:
    """The SQL column for `name`, which may also be the original header or differ in case."""
    if name in columns:
        return name
    by_label = {label: column for column, label in labels.items()}
    if name in by_label and by_label[name] in columns:
        return by_label[name]
    for column in columns:
        if column.casefold() == name.casefold():
            return column
    suggestion = _suggest(name, columns + list(by_label))
    hint = (_("Did you mean {names}?").format(names=suggestion) if suggestion
            else _("Available columns: {names}.").format(names=", ".join(columns)))
    raise DatactivisteError(_("Column «{column}» not found in {where}.").format(column=name,
                                                                             where=where),
                            hint=hint)


def _query(connection, spec: ChartSpec) -> tuple[list[str], list[tuple], dict | None, str]:
    """(column names, rows, provenance, a short description of where the data came from)."""
    if spec.table:
        tables = project.data_tables(connection)
        if spec.table not in tables:
            suggestion = _suggest(spec.table, tables)
            raise DatactivisteError(
                _("Table «{table}» not found in {db}.").format(table=spec.table, db=spec.db),
                hint=(_("Did you mean {names}?").format(names=suggestion) if suggestion else
                      _("Tables in this database: {names}.").format(
                          names=", ".join(tables) or "-")))
        columns = [row[1] for row in connection.execute(
            f"PRAGMA table_info({quote(spec.table)})").fetchall()]
        provenance = project.latest_source(connection, spec.table)
        labels = project.column_labels(connection, spec.table)
        where = _("table «{table}»").format(table=spec.table)
        wanted = [_resolve_column(c, columns, labels, where)
                  for c in (spec.x, spec.color, spec.y) if c]
        select = ", ".join(quote(c) for c in wanted)
        rows = connection.execute(f"SELECT {select} FROM {quote(spec.table)}").fetchall()
        return wanted, rows, provenance, where
    try:
        cursor = connection.execute(spec.sql)
        rows = cursor.fetchall()
    except sqlite3.Error as error:
        raise DatactivisteError(_("The SQL query failed: {error}").format(error=error),
                                hint=_("Check table and column names; a chart query can only "
                                       "read (SELECT).")) from None
    columns = [d[0] for d in cursor.description or []]
    provenance = None
    for table in project.data_tables(connection):  # the first table the query names
        if re.search(r'\b' + re.escape(table) + r'\b', spec.sql):
            provenance = project.latest_source(connection, table)
            if provenance:
                break
    labels = {c["name"]: c["label"] for c in (provenance or {}).get("columns") or []
              if c.get("label")}
    where = _("the query result")
    wanted = [_resolve_column(c, columns, labels, where) for c in (spec.x, spec.color, spec.y) if c]
    indexes = [columns.index(c) for c in wanted]
    return wanted, [tuple(row[i] for i in indexes) for row in rows], provenance, where


def parse_number(value):
    """A number from SQLite, or text like '1 234,5' / '12.5' / '12,5 %'; None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = _NUMBER_JUNK.sub("", value).rstrip("%")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _x_kind(values: list) -> tuple[str, str | None]:
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        if all(float(v).is_integer() and 1800 <= v <= 2100 for v in values):
            return "year", None
        return "number", None
    if all(isinstance(v, str) and _ISO_DATE.match(v.strip()) for v in values):
        dates = [_to_date(v) for v in values]
        if all(d.month == 1 and d.day == 1 for d in dates):
            return "date", "year"
        if all(d.day == 1 for d in dates):
            return "date", "month"
        return "date", "day"
    return "category", None


def _to_date(text: str) -> dt.datetime:
    text = text.strip()
    if len(text) == 7:
        text += "-01"
    return dt.datetime.fromisoformat(text.replace(" ", "T"))


def _aggregate(values: list[float], how: str) -> float:
    if how == "sum":
        return float(sum(values))
    if how == "count":
        return float(len(values))
    if how == "mean":
        return statistics.fmean(values)
    return float(statistics.median(values))


def load_data(spec: ChartSpec, connection: sqlite3.Connection) -> ChartData:
    """Read, check, aggregate and order the data `spec` asks for."""
    columns, rows, provenance, where = _query(connection, spec)
    provenance = with_source_line(connection, provenance)
    names = dict(zip([c for c in (spec.x, spec.color, spec.y) if c], columns))
    x_col, color_col, y_col = names[spec.x], names.get(spec.color), names.get(spec.y)
    labels = {c["name"]: c.get("label") or c["name"] for c in (provenance or {}).get("columns") or []}
    units = {c["name"]: c.get("unit") for c in (provenance or {}).get("columns") or []}
    warnings: list[str] = []

    if not rows:
        raise DatactivisteError(_("Nothing to draw: {where} has no rows.").format(where=where),
                                hint=_("Check the table name, or the WHERE clause of --sql."))

    has_color = color_col is not None
    y_index = 1 + has_color if y_col else None
    parsed, bad, missing_x, missing_y = [], {}, 0, 0
    for line, row in enumerate(rows, start=1):
        x = row[0]
        if x is None or (isinstance(x, str) and not x.strip()):
            missing_x += 1
            continue
        group = str(row[1]) if has_color else None
        if y_index is None or spec.agg == "count":  # count counts rows, whatever y holds
            y = 1.0
        else:
            raw = row[y_index]
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                missing_y += 1
                continue
            y = parse_number(raw)
            if y is None:
                bad.setdefault(str(raw), line)
                continue
        parsed.append((x, group, y))
    if bad:
        examples = ", ".join(f"«{value}»" for value in list(bad)[:5])
        raise DatactivisteError(
            ngettext("Column «{column}» must hold numbers, but {count} distinct value is not "
                     "a number: {values}.",
                     "Column «{column}» must hold numbers, but {count} distinct values are not "
                     "numbers: {values}.", len(bad)).format(column=y_col, count=len(bad),
                                                             values=examples),
            hint=_("Choose a numeric column for --y, correct these values, or count rows "
                   "with --agg count."), column=y_col)
    if missing_x:
        warnings.append(ngettext("{count} row without a value in «{column}» was left out.",
                                 "{count} rows without a value in «{column}» were left out.",
                                 missing_x).format(count=missing_x, column=x_col))
    if missing_y:
        warnings.append(ngettext("{count} row without a value in «{column}» was left out.",
                                 "{count} rows without a value in «{column}» were left out.",
                                 missing_y).format(count=missing_y, column=y_col))
    if not parsed:
        raise DatactivisteError(_("Nothing to draw: no row has both an x and a y value."),
                                hint=_("Check that --x and --y name the right columns."))

    x_kind, date_style = _x_kind([x for x, _g, _y in parsed])
    if x_kind == "date":
        parsed = [(_to_date(x), g, y) for x, g, y in parsed]
    elif x_kind in ("number", "year"):
        parsed = [(float(x) if x_kind == "number" else int(x), g, y) for x, g, y in parsed]
    else:
        parsed = [(str(x), g, y) for x, g, y in parsed]
    if spec.type == "scatter" and x_kind not in ("number", "year"):
        raise DatactivisteError(
            _("A scatter plot needs numbers on x, but «{column}» holds text or dates.").format(
                column=x_col), hint=_("Choose a numeric column for --x, or use --type line."))

    agg = spec.agg
    grouped: dict[tuple, list[float]] = {}
    order: list = []
    for x, group, y in parsed:
        key = (x, group)
        if key not in grouped:
            grouped[key] = []
            order.append(key)
        grouped[key].append(y)
    repeated = len(grouped) < len(parsed)
    if spec.type == "scatter":
        agg = None
    elif repeated and not agg:
        agg = "sum"
        warnings.append(_("Some values of «{column}» appear several times: they were added up. "
                          "Use --agg to choose sum, count, mean or median.").format(column=x_col))
    if spec.type == "scatter":
        series_values: dict = {}
        for x, group, y in parsed:
            series_values.setdefault(group, []).append((x, y))
        series = [Series(name, points) for name, points in series_values.items()]
        categories = sorted({x for x, _g, _y in parsed})
    else:
        table = {key: _aggregate(values, agg) if agg else values[0]
                 for key, values in grouped.items()}
        categories = list(dict.fromkeys(x for x, _g in order))
        if x_kind != "category":
            categories.sort()
        group_names = list(dict.fromkeys(g for _x, g in order))
        if spec.type == "bar":
            totals: dict = {}
            for (x, _g), value in table.items():
                totals[x] = totals.get(x, 0) + value
            categories.sort(key=lambda x: -totals[x])
        series = [Series(name, [(x, table[(x, name)]) for x in categories if (x, name) in table])
                  for name in group_names]
    _check_limits(spec, categories, series, x_col)
    if spec.type in ("donut", "pie"):
        if any(y < 0 for s in series for _x, y in s.points):
            raise DatactivisteError(_("A {type} chart cannot show negative values.").format(
                type=spec.type), hint=_("Use --type bar instead."))
        if not any(y > 0 for s in series for _x, y in s.points):
            raise DatactivisteError(_("Every value is zero: a {type} chart has nothing to "
                                      "share out.").format(type=spec.type),
                                    hint=_("Check --y, or the WHERE clause of --sql."))
        if len(categories) > PIE_SLICES_WARNING:
            warnings.append(_("{count} slices are hard to compare in a {type} chart: a bar chart "
                              "(--type bar) is easier to read past {limit}.").format(
                count=len(categories), type=spec.type, limit=PIE_SLICES_WARNING))

    y_label = labels.get(y_col, y_col) if y_col else _("Number of rows")
    if agg and y_col and agg != "sum":
        y_label = {"count": _("Number of «{column}»"), "mean": _("Mean of «{column}»"),
                   "median": _("Median of «{column}»")}[agg].format(column=y_label)
    unit = spec.unit if spec.unit is not None else (units.get(y_col) if agg != "count" else None)
    return ChartData(x_kind=x_kind, date_style=date_style, categories=categories, series=series,
                     x_label=labels.get(x_col, x_col), y_label=y_label,
                     color_label=labels.get(color_col, color_col) if color_col else None,
                     unit=unit or None, agg=agg, provenance=provenance, warnings=warnings)


def _check_limits(spec: ChartSpec, categories: list, series: list[Series], x_col: str) -> None:
    limit = MAX_CATEGORIES.get(spec.type)
    if spec.type in CATEGORY_TYPES and limit and len(categories) > limit:
        raise DatactivisteError(
            _("{count} categories in «{column}» is too many for a {type} chart (at most "
              "{limit}).").format(count=len(categories), column=x_col, type=spec.type, limit=limit),
            hint=_("Aggregate into broader groups (GROUP BY a region rather than a commune), "
                   "keep the largest with --sql \"... ORDER BY total DESC LIMIT 15\", or filter "
                   "with WHERE."))
    if len(series) > MAX_SERIES:
        raise DatactivisteError(
            _("{count} series is too many to tell apart (at most {limit}).").format(
                count=len(series), limit=MAX_SERIES),
            hint=_("Keep the main series with a WHERE clause, or group the others."))
    points = sum(len(s.points) for s in series)
    limit = MAX_TABLE_ROWS if spec.type == "table" else MAX_POINTS
    if points > limit:
        raise DatactivisteError(
            _("{count} points is too many for one chart (at most {limit}).").format(
                count=points, limit=limit),
            hint=_("Aggregate (for example by month or by region) or filter with --sql."))
