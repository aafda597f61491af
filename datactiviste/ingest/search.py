"""Full-text search: which columns a person would search, and the FTS5 index that keeps them.

A journalist's first question of a table is "is this name in it?". `enable_search` gives a table
an FTS5 index (`<table>_fts`, the one sqlite-utils' `Table.enable_fts` makes, which Datasette
detects: its search box appears on the table page) over the columns worth searching:

- text columns whose values contain words: names, labels, descriptions, places;
- not codes (leading zeros, names such as `code_commune`, values such as `SN-TH` or `A12`), not
  numbers or dates, and not columns of a few repeated values (`OUI`/`NON`, seven categories:
  facets are for those, and indexing them costs import time for nothing).

The tokenizer is `unicode61 remove_diacritics 2`: `senegal` finds `Sénégal` and `SENEGAL`, `ecole`
finds `École`. Its default separators suit French (measured in tests/test_search.py): the straight
and curly apostrophes and the hyphen split words, so `ecole` finds `l'école` and `louis` finds
`Saint-Louis`, while `saint-louis` (a phrase of two words) still finds it too. Treating `'` or `-`
as part of words (`tokenchars`) would lose both.

Queries (`match_expression`) match each word as a prefix: `senegal` finds `Sénégalaise`.

Triggers keep the index in step with every later write: `import --append`, the cleaning
lessons' UPDATEs, `datactiviste sqlite-utils insert`. A re-import replaces the table, so its
index is rebuilt from scratch.

The index is the one sqlite-utils' `enable_fts` makes (same table, same triggers: Datasette and
`sqlite-utils search` find it) with one option more, `columnsize=0`: FTS5 then keeps no per-row
token counts, which only ranking (bm25) reads, and neither Datasette's search box nor `find`
ranks. It halves the time to build the index (1M rows, two text columns: 2.05 s -> 1.09 s).
"""

from __future__ import annotations

import re
import sqlite3

from datactiviste.ingest.names import looks_like_identifier, quote

TOKENIZE = "unicode61 remove_diacritics 2"
FEW_VALUES = 20          # at most this many distinct values, each repeated: a category, not a name
REPEATS = 3              # ... when the rows are at least REPEATS times the distinct values
SAMPLE = 500             # values looked at to tell words from codes
MAX_COLUMNS = 8
_WORD = re.compile(r"[^\W\d_]{2,}")
_CODE = re.compile(r"^[\W\d_]*$|^(?=.*\d)[A-Z0-9_./-]{1,12}$")
_FTS_SUFFIX = "_fts"




def searchable_columns(connection: sqlite3.Connection, table: str, kinds: dict[str, str] | None = None) -> list[str]:
    """The columns of `table` a person would search (see the module docstring).

    `kinds` maps a column to the importer's kind (text, code, date...); without it the declared
    SQL type is used. A table whose only worded columns are categories (ville, pays, produit in
    a price table) gets those, so that every table with words has a search box; yes/no flags and
    units (two values or fewer) never.
    """
    quoted = quote(table)
    rows = connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
    if not rows:
        return []
    names, categories = [], []
    for _cid, name, declared, _notnull, _default, pk in connection.execute(f"PRAGMA table_info({quoted})").fetchall():
        kind = (kinds or {}).get(name)
        if pk or (declared or "").upper() not in ("TEXT", "") or looks_like_identifier(name):
            continue
        if kind is not None and kind not in ("text", "extra"):
            continue
        sample = _sample(connection, quoted, name, rows)
        worded = [value for value in sample if _WORD.search(value) and not _CODE.match(value.strip())]
        if len(worded) * 2 <= len(sample):   # mostly codes or numbers written as text (or empty)
            continue
        distinct = connection.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT {quote(name)} FROM {quoted} "
            f"WHERE {quote(name)} IS NOT NULL LIMIT {FEW_VALUES + 1})").fetchone()[0]
        short = sum(len(value.split()) for value in worded) <= 2 * len(worded)
        if distinct <= FEW_VALUES and rows >= REPEATS * distinct and short:
            if distinct > 2:
                categories.append(name)
        else:
            names.append(name)
    return (names or categories)[:MAX_COLUMNS]


def _sample(connection, quoted_table: str, column: str, rows: int) -> list[str]:
    """Up to SAMPLE non-empty text values of `column`, spread over the table in file order.

    NOT INDEXED: through an index on the column SQLite would return the values sorted, the
    first SAMPLE all alike."""
    step = max(1, rows // (4 * SAMPLE))
    return [value for (value,) in connection.execute(
        f"SELECT {quote(column)} FROM {quoted_table} NOT INDEXED WHERE rowid % {step} = 0 "
        f"AND typeof({quote(column)}) = 'text' AND trim({quote(column)}) != '' LIMIT {SAMPLE}")]


def fts_table(connection: sqlite3.Connection, table: str) -> str | None:
    """The name of `table`'s full-text index, or None."""
    name = table + _FTS_SUFFIX
    found = connection.execute("SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%VIRTUAL TABLE%'",
                               (name,)).fetchone()
    return name if found else None


def indexed_columns(connection: sqlite3.Connection, table: str) -> list[str]:
    """The columns `table`'s full-text index covers ([] without one)."""
    name = fts_table(connection, table)
    if name is None:
        return []
    return [row[1] for row in connection.execute(f"PRAGMA table_info({quote(name)})")]


def enable_search(connection: sqlite3.Connection, table: str, kinds: dict[str, str] | None = None,
                  rebuild: bool = True) -> list[str]:
    """Give `table` its full-text index (with triggers); returns the columns indexed.

    `rebuild`: drop any previous index first (the table was replaced). Without it an existing
    index is kept, its triggers having indexed the appended rows already; rows its triggers could
    not see (an index built before them) are added.
    """
    if not rebuild and fts_table(connection, table):
        _index_missing_rows(connection, table)
        return indexed_columns(connection, table)
    disable_search(connection, table)
    columns = searchable_columns(connection, table, kinds)
    if not columns:
        return []
    _create_index(connection, table, columns)
    return columns


def _create_index(connection: sqlite3.Connection, table: str, columns: list[str]) -> None:
    """The FTS5 table over `columns`, filled from `table`, and the triggers that keep it in step."""
    fts, source = quote(table + _FTS_SUFFIX), quote(table)
    names = ", ".join(quote(c) for c in columns)
    old = ", ".join("old." + quote(c) for c in columns)
    new = ", ".join("new." + quote(c) for c in columns)
    tokenize = "'" + TOKENIZE.replace("'", "''") + "'"
    connection.execute(f"CREATE VIRTUAL TABLE {fts} USING FTS5 ({names}, tokenize={tokenize}, "
                       f"content={source}, columnsize=0)")
    connection.execute(f"INSERT INTO {fts} (rowid, {names}) SELECT rowid, {names} FROM {source}")
    delete = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old});"
    insert = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.rowid, {new});"
    for suffix, event, body in (("_ai", "INSERT", insert), ("_ad", "DELETE", delete),
                                ("_au", "UPDATE", delete + " " + insert)):
        connection.execute(f"CREATE TRIGGER {quote(table + suffix)} AFTER {event} ON {source} BEGIN {body} END")


def _index_missing_rows(connection, table: str) -> None:
    """Index rows added after the last indexed rowid (the triggers normally did it already).

    Only an index that keeps per-row sizes (made by an earlier version, or by sqlite-utils) says
    which rows it has; ours (columnsize=0) were kept in step by their triggers from the start."""
    fts = table + _FTS_SUFFIX
    if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (fts + "_docsize",)).fetchone():
        return
    columns = indexed_columns(connection, table)
    last = connection.execute(f"SELECT coalesce(max(id), 0) FROM {quote(fts + '_docsize')}").fetchone()[0]
    names = ", ".join(quote(c) for c in columns)
    connection.execute(f"INSERT INTO {quote(fts)} (rowid, {names}) "
                       f"SELECT rowid, {names} FROM {quote(table)} WHERE rowid > ?", (last,))


def disable_search(connection: sqlite3.Connection, table: str) -> None:
    """Drop `table`'s full-text index and its triggers, if any."""
    for suffix in ("_ai", "_ad", "_au"):
        connection.execute(f"DROP TRIGGER IF EXISTS {quote(table + suffix)}")
    connection.execute(f"DROP TABLE IF EXISTS {quote(table + _FTS_SUFFIX)}")


_TERM = re.compile(r'"[^"]*"|[^\s"]+')


def match_expression(query: str) -> str:
    """A user's words as an FTS5 query: every word (or "quoted phrase") must match as a prefix.

    Punctuation is the tokenizer's business, so `l'école` and `saint-louis` are phrases, and
    nothing typed can be an FTS5 syntax error (AND, OR, NEAR, * and ( ) are just words). With
    no word at all it is `""`, which matches nothing (an empty MATCH is an error).
    """
    terms = []
    for term in _TERM.findall(query or ""):
        words = term.strip('"').replace('"', " ").strip()
        if _WORD.search(words) or re.search(r"\w", words):
            terms.append('"' + words + '"*')
    return " ".join(terms) or '""'


def index_results(connection: sqlite3.Connection, results, build: bool = True) -> None:
    """The importer's hook: index each imported table; `result.searchable` says which columns.

    An appended table keeps its index (its triggers indexed the new rows); a replaced or new one
    gets a fresh index chosen from the importer's column kinds. With `build` False (--no-search)
    a replaced table's old index is dropped: it described rows that are gone.
    """
    for result in results:
        if not build:
            if not result.appended:
                disable_search(connection, result.table)
            continue
        kinds = {column.name: column.kind for column in result.columns}
        result.searchable = enable_search(connection, result.table, kinds, rebuild=not result.appended)
