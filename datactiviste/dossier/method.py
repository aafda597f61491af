"""The method section, written from what the importer recorded, never from memory.

For each table a figure reads: the source file, its sha256, import date, encoding, header line,
rows read and kept, licence and link (`_sources`), then what the importer set aside (lines with
no column: preamble, totals, notes, repeated headers…) and flagged (values it could not read as
numbers or dates), with counts and a few examples with their line (`_anomalies`). Reasons are
read generically: a reason code we have no words for is shown as it is stored. Then each
figure's SQL, with the line of dossier.md it comes from.
"""

from __future__ import annotations

import sqlite3

from datactiviste.facts.model import Fact
from datactiviste.i18n import N_, _, ngettext
from datactiviste.i18n.formats import format_date, format_number
from datactiviste.project import latest_source
from datactiviste.safety import escape_html, link_html

EXAMPLES = 5
KIND_NAMES = {"number": N_("Number"), "table": N_("Table"), "chart": N_("Chart"),
              "map": N_("Map"), "source": N_("Source")}


def reason_label(reason: str) -> str:
    labels = {
        "preamble": _("lines before the header (title, preamble)"),
        "total": _("total or subtotal lines"),
        "note": _("note lines (sources, footnotes)"),
        "footer": _("lines after the table (footer)"),
        "repeated-header": _("header repeated inside the data"),
        "comment": _("comment lines (#) inside the data"),
        "not-a-number": _("values that are not numbers"),
        "not-a-date": _("values that are not dates"),
        "extra-fields": _("values beyond the last column"),
    }
    return labels.get(reason, reason or _("other"))


def tables_used(facts: list[Fact]) -> list[str]:
    return list(dict.fromkeys(t for fact in facts for t in fact.tables))


def _anomalies(connection: sqlite3.Connection, table: str, source_id) -> list[dict]:
    """{reason, column, count, examples[(line, value)]} for the last import of `table`."""
    try:
        groups = connection.execute(
            "SELECT reason, column_name, count(*) FROM _anomalies WHERE table_name = ? "
            "AND (source_id = ? OR ? IS NULL) GROUP BY reason, column_name "
            "ORDER BY column_name IS NOT NULL, min(id)", (table, source_id, source_id)).fetchall()
    except sqlite3.Error:
        return []
    found = []
    for reason, column, count in groups:
        examples = connection.execute(
            "SELECT source_line, raw_value FROM _anomalies WHERE table_name = ? "
            "AND (source_id = ? OR ? IS NULL) AND reason IS ? AND column_name IS ? ORDER BY id "
            "LIMIT ?", (table, source_id, source_id, reason, column, EXAMPLES)).fetchall()
        found.append({"reason": reason, "column": column, "count": count, "examples": examples})
    return found


def _source_facts(source: dict, lang: str) -> list[tuple[str, str]]:
    rows = [(_("File"), escape_html(source.get("file_name") or "")),
            ("sha256", f'<code class="hash">{escape_html(source.get("sha256") or "-")}</code>')]
    if source.get("imported_at"):
        rows.append((_("Imported"), escape_html(format_date(source["imported_at"], "day",
                                                            lang=lang))))
    details = [source.get("format"), source.get("encoding")]
    if source.get("sheet"):
        details.append(_("sheet {sheet}").format(sheet=source["sheet"]))
    if source.get("header_line"):
        details.append(_("header on line {line}").format(line=source["header_line"]))
    rows.append((_("Read as"), escape_html(", ".join(str(d) for d in details if d))))
    if source.get("rows_read") is not None:
        rows.append((_("Rows"), escape_html(
            _("{read} read, {kept} kept").format(read=format_number(source["rows_read"], lang=lang),
                                                 kept=format_number(source.get("rows_written") or 0,
                                                                    lang=lang)))))
    if source.get("licence"):
        rows.append((_("Licence"), escape_html(source["licence"])))
    if source.get("source_url"):
        rows.append((_("Link"), link_html(source["source_url"])))
    return rows


def _anomaly_items(found: list[dict], lang: str) -> str:
    items = []
    for group in found:
        count = format_number(group["count"], lang=lang)
        if group["column"]:
            what = _("{count} × {label} in column {column}").format(
                count=count, label=reason_label(group["reason"]), column=group["column"])
        else:
            what = ngettext("{count} line set aside: {label}", "{count} lines set aside: {label}",
                            group["count"]).format(count=count, label=reason_label(group["reason"]))
        examples = "; ".join(
            _("line {line}: “{value}”").format(line=line if line is not None else "?",
                                               value=(str(value) if value is not None else "")[:80])
            for line, value in group["examples"])
        items.append(f"<li>{escape_html(what)}<br><small>{escape_html(examples)}</small></li>")
    return "".join(items)


def sources_html(connection: sqlite3.Connection, facts: list[Fact], lang: str) -> str:
    parts = []
    for table in tables_used(facts):
        source = latest_source(connection, table)
        heading = _("Table {table}").format(table=table)
        if source is None:
            parts.append(f"<h4>{escape_html(heading)}</h4><p class=\"warning\">" + escape_html(
                _("Not imported with datactiviste: its origin is not recorded. Say where it "
                  "comes from in the text.")) + "</p>")
            continue
        rows = "".join(f"<tr><th scope=\"row\">{escape_html(k)}</th><td>{v}</td></tr>"
                       for k, v in _source_facts(source, lang))
        found = _anomalies(connection, table, source.get("id"))
        if found:
            anomalies = (f"<p>{escape_html(_('What the import set aside or flagged:'))}</p>"
                         f"<ul class=\"anomalies\">{_anomaly_items(found, lang)}</ul>")
        else:
            anomalies = f"<p>{escape_html(_('The import set nothing aside and flagged nothing.'))}</p>"
        parts.append(f"<h4>{escape_html(heading)}</h4><table class=\"provenance\">{rows}</table>"
                     f"{anomalies}")
    if not parts:
        parts.append(f"<p>{escape_html(_('No figure reads the database.'))}</p>")
    return "\n".join(parts)


def figure_labels(facts: list[Fact]) -> list[str]:
    """'Chart 2 (dossier.md, line 30)' for each fact: numbered within its kind."""
    counts: dict[str, int] = {}
    labels = []
    for fact in facts:
        counts[fact.kind] = counts.get(fact.kind, 0) + 1
        labels.append(_("{kind} {number} (dossier.md, line {line})").format(
            kind=_(KIND_NAMES.get(fact.kind, fact.kind)), number=counts[fact.kind], line=fact.line))
    return labels


def queries_html(facts: list[Fact]) -> str:
    items = []
    for number, (fact, label) in enumerate(zip(facts, figure_labels(facts))):
        if not fact.sql:
            continue
        shown = f" — {escape_html(fact.display)}" if fact.display else ""
        items.append(f'<li id="sql-{number}"><strong>{escape_html(label)}'
                     f"</strong>{shown}<pre><code>{escape_html(fact.sql.strip())}</code></pre></li>")
    return f'<ol class="queries">{"".join(items)}</ol>' if items else ""


def method_html(connection: sqlite3.Connection, facts: list[Fact], lang: str) -> str:
    return (f'<section id="method" class="method"><h2>{escape_html(_("Method"))}</h2>'
            f"<p>{escape_html(_('The figures of this dossier are computed by queries on the data each time the document is built. Below: the sources, what the import set aside or flagged, and each query.'))}</p>"
            f"<h3>{escape_html(_('Sources'))}</h3>{sources_html(connection, facts, lang)}"
            f"<h3>{escape_html(_('Queries'))}</h3>{queries_html(facts)}</section>")
