"""Numbers, tables and provenance lines written the reader's way (i18n.formats, never by hand)."""

from __future__ import annotations

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _
from datactiviste.i18n.formats import NBSP, format_date, format_number, format_percent
from datactiviste.ingest.names import looks_like_identifier
from datactiviste.safety import escape_html, link_html

DEFAULT_TABLE_ROWS = 20
MAX_TABLE_ROWS = 200


def number_text(value, unit: str | None, decimals: str | None, lang: str, where: dict) -> str:
    """26818 -> '26 818', (12.53, '%') -> '12,5 %', ('Liste Fleuve') -> 'Liste Fleuve'."""
    places = None
    if decimals not in (None, ""):
        if not str(decimals).isdigit() or int(decimals) > 10:
            raise DatactivisteError(_("decimals must be a whole number from 0 to 10."), **where)
        places = int(decimals)
    if value is None:
        return _("(no value)")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit == "%":
            return format_percent(value, places, lang=lang)
        text = format_number(value, places, lang=lang)
        return f"{text}{NBSP}{unit}" if unit else text
    text = str(value)
    return f"{text}{NBSP}{unit}" if unit else text


def cell_text(value, column: str, lang: str) -> str:
    """A table cell: quantities grouped, codes and years as typed, floats rounded for reading."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) and looks_like_identifier(column):
        return str(value)
    return format_number(value, lang=lang)


def row_limit(option: str | None, where: dict) -> int:
    if option in (None, ""):
        return DEFAULT_TABLE_ROWS
    if not str(option).isdigit() or not 1 <= int(option) <= MAX_TABLE_ROWS:
        raise DatactivisteError(_("rows must be a whole number from 1 to {limit}.").format(
            limit=MAX_TABLE_ROWS), **where)
    return int(option)


def table_html(columns: list[str], rows: list[tuple], limit: int, title: str, number: int,
               lang: str) -> str:
    numeric = [all(isinstance(r[i], (int, float)) or r[i] is None for r in rows) and
               any(isinstance(r[i], (int, float)) for r in rows) for i in range(len(columns))]
    right = [' class="n"' if flag else "" for flag in numeric]
    head = "".join(f'<th scope="col"{right[i]}>{escape_html(c)}</th>' for i, c in enumerate(columns))
    body = []
    for row in rows[:limit]:
        cells = "".join(f"<td{right[i]}>{escape_html(cell_text(v, columns[i], lang))}</td>"
                        for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    caption = f"<caption>{escape_html(title)}</caption>" if title else ""
    note = ""
    if len(rows) > limit:
        note = (f'<p class="table-note">' + escape_html(
            _("First {shown} rows of {total}: all of them are in the appendix.").format(
                shown=limit, total=format_number(len(rows), lang=lang))) + "</p>")
    link = escape_html(_("Data behind this table (appendix)"))
    return (f'<div class="table" id="figure-{number}"><table>{caption}<thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(body)}</tbody></table>{note}"
            f'<p class="data-link"><a href="#data-{number}">{link}</a></p></div>')


def provenance_text(source: dict, lang: str) -> str:
    """'budget.csv, imported on 1 Dec 2026 (licence CC0)' from a `_sources` record."""
    parts = [source.get("file_name") or ""]
    if source.get("imported_at"):
        parts.append(_("imported on {date}").format(
            date=format_date(source["imported_at"], "day", lang=lang)))
    text = ", ".join(p for p in parts if p)
    if source.get("licence"):
        text += " " + _("(licence {licence})").format(licence=source["licence"])
    return text


def provenance_html(source: dict, lang: str) -> str:
    text = escape_html(provenance_text(source, lang))
    if source.get("source_url"):
        text += " — " + link_html(source["source_url"])
    return f'<span class="source">{text}</span>'
