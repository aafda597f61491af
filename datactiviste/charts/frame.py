"""The publication frame: what turns a plot into something a newsroom can publish.

Title (a finding, not a label), subtitle, notes, the source with its link, the byline, an
optional credit line, and the alt text. Missing source and link come from the table's
provenance (the imported file, its licence and URL), so a chart never leaves without one.
"""

from __future__ import annotations

from dataclasses import dataclass

from datactiviste.charts.data import ChartData
from datactiviste.charts.spec import ChartSpec
from datactiviste.i18n import _
from datactiviste.i18n.formats import keep_with_punctuation


@dataclass
class Frame:
    title: str
    subtitle: str
    notes: str
    source: str
    source_url: str
    byline: str
    credit: str
    alt: str
    alt_generated: bool
    logo: str = ""

    def source_line(self) -> str:
        """'Source : INSD, budget.csv • Graphique : A. Diallo' (what the image carries)."""
        parts = []
        if self.source:
            parts.append(_("Source: {source}").format(source=self.source))
        if self.byline:
            parts.append(_("Chart: {byline}").format(byline=self.byline))
        return keep_with_punctuation(" • ".join(parts))


def default_source(provenance: dict | None) -> tuple[str, str]:
    """(source text, URL) from the provenance of the imported table."""
    if not provenance:
        return "", ""
    source = provenance.get("file_name") or ""
    if provenance.get("licence"):
        source = f"{source} ({provenance['licence']})"
    return source, provenance.get("source_url") or ""


def build_frame(spec: ChartSpec, data: ChartData, generated_alt: str) -> Frame:
    source, url = default_source(data.provenance)
    title = spec.title or _("{y} by {x}").format(y=data.y_label, x=data.x_label)
    return Frame(title=title.strip(), subtitle=(spec.subtitle or "").strip(),
                 notes=(spec.notes or "").strip(),
                 source=(spec.source if spec.source is not None else source).strip(),
                 source_url=(spec.source_url if spec.source_url is not None else url).strip(),
                 byline=(spec.byline or "").strip(), credit=(spec.credit or "").strip(),
                 alt=(spec.alt or keep_with_punctuation(generated_alt)).strip(),
                 alt_generated=not spec.alt, logo=spec.logo or "")
