"""The chart as one offline HTML page, readable from 320 px to 1200 px.

Two renderings of the chart are inline in a <figure>: the one at the spec's width, and a
narrow one laid out for phones (`build.NARROW_WIDTH`, never shown smaller than it was drawn,
so no text falls under 11 px); a media query shows the one that fits, the other is
`display:none` (out of the accessibility tree too). Text stays real SVG text, selectable. The
alt text is the SVG's accessible name and is also shown in the caption, the data is an HTML
table with a caption and header cells, and "get the data" is a CSV in a data: URI (French:
`;` and decimal comma, which is what Excel expects there). The only script tells an embedding
page the height of this one (`charts.embed`).
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from datactiviste.safety import neutralise_formula
from datactiviste.charts.data import ChartData
from datactiviste.charts.embed import embed_snippet, height_script
from datactiviste.charts.frame import Frame
from datactiviste.charts.labels import Labeller
from datactiviste.i18n import _
from datactiviste.safety import escape_html as escape

__all__ = ["chart_html", "data_csv", "data_table", "embed_snippet"]

STYLE = """
body{margin:0;background:#fff;color:#1a1a1a;font-family:Verdana,'DejaVu Sans',sans-serif}
figure{margin:0 auto;padding:8px;max-width:WIDTHpx}
figure svg{display:block;width:100%;height:auto}
.chart-narrow{display:none}
@media (max-width:BREAKpx){figure{padding:0}.chart-wide{display:none}
.chart-narrow{display:block;max-width:NARROW_MAXpx;margin:0 auto}
figcaption{padding:4px 10px}details{padding:0 10px 12px}}
figcaption{font-size:13px;line-height:1.45;color:#444;padding:4px 14px}
figcaption p{margin:.3em 0}
a{color:#0059a6}
details{font-size:13px;margin:0 auto;padding:0 22px 12px;max-width:WIDTHpx}
table{border-collapse:collapse;margin-top:6px}
caption{text-align:left;color:#444;padding-bottom:4px}
th,td{padding:3px 10px;border-bottom:1px solid #e3e3e3;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
"""


def _is_link(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _headers(data: ChartData) -> list[str]:
    return [data.x_label] + ([data.color_label] if data.color_label else []) + [data.y_label]


def data_csv(data: ChartData, lang: str) -> str:
    """The drawn data as CSV for Excel in the reader's language (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    writer.writerow([neutralise_formula(h) for h in _headers(data)])
    for x, group, y in data.rows():
        x_text = x.isoformat()[:10] if hasattr(x, "isoformat") else x
        y_text = repr(float(y)).removesuffix(".0")
        if lang == "fr":
            y_text = y_text.replace(".", ",")
        writer.writerow([neutralise_formula(x_text)] + ([neutralise_formula(group)] if data.color_label else [])
                        + [y_text])
    return "\ufeff" + buffer.getvalue()


def data_table(data: ChartData, labeller: Labeller, title: str) -> str:
    head = "".join(f'<th scope="col"{" class=n" if i == len(_headers(data)) - 1 else ""}>'
                   f"{escape(h)}</th>" for i, h in enumerate(_headers(data)))
    body = []
    for x, group, y in data.rows():
        cells = [f'<th scope="row">{escape(labeller.x(x))}</th>']
        if data.color_label:
            cells.append(f"<td>{escape(str(group))}</td>")
        cells.append(f'<td class="n">{escape(labeller.value(y))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{escape(title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


NARROW_MAX = 1.5   # the narrow rendering grows to 1.5 x its width at most, then is centred


def chart_html(svg: str, frame: Frame, data: ChartData, labeller: Labeller, name: str,
               width: int, lang: str, narrow_svg: str | None = None,
               narrow_width: int = 320) -> str:
    source = escape(frame.source or frame.source_url)
    if frame.source_url and _is_link(frame.source_url):
        source = f'<a href="{escape(frame.source_url)}" rel="noopener">{source}</a>'
    caption = [f'<p class="alt"><strong>{escape(_("Description:"))}</strong> '
               f"{escape(frame.alt)}</p>"]
    credits = []
    if source:
        credits.append(escape(_("Source:")) + " " + source)
    if frame.byline:
        credits.append(escape(_("Chart:")) + " " + escape(frame.byline))
    if credits:
        caption.append('<p class="source">' + " • ".join(credits) + "</p>")
    csv_uri = "data:text/csv;charset=utf-8," + quote(data_csv(data, lang))
    caption.append(f'<p class="download"><a download="{escape(name)}.csv" href="{csv_uri}">'
                   f"{escape(_('Get the data (CSV)'))}</a></p>")
    table = data_table(data, labeller, frame.title)
    style = STYLE.replace("BREAK", str(width + 15)).replace("NARROW_MAX", str(
        int(narrow_width * NARROW_MAX))).replace("WIDTH", str(width))
    if narrow_svg:
        drawing = (f'<div class="chart-wide">\n{svg}\n</div>\n'
                   f'<div class="chart-narrow">\n{narrow_svg}\n</div>')
    else:
        drawing, style = svg, style.replace(".chart-narrow{display:none}", "")
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(frame.title)}</title>\n"
            f"<style>{style}</style>\n</head>\n<body>\n"
            f"<figure>\n{drawing}\n<figcaption>\n" + "\n".join(caption) + "\n</figcaption>\n"
            f"</figure>\n<details>\n<summary>{escape(_('Show the data as a table'))}</summary>\n"
            f"{table}\n</details>\n{height_script(name)}\n</body>\n</html>\n")


