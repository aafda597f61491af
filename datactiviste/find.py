"""Search every full-text index of a database: the rows, grouped by table, with highlighted words.

One function for `datactiviste search` (terminal) and the search page of `serve` (Datasette, in
its thread through `Database.execute_fn`), so both find the same rows. The indexes are the
`<table>_fts` tables that `ingest.search` builds (or that sqlite-utils `enable-fts` made).

Speed on big tables (benchmarks/search_speed.py): rows come in the table's order, not ranked, so
a query stops after `limit` rows instead of scoring every match; counts stop at `COUNT_CAP`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from datactiviste.ingest.names import looks_like_identifier, quote
from datactiviste.ingest.search import fts_table, indexed_columns, match_expression
from datactiviste.project import data_tables

START, END = "\x02", "\x03"      # around a matched word in `Hit.snippet`; never in the data shown
COUNT_CAP = 10_000
SNIPPET_WORDS = 12




@dataclass
class Hit:
    rowid: int
    snippet: str                       # START/END mark the matched words
    values: dict[str, object]          # the row's key columns: identifiers, then names and labels


@dataclass
class TableHits:
    table: str
    columns: list[str]                 # indexed columns
    total: int                         # rows matching (at most COUNT_CAP)
    keys: list[str] = field(default_factory=list)   # columns shown for each row (key_columns)
    capped: bool = False               # True when there are more than COUNT_CAP
    hits: list[Hit] = field(default_factory=list)


def searchable_tables(connection: sqlite3.Connection) -> list[str]:
    """The data tables that have a full-text index."""
    return [table for table in data_tables(connection) if fts_table(connection, table)]


def search_tables(connection: sqlite3.Connection, query: str, table: str | None = None,
                  limit: int = 10) -> list[TableHits]:
    """Rows matching `query` in every searchable table (or only `table`), most matches first."""
    expression = match_expression(query)
    if expression == '""':
        return []
    tables = [table] if table else searchable_tables(connection)
    found = []
    for name in tables:
        fts = fts_table(connection, name)
        if fts is None:
            continue
        result = _search_table(connection, name, fts, expression, limit)
        if result.total:
            found.append(result)
    return sorted(found, key=lambda r: (-r.total, r.table))


def key_columns(connection: sqlite3.Connection, table: str, columns: list[str]) -> list[str]:
    """What identifies a row to a reader: its primary key or first two identifier columns
    (code_commune, identifiant), then the indexed columns."""
    info = connection.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
    if not keys:
        keys = [row[1] for row in info if looks_like_identifier(row[1])][:2]
    return keys + [c for c in columns if c not in keys]


def _search_table(connection, table: str, fts: str, expression: str, limit: int) -> TableHits:
    columns = indexed_columns(connection, table)
    keys = key_columns(connection, table, columns)
    total = connection.execute(
        f"SELECT count(*) FROM (SELECT rowid FROM {quote(fts)} WHERE {quote(fts)} MATCH ? LIMIT ?)",
        (expression, COUNT_CAP + 1)).fetchone()[0]
    result = TableHits(table=table, columns=columns, keys=keys, total=min(total, COUNT_CAP),
                       capped=total > COUNT_CAP)
    if not total or limit <= 0:
        return result
    selected = ", ".join(f"t.{quote(c)}" for c in keys)
    rows = connection.execute(
        f"SELECT f.rowid, snippet({quote(fts)}, -1, ?, ?, '…', ?), {selected} "
        f"FROM {quote(fts)} AS f JOIN {quote(table)} AS t ON t.rowid = f.rowid "
        f"WHERE {quote(fts)} MATCH ? ORDER BY f.rowid LIMIT ?",
        (START, END, SNIPPET_WORDS, expression, limit)).fetchall()
    for rowid, snippet, *values in rows:
        result.hits.append(Hit(rowid=rowid, snippet=snippet or "", values=dict(zip(keys, values))))
    return result


def plain(snippet: str, start: str = "", end: str = "") -> str:
    """A snippet with its marks replaced (by nothing, or by `start`/`end`)."""
    return snippet.replace(START, start).replace(END, end)
