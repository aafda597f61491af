"""`dossier pack`: one zip for another newsroom to rebuild the dossier offline and get the same figures.

Inside, under the dossier's folder name: dossier.md (its `base:` pointing at the packed
database, every other line unchanged so line numbers stay), the database (whole, or only the
tables the figures read with their provenance), the saved chart specs and images the text uses,
every query in one .sql file, the source files whose sha256 matches the import record (missing
ones are listed), the last build, and a short README. Written to a temporary file, then renamed.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from datactiviste.dossier.build import evaluate_dossier
from datactiviste.dossier.folder import (DOSSIER_FILE, FACTS_FILE, HTML_FILE, PDF_FILE, Dossier,
                                         read_dossier, write_atomically)
from datactiviste.files import sha256_file
from datactiviste.dossier.method import figure_labels, tables_used
from datactiviste.dossier.templates import GUIDE_FILE
from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.project import data_tables, latest_source
from datactiviste.ingest.names import quote

PACKED_DATABASE = "datactiviste.db"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)     # fixed: the same dossier gives the same archive listing
_BASE_LINE = re.compile(r"^(base|database)[ \t]*:.*$", re.M | re.I)
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def packed_text(dossier: Dossier) -> str:
    """dossier.md with `base:` set to the packed database (same number of lines)."""
    text = dossier.text
    front_end = text.find("\n---", 3) if text.startswith("---") else -1
    if front_end < 0:
        return text   # no front matter: the database is datactiviste.db beside it already
    front, rest = text[:front_end], text[front_end:]
    if _BASE_LINE.search(front):
        front = _BASE_LINE.sub(lambda m: f"{m.group(1)}: {PACKED_DATABASE}", front, count=1)
    else:
        front += f"\nbase: {PACKED_DATABASE}"
    return front + rest


def _copy_database(source: Path, target: Path, keep: list[str] | None) -> None:
    """A consistent copy (SQLite backup API); with `keep`, only those tables and their provenance."""
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
        if keep is not None:
            for table in data_tables(writer):
                if table not in keep:
                    writer.execute(f"DROP TABLE {quote(table)}")
            marks = ",".join("?" * len(keep)) or "''"
            for meta in ("_sources", "_anomalies"):
                try:
                    writer.execute(f"DELETE FROM {meta} WHERE table_name NOT IN ({marks})", keep)
                except sqlite3.OperationalError:
                    pass
            writer.commit()
            writer.execute("VACUUM")
        writer.commit()
    finally:
        reader.close()
        writer.close()


def _queries_sql(evaluation) -> str:
    lines = ["-- " + _("Every query of the dossier, in the order of the text.")]
    for fact, label in zip(evaluation.facts, figure_labels(evaluation.facts)):
        if fact.sql:
            lines += ["", f"-- {label}: {fact.display}".replace("\n", " "),
                      fact.sql.strip().rstrip(";") + ";"]
    return "\n".join(lines) + "\n"


def _source_files(dossier: Dossier, tables: list[str]) -> tuple[list[tuple[str, Path]], list[str]]:
    """(name, path) of source files found with the recorded sha256; names not found."""
    connection = sqlite3.connect(f"{dossier.database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        records = [latest_source(connection, t) for t in tables]
    finally:
        connection.close()
    places = [dossier.folder, dossier.database.parent, Path.cwd()]
    found, missing = [], []
    for record in filter(None, records):
        name = record.get("file_name") or ""
        match = next((p / name for p in places if (p / name).is_file() and
                      (not record.get("sha256") or sha256_file(p / name) == record["sha256"])),
                     None)
        if match is not None and name not in [n for n, _p in found]:
            found.append((name, match))
        elif match is None and name not in missing:
            missing.append(name)
    return found, missing


def _readme(dossier: Dossier, missing: list[str], only_queried: bool) -> str:
    name = dossier.folder.resolve().name
    lines = [_("# Dossier to reproduce"), "",
             _("Rebuild it offline with datactiviste:"), "",
             f"    datactiviste dossier build {name}",
             f"    datactiviste dossier check {name}", "",
             _("The figures are computed again from {db}; dossier.html is the build sent with "
               "the pack, to compare.").format(db=PACKED_DATABASE)]
    if only_queried:
        lines += ["", _("The database holds only the tables the figures read.")]
    if missing:
        lines += ["", _("Source files not included (not found, or changed since the import): "
                        "{names}.").format(names=", ".join(missing))]
    return "\n".join(lines) + "\n"


def pack_dossier(folder, output, *, only_queried: bool = False) -> tuple[Path, list[str]]:
    """Write the zip; returns (path, source files that could not be included)."""
    dossier = read_dossier(folder)
    evaluation, _checksum = evaluate_dossier(dossier)
    output = Path(output)
    if output.resolve().parent == dossier.folder.resolve() or output.suffix.lower() != ".zip":
        raise DatactivisteError(_("Write the pack outside the dossier folder, as a .zip file."),
                                hint=_("Example: datactiviste dossier pack {folder} -o "
                                       "dossier.zip").format(folder=folder))
    tables = tables_used(evaluation.facts)
    root = dossier.folder.resolve().name
    sources, missing = _source_files(dossier, tables)
    extra = [d.body for d in evaluation.directives if d.kind == "chart"
             and d.body.lower().endswith(".json")]
    extra += [m.group(1) for m in _IMAGE.finditer(dossier.body) if "://" not in m.group(1)]
    extra += [GUIDE_FILE[dossier.lang], HTML_FILE, FACTS_FILE, PDF_FILE]
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dossier-pack-") as scratch:
        database = Path(scratch) / PACKED_DATABASE
        _copy_database(dossier.database, database, tables if only_queried else None)
        archive = Path(scratch) / "pack.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            def add(name: str, data: bytes):
                info = zipfile.ZipInfo(f"{root}/{name}", ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zipped.writestr(info, data)

            add(DOSSIER_FILE, packed_text(dossier).encode("utf-8"))
            add(PACKED_DATABASE, database.read_bytes())
            add("requetes.sql" if dossier.lang == "fr" else "queries.sql",
                _queries_sql(evaluation).encode("utf-8"))
            add("LISEZMOI.md" if dossier.lang == "fr" else "README.md",
                _readme(dossier, missing, only_queried).encode("utf-8"))
            for relative in dict.fromkeys(extra):
                path = (dossier.folder / relative).resolve()
                if not path.is_file():
                    continue
                if path.is_relative_to(dossier.folder.resolve()):
                    add(path.relative_to(dossier.folder.resolve()).as_posix(), path.read_bytes())
                else:   # e.g. ../voix.json: the other newsroom would miss it; say so
                    missing.append(_("{file} (outside the dossier folder: move it in)").format(
                        file=relative))
            for name, path in sources:
                add(f"sources/{name}", path.read_bytes())
        write_atomically(output, archive.read_bytes())
    return output, missing
