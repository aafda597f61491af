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


def geocode_table(db, table: str, place_column: str, countries: set[str] | None = None,
                  country_column: str | None = None, region_column: str | None = None) -> GeocodeReport:
    """Locate every distinct (place, country cell, region cell) once and update its rows."""
    from datactiviste.maps.gazetteer import geocode_keys
    from datactiviste.project import connect, data_tables, transaction

    if not Path(db).is_file():
        raise DatactivisteError(_("Project database not found: {path}").format(path=db))
    connection = connect(db)
    try:
        if table not in data_tables(connection):
            raise DatactivisteError(_("No table {table} in {db}.").format(table=table, db=db),
                                    hint=_("Tables: {tables}").format(
                                        tables=", ".join(data_tables(connection)) or "-"))
        columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
        column, *hints = [_column(columns, name, table) if name else None
                          for name in (place_column, country_column, region_column)]
        selected = ", ".join(f'"{c}"' if c else "NULL" for c in [column] + hints)
        keys = [tuple(r) for r in connection.execute(f'SELECT DISTINCT {selected} FROM "{table}"')]
        matches = geocode_keys([k for k in keys if k[0] not in (None, "")], countries)
        report = GeocodeReport(total=len(matches))
        with transaction(connection):
            for name, sql_type in OUTPUT_COLUMNS:
                if name not in columns:
                    connection.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {sql_type}')
            condition = " AND ".join([f'"{column}" = ?'] + [f'"{h}" IS ?' for h in hints if h])
            for key, match in matches.items():
                name = key[0]
                report.by_method[match.method] = report.by_method.get(match.method, 0) + 1
                place = match.place
                if place is None and str(name) not in report.unmatched:
                    report.unmatched.append(str(name))
                elif place is not None and match.ambiguous and str(name) not in report.ambiguous:
                    report.ambiguous.append(str(name))
                if place is not None and match.method == "fuzzy":
                    report.fuzzy.append((str(name), place.name))
                cursor = connection.execute(
                    f'UPDATE "{table}" SET latitude = ?, longitude = ?, geocode_match = ?, '
                    f'geocode_name = ? WHERE {condition}',
                    (place.latitude if place else None, place.longitude if place else None,
                     match.method, place.name if place else None, name)
                    + tuple(value for value, h in zip(key[1:], hints) if h))
                report.rows += cursor.rowcount if place else 0
            connection.execute(f'UPDATE "{table}" SET latitude = NULL, longitude = NULL, '
                               f'geocode_match = \'none\', geocode_name = NULL '
                               f'WHERE "{column}" IS NULL OR "{column}" = \'\'')
    finally:
        connection.close()
    return report


def _column(columns: list[str], wanted: str, table: str) -> str:
    found = next((c for c in columns if c.lower() == wanted.lower()), None)
    if found is None:
        raise DatactivisteError(_("No column {column} in {name}.").format(column=wanted, name=table),
                                hint=_("Columns: {columns}").format(columns=", ".join(columns)))
    return found
