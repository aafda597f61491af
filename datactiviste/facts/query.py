"""Run one directive's SQL: read-only, time- and row-bounded, errors in the reader's language.

The tables a query reads are recorded with SQLite's authorizer (not guessed from the text), so
the method section names exactly the sources behind each figure. An unknown table or column
gets the closest names as a suggestion: a typo is the most common error in a dossier.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
import time
from dataclasses import dataclass

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.project import META_TABLES, data_tables
from datactiviste.ingest.names import quote

TIME_LIMIT = 10.0          # seconds for one query: a runaway join must not freeze a build
ROW_LIMIT = 5_000          # rows kept for one figure (a chart or table never needs more)
VALUE_LIMIT = 10_000_000   # bytes of one text or blob value (zeroblob(1e9) would take 1 GB)


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    tables: list[str]
    truncated: bool = False


def _columns_of(connection: sqlite3.Connection, tables: list[str]) -> list[str]:
    names = []
    for table in tables:
        quoted = quote(table)
        names += [row[1] for row in connection.execute(f"PRAGMA table_info({quoted})")]
    return list(dict.fromkeys(names))


def suggest(name: str, candidates: list[str]) -> str | None:
    close = difflib.get_close_matches(name.lower(), [c.lower() for c in candidates], n=3,
                                      cutoff=0.5)
    by_lower = {c.lower(): c for c in candidates}
    if not close:
        return None
    return _("Did you mean: {names}?").format(names=", ".join(by_lower[c] for c in close))


def _mentioned_tables(connection, sql: str) -> list[str]:
    words = {w.lower() for w in re.findall(r"[\w]+", sql)}
    tables = [t for t in data_tables(connection) if t.lower() in words]
    return tables or data_tables(connection)


def explain_error(connection, sql: str, error: sqlite3.Error, where: dict) -> DatactivisteError:
    """A SQLite error as a message that says what to fix (and close names for typos)."""
    text = str(error)
    tables = data_tables(connection)
    match = re.match(r"no such table: (?:\w+\.)?(.+)", text)
    if match:
        return DatactivisteError(
            _("No table “{name}” in the database.").format(name=match.group(1)), **where,
            hint=suggest(match.group(1), tables) or
            _("Tables: {tables}.").format(tables=", ".join(tables) or "-"))
    match = re.match(r"no such column: (.+)", text)
    if match:
        name = match.group(1).split(".")[-1]
        columns = _columns_of(connection, _mentioned_tables(connection, sql))
        return DatactivisteError(
            _("No column “{name}” in the tables of this query.").format(name=match.group(1)),
            **where, hint=suggest(name, columns) or
            _("Columns: {columns}.").format(columns=", ".join(columns[:30]) or "-"))
    match = re.match(r'near "(.*)": syntax error', text)
    if match:
        return DatactivisteError(_("SQL syntax error near “{token}”.").format(token=match.group(1)),
                                 **where, hint=_("Check commas, quotes and brackets around it."))
    if "incomplete input" in text:
        return DatactivisteError(_("This SQL query is incomplete."), **where,
                                 hint=_("A bracket or a quote is not closed."))
    if "interrupted" in text:
        return DatactivisteError(
            _("The query took more than {seconds} seconds and was stopped.").format(
                seconds=int(TIME_LIMIT)), **where, hint=_("Add a WHERE clause or an index."))
    if "too big" in text or "user-defined function raised exception" in text:
        return DatactivisteError(_("This query builds a value too large for a dossier."),
                                 **where, hint=_("Check printf, replace, zeroblob or "
                                                 "group_concat in it."))
    if "one statement at a time" in text:
        return DatactivisteError(_("One directive holds one query: remove the “;” and what "
                                   "follows."), **where)
    if "readonly" in text or "not authorized" in text:
        return DatactivisteError(_("A figure can only read the data (SELECT)."), **where)
    return DatactivisteError(_("SQLite refuses this query ({detail}).").format(detail=text),
                             **where, hint=_("Try the query in `datactiviste serve` first."))


def bound(connection: sqlite3.Connection) -> None:
    """Make one query's cost bounded: a received dossier is hostile input like any other.

    The progress handler cannot interrupt inside a function call, so the functions whose cost
    one call can make unbounded (printf widths, replace, instr, trim) are swapped for the
    linear-time ones Datasette's connections use, and values are capped at VALUE_LIMIT."""
    from datactiviste.serve.sqlfunctions import install_bounded_functions

    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_LIMIT)
    install_bounded_functions(connection, VALUE_LIMIT)


def run(connection: sqlite3.Connection, sql: str, where: dict) -> QueryResult:
    """Rows of one SELECT, with the data tables it read. `where` locates errors (path, line)."""
    statement = sql.strip().rstrip(";").strip()
    if not re.match(r"(?is)^\s*(select|with|values)\b", statement):
        raise DatactivisteError(_("A figure's query must start with SELECT (or WITH)."), **where,
                                hint=_("Example: SELECT sum(voix) FROM resultats"))
    read: list[str] = []
    known = set(data_tables(connection)) | set(META_TABLES)

    def authorise(action, first, _second, _database, _trigger):
        if action == sqlite3.SQLITE_READ and first in known and first not in read:
            read.append(first)
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                      sqlite3.SQLITE_RECURSIVE):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and first in ("table_info", "table_xinfo"):
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    deadline = time.monotonic() + TIME_LIMIT
    connection.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
    connection.set_authorizer(authorise)
    try:
        cursor = connection.execute(statement)
        rows = cursor.fetchmany(ROW_LIMIT + 1)
        columns = [d[0] for d in cursor.description or []]
    except (sqlite3.Error, sqlite3.Warning) as error:
        connection.set_authorizer(None)
        raise explain_error(connection, statement, error, where) from None
    finally:
        connection.set_authorizer(None)
        connection.set_progress_handler(None, 0)
    return QueryResult(columns, rows[:ROW_LIMIT], [t for t in read if t not in META_TABLES],
                       len(rows) > ROW_LIMIT)
