"""The publication frame charts and maps share: what turns a drawing into something to publish.

Title (a finding, not a label), subtitle, notes, the source with its link, the byline, an
optional credit line, and the alt text (generated from the data and marked as such when the
journalist gives none). The default source is the file's own source line — the "Source :
MSAS/DES, enquête 2023" that the importer kept in `_anomalies` as a line before the header or
after the data — then the imported file's name, so nothing leaves without a source.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from datactiviste.i18n import N_, _
from datactiviste.i18n.formats import keep_with_punctuation

GENERATED_NOTE = N_("(Description generated automatically from the data.)")
# 'Source : X', 'Sources: X', 'Source des données : X', 'Data: X', 'Données : X' (folded).
_SOURCE_LINE = re.compile(r"^\W*(?:sources?(?: des donn[ée]es| of the data)?|donn[ée]es|data|"
                          r"origine)\s*:\s*(.+)$", re.I)


@dataclass
class Frame:
    title: str
    subtitle: str = ""
    notes: str = ""
    source: str = ""
    source_url: str = ""
    byline: str = ""
    credit: str = ""
    alt: str = ""
    alt_generated: bool = False
    logo: str = ""
    byline_label: str = N_("Chart: {byline}")   # 'Map: {byline}' on maps

    def source_line(self) -> str:
        """'Source : INSD, budget.csv • Graphique : A. Diallo' (what the image carries)."""
        parts = []
        if self.source:
            parts.append(_("Source: {source}").format(source=self.source))
        if self.byline:
            parts.append(_(self.byline_label).format(byline=self.byline))
        return keep_with_punctuation(" • ".join(parts))


def import_source_line(connection: sqlite3.Connection, provenance: dict | None) -> str:
    """The 'Source : …' text the imported file carried (before its header or after its data)."""
    if not provenance or not provenance.get("id"):
        return ""
    try:
        rows = connection.execute(
            "SELECT raw_value FROM _anomalies WHERE source_id = ? AND column_name IS NULL "
            "AND reason IN ('preamble', 'footer') ORDER BY source_line LIMIT 50",
            (provenance["id"],)).fetchall()
    except sqlite3.Error:
        return ""
    for (raw,) in rows:
        text = str(raw or "").strip().strip(";,\t\"").strip()
        match = _SOURCE_LINE.match(text)
        if match:
            return match.group(1).strip(" ;,\t\"")
    return ""


def default_source(provenance: dict | None) -> tuple[str, str]:
    """(source text, URL): the file's own source line, else its name; the licence appended."""
    if not provenance:
        return "", ""
    source = provenance.get("source_line") or provenance.get("file_name") or ""
    if provenance.get("licence"):
        source = f"{source} ({provenance['licence']})"
    return source, provenance.get("source_url") or ""


def with_source_line(connection: sqlite3.Connection, provenance: dict | None) -> dict | None:
    """The provenance with the file's own source line added under 'source_line'."""
    if provenance is None:
        return None
    return {**provenance, "source_line": import_source_line(connection, provenance)}
