"""The dossier as one HTML document: text, method, appendix, reproducibility footer, styles.

One file, no script, no external load: figures are inline SVG, data are data: URIs, fonts are
the reader's own. The print stylesheet lays it out on A4 (figures never split across pages,
the appendix on a page of its own), so "print to PDF" in any browser gives a clean document.
"""

from __future__ import annotations

from dataclasses import dataclass

from datactiviste.i18n import _
from datactiviste.safety import escape_html

STYLE = """
:root{--ink:#1a1a1a;--soft:#555;--line:#ddd;--accent:#0059a6}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);font:17px/1.6 Georgia,'DejaVu Serif',serif}
.page{max-width:44rem;margin:0 auto;padding:1.5rem 1.1rem 3rem}
header.cover{border-bottom:3px solid var(--ink);margin-bottom:1.5rem;padding-bottom:.8rem}
.kicker{font:600 .8rem/1.2 Verdana,'DejaVu Sans',sans-serif;letter-spacing:.08em;
 text-transform:uppercase;color:var(--accent);margin:0 0 .4rem}
h1{font-size:2rem;line-height:1.2;margin:.2rem 0 .5rem}
h2{font-size:1.4rem;line-height:1.25;margin:2rem 0 .6rem}
h3{font-size:1.1rem;margin:1.4rem 0 .4rem}
h4{font-size:1rem;margin:1.1rem 0 .3rem}
h1,h2,h3,h4,.byline,figcaption,table,.links,footer,.method,.appendix{font-family:Verdana,
 'DejaVu Sans',sans-serif}
.subtitle{font-size:1.15rem;color:var(--soft);margin:.2rem 0}
.byline{font-size:.85rem;color:var(--soft);margin:.4rem 0 0}
a{color:var(--accent)}
a.fact{color:inherit;text-decoration:underline dotted var(--accent);text-underline-offset:3px}
.missing{background:#fde8e8}
figure{margin:1.6rem 0;padding:0;overflow:hidden}
figure svg{display:block;width:100%;height:auto;max-width:100%;overflow:hidden}
main,.method,.appendix,footer{overflow-wrap:anywhere}
figcaption{font-size:.8rem;line-height:1.45;color:var(--soft);margin-top:.3rem}
figcaption p{margin:.2rem 0}
.table{margin:1.4rem 0;overflow-x:auto}
table{border-collapse:collapse;font-size:.85rem;min-width:50%}
caption{text-align:left;font-weight:600;padding-bottom:.3rem}
th,td{padding:.3rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.table-note,.data-link{font-size:.8rem;color:var(--soft);margin:.3rem 0}
pre{background:#f5f5f2;padding:.6rem .8rem;overflow-x:auto;font-size:.78rem;line-height:1.4;
 white-space:pre-wrap;word-break:break-word}
code{font-family:'DejaVu Sans Mono',Consolas,monospace}
code.hash{font-size:.72rem;word-break:break-all}
.method,.appendix{font-size:.9rem;border-top:1px solid var(--line);margin-top:2.5rem}
.provenance th{white-space:nowrap;font-weight:600}
.anomalies small{color:var(--soft)}
.warning{color:#8a1c1c}
ol.queries li,ol.data li{margin-bottom:.7rem}
.links{font-size:.82rem;margin:.2rem 0}
footer{border-top:3px solid var(--ink);margin-top:2.5rem;padding-top:.6rem;font-size:.78rem;
 color:var(--soft)}
footer p{margin:.2rem 0}
img{max-width:100%;height:auto}
blockquote{margin:1rem 0;padding:.2rem 1rem;border-left:4px solid var(--accent);color:#333}
@media (max-width:480px){body{font-size:16px}h1{font-size:1.55rem}.page{padding:1rem .8rem}}
@page{size:A4;margin:16mm 15mm 18mm}
@media print{
 body{font-size:10.5pt;line-height:1.45}
 .page{max-width:none;padding:0}
 a{color:inherit;text-decoration:none}
 figure,.table,table,pre,ol.queries li,ol.data li,.provenance{break-inside:avoid}
 h1,h2,h3,h4{break-after:avoid}
 .data-link,.screen{display:none}
 footer{break-inside:avoid}
 .appendix{break-before:page}
 figure svg{max-height:120mm;width:auto;margin:0 auto}
}
"""


@dataclass
class Reproducibility:
    database_name: str
    database_sha256: str
    version: str
    built_at: str           # already written for the reader
    text_sha256: str


def footer_html(info: Reproducibility) -> str:
    lines = [
        _("Built on {date} by datactiviste {version}.").format(date=info.built_at,
                                                               version=info.version),
        _("Database {name}, sha256 {checksum}.").format(name=info.database_name,
                                                        checksum=info.database_sha256),
        _("Text dossier.md, sha256 {checksum}.").format(checksum=info.text_sha256),
        _("To reproduce: datactiviste dossier build on the same folder gives the same figures; "
          "datactiviste dossier check re-runs every query."),
    ]
    return "<footer>" + "".join(f"<p>{escape_html(line)}</p>" for line in lines) + "</footer>"


def document_html(*, lang: str, title: str, subtitle: str, authors: str, body: str,
                  method: str, appendix: str, footer: str) -> str:
    cover = [f'<p class="kicker">{escape_html(_("Advocacy dossier"))}</p>']
    if title:
        cover.append(f"<h1>{escape_html(title)}</h1>")
    if subtitle:
        cover.append(f'<p class="subtitle">{escape_html(subtitle)}</p>')
    if authors:
        cover.append(f'<p class="byline">{escape_html(authors)}</p>')
    return (f'<!DOCTYPE html>\n<html lang="{escape_html(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="datactiviste dossier">\n'
            f"<title>{escape_html(title or _('Dossier'))}</title>\n<style>{STYLE}</style>\n"
            f'</head>\n<body>\n<div class="page">\n<header class="cover">{"".join(cover)}</header>\n'
            f'<main>\n{body}\n</main>\n{method}\n{appendix}\n{footer}\n</div>\n</body>\n</html>\n')
