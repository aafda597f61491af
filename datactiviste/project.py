"""The project database: data tables plus what we know about where they came from.

`_sources` has one row per imported table (file, checksum, detection results, columns as
JSON: original header -> SQL name -> type); `_anomalies` keeps every value or line we could
not use as-is, with its source line. Other commands (serve, map, chart, lessons) read these
through the functions here rather than with their own SQL.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path

DEFAULT_DB = "datactiviste.db"
META_TABLES = ("_sources", "_anomalies")

SCHEMA = """
CREATE TABLE IF NOT EXISTS _sources (
    id INTEGER PRIMARY KEY,
    table_name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size INTEGER,
    sha256 TEXT,
    imported_at TEXT,
    format TEXT,
    sheet TEXT,
    encoding TEXT,
    delimiter TEXT,
    header_line INTEGER,
    rows_read INTEGER,
    rows_written INTEGER,
    mode TEXT,
    columns TEXT,
    report TEXT,
    licence TEXT,
    source_url TEXT
);
CREATE INDEX IF NOT EXISTS _sources_table ON _sources(table_name);
CREATE TABLE IF NOT EXISTS _anomalies (
    id INTEGER PRIMARY KEY,
    table_name TEXT NOT NULL,
    source_id INTEGER,
    source_line INTEGER,
    column_name TEXT,
    raw_value TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS _anomalies_table ON _anomalies(table_name, column_name);
"""


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection in autocommit mode: callers open their own transactions explicitly."""
    connection = sqlite3.connect(str(path), isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection):
    """All or nothing: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any error or Ctrl-C."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def ensure_schema(connection: sqlite3.Connection) -> None:
    for statement in SCHEMA.strip().split(";"):
        if statement.strip():
            connection.execute(statement)


def data_tables(connection: sqlite3.Connection) -> list[str]:
    """User tables, without our metadata, SQLite internals and full-text-search shadows."""
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name").fetchall()
    return [name for (name,) in rows if not name.endswith(("_fts", "_fts_data", "_fts_idx",
                                                           "_fts_docsize", "_fts_config",
                                                           "_fts_content", "_fts_segments",
                                                           "_fts_segdir", "_fts_stat"))]


def latest_source(connection: sqlite3.Connection, table: str) -> dict | None:
    """The provenance of the last import into `table` (columns decoded), or None."""
    try:
        cursor = connection.execute(
            "SELECT * FROM _sources WHERE table_name = ? ORDER BY id DESC LIMIT 1", (table,))
    except sqlite3.OperationalError:
        return None
    row = cursor.fetchone()
    if row is None:
        return None
    record = dict(zip([d[0] for d in cursor.description], row))
    for key in ("columns", "report"):
        if record.get(key):
            record[key] = json.loads(record[key])
    return record


def column_labels(connection: sqlite3.Connection, table: str) -> dict[str, str]:
    """{sql column name: original header} for a table we imported."""
    source = latest_source(connection, table)
    if not source:
        return {}
    return {c["name"]: c["label"] for c in source.get("columns") or [] if c.get("label")}
