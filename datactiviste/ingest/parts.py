"""The parallel stage of an import: a big delimited file loaded in parts, one process each.

`plan` cuts the file at record boundaries (split.py). The main process's loader streams the
first part straight into the target table while worker processes (parallel.py) run `load_part`:
the same TableLoader, into a scratch database. Each finished part is absorbed: its counts and
column profiles added up, its provisional decisions compared with the main one's, its rows copied
after the main part's. If a part decided other types, or a cut fell inside a quoted field, the
loader knows what to do: a second pass with the final types, or one process for the whole file
(SplitFailed, undone by `savepoint`). The database is identical to what one process writes.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, replace

from datactiviste.ingest import ahead
from datactiviste.ingest import names as naming
from datactiviste.ingest import split
from datactiviste.ingest.delimited import csv_batches
from datactiviste.ingest.readers import Table
from datactiviste.ingest.rows import LISTED_LINES
from datactiviste.ingest.types import ColumnProfile, ColumnType, merge_profiles


def changed(before: list[ColumnType], after: list[ColumnType]) -> bool:
    """True when rows converted with `before` would not read the same under `after`."""
    return any((a.sql_type, a.decimal, a.date_order) != (b.sql_type, b.decimal, b.date_order)
               for a, b in zip(before, after))


@dataclass
class PartSummary:
    """A worker's part: counts, profiles, provisional decisions and where its rows came from."""

    profiles: list[ColumnProfile]
    provisional: list[ColumnType] | None
    redo: bool
    kept_rows: int
    data_records: int
    rows_read: int
    empty_rows: int
    padded: int
    extra_rows: int
    short_lines: list
    extra_lines: list
    rejoined: int
    rejoined_lines: list
    other_headers: list
    folded_rows: int
    max_extras: int
    footer_lines: int
    notes: list
    footer_cells: list          # the cells of its "footer" notes, in their order
    tail_cells: dict            # line -> cells of its last records (the last part's serve set-aside totals)
    line_runs: list
    ends_inside_quotes: bool
    line_after: int | None      # the line after its last record (counted from 1 when Part.first_line is None)


class SplitFailed(Exception):
    """The parts could not be loaded separately; the file is loaded in one process instead."""


@contextmanager
def savepoint(connection):
    """Undo everything done inside when SplitFailed is raised (the outer transaction goes on)."""
    connection.execute("SAVEPOINT parts")
    try:
        yield
    except SplitFailed:
        connection.execute("ROLLBACK TO parts")
        connection.execute("RELEASE parts")
        raise
    connection.execute("RELEASE parts")


def plan(loader, size: int) -> list:
    jobs = loader.options.jobs
    if jobs == 1 or loader.scratch is None or not split.splittable(loader.table):
        return []
    count = jobs if jobs else ahead.automatic_parts(size)
    return split.plan_parts(loader.table.layout, count, size) if count > 1 else []


def load_in_parts(loader, parts) -> None:
    """Load parts[0] here while worker processes load the others, then merge (module parallel)."""
    from datactiviste.ingest import parallel   # multiprocessing: imported only for big files

    table = {key: value for key, value in loader.table.__dict__.items() if key != "batches"}
    options = replace(loader.options, progress=None, indexing=None, append=False)
    jobs = [parallel.PartJob(table=table, name=loader.name, options=options, part=part,
                             last=index == len(parts) - 1, database=loader.scratch / f"part{index}.db")
            for index, part in enumerate(parts[1:], start=1)]
    progress = loader.options.progress
    try:
        workers = parallel.Workers(jobs, standby=loader.standby).start()
    except parallel.Unavailable:
        raise SplitFailed() from None
    with workers:
        def report(position: int) -> None:
            progress(position + workers.bytes_done())

        first = parts[0]
        loader.stream(csv_batches(loader.table.layout, skip_records=loader.table.layout.skip_records,
                                 progress=report if progress else None, end=first.end), last=False)
        if loader.ends_inside_quotes():
            raise SplitFailed()
        loader.line_after_parts = loader.line_after_last()
        waiting = (lambda: report(first.end)) if progress else None
        for job, (status, summary) in workers.outcomes(waiting):
            if status != "ok" or summary.ends_inside_quotes and not job.last:
                raise SplitFailed()
            absorb(loader, job, summary)
        if progress:
            progress(loader.table.layout.path.stat().st_size)   # every part read (a worker reports per batch)
    if not loader.redo and loader.provisional is not None and changed(loader.provisional, loader.decisions(loader.names)):
        loader.redo = True

def summary_of(loader) -> "PartSummary":
    """What the main process needs from a worker's part (see _absorb)."""
    profiles = [replace(profile, _union=None, _strict=None, _union_key=None) for profile in loader.profiler.columns]
    return PartSummary(
        profiles=profiles, provisional=loader.provisional, redo=loader.redo, kept_rows=loader.kept_rows,
        data_records=loader.data_records, rows_read=loader.rows_read, empty_rows=loader.empty_rows,
        padded=loader.padded, extra_rows=loader.extra_rows, short_lines=loader.short_lines,
        rejoined=loader.rejoined, rejoined_lines=loader.rejoined_lines, other_headers=loader.other_headers,
        extra_lines=loader.extra_lines, folded_rows=loader.folded_rows, max_extras=loader.max_extras,
        footer_lines=loader.footer_lines, notes=loader.notes, footer_cells=loader.footer_cells,
        tail_cells=loader.tail_cells,
        line_runs=loader.lines.runs,
        ends_inside_quotes=loader.ends_inside_quotes(), line_after=loader.line_after_last())

def absorb(loader, job, part: "PartSummary") -> None:
    """Add a worker's counts and profiles; copy its rows unless a second pass will redo them.

    A part cut without counting the lines before it (split._quick_parts) numbered its lines from
    1: they are moved by the lines of the parts before it, known now that those were read.
    """
    line_shift = 0
    if job.part.first_line is None:
        if loader.line_after_parts is None or part.line_after is None:
            raise SplitFailed()          # a part without any record: let one process count
        line_shift = loader.line_after_parts - 1
        part.notes = [(None if line is None else line + line_shift, raw, reason) for line, raw, reason in part.notes]
    loader.line_after_parts = None if part.line_after is None else part.line_after + line_shift
    for counter in ("rows_read", "empty_rows", "padded", "extra_rows", "folded_rows", "footer_lines", "data_records",
                    "rejoined"):
        setattr(loader, counter, getattr(loader, counter) + getattr(part, counter))
    loader.notes += part.notes
    for kind in ("short_lines", "extra_lines", "rejoined_lines", "other_headers"):   # in file order: the parts come in it
        listed = getattr(loader, kind)
        listed += [line + line_shift for line in getattr(part, kind)][:max(0, LISTED_LINES - len(listed))]
    loader.section_lines.update(line for line, _raw, reason in part.notes if reason in ("section", "comment"))   # rows.clean
    loader.footer_cells += part.footer_cells
    if job.last:
        loader.tail_cells = {line + line_shift: cells for line, cells in part.tail_cells.items()}
    loader.max_extras = max(loader.max_extras, part.max_extras)
    merge_profiles(loader.profiler.columns, part.profiles)
    if not part.kept_rows:
        return
    if loader.provisional is None:
        raise SplitFailed()       # the first part had no data rows: let one process sort it out
    loader.kept_rows += part.kept_rows
    if loader.redo or part.redo or part.max_extras or changed(loader.provisional, part.provisional):
        loader.redo = True           # the second pass converts the whole file with the final types
        return
    alias = job.database.stem     # part1, part2…: one name per scratch database
    loader.connection.execute("ATTACH DATABASE ? AS " + alias, (str(job.database),))
    quoted = naming.quote(loader.name)
    shift = loader.next_rowid - 1
    # Each copied row gets the next rowid, in the part's order (its rowids are 1..n). Into a new
    # table, which has no index or trigger yet, `INSERT … SELECT *` is SQLite's transfer
    # optimisation: records are copied without being decoded (500k rows: 0.54 s -> 0.22 s).
    order = " ORDER BY rowid" if loader.appended else ""
    loader.connection.execute(f"INSERT INTO main.{quoted} SELECT * FROM {alias}.{quoted}{order}")
    last = loader.connection.execute(f"SELECT max(rowid) FROM main.{quoted}").fetchone()[0]
    if last != shift + part.kept_rows:
        raise RuntimeError(f"part {alias}: last rowid {last}, expected {shift + part.kept_rows}")
    loader.lines.extend(part.line_runs, shift, line_shift)
    loader.next_rowid += part.kept_rows


def load_part(job, progress) -> PartSummary:
    """In a worker process: load one part of a big file into the scratch database `job.database`."""
    from datactiviste.ingest.load import TableLoader, collector_paused   # load imports this module

    fields = dict(job.table)
    layout, part = fields["layout"], job.part
    table = Table(batches=lambda: csv_batches(layout, progress=progress, start=part.start, end=part.end,
                                              first_line=part.first_line), **fields)
    connection = sqlite3.connect(job.database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        loader = TableLoader(connection, layout.path, table, job.name, job.options)
        loader.names = naming.column_names(loader.labels(), keep_names=job.options.keep_names)
        with collector_paused():
            loader.stream(table.batches(), last=job.last)
        connection.execute("COMMIT")
        return summary_of(loader)
    finally:
        connection.close()
