"""The map's frame: title, legend, source line and credits, in the user's language.

Everything here is HTML-escaped text placed in fixed boxes over the map; a legend is a list of
(swatch, label) pairs, so it works for categories, classed values and circle sizes alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from datactiviste.i18n import _

CSS = """
<style>
.folium-map { background: #dfeaf2; }
.dtv-box { position: absolute; z-index: 1000; background: rgba(255,255,255,.92); padding: 6px 10px;
  font: 13px/1.35 Arial, Helvetica, sans-serif; color: #222; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 45%; }
.dtv-title { top: 10px; left: 50%; transform: translateX(-50%); font-size: 16px; font-weight: bold;
  text-align: center; }
.dtv-legend { bottom: 30px; right: 10px; }
.dtv-legend h4 { margin: 0 0 4px; font-size: 13px; }
.dtv-legend div { white-space: nowrap; }
.dtv-swatch { display: inline-block; width: 14px; height: 14px; margin-right: 6px;
  vertical-align: middle; border: 1px solid #777; }
.dtv-circle { display: inline-block; margin-right: 6px; vertical-align: middle; border-radius: 50%;
  border: 1px solid #444; background: rgba(49,130,189,.6); }
.dtv-credits { bottom: 4px; right: 10px; font-size: 11px; padding: 2px 6px; max-width: 70%; }
.dtv-note { top: 56px; left: 50%; transform: translateX(-50%); font-size: 12px; color: #7a4b00; }
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

    def html(self) -> str:
        lines = [f"<h4>{escape(self.title)}</h4>"]
        for kind, value, label in self.items:
            if kind == "circle":
                size = int(float(value) * 2)
                swatch = f'<span class="dtv-circle" style="width:{size}px;height:{size}px"></span>'
            else:
                swatch = f'<span class="dtv-swatch" style="background:{escape(value)}"></span>'
            lines.append(f"<div>{swatch}{escape(label)}</div>")
        return "".join(lines)


def credits_text(source: str | None, places: bool = False, tiles: str | None = None) -> str:
    """'Source : X · Fond de carte : Natural Earth · Lieux : GeoNames (CC BY 4.0)'."""
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


def frame_html(title: str | None, legends: list[Legend], credits: str, note: str | None = None) -> str:
    boxes = [CSS]
    if title:
        boxes.append(f'<div class="dtv-box dtv-title">{escape(title)}</div>')
    if note:
        boxes.append(f'<div class="dtv-box dtv-note">{escape(note)}</div>')
    legend_html = "<hr>".join(legend.html() for legend in legends if legend.items)
    if legend_html:
        boxes.append(f'<div class="dtv-box dtv-legend">{legend_html}</div>')
    boxes.append(f'<div class="dtv-box dtv-credits">{escape(credits)}</div>')
    return "\n".join(boxes)
