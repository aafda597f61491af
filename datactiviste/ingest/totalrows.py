"""The last stage of a load: rows that repeat the sum of others set aside, once the table is written.

totals.py and sums.py find them with SQL on the stored table (labelled totals, unlabelled last
rows and block subtotals, notes under the table that are sums); this module acts on what they
find for a TableLoader: deletes the rows that add up (unless --keep-totals), keeps and flags those
that do not, and quotes each as the file writes it (`2 497 500`, not the stored 2497500).
"""

from __future__ import annotations

from datactiviste.ingest import names as naming
from datactiviste.ingest import sums, totals
from datactiviste.ingest.records import excerpt

REREAD_ROWS = 20_000   # a table this small is read again to quote a set-aside total as the file writes it


def set_aside_totals(loader, names, decisions) -> tuple[list[dict], list[dict]]:
    """Rows labelled like a total, or last rows that are sums: set aside when their numbers add up (see totals.py)."""
    _footers_that_add_up(loader, names, decisions)
    columns = [(name, decision.sql_type, decision.kind) for name, decision in zip(names, decisions)]
    found = totals.find_totals(loader.connection, loader.name, columns, loader.base_rowid)
    if not found:
        return [], []
    quoted = naming.quote(loader.name)
    kept, suspect, removed = [], [], []
    sources = source_texts(loader, {loader.lines.line(total.rowid) for total in found})
    for total in found:
        line = loader.lines.line(total.rowid)
        raw = sources.get(line)
        if raw is None:    # a big table's row far from its end: its stored values
            row = loader.connection.execute(f"SELECT * FROM {quoted} WHERE rowid = ?", (total.rowid,)).fetchone()
            raw = loader.raw_text(["" if value is None else str(value) for value in row])
        entry = {"line": line, "text": excerpt(raw), "reason": "total", "columns": total.matched,
                 "group": total.group}
        if not total.adds_up:
            suspect.append({**entry, "reason": "suspect-total"})
        elif loader.options.keep_totals:
            kept.append(entry)
        else:
            removed.append(total.rowid)
            loader.notes.append((line, raw, "total"))
    if removed:
        loader.connection.execute(f"DELETE FROM {quoted} WHERE rowid IN ({','.join(map(str, removed))})")
        loader.totals += len(removed)
        loader.kept_rows -= len(removed)
    return kept, suspect


def subtotal_lines(loader, names, decisions) -> list[int]:
    """The lines of the rows kept that are subtotals over their parts (sums.subtotals_over_parts)."""
    numbers = [name for name, decision in zip(names, decisions) if decision.sql_type in ("INTEGER", "REAL")]
    if loader.options.append or not numbers or loader.kept_rows > sums.SMALL_TABLE:
        return []         # a dataset, not a published table of levels (and no walk over its rows)
    found = sums.subtotals_over_parts(loader.connection, naming.quote(loader.name), numbers, loader.base_rowid)
    return [loader.lines.line(rowid) for rowid in found]


def source_texts(loader, lines: set) -> dict[int, str]:
    """The file's own text of the records starting on `lines`, for the report and _anomalies to
    quote a set-aside total as the file writes it (`2 497 500`, not the stored 2497500): the last
    records are kept from the stream; a small table is read again for the others."""
    found = {line: loader.raw_text(loader.tail_cells[line]) for line in lines if line in loader.tail_cells}
    wanted = set(lines) - set(found) - {None}
    if not wanted or loader.kept_rows + loader.totals > REREAD_ROWS:
        return found
    for starts, records in loader.table.batches():
        for start, cells in zip(starts, records):
            if start in wanted:
                found[start] = loader.raw_text(cells)
                wanted.discard(start)
        if not wanted or starts[-1] > max(wanted):
            break
    return found


def _footers_that_add_up(loader, names, decisions) -> None:
    """A note under the table that is an unlabelled total (see totals.totals_among_notes) is a total."""
    footers = [i for i, note in enumerate(loader.notes) if note[2] == "footer"]
    if not footers or len(footers) != len(loader.footer_cells):
        return
    columns = [(name, decision.sql_type, decision.decimal) for name, decision in zip(names, decisions)]
    for found in totals.totals_among_notes(loader.connection, loader.name, columns, loader.base_rowid, loader.footer_cells):
        line, raw, _reason = loader.notes[footers[found]]
        loader.notes[footers[found]] = (line, raw, "total")
        loader.totals_kept_by_notes.add(line)   # set aside with the notes: --keep-notes keeps it
        loader.footer_lines -= 1
        loader.totals += 1
