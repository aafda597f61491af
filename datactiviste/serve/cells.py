"""Numbers and BLOBs in Datasette's HTML cells, written the reader's way: '1 234 567,5' (fr),
'1,234,567.5' (en); '<Binaire : 1 234 octets>' (fr), '<Binary: 1,234 bytes>' (en).

Datasette asks our `render_cell` hook for every cell of a table, row or query page. Only the
HTML changes: the JSON, CSV and SQL outputs keep the stored values, and sorting, facets and
filters work on them as before. For one cell, `CellNumbers.render` decides:

- only int and float values are written anew; text that looks like a number, bytes, None (and
  bool, which SQLite never returns) are left to Datasette;
- primary keys, rowid and foreign keys are left to Datasette (None): it shows them as links
  (an expanded foreign key even reaches us as a dict) and with their raw digits;
- columns named like an identifier, a year or a code (`ingest.names.looks_like_identifier`) keep their
  digits ungrouped: '2024', '75001', '12345678' (a decimal part still gets the reader's mark);
- every other number shows its shortest exact decimal (`format_exact`: never rounded, never
  the binary noise of a sum, '49,4' not '49,400000000000006'), grouped by three only when its
  integer part has 5 digits or more, so '2024' and '1234' stay as written;
- a REAL column whose values carry cents (`formats.column_decimals` over the first
  `DECIMALS_SAMPLE` numbers) shows every value with two decimals: '244 000,50', not '244 000,5'.

On the query page Datasette passes no table, so only the column name counts there.

A BLOB (bytes) on a table or row page gets Datasette's own download link (`blob_cell`), with
its size in the reader's language, plural and digits; Datasette would write it in English. The
query page builds its BLOB link from the request, which the hook does not receive: there
Datasette's English label stays.

It runs for every cell of every uncached page, so it stays cheap: a type check, two set or
cache lookups and the formatting. The keys of a table are read once (Datasette's own
`primary_keys` and `foreign_keys_for_table`) and kept: for good on an immutable database
(classroom mode), for `KEYS_FRESH_SECONDS` on a writable one, where an import may change a
table while it is served.
"""

from __future__ import annotations

import time

from markupsafe import Markup, escape

from datactiviste.i18n.formats import NBSP, column_decimals, format_exact, format_number, format_size
from datactiviste.ingest.names import looks_like_identifier, quote

KEYS_FRESH_SECONDS = 2.0
DECIMALS_SAMPLE = 2000  # numbers read per REAL column to decide whether it carries cents


class CellNumbers:
    """The numbers of one Datasette instance's HTML cells, in its language."""

    def __init__(self, language: str, translator=None):
        self.language = language
        self.translator = translator  # for the BLOB label; None: BLOBs are left to Datasette
        self._keys: dict[tuple[str, str], tuple[frozenset, float]] = {}
        self._decimals: dict[tuple[str, str], dict[str, int]] = {}  # filled with the keys
        self._primary_keys: dict[tuple[str, str], list[str]] = {}  # in order, filled with the keys

    def render(self, value, column: str, table: str | None, database: str, datasette, row=None):
        """The text to show, None to let Datasette render the cell, or an awaitable of either."""
        kind = type(value)
        if kind is bytes and table is not None and row is not None and self.translator is not None:
            return self._render_blob(value, column, table, database, datasette, row)
        if kind is not int and kind is not float:
            return None
        if table is None:
            return self._format(value, column)
        found = self._keys.get((database, table))
        if found is None or found[1] < time.monotonic():
            return self._render_after_lookup(value, column, table, database, datasette)
        return None if column in found[0] else self._format(
            value, column, self._decimals.get((database, table), {}).get(column))

    def _format(self, value, column: str, decimals: int | None = None) -> str | None:
        # None for an infinity (SQLite can store one): Datasette then shows 'inf'
        return format_exact(value, self.language, group=not looks_like_identifier(column),
                            decimals=decimals) or None

    async def _render_after_lookup(self, value, column, table, database, datasette):
        keys = await self._read_keys(table, database, datasette)
        return None if column in keys else self._format(
            value, column, self._decimals.get((database, table), {}).get(column))

    async def _render_blob(self, value: bytes, column, table, database, datasette, row):
        found = self._keys.get((database, table))
        if found is None or found[1] < time.monotonic():
            await self._read_keys(table, database, datasette)
        return blob_cell(value, _blob_url(datasette, database, table, column, row,
                                          self._primary_keys.get((database, table), [])),
                         self.translator)

    async def _read_keys(self, table: str, database: str, datasette) -> frozenset:
        """Primary key, rowid and foreign key columns of `table`, read once and kept."""
        db = datasette.databases.get(database)
        if db is None:
            return frozenset()
        primary_keys = await db.primary_keys(table)
        self._primary_keys[(database, table)] = primary_keys
        keys = {"rowid", *primary_keys}
        keys.update(fk["column"] for fk in await db.foreign_keys_for_table(table))
        keys = frozenset(keys)
        self._decimals[(database, table)] = await _cents_columns(db, table, keys)
        expires = time.monotonic() + KEYS_FRESH_SECONDS if db.is_mutable else float("inf")
        self._keys[(database, table)] = (keys, expires)
        return keys


async def _cents_columns(db, table: str, keys: frozenset) -> dict[str, int]:
    """{column: 2} for the REAL columns of `table` whose sampled values carry cents."""
    quoted = quote(table)
    columns = (await db.execute("SELECT name, type FROM pragma_table_info(?)", [table])).rows
    decided = {}
    for name, declared in columns:
        affinity = (declared or "").upper()
        if name in keys or not any(word in affinity for word in ("REAL", "FLOA", "DOUB", "NUM",
                                                                 "DEC")):
            continue
        column = quote(name)
        sample = await db.execute(f"SELECT {column} FROM {quoted} WHERE typeof({column}) = "
                                  f"'real' LIMIT {DECIMALS_SAMPLE}")
        decimals = column_decimals(row[0] for row in sample.rows)
        if decimals:
            decided[name] = decimals
    return decided


def blob_cell(value: bytes, url: str | None, translator) -> Markup:
    """'<Binaire : 1 234 octets>' as Datasette's download link (no link when the row has no key:
    a view); over 1 KB, the size in Ko/KB as its title, as Datasette does."""
    size = len(value)
    label = translator.ngettext("<Binary: {size} byte>", "<Binary: {size} bytes>", size).format(
        size=format_number(size, 0, translator.language))
    text = escape(label.replace(" ", NBSP))
    title = Markup(' title="{}"').format(format_size(size, translator.language)) if size >= 1024 else ""
    if url is None:
        return Markup('<span class="dt-blob"{}>{}</span>').format(title, text)  # no download icon
    return Markup('<a class="blob-download" href="{}"{}>{}</a>').format(url, title, text)


def _blob_url(datasette, database: str, table: str, column: str, row, primary_keys: list[str]):
    """Datasette's own BLOB download address for this cell, None when the row has no key."""
    from datasette.utils import path_from_row_pks

    try:
        return datasette.urls.row_blob(database, table, path_from_row_pks(row, primary_keys,
                                                                          not primary_keys), column)
    except (IndexError, KeyError):  # a view's row: no rowid, no primary key
        return None
