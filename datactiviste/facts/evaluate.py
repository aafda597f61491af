"""Evaluate the directives of a text against a project database: one Fact per directive.

`evaluate(text, connection, lang)` returns an Evaluation: the facts, the text with each number
in place (`plain()`, for a terminal or a lesson) and the same text with tokens where the
directives were (`tokenised()`), which a Markdown renderer turns into HTML before `fill()` puts
each figure's HTML back. Charts and maps need the database's file: it is read from the
connection. Every error names the line of the directive.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from datactiviste.errors import DatactivisteError
from datactiviste.facts import figures, values
from datactiviste.facts.model import Fact
from datactiviste.facts.query import run, suggest
from datactiviste.facts.syntax import Directive, parse
from datactiviste.i18n import _, ngettext
from datactiviste.project import data_tables, latest_source
from datactiviste.safety import escape_html
from datactiviste.ingest.names import quote

TOKEN = "\ue000{}\ue001"     # private-use marks: no Markdown meaning, never typed by a writer
BLOCK_KINDS = ("table", "chart", "map")


@dataclass
class Evaluation:
    text: str
    directives: list[Directive]
    facts: list[Fact]

    def _replaced(self, pieces) -> str:
        out, position = [], 0
        for directive, piece in zip(self.directives, pieces):
            out.append(self.text[position:directive.start])
            out.append(piece)
            position = directive.end
        out.append(self.text[position:])
        return "".join(out)

    def plain(self) -> str:
        """The text with every directive replaced by what a reader sees (numbers, titles)."""
        return self._replaced(f.display for f in self.facts)

    def tokenised(self) -> str:
        """The text with a token per directive (block figures on a paragraph of their own)."""
        return self._replaced(("\n\n" + TOKEN.format(i) + "\n\n") if f.kind in BLOCK_KINDS
                              else TOKEN.format(i) for i, f in enumerate(self.facts))

    def fill(self, html: str) -> str:
        """Put each fact's HTML where its token is in rendered HTML."""
        for i, fact in enumerate(self.facts):
            token = TOKEN.format(i)
            html = html.replace(f"<p>{token}</p>", fact.html).replace(token, fact.html)
        return html


def database_path(connection: sqlite3.Connection) -> Path | None:
    for _seq, name, file in connection.execute("PRAGMA database_list"):
        if name == "main" and file:
            return Path(file)
    return None


def _one_value(result, where: dict):
    if not result.columns or len(result.columns) != 1 or len(result.rows) > 1:
        rows, cols = len(result.rows), len(result.columns)
        raise DatactivisteError(
            _("A number needs one value; this query returns {rows} and {columns}.").format(
                rows=ngettext("{count} row", "{count} rows", rows).format(count=rows),
                columns=ngettext("{count} column", "{count} columns", cols).format(count=cols)),
            **where, hint=_("Sum or count in SQL (sum, count, max), filter with WHERE, or use "
                            "{{ tableau: … }} to show several rows."))
    return result.rows[0][0] if result.rows else None


def _number(fact: Fact, directive: Directive, index: int, connection, lang: str,
            where: dict) -> None:
    result = run(connection, directive.body, where)
    fact.sql, fact.tables = directive.body, result.tables
    fact.columns, fact.rows = result.columns, result.rows
    fact.value = _one_value(result, where)
    fact.display = values.number_text(fact.value, directive.options.get("unit"),
                                      directive.options.get("decimals"), lang, where)
    css = "fact missing" if fact.value is None else "fact"
    fact.html = (f'<a class="{css}" id="figure-{index}" href="#data-{index}">'
                 f"{escape_html(fact.display)}</a>")
    if fact.value is None:
        fact.warnings.append(_("This query returns no value (NULL or no row)."))


def _source(fact: Fact, directive: Directive, connection, lang: str, where: dict) -> None:
    table = directive.body.strip().strip('"')
    tables = data_tables(connection)
    if table not in tables:
        raise DatactivisteError(_("No table “{name}” in the database.").format(name=table),
                                **where, hint=suggest(table, tables) or
                                _("Tables: {tables}.").format(tables=", ".join(tables) or "-"))
    fact.tables = [table]
    source = latest_source(connection, table)
    if source is None:
        fact.display = _("table {table} (not imported with datactiviste: origin unknown)").format(
            table=table)
        fact.html = f'<span class="source">{escape_html(fact.display)}</span>'
        fact.warnings.append(fact.display)
        return
    fact.display = values.provenance_text(source, lang)
    fact.html = values.provenance_html(source, lang)


def evaluate_directive(directive: Directive, index: int, connection, lang: str,
                       base_dir: Path, path: str | None) -> Fact:
    where = {"path": path, "line": directive.line}
    fact = Fact(directive.kind, directive.line, directive.text)
    if directive.kind == "number":
        _number(fact, directive, index, connection, lang, where)
    elif directive.kind == "source":
        _source(fact, directive, connection, lang, where)
    elif directive.kind == "table":
        limit = values.row_limit(directive.options.get("rows"), where)
        result = run(connection, directive.body, where)
        fact.sql, fact.tables = directive.body, result.tables
        fact.columns, fact.rows = result.columns, result.rows
        fact.title = directive.options.get("title", "")
        fact.display = fact.title or _("Table")
        fact.html = values.table_html(result.columns, result.rows, limit, fact.title, index, lang)
    else:
        _figure(fact, directive, index, connection, lang, base_dir, where)
    return fact


def _figure(fact: Fact, directive: Directive, index: int, connection, lang: str,
            base_dir: Path, where: dict) -> None:
    """A chart or a map: the query first (its tables, an empty answer), then the engine."""
    database = database_path(connection)
    if database is None:
        raise DatactivisteError(_("Charts and maps are drawn from a database file, not from "
                                  "memory."), **where)
    options, spec = directive.options, None
    sql = directive.body
    if directive.kind == "chart" and directive.body.lower().endswith(".json"):
        spec = figures.chart_spec(directive.body, options, database, lang, base_dir, where, [])
        sql = spec.sql or f"SELECT * FROM {quote(spec.table or '')}"
    result = run(connection, sql, where)
    fact.sql, fact.tables = sql, result.tables
    fact.columns, fact.rows = result.columns, result.rows
    if not result.rows:
        fact.title = options.get("title") or (spec.title if spec else "") or ""
        fact.display = fact.title
        fact.html = figures.empty_figure_html(fact.title, index, directive.kind)
        fact.warnings.append(_("This query returns no row: there is nothing to draw."))
        return
    if directive.kind == "chart":
        spec = spec or figures.chart_spec(directive.body, options, database, lang, base_dir,
                                          where, result.columns)
        figures.chart_fact(fact, spec, where, index)
    else:
        figures.map_fact(fact, directive.body, options, database, where, index)


def evaluate(text: str, connection: sqlite3.Connection, lang: str, *,
             base_dir: str | Path = ".", path: str | None = None) -> Evaluation:
    """Evaluate every directive of `text` in `lang` ('fr'/'en'). Raises at the first bad one."""
    from datactiviste.charts.build import language

    from datactiviste.facts.query import bound

    directives = parse(text, path)
    bound(connection)
    with language(lang):
        facts = [evaluate_directive(d, i, connection, lang, Path(base_dir), path)
                 for i, d in enumerate(directives)]
    return Evaluation(text, directives, facts)
