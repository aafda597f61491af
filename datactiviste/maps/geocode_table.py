"""`datactiviste geocode`: add latitude, longitude, geocode_match and geocode_name to a table.

geocode_match is exact / alternate / fuzzy / none, so a journalist can filter the approximate
ones and check them; the report lists names not found and ambiguous names. Running it again
overwrites the four columns (after the user fixed spellings, for instance).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _

OUTPUT_COLUMNS = (("latitude", "REAL"), ("longitude", "REAL"), ("geocode_match", "TEXT"),
                  ("geocode_name", "TEXT"))


@dataclass
class GeocodeReport:
    total: int = 0
    rows: int = 0
    by_method: dict = field(default_factory=dict)
    unmatched: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)
    fuzzy: list = field(default_factory=list)        # (query, matched name)

    def counts(self) -> dict:
        found = self.total - self.by_method.get("none", 0)
        return {"found": found, "total": self.total, "rows": self.rows,
                "exact": self.by_method.get("exact", 0),
                "alternate": self.by_method.get("alternate", 0),
                "fuzzy": self.by_method.get("fuzzy", 0)}


def geocode_table(db, table: str, place_column: str, countries: set[str] | None = None) -> GeocodeReport:
    from datactiviste.maps.gazetteer import geocode
    from datactiviste.project import connect, data_tables

    if not Path(db).is_file():
        raise DatactivisteError(_("Project database not found: {path}").format(path=db))
    connection = connect(db)
    try:
        if table not in data_tables(connection):
            raise DatactivisteError(_("No table {table} in {db}.").format(table=table, db=db),
                                    hint=_("Tables: {tables}").format(
                                        tables=", ".join(data_tables(connection)) or "-"))
        columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
        column = next((c for c in columns if c.lower() == place_column.lower()), None)
        if column is None:
            raise DatactivisteError(_("No column {column} in {name}.").format(column=place_column, name=table),
                                    hint=_("Columns: {columns}").format(columns=", ".join(columns)))
        names = [r[0] for r in connection.execute(f'SELECT DISTINCT "{column}" FROM "{table}"')]
        matches = geocode([n for n in names if n not in (None, "")], countries)
        report = GeocodeReport(total=len(matches))
        connection.execute("BEGIN")
        for name, sql_type in OUTPUT_COLUMNS:
            if name not in columns:
                connection.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {sql_type}')
        for name, match in matches.items():
            report.by_method[match.method] = report.by_method.get(match.method, 0) + 1
            place = match.place
            if place is None:
                report.unmatched.append(str(name))
            elif match.ambiguous:
                report.ambiguous.append(str(name))
            if place is not None and match.method == "fuzzy":
                report.fuzzy.append((str(name), place.name))
            cursor = connection.execute(
                f'UPDATE "{table}" SET latitude = ?, longitude = ?, geocode_match = ?, '
                f'geocode_name = ? WHERE "{column}" = ?',
                (place.latitude if place else None, place.longitude if place else None,
                 match.method, place.name if place else None, name))
            report.rows += cursor.rowcount if place else 0
        connection.execute(f'UPDATE "{table}" SET latitude = NULL, longitude = NULL, '
                           f'geocode_match = \'none\', geocode_name = NULL '
                           f'WHERE "{column}" IS NULL OR "{column}" = \'\'')
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()
    return report
