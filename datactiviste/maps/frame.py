"""The map's publication frame: title and subtitle above the map; legend, notes, source,
byline, credits and the description below it, in the user's language.

The legend is laid out beside the map, not over it: on a 360 px phone a floating box hides a
third of the map, the source or the scale bar. Above and below, nothing can cover the data.
Everything here is HTML-escaped text; a legend is a list of (kind, style value, label) entries,
so it works for categories, classed values and circle sizes alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from datactiviste.graphics.frame import Frame
from datactiviste.i18n import _

CSS = """
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 14px/1.4 Arial, Helvetica, sans-serif;
  color: #1a1a1a; background: #fff; }
.folium-map { flex: 1 1 auto; min-height: 260px; height: auto !important;
  position: relative !important; background: #dfeaf2; }
.dtv-head { order: -1; padding: 10px 14px 6px; }
.dtv-title { margin: 0; font-size: 20px; line-height: 1.25; font-weight: bold; }
.dtv-subtitle { margin: 2px 0 0; font-size: 15px; color: #5c5c5c; }
.dtv-note { margin: 4px 0 0; font-size: 13px; color: #7a4b00; }
.dtv-foot { order: 1; padding: 6px 14px 10px; font-size: 13px; color: #5c5c5c; }
.dtv-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; align-items: flex-start;
  color: #1a1a1a; }
.dtv-legend section { min-width: 0; }
.dtv-legend h4 { margin: 0 0 3px; font-size: 13px; }
.dtv-legend ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 2px 12px; align-items: center; }
.dtv-legend li { white-space: nowrap; font-size: 13px; }
.dtv-legend .dtv-legend-note { font-size: 12px; color: #5c5c5c; margin: 2px 0 0; }
.dtv-swatch { display: inline-block; width: 14px; height: 14px; margin-right: 5px;
  vertical-align: middle; border: 1px solid #777; }
.dtv-circle { display: inline-block; margin-right: 5px; vertical-align: middle; border-radius: 50%;
  border: 1px solid #2c5d8a; background: rgba(49,130,189,.55); }
.dtv-notes, .dtv-source, .dtv-credits, .dtv-alt { margin: 4px 0 0; font-size: 12px; }
.dtv-credits { color: #767676; }
.dtv-label span { font: bold 12px Arial, Helvetica, sans-serif; color: #1a1a1a;
  white-space: nowrap; display: inline-block; transform: translate(-50%, -50%);
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
.dtv-label { pointer-events: none; }
table.dtv-popup { border-collapse: collapse; font-size: 12px; }
table.dtv-popup th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: normal;
  vertical-align: top; }
table.dtv-popup td { padding: 1px 0; font-weight: bold; }
</style>
"""


@dataclass
class Legend:
    title: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, style value, label)
    note: str = ""                                                   # '(n): regions per class'

    def html(self) -> str:
        lines = [f"<section><h4>{escape(self.title)}</h4><ul>"]
        for kind, value, label in self.items:
            if kind == "circle":
                size = max(2, round(float(value) * 2))
                swatch = ('<span class="dtv-circle" style="width:calc({0}px * var(--dtv-scale, 1));'
                          'height:calc({0}px * var(--dtv-scale, 1))"></span>').format(size)
            else:
                swatch = f'<span class="dtv-swatch" style="background:{escape(value)}"></span>'
            lines.append(f"<li>{swatch}{escape(label)}</li>")
        lines.append("</ul>")
        if self.note:
            lines.append(f'<p class="dtv-legend-note">{escape(self.note)}</p>')
        return "".join(lines) + "</section>"


def credits_text(source: str | None = None, places: bool = False, tiles: str | None = None) -> str:
    """'Fond de carte : Natural Earth · Lieux : GeoNames (CC BY 4.0) · Réalisé avec datactiviste'.

    A `source` (older callers) is put first as 'Source of the data: X'."""
    parts = []
    if source:
        parts.append(_("Source of the data: {source}").format(source=source))
    parts.append(_("Basemap: Natural Earth"))
    if tiles:
        parts.append(_("Tiles: {attribution}").format(attribution=tiles))
    if places:
        parts.append(_("Places: GeoNames (CC BY 4.0)"))
    parts.append(_("Made with datactiviste"))
    return " · ".join(parts)


def frame_html(frame: Frame, legends: list[Legend], credits: str, note: str | None = None) -> str:
    """The header and footer around the map (CSS `order` puts the header above the map)."""
    head = []
    if frame.title:
        head.append(f'<h1 class="dtv-title">{escape(frame.title)}</h1>')
    if frame.subtitle:
        head.append(f'<p class="dtv-subtitle">{escape(frame.subtitle)}</p>')
    if note:
        head.append(f'<p class="dtv-note">{escape(note)}</p>')
    foot = []
    legend_html = "".join(legend.html() for legend in legends if legend.items)
    if legend_html:
        foot.append(f'<div class="dtv-legend">{legend_html}</div>')
    if frame.notes:
        foot.append(f'<p class="dtv-notes">{escape(frame.notes)}</p>')
    source = frame.source_line()
    if source:
        foot.append(f'<p class="dtv-source">{escape(source)}</p>')
    if frame.credit:
        foot.append(f'<p class="dtv-credits">{escape(frame.credit)}</p>')
    foot.append(f'<p class="dtv-credits">{escape(credits)}</p>')
    if frame.alt:
        foot.append(f'<p class="dtv-alt"><strong>{escape(_("Description:"))}</strong> '
                    f"{escape(frame.alt)}</p>")
    parts = [CSS]
    if head:
        parts.append('<header class="dtv-head">' + "".join(head) + "</header>")
    parts.append('<footer class="dtv-foot">' + "".join(foot) + "</footer>")
    return "\n".join(parts)
