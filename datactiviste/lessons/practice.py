"""Practice databases: the sample data imported by the real importer, and a hidden variant.

A module's `practice_data` files are imported with `datactiviste.ingest` exactly as a learner's
`datactiviste import` would, so the practice database has the same tables and column names as
the learner's own. SQL exercises are graded on it, then again on a *variant*: a copy where a
fixed, pseudo-random quarter of the rows of every table is removed. A query that returns the
right numbers typed in by hand passes the first run and fails the second (the SQL-ex trick).
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

from datactiviste.lessons.loader import sample_path
from datactiviste.project import data_tables
from datactiviste.ingest.names import quote

_CACHE: dict[tuple[str, ...], tuple[Path, Path]] = {}
_TEMP: list[str] = []


def _workdir() -> Path:
    if not _TEMP:
        _TEMP.append(tempfile.mkdtemp(prefix="datactiviste-lessons-"))
        atexit.register(shutil.rmtree, _TEMP[0], True)
    return Path(_TEMP[0])


def build_practice_db(files: list[str], target: Path) -> Path:
    """Import the sample `files` into a fresh database at `target`."""
    from datactiviste.ingest.importer import import_file

    target = Path(target)
    if target.exists():
        target.unlink()
    for relative in files:
        import_file(sample_path(relative), target)
    return target


def make_variant(source: Path, target: Path) -> Path:
    """Copy `source` and delete the same quarter of rows of every data table, deterministically."""
    shutil.copyfile(source, target)
    connection = sqlite3.connect(target)
    try:
        for table in data_tables(connection):
            quoted = quote(table)
            connection.execute(f"DELETE FROM {quoted} WHERE ((rowid * 2654435761) % 97) < 24")
        connection.commit()
    finally:
        connection.close()
    return target


def practice_databases(files: list[str]) -> tuple[Path, Path]:
    """(reference, variant) databases for these sample files, built once per process."""
    key = tuple(files)
    if key not in _CACHE:
        name = hashlib.sha1("\n".join(key).encode()).hexdigest()[:12]
        reference = build_practice_db(list(files), _workdir() / f"{name}.db")
        variant = make_variant(reference, _workdir() / f"{name}-variant.db")
        _CACHE[key] = (reference, variant)
    return _CACHE[key]


def scalar(database: Path, sql: str):
    """The first value of the first row of `sql` on `database` (read-only)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        row = connection.execute(sql).fetchone()
    finally:
        connection.close()
    return row[0] if row else None
