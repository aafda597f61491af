"""Build the Datasette instance we serve: checked databases, metadata, language, classroom limits.

`build_datasette` is the one factory used by `datactiviste serve`, the tests and the
benchmark. On one laptop the databases stay writable (a new import shows up on reload); in
classroom mode they are opened immutable, table counts are computed once at start, and
Datasette's settings cap what one trainee's query can cost the room.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.ingest.names import quote
from datactiviste.project import DEFAULT_DB
from datactiviste.serve.cells import CellNumbers
from datactiviste.serve.translate import Translator
from datactiviste.serve.sqlite_uri import readonly_uri

SQLITE_HEADER = b"SQLite format 3\x00"

# Datasette settings for a room of 20-30 people on one 2-core laptop (see benchmarks/classroom_load.py).
CLASSROOM_SETTINGS = {
    "sql_time_limit_ms": 1500,     # a runaway query is stopped after 1.5 s
    "max_returned_rows": 1000,     # rows per JSON/HTML page and per custom query
    "default_page_size": 20,       # rendering dominates a page: 50 rows 40 ms, 20 rows 23 ms
    "suggest_facets": False,       # the biggest cost of a table page (measured ~300 ms / 100k rows)
    "facet_time_limit_ms": 300,
    "allow_download": False,       # 30 people downloading the .db would saturate the hotspot
    "allow_csv_stream": False,     # "stream all rows" CSV exports are unbounded
    "max_csv_mb": 20,
    "default_cache_ttl": 300,
    "num_sql_threads": 4,
}
LOCAL_SETTINGS = {
    "sql_time_limit_ms": 5000,     # one user on their own laptop: patience over safety
    "default_page_size": 50,
}


@dataclass
class ServeOptions:
    """What our plugin needs to know about one Datasette instance."""

    language: str
    classroom: bool = False
    banner_html: str = ""
    tiles: list = field(default_factory=list)  # TilePack, shown under the offline map
    translator: Translator = field(init=False)
    cells: CellNumbers = field(init=False)  # numbers of the HTML cells, in `language`
    loader: object = None  # the TranslatingLoader, once Datasette has started
    atelier: object = None  # the live room's AtelierSettings (classroom mode), for the home page's hint

    def __post_init__(self):
        self.translator = Translator(self.language)
        self.cells = CellNumbers(self.language, self.translator)


def default_database(folder: Path | None = None) -> Path:
    """The project database of the current folder, or a clear message saying how to make one."""
    path = (folder or Path.cwd()) / DEFAULT_DB
    if not path.exists():
        raise DatactivisteError(
            _("There is no database to serve in this folder ({path} not found).").format(path=path),
            hint=_("Import a file first: datactiviste import FILE.csv (it creates {name}), "
                   "or name a database: datactiviste serve my.db").format(name=DEFAULT_DB))
    return path


def check_database(path: Path) -> Path:
    """A readable SQLite file, or a DatactivisteError saying what is wrong with it."""
    path = Path(path)
    if not path.exists():
        raise DatactivisteError(_("Database file not found: {path}").format(path=path),
                                hint=_("Check the file name, or create it with: "
                                       "datactiviste import FILE --db {path}").format(path=path))
    if path.is_dir():
        raise DatactivisteError(_("{path} is a folder, not a database file.").format(path=path))
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatactivisteError(
            _("{path} is not a SQLite database.").format(path=path),
            hint=_("To explore a CSV or Excel file, import it first: datactiviste import {path}")
            .format(path=path))
    try:
        connection = sqlite3.connect(readonly_uri(path), uri=True, timeout=1)
        try:
            names = [name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            raise DatactivisteError(
                _("The database {path} is locked by another program.").format(path=path),
                hint=_("Wait for the import that is writing to it to finish, then try again.")) from None
        raise DatactivisteError(_("Cannot read the database {path}: {error}").format(
            path=path, error=error)) from None
    except sqlite3.DatabaseError as error:
        raise DatactivisteError(_("{path} is damaged or is not a SQLite database ({error}).").format(
            path=path, error=error)) from None
    _check_table_names(path, names)
    return path


def _check_table_names(path: Path, names: list[str]) -> None:
    """Datasette 0.65 quotes table names with [brackets] in its own queries: a name with ']'
    makes every page fail. Say so before serving, with the command that fixes it."""
    for name in names:
        if "]" in name:
            fixed = name.replace("]", "_")
            raise DatactivisteError(
                _("The table «{table}» in {path} has a ']' in its name: the table viewer cannot "
                  "show it.").format(table=name, path=path),
                hint=_("Rename it, for example: sqlite3 {path} 'ALTER TABLE {old} RENAME TO {new}'")
                .format(path=path, old=quote(name), new=quote(fixed)))


def database_names(paths: list[Path]) -> list[str]:
    """One URL name per database (file stem, numbered when two files share a stem)."""
    names, seen = [], {}
    for path in paths:
        stem = path.stem
        seen[stem] = seen.get(stem, 0) + 1
        names.append(stem if seen[stem] == 1 else f"{stem}_{seen[stem]}")
    return names


def table_counts(path: Path) -> dict[str, int]:
    """Exact row counts, computed once: an immutable database's counts never change."""
    connection = sqlite3.connect(readonly_uri(path, immutable=True), uri=True)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")]
        return {table: connection.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0]
                for table in tables}
    finally:
        connection.close()


def build_datasette(paths: list[Path], language: str, classroom: bool = False,
                    banner_html: str = "", settings: dict | None = None, tiles=()):
    """A Datasette serving `paths` with our metadata, translated UI and (optionally) classroom limits."""
    from datasette.app import Datasette

    from datactiviste.serve import plugin
    from datactiviste.serve.metadata import database_metadata

    plugin.register()
    paths = [check_database(Path(p)).resolve() for p in paths]
    from datactiviste.serve.tiles import open_tile_pack

    options = ServeOptions(language=language, classroom=classroom, banner_html=banner_html,
                           tiles=[open_tile_pack(t) for t in tiles])
    names = database_names(paths)
    metadata = {
        "title": options.translator.gettext("datactiviste: your data"),
        # the configuration a plain `datasette` reads too (plugin.options_of): one code path
        "plugins": {"datactiviste": {"lang": language, "classroom": classroom}},
        "databases": {name: database_metadata(path, name, options.translator)
                      for name, path in zip(names, paths)},
    }
    merged = dict(CLASSROOM_SETTINGS if classroom else LOCAL_SETTINGS)
    merged.update(settings or {})
    if classroom:
        inspect_data = {name: {"hash": _cheap_hash(path), "file": str(path), "size": path.stat().st_size,
                               "tables": {t: {"count": n} for t, n in table_counts(path).items()}}
                        for name, path in zip(names, paths)}
        datasette = Datasette(immutables=[str(p) for p in paths], inspect_data=inspect_data,
                              metadata=metadata, settings=merged)
    else:
        datasette = Datasette(files=[str(p) for p in paths], metadata=metadata, settings=merged)
    _rename_databases(datasette, paths, names)
    datasette.datactiviste_options = options
    return datasette


def _rename_databases(datasette, paths: list[Path], names: list[str]) -> None:
    """Datasette names databases after the file stem too; make our numbering win for duplicates."""
    by_path = {str(path): name for path, name in zip(paths, names)}
    for current, database in list(datasette.databases.items()):
        wanted = by_path.get(str(getattr(database, "path", "")))
        if wanted and wanted != current:
            datasette.remove_database(current)
            datasette.add_database(database, name=wanted)


def _cheap_hash(path: Path) -> str:
    """Stands in for Datasette's full-file SHA-256 (seconds on a big file): name, size, mtime."""
    import hashlib

    stat = path.stat()
    return hashlib.sha256(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
