"""`datactiviste serve` and `datactiviste export`: parse options, call datactiviste.serve."""

from __future__ import annotations

import click

from datactiviste.cli.base import command, option
from datactiviste.cli.console import info, success, warning
from datactiviste.i18n import LANGUAGES, _, ngettext, set_language


@command("serve", epilog="Examples:\n"
                         "  datactiviste serve\n"
                         "  datactiviste serve budget.db --port 8080 --no-open\n"
                         "  datactiviste serve budget.db elections.db --classroom\n"
                         "  datactiviste serve budget.db --classroom --new-room\n"
                         "  datactiviste serve budget.db --lang en")
@click.argument("databases", nargs=-1, type=click.Path(dir_okay=False), metavar="[DB]...")
@option("--port", type=click.IntRange(0, 65535), metavar="N",
        help="Port to listen on (default: 8001, or a free one if it is taken; 0: any free port).")
@option("--no-open", is_flag=True, help="Do not open the web browser.")
@option("--classroom", is_flag=True,
        help="Serve the whole room over the local network: read-only, time-limited queries, QR code.")
@option("--lang", "language", type=click.Choice(LANGUAGES),
        help="Language of the web pages (default: the language of messages).")
@option("--tiles", "tiles", multiple=True, type=click.Path(dir_okay=False), metavar="FILE.mbtiles",
        help="A trainer-prepared tile pack shown under the maps (repeatable).")
@option("--new-room", is_flag=True,
        help="With --classroom: start a new live room (new codes) instead of continuing today's.")
def serve_command(databases, port, no_open, classroom, language, tiles, new_room):
    """Explore databases in the web browser (Datasette, offline, in French).

    Without DB, serves datactiviste.db of the current folder. Only this computer can connect,
    unless --classroom is given.
    """
    from datactiviste.serve.launch import launch

    if language:
        set_language(language)
    launch(list(databases) or None, port=port, open_browser=not no_open, classroom=classroom,
           echo=info, tiles=tiles, new_room=new_room)


@command("export", epilog="Examples:\n"
                          "  datactiviste export budget.db depenses -o depenses.csv\n"
                          "  datactiviste export budget.db depenses -o depenses.csv --excel\n"
                          "  datactiviste export budget.db depenses -o depenses.xlsx\n"
                          "  datactiviste export budget.db --sql \"SELECT * FROM sites\" -o sites.geojson\n"
                          "  datactiviste export budget.db depenses -o depenses.html")
@click.argument("database", type=click.Path(dir_okay=False))
@click.argument("table", required=False)
@option("--sql", metavar="QUERY", help="Export the result of this SELECT query instead of a table.")
@option("-o", "--output", required=True, type=click.Path(dir_okay=False),
        help="File to write: .csv, .xlsx, .geojson or .html (one page that opens anywhere).")
@option("--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson", "html"]),
        help="Output format (default: from the file extension).")
@option("--excel", is_flag=True,
        help="CSV for French Excel: semicolon separator, Windows-1252, decimal comma.")
def export_command(database, table, sql, output, fmt, excel):
    """Export a table or a query to CSV, Excel (XLSX), GeoJSON or a self-contained HTML page.

    Text starting with = + - @ is protected so that a spreadsheet shows it instead of running it.
    """
    from datactiviste.serve.export import export

    result = export(database, output, table=table, sql=sql, fmt=fmt, excel=excel)
    success(ngettext("{count} row written to {path}", "{count} rows written to {path}", result.rows)
            .format(count=result.rows, path=result.path))
    if result.skipped:
        warning(ngettext("{count} row had no usable coordinates and was left out.",
                         "{count} rows had no usable coordinates and were left out.", result.skipped)
                .format(count=result.skipped))
    if result.replaced_characters:
        warning(ngettext("{count} character does not exist in Windows-1252 and was written as '?'; "
                         "drop --excel to keep it (UTF-8).",
                         "{count} characters do not exist in Windows-1252 and were written as '?'; "
                         "drop --excel to keep them (UTF-8).", result.replaced_characters).format(
                             count=result.replaced_characters))


@command("demo", epilog="Examples:\n"
                        "  datactiviste demo\n"
                        "  datactiviste demo --no-open --port 8080\n"
                        "  datactiviste demo --classroom")
@option("--db", "db_path", default="datactiviste-demo.db", show_default=True,
        type=click.Path(dir_okay=False), help="Demo database to create (once) and serve.")
@option("--rebuild", is_flag=True, help="Import the sample data again even if the demo database exists.")
@option("--port", type=click.IntRange(0, 65535), metavar="N",
        help="Port to listen on (default: 8001, or a free one if it is taken; 0: any free port).")
@option("--no-open", is_flag=True, help="Do not open the web browser.")
@option("--classroom", is_flag=True,
        help="Serve the whole room over the local network: read-only, time-limited queries, QR code.")
def demo_command(db_path, rebuild, port, no_open, classroom):
    """Import the bundled sample data into a demo database and explore it in the browser."""
    from datactiviste.serve.demo import build_demo_database, demo_banner
    from datactiviste.serve.launch import launch

    info(_("Preparing the demo database {path}...").format(path=db_path))
    path = build_demo_database(db_path, rebuild=rebuild)
    launch([path], port=port, open_browser=not no_open, classroom=classroom, echo=info,
           banner_html=demo_banner())
