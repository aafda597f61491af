"""`datactiviste search [DB] QUERY`: the full-text search of `serve`, in the terminal (datactiviste.find)."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import click

from datactiviste.cli.base import command, option
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, ngettext
from datactiviste.i18n.formats import format_number
from datactiviste.project import DEFAULT_DB

SERVE_ADDRESS = "http://127.0.0.1:8001"      # where `datactiviste serve` listens by default
_DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def _split_arguments(words: tuple[str, ...]) -> tuple[Path, str]:
    """[DB] QUERY...: the first word is the database when it names one (file or .db name)."""
    if len(words) >= 2 and (words[0].lower().endswith(_DATABASE_SUFFIXES) or Path(words[0]).is_file()):
        return Path(words[0]), " ".join(words[1:])
    return Path(DEFAULT_DB), " ".join(words)


def _url_part(name: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_-]+", name):
        return name
    from datasette.utils import tilde_encode   # only for names that need it (datasette is slow to import)

    return tilde_encode(name)


def _open(database: Path) -> sqlite3.Connection:
    from datactiviste.serve.app import check_database
    from datactiviste.serve.sqlite_uri import readonly_uri

    check_database(database)
    return sqlite3.connect(readonly_uri(database), uri=True)


@command("search", epilog="Examples:\n"
                          "  datactiviste search thies\n"
                          "  datactiviste search budget.db \"saint-louis\" --table depenses\n"
                          "  datactiviste search senegal --limit 3")
@click.argument("words", nargs=-1, required=True)
@option("--table", "-t", metavar="NAME", help="Search only this table.")
@option("--limit", "-n", type=click.IntRange(min=1, max=1000), default=5, show_default=True,
        help="Rows shown per table.")
def search_command(words, table, limit):
    """Find rows containing words, in every searchable table of a database.

    Accents and case are ignored and each word matches the start of a word: senegal finds
    Sénégal, SENEGAL and Sénégalaise; "quoted words" must follow each other. Tables are
    searchable when they were imported (the import report lists their searchable columns).
    """
    from datactiviste.find import plain, search_tables, searchable_tables

    database, query = _split_arguments(words)
    connection = _open(database)
    try:
        tables = searchable_tables(connection)
        if not tables:
            raise DatactivisteError(_("No table of {database} can be searched.").format(database=database),
                                    hint=_("Import the file again (without --no-search), or index a table with: "
                                           "datactiviste sqlite-utils enable-fts {database} TABLE COLUMN "
                                           "--fts5 --create-triggers").format(database=database))
        if table and table not in tables:
            raise DatactivisteError(_("Table {table} cannot be searched.").format(table=table),
                                    hint=_("Searchable tables: {tables}").format(tables=", ".join(tables)))
        found = search_tables(connection, query, table=table, limit=limit)
    finally:
        connection.close()
    _print(found, query, database, plain)


def _print(found, query: str, database: Path, plain) -> None:
    colour = sys.stdout.isatty()
    start, end = ("\x1b[1;4m", "\x1b[0m") if colour else ("*", "*")
    if not found:
        click.echo(_("No row contains «{query}».").format(query=query))
        return
    rows = sum(result.total for result in found)
    tables = ngettext("{tables} table", "{tables} tables", len(found)).format(tables=len(found))
    click.echo(ngettext("«{query}»: {rows} row in {tables} of {database}",
                        "«{query}»: {rows} rows in {tables} of {database}", rows).format(
        query=query, rows=format_number(rows, decimals=0), tables=tables, database=database.name))
    base = f"{SERVE_ADDRESS}/{_url_part(database.stem)}"
    for result in found:
        more = "+" if result.capped else ""
        click.echo()
        click.echo(click.style(result.table, bold=True) if colour else result.table)
        click.echo("  " + ngettext("{count} row", "{count} rows", result.total).format(
            count=format_number(result.total, decimals=0) + more)
            + " · " + _("searched in: {columns}").format(columns=", ".join(result.columns)))
        for hit in result.hits:
            snippet = plain(hit.snippet)
            values = " · ".join(f"{name}: {plain(hit.snippet, start, end) if str(value) == snippet else value}"
                                for name, value in hit.values.items() if value not in (None, ""))
            click.echo(f"  #{hit.rowid}  {values}")
            if snippet not in (str(value) for value in hit.values.values()):
                click.echo(f"      {plain(hit.snippet, start, end)}")
            click.echo(f"      {base}/{_url_part(result.table)}/{hit.rowid}")
        if result.total > len(result.hits):
            click.echo("  " + _("All of them: {url}").format(
                url=f"{base}/{_url_part(result.table)}?_search={_url_query(query)}"))
    click.echo()
    click.echo(_("Open the links after starting: datactiviste serve {database}").format(database=database))


def _url_query(query: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(query)
