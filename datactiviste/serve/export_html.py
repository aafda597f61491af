"""One table as one self-contained HTML file, for a colleague who has no tool at all.

Sent over WhatsApp or on a USB stick, it opens in any browser without a network: no script,
style or font from anywhere, only a small inline script that sorts (click a header), filters
(one box per column) and searches (one box for all columns) the rows embedded in the page.

Why the data is stored the way it is (the budget is 1 MB for 5,000 rows x 10 columns):
- the rows are one JSON array of raw values (sorting compares the stored numbers, not text);
- numbers are also shown the reader's way (`formats.format_exact`, as in `serve`'s cells:
  identifiers, codes and years ungrouped, columns with cents at two decimals), computed here,
  kept per numeric column;
- the CSV download is built in the page from the same rows, so the data is not stored twice;
  the cells `safety.neutralise_formula` changes (rare) are shipped as overrides, so the
  spreadsheet rule stays the Python one.
JSON inside <script> is made inert: every '<', '>' and '&' is a \\u escape, so no value can
close the element. Every text outside the JSON goes through `safety.escape_html`.
Above `MAX_ROWS` rows a single file becomes slow on a phone: the caller is told to publish.
"""

from __future__ import annotations

import json
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import _, get_language, ngettext
from datactiviste.i18n.formats import column_decimals, format_date, format_exact
from datactiviste.ingest.names import looks_like_identifier
from datactiviste.safety import escape_html, neutralise_formula, safe_href

MAX_ROWS = 20_000  # ~4 MB and seconds to open on a phone beyond this: publish instead
PAGE_ROWS = 500  # rows drawn at first (drawing 50,000 cells takes a second); a button shows the rest
_ASSETS = Path(__file__).with_name("export_html_assets")


def write_html(path: Path, columns, labels, rows, *, title: str, source: dict | None = None):
    """Write the page to `path`; returns the number of rows. Refuses above MAX_ROWS rows."""
    from datactiviste.serve.export import ExportResult

    language = get_language()
    data, overrides = [], []
    for index, row in enumerate(rows):
        if index >= MAX_ROWS:
            raise DatactivisteError(
                ngettext("More than {count} row: too many for one HTML file.",
                         "More than {count} rows: too many for one HTML file.", MAX_ROWS)
                .format(count=MAX_ROWS),
                hint=_("Publish the database instead (datactiviste publish DB -o FOLDER), or "
                       "export fewer rows with --sql \"SELECT ... LIMIT ...\"."))
        cells = []
        for column, value in enumerate(row):
            if isinstance(value, bytes):
                value = value.hex()
            elif isinstance(value, float) and value != value:  # NaN is not JSON
                value = None
            neutral = neutralise_formula(value)
            if neutral is not value:
                overrides.append([index, column, neutral])
            cells.append(value)
        data.append(cells)
    shown = {}
    for column, name in enumerate(columns):
        numbers = [r[column] for r in data if isinstance(r[column], (int, float))]
        if numbers:
            group = not looks_like_identifier(name)
            cents = column_decimals(n for n in numbers if isinstance(n, float))  # '12 643,00' as serve
            shown[column] = [format_exact(r[column], language, group=group, decimals=cents)
                             if isinstance(r[column], (int, float)) else None for r in data]
    payload = {
        "labels": [str(label) for label in labels], "rows": data, "shown": shown,
        "csv": overrides, "csvHeader": [str(neutralise_formula(str(label))) for label in labels],
        "lang": language, "page": PAGE_ROWS, "file": Path(path).name.removesuffix(".part").removesuffix(".html") + ".csv",
        "text": {"count": _("{shown} of {total} rows"), "filter": _("Filter"),
                 "sort": _("Sort by this column"), "more": _("Show the other rows ({count})")},
    }
    page = _page(title, payload, source or {}, language, len(data))
    Path(path).write_text(page, encoding="utf-8")
    return ExportResult(path=Path(path), format="html", rows=len(data))


def inert_json(value) -> str:
    """JSON that cannot end the <script> element it sits in."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def provenance_footer(source: dict, language: str, rows: int) -> str:
    """What the reader needs to trust and cite the table: file, date, licence, link."""
    facts = [(_("Source file"), escape_html(source.get("file_name")))]
    if source.get("imported_at"):
        try:
            facts.append((_("Imported on"), escape_html(format_date(source["imported_at"], "day",
                                                                    lang=language))))
        except ValueError:
            facts.append((_("Imported on"), escape_html(source["imported_at"])))
    facts.append((_("Licence"), escape_html(source.get("licence") or _("not stated"))))
    url = source.get("source_url")
    if url:
        href = safe_href(url)
        link = (f'<a href="{escape_html(href)}" rel="noopener noreferrer">{escape_html(url)}</a>'
                if href else escape_html(url))
        facts.append((_("Published at"), link))
    items = "".join(f"<dt>{escape_html(k)}</dt><dd>{v}</dd>" for k, v in facts
                    if v not in (None, ""))
    made = ngettext("{count} row, exported with datactiviste.", "{count} rows, exported with datactiviste.",
                    rows).format(count=format_exact(rows, language))
    return f"<footer><dl>{items}</dl><p>{escape_html(made)}</p></footer>"


def _page(title: str, payload: dict, source: dict, language: str, rows: int) -> str:
    style = (_ASSETS / "table.css").read_text("utf-8")
    script = (_ASSETS / "table.js").read_text("utf-8")
    return (
        f'<!DOCTYPE html><html lang="{escape_html(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape_html(title)}</title><style>{style}</style></head><body>"
        f"<h1>{escape_html(title)}</h1>"
        '<div class="tools">'
        f'<input type="search" id="q" placeholder="{escape_html(_("Search all columns"))}" '
        f'aria-label="{escape_html(_("Search all columns"))}">'
        f'<button type="button" id="csv">{escape_html(_("Download the data (CSV)"))}</button>'
        '<span id="count" aria-live="polite"></span></div>'
        f'<p class="hint">{escape_html(_("Click a column title to sort; type under it to filter."))}</p>'
        '<div class="scroll"><table><thead></thead><tbody></tbody></table></div>'
        '<p><button type="button" id="more" hidden></button></p>'
        f"{provenance_footer(source, language, rows)}"
        f'<script type="application/json" id="data">{inert_json(payload)}</script>'
        f"<script>{script}</script></body></html>\n")
