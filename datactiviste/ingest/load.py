"""Load one `Table` into SQLite: profile, convert, insert, log, record provenance.

The fast route (measured in benchmarks/import_speed.py): one streaming pass over the file, batch
by batch. Each batch is first profiled (every value, see types.Profiler), then converted column by
column with the types decided so far (C-speed string operations on the joined column when the
profile proved it uniform, value by value otherwise) and inserted into the typed table with
`executemany`. If a later batch changes a decision in a way that affects rows already written,
a second pass converts everything again with the final types. Memory stays flat: one batch at a
time. A value that does not convert keeps its raw text (SQLite column affinity stores it as TEXT)
and is logged in `_anomalies` with its source line. Everything happens inside the importer's one
transaction (importer.py): on any error or Ctrl-C the database is exactly as it was.

Which records are rows is rows.py's (the same rules in both passes); a big delimited file is loaded
in parts by several processes (parts.py); what the import writes beside the table and reports is
records.py's; each column's type is decisions.py's; the rows that repeat the sum of others are
set aside after the table is written (totalrows.py); what an import is asked and what it reports
are plain data in results.py.
"""

from __future__ import annotations

import gc
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.ingest import names as naming
from datactiviste.ingest import parts as in_parts
from datactiviste.ingest import records as recording
from datactiviste.ingest import bulkinsert, cutrecords, rows, setaside, totalrows
from datactiviste.ingest.convert import column_converter
from datactiviste.ingest.decisions import column_decisions
from datactiviste.ingest.delimited import line_after
from datactiviste.ingest.cells import LETTER, only_values
from datactiviste.ingest.readers import Table
from datactiviste.ingest.results import ImportOptions, ImportResult
from datactiviste.ingest.sections import add_section_column, repeated_blocks
from datactiviste.ingest.shapes import DEFAULT_NULL_MARKERS
from datactiviste.ingest.types import ColumnType, Profiler

TAIL = 2000            # rows held back until the end, to recognise footnotes (a census profile ends on 1 200 lines of notes)

# Python's sqlite3 binds int, float and str directly but sends every None through its adapter
# lookup (`__adapt__`, `__conform__` attribute searches) before binding NULL: 12 NULLs a row cost
# 7 us, twice a row of 12 strings. An adapter registered for None (it returns its argument: a
# C-level `dict.get` on an empty dict) skips the searches; `executemany` of 200k rows of this
# file's shape went from 0.76 s to 0.48 s. It changes nothing else: None is still bound as NULL.
sqlite3.register_adapter(type(None), {}.get)


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while rows stream through.

    Every batch allocates millions of strings, lists and tuples, and each 700 allocations wake
    the collector, which walks the young objects (and now and then all of them) looking for
    cycles that a batch never makes: refcounting frees it as soon as the next one comes.
    Pausing it saves about 7 % of an import (200k rows: 3.45 s -> 3.2 s). Re-enabled after,
    even on error; left alone when the caller had already disabled it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class TableLoader:
    """Loads one Table: see the module docstring."""

    def __init__(self, connection, path: Path, table: Table, name: str, options: ImportOptions,
                 scratch: Path | None = None, standby=None):
        self.connection = connection
        self.scratch = scratch   # where worker processes write their parts
        self.standby = standby   # parallel.Standby: workers started ahead, or None
        self.path = path
        self.table = table
        self.name = name
        self.options = options
        self.width = max(1, len(table.headers))
        self.markers = tuple(options.null_markers) if options.null_markers is not None else DEFAULT_NULL_MARKERS
        self.profiler = Profiler(self.width, self.markers,
                                 compact_watch=[i for i, label in enumerate(self.labels()) if naming.names_dates(label)],
                                 marker_families=options.null_markers is None)
        # A record equal to the header is a repeated header, unless the header has no label to
        # repeat (years, or numbers taken for a header): then such a record is a row like the others.
        self.header_cells = None if table.no_header or only_values(table.headers) else list(table.headers)
        # The rows of a stacked header, as a record repeating one reads (trailing empty cells off).
        self.stacked_rows = {tuple(rows.without_trailing_blanks(row)) for row in table.stacked_rows
                            if sum(1 for cell in row if cell and cell.strip()) >= 2 and not only_values(row)}
        self.rows_read = self.empty_rows = self.padded = self.extra_rows = self.footer_lines = 0
        self.rejoined = 0        # records cut by an unquoted line break, joined again (cutrecords.py)
        self.rejoined_lines: list[int] = []   # the first lines of those (rows.LISTED_LINES)
        self.other_headers: list[int] = []    # lines of a block's own header, unlike the table's (rows.clean)
        self.repeated_blocks: list[int] = []  # lines where the first rows' labels start again (sections.py)
        self.subtotal_lines: list[int] = []   # rows kept that sum the rows right under them (totalrows.py)
        self.folded_rows = 0     # rows with more fields than a table can have columns (rows.clean)
        self.totals = 0
        self.max_extras = 0
        self.notes: list[tuple[int | None, str, str]] = []  # (line, raw, reason)
        self.section_lines: set[int] = set()     # section titles among the rows (rows.find_sections)
        self.section_carry: tuple[list, list, int] = ([], [], 0)   # rows.find_sections: the last batch's end
        self.record_before: list[str] | None = None   # rows.batch: the record above the next batch
        self.searches_sections = rows.searches_sections(path)
        self.footer_cells: list[list[str]] = []   # the cells of each "footer" note, in order
        self.tail_cells: dict[int, list[str]] = {}   # line -> cells of the last records (see totalrows.source_texts)
        self.totals_kept_by_notes: set[int | None] = set()   # unlabelled totals found among the notes
        self.data_records = 0    # raw records before the footer (a second pass stops there)
        self.kept_rows = 0
        self.lines = rows.LineMap()
        self.names: list[str] = []
        self.short_lines: list[int] = []     # the first lines of the rows padded, and of those with extra
        self.extra_lines: list[int] = []     # fields (rows.LISTED_LINES), named in the report
        self.section_column: str | None = None   # the titles of the sections set aside, per row (sections.py)
        self.extra_names: list[str] = []
        self.table_extras = 0    # extra columns the table has so far
        self.provisional: list[ColumnType] | None = None
        self.redo = False
        self.replaced = self.appended = False
        self.base_rowid = self.next_rowid = 0
        self.last_record: list[str] | None = None
        self.last_start: int | None = None     # line of last_record
        self.line_after_parts: int | None = None   # parts.py: the line after the parts absorbed so far
        self.parts = 1
        # A file whose lines above the header are all `#` comments writes its other comments the
        # same way: a record starting with `#` among the rows is one more (set aside, reported).
        above = [skipped[1] for skipped in table.skipped_lines if len(skipped) == 2]   # (line, raw): no other reason
        self.comment_rows = (table.format == "csv" and not options.keep_notes and bool(above)
                             and all(raw.lstrip().startswith("#") for raw in above))
        # The title lines above the header, as a row repeating one at a page break reads.
        separator = table.delimiter or " | "
        self.title_rows = {key for key in (rows.filled_key(raw.split(separator)) for raw in above)
                           if key and any(LETTER.search(cell) for cell in key)}

    def raw_text(self, cells) -> str:
        separator = self.table.delimiter or " | "
        return separator.join(c or "" for c in cells)

    # -- one pass: profile, decide, convert, insert -------------------------------------------------

    def _single_pass(self) -> None:
        """Read the file once: each batch is profiled, then converted with the types decided so far.

        Types rarely change after the first batch. When they do in a way that affects rows already
        written (a column turns out to be text, or uses the other decimal separator), `self.redo`
        is set and `load` converts everything again in a second pass with the final types.
        """
        self.stream(self.table.batches(), last=True)

    def stream(self, batches, last: bool) -> None:
        """Profile, convert and insert `batches`; `last`: they end the file (footnotes may follow the data)."""
        pending_starts: list[int] = []
        pending: list[list[str]] = []
        for starts, records in self._records(batches, record_notes=True):
            self.rows_read += len(records)
            rows.find_sections(self, starts, records)
            pending_starts += starts
            pending += records
            self.last_record, self.last_start = records[-1], starts[-1]
            if len(pending) > TAIL:
                cut = len(pending) - TAIL
                self._take(pending_starts[:cut], pending[:cut])
                self.data_records += cut
                del pending_starts[:cut], pending[:cut]
        if not last:
            self._take(pending_starts, pending)
            self.data_records += len(pending)
            return
        self.tail_cells = dict(zip(pending_starts, pending))
        # The last rows may be notes under the table (sources, footnotes): they are not data.
        if self.table.header_reason == "no-clean-header" or self.options.keep_notes:
            footer = len(pending)
        else:
            marked = [(line, None if rows.is_blank(cells) else cells) for line, cells in zip(pending_starts, pending)]
            footer = setaside.footer_start(marked, self.width, self._kinds_so_far(), rows_above=self.data_records > 0)
            for line, cells in marked[footer:]:
                if cells is not None:
                    self.notes.append((line, self.raw_text(cells), "footer"))
                    self.footer_cells.append(list(cells))
                    self.footer_lines += 1
            self.rows_read -= sum(1 for _line, cells in marked[footer:] if cells is None)
        self._take(pending_starts[:footer], pending[:footer])
        self.data_records += footer

    def _records(self, batches, record_notes: bool):
        """The batches of a delimited file with its records cut by an unquoted line break joined
        again (cutrecords.py), the same in both passes; others as read."""
        if self.table.format != "csv" or self.table.no_header or self.width < 3 or self.table.delimiter == " ":
            return batches

        def noted(line: int) -> None:
            if record_notes:
                self.rejoined += 1
                if len(self.rejoined_lines) < rows.LISTED_LINES:
                    self.rejoined_lines.append(line)
        return cutrecords.rejoined_batches(batches, self.width, noted)

    def _kinds_so_far(self) -> list[str | None] | None:
        """Column kinds ('number', 'date', 'text') of the rows profiled so far, for the footer decision."""
        if not self.kept_rows:
            return None
        kinds = {"INTEGER": "number", "REAL": "number", "TEXT": "text", "DATE": "date", "DATETIME": "date"}
        return [kinds.get(d.sql_type) for d in self.decisions(self.names)]

    def line_after_last(self) -> int | None:
        """The line after the last record read (the first line of the next part), if any was read."""
        return None if self.last_record is None else line_after(self.last_start, self.last_record)

    def ends_inside_quotes(self) -> bool:
        """True when the last record read ran into the end of its part inside a quoted field: the
        cut before the next part was not a record boundary."""
        last = self.last_record
        return bool(last) and last[-1].endswith(("\n", "\r"))

    def _take(self, starts, records) -> None:
        if not records:
            return
        batch = rows.batch(self, starts, records, record_notes=True)
        if batch is None:
            return
        starts, columns, extras, joined = batch      # transposed and joined once: profiled, then converted
        self.profiler.add_chunk(columns, joined)
        self.kept_rows += len(starts)
        if self.redo:
            return
        decisions = self.decisions(self.names)
        if self.provisional is None:
            self.provisional = decisions
            self.replaced, self.appended = self._prepare_target(self.names, decisions)
            self.base_rowid = self.connection.execute(
                f"SELECT coalesce(max(rowid), 0) FROM {naming.quote(self.name)}").fetchone()[0]
            self.next_rowid = self.base_rowid + 1
        elif in_parts.changed(self.provisional, decisions):
            self.redo = True
            return
        if self.max_extras > self.table_extras:
            if self.appended:
                self.redo = True   # the existing table has no room for extra fields: checked in load
                return
            self._add_extra_columns()
        converters = [column_converter(d, p, self.markers) for d, p in zip(decisions, self.profiler.columns)]
        self._insert(converters, starts, columns, extras, joined)

    def _insert(self, converters, starts, columns, extras, joined) -> None:
        """Convert the batch's columns (one tuple of raw strings each) and insert its rows."""
        count = len(starts)
        columns = [convert.from_joined(text) if hasattr(convert, "from_joined") else convert(values)
                   for convert, values, text in zip(converters, columns, joined)]
        if self.table_extras:
            padded = [(e or []) + [None] * (self.table_extras - len(e or [])) for e in (extras or [None] * count)]
            columns += [list(values) for values in zip(*padded)]
        names = self.names + self.extra_names
        bulkinsert.insert_columns(self.connection, naming.quote(self.name), [naming.quote(n) for n in names],
                                  columns)
        self.lines.add(self.next_rowid, starts)
        self.next_rowid += count

    def _add_extra_columns(self) -> None:
        labels = self.labels()
        self.extra_names = naming.column_names(labels + [""] * self.max_extras,
                                               keep_names=self.options.keep_names)[self.width:]
        for name in self.extra_names[self.table_extras:]:
            self.connection.execute(f"ALTER TABLE {naming.quote(self.name)} ADD COLUMN {naming.quote(name)} TEXT")
        self.table_extras = self.max_extras

    def _second_pass(self, decisions) -> None:
        """Convert everything again with the final types (rare: types changed after the first batch)."""
        quoted = naming.quote(self.name)
        if self.appended:
            self.connection.execute(f"DELETE FROM {quoted} WHERE rowid > ?", (self.base_rowid,))
        else:
            self.connection.execute(f"DROP TABLE {quoted}")
            self._create_table(self.names, decisions)
            self.table_extras = 0
            if self.max_extras:
                self.extra_names = naming.column_names(self.labels() + [""] * self.max_extras,
                                                       keep_names=self.options.keep_names)[self.width:]
                for name in self.extra_names:
                    self.connection.execute(f"ALTER TABLE {quoted} ADD COLUMN {naming.quote(name)} TEXT")
                self.table_extras = self.max_extras
        self.lines = rows.LineMap()
        self.next_rowid = self.base_rowid + 1
        self.record_before = None
        converters = [column_converter(d, p, self.markers) for d, p in zip(decisions, self.profiler.columns)]
        remaining = self.data_records
        for starts, records in self._records(self.table.batches(), record_notes=False):
            if remaining <= 0:
                break
            if len(records) > remaining:
                starts, records = starts[:remaining], records[:remaining]
            remaining -= len(records)
            batch = rows.batch(self, starts, records, record_notes=False)
            if batch is not None:
                self._insert(converters, *batch)

    # -- decisions -------------------------------------------------------------------------------

    def decisions(self, names: list[str]) -> list[ColumnType]:
        return column_decisions(self.profiler.columns, names, self.labels(), self.options,
                                self.table.delimiter, self.path)

    def labels(self) -> list[str]:
        return [re.sub(r"\s*[\r\n]+\s*", " ", (h or "").strip().replace("\ufeff", "")) for h in self.table.headers] + [""] * (
            self.width - len(self.table.headers))

    # -- the whole load --------------------------------------------------------------------------

    def load(self, fmt: str, size: int, digest: str, started: float) -> ImportResult:
        with collector_paused():
            return self._load(fmt, size, digest, started)

    def _load(self, fmt: str, size: int, digest: str, started: float) -> ImportResult:
        labels = self.labels()
        self.names = naming.column_names(labels, keep_names=self.options.keep_names)
        parts = in_parts.plan(self, size)
        if len(parts) > 1:
            try:
                with in_parts.savepoint(self.connection):
                    in_parts.load_in_parts(self, parts)
                self.parts = len(parts)
            except in_parts.SplitFailed:
                # A cut fell inside a quoted field, or a worker failed: load the file in one process.
                alone = replace(self.options, jobs=1)
                return TableLoader(self.connection, self.path, self.table, self.name, alone).load(
                    fmt, size, digest, started)
        else:
            self._single_pass()
        names, extra_names = self.names, self.extra_names
        decisions = self.decisions(names)
        if self.kept_rows == 0:
            # A header and no rows: an empty table with its columns is the useful answer.
            self.provisional = decisions
            self.replaced, self.appended = self._prepare_target(names, decisions)
            self.base_rowid = self.connection.execute(
                f"SELECT coalesce(max(rowid), 0) FROM {naming.quote(self.name)}").fetchone()[0]
            self.next_rowid = self.base_rowid + 1
        if self.appended and self.max_extras:
            self._check_append_extras()
        if self.redo:
            self._second_pass(decisions)
            extra_names = self.extra_names
        written = self.next_rowid - self.base_rowid - 1
        if written != self.kept_rows:
            raise RuntimeError(f"row count mismatch: profiled {self.kept_rows}, written {written}")
        # Records read: every non-blank record after the header, and the lines above it.
        self.rows_read += len(self.table.skipped_lines) - self.empty_rows
        base_rowid, replaced, appended = self.base_rowid, self.replaced, self.appended
        kept_totals, suspect_totals = totalrows.set_aside_totals(self, names, decisions)
        self.subtotal_lines = totalrows.subtotal_lines(self, names, decisions)
        self.section_column = add_section_column(self, names + extra_names)
        label = next((name for name, decision in zip(names, decisions) if decision.sql_type == "TEXT"), None)
        self.repeated_blocks = [] if self.section_column or self.options.append else repeated_blocks(self, label)
        return recording.finish(self, fmt, size, digest, started, labels, decisions, extra_names,
                                base_rowid, replaced, appended, kept_totals, suspect_totals)

    # -- big files: parts loaded by several processes ------------------------------------------------

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
        self._create_table(names, decisions)
        return bool(exists), False

    def _create_table(self, names: list[str], decisions: list[ColumnType]) -> None:
        declared = []
        for name, decision in zip(names, decisions):
            # Dates are ISO text; declaring them TEXT keeps SQLite from turning a misfit into a number.
            sql_type = decision.sql_type if decision.sql_type in ("INTEGER", "REAL") else "TEXT"
            declared.append(f"{naming.quote(name)} {sql_type}")
        self.connection.execute(f"CREATE TABLE {naming.quote(self.name)} ({', '.join(declared)})")

    def _check_append_extras(self) -> None:
        raise DatactivisteError(
            _("Cannot append: some rows have more values than the table has columns."), path=str(self.path),
            hint=_("Import into a new table with --table NAME, or without --append to replace it."))
