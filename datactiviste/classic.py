"""The classic tools every tutorial teaches, inside the one program: csvkit and sqlite-utils.

The real packages run in this process (nothing to install, offline, frozen build included). What
we add is what they lack on francophone files: when a user gives no encoding, delimiter, locale,
date or skip-lines option, a csvkit tool is told what our importer's detection finds
(`ingest.dialect`), and one line on stderr says so; an explicit flag always wins. With a decimal
comma, csvkit's numbers also accept the space, no-break space and narrow no-break space that
French files group thousands with (`1 234,5`): agate only knows its locale's one group symbol.

`sqlite-utils insert/upsert` of a CSV file gets its encoding and delimiter the same way.
`install` and `uninstall` are refused: they would need the Internet and a Python to install into.

Both packages are imported only when their command runs (`datactiviste --help` stays fast).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from datactiviste.i18n import N_, _, ngettext

# The tools we ship (csvsql and sql2csv are left out: they need SQLAlchemy, 29 MB installed, for
# what `datactiviste import` and `datactiviste sqlite-utils query` already do; see the README).
CSVKIT_TOOLS = {
    "in2csv": N_("convert an Excel, JSON, DBF or fixed-width file to CSV"),
    "csvcut": N_("keep some columns, in the order given (-n lists them)"),
    "csvgrep": N_("keep the rows whose column matches a text or a pattern"),
    "csvstat": N_("statistics of every column: type, empty cells, min, max, mean, frequent values"),
    "csvsort": N_("sort the rows by one or more columns (numbers and dates sorted as such)"),
    "csvjoin": N_("join two files on a shared column, like a SQL JOIN"),
    "csvstack": N_("put files with the same columns one under the other"),
    "csvlook": N_("show a file as a table in the terminal"),
    "csvformat": N_("write the file again with another delimiter or quoting"),
    "csvclean": N_("report and fix rows with the wrong number of cells"),
    "csvjson": N_("convert a CSV file to JSON or GeoJSON"),
}

# One French line per sqlite-utils command, shown above its own (English) help.
SQLITE_UTILS_COMMANDS = {
    "add-column": N_("add a column to a table"),
    "add-foreign-key": N_("declare that a column refers to another table"),
    "add-foreign-keys": N_("declare several foreign keys at once"),
    "add-geometry-column": N_("add a SpatiaLite geometry column (needs SpatiaLite)"),
    "analyze": N_("run ANALYZE so SQLite plans queries well"),
    "analyze-tables": N_("describe the values of each column: distinct, empty, most frequent"),
    "bulk": N_("run one SQL statement for every record of a file"),
    "convert": N_("change a column's values with a Python expression"),
    "create-database": N_("create an empty database file"),
    "create-index": N_("index columns so filtering and sorting are fast"),
    "create-spatial-index": N_("index a SpatiaLite geometry column (needs SpatiaLite)"),
    "create-table": N_("create a table with the columns given"),
    "create-view": N_("save a SELECT query as a view"),
    "disable-fts": N_("remove a table's full-text search index"),
    "disable-wal": N_("switch the database back from WAL mode"),
    "drop-index": N_("delete an index"),
    "drop-table": N_("delete a table"),
    "drop-view": N_("delete a view"),
    "dump": N_("write the whole database as SQL"),
    "duplicate": N_("copy a table, its schema and rows, under a new name"),
    "enable-counts": N_("keep row counts up to date in a _counts table"),
    "enable-fts": N_("make columns searchable (full-text index)"),
    "enable-wal": N_("switch the database to WAL mode (readers do not wait for writers)"),
    "extract": N_("move repeated values (a region, a category) into their own table"),
    "index-foreign-keys": N_("index every foreign key column"),
    "indexes": N_("list the indexes"),
    "insert": N_("add rows from a CSV, TSV or JSON file (creates the table)"),
    "insert-files": N_("store files (documents, images) in a table"),
    "memory": N_("run SQL on CSV or JSON files loaded into a temporary database"),
    "migrate": N_("apply pending migrations"),
    "optimize": N_("optimise the full-text indexes, then VACUUM"),
    "plugins": N_("list the sqlite-utils plugins"),
    "populate-fts": N_("fill a full-text index again from its table"),
    "query": N_("run a SQL query; results as JSON, CSV or a table"),
    "rebuild-fts": N_("rebuild full-text indexes"),
    "rename-table": N_("rename a table"),
    "reset-counts": N_("recompute the row counts of the _counts table"),
    "rows": N_("print the rows of a table"),
    "schema": N_("print the CREATE statements of the database or of tables"),
    "search": N_("search a table's full-text index"),
    "tables": N_("list the tables (with --counts: their rows)"),
    "transform": N_("change a table beyond ALTER TABLE: types, column order, renames, primary key"),
    "triggers": N_("list the triggers"),
    "upsert": N_("insert or update rows by their primary key"),
    "vacuum": N_("compact the database file"),
    "views": N_("list the views"),
}
REFUSED_SQLITE_UTILS = ("install", "uninstall")

_VALUE_FLAGS = {"-e": "--encoding", "-d": "--delimiter", "-L": "--locale", "-K": "--skip-lines"}
_GIVEN = {  # what the user said -> the detections it replaces
    "encoding": ("-e", "--encoding"), "delimiter": ("-d", "--delimiter", "-t", "--tabs"),
    "locale": ("-L", "--locale", "-I", "--no-inference"), "skip": ("-K", "--skip-lines"),
    "dates": ("--date-format", "--datetime-format", "-I", "--no-inference"),
}
_AGATE_NULLS = ("", "na", "n/a", "none", "null", ".")
_SPACED_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?$")


def _given(args: list[str], flags: tuple[str, ...]) -> bool:
    for arg in args:
        for flag in flags:
            if arg == flag or (flag.startswith("--") and arg.startswith(flag + "=")) or (
                    len(flag) == 2 and flag != "-t" and flag != "-I" and arg.startswith(flag) and not arg.startswith("--")):
                return True
    return False


def input_files(args: list[str]) -> list[Path]:
    """The arguments that name existing files (csvkit's inputs; option values rarely are files)."""
    return [Path(arg) for arg in args if not arg.startswith("-") and Path(arg).is_file()]


def _utility_class(tool: str):
    import importlib

    from csvkit.cli import CSVKitUtility

    module = importlib.import_module(f"csvkit.utilities.{tool}")
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, CSVKitUtility) and value is not CSVKitUtility \
                and value.__module__ == module.__name__:
            return value
    raise LookupError(tool)


def _accepted_flags(utility_class) -> set[str]:
    """The option strings this csvkit tool accepts (its parser built without running it)."""
    utility = utility_class.__new__(utility_class)
    utility._init_common_parser()
    utility.add_arguments()
    return set(utility.argparser._option_string_actions)


def csvkit_arguments(tool: str, args: list[str], accepted: set[str]) -> tuple[list[str], str | None]:
    """`args` plus the options our detection adds, and the one line that says what was added."""
    from datactiviste.ingest.dialect import detect_dialect

    files = input_files(args)
    if not files:
        return args, None
    try:
        dialect = detect_dialect(files[0])
    except Exception:  # noqa: BLE001 - detection is a courtesy: csvkit still runs and reports
        return args, None
    if dialect is None:
        return args, None
    added: list[str] = []
    if dialect.encoding and "-e" in accepted and not _given(args, _GIVEN["encoding"]):
        added += ["-e", dialect.encoding]
    if dialect.delimiter and dialect.delimiter != "," and "-d" in accepted and not _given(args, _GIVEN["delimiter"]):
        added += ["-t"] if dialect.delimiter == "\t" else ["-d", dialect.delimiter]
    if dialect.skip_lines and "-K" in accepted and not _given(args, _GIVEN["skip"]):
        added += ["-K", str(dialect.skip_lines)]
    if dialect.decimal == "," and "-L" in accepted and not _given(args, _GIVEN["locale"]):
        added += ["-L", "fr_FR"]
    if "--date-format" in accepted and not _given(args, _GIVEN["dates"]):
        if dialect.date_format and dialect.date_format != "%Y-%m-%d":
            added += ["--date-format", dialect.date_format]
        if dialect.datetime_format and not dialect.datetime_format.startswith("%Y-%m-%d"):
            added += ["--datetime-format", dialect.datetime_format]
    if dialect.codes and "--no-leading-zeroes" in accepted and not _given(
            args, ("--no-leading-zeroes", "-I", "--no-inference")):
        added += ["--no-leading-zeroes"]
    tail = []   # --null-value takes several values: last, so it cannot swallow a file name
    markers = [m.lower() for m in dialect.null_markers if m.lower() not in _AGATE_NULLS]
    if markers and "--null-value" in accepted and not _given(args, ("--null-value", "--blanks", "-I", "--no-inference")):
        tail = ["--null-value", *markers]
    if not added and not tail:
        return args, None
    note = _("datactiviste: {file} detected: {options} (your own options win)").format(
        file=files[0].name, options=" ".join(shlex.quote(a) for a in added + tail))
    if len(files) > 1:
        note += " · " + _("the other files are read the same way")
    if dialect.other_date_formats:
        note += " · " + _("columns with other date forms stay text: {columns}").format(
            columns=", ".join(dialect.other_date_formats))
    return added + args + tail, note


def _french_numbers(utility) -> None:
    """With a decimal comma, let csvkit's numbers be grouped by any kind of space (1 234,5)."""
    import types

    import agate

    class Number(agate.Number):   # the same name: csvstat prints it as the type
        def cast(self, d):
            if isinstance(d, str) and _SPACED_NUMBER.match(d.strip()):
                d = re.sub(r"[ \u00a0\u202f]", "", d.strip())
            return super().cast(d)

    original = utility.get_column_types

    def get_column_types(self):
        tester = original()
        for data_type in getattr(tester, "_possible_types", []):
            if type(data_type) is agate.Number and data_type.decimal_symbol == ",":
                data_type.__class__ = Number
        return tester

    utility.get_column_types = types.MethodType(get_column_types, utility)


def run_csvkit(tool: str, args: list[str], echo_note) -> None:
    """Run csvkit's `tool` on `args` (detected options added first); exits like the tool."""
    utility_class = _utility_class(tool)
    accepted = _accepted_flags(utility_class)
    if not ({"-h", "--help", "-V", "--version"} & set(args)):
        args, note = csvkit_arguments(tool, args, accepted)
        if note:
            echo_note(note)
    _check_locales(args)
    sys.argv = [tool, *args]
    utility = utility_class(args=args)
    _french_numbers(utility)
    utility.run()


def _check_locales(args: list[str]) -> None:
    """A -L locale the program ships (fr_*, en_*), and agate's display locale one it can load.

    The frozen program keeps only French and English number conventions (packaging/collect.py);
    agate's default display locale comes from the environment (LC_NUMERIC), which may be another.
    """
    from agate import config
    from babel import localedata

    from datactiviste.errors import DatactivisteError

    for index, arg in enumerate(args):
        value = args[index + 1] if arg in ("-L", "--locale") and index + 1 < len(args) else (
            arg.split("=", 1)[1] if arg.startswith("--locale=") else arg[2:] if arg.startswith("-L") and len(arg) > 2 else None)
        if value and not localedata.exists(value):
            raise DatactivisteError(_("The locale {locale} is not included.").format(locale=value),
                                    hint=_("Use a French or English one, e.g. -L fr_FR (decimal comma) or -L en_US."))
        if value:
            config.set_option("default_locale", value)   # csvlook writes numbers the way they are read
    if not localedata.exists(str(config.get_option("default_locale") or "")):
        config.set_option("default_locale", "en_US")


def sqlite_utils_arguments(args: list[str]) -> tuple[list[str], str | None]:
    """insert/upsert of a CSV file: its encoding and delimiter, unless given."""
    from datactiviste.ingest.dialect import detect_dialect

    if not args or args[0] not in ("insert", "upsert") or not {"--csv", "--tsv"} & set(args):
        return args, None
    files = input_files(args[1:])
    csv_file = next((f for f in files if f.suffix.lower() not in (".db", ".sqlite", ".sqlite3")), None)
    if csv_file is None:
        return args, None
    try:
        dialect = detect_dialect(csv_file)
    except Exception:  # noqa: BLE001 - sqlite-utils still runs and reports
        return args, None
    added = []
    if dialect and dialect.encoding and not _given(args, ("--encoding",)):
        added += ["--encoding", dialect.encoding]
    if dialect and dialect.delimiter not in (None, ",", "\t") and "--tsv" not in args \
            and not _given(args, ("--delimiter", "--sniff")):
        added += ["--delimiter", dialect.delimiter]
    if not added and not (dialect and dialect.skip_lines):
        return args, None
    note = _("datactiviste: {file} detected: {options} (your own options win; numbers such as 1 234,5 "
             "and dates stay text: datactiviste import types them)").format(
        file=csv_file.name, options=" ".join(shlex.quote(a) for a in added))
    if dialect.skip_lines:
        note += " · " + ngettext("its first {count} line is a title that sqlite-utils reads as the header: "
                                 "datactiviste import skips it",
                                 "its first {count} lines are a title that sqlite-utils reads as the header: "
                                 "datactiviste import skips them", dialect.skip_lines).format(count=dialect.skip_lines)
    return args[:1] + added + args[1:], note
