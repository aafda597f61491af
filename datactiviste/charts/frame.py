"""The chart's publication frame (`graphics.frame.Frame`) filled from the spec and the data.

Missing source and link come from the table's provenance (the file's own source line, else
its name, with its licence and URL), so a chart never leaves without one.
"""

from __future__ import annotations

from datactiviste.charts.data import ChartData
from datactiviste.charts.spec import ChartSpec
from datactiviste.graphics.frame import Frame, default_source
from datactiviste.i18n import _
from datactiviste.i18n.formats import keep_with_punctuation

__all__ = ["Frame", "build_frame", "default_source"]


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
