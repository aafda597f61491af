"""`datactiviste import` and `datactiviste inspect`: options in, library call, report out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from datactiviste.cli.base import command, option
from datactiviste.cli.console import success
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, ngettext
from datactiviste.project import DEFAULT_DB

PROGRESS_FROM_BYTES = 5 * 1024 * 1024


def detection_options(function):
    """The options both commands share, declared once (as csvkit does for all its tools)."""
    decorators = [
        option("--encoding", metavar="NAME", help="Text encoding of the file (default: detected), e.g. cp1252, utf-8."),
        option("--delimiter", metavar="CHAR",
               help="Field delimiter (default: detected): , ; | tab, or a space for columns separated by spaces."),
        option("--skip-lines", type=click.IntRange(min=0), metavar="N",
               help="Skip N lines before the header (default: title and comment lines are detected)."),
        option("--no-header", is_flag=True, help="The first line is data: columns are named column_1, column_2..."),
        option("--sheet", metavar="NAME", help="Only this sheet of a workbook (default: every non-empty sheet)."),
        option("--keep-names", is_flag=True, help="Keep the original column names instead of SQL-friendly ones."),
        option("--type", "types", multiple=True, metavar="COL=TYPE",
               help="Force a column's type: TEXT, INTEGER, REAL, DATE or DATETIME (repeatable)."),
        option("--decimal", type=click.Choice([",", "."]), help="Decimal separator of numbers (default: detected per column)."),
        option("--date-format", metavar="FORMAT",
               help="How dates are written: dmy, mdy, ymd or a strptime format such as %d/%m/%Y (default: detected)."),
        option("--null", "null_markers", multiple=True, metavar="TEXT",
               help="A value meaning 'missing' in number and date columns (repeatable; replaces NA, N/A, -, nd, [c], (s)...)."),
        option("--keep-notes", is_flag=True,
               help="Keep the notes under the table (sources, footnotes) and the section titles as rows "
                    "(default: set aside and listed; a section column then names each row's section)."),
        option("--keep-totals", is_flag=True,
               help="Keep the rows that repeat a total of other rows (default: set aside and listed)."),
        option("--report", type=click.Choice(["text", "json"]), default="text", show_default=True,
               help="Report for people (text) or programs (json)."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _import_options(**kwargs):
    from datactiviste.ingest.importer import ImportOptions

    types = {}
    for item in kwargs.pop("types", ()):
        column, separator, sql_type = item.partition("=")
        if not separator or not column.strip():
            raise DatactivisteError(_("--type expects COLUMN=TYPE, got {value!r}.").format(value=item),
                                    hint=_("Example: --type code_commune=TEXT"))
        types[column.strip()] = sql_type.strip()
    markers = kwargs.pop("null_markers", ())
    return ImportOptions(types=types, null_markers=list(markers) if markers else None, **kwargs)


class _Progress:
    """A progress bar on stderr for big files; silent for small ones and in pipes."""

    def __init__(self, path: Path, enabled: bool):
        size = path.stat().st_size if path.is_file() else 0
        self.bar = None
        if enabled and size >= PROGRESS_FROM_BYTES:
            self.bar = click.progressbar(length=size, label=_("Reading {file}").format(file=path.name),
                                         file=sys.stderr, show_eta=True)
            self.bar.__enter__()
        self.position = 0

    def update(self, position: int) -> None:
        if self.bar:
            self.bar.update(max(0, position - self.position))
            self.position = position

    def close(self):
        if self.bar:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def indexing(self) -> None:
        """The file is read; say what the last seconds are for (indexes take a while on big tables)."""
        if self.bar:
            self.update(self.bar.length)
            self.close()
            click.echo(_("Indexing the columns people filter and sort by, for Datasette…"), err=True)

    @property
    def callback(self):
        return self.update if self.bar else None


@command("import", epilog="Examples:\n"
                          "  datactiviste import depenses.csv\n"
                          "  datactiviste import budget.xlsx --db projet.db --sheet 2024\n"
                          "  datactiviste import export.csv --encoding cp1252 --type code_commune=TEXT\n"
                          "  datactiviste import janvier.csv fevrier.csv --table depenses --append")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@option("--db", "database", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False, path_type=Path),
        help="SQLite database to write to (created if missing).")
@option("--table", metavar="NAME", help="Table name (default: from the file name).")
@option("--append", is_flag=True, help="Add the rows to an existing table instead of replacing it.")
@option("--licence", metavar="TEXT", help="Licence of the data, recorded with its provenance (e.g. ODbL, CC BY 4.0).")
@option("--source-url", metavar="URL", help="Where the data comes from, recorded with its provenance.")
@option("--no-index", "no_index", is_flag=True,
        help="Build no index at all, neither for filtering and sorting (done by default on tables of 1,000 rows or more) nor for full-text search: the fastest import.")
@option("--no-search", "no_search", is_flag=True,
        help="Do not build the full-text search index (names, labels, descriptions; built by default).")
@option("--jobs", type=click.IntRange(1, 16), metavar="N",
        help="Processes that read a big CSV file at once (default: one per core, up to 4, for files over 16 MB).")
@detection_options
def import_command(files, database, table, append, licence, source_url, no_index, no_search, jobs, report,
                   **detection):
    """Import CSV, Excel, ODS, JSON or GeoJSON files into a SQLite database.

    Encoding, delimiter, header and column types are detected from every value; the report says
    what was guessed and how to change it. Nothing is lost: values that do not fit their column
    are kept as text and listed in the _anomalies table. Each file is imported all or nothing.
    """
    from datactiviste.ingest.ahead import workers_ahead

    if table and len(files) > 1 and not append:
        raise DatactivisteError(_("--table with several files would keep only the last one."),
                                hint=_("Add --append to put all the files in one table, or drop --table."))
    # The first file's workers boot while the importer's modules load (ingest/ahead.py).
    standby = workers_ahead(files[0], jobs, detection.get("encoding"))
    try:
        from datactiviste.ingest.importer import import_file
        from datactiviste.ingest.report import render_import

        results, failures = [], 0
        for position, path in enumerate(files):
            options = _import_options(table=table, append=append or (table is not None and position > 0),
                                      licence=licence, source_url=source_url, index=not no_index, search=not (no_search or no_index), jobs=jobs,
                                      **detection)
            progress = _Progress(path, enabled=report == "text")
            options.progress = progress.callback
            options.indexing = progress.indexing
            try:
                imported = import_file(path, database, options, standby=standby if position == 0 else None)
            except DatactivisteError as error:
                if len(files) == 1:
                    raise
                from datactiviste.cli.console import print_error

                print_error(error)
                failures += 1
                continue
            finally:
                progress.close()
            results += imported
            if report == "text":
                for result in imported:
                    click.echo(render_import(result))
    finally:
        if standby is not None:
            standby.close()          # already released by import_file, unless it was not reached
    if report == "json":
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    elif results:
        success(ngettext("Done: {tables} table in {database}. Explore it with: datactiviste serve {database}",
                         "Done: {tables} tables in {database}. Explore them with: datactiviste serve {database}",
                         len(results)).format(tables=len(results), database=database))
    if failures:
        raise click.exceptions.Exit(2)



@command("inspect", epilog="Examples:\n"
                           "  datactiviste inspect depenses.csv\n"
                           "  datactiviste inspect budget.xlsx --sheet 2024 --report json")
@click.argument("file", type=click.Path(path_type=Path))
@detection_options
def inspect_command(file, report, **detection):
    """Show what importing a file would do, with statistics per column, without writing anything.

    For each column: detected type, empty and distinct values, minimum and maximum, frequent
    values, and suspicious values (not matching the type, far from the others, or the same
    name spelled several ways).
    """
    from datactiviste.ingest.inspect import inspect_file
    from datactiviste.ingest.report import render_inspection

    inspections = inspect_file(file, _import_options(**detection))
    if report == "json":
        payload = [{"result": i["result"].to_dict(), "columns": i["columns"]} for i in inspections]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    for inspection in inspections:
        click.echo(render_inspection(inspection))
