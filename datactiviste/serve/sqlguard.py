"""SQL that cannot hurt the host: what a served connection may call, build and hand to Python.

Any visitor of a served page can send SQL (`/db?sql=…`), so every connection Datasette opens
(through our `prepare_connection` hook, in local and classroom mode, source or frozen program:
both use the Python's own `_sqlite3`) gets:

- an authorizer that refuses, by name, the SQL functions that can crash the process, leak a
  memory address or build data for nothing: `fts3_tokenizer` (our SQLite is built with
  ENABLE_FTS3_TOKENIZER: with a chosen pointer it segfaults the server), `load_extension`,
  `zeroblob`; ATTACH/DETACH; and in classroom mode the `file` column of `pragma_database_list`
  (the database's full path, what hiding `/-/databases` is for) reads as NULL;
- SQLite limits: the size of one value and of one statement's text;
- a budget on the bytes of values one query hands to Python (rows x width): Datasette fetches
  up to max_returned_rows rows, and 100 rows of 10 MB blobs were 8.5 GB once encoded;
- a process-wide cap on SQLite's own heap (`PRAGMA hard_heap_limit`): sorts, DISTINCT and
  group_concat fail cleanly instead of swapping;
- linear-time versions of the functions whose built-in cost grows with the product of their
  arguments' sizes, because neither the time limit nor an interrupt can stop SQLite inside one
  function call: `instr` and `replace` (a 400 kB needle in an 800 kB text took 6 s; at 10 MB,
  hours), `trim`/`ltrim`/`rtrim` with a character set, and `printf`/`format` whose width or
  precision (`%.*c` with 2e9) loops for seconds before giving NULL (see `bounded_functions`).

The authorizer is the portable way: `Connection.setconfig(SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER)`
exists only on Python 3.12+, and it runs at prepare time, so it costs nothing per row.
"""

from __future__ import annotations

import sqlite3
import weakref
from dataclasses import dataclass

SQLITE_FUNCTION = getattr(sqlite3, "SQLITE_FUNCTION", 31)
SQLITE_READ = getattr(sqlite3, "SQLITE_READ", 20)
SQLITE_ATTACH = getattr(sqlite3, "SQLITE_ATTACH", 24)
SQLITE_DETACH = getattr(sqlite3, "SQLITE_DETACH", 25)

# function name -> why it is refused (for the reader of this file; the user sees one message)
DENIED_FUNCTIONS = {
    "fts3_tokenizer": "reads or sets a C pointer: leaks an address, segfaults with a chosen one",
    "load_extension": "loads native code",
    "zeroblob": "builds megabytes from a few characters of SQL, for no exploration purpose",
}
HIDDEN_COLUMNS_IN_CLASSROOM = {("pragma_database_list", "file")}
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one query may cost. Imported cells, even GeoJSON shapes, stay far below the value cap."""

    max_value_bytes: int      # one string or blob SQLite may build (SQLITE_LIMIT_LENGTH)
    max_result_bytes: int     # all values one query hands to Python
    max_sql_bytes: int = 1 * MIB
    heap_bytes: int = 256 * MIB   # SQLite's heap in the whole server process


# One laptop: its owner's own big sorts and the uploads it imports need room (cross-site pages
# are refused before any SQL); a room shares one process per core among 30 people.
LOCAL_LIMITS = Limits(max_value_bytes=32 * MIB, max_result_bytes=64 * MIB, heap_bytes=1024 * MIB)
# A room: 2 worker processes x 4 SQL threads may each hold one result at once.
CLASSROOM_LIMITS = Limits(max_value_bytes=10 * MIB, max_result_bytes=8 * MIB)


class ResultTooBig(sqlite3.OperationalError):
    """Raised while rows are fetched, once a query's values pass `Limits.max_result_bytes`.

    A subclass of OperationalError so Datasette shows it like any SQL error (status 400).
    """


def guard_connection(connection, classroom: bool, translator, limits: Limits | None = None) -> None:
    """Install the authorizer, limits and result budget on one connection Datasette opened."""
    limits = limits or (CLASSROOM_LIMITS if classroom else LOCAL_LIMITS)
    connection.set_authorizer(_authorizer(classroom))
    if hasattr(connection, "setlimit"):  # Python 3.11+
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limits.max_value_bytes)
        connection.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, limits.max_sql_bytes)
    cap_sqlite_heap(connection, limits.heap_bytes)
    from datactiviste.serve.sqlfunctions import install_bounded_functions

    install_bounded_functions(connection, limits.max_value_bytes)
    message = translator.gettext(
        "This result is too big to show: more than {size} MB of values. Ask for fewer rows or "
        "columns (add LIMIT to the query), or export it with datactiviste export."
    ).format(size=limits.max_result_bytes // MIB)
    connection.row_factory = ResultBudget(limits.max_result_bytes, message,
                                          connection.row_factory or sqlite3.Row)


def cap_sqlite_heap(connection, heap_bytes: int) -> None:
    """Lower SQLite's process-wide hard heap limit to `heap_bytes` (never raise one already lower)."""
    current = connection.execute("PRAGMA hard_heap_limit").fetchone()[0]
    if current == 0 or current > heap_bytes:
        connection.execute(f"PRAGMA hard_heap_limit={int(heap_bytes)}")


def _authorizer(classroom: bool):
    hidden = HIDDEN_COLUMNS_IN_CLASSROOM if classroom else set()

    def authorize(action, first, second, _database, _trigger):
        if action == SQLITE_FUNCTION and (second or "").lower() in DENIED_FUNCTIONS:
            return sqlite3.SQLITE_DENY
        if action in (SQLITE_ATTACH, SQLITE_DETACH):
            return sqlite3.SQLITE_DENY
        if action == SQLITE_READ and (first, second) in hidden:
            return sqlite3.SQLITE_IGNORE  # the column reads as NULL
        return sqlite3.SQLITE_OK

    return authorize


class ResultBudget:
    """A row factory that counts the bytes of the values each cursor fetched, and stops past a cap.

    Rows are counted as SQLite hands them over, one at a time, so at most one row above the
    cap is ever held. Counts are kept per cursor (weakly: a finished query leaves nothing).
    """

    def __init__(self, max_bytes: int, message: str, make_row=sqlite3.Row):
        self.max_bytes = max_bytes
        self.message = message
        self.make_row = make_row
        self._used: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self, cursor, row):
        used = self._used.get(cursor, 0) + sum(map(value_bytes, row))
        if used > self.max_bytes:
            self._used.pop(cursor, None)
            raise ResultTooBig(self.message)
        self._used[cursor] = used
        return self.make_row(cursor, row)


def value_bytes(value) -> int:
    """About what one SQLite value costs once in Python (text counted in characters)."""
    if isinstance(value, (str, bytes)):
        return len(value) + 16
    return 16


def explain_failure(error: BaseException, translator) -> str | None:
    """The message for a failure the guard caused outside of SQLite's own errors, else None."""
    if isinstance(error, MemoryError):
        return translator.gettext(
            "This query needs more memory than the server allows. Ask for fewer rows (add LIMIT), "
            "or simplify the query.")
    return None
