"""Datasette 0.65.5's English interface, as message ids for our `serve.po` catalog.

Datasette's templates are not Python, so `scripts/update_catalogs.py` cannot find their words;
they are listed here, marked with `N_()` / `ngettext()`, so the catalog keeps them and
translators see them. `translate.py` maps the templates' text onto these ids as they load;
tests/test_serve_i18n.py fails if a rendered French page still shows one of Datasette's
English strings, which is how an upgrade tells us what to add here.
"""

from __future__ import annotations

from datactiviste.i18n import N_, ngettext

# Text nodes and attributes of the index, database, table, row, query and error templates.
TEMPLATE_TEXT = [
    N_("About:"), N_("Data license:"), N_("Data source:"), N_("Powered by"),
    N_("Suggested facets:"), N_("0 records"), N_("Log out"), N_("(hidden)"), N_("... and"),
    N_("Custom SQL query"), N_("Download SQLite DB:"), N_("Format SQL"), N_("Many rows"),
    N_("Queries"), N_("Run SQL"), N_("Table actions"), N_("Tables"), N_("Views"), N_("tables"),
    N_("The following databases are attached to this connection, and can be used for cross-database joins:"),
    N_("rows"), N_("rows in"), N_("0 results"), N_("Edit SQL"), N_("Query parameters"),
    N_("This data as"), N_("This query cannot be executed because the database is immutable."),
    N_("more than"), N_("returning"), N_("Links from other tables"), N_("(view)"), N_("- column -"),
    N_("- remove filter -"), N_("Advanced export"), N_("Apply"), N_("CSV options:"),
    N_("Export CSV"), N_("JSON shape:"), N_("Next page"), N_("Search:"), N_("Sort..."),
    N_("These facets timed out:"), N_("View and edit SQL"), N_("advanced"), N_("array"),
    N_("default"), N_("descending"), N_("download file"), N_("expand labels"),
    N_("newline-delimited"), N_("object"), N_("remove"), N_("stream all rows"),
]

# Strings Datasette builds in Python and passes to the templates (rewritten by RULES).
PYTHON_TEXT = [
    N_("home"), N_("hide"), N_("show"), N_("Error {status}"), N_("from {column} in {table}"),
    N_("Sort by {column}"), N_("Queries took {ms} ms"), N_("date"), N_("Link"),
    # filter operators (Filters.lookups)
    N_("contains"), N_("ends with"), N_("starts with"), N_("like"), N_("not like"), N_("glob"),
    N_("in"), N_("not in"), N_("array contains"), N_("array does not contain"), N_("is null"),
    N_("is not null"), N_("is blank"), N_("is not blank"),
    # table.js column menu
    N_("Sort ascending"), N_("Sort descending"), N_("Facet by this"), N_("Hide this column"),
    N_("Show all columns"), N_("Show not-blank rows"), N_("Remove this filter"), N_("Type:"),
]


def _plurals_for_the_catalog():  # pragma: no cover - never called: marks ids for extraction
    """The plurals `translate._PLURAL` produces from Datasette's templates."""
    ngettext("{count} table", "{count} tables", 0)
    ngettext("{count} hidden table", "{count} hidden tables", 0)
    ngettext("{count} view", "{count} views", 0)
    ngettext("{count} row", "{count} rows", 0)
    ngettext("{count} extra where clause", "{count} extra where clauses", 0)
