"""`inspect`: the import's detection and per-column statistics, without touching any database.

It runs the real importer into a temporary database (so what inspect says is exactly what import
would do), then asks SQLite for counts, ranges, frequent values and suspicious values: values
kept as text in a typed column, outliers far outside the interquartile range, and spellings
that differ only by case, accents or spaces (Thiès / THIES / Thies).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import replace
from pathlib import Path

from datactiviste.i18n import ngettext
from datactiviste.i18n.formats import format_number
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.names import fold, quote


def _spelling_key(value: str) -> str:
    return " ".join(fold(value).replace("-", " ").replace("'", " ").split())


def column_statistics(connection: sqlite3.Connection, table: str, column) -> dict:
    name = quote(column.name)
    source = quote(table)
    filled, distinct = connection.execute(
        f"SELECT count({name}), count(DISTINCT {name}) FROM {source}").fetchone()
    total = connection.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    stats = {"name": column.name, "label": column.label, "type": column.type, "filled": filled,
             "empty": total - filled, "distinct": distinct, "min": None, "max": None, "top": [],
             "warnings": [], "outliers": [], "spellings": []}
    numeric = column.type in ("INTEGER", "REAL")
    typed_filter = f"typeof({name}) IN ('integer', 'real')" if numeric else f"{name} IS NOT NULL"
    if filled:
        low, high = connection.execute(f"SELECT min({name}), max({name}) FROM {source} WHERE {typed_filter}").fetchone()
        stats["min"], stats["max"] = low, high
    if column.type == "TEXT" and filled:
        stats["top"] = connection.execute(
            f"SELECT {name}, count(*) AS n FROM {source} WHERE {name} IS NOT NULL GROUP BY {name} "
            f"ORDER BY n DESC, {name} LIMIT 3").fetchall()
        if distinct <= 5000:
            groups: dict[str, set[str]] = {}
            for (value,) in connection.execute(f"SELECT DISTINCT {name} FROM {source} WHERE {name} IS NOT NULL"):
                if isinstance(value, str):
                    groups.setdefault(_spelling_key(value), set()).add(value)
            variants = [sorted(v) for v in groups.values() if len(v) > 1]
            stats["spellings"] = sorted(variants)[:20]
            if variants:
                shown = " · ".join(" / ".join(v) for v in stats["spellings"][:3])
                stats["warnings"].append(ngettext(
                    "{count} value written in several ways: {examples}",
                    "{count} values written in several ways: {examples}", len(variants)).format(
                        count=len(variants), examples=shown))
    if numeric and filled >= 8:
        # Quartiles and outliers asked of SQLite: memory stays flat on a million-row table.
        typed = connection.execute(f"SELECT count(*) FROM {source} WHERE {typed_filter}").fetchone()[0]
        nth = f"SELECT {name} FROM {source} WHERE {typed_filter} ORDER BY {name} LIMIT 1 OFFSET ?"
        q1 = connection.execute(nth, (typed // 4,)).fetchone()[0]
        q3 = connection.execute(nth, ((3 * typed) // 4,)).fetchone()[0]
        spread = q3 - q1
        if spread > 0:
            low, high = q1 - 3 * spread, q3 + 3 * spread
            far = f"FROM {source} WHERE {typed_filter} AND ({name} < ? OR {name} > ?)"
            count = connection.execute(f"SELECT count(*) {far}", (low, high)).fetchone()[0]
            outliers = [v for (v,) in connection.execute(f"SELECT {name} {far} ORDER BY {name} LIMIT 10", (low, high))]
            stats["outliers"] = outliers
            if outliers:
                stats["warnings"].append(ngettext(
                    "{count} value far from the others (check it): {examples}",
                    "{count} values far from the others (check them): {examples}", count).format(
                        count=count, examples=", ".join(format_number(v) for v in outliers[:5])))
    if column.anomalies:
        stats["warnings"].append(ngettext(
            "{count} value does not match the column type: {examples}",
            "{count} values do not match the column type: {examples}", column.anomalies).format(
                count=column.anomalies, examples=", ".join(f"« {e} »" for e in column.examples)))
    return stats


def inspect_file(path: str | Path, options: ImportOptions | None = None) -> list[dict]:
    """One inspection per table in the file: {"result": ImportResult, "columns": [stats...]}."""
    folder = tempfile.mkdtemp(prefix="datactiviste-inspect-")
    database = os.path.join(folder, "inspect.db")
    try:
        # A dry run: no index of any kind is needed to describe the file (and inspect has no --no-search).
        options = replace(options or ImportOptions(), index=False, search=False)
        results = import_file(path, database, options)
        connection = sqlite3.connect(database)
        try:
            inspections = []
            for result in results:
                result.database = ""
                result.dry_run = True
                columns = [column_statistics(connection, result.table, c) for c in result.columns]
                inspections.append({"result": result, "columns": columns})
            return inspections
        finally:
            connection.close()
    finally:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)
