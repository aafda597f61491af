"""Import a file: read its tables, then load each into the database in one transaction.

What happens per table is load.py's (TableLoader); this module owns what spans the whole file:
worker processes started ahead of a big delimited file, the scratch folder of their parts, one
transaction for all the file's tables (all or nothing), table names, the indexes and full-text
search built after, and database errors (disk full, not a database) turned into the user's message.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import asdict
from pathlib import Path

from datactiviste.errors import DatactivisteError, database_error
from datactiviste.files import BackgroundDigest, sha256_file
from datactiviste.i18n import _
from datactiviste.ingest import bytescan
from datactiviste.ingest import names as naming
from datactiviste.ingest.ahead import workers_ahead
from datactiviste.ingest.load import TableLoader
from datactiviste.ingest.readers import ReadOptions, Table, read_tables
from datactiviste.ingest.results import ColumnReport, ImportOptions, ImportResult
from datactiviste.ingest.scratch import scratch_folder
from datactiviste.project import connect, ensure_schema, transaction

__all__ = ["ColumnReport", "ImportOptions", "ImportResult", "import_file"]   # results.py's, re-exported


def import_file(path: str | Path, db_path: str | Path = "datactiviste.db",
                options: ImportOptions | None = None, standby=None) -> list[ImportResult]:
    """Import every table of `path` into `db_path` (all or nothing); one result per table.

    `standby`: the workers the caller started ahead for this file (ahead.workers_ahead, called
    with the same path and options); import_file releases them whatever happens."""
    options = options or ImportOptions()
    path = Path(path)
    started = time.perf_counter()
    read_options = ReadOptions(encoding=options.encoding, delimiter=options.delimiter,
                               skip_lines=options.skip_lines, no_header=options.no_header,
                               sheet=options.sheet, progress=options.progress)
    digest = BackgroundDigest(path) if path.is_file() else None   # read_tables names a missing file
    created = not Path(db_path).exists()
    if standby is None:
        standby = workers_ahead(path, options.jobs, options.encoding)
    try:
        with bytescan.helped_by(standby if standby is not None and standby.shared else None):
            fmt, tables = read_tables(path, read_options)
        # Scratch databases of worker processes live in `scratch` (ingest/scratch.py); the connection,
        # which attaches them, is closed before the folder goes, as Windows cannot delete an open file.
        with scratch_folder() as scratch:
            results = _import_tables(path, db_path, options, fmt, tables, scratch, started, digest, standby)
        created = False
        return results
    except sqlite3.Error as error:
        friendly = database_error(error, db_path)   # disk full, read-only, locked: the user's to fix
        if friendly is None:
            raise
        _roll_back_hot_journal(db_path)
        raise friendly from None
    finally:
        if standby is not None:
            standby.close()
        if created:           # the import failed: the database it created must not stay behind
            _remove_empty_database(db_path)


def _remove_empty_database(db_path) -> None:
    """A failed import into a database it created leaves none behind: the transaction was rolled
    back, so the file holds no table (0 bytes, or SQLite's header alone); only such a file goes."""
    path = Path(db_path)
    try:
        if path.is_file():
            connection = sqlite3.connect(str(path))
            try:
                empty = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            finally:
                connection.close()
            if empty:
                path.unlink()
                Path(str(path) + "-journal").unlink(missing_ok=True)
    except (OSError, sqlite3.Error):
        pass      # left as it is: an empty database does no harm


def _roll_back_hot_journal(db_path) -> None:
    """After a failed write (disk full) SQLite leaves the undo journal beside the database and
    rolls it back at the next read: read now, so the file is byte for byte as it was."""
    try:
        connection = sqlite3.connect(str(db_path))
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        pass      # the next program that opens the database rolls it back instead


def _keep_sheet_notes(connection, result: ImportResult, sheets) -> None:
    """The text of the workbook's notes sheets (sources, definitions, remarks), kept in _anomalies
    with the first table: reason `sheet-notes`, the sheet's name as column_name, its row as line."""
    rows = [(result.table, result.source_id, line, sheet.name, text, "sheet-notes")
            for sheet in sheets for line, text in sheet.notes]
    if rows:
        connection.executemany("INSERT INTO _anomalies (table_name, source_id, source_line, column_name, raw_value, "
                               "reason) VALUES (?, ?, ?, ?, ?, ?)", rows)
        result.anomalies += len(rows)
    for sheet in sheets:
        sheet.kept = len(sheet.notes)


def _import_tables(path, db_path, options, fmt, tables, scratch, started, digest, standby=None) -> list[ImportResult]:
    """Open the database and load every table in one transaction (see import_file)."""
    results = []
    connection = connect(db_path)
    try:
        _check_database(connection, db_path)
        with transaction(connection):
            ensure_schema(connection)
            size, digest = path.stat().st_size, digest.result() if digest else sha256_file(path)
            used_names: set[str] = set()
            for table in tables:
                name = _table_name(path, table, options, len(tables), used_names)
                used_names.add(name)
                loader = TableLoader(connection, path, table, name, options, Path(scratch), standby)
                results.append(loader.load(fmt, size, digest, started))
                _keep_sheet_notes(connection, results[-1], table.skipped_sheets)
                results[-1].skipped_sheets = [{k: v for k, v in asdict(sheet).items() if k != "notes"}
                                              for sheet in table.skipped_sheets]
            if options.index:
                from datactiviste.serve.indexes import prepare_for_serving

                if options.indexing:
                    options.indexing()
                for result in results:
                    result.indexed = prepare_for_serving(connection, result.table)
            from datactiviste.ingest.search import index_results

            index_results(connection, results, build=options.search)
    finally:
        connection.close()
    return results


def _check_database(connection: sqlite3.Connection, db_path) -> None:
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        raise DatactivisteError(_("{path} is not a SQLite database.").format(path=db_path), path=str(db_path),
                                hint=_("Choose another file with --db (it will be created).")) from None


def _table_name(path: Path, table: Table, options: ImportOptions, count: int, used: set[str]) -> str:
    if options.table:
        base = options.table if options.keep_names else (naming.slugify(options.table) or "table")
        name = base if count == 1 else f"{base}_{naming.slugify(table.sheet or '') or 'sheet'}"
    else:
        name = naming.table_name(path.stem, table.sheet)  # sheet is set when the workbook has several
    if name.startswith("_") or name.lower().startswith("sqlite_"):
        name = "t" + name
    candidate, counter = name, 2
    while candidate in used:
        candidate = f"{name}_{counter}"
        counter += 1
    return candidate
