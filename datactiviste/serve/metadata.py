"""Datasette metadata from what the importer recorded: titles, source, licence, column labels.

Each imported table gets its source file as `source`, its licence and URL when known, its
original column headers as column descriptions (shown under the title and in the column
menu) where a header says more than the column's name, and an "about this data" panel (file,
import date, encoding, rows, anomalies), folded on small screens (`layout.FOLD_CLASS`).
Our bookkeeping tables (`_sources`, `_anomalies`) are hidden from the lists.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from markupsafe import escape

from datactiviste import project
from datactiviste.i18n.formats import format_date, format_number
from datactiviste.safety import safe_href
from datactiviste.ingest.names import slugify
from datactiviste.serve.layout import FOLD_CLASS
from datactiviste.serve.sqlite_uri import readonly_uri


def database_metadata(path: Path, name: str, translator) -> dict:
    """Datasette metadata for one project database (empty when it has no provenance)."""
    _ = translator.gettext
    connection = sqlite3.connect(readonly_uri(path), uri=True)
    try:
        tables = {}
        for table in project.data_tables(connection):
            source = project.latest_source(connection, table)
            if source:
                tables[table] = table_metadata(connection, table, source, translator)
        for hidden in project.META_TABLES:
            tables[hidden] = {"hidden": True}
    finally:
        connection.close()
    return {"title": name, "tables": tables,
            "description": _("Tables imported with datactiviste. Click a table to explore it.")}


def says_more_than_name(label: str, name: str) -> bool:
    """Whether a header tells the reader more than the column name made from it.

    Compared as the importer makes names (`slugify`: no case, accents, spaces or punctuation),
    with no length cut: "Code région" says nothing more than code_region, "Nom" than nom,
    "Montant (FCFA)" than montant_fcfa; a header cut to make the name, or a renamed column,
    does say more.
    """
    unlimited = len(label) + len(name) + 1
    return slugify(label, unlimited) != slugify(name, unlimited)


def column_descriptions(columns: list[dict]) -> dict[str, str]:
    """{column name: original header (and unit)} for the columns whose header says more."""
    descriptions = {}
    for column in columns:
        label = column.get("label") or column["name"]
        unit = column.get("unit")
        label = f"{label} ({unit})" if unit and unit not in label else label
        if says_more_than_name(label, column["name"]):
            descriptions[column["name"]] = label
    return descriptions


def table_metadata(connection, table: str, source: dict, translator) -> dict:
    columns = column_descriptions(source.get("columns") or [])
    metadata = {
        "title": table,
        "source": source.get("file_name"),
        "description_html": about_panel(connection, table, source, translator, bool(columns)),
        "columns": columns,
    }
    if source.get("licence"):
        metadata["license"] = source["licence"]
    if safe_href(source.get("source_url")):  # Datasette renders it as a link: http(s) only
        metadata["source_url"] = safe_href(source["source_url"])
    return metadata


def about_panel(connection, table: str, source: dict, translator, described: bool = True) -> str:
    """The "about this data" panel: a <details> block with what we know of the source.

    `described`: some columns have a description (their original header) under the panel.
    """
    _ = translator.gettext
    language = translator.language
    anomalies = connection.execute(
        "SELECT count(*) FROM _anomalies WHERE table_name = ?", (table,)).fetchone()[0] \
        if _has_table(connection, "_anomalies") else 0
    facts = [(_("Source file"), source.get("file_name"))]
    if source.get("imported_at"):
        try:
            imported = format_date(source["imported_at"], "day", lang=language)
        except ValueError:
            imported = source["imported_at"]
        facts.append((_("Imported on"), imported))
    if source.get("encoding"):
        facts.append((_("Encoding"), source["encoding"]))
    if source.get("delimiter"):
        delimiter = {";": _("; (semicolon)"), ",": _(", (comma)"), "\t": _("tab character")}.get(
            source["delimiter"], source["delimiter"])
        facts.append((_("Separator"), delimiter))
    if source.get("rows_written") is not None:
        facts.append((_("Rows imported"), format_number(source["rows_written"], lang=language)))
    facts.append((_("Values kept as text (anomalies)"), format_number(anomalies, lang=language)))
    if source.get("licence"):
        facts.append((_("Licence"), source["licence"]))
    if source.get("source_url"):
        facts.append((_("Published at"), source["source_url"]))
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts if v not in (None, ""))
    note = (f"<p>{escape(_('Column descriptions below are the original headers of the file.'))}</p>"
            if described else "")
    return (f'<details class="dt-about {FOLD_CLASS}"><summary>{escape(_("About this data"))}</summary>'
            f"<dl>{rows}</dl>{note}</details>")


def _has_table(connection, name: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                              (name,)).fetchone() is not None
