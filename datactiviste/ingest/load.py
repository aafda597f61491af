"""Load a `Table` into SQLite in one transaction: stage, profile, convert, log, record provenance.

The fast route (measured in benchmarks/import_speed.py): rows are parsed once by the csv module
and staged as raw text with `executemany` while every value is profiled; types are then decided
on the whole column and converted by one `INSERT ... SELECT` whose SQL expressions run in SQLite,
with Python functions only for the values the SQL fast paths do not cover. A value that does not
convert keeps its raw text (SQLite column affinity stores it as TEXT) and is logged in
`_anomalies`. Everything happens inside one transaction: on any error or Ctrl-C the database is
exactly as it was.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.ingest import names as naming
from datactiviste.ingest.readers import ReadOptions, Table, read_tables
from datactiviste.ingest.types import (DEFAULT_NULL_MARKERS, ColumnType, Profiler, convert_date,
                                       convert_number, decide, file_convention, sql_expression)
from datactiviste.project import connect, ensure_schema

CHUNK = 5000
TAIL = 200             # rows held back until the end, to recognise footnotes
SQL_TYPES = ("TEXT", "INTEGER", "REAL", "DATE", "DATETIME")
_NOTE = re.compile(r"^\s*(sources?|notes?|nota|quelle|lecture|champ|remarques?|avertissement|"
                   r"\*+|\(\d+\)|\d+\.)(\s|:|$)", re.I)


@dataclass
class ImportOptions:
    table: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    skip_lines: int | None = None
    no_header: bool = False
    sheet: str | None = None
    keep_names: bool = False
    types: dict[str, str] = field(default_factory=dict)   # column -> SQL type
    decimal: str | None = None                            # "," or "."
    date_format: str | None = None                       # dmy, mdy, ymd or a strptime format
    null_markers: list[str] | None = None
    append: bool = False
    licence: str | None = None
    source_url: str | None = None
    progress: Callable[[int], None] | None = None


@dataclass
class ColumnReport:
    position: int
    name: str
    label: str
    type: str
    kind: str
    reason: str
    decimal: str | None = None
    date_order: str | None = None
    unit: str | None = None
    empty: int = 0
    markers: dict[str, int] = field(default_factory=dict)
    anomalies: int = 0
    examples: list[str] = field(default_factory=list)
    overridden: bool = False


@dataclass
class ImportResult:
    table: str
    database: str
    file_name: str
    file_size: int
    sha256: str
    format: str
    sheet: str | None
    encoding: str | None
    encoding_reason: str | None
    repaired_mojibake: bool
    legacy_lines: list[int]
    nul_bytes: int
    delimiter: str | None
    header_line: int | None
    header_reason: str
    rows_read: int
    rows_written: int
    empty_rows: int
    repeated_headers: int
    footer_lines: int
    skipped_lines: int
    padded_rows: int
    extra_field_rows: int
    extra_columns: int
    columns: list[ColumnReport]
    replaced: bool
    appended: bool
    anomalies: int
    seconds: float
    source_id: int | None = None
    dry_run: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(path: str | Path, db_path: str | Path = "datactiviste.db",
                options: ImportOptions | None = None) -> list[ImportResult]:
    """Import every table of `path` into `db_path` (all or nothing); one result per table."""
    options = options or ImportOptions()
    path = Path(path)
    started = time.perf_counter()
    read_options = ReadOptions(encoding=options.encoding, delimiter=options.delimiter,
                               skip_lines=options.skip_lines, no_header=options.no_header,
                               sheet=options.sheet, progress=options.progress)
    fmt, tables = read_tables(path, read_options)
    connection = connect(db_path)
    _check_database(connection, db_path)
    _register_functions(connection)
    results = []
    try:
        connection.execute("BEGIN IMMEDIATE")
        ensure_schema(connection)
        size, digest = path.stat().st_size, sha256_of(path)
        used_names: set[str] = set()
        for table in tables:
            name = _table_name(path, table, options, len(tables), used_names)
            used_names.add(name)
            loader = _TableLoader(connection, path, table, name, options)
            results.append(loader.load(fmt, size, digest, started))
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
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
        name = naming.table_name(path.stem, table.sheet if count > 1 else None)
    if name.startswith("_") or name.lower().startswith("sqlite_"):
        name = "t" + name
    candidate, counter = name, 2
    while candidate in used:
        candidate = f"{name}_{counter}"
        counter += 1
    return candidate


def _register_functions(connection: sqlite3.Connection) -> None:
    connection.create_function("dv_number", 2, convert_number, deterministic=True)
    connection.create_function("dv_date", 2, _convert_date_or_format, deterministic=True)


def _convert_date_or_format(value, order):
    if value is None or "%" not in order:
        return convert_date(value, order)
    text = str(value).strip()
    try:
        parsed = datetime.datetime.strptime(text, order)
    except ValueError:
        return value
    has_time = any(code in order for code in ("%H", "%I", "%M", "%S"))
    return parsed.isoformat(sep=" ") if has_time else parsed.date().isoformat()


def _footer_start(pending: list, width: int) -> int:
    """Index in `pending` where trailing notes begin (len(pending) when there are none)."""
    short = max(2, width // 3)
    start = len(pending)
    for index in range(len(pending) - 1, -1, -1):
        _line, cells = pending[index]
        if cells is None:          # blank line: may sit inside or before the footer
            continue
        filled = [c for c in cells if c and c.strip()]
        first_only = len(filled) == 1 and cells[0].strip() == filled[0].strip()
        if (width >= 4 and len(cells) <= short) or (first_only and _NOTE.match(filled[0])):
            start = index
            continue
        break
    # Blank lines just above the notes belong to the footer too (they are not data either).
    while start > 0 and start < len(pending) and pending[start - 1][1] is None:
        start -= 1
    if start < len(pending) and all(cells is None for _l, cells in pending[start:]):
        return len(pending)
    return start


class _TableLoader:
    """Loads one Table; split from import_file so each step reads on its own."""

    def __init__(self, connection, path: Path, table: Table, name: str, options: ImportOptions):
        self.connection = connection
        self.path = path
        self.table = table
        self.name = name
        self.options = options
        self.width = max(1, len(table.headers))
        self.markers = tuple(options.null_markers) if options.null_markers is not None else DEFAULT_NULL_MARKERS
        self.profiler = Profiler(self.width, self.markers)
        self.header_cells = [h for h in table.headers]
        self.rows_read = self.empty_rows = self.padded = self.extra_rows = 0
        self.max_extras = 0
        self.notes: list[tuple[int | None, str, str]] = []  # (line, raw, reason)
        self.staged = 0

    # -- staging -------------------------------------------------------------------------------

    def _stage_table(self) -> None:
        columns = ", ".join(f"c{i}" for i in range(self.width))
        self.connection.execute("DROP TABLE IF EXISTS temp._dv_stage")
        self.connection.execute(f"CREATE TEMP TABLE _dv_stage (_line INTEGER, {columns}, _extra TEXT)")
        self.insert_sql = f"INSERT INTO temp._dv_stage VALUES ({', '.join('?' * (self.width + 2))})"

    def _flush(self, pending: list) -> None:
        width = self.width
        header = self.header_cells if not self.table.no_header else None
        staged = []
        for line, cells in pending:
            if cells is None:
                self.empty_rows += 1
                continue
            length = len(cells)
            extra = None
            if length != width:
                if length < width:
                    cells = cells + [""] * (width - length)
                    self.padded += 1
                else:
                    extras = cells[width:]
                    cells = cells[:width]
                    while extras and not (extras[-1] or "").strip():
                        extras.pop()
                    if extras:
                        self.extra_rows += 1
                        self.max_extras = max(self.max_extras, len(extras))
                        extra = json.dumps(extras, ensure_ascii=False)
            if header is not None and cells == header:
                self.notes.append((line, self._raw(cells), "repeated-header"))
                continue
            staged.append((line, *cells, extra))
        if not staged:
            return
        columns = list(zip(*staged))
        self.profiler.add_chunk(columns[1:width + 1])
        self.connection.executemany(self.insert_sql, staged)
        self.staged += len(staged)

    def _raw(self, cells) -> str:
        separator = self.table.delimiter or " | "
        return separator.join(c or "" for c in cells)

    def _read_rows(self) -> None:
        pending: list = []
        width = self.width
        for line, cells in self.table.rows:
            self.rows_read += 1
            # Blank: every cell empty or white space (the join only runs when the first cell is).
            if not any(cells) or (not (cells[0] or "").strip(" \t\xa0")
                                  and not "".join(c or "" for c in cells).strip(" \t\xa0")):
                pending.append((line, None))
            else:
                pending.append((line, cells))
            if len(pending) >= CHUNK + TAIL:
                self._flush(pending[:CHUNK])
                del pending[:CHUNK]
        # A sheet imported whole (no clean header) keeps its notes as rows.
        footer = len(pending) if self.table.header_reason == "no-clean-header" else _footer_start(pending, width)
        for line, cells in pending[footer:]:
            if cells is not None:
                self.notes.append((line, self._raw(cells), "footer"))
        self.footer_lines = sum(1 for _l, c in pending[footer:] if c is not None)
        self._flush(pending[:footer])
        self.rows_read -= sum(1 for _l, c in pending[footer:] if c is None)  # trailing blanks

    # -- decisions -------------------------------------------------------------------------------

    def _decisions(self, names: list[str]) -> list[ColumnType]:
        profiles = self.profiler.columns
        decimal = self.options.decimal or file_convention(profiles, self.table.delimiter)
        decisions = []
        overrides = {k.lower(): v for k, v in self.options.types.items()}
        used_overrides = set()
        for position, (name, label, profile) in enumerate(zip(names, self._labels(), profiles)):
            decision = decide(profile, decimal)
            if self.options.decimal and decision.sql_type in ("INTEGER", "REAL"):
                decision.decimal = self.options.decimal
            if self.options.date_format and decision.sql_type in ("DATE", "DATETIME"):
                decision.date_order = self.options.date_format
            forced = None
            for key in (name.lower(), (label or "").strip().lower(), str(position + 1)):
                if key in overrides:
                    forced = overrides[key]
                    used_overrides.add(key)
                    break
            if forced:
                decision = _forced_type(decision, forced, decimal, self.options.date_format)
            decisions.append(decision)
        unknown = set(overrides) - used_overrides
        if unknown:
            raise DatactivisteError(
                _("--type names a column that does not exist: {names}").format(names=", ".join(sorted(unknown))),
                path=str(self.path), hint=_("Columns: {names}").format(names=", ".join(names)))
        return decisions

    def _labels(self) -> list[str]:
        return [re.sub(r"\s*[\r\n]+\s*", " ", (h or "").strip().replace("\ufeff", "")) for h in self.table.headers] + [""] * (
            self.width - len(self.table.headers))

    # -- the whole load --------------------------------------------------------------------------

    def load(self, fmt: str, size: int, digest: str, started: float) -> ImportResult:
        self._stage_table()
        self._read_rows()
        if self.staged == 0:
            raise DatactivisteError(_("The file has a header but no data rows."), path=str(self.path),
                                    line=self.table.header_line,
                                    hint=_("Check that you exported the whole table, or use --skip-lines/--no-header if the header was misread."))
        labels = self._labels()
        names = naming.column_names(labels, keep_names=self.options.keep_names)
        extra_names = naming.column_names(labels + [""] * self.max_extras, keep_names=self.options.keep_names)[self.width:]
        decisions = self._decisions(names)
        replaced, appended = self._prepare_target(names + extra_names, decisions)
        base_rowid = self.connection.execute(f"SELECT coalesce(max(rowid), 0) FROM {naming.quote(self.name)}").fetchone()[0]
        expressions = [sql_expression(f"c{i}", d, self.markers) for i, d in enumerate(decisions)]
        expressions += [f"json_extract(_extra, '$[{k}]')" for k in range(self.max_extras)]
        target_columns = ", ".join(naming.quote(n) for n in names + extra_names)
        self.connection.execute(
            f"INSERT INTO {naming.quote(self.name)} ({target_columns}) "
            f"SELECT {', '.join(expressions)} FROM temp._dv_stage ORDER BY rowid")
        written = self.connection.execute(
            f"SELECT count(*) FROM {naming.quote(self.name)} WHERE rowid > ?", (base_rowid,)).fetchone()[0]
        if written != self.staged:
            raise RuntimeError(f"row count mismatch: staged {self.staged}, written {written}")
        source_id = self._record_source(fmt, size, digest, names, labels, decisions, extra_names)
        anomaly_counts = self._log_anomalies(source_id, names, decisions, base_rowid)
        columns = self._column_reports(names, labels, decisions, anomaly_counts)
        for name in extra_names:
            columns.append(ColumnReport(position=len(columns) + 1, name=name, label="", type="TEXT",
                                        kind="extra", reason="extra-fields"))
        result = ImportResult(
            table=self.name, database="", file_name=self.path.name, file_size=size, sha256=digest,
            format=fmt, sheet=self.table.sheet,
            encoding=self.table.encoding.label if self.table.encoding else None,
            encoding_reason=self.table.encoding.reason if self.table.encoding else None,
            repaired_mojibake=bool(self.table.encoding and self.table.encoding.repaired_mojibake),
            legacy_lines=list(self.table.encoding.legacy_lines[:20]) if self.table.encoding else [],
            nul_bytes=self.table.encoding.nul_bytes if self.table.encoding else 0,
            delimiter=self.table.delimiter, header_line=self.table.header_line,
            header_reason=self.table.header_reason, rows_read=self.rows_read, rows_written=written,
            empty_rows=self.empty_rows, repeated_headers=sum(1 for n in self.notes if n[2] == "repeated-header"),
            footer_lines=self.footer_lines, skipped_lines=len(self.table.skipped_lines),
            padded_rows=self.padded, extra_field_rows=self.extra_rows, extra_columns=self.max_extras,
            columns=columns, replaced=replaced, appended=appended,
            anomalies=sum(anomaly_counts.values()) + len(self.notes) + len(self.table.skipped_lines),
            seconds=round(time.perf_counter() - started, 3), source_id=source_id)
        result.database = self.connection.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
        self.connection.execute(
            "UPDATE _sources SET report = ? WHERE id = ?", (json.dumps(result.to_dict(), ensure_ascii=False), source_id))
        self.connection.execute("DROP TABLE temp._dv_stage")
        return result

    def _prepare_target(self, names: list[str], decisions: list[ColumnType]) -> tuple[bool, bool]:
        quoted = naming.quote(self.name)
        exists = self.connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (self.name,)).fetchone()
        if exists and self.options.append:
            current = [row[1] for row in self.connection.execute(f"PRAGMA table_info({quoted})")]
            if current != names[:len(current)] or len(names) > len(current):
                raise DatactivisteError(
                    _("Cannot append: table {table} has columns {current}, the file has {new}.").format(
                        table=self.name, current=", ".join(current), new=", ".join(names)),
                    path=str(self.path), hint=_("Import into a new table with --table NAME, or without --append to replace it."))
            return False, True
        if exists:
            self.connection.execute(f"DROP TABLE {quoted}")
            self.connection.execute("DELETE FROM _anomalies WHERE table_name = ?", (self.name,))
            self.connection.execute("DELETE FROM _sources WHERE table_name = ?", (self.name,))
        declared = []
        for name, decision in zip(names, decisions + [ColumnType("TEXT")] * (len(names) - len(decisions))):
            # Dates are ISO text; declaring them TEXT keeps SQLite from turning a misfit into a number.
            sql_type = decision.sql_type if decision.sql_type in ("INTEGER", "REAL") else "TEXT"
            declared.append(f"{naming.quote(name)} {sql_type}")
        self.connection.execute(f"CREATE TABLE {quoted} ({', '.join(declared)})")
        return bool(exists), False

    def _record_source(self, fmt, size, digest, names, labels, decisions, extra_names) -> int:
        columns = []
        for position, (name, label, decision) in enumerate(zip(names, labels, decisions), start=1):
            columns.append({"position": position, "name": name, "label": label, "type": decision.sql_type,
                            "kind": decision.kind, "decimal": decision.decimal, "date_order": decision.date_order,
                            "unit": decision.unit, "overridden": decision.overridden})
        for name in extra_names:
            columns.append({"position": len(columns) + 1, "name": name, "label": "", "type": "TEXT",
                            "kind": "extra", "decimal": None, "date_order": None, "unit": None, "overridden": False})
        encoding = self.table.encoding
        cursor = self.connection.execute(
            "INSERT INTO _sources (table_name, file_name, file_size, sha256, imported_at, format, sheet, encoding, "
            "delimiter, header_line, rows_read, rows_written, mode, columns, licence, source_url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.name, self.path.name, size, digest,
             datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
             fmt, self.table.sheet, encoding.label if encoding else None, self.table.delimiter,
             self.table.header_line, self.rows_read, self.staged, "append" if self.options.append else "replace",
             json.dumps(columns, ensure_ascii=False), self.options.licence, self.options.source_url))
        return cursor.lastrowid

    def _log_anomalies(self, source_id: int, names: list[str], decisions: list[ColumnType], base_rowid: int) -> dict:
        insert = ("INSERT INTO _anomalies (table_name, source_id, source_line, column_name, raw_value, reason) "
                  "VALUES (?, ?, ?, ?, ?, ?)")
        rows = [(self.name, source_id, line, None, raw, reason) for line, raw in self.table.skipped_lines
                for reason in ("preamble",)]
        rows += [(self.name, source_id, line, None, raw, reason) for line, raw, reason in self.notes]
        self.connection.executemany(insert, rows)
        counts: dict[str, int] = {}
        quoted_table = naming.quote(self.name)
        for index, (name, decision) in enumerate(zip(names, decisions)):
            column = naming.quote(name)
            if decision.sql_type in ("INTEGER", "REAL"):
                condition, reason = f"typeof(t.{column}) = 'text'", f"not-a-number"
            elif decision.sql_type == "DATE":
                condition = (f"t.{column} IS NOT NULL AND NOT (t.{column} GLOB "
                             f"'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')")
                reason = "not-a-date"
            elif decision.sql_type == "DATETIME":
                condition = (f"t.{column} IS NOT NULL AND NOT (t.{column} GLOB "
                             f"'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*')")
                reason = "not-a-date"
            else:
                continue
            cursor = self.connection.execute(
                f"INSERT INTO _anomalies (table_name, source_id, source_line, column_name, raw_value, reason) "
                f"SELECT ?, ?, s._line, ?, s.c{index}, ? FROM {quoted_table} t "
                f"JOIN temp._dv_stage s ON s.rowid = t.rowid - ? WHERE t.rowid > ? AND {condition}",
                (self.name, source_id, name, reason, base_rowid, base_rowid))
            if cursor.rowcount:
                counts[name] = cursor.rowcount
        return counts

    def _column_reports(self, names, labels, decisions, anomaly_counts) -> list[ColumnReport]:
        reports = []
        for position, (name, label, decision, profile) in enumerate(
                zip(names, labels, decisions, self.profiler.columns), start=1):
            typed_column = decision.sql_type != "TEXT"
            examples = []
            if anomaly_counts.get(name):
                examples = [row[0] for row in self.connection.execute(
                    "SELECT DISTINCT raw_value FROM _anomalies WHERE table_name = ? AND column_name = ? LIMIT 3",
                    (self.name, name))]
            reports.append(ColumnReport(
                position=position, name=name, label=label, type=decision.sql_type, kind=decision.kind,
                reason=decision.reason, decimal=decision.decimal, date_order=decision.date_order,
                unit=decision.unit, empty=profile.empty, markers=dict(profile.markers) if typed_column else {},
                anomalies=anomaly_counts.get(name, 0), examples=examples, overridden=decision.overridden))
        return reports


def _forced_type(detected: ColumnType, forced: str, decimal: str | None, date_format: str | None) -> ColumnType:
    forced = forced.upper()
    if forced not in SQL_TYPES:
        raise DatactivisteError(_("Unknown type {type}: use one of {types}.").format(type=forced, types=", ".join(SQL_TYPES)),
                                hint=_("Example: --type code_commune=TEXT"))
    kinds = {"TEXT": "text", "INTEGER": "integer", "REAL": "real", "DATE": "date", "DATETIME": "datetime"}
    return ColumnType(forced, kind=kinds[forced], decimal=detected.decimal or decimal or ",",
                      date_order=date_format or detected.date_order or "dmy", unit=detected.unit,
                      reason="override", overridden=True)
