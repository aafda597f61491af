"""Search in Datasette: every table's search box matches word starts, and one page searches all tables.

A second plugin module next to `plugin.py` (registered by `plugin.register`), acting only on our
Datasette instances:
- `prepare_connection` (last): Datasette's table search calls the SQL function `escape_fts` on
  what the user typed; ours is `ingest.search.match_expression`, so the search box of a table
  finds `Sénégalaise` for `senegal`, as `datactiviste search` does (Datasette's own would
  only match whole words);
- `register_routes`: `/-/datactiviste/search?q=…`, the rows of every searchable table of every
  database (`datactiviste.find`, the same query as the terminal), matched words in <mark>,
  numbers written the page's way, a link to each row and to the table's own search;
- `prepare_jinja2_environment`: `dt_search_form()`, the form on the home page.
Everything is escaped here, before it meets the page: data, snippets and the query.
"""

from __future__ import annotations

import inspect

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from datactiviste.i18n.formats import format_number

PLUGIN_NAME = "datactiviste-search"
SEARCH_PATH = "/-/datactiviste/search"
PER_TABLE = 5
MAX_QUERY = 200      # characters of a query kept (longer ones are cut, and said to be)


def _options(datasette):
    from datactiviste.serve.plugin import options_of  # one gate for both modules

    return options_of(datasette)


@hookimpl(trylast=True)
def prepare_connection(conn, datasette):
    if _options(datasette) is not None:
        from datactiviste.ingest.search import match_expression

        conn.create_function("escape_fts", 1, match_expression, deterministic=True)


@hookimpl
def prepare_jinja2_environment(env, datasette):
    if _options(datasette) is not None:
        env.globals["dt_search_form"] = lambda: search_form(datasette)


def search_form(datasette, query: str = "") -> Markup:
    """The "search every table" form (home page and results page)."""
    _ = _options(datasette).translator.gettext
    return Markup(
        f'<form class="dt-search" action="{escape(datasette.urls.path(SEARCH_PATH))}" method="get" role="search">'
        f'<label for="dt-search-q">{escape(_("Search every table:"))}</label> '
        f'<input id="dt-search-q" type="search" name="q" value="{escape(query)}" maxlength="{MAX_QUERY}" '
        f'placeholder="{escape(_("a name, a place, a word…"))}"> '
        f'<input type="submit" value="{escape(_("Search"))}"></form>')


@hookimpl
def register_routes(datasette):
    async def search_all(datasette, request):
        options = _options(datasette)
        if options is None:
            return Response.text("", status=404)
        query = (request.args.get("q") or "").strip()
        cut = len(query) > MAX_QUERY
        query = query[:MAX_QUERY]
        sections = []
        if query:
            for name, database in datasette.databases.items():
                if name == "_internal":
                    continue
                found = await database.execute_fn(lambda conn: _search(conn, query))
                for result in found:
                    sections.append(await _section(datasette, options, name, result, query))
        body = _page_body(datasette, options, query, sections, cut)
        template = datasette.jinja_env.from_string(
            '{% extends "base.html" %}{% block title %}{{ dt_title }}{% endblock %}'
            "{% block content %}{{ dt_body }}{% endblock %}")
        _ = options.translator.gettext
        html = await datasette.render_template(template, {"dt_title": _("Search"), "dt_body": body},
                                               request=request)
        return Response.html(html)

    return [(r"^/-/datactiviste/search$", search_all)]


def _search(connection, query: str):
    from datactiviste.find import search_tables

    return search_tables(connection, query, limit=PER_TABLE)


def highlight(snippet: str) -> Markup:
    """The snippet escaped, its matched words in <mark>."""
    from datactiviste.find import END, START

    return Markup(str(escape(snippet)).replace(START, "<mark>").replace(END, "</mark>"))


async def _cell(options, value, column: str, table: str, database: str, datasette) -> str:
    shown = options.cells.render(value, column, table, database, datasette)
    if inspect.isawaitable(shown):
        shown = await shown
    return str(shown if shown is not None else value)


async def _section(datasette, options, database: str, result, query: str) -> Markup:
    from urllib.parse import urlencode

    from datactiviste.find import plain

    _ = options.translator.gettext
    n_ = options.translator.ngettext
    table_url = datasette.urls.table(database, result.table) + "?" + urlencode({"_search": query})
    count = format_number(result.total, decimals=0, lang=options.language)
    count = n_("{count} row", "{count} rows", result.total).format(count=count + ("+" if result.capped else ""))
    heads = "".join(f"<th>{escape(column)}</th>" for column in ["", *result.keys])
    rows = []
    for hit in result.hits:
        row_url = datasette.urls.row(database, result.table, str(hit.rowid))
        cells = []
        for column, value in hit.values.items():
            text = "" if value is None else await _cell(options, value, column, result.table, database, datasette)
            cells.append(f"<td>{escape(text)}</td>")
        snippet = ""
        if plain(hit.snippet) not in (str(v) for v in hit.values.values()):
            snippet = f'<p class="dt-snippet">{highlight(hit.snippet)}</p>'
        marked = _mark_values(hit, cells)
        rows.append(f'<tr><td><a href="{escape(row_url)}">{escape(_("row {number}").format(number=hit.rowid))}</a>'
                    f"</td>{''.join(marked)}</tr>" + (f'<tr class="dt-snippet-row"><td></td><td colspan="{len(cells)}">'
                                                      f"{snippet}</td></tr>" if snippet else ""))
    more = ""
    if result.total > len(result.hits):
        more = f'<p><a href="{escape(table_url)}">{escape(_("See all the rows found in this table"))}</a></p>'
    return Markup(
        f'<section class="dt-search-table"><h2><a href="{escape(datasette.urls.table(database, result.table))}">'
        f"{escape(result.table)}</a> <small>({escape(database)}) — {escape(count)}</small></h2>"
        f'<p class="dt-search-columns">{escape(_("Searched in: {columns}").format(columns=", ".join(result.columns)))}</p>'
        f'<div class="table-wrapper"><table class="rows-and-columns"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{more}</section>")


def _mark_values(hit, cells: list[str]) -> list[str]:
    """Cells whose whole value is the snippet get its <mark>s (a name column matched)."""
    from datactiviste.find import plain

    snippet_text = plain(hit.snippet)
    marked = []
    for (column, value), cell in zip(hit.values.items(), cells):
        if isinstance(value, str) and value == snippet_text:
            cell = f"<td>{highlight(hit.snippet)}</td>"
        marked.append(cell)
    return marked


def _page_body(datasette, options, query: str, sections: list[Markup], cut: bool) -> Markup:
    _ = options.translator.gettext
    parts = [f"<h1>{escape(_('Search'))}</h1>", str(search_form(datasette, query)),
             f'<p class="dt-search-help">{escape(_("Accents and case are ignored and each word matches the start of a word: senegal finds Sénégal, SENEGAL and Sénégalaise. Put words in quotes to find them together."))}</p>']
    if cut:
        parts.append(f'<p class="message-warning">{escape(_("Only the first {count} characters were searched.").format(count=MAX_QUERY))}</p>')
    if query and not sections:
        parts.append(f"<p>{escape(_('No row contains «{query}».').format(query=query))}</p>")
    parts += [str(section) for section in sections]
    return Markup("".join(parts))
