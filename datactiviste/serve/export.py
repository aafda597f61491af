"""Export a table or a query for people who continue in a spreadsheet or a GIS.

- CSV: UTF-8 with a byte-order mark (Excel then reads accents right), `,` separator;
- CSV `excel=True`: `;` separator, Windows-1252, decimal comma: what French Excel opens by a
  double-click without the import wizard;
- XLSX (XlsxWriter, write-only and pure Python): typed cells, bold header, frozen first row;
- GeoJSON: points from latitude/longitude columns (or a GeoJSON `geometry` column);
- HTML: one self-contained page, sortable and filterable, with its CSV inside (`export_html`).

Spreadsheet formula injection: in CSV, text values go through `safety.neutralise_formula`, the
rule every CSV we write or serve follows (`'` before `=`, `+`, `-`, `@`, their full-width forms,
even behind spaces or line breaks; numbers like "-12,5" left alone). In XLSX every text value is stored as
a string cell, which spreadsheets never evaluate, so it is written unchanged.
Output is deterministic: same database, same bytes.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste import project
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.ingest.names import quote
from datactiviste.safety import neutralise_formula
from datactiviste.serve.sqlite_uri import readonly_uri

FORMATS = ("csv", "xlsx", "geojson", "html")
LATITUDE_NAMES = ("latitude", "lat", "y")
LONGITUDE_NAMES = ("longitude", "lon", "lng", "long", "x")
GEOMETRY_NAMES = ("geometry", "geom", "geojson", "the_geom")


@dataclass
class ExportResult:
    path: Path
    format: str
    rows: int
    skipped: int = 0  # GeoJSON rows without usable coordinates
    replaced_characters: int = 0  # characters Windows-1252 cannot hold (--excel), written as '?'
    columns: list[str] = field(default_factory=list)


def format_for(path: Path, explicit: str | None) -> str:
    fmt = (explicit or path.suffix.lstrip(".")).lower()
    if fmt == "json" and path.suffix.lower() == ".geojson":
        fmt = "geojson"
    if fmt not in FORMATS:
        raise DatactivisteError(
            _("Unknown export format: {format}").format(format=fmt or path.name),
            hint=_("Name the file .csv, .xlsx, .geojson or .html, or pass --format."))
    return fmt


def read_rows(db_path: Path, table: str | None, sql: str | None):
    """(column names, header labels, row iterator, connection) for a table or a SELECT query."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise DatactivisteError(_("Database file not found: {path}").format(path=db_path))
    connection = sqlite3.connect(readonly_uri(db_path), uri=True)
    try:
        if sql:
            cursor = connection.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            labels = columns
        else:
            tables = [name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
            if table not in tables:
                raise DatactivisteError(
                    _("No table named {table} in {path}.").format(table=table, path=db_path),
                    hint=_("Tables in this database: {tables}").format(
                        tables=", ".join(project.data_tables(connection)) or "-"))
            cursor = connection.execute(f"SELECT * FROM {quote(table)}")
            columns = [d[0] for d in cursor.description]
            known = project.column_labels(connection, table)
            labels = [known.get(c, c) for c in columns]
    except sqlite3.Error as error:
        connection.close()
        raise DatactivisteError(_("Export failed, the SQL query has an error: {error}").format(error=error)) from None
    except DatactivisteError:
        connection.close()
        raise
    return columns, labels, cursor, connection


def export(db_path, output, table: str | None = None, sql: str | None = None,
           fmt: str | None = None, excel: bool = False) -> ExportResult:
    """Write `table` (or the result of `sql`) of `db_path` to `output`; returns what was written."""
    if bool(table) == bool(sql):
        raise DatactivisteError(_("Give either a table name or --sql, not both."))
    output = Path(output)
    fmt = format_for(output, fmt)
    columns, labels, rows, connection = read_rows(Path(db_path), table, sql)
    temporary = output.with_name(output.name + ".part")
    try:
        if fmt == "html":  # one page a colleague opens anywhere (export_html)
            from datactiviste.serve.export_html import write_html

            source = project.latest_source(connection, table) if table else None
            result = write_html(temporary, columns, labels, rows, title=table or output.stem,
                                source=source)
        else:
            writer = {"csv": _write_csv, "xlsx": _write_xlsx, "geojson": _write_geojson}[fmt]
            result = writer(temporary, columns, labels, rows, excel=excel)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        connection.close()
    os.replace(temporary, output)
    result.path, result.format, result.columns = output, fmt, columns
    return result


def _write_csv(path: Path, columns, labels, rows, excel: bool) -> ExportResult:
    encoding = "cp1252" if excel else "utf-8-sig"
    counted = {"replaced": 0}

    def encodable(text: str) -> str:
        if not excel:
            return text
        try:
            text.encode("cp1252")
            return text
        except UnicodeEncodeError:
            fixed = text.encode("cp1252", "replace").decode("cp1252")
            counted["replaced"] += sum(1 for a, b in zip(text, fixed) if a != b)
            return fixed

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, float):
            text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
            return text.replace(".", ",") if excel else text
        if isinstance(value, bytes):
            return value.hex()
        return encodable(str(neutralise_formula(value)))

    count = 0
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";" if excel else ",", lineterminator="\r\n")
        writer.writerow([encodable(str(neutralise_formula(label))) for label in labels])
        for row in rows:
            writer.writerow([cell(value) for value in row])
            count += 1
    return ExportResult(path=path, format="csv", rows=count, replaced_characters=counted["replaced"])


def _write_xlsx(path: Path, columns, labels, rows, excel: bool) -> ExportResult:
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
               "constant_memory": True}
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({"created": __import__("datetime").datetime(2000, 1, 1)})  # deterministic
    sheet = workbook.add_worksheet(_("Data")[:31])
    bold = workbook.add_format({"bold": True})
    for column, label in enumerate(labels):
        sheet.write_string(0, column, str(label), bold)
        sheet.set_column(column, column, min(max(len(str(label)) + 2, 10), 40))
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(count, column, value)
            elif isinstance(value, (int, float)):
                if abs(value) < 1e15:
                    sheet.write_number(count, column, value)
                else:  # Excel would round it: keep every digit as text
                    sheet.write_string(count, column, str(value))
            elif isinstance(value, bytes):
                sheet.write_string(count, column, value.hex())
            else:
                sheet.write_string(count, column, str(value))
    workbook.close()
    return ExportResult(path=path, format="xlsx", rows=count)


def _coordinate_columns(columns: list[str]):
    lowered = [c.lower() for c in columns]
    for name in GEOMETRY_NAMES:
        if name in lowered:
            return ("geometry", lowered.index(name))
    latitude = next((lowered.index(n) for n in LATITUDE_NAMES if n in lowered), None)
    longitude = next((lowered.index(n) for n in LONGITUDE_NAMES if n in lowered), None)
    if latitude is None or longitude is None:
        raise DatactivisteError(
            _("GeoJSON needs latitude and longitude columns (or a geometry column); found: {columns}")
            .format(columns=", ".join(columns)),
            hint=_("Rename the columns to latitude/longitude in your query, e.g. "
                   "SELECT *, lat AS latitude, lng AS longitude FROM ..."))
    return ("points", latitude, longitude)


def _number(value):
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _write_geojson(path: Path, columns, labels, rows, excel: bool) -> ExportResult:
    layout = _coordinate_columns(columns)
    skip = {layout[1]} if layout[0] == "geometry" else {layout[1], layout[2]}
    written = skipped = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write('{"type": "FeatureCollection", "features": [')
        for row in rows:
            if layout[0] == "geometry":
                try:
                    geometry = json.loads(row[layout[1]]) if row[layout[1]] else None
                except (TypeError, ValueError):
                    geometry = None
            else:
                lat, lon = _number(row[layout[1]]), _number(row[layout[2]])
                geometry = ({"type": "Point", "coordinates": [lon, lat]}
                            if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
                            else None)
            if not isinstance(geometry, dict):
                skipped += 1
                continue
            properties = {label: (value.hex() if isinstance(value, bytes) else value)
                          for i, (label, value) in enumerate(zip(labels, row)) if i not in skip}
            feature = {"type": "Feature", "geometry": geometry, "properties": properties}
            handle.write(("," if written else "") + "\n" + json.dumps(feature, ensure_ascii=False))
            written += 1
        handle.write("\n]}\n")
    return ExportResult(path=path, format="geojson", rows=written, skipped=skipped)
