"""What an import writes beside its table, and the report it returns.

`_sources` gets one row per import (file, checksum, encoding, delimiter, header line, counts, the
columns' types and the report as JSON); `_anomalies` one row per line set aside (preamble,
footnote, total, repeated header) and per value that did not convert, with its source line,
found by one SQL scan of the new rows. The loader (load.py) calls `finish` once its rows are in.
"""

from __future__ import annotations

import datetime
import json
import re
import time

from datactiviste.ingest import names as naming
from datactiviste.ingest.results import ColumnReport, ImportResult
from datactiviste.ingest.types import ColumnType


def finish(loader, fmt, size, digest, started, labels, decisions, extra_names, base_rowid, replaced, appended,
           kept_totals, suspect_totals) -> ImportResult:
    """Record the source, log the anomalies and return the report of a loaded table (also kept in
    `_sources.report`). Checks that every record read is a row written or a line set aside."""
    names = loader.names
    written = loader.kept_rows
    source_id = record_source(loader, fmt, size, digest, names, labels, decisions, extra_names)
    anomaly_counts, examples = log_anomalies(loader, source_id, names, decisions, base_rowid)
    columns = column_reports(loader, names, labels, decisions, anomaly_counts, examples)
    for name in extra_names:
        columns.append(ColumnReport(position=len(columns) + 1, name=name, label="", type="TEXT",
                                    kind="extra", reason="extra-fields"))
    if loader.section_column:
        columns.append(ColumnReport(position=len(columns) + 1, name=loader.section_column, label="", type="TEXT",
                                    kind="section", reason="section-titles"))
    encoding = loader.table.encoding
    result = ImportResult(
        table=loader.name, database="", file_name=loader.path.name, file_size=size, sha256=digest,
        format=fmt, sheet=loader.table.sheet,
        encoding=encoding.label if encoding else None, encoding_reason=encoding.reason if encoding else None,
        repaired_mojibake=bool(encoding and encoding.repaired_mojibake),
        legacy_lines=list(encoding.legacy_lines[:20]) if encoding else [],
        legacy_encoding=encoding.legacy_label if encoding and encoding.mixed_legacy else None,
        value_flags=bool(loader.table.layout and loader.table.layout.value_flags),
        excel_text=bool(loader.table.layout and loader.table.layout.excel_text),
        empty_marker=loader.table.layout.empty_marker if loader.table.layout else None,
        padded_quotes=bool(loader.table.layout and loader.table.layout.padded),
        stray_quotes=bool(loader.table.layout and loader.table.layout.stray_quotes),
        nul_bytes=encoding.nul_bytes if encoding else 0,
        delimiter=loader.table.delimiter, header_line=loader.table.header_line,
        header_reason=loader.table.header_reason, rows_read=loader.rows_read, rows_written=written,
        empty_rows=loader.empty_rows, repeated_headers=sum(1 for n in loader.notes if n[2] == "repeated-header"),
        section_rows=sum(1 for n in loader.notes if n[2] == "section"), folded_rows=loader.folded_rows,
        footer_lines=loader.footer_lines,
        skipped_lines=sum(1 for skipped in loader.table.skipped_lines if skipped[2:3] in ((), ("preamble",))),
        header_rows=sum(1 for skipped in loader.table.skipped_lines if skipped[2:3] not in ((), ("preamble",))),
        padded_rows=loader.padded, extra_field_rows=loader.extra_rows, extra_columns=loader.max_extras,
        short_lines=list(loader.short_lines), extra_lines=list(loader.extra_lines),
        rejoined_rows=loader.rejoined, rejoined_lines=list(loader.rejoined_lines),
        other_headers=list(loader.other_headers), repeated_blocks=list(loader.repeated_blocks),
        subtotal_lines=list(loader.subtotal_lines), merged_filled=loader.table.merged_filled,
        blocks=loader.table.blocks, block_line=loader.table.block_line or loader.table.header_line,
        columns=columns, replaced=replaced, appended=appended,
        anomalies=sum(anomaly_counts.values()) + len(loader.notes) + len(loader.table.skipped_lines),
        seconds=round(time.perf_counter() - started, 3), source_id=source_id, parts=loader.parts,
        totals=loader.totals, kept_totals=kept_totals, suspect_totals=suspect_totals)
    result.set_aside = [{"line": line, "text": excerpt(raw), "reason": reason[0] if reason else "preamble"}
                        for line, raw, *reason in loader.table.skipped_lines[:MAX_LISTED]]
    result.set_aside += [{"line": line, "text": excerpt(raw), "reason": reason,
                          **({"keep": "--keep-notes"} if reason == "total" and line in loader.totals_kept_by_notes else {})}
                         for line, raw, reason in sorted(loader.notes, key=lambda n: n[0] or 0)[:MAX_LISTED]]
    result.set_aside_count = len(loader.table.skipped_lines) + len(loader.notes)
    if loader.rows_read != written + result.set_aside_count:
        raise RuntimeError(f"records {loader.rows_read} != rows {written} + set aside {result.set_aside_count}")
    result.database = loader.connection.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
    loader.connection.execute(
        "UPDATE _sources SET rows_read = ?, report = ? WHERE id = ?",
        (loader.rows_read, json.dumps(result.to_dict(), ensure_ascii=False), source_id))
    return result


def record_source(loader, fmt, size, digest, names, labels, decisions, extra_names) -> int:
    columns = []
    for position, (name, label, decision) in enumerate(zip(names, labels, decisions), start=1):
        columns.append({"position": position, "name": name, "label": label, "type": decision.sql_type,
                        "kind": decision.kind, "decimal": decision.decimal, "date_order": decision.date_order,
                        "unit": decision.unit, "overridden": decision.overridden})
    added = [(name, "extra") for name in extra_names]
    if loader.section_column:
        added.append((loader.section_column, "section"))
    for name, kind in added:
        columns.append({"position": len(columns) + 1, "name": name, "label": "", "type": "TEXT",
                        "kind": kind, "decimal": None, "date_order": None, "unit": None, "overridden": False})
    encoding = loader.table.encoding
    cursor = loader.connection.execute(
        "INSERT INTO _sources (table_name, file_name, file_size, sha256, imported_at, format, sheet, encoding, "
        "delimiter, header_line, rows_read, rows_written, mode, columns, licence, source_url) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (loader.name, loader.path.name, size, digest,
         datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
         fmt, loader.table.sheet, encoding.label if encoding else None, loader.table.delimiter,
         loader.table.header_line, loader.rows_read, loader.kept_rows, "append" if loader.options.append else "replace",
         json.dumps(columns, ensure_ascii=False), loader.options.licence, loader.options.source_url))
    return cursor.lastrowid

def log_anomalies(loader, source_id: int, names: list[str], decisions: list[ColumnType], base_rowid: int):
    insert = ("INSERT INTO _anomalies (table_name, source_id, source_line, column_name, raw_value, reason) "
              "VALUES (?, ?, ?, ?, ?, ?)")
    rows = [(loader.name, source_id, line, None, raw, reason[0] if reason else "preamble")
            for line, raw, *reason in loader.table.skipped_lines]
    rows += [(loader.name, source_id, line, None, raw, reason) for line, raw, reason in loader.notes]
    counts: dict[str, int] = {}
    examples: dict[str, list[str]] = {}
    checks = []
    for name, decision, profile in zip(names, decisions, loader.profiler.columns):
        column = naming.quote(name)
        if decision.sql_type in ("INTEGER", "REAL"):
            if decision.uniform and not profile.text:
                continue  # the profile proved every value converts: nothing to look for
            checks.append((name, f"typeof({column}) = 'text'", "not-a-number"))
        elif decision.sql_type in ("DATE", "DATETIME") and not profile.dates_unproven:
            continue  # every value was checked as it was converted (convert._converted_date)
        elif decision.sql_type == "DATE":
            # '+0 days' makes SQLite compute the day: date('2024-02-30') is itself, not a day
            checks.append((name, f"{column} IS NOT NULL AND date({column}, '+0 days') IS NOT {column}",
                           "not-a-date"))
        elif decision.sql_type == "DATETIME":
            day = f"substr({column}, 1, 10)"
            checks.append((name, f"{column} IS NOT NULL AND (datetime({column}) IS NULL "
                                 f"OR date({day}, '+0 days') IS NOT {day})", "not-a-date"))
    if checks:
        # One scan of the new rows for all columns at once.
        flags = ", ".join(f"({condition})" for _name, condition, _reason in checks)
        values = ", ".join(naming.quote(name) for name, _condition, _reason in checks)
        any_flag = " OR ".join(f"({condition})" for _name, condition, _reason in checks)
        query = (f"SELECT rowid, {flags}, {values} FROM {naming.quote(loader.name)} "
                 f"WHERE rowid > ? AND ({any_flag}) ORDER BY rowid")
        for row in loader.connection.execute(query, (base_rowid,)):
            rowid, row_flags, row_values = row[0], row[1:1 + len(checks)], row[1 + len(checks):]
            line = loader.lines.line(rowid)
            for (name, _condition, reason), flagged, value in zip(checks, row_flags, row_values):
                if flagged:
                    counts[name] = counts.get(name, 0) + 1
                    column_examples = examples.setdefault(name, [])
                    if len(column_examples) < 3 and str(value) not in column_examples:
                        column_examples.append(str(value))
                    rows.append((loader.name, source_id, line, name, value, reason))
    loader.connection.executemany(insert, rows)
    return counts, examples

def column_reports(loader, names, labels, decisions, anomaly_counts, examples) -> list[ColumnReport]:
    reports = []
    for position, (name, label, decision, profile) in enumerate(
            zip(names, labels, decisions, loader.profiler.columns), start=1):
        typed_column = decision.sql_type != "TEXT"
        reports.append(ColumnReport(
            position=position, name=name, label=label, type=decision.sql_type, kind=decision.kind,
            reason=decision.reason, decimal=decision.decimal, date_order=decision.date_order,
            unit=decision.unit, empty=profile.empty, markers=dict(profile.markers) if typed_column or decision.reason in ("only-markers", "only-missing-numbers", "only-missing-marks") else {},
            anomalies=anomaly_counts.get(name, 0), examples=examples.get(name, []),
            overridden=decision.overridden, utc=profile.utc_converted, order_from=decision.order_from))
    return reports


MAX_LISTED = 50     # set-aside lines listed one by one in the report (all are in _anomalies)


def excerpt(raw: str, length: int = 60) -> str:
    """The first characters of a line, on one line."""
    text = re.sub(r"\s+", " ", raw or "").strip()
    return text if len(text) <= length else text[:length - 1] + "…"
