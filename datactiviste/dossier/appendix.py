"""The appendix: the data behind each figure, as a CSV download inside the file.

The CSV is for a spreadsheet in the reader's language (French: `;` and decimal comma, UTF-8
with BOM, what Excel expects), every text cell formula-neutralised (`safety.neutralise_formula`)
so a hostile value in the data cannot run in the reader's spreadsheet. It is a base64 data: URI:
nothing is fetched, and the file keeps working from a USB stick.
"""

from __future__ import annotations

import base64
import csv
import io

from datactiviste.dossier.method import figure_labels
from datactiviste.facts.model import Fact
from datactiviste.i18n import _, ngettext
from datactiviste.i18n.formats import format_number
from datactiviste.safety import escape_html, neutralise_formula


def _cell(value, lang: str):
    if value is None:
        return ""
    if isinstance(value, float):
        text = repr(value).removesuffix(".0")
        return text.replace(".", ",") if lang == "fr" and "e" not in text else text
    if isinstance(value, (int, bool)):
        return str(value)
    return neutralise_formula(str(value))


def figure_csv(fact: Fact, lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(c)) for c in fact.columns])
    for row in fact.rows:
        writer.writerow([_cell(v, lang) for v in row])
    return "\ufeff" + buffer.getvalue()


def csv_uri(text: str) -> str:
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode()


def appendix_html(facts: list[Fact], lang: str) -> str:
    items = []
    for number, (fact, label) in enumerate(zip(facts, figure_labels(facts))):
        if fact.kind == "source":
            continue
        label = escape_html(label)
        title = f" — {escape_html(fact.display)}" if fact.display else ""
        count = ngettext("{count} row", "{count} rows", len(fact.rows)).format(
            count=format_number(len(fact.rows), lang=lang))
        links = [f'<a download="figure-{number + 1}.csv" href="{csv_uri(figure_csv(fact, lang))}">'
                 f"{escape_html(_('Download the data (CSV)'))}</a>"] if fact.columns else []
        if fact.sql:
            links.append(f'<a href="#sql-{number}">{escape_html(_("Its query"))}</a>')
        links.append(f'<a href="#figure-{number}">{escape_html(_("Back to the text"))}</a>')
        on_screen = "".join(f'<span class="screen"> · {link}</span>' for link in links)
        items.append(f'<li id="data-{number}"><p><strong>{label}</strong>{title}</p>'
                     f'<p class="links">{escape_html(count)}{on_screen}</p></li>')
    heading = escape_html(_("Appendix: the data behind each figure"))
    intro = escape_html(_("The data of each figure, to check or reuse: the CSV opens in a "
                          "spreadsheet."))
    return (f'<section id="appendix" class="appendix"><h2>{heading}</h2><p>{intro}</p>'
            f'<ol class="data">{"".join(items)}</ol></section>')
