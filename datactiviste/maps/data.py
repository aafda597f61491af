"""Rows for a map: read a table or a query from the project database, find and check coordinates.

Coordinates are auto-detected by column name (lat/latitude/y, lon/lng/long/longitude/x, in
French too), accept a decimal comma ("14,79"), and are checked: out of range values are
reported with their row, and latitude/longitude given the wrong way round are detected.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.graphics.frame import with_source_line
from datactiviste.i18n import _
from datactiviste.ingest.names import quote
from datactiviste.maps.names import fold

LATITUDE_NAMES = ("latitude", "lat", "y", "lat dd", "latitude dd", "coord y", "coordonnee y",
                  "gps latitude", "lat wgs84")
LONGITUDE_NAMES = ("longitude", "lon", "lng", "long", "x", "lon dd", "longitude dd", "coord x",
                   "coordonnee x", "gps longitude", "lon wgs84")


@dataclass
class Rows:
    """What a map draws from: column names, their display labels, the rows, the provenance."""
    columns: list[str]
    rows: list[tuple]
    labels: dict[str, str] = field(default_factory=dict)
    source: dict | None = None
    name: str = ""

    def label(self, column: str) -> str:
        return self.labels.get(column) or column

    def values(self, column: str) -> list:
        index = self.index(column)
        return [row[index] for row in self.rows]

    def index(self, column: str) -> int:
        wanted = column.lower()
        for position, name in enumerate(self.columns):
            if name.lower() == wanted:
                return position
        for position, name in enumerate(self.columns):  # the original header also works
            if self.label(name).lower() == wanted or fold(self.label(name)) == fold(column):
                return position
        raise DatactivisteError(
            _("No column {column} in {name}.").format(column=column, name=self.name or _("the data")),
            hint=_("Columns: {columns}").format(columns=", ".join(self.columns)))


def open_readonly(path: str | Path) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        raise DatactivisteError(_("Project database not found: {path}").format(path=path),
                                hint=_("Import a file first: datactiviste import FILE --db {path}")
                                .format(path=path))
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def load_rows(db: str | Path, table: str | None = None, sql: str | None = None) -> Rows:
    """Read a whole table or the result of a SELECT, with the table's original column headers."""
    from datactiviste.project import column_labels, data_tables, latest_source

    if bool(table) == bool(sql):
        raise DatactivisteError(_("Give either --table or --sql."))
    connection = open_readonly(db)
    try:
        if table:
            tables = data_tables(connection)
            if table not in tables:
                raise DatactivisteError(
                    _("No table {table} in {db}.").format(table=table, db=db),
                    hint=_("Tables: {tables}").format(tables=", ".join(tables) or "-"))
            cursor = connection.execute(f"SELECT * FROM {quote(table)}")
            labels, name = column_labels(connection, table), table
            source = with_source_line(connection, latest_source(connection, table))
        else:
            try:
                cursor = connection.execute(sql)
            except sqlite3.Error as error:
                raise DatactivisteError(_("The query failed: {error}").format(error=error)) from None
            labels, source, name = {}, _query_source(connection, sql), _("the query")
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    finally:
        connection.close()
    if not rows:
        raise DatactivisteError(_("Nothing to map: {name} has no rows.").format(name=name),
                                hint=_("Check the table name or the WHERE clause of your query."))
    return Rows(columns, rows, labels, source, name)


def _query_source(connection: sqlite3.Connection, sql: str) -> dict | None:
    """The provenance of the imported tables a query reads (their files, joined), or None.

    So a map made with --sql still carries its source line, like one made with --table.
    """
    from datactiviste.project import data_tables, latest_source

    words = set(re.findall(r'[\w"\[\]`]+', sql.lower()))
    words |= {w.strip('"[]`') for w in words}
    files, licences, lines = [], [], []
    for table in data_tables(connection):
        if table.lower() in words:
            source = with_source_line(connection, latest_source(connection, table))
            if source and source.get("file_name") and source["file_name"] not in files:
                files.append(source["file_name"])
                if source.get("licence") and source["licence"] not in licences:
                    licences.append(source["licence"])
                if source.get("source_line") and source["source_line"] not in lines:
                    lines.append(source["source_line"])
    if not files:
        return None
    return {"file_name": ", ".join(files), "licence": ", ".join(licences) or None,
            "source_line": "; ".join(lines)}


def number(value) -> float | None:
    """12.5, "12,5", " 1 234,5 " -> float; anything else -> None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"[-+]?\d+,\d+", text):
        text = text.replace(",", ".")
    elif re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+,\d+", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _find(rows: Rows, names: tuple[str, ...]) -> str | None:
    folded = {fold(c): c for c in rows.columns}
    folded.update({fold(rows.label(c)): c for c in rows.columns if fold(rows.label(c)) not in folded})
    for name in names:
        if name in folded:
            return folded[name]
    return None


def coordinate_columns(rows: Rows, lat: str | None = None, lon: str | None = None) -> tuple[str, str]:
    """The latitude and longitude columns: given, or found by name."""
    lat_column = rows.columns[rows.index(lat)] if lat else _find(rows, LATITUDE_NAMES)
    lon_column = rows.columns[rows.index(lon)] if lon else _find(rows, LONGITUDE_NAMES)
    if not lat_column or not lon_column:
        raise DatactivisteError(
            _("No latitude/longitude columns found in {name}.").format(name=rows.name),
            hint=_("Name them with --lat and --lon, or map place names with --place COLUMN. "
                   "Columns: {columns}").format(columns=", ".join(rows.columns)))
    return lat_column, lon_column


@dataclass
class Points:
    """Rows with usable coordinates, plus what was wrong with the others."""
    coordinates: list[tuple[float, float]]   # (lat, lon)
    rows: list[tuple]
    missing: int = 0
    out_of_range: list[int] = field(default_factory=list)    # 1-based row numbers
    swapped: bool = False


def read_points(rows: Rows, lat_column: str, lon_column: str, countries: set[str] | None = None) -> Points:
    """Parse coordinates; fix (and report) latitude/longitude given the wrong way round.

    `countries` (ISO alpha-2), when known, settles the cases where both readings fall in Africa
    (Senegal read backwards lands in Angola)."""
    from datactiviste.maps.geodata import country_at

    lat_index, lon_index = rows.index(lat_column), rows.index(lon_column)
    parsed = [(number(r[lat_index]), number(r[lon_index])) for r in rows.rows]
    usable = [(i, la, lo) for i, (la, lo) in enumerate(parsed) if la is not None and lo is not None]
    result = Points([], [], missing=len(rows.rows) - len(usable))
    swapped = _looks_swapped([(la, lo) for _i, la, lo in usable], country_at, countries)
    result.swapped = swapped
    for i, la, lo in usable:
        if swapped:
            la, lo = lo, la
        if not (-90 <= la <= 90 and -180 <= lo <= 180) or (la == 0 and lo == 0):
            result.out_of_range.append(i + 1)
            continue
        result.coordinates.append((la, lo))
        result.rows.append(rows.rows[i])
    if not result.coordinates:
        raise DatactivisteError(
            _("No row has usable coordinates in {lat} / {lon}.").format(lat=lat_column, lon=lon_column),
            hint=_("Latitude must be between -90 and 90 and longitude between -180 and 180, "
                   "in decimal degrees (14.79 or 14,79)."))
    return result


def _looks_swapped(pairs: list[tuple[float, float]], country_at, countries=None,
                  sample: int = 200) -> bool:
    """True when the values read far better as (longitude, latitude) than as given."""
    if not pairs:
        return False
    step = max(1, len(pairs) // sample)
    chosen = pairs[::step][:sample]
    invalid_as_given = sum(1 for la, lo in chosen if abs(la) > 90)
    invalid_swapped = sum(1 for la, lo in chosen if abs(lo) > 90)
    if invalid_as_given > len(chosen) / 2 and invalid_swapped == 0:
        return True
    if invalid_as_given:
        return False
    def inside(code):
        return code is not None and (not countries or code in countries)

    in_africa = sum(1 for la, lo in chosen if inside(country_at(lo, la)))
    in_africa_swapped = sum(1 for la, lo in chosen if abs(lo) <= 90 and inside(country_at(la, lo)))
    # Only when the data is clearly African one way and clearly not the other.
    return in_africa_swapped >= 0.8 * len(chosen) and in_africa <= 0.2 * len(chosen)
